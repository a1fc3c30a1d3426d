import Foundation
import Testing
import JobQueue
import TestSupport

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Double = 1_800_000_000
    func time() -> Double { lock.withLock { now } }
    func advance(_ seconds: Double) { lock.withLock { now += seconds } }
}

/// A fresh queue in its own temporary folder.
struct QueueFixture {
    let directory: URL
    let clock = ManualClock()
    let queue: JobQueue
    var path: String { queue.path }

    init() throws {
        directory = try TestPaths.temporaryDirectory("queue")
        let clock = self.clock
        queue = try JobQueue(path: directory.appendingPathComponent("queue.sqlite").path,
                             migrations: Self.migrations(), clock: { clock.time() })
    }

    static func migrations() throws -> [Migration] {
        try Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations"))
    }

    static func image(_ index: Int, seed: Int64) -> RenderedImage {
        RenderedImage(index: index, seed: seed, width: 64, height: 64, jpeg: Data("jpeg-\(index)-\(seed)".utf8))
    }

    static func images(for job: Job) -> [RenderedImage] {
        job.parameters.seeds.enumerated().map { image($0.offset, seed: $0.element) }
    }
}

extension JobRequest: CustomTestStringConvertible {
    public var testDescription: String {
        let prompt = parameters.prompt
        return "prompt \(prompt.prefix(24).debugDescription) (\(prompt.count) chars)"
    }
}
