import Foundation
import Sampler
import TensorEngine
import TestSupport
import Testing
@testable import Training

struct LatentCacheTests {
    @Test func targetsRoundTripAndAnotherKeyOrShapeIsAMiss() throws {
        let directory = try TestPaths.temporaryDirectory("latent-cache")
        defer { try? FileManager.default.removeItem(at: directory) }
        let targets = Tensor(zeros: [3, 4, 2])
        for i in 0 ..< targets.count { targets.pointer[i] = Float(i) * 0.5 - 3 }
        let cache = LatentCache(directory: directory, target: .latent, validation: false, key: "weights-a")
        try cache.save(targets)
        #expect(cache.load(shape: [3, 4, 2])?.values == targets.values)
        #expect(cache.load(shape: [3, 4, 3]) == nil)
        #expect(LatentCache(directory: directory, target: .latent, validation: false, key: "weights-b").load(shape: [3, 4, 2]) == nil)
        #expect(LatentCache(directory: directory, target: .latent, validation: true, key: "weights-a").load(shape: [3, 4, 2]) == nil)
    }

    @Test func theFingerprintFollowsOnlyThePartsATargetIsComputedWith() throws {
        let folder = try TestPaths.temporaryDirectory("latent-fingerprint")
        defer { try? FileManager.default.removeItem(at: folder) }
        func write(_ part: String, bytes: Int) throws {
            let directory = folder.appendingPathComponent(part)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(repeating: 1, count: bytes).write(to: directory.appendingPathComponent("model.safetensors"))
        }
        for part in ["encoder", "fae_encoder", "feature_decoder", "pixel_decoder"] { try write(part, bytes: 8) }
        let latent = LatentCache.fingerprint(faeDirectory: folder, target: .latent)
        let features = LatentCache.fingerprint(faeDirectory: folder, target: .features)

        try write("pixel_decoder", bytes: 16)                     // a retrained pixel decoder
        try write("feature_decoder", bytes: 16)
        #expect(LatentCache.fingerprint(faeDirectory: folder, target: .latent) == latent)
        #expect(LatentCache.fingerprint(faeDirectory: folder, target: .features) == features)

        try write("fae_encoder", bytes: 16)                       // a retrained FAE encoder
        #expect(LatentCache.fingerprint(faeDirectory: folder, target: .latent) != latent)
        #expect(LatentCache.fingerprint(faeDirectory: folder, target: .features) == features)

        try write("encoder", bytes: 16)
        #expect(LatentCache.fingerprint(faeDirectory: folder, target: .features) != features)

        // A copied model folder keeps its key (the caches in it stay valid).
        let copy = folder.deletingLastPathComponent().appendingPathComponent(folder.lastPathComponent + "-copy")
        defer { try? FileManager.default.removeItem(at: copy) }
        try FileManager.default.copyItem(at: folder, to: copy)
        #expect(LatentCache.fingerprint(faeDirectory: copy, target: .latent) == LatentCache.fingerprint(faeDirectory: folder, target: .latent))
        #expect(LatentCache.fingerprint(faeDirectory: copy, target: .latent).hasPrefix("encoder:sha256:"))
    }
}
