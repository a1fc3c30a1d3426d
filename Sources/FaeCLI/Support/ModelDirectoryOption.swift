import ArgumentParser
import FaeResources
import Foundation

/// `--model DIR`: a model folder (docs/model-layout.md), default the shipped `models/default`.
struct ModelDirectoryOption: ParsableArguments {
    @Option(help: "Model folder (default: the shipped models/default).")
    var model: String?

    func resolve() throws -> URL {
        if let model { return URL(fileURLWithPath: model) }
        return try ResourceLocator.modelsDirectory().appendingPathComponent("default")
    }
}
