import ArgumentParser
import FaeResources
import Foundation
import JobQueue

/// `queue copy --from A --to B`: every job with its images and state, e.g. from the SQLite file
/// to PostgreSQL when workers move to several machines.
struct QueueCopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy every job, with its images and state, from one queue to another (SQLite file or postgres:// URL).",
        discussion: "Stop the workers of both queues first. A target that holds jobs is refused unless --replace is given.")

    @Option(help: ArgumentHelp("The queue to copy from (left unchanged).", valueName: "path-or-url"))
    var from: String
    @Option(help: ArgumentHelp("The queue to copy into; created (SQLite) or migrated if needed.", valueName: "path-or-url"))
    var to: String
    @Flag(help: "Delete the jobs already in the target before copying.")
    var replace = false
    @Flag(help: "Print machine-readable JSON.")
    var json = false

    func run() async throws {
        let source = try QueueLocation(parsing: from)
        let target = try QueueLocation(parsing: to)
        guard source != target else { throw CLIError("--from and --to name the same queue (\(source))") }
        let migrations = try ResourceLocator.migrationsDirectory()
        let report = try await source.withQueue(.read, migrationsRoot: migrations) { sourceQueue in
            try await target.withQueue(.create, migrationsRoot: migrations) { targetQueue in
                try await QueueCopy(from: sourceQueue, to: targetQueue).run(replace: replace) { progress in
                    guard !json else { return }
                    FileHandle.standardError.write(Data("copied \(progress.jobs) jobs, \(progress.images) images\n".utf8))
                }
            }
        }
        if json {
            try JSONOutput.print(["jobs": report.jobs, "images": report.images, "replaced": report.replaced])
        } else {
            let replaced = report.replaced > 0 ? " (after deleting the \(report.replaced) jobs it held)" : ""
            print("copied \(report.jobs) jobs and \(report.images) images from \(source) to \(target)\(replaced)")
        }
    }
}
