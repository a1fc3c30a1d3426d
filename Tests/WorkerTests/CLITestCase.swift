import Foundation
import Testing
import TestSupport

/// A suite that drives the `fae-t2i` binary against its own queue file, as a user would.
protocol CLITestCase {
    var runner: CommandRunner { get }
    var folder: URL { get }
}

extension CLITestCase {
    var db: String { folder.appendingPathComponent("queue.sqlite").path }

    func run(_ arguments: [String]) throws -> CommandRunner.Output {
        try #require(runner.isAvailable, "build the fae-t2i binary first (make test does)")
        return try runner.run(arguments)
    }

    /// Submits `prompt` and returns the job id.
    func submit(_ prompt: String, _ extra: [String] = []) throws -> String {
        let output = try run(["submit", prompt, "--db", db] + extra)
        try #require(output.status == 0, "submit failed: \(output.stderr)")
        return output.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
