import ArgumentParser
import Foundation
import JobQueue

struct FetchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch", abstract: "Write a succeeded job's images as DIR/<job>-<index>.jpg and print their paths.")

    @OptionGroup var target: JobArgument
    @Option(help: "Folder to write into (created if missing).") var out: String
    @OptionGroup var queueOptions: QueueOptions

    func run() async throws {
        let job = target.job
        let images = try await queueOptions.withQueue(.read) { try await $0.images(job) }
        let folder = URL(fileURLWithPath: out, isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CLIError("cannot create output folder \(out): \(error.localizedDescription)", cause: error)
        }
        guard FileManager.default.isWritableFile(atPath: folder.path) else {
            throw CLIError("output folder \(out) is not writable")
        }
        var paths: [String] = []
        for image in images {
            let url = folder.appendingPathComponent("\(job)-\(image.info.index).jpg")
            do {
                try image.jpeg.write(to: url, options: .atomic)
            } catch {
                throw CLIError("cannot write \(url.path): \(error.localizedDescription)", cause: error)
            }
            paths.append(url.path)
        }
        if queueOptions.json {
            struct Written: Encodable { let path: String; let index: Int; let seed: Int64; let sha256: String }
            try JSONOutput.print(zip(paths, images).map { Written(path: $0, index: $1.info.index, seed: $1.info.seed, sha256: $1.info.sha256) })
        } else {
            paths.forEach { print($0) }
        }
    }
}
