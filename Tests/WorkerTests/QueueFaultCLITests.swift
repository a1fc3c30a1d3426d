import Foundation
import GRDB
import JobQueue
import Testing
import TestSupport

/// The CLI and the worker when the queue itself is damaged, full, read-only or holds hostile text.
@Suite(.serialized) struct QueueFaultCLITests: CLITestCase {
    let runner = CommandRunner()
    let folder: URL

    init() throws {
        folder = try TestPaths.temporaryDirectory("queue-fault")
    }

    @Test func undecodableJobFailsAndTheWorkerGoesOn() throws {
        let poisoned = try submit("a red circle", ["--seed", "1", "--priority", "9"])
        let healthy = try submit("a blue square", ["--seed", "2"])
        try DatabaseQueue(path: db).write { try $0.execute(sql: "UPDATE jobs SET seeds = '{oops' WHERE id = ?", arguments: [poisoned]) }
        let worker = try run(["worker", "--renderer", "reference", "--db", db, "--exit-when-idle", "--poll", "0.05"])
        #expect(worker.status == 0, "\(worker.stderr)")
        let queue = try openTestQueue(db)
        #expect(try queue.status(healthy).state == .succeeded)
        let states = try DatabaseQueue(path: db).read { try String.fetchOne($0, sql: "SELECT state FROM jobs WHERE id = ?", arguments: [poisoned]) }
        #expect(states == "failed")
    }

