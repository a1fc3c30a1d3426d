import Foundation
import JobQueue
import Testing
import TestSupport

/// The `fae-t2i` binary end to end: submit, worker, status, fetch, and every kind of bad input.
@Suite(.serialized) struct CLITests: CLITestCase {
    let runner = CommandRunner()
    let folder: URL

    init() throws {
        folder = try TestPaths.temporaryDirectory("cli")
    }

    @Test func submitWorkFetchEndToEnd() throws {
        let id = try submit("a red circle to the left of a blue square", ["--seed", "7", "--count", "2"])
        let worker = try run(["worker", "--renderer", "reference", "--db", db, "--exit-when-idle", "--poll", "0.05"])
        #expect(worker.status == 0, "\(worker.stderr)")
        #expect(worker.stderr.contains("job succeeded"))

        let status = try run(["status", id, "--db", db, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "succeeded")
        let images = try #require(object["images"] as? [[String: Any]])
        #expect(images.map { $0["seed"] as? Int } == [7, 8])
        #expect(images.allSatisfy { ($0["sha256"] as? String)?.count == 64 && $0["width"] as? Int == 64 })
        let parameters = try #require(object["parameters"] as? [String: Any])
        #expect(parameters["prompt"] as? String == "a red circle to the left of a blue square")

        let out = folder.appendingPathComponent("images")
        let fetch = try run(["fetch", id, "--out", out.path, "--db", db])
        #expect(fetch.status == 0, "\(fetch.stderr)")
        let paths = fetch.stdout.split(separator: "\n").map(String.init)
        #expect(paths == [0, 1].map { out.appendingPathComponent("\(id)-\($0).jpg").path })
        let jpeg = try Data(contentsOf: URL(fileURLWithPath: paths[0]))
        #expect(jpeg.starts(with: [0xFF, 0xD8]))
        // The comment segment carries the generation parameters as JSON.
        let text = String(decoding: jpeg, as: UTF8.self)
        #expect(text.contains("\"prompt\":\"a red circle to the left of a blue square\""))
        #expect(text.contains("\"seed\":7"))
        #expect(text.contains("\"model\":\"reference\""))
    }

    /// `worker --json` logs one JSON object per line, with the job's metadata as keys.
    @Test func workerJSONLogsOneObjectPerLine() throws {
        let id = try submit("a green triangle")
        let worker = try run(["worker", "--renderer", "reference", "--db", db, "--exit-when-idle", "--poll", "0.05", "--json"])
        #expect(worker.status == 0, "\(worker.stderr)")
        let lines = worker.stderr.split(separator: "\n")
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String], "\($0)") }
        #expect(objects.allSatisfy { $0["time"] != nil && $0["level"] != nil && $0["logger"] == "fae-t2i.worker" })
        #expect(objects.contains { $0["message"] == "job succeeded" && $0["job"] == id }, "\(worker.stderr)")
    }

    @Test func submitJSONAndIdempotencyKey() throws {
        let first = try run(["submit", "a blue square", "--key", "abc", "--json", "--db", db])
        let second = try run(["submit", "a blue square", "--key", "abc", "--json", "--db", db])
        let a = try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: String]
        let b = try JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: String]
        #expect(a?["state"] == "queued")
        #expect(a?["id"] != nil && a?["id"] == b?["id"])
    }

    @Test func cancelRetryListAndPrune() throws {
        let id = try submit("a green square")
        #expect(try run(["cancel", id, "--db", db]).stdout.contains("canceled"))
        let listed = try run(["list", "--state", "canceled", "--json", "--db", db])
        let jobs = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]]
        #expect(jobs?.count == 1 && jobs?.first?["id"] as? String == id)
        #expect(try run(["retry", id, "--db", db]).status == 0)
        #expect(try run(["status", id, "--db", db, "--json"]).stdout.contains("\"state\" : \"queued\""))
        #expect(try run(["prune", "--older-than", "0s", "--db", db]).stdout.contains("removed 0 jobs"))
    }

    @Test func workerGivesBackItsJobOnSIGTERM() throws {
        let id = try submit("a red circle", ["--count", "16"])
        let worker = try runner.spawn(["worker", "--renderer", "reference", "--db", db, "--simulate-render-ms", "300", "--poll", "0.05"])
        let queue = try openTestQueue(db)
        let deadline = Date().addingTimeInterval(20)
        while try queue.status(id).state != .running && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        kill(worker.processIdentifier, SIGTERM)
        #expect(CommandRunner.waitForExit(worker) == 0)
        let job = try queue.status(id)
        #expect(job.state == .queued && job.attempts == 0 && job.images.isEmpty)
    }

    @Test func cancelOfRunningJobEndsCanceledWithoutImages() throws {
        let id = try submit("a red circle", ["--count", "8"])
        let worker = try runner.spawn(["worker", "--renderer", "reference", "--db", db, "--simulate-render-ms", "200", "--lease", "1", "--poll", "0.05",
                                       "--exit-when-idle"])
        let queue = try openTestQueue(db)
        let deadline = Date().addingTimeInterval(20)
        while try queue.status(id).state != .running && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        #expect(try run(["cancel", id, "--db", db]).stdout.contains("cancel requested"))
        _ = CommandRunner.waitForExit(worker)
        let job = try queue.status(id)
        #expect(job.state == .canceled && job.images.isEmpty)
    }

    /// Each bad input: one-line error, non-zero exit, and the database unchanged.
    @Test(arguments: [
        ["submit", "   "],
        ["submit", ""],
        ["submit", String(repeating: "x", count: 1_001)],
        ["submit", "a red circle", "--count", "0"],
        ["submit", "a red circle", "--count", "17"],
        ["submit", "a red circle", "--steps", "0"],
        ["submit", "a red circle", "--guidance", "31"],
        ["submit", "a red circle", "--priority", "1001"],
        ["submit", "a red circle", "--max-attempts", "0"],
        ["submit", "a red circle", "--seed", "-1"],
        ["submit", "a red circle", "--guidance", "-1"],
        ["submit", "a red circle", "--guidance", "nan"],
        ["submit", "a red circle", "--sampler", "ddim"],
        ["submit", "a red circle", "--negative", String(repeating: "x", count: 1_001)],
        ["submit", "a red circle", "--key", ""],
        ["status", "0123456789abcdef"],
        ["status", "not-a-job-id"],
        ["cancel", "0123456789abcdef"],
        ["retry", "zz"],
        ["list", "--state", "sleeping"],
        ["list", "--limit", "0"],
        ["prune", "--older-than", "soon"],
        ["prune", "--older-than", "1e300d"],
        ["worker", "--lease", "0.5"],
        ["worker", "--lease", "1e308"],
        ["worker", "--threads", "100000"],
        ["worker", "--renderer", "magic"],
        ["submit", "a blue circle", "--key", "baseline"],
        ["submit", "a red circle", "--priority", "-1001"],
    ])
    func badInputIsAClearErrorAndChangesNothing(arguments: [String]) throws {
        _ = try submit("a yellow diamond", ["--key", "baseline"])
        let before = try run(["list", "--json", "--db", db]).stdout
        let output = try run(arguments + ["--db", db])
        #expect(output.status != 0)
        #expect(output.stderr.hasPrefix("Error: "), "stderr: \(output.stderr)")
        #expect(try run(["list", "--json", "--db", db]).stdout == before)
    }

    @Test func fetchOfUnfinishedJobAndUnwritableOut() throws {
        let id = try submit("a red circle")
        let early = try run(["fetch", id, "--out", folder.appendingPathComponent("x").path, "--db", db])
        #expect(early.status != 0 && early.stderr.contains("not succeeded"))
        _ = try run(["worker", "--renderer", "reference", "--db", db, "--exit-when-idle", "--poll", "0.05"])
        let blocker = folder.appendingPathComponent("file")
        try Data("x".utf8).write(to: blocker)
        let unwritable = try run(["fetch", id, "--out", blocker.appendingPathComponent("sub").path, "--db", db])
        #expect(unwritable.status != 0 && unwritable.stderr.hasPrefix("Error: cannot create output folder"))
    }

    @Test func databaseThatIsNotSQLiteOrFromTheFuture() throws {
        let garbage = folder.appendingPathComponent("garbage.sqlite")
        try Data(repeating: 0x42, count: 8_192).write(to: garbage)
        let output = try run(["submit", "a red circle", "--db", garbage.path])
        #expect(output.status != 0 && output.stderr.contains("not a SQLite database"))
        #expect(try Data(contentsOf: garbage) == Data(repeating: 0x42, count: 8_192))

        _ = try submit("a red circle")
        let queue = try SQLiteJobQueue(path: db, migrations: Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations/sqlite"))
            + [Migration(version: 9_999, name: "future", sql: "CREATE TABLE future (x INTEGER);")])
        _ = queue
        let newer = try run(["list", "--db", db])
        #expect(newer.status != 0 && newer.stderr.contains("newer than this fae-t2i knows"))
    }

    @Test func sqlInjectionIsJustAPrompt() throws {
        let prompt = "'); DROP TABLE jobs;--"
        let id = try submit(prompt)
        let status = try run(["status", id, "--db", db, "--json"])
        #expect(status.stdout.contains("DROP TABLE jobs;--"))
    }

    @Test func invalidUTF8ArgumentIsRejected() throws {
        try #require(runner.isAvailable)
        // Foundation's Process cannot pass raw bytes, so go through the shell's printf.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", "\"$0\" submit \"$(printf 'bad \\377 prompt')\" --db \"$1\"", runner.executable.path, db]
        let pipe = Pipe()
        shell.standardError = pipe
        try shell.run()
        let stderr = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(CommandRunner.waitForExit(shell) != 0)
        #expect(stderr.contains("not valid UTF-8"))
        #expect(!FileManager.default.fileExists(atPath: db))
    }
}

extension CLITests {
    /// A prompt outside the shapes world's grammar fails on its first attempt, with the reason.
    @Test func unrenderablePromptFailsWithoutRetries() throws {
        let id = try submit("a magenta circle")
        let worker = try run(["worker", "--renderer", "reference", "--db", db, "--exit-when-idle", "--poll", "0.05"])
        #expect(worker.status == 0)
        let status = try run(["status", id, "--db", db, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        #expect(object["state"] as? String == "failed")
        #expect(object["attempts"] as? Int == 1)
        #expect((object["error"] as? String)?.contains("unknown word 'magenta'") == true)
    }
}
