import Foundation
import JobQueue
import Testing
import TestSupport

/// `workers/pool.sh`: N workers that share the cores, are restarted when they die, and are not
/// restarted when their queue is unusable.
@Suite struct PoolScriptTests {
    let runner = CommandRunner()
    var script: URL { TestPaths.repositoryRoot.appendingPathComponent("workers/pool.sh") }

    /// Starts the script with no signal blocked: it inherits the test runner's thread signal mask
    /// otherwise (SIGTERM blocked), and a shell cannot unblock a signal, only trap it.
    func pool(_ arguments: [String]) throws -> Process {
        try #require(runner.isAvailable, "build the fae-t2i binary first (make test does)")
        var environment = runner.environment
        environment["FAE_T2I_BIN"] = runner.executable.path
        let perl = CommandRunner(executable: URL(fileURLWithPath: "/usr/bin/perl"), environment: environment)
        return try perl.spawn(["-MPOSIX", "-e", "sigprocmask(SIG_SETMASK, POSIX::SigSet->new) or die; exec @ARGV or die",
                               script.path] + arguments)
    }

    /// Waits for `process` to end, killing it (and failing) if it is still running after `seconds`;
    /// returns its exit status.
    @discardableResult
    func waitForExit(_ process: Process, seconds: Double) -> Int32 {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning {
            Issue.record("pool.sh still running after \(seconds) s")
            kill(process.processIdentifier, SIGKILL)
        }
        return CommandRunner.waitForExit(process)
    }

    @Test func poolRendersEveryJobAndStopsGracefully() throws {
        let folder = try TestPaths.temporaryDirectory("pool")
        let db = folder.appendingPathComponent("queue.sqlite").path
        let queue = try openTestQueue(db)
        let ids = try (0..<6).map { try queue.submit(JobRequest(prompt: "a red circle", seed: Int64($0), count: 2)).job.id }
        let process = try pool(["3", "--", "--renderer", "reference", "--poll", "0.05", "--db", db])
        let deadline = Date().addingTimeInterval(60)
        while try ids.contains(where: { try queue.status($0).state != .succeeded }) && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.1)
        }
        #expect(try ids.allSatisfy { try queue.status($0).state == .succeeded })
        kill(process.processIdentifier, SIGTERM)
        #expect(waitForExit(process, seconds: 30) == 0)
        let workers = Set(try ids.compactMap { try queue.status($0).worker })
        #expect(!workers.isEmpty && workers.allSatisfy { $0.contains("-pool-") })
    }

    @Test func poolStopsWhenTheQueueIsUnusable() throws {
        let folder = try TestPaths.temporaryDirectory("pool-bad")
        let db = folder.appendingPathComponent("queue.sqlite")
        try Data(repeating: 0x42, count: 4_096).write(to: db)
        let process = try pool(["2", "--", "--renderer", "reference", "--db", db.path])
        // It must stop instead of restarting workers forever.
        #expect(waitForExit(process, seconds: 30) == 1)
    }
}
