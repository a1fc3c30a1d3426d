import Foundation
import JobQueue
import Testing
import TestSupport

/// Workers are SIGKILLed and restarted over and over; nothing may be lost or done twice.
@Suite(.serialized) struct CrashTests {
    @Test(.timeLimit(.minutes(3)))
    func killedWorkersLoseNothing() throws {
        let runner = CommandRunner()
        try #require(runner.isAvailable, "build the fae-t2i binary first (make test does)")
        let folder = try TestPaths.temporaryDirectory("crash")
        let path = folder.appendingPathComponent("queue.sqlite").path
        let queue = try openTestQueue(path)
        var submitted: [Job] = []
        for index in 0..<120 {
            // Five attempts: a job may be hit by several kills in a row on a loaded machine; the
            // check that matters is that no job ever runs more often than it allows.
            submitted.append(try queue.submit(JobRequest(prompt: "a red circle in the center", seed: Int64(index * 10),
                                                         count: 1 + index % 2, maxAttempts: 5)).job)
        }

        let workerArguments = { (name: String) in
            ["worker", "--renderer", "reference", "--db", path, "--lease", "2", "--poll", "0.05", "--exit-when-idle",
             "--simulate-render-ms", "25", "--name", name]
        }
        var workers = try (0..<3).map { try runner.spawn(workerArguments("w\($0)")) }
        var kills = 0
        let deadline = Date().addingTimeInterval(150)
        while Date() < deadline {
            let counts = try queue.counts()
            if counts[.queued] == 0 && counts[.running] == 0 { break }
            Thread.sleep(forTimeInterval: Double.random(in: 0.1...0.3))
            kill(workers[0].processIdentifier, SIGKILL)
            workers[0].waitUntilExit()
            kills += 1
            workers[0] = try runner.spawn(workerArguments("w0-\(kills)"))
        }
        for worker in workers { worker.waitUntilExit() }

        let jobs = try queue.list(limit: 1_000)
        #expect(jobs.count == submitted.count)
        #expect(jobs.allSatisfy { $0.state == .succeeded }, "states: \(Dictionary(grouping: jobs, by: \.state).mapValues(\.count))")
        #expect(jobs.allSatisfy { $0.attempts <= $0.maxAttempts })
        let indices = try queue.imageIndices()
        for job in submitted {
            #expect(indices[job.id] == Array(0..<job.parameters.count), "job \(job.id)")
            let stored = try queue.status(job.id)
            #expect(stored.images.map(\.seed) == job.parameters.seeds)
        }
        #expect(try queue.integrityCheck() == "ok")
        #expect(kills >= 5)
        // Some kill must have hit a job mid-render, or the test exercised nothing.
        #expect(jobs.contains { $0.attempts > 1 })
    }
}
