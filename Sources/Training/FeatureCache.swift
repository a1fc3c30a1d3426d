import Dataset
import Foundation
import Models
import TensorEngine

/// The frozen encoder's patch features of a whole dataset, (count, N, C) floats, computed once and
/// reused by every epoch of `train fae` and `train pixel-decoder`.
///
/// File: 8-byte magic `FAEFEAT1`, 8-byte little-endian header length, a JSON header (shape and a
/// fingerprint of the encoder and dataset it was made from), then the floats.
public final class FeatureCache {
    public struct Header: Codable, Equatable {
        public var count: Int
        public var tokens: Int
        public var width: Int
        /// Identifies the encoder weights and the dataset; a cache for other ones is rebuilt.
        public var fingerprint: String
    }

    static let magic = Array("FAEFEAT1".utf8)

    /// Where `train fae` keeps the training data's features in its model folder, and where the
    /// later stages look for them: `<folder>/runs/features-train.f32`.
    public static func defaultFile(in modelFolder: URL) -> URL {
        modelFolder.appendingPathComponent("runs").appendingPathComponent("features-train.f32")
    }

    public let header: Header
    public let values: UnsafeMutableBufferPointer<Float>
    /// Root mean square of all features (the noise scale of pixel-decoder stage Ia).
    public let rms: Float

    init(header: Header, values: UnsafeMutableBufferPointer<Float>) {
        self.header = header
        self.values = values
        var sum = 0.0
        var i = 0
        while i < values.count {
            let n = min(1 << 16, values.count - i)
            sum += Double(FastMath.dot(values.baseAddress! + i, values.baseAddress! + i, n))
            i += n
        }
        rms = Float((sum / Double(max(values.count, 1))).squareRoot())
    }

    deinit { values.deallocate() }

    public var count: Int { header.count }
    var rowSize: Int { header.tokens * header.width }

    /// Copies the features of `indices` into `out` (n, N, C).
    public func gather(_ indices: [Int], into out: Tensor) {
        precondition(out.count == indices.count * rowSize, "feature batch shape")
        for (i, index) in indices.enumerated() {
            (out.pointer + i * rowSize).update(from: values.baseAddress! + index * rowSize, count: rowSize)
        }
    }

    /// A fingerprint of the encoder weights (their content hash) and the dataset (path and count).
    public static func fingerprint(encoderDirectory: URL, dataset: ImageDataset) -> String {
        let weights = WeightsFingerprint.of(encoderDirectory.appendingPathComponent(ModelLayout.weightsFile))
        return "\(weights)|\(dataset.url.standardizedFileURL.path):\(dataset.count)"
    }

    /// Loads the cache at `url` when it matches `fingerprint`, else encodes the dataset with the
    /// frozen `encoder` and writes the cache there.
    public static func loadOrBuild(at url: URL, encoder: Dinov2Model, encoderDirectory: URL, dataset: ImageDataset,
                                   batchSize: Int = 64, log: (String) -> Void) throws -> FeatureCache {
        let fingerprint = fingerprint(encoderDirectory: encoderDirectory, dataset: dataset)
        if let cached = try? load(url, ifFingerprint: fingerprint) { return cached }
        log("encoding \(dataset.count) images with the frozen encoder into \(url.path)")
        let cache = try build(encoder: encoder, dataset: dataset, fingerprint: fingerprint, batchSize: batchSize, log: log)
        try cache.write(to: url)
        return cache
    }

