import ArgumentParser
import FaeResources
import Foundation
import ImageCodec
import JobQueue

/// Internal: one process of `bench queue`. Claims and completes jobs until none is left, storing
/// a real 64x64 JPEG for each, then prints a JSON report.
struct BenchClaimerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench-claimer", shouldDisplay: false)

    @Option var db: String
    @Option(name: .customLong("start-at")) var startAt: Double
    @Option var name: String

    struct Report: Codable {
        let processed: Int
        let finishedAt: Double
    }

    func run() async throws {
        // `env:NAME` reads the location from the environment (keeps a password out of `ps`).
        let text = db.hasPrefix("env:") ? ProcessInfo.processInfo.environment[String(db.dropFirst(4))] ?? "" : db
        let location = try QueueLocation(parsing: text)
        let pixels = (0..<(64 * 64 * 3)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let jpeg = try JPEG.encode(try RGBImage(width: 64, height: 64, pixels: pixels), quality: 95)
        let report = try await location.withQueue(.write, migrationsRoot: ResourceLocator.migrationsDirectory()) { queue in
            let wait = startAt - Date().timeIntervalSince1970
            if wait > 0 { try await Task.sleep(for: .seconds(wait)) }
            var processed = 0
            while let claim = try await queue.claim(worker: name, leaseSeconds: 60) {
                let images = claim.job.parameters.seeds.enumerated().map {
                    RenderedImage(index: $0.offset, seed: $0.element, width: 64, height: 64, jpeg: jpeg)
                }
                try await queue.complete(claim, images: images, modelID: "bench", weightsHash: nil)
                processed += 1
            }
            return Report(processed: processed, finishedAt: Date().timeIntervalSince1970)
        }
        print(String(decoding: try JSONEncoder().encode(report), as: UTF8.self))
    }
}
