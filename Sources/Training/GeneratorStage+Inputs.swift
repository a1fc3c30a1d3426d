import Dataset
import Foundation
import Models
import ShapesWorld
import TensorEngine
import Tokenizer

extension GeneratorStage {
    /// Everything the trainer reads, each failure naming the option it comes from; and the
    /// tokenizer file, which the export copies.
    func loadInputs() throws -> (GeneratorInputs, tokenizerFile: URL) {
        let fae = try Self.loadFAE(faeDirectory)
        let initialWeights = try initFrom.map { try GeneratorInitialWeights(directory: $0) }
        let tokenizerURL = try resolvedTokenizerFile()
        let tokenizer: SentencePieceTokenizer
        do {
            tokenizer = try SentencePieceTokenizer(modelFile: tokenizerURL)
        } catch let error as TokenizerError {
            throw TrainingError(.missingInput, error.message, cause: error)
        }
        let size = fae.config.imageSize
        let train = try data.openTrain(imageSize: size)
        let validation = try data.openValidation(imageSize: size)
        let auxiliary = configuration.bindingWeight > 0 || configuration.layoutWeight > 0
        let grammar = auxiliary ? try ShapesGrammar.load(from: promptsDirectory()) : nil
        let inputs = GeneratorInputs(train: train, validation: validation, fae: fae, tokenizer: tokenizer, grammar: grammar,
                                     initialWeights: initialWeights,
                                     cacheKey: LatentCache.fingerprint(faeDirectory: faeDirectory, target: configuration.target),
                                     featureCache: { try matchingFeatureCache(train: train) })
        return (inputs, tokenizerURL)
    }

    /// The four frozen FAE parts, with a one-line message for a missing one.
    static func loadFAE(_ url: URL) throws -> FAEAutoencoder {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw TrainingError(.missingInput, "--fae: model folder \(url.path) does not exist")
        }
        let parts = ModelLayout.faeFolders
        let missing = parts.filter { !FileManager.default.fileExists(atPath: ModelLayout.config(of: $0, in: url).path) }
        guard missing.isEmpty else {
            throw TrainingError(.missingInput, "--fae: \(url.path) lacks \(missing.map { $0 + "/" }.joined(separator: ", ")) (needs \(parts.map { $0 + "/" }.joined(separator: ", ")))")
        }
        do {
            return try FAEAutoencoder(directory: url)
        } catch {
            throw TrainingError(.missingInput, "--fae: \(error)", cause: error)
        }
    }

    /// --tokenizer, else the one of --init-from (its text encoder's ids), else <fae>/spiece.model,
    /// else the default one.
    func resolvedTokenizerFile() throws -> URL {
        if let tokenizerFile {
            guard FileManager.default.fileExists(atPath: tokenizerFile.path) else {
                throw TrainingError(.missingInput, "--tokenizer: no file at \(tokenizerFile.path)")
            }
            return tokenizerFile
        }
        if let initFrom {
            let url = initFrom.appendingPathComponent(ModelLayout.tokenizerFile)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw TrainingError(.missingInput, "--init-from: \(initFrom.relativePath) holds no \(ModelLayout.tokenizerFile) (its text encoder's tokenizer); pass --tokenizer")
            }
            return url
        }
        let beside = faeDirectory.appendingPathComponent(ModelLayout.tokenizerFile)
        if FileManager.default.fileExists(atPath: beside.path) { return beside }
        let fallback = try defaultTokenizer()
        guard FileManager.default.fileExists(atPath: fallback.path) else {
            throw TrainingError(.missingInput, "no tokenizer: neither \(beside.path) nor \(fallback.path) exists; pass --tokenizer")
        }
        return fallback
    }

    /// The feature cache of the training data made by `train fae` with this FAE's encoder, if
    /// there is one (pixel targets need none).
    func matchingFeatureCache(train: ImageDataset) throws -> FeatureCache? {
        guard configuration.target != .pixels else { return nil }
        let url = featureCacheFile ?? FeatureCache.defaultFile(in: faeDirectory)
        guard FileManager.default.fileExists(atPath: url.path) else {
            if featureCacheFile != nil { throw TrainingError(.missingInput, "--feature-cache: no file at \(url.path)") }
            return nil
        }
        let fingerprint = FeatureCache.fingerprint(encoderDirectory: faeDirectory.appendingPathComponent(ModelLayout.encoderFolder),
                                                   dataset: train)
        let cache = try FeatureCache.load(url, ifFingerprint: fingerprint)
        if cache == nil { TrainingOutput.note("\(url.path) was made from another encoder or dataset; encoding the images instead") }
        return cache
    }
}
