import ArgumentParser
import FaeResources
import Foundation
import Models
import TextToImage

/// `--model DIR`: a model folder (docs/model-layout.md), by default `models/default` found like the
/// prompts folder (FAE_T2I_HOME, the install's share folder, the source tree).
struct ModelOption: ParsableArguments {
    @Option(help: "Model folder (default: models/default).") var model: String?

    /// The folder, whether or not it exists.
    func directory() throws -> URL {
        if let model { return URL(fileURLWithPath: model, isDirectory: true) }
        do {
            return try ResourceLocator.defaultModelDirectory()
        } catch {
            throw CLIError("\(error)", cause: error)
        }
    }

    /// The folder, checked to hold every part generation needs (and the visual encoder with
    /// `withEncoder`); otherwise an error naming the missing files, then `hint`.
    func completeDirectory(withEncoder: Bool = false, hint: String) throws -> URL {
        let url = try directory()
        do {
            try ModelFolder.checkComplete(url, withEncoder: withEncoder)
        } catch let error as TextToImageError {
            throw CLIError("\(error.message). \(hint)", cause: error)
        }
        return url
    }

    /// The folder's FAE (visual encoder, FAE encoder, feature and pixel decoders); otherwise an error
    /// naming the folder and the cause, then `hint` in parentheses.
    func autoencoder(hint: String? = nil) throws -> FAEAutoencoder {
        let url = try directory()
        do { return try FAEAutoencoder(directory: url) } catch {
            throw CLIError("cannot load the FAE from \(url.path): \(error)" + (hint.map { " (\($0))" } ?? ""), cause: error)
        }
    }

    static let trainHint = "Train a model and copy it there with `make model`, or pass --model DIR"
}