    /// A damaged index: the worker retries a bounded number of times, then exits 69 with a message.
    @Test func damagedDatabaseMakesTheWorkerExitNonZero() throws {
        _ = try submit("a red circle", ["--seed", "1"])
        let (rootPage, pageSize) = try DatabaseQueue(path: db).read { db in
            (try Int.fetchOne(db, sql: "SELECT rootpage FROM sqlite_master WHERE name = 'jobs_claim_order'")!,
             try Int.fetchOne(db, sql: "PRAGMA page_size")!)
        }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: db))
        try handle.seek(toOffset: UInt64((rootPage - 1) * pageSize))
        try handle.write(contentsOf: Data(repeating: 0xA5, count: pageSize))
        try handle.close()

        let started = Date()
        let worker = try run(["worker", "--renderer", "reference", "--db", db, "--exit-when-idle", "--poll", "0.05"])
        #expect(worker.status == 69, "\(worker.stderr)")
        #expect(worker.stderr.contains("Error: queue unavailable"))
        #expect(worker.stderr.contains("damaged"))
        #expect(Date().timeIntervalSince(started) < 60)
    }

    @Test func controlCharactersArePrintedEscaped() throws {
        let id = try submit("a red \u{1B}[2J\u{1B}]0;owned\u{7}circle\u{202E}")
        for output in [try run(["status", id, "--db", db]), try run(["list", "--db", db])] {
            #expect(output.status == 0)
            #expect(!output.stdout.unicodeScalars.contains { $0 == "\u{1B}" || $0 == "\u{7}" || $0 == "\u{202E}" }, "\(output.stdout)")
            #expect(output.stdout.contains("\\u{1B}[2J"))
        }
        // JSON keeps the prompt exactly (escaped by JSON itself).
        #expect(try run(["status", id, "--db", db, "--json"]).stdout.contains("\\u001b[2J"))
    }

    /// Two characters, 60,001 bytes (combining marks pile onto one character): refused by bytes.
    /// (Not a parameterised case: the test runner's own printing of such an argument is very slow.)
    @Test func heavyPromptIsRefusedByItsBytes() throws {
        let output = try run(["submit", "a" + String(repeating: "\u{301}", count: 30_000), "--db", db])
        #expect(output.status != 0 && output.stderr.hasPrefix("Error: prompt is 60001 bytes long"), "\(output.stderr.prefix(200))")
        #expect(!FileManager.default.fileExists(atPath: db))
    }

    @Test func negativeNumbersNeedNoEqualsSign() throws {
        let id = try submit("a red circle", ["--priority", "-5"])
        #expect(try openTestQueue(db).status(id).priority == -5)
    }

    /// Someone who may only read the database runs every read command; nothing is written.
    @Test func readOnlyDatabaseAllowsEveryReadCommand() throws {
        let id = try submit("a red circle", ["--seed", "3"])
        #expect(try run(["worker", "--renderer", "reference", "--db", db, "--exit-when-idle", "--poll", "0.05"]).status == 0)
        chmod(db, 0o444)
        chmod(folder.path, 0o755)
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fae-t2i-ro-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        chmod(out.path, 0o777)
        let before = try Data(contentsOf: URL(fileURLWithPath: db))
        // Root reads and writes anything, so the commands run as `nobody` then.
        let asReader = getuid() == 0 ? ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"] : []
        for arguments in [["status", id], ["list"], ["fetch", id, "--out", out.path]] {
            let output = try runAs(asReader, arguments + ["--db", db])
            #expect(output.status == 0, "\(arguments[0]): \(output.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(id)-0.jpg").path))
        let cancel = try runAs(asReader, ["cancel", id, "--db", db])
        #expect(cancel.status != 0 && cancel.stderr.hasPrefix("Error: "))
        #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before)
    }

    func runAs(_ prefix: [String], _ arguments: [String]) throws -> CommandRunner.Output {
        guard !prefix.isEmpty else { return try run(arguments) }
        let shell = CommandRunner(executable: URL(fileURLWithPath: prefix[0]), environment: runner.environment)
        return try shell.run(Array(prefix.dropFirst()) + [runner.executable.path] + arguments)
    }

    /// On a full disk, submitting fails with a message, a worker gives up with status 69, `list`
    /// still reads, and `prune` frees space through the queue's reserve. The disk is a 12 MiB tmpfs in a private mount namespace (`unshare`).
    @Test func pruneWorksOnAFullDisk() throws {
        try #require(runner.isAvailable)
        let script = """
            set -u
            bin="$1"; dir="$2"
            mount -t tmpfs -o size=12m tmpfs "$dir" || { echo "MOUNT-FAILED"; exit 3; }
            db="$dir/queue.sqlite"
            for seed in 1 2 3 4 5 6; do "$bin" submit "a red circle" --count 4 --seed $seed --db "$db" >/dev/null || exit 4; done
            "$bin" worker --renderer reference --exit-when-idle --poll 0.05 --db "$db" 2>/dev/null || exit 5
            "$bin" submit "a green diamond" --count 16 --db "$db" >/dev/null || exit 6
            dd if=/dev/zero of="$dir/filler" bs=4k 2>/dev/null
            "$bin" submit "a blue square" --db "$db"; echo "SUBMIT-STATUS $?"
            "$bin" worker --renderer reference --exit-when-idle --poll 0.05 --db "$db" 2>/dev/null; echo "WORKER-STATUS $?"
            "$bin" list --db "$db" >/dev/null; echo "FULL-LIST-STATUS $?"
            "$bin" prune --older-than 0s --db "$db"; echo "PRUNE-STATUS $?"
            "$bin" list --db "$db"; echo "LIST-STATUS $?"
            """
        let mountPoint = try TestPaths.temporaryDirectory("full-disk")
        let shell = CommandRunner(executable: URL(fileURLWithPath: "/usr/bin/unshare"), environment: runner.environment)
        let output = try shell.run(["--user", "--map-root-user", "--mount", "/bin/bash", "-c", script, "bash",
                                    runner.executable.path, mountPoint.path])
        try #require(!output.stdout.contains("MOUNT-FAILED") && output.status == 0,
                     "the test needs a private tmpfs (unshare -rm): \(output.stdout) \(output.stderr)")
        #expect(output.stdout.contains("SUBMIT-STATUS 1"), "\(output.stdout)")
        #expect(output.stdout.contains("WORKER-STATUS 69"), "the worker gives up instead of looping: \(output.stdout)")
        #expect(output.stdout.contains("FULL-LIST-STATUS 0"), "reading needs no space: \(output.stdout) \(output.stderr)")
        #expect(output.stderr.contains("is full"), "\(output.stderr)")
        #expect(output.stdout.contains("removed 6 jobs") && output.stdout.contains("PRUNE-STATUS 0"), "\(output.stdout) \(output.stderr)")
        #expect(output.stdout.contains("a green diamond") && output.stdout.contains("LIST-STATUS 0"), "\(output.stdout) \(output.stderr)")
    }
}
