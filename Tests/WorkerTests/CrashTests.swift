import Foundation
import JobQueue
import Testing
import TestSupport

/// Workers are SIGKILLed and restarted over and over; nothing may be lost or done twice. On
/// PostgreSQL the server itself restarts once in the middle as well.
@Suite(.serialized) struct CrashTests {
    @Test(.timeLimit(.minutes(3)))
    func killedWorkersLoseNothingOnSQLite() async throws {
        let folder = try TestPaths.temporaryDirectory("crash")
        let path = folder.appendingPathComponent("queue.sqlite").path
        let queue = try openTestQueue(path)
        try await killWorkersRepeatedly(db: path, queue: queue, midway: nil)
        #expect(try queue.integrityCheck() == "ok")
    }

    @Test(.timeLimit(.minutes(3)))
    func killedWorkersAndARestartedServerLoseNothingOnPostgres() async throws {
        let server = try await PostgresTestServer.start()
        let url = try await server.makeDatabase()
        let queue = try await QueueLocation(parsing: url).open(.create, migrationsRoot: TestPaths.repositoryRoot.appendingPathComponent("migrations"))
        var restarted = false
        try await killWorkersRepeatedly(db: url, queue: queue) { kills in
            guard kills == 4, !restarted else { return }
            restarted = true
            try await server.restart()
        }
        #expect(restarted)
        await queue.close()
        try await server.stop()
    }

    /// 120 jobs, 3 worker processes of which one is killed every 0.1-0.3 s and replaced, until the
    /// queue is drained; then every job must have succeeded with all its images, once.
    func killWorkersRepeatedly(db: String, queue: any JobQueue, midway: ((Int) async throws -> Void)?) async throws {
        let runner = CommandRunner()
        try #require(runner.isAvailable, "build the fae-t2i binary first (make test does)")
        var submitted: [Job] = []
        for index in 0..<120 {
            // Ten attempts: the killed worker claims again at once, so one job may be hit by
            // several kills in a row; the check that matters is that no job ever runs more often
            // than it allows.
            submitted.append(try await queue.submit(JobRequest(prompt: "a red circle in the center", seed: Int64(index * 10),
                                                               count: 1 + index % 2, maxAttempts: 10)).job)
        }

        let workerArguments = { (name: String) in
            ["worker", "--renderer", "reference", "--db", db, "--lease", "2", "--poll", "0.05", "--exit-when-idle",
             "--simulate-render-ms", "60", "--name", name]
        }
        var workers = try (0..<3).map { try runner.spawn(workerArguments("w\($0)")) }
        var kills = 0
        let started = Date()
        let deadline = Date().addingTimeInterval(150)
        while Date() < deadline {
            let counts = try await Self.waitingOutRestarts { try await queue.counts() }
            if counts[.queued] == 0 && counts[.running] == 0 { break }
            // A blocking sleep: this loop must keep its pace while the other tests keep every
            // pool thread busy (a task's sleep may resume long after it is due). usleep, since
            // Thread.sleep is unavailable from async code.
            usleep(useconds_t(Double.random(in: 0.1...0.3) * 1_000_000))
            kill(workers[0].processIdentifier, SIGKILL)
            _ = CommandRunner.waitForExit(workers[0])
            kills += 1
            workers[0] = try runner.spawn(workerArguments("w0-\(kills)"))
            try await midway?(kills)
        }
        for worker in workers { _ = CommandRunner.waitForExit(worker) }

        let jobs = try await queue.list(state: nil, limit: 1_000)
        #expect(jobs.count == submitted.count)
        let unfinished = jobs.filter { $0.state != .succeeded }.map { "\($0.id) attempt \($0.attempts): \($0.error ?? "")" }
        #expect(unfinished.isEmpty, "states: \(Dictionary(grouping: jobs, by: \.state).mapValues(\.count)); \(unfinished)")
        #expect(jobs.allSatisfy { $0.attempts <= $0.maxAttempts })
        let indices = try await queue.storedImageIndices()
        for job in submitted {
            #expect(indices[job.id] == Array(0..<job.parameters.count), "job \(job.id)")
            let stored = try await queue.status(job.id)
            #expect(stored.images.map(\.seed) == job.parameters.seeds)
        }
        #expect(kills >= 5, "\(kills) kills in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
        // Some kill must have hit a job mid-render, or the test exercised nothing.
        #expect(jobs.contains { $0.attempts > 1 })
    }

    /// The test's own queue calls ride out the server restart the way workers do.
    static func waitingOutRestarts<T>(_ call: () async throws -> T) async throws -> T {
        for _ in 0..<50 {
            do {
                return try await call()
            } catch let error as QueueError where error.code == .unavailable {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        return try await call()
    }
}
