import ArgumentParser
import Foundation
import Models
import Training

/// The frozen visual encoder and the cache of its features of `--data`: the FAE and the pixel
/// decoder stages read both, with the same defaults inside the model folder.
struct FrozenEncoderArguments: ParsableArguments {
    @Option(help: "Frozen visual encoder folder (default: <out>/encoder).") var encoder: String?
    @Option(name: .customLong("feature-cache"), help: "Feature cache file (default: <out>/runs/features-train.f32).") var featureCache: String?

    func encoderDirectory(_ data: StageData) -> URL {
        encoder.map { URL(fileURLWithPath: $0) } ?? data.out.appendingPathComponent(ModelLayout.encoderFolder)
    }

    func featureCacheFile(_ data: StageData) -> URL {
        featureCache.map { URL(fileURLWithPath: $0) } ?? FeatureCache.defaultFile(in: data.out)
    }
}
