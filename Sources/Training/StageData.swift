import Dataset
import Foundation
import TensorEngine

/// Where a stage reads its images and writes its run, shared by the training commands.
public struct StageData: Sendable {
    public var train: URL
    /// Held-out split for validation figures (optional).
    public var validation: URL?
    /// The model folder the stage exports its part into (see docs/model-layout.md); the run itself
    /// (checkpoint/, log.jsonl) lives in `<out>/runs/<stage>/`.
    public var out: URL
    public var resume: Bool

    public init(train: URL, validation: URL?, out: URL, resume: Bool) {
        self.train = train
        self.validation = validation
        self.out = out
        self.resume = resume
    }

    public func openTrain(imageSize: Int) throws -> ImageDataset {
        try Self.open(train, option: "--data", imageSize: imageSize)
    }

    public func openValidation(imageSize: Int) throws -> ImageDataset? {
        try validation.map { try Self.open($0, option: "--val-data", imageSize: imageSize) }
    }

    /// A failure names the command-line option the folder came from.
    static func open(_ url: URL, option: String, imageSize: Int) throws -> ImageDataset {
        do {
            return try ImageDataset.open(url: url, imageSize: imageSize, threads: Engine.threads)
        } catch {
            throw TrainingError(.invalidData, "\(option): \(error)", cause: error)
        }
    }

    public func runDirectory(_ stage: String) -> URL {
        out.appendingPathComponent("runs").appendingPathComponent(stage)
    }

    /// Settings a resumed run must agree with: the data it trains on.
    public var settings: [String: String] { ["train_data": train.standardizedFileURL.path] }
}