    /// Runs the encoder over the dataset (in order).
    public static func build(encoder: Dinov2Model, dataset: ImageDataset, fingerprint: String, batchSize: Int,
                             log: (String) -> Void) throws -> FeatureCache {
        let side = dataset.imageSize, patch = encoder.config.patchSize.height
        let tokens = (side / patch) * (side / patch), width = encoder.config.hiddenSize
        let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: dataset.count * tokens * width)
        let images = Tensor(zeros: [batchSize, 3, side, side])
        let features = Tensor(zeros: [batchSize, tokens, width])
        let start = Date()
        var lastLog = Date()
        do {
            for begin in stride(from: 0, to: dataset.count, by: batchSize) {
                let n = min(batchSize, dataset.count - begin)
                let batchImages = images.slice(first: 0..<n), batchFeatures = features.slice(first: 0..<n)
                try dataset.loadImages(indices: Array(begin..<(begin + n)), into: batchImages.buffer, threads: Engine.threads)
                let hidden = try encoder.forward(batchImages)
                FAEAutoencoder.copyPatchTokens(hidden, skip: 1 + encoder.config.numRegisterTokens, into: batchFeatures)
                (values.baseAddress! + begin * tokens * width).update(from: batchFeatures.pointer, count: n * tokens * width)
                if Date().timeIntervalSince(lastLog) > 10 {
                    lastLog = Date()
                    let rate = Double(begin + n) / Date().timeIntervalSince(start)
                    log("encoded \(begin + n)/\(dataset.count) (\(Int(rate)) images/s)")
                }
            }
        } catch {
            values.deallocate()
            throw error
        }
        return FeatureCache(header: Header(count: dataset.count, tokens: tokens, width: width, fingerprint: fingerprint), values: values)
    }

    public func write(to url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let json = try JSONEncoder().encode(header)
            var prefix = Data(Self.magic)
            withUnsafeBytes(of: UInt64(json.count).littleEndian) { prefix.append(contentsOf: $0) }
            prefix.append(json)
            let partial = url.appendingPathExtension("partial")
            guard FileManager.default.createFile(atPath: partial.path, contents: prefix) else {
                throw TrainingError(.cannotWrite, "cannot create \(partial.path)")
            }
            let handle = try FileHandle(forWritingTo: partial)
            try handle.seekToEnd()
            let raw = UnsafeRawBufferPointer(values)
            var offset = 0
            while offset < raw.count {
                let n = min(64 << 20, raw.count - offset)
                try handle.write(contentsOf: Data(bytes: raw.baseAddress! + offset, count: n))
                offset += n
            }
            try handle.close()
            _ = try? FileManager.default.removeItem(at: url)
            try FileManager.default.moveItem(at: partial, to: url)
        } catch {
            throw TrainingError(.cannotWrite, "cannot write the feature cache \(url.path): \(error)", cause: error)
        }
    }

    public static func load(_ url: URL) throws -> FeatureCache {
        guard let cache = try load(url, ifFingerprint: nil) else { preconditionFailure("an unconditional load returned nothing") }
        return cache
    }

    /// The cache at `url` when its fingerprint is `fingerprint` (any when nil), else nil; the
    /// values are only read when the header matches.
    public static func load(_ url: URL, ifFingerprint fingerprint: String?) throws -> FeatureCache? {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw TrainingError(.missingInput, "no feature cache at \(url.path)")
        }
        defer { try? handle.close() }
        let prefix = try handle.read(upToCount: 16) ?? Data()
        guard prefix.count == 16, Array(prefix.prefix(8)) == magic else {
            throw TrainingError(.invalidData, "\(url.path) is not a feature cache")
        }
        let length = prefix.suffix(8).withUnsafeBytes { Int(UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self))) }
        guard length > 0, length < 1 << 20, let json = try handle.read(upToCount: length), json.count == length,
              let header = try? JSONDecoder().decode(Header.self, from: json) else {
            throw TrainingError(.invalidData, "\(url.path): the feature cache header is damaged")
        }
        if let fingerprint, header.fingerprint != fingerprint { return nil }
        let floats = header.count * header.tokens * header.width
        let values = UnsafeMutableBufferPointer<Float>.allocate(capacity: floats)
        let raw = UnsafeMutableRawBufferPointer(values)
        var offset = 0
        while offset < raw.count {
            guard let chunk = try handle.read(upToCount: min(64 << 20, raw.count - offset)), !chunk.isEmpty else {
                values.deallocate()
                throw TrainingError(.invalidData, "\(url.path) is truncated")
            }
            chunk.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + chunk.count)]))
            offset += chunk.count
        }
        return FeatureCache(header: header, values: values)
    }
}
