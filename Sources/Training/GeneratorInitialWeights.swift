import Foundation
import Models
import TensorEngine

/// `train generator --init-from DIR`: a new run that starts from an exported generator and text
/// encoder (a model folder's `generator/` and `text_encoder/`) instead of random weights, e.g. to
/// fine-tune the shipped model when its training run is gone, or with a longer `--text-tokens`.
///
/// The architectures must be the same, with two exceptions. The text length may differ, because it is
/// just the longest input the MMDiT accepts (no parameter depends on it: T5 positions are relative,
/// padded tokens are masked and the pooled text is a masked mean). And the MMDiT may be deeper: the
/// stored blocks keep their order, the last one stays last (its text stream is context-only), and
/// the new blocks go in before it with their adaLN-Zero modulation zeroed, which makes each of them
/// the identity (their other weights keep the run's initialisation, so they can learn); so the grown
/// model starts as exactly the stored one. Likewise the run may add learned text positions to a
/// generator without them: they start at zero, which adds nothing. Stored text positions need the
/// same text length.
public struct GeneratorInitialWeights {
    public let directory: URL
    private let generator: HuggingFaceCheckpoint, textEncoder: HuggingFaceCheckpoint

    /// Opens both parts (config.json read, weights memory-mapped), so a wrong folder fails before
    /// any training data is prepared; throws `TrainingError(.invalidArgument)`.
    public init(directory: URL) throws {
        self.directory = directory
        do {
            generator = try HuggingFaceCheckpoint(directory: directory.appendingPathComponent(ModelLayout.generatorFolder))
            textEncoder = try HuggingFaceCheckpoint(directory: directory.appendingPathComponent(ModelLayout.textEncoderFolder))
        } catch {
            throw TrainingError(.invalidArgument, "--init-from \(directory.path): \(error)", cause: error)
        }
    }

    /// Copies the folder's weights into `mmdit` and `textEncoder`; throws `TrainingError(.invalidArgument)`
    /// naming every setting of the part that differs, or the unreadable file.
    public func load(into mmdit: MMDiT, textEncoder encoder: T5Encoder) throws {
        do {
            var stored = try generator.config(MMDiTConfig.self)
            let storedHasPositions = stored.textPositions
            // Positions are (max_text_tokens, W), so only a position-free generator may change the length.
            if !storedHasPositions { stored.maxTextTokens = mmdit.config.maxTextTokens; stored.textPositions = mmdit.config.textPositions }
            let storedDepth = stored.depth
            if storedDepth < mmdit.config.depth { stored.depth = mmdit.config.depth }
            try requireSame(stored, mmdit.config, part: generator.directory)
            let parameters = Self.storedBlocks(of: mmdit, storedDepth: storedDepth)
            try StateDict.load(parameters.filter { storedHasPositions || $0.0 != MMDiT.textPositionKey }, from: generator.weights)
            if !storedHasPositions { mmdit.textPositionEmbedding?.value.zero() }
            for block in mmdit.blocks[(storedDepth - 1)..<(mmdit.config.depth - 1)] {
                for stream in [block.text, block.image] {
                    stream.modulation.weight.value.zero()
                    stream.modulation.bias?.value.zero()
                }
            }

            try requireSame(try textEncoder.config(T5Config.self), encoder.config, part: textEncoder.directory)
            try encoder.load(from: textEncoder.weights)
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError(.invalidArgument, "--init-from \(directory.path): \(error)", cause: error)
        }
    }

    /// The parameters of `mmdit` that a `storedDepth`-block checkpoint holds, under the checkpoint's
    /// keys: blocks 0..<storedDepth-1 as they are, the last block from the checkpoint's last; the
    /// blocks in between (a grown model's new ones) are left out.
    static func storedBlocks(of mmdit: MMDiT, storedDepth: Int) -> [(String, Parameter)] {
        let lastBlock = mmdit.config.depth - 1
        return mmdit.namedParameters(prefix: "").compactMap { key, parameter in
            let rest = key.dropFirst("blocks.".count)
            guard key.hasPrefix("blocks."), let dot = rest.firstIndex(of: "."), let block = Int(rest[..<dot]) else {
                return (key, parameter)
            }
            if block == lastBlock { return ("blocks.\(storedDepth - 1)" + rest[dot...], parameter) }
            return block < storedDepth - 1 ? (key, parameter) : nil
        }
    }

    /// Compares two configs through their JSON, so the message names the keys that differ.
    private func requireSame<C: Encodable & Equatable>(_ stored: C, _ wanted: C, part: URL) throws {
        guard stored != wanted else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func fields(_ c: C) throws -> [String: String] {
            let object = try JSONSerialization.jsonObject(with: encoder.encode(c)) as? [String: Any] ?? [:]
            // Each value as JSON, so booleans read true/false rather than 1/0.
            return try object.mapValues { String(decoding: try JSONSerialization.data(withJSONObject: $0, options: .fragmentsAllowed), as: UTF8.self) }
        }
        let a = try fields(stored), b = try fields(wanted)
        let differences = Set(a.keys).union(b.keys).sorted().filter { a[$0] != b[$0] }
            .map { "\($0) \(a[$0] ?? "none") (this run: \(b[$0] ?? "none"))" }
        throw TrainingError(.invalidArgument,
                            "--init-from: \(part.path)/\(ModelLayout.configFile) differs from this run: \(differences.joined(separator: ", ")); pass the same sizes")
    }
}
