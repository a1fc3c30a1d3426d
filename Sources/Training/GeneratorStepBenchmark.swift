import Dispatch
import Foundation
import Models
import TensorEngine

/// `fae-t2i bench train`: the generator's training step (forward and backward of the MMDiT and its
/// T5 text encoder, the default sizes, random weights and data) with every op split across the
/// threads, against data parallelism (one model copy per thread, `DataParallelGenerator`).
public enum GeneratorStepBenchmark {
    public struct Result: Sendable {
        public let threads: Int, batchSize: Int, textTokens: Int
        /// Samples per second of the best round, ops split across the threads.
        public let splitOpsSamplesPerSecond: Double
        /// Samples per second of the best round, one model copy per thread.
        public let dataParallelSamplesPerSecond: Double
        public var speedup: Double { dataParallelSamplesPerSecond / splitOpsSamplesPerSecond }
        /// The largest difference between the two modes' gradients, relative to the largest gradient.
        public let gradientDifference: Double
    }

    /// The latent the shipped FAE gives a 64 x 64 image: 8 x 8 tokens of 16 channels.
    static let (grid, channels) = (8, 16)
    /// Words in a typical training caption; the rest of the `textTokens` is padding.
    static let captionTokens = 12

    /// Times `rounds` steps of each mode with `threads` threads (sets `Engine.threads`), the two
    /// interleaved so both see the same machine load; each figure is the best round.
    public static func run(configuration: GeneratorConfiguration = GeneratorConfiguration(), batchSize: Int = 64,
                           threads: Int, rounds: Int) throws -> Result {
        Engine.threads = threads
        let t = configuration.textTokens, n = grid * grid
        let mmdit = try MMDiT(config: configuration.generatorConfig(channels: channels, grid: grid))
        mmdit.initialize(seed: 0)
        let textEncoder = try T5Encoder(config: configuration.textEncoderConfig(vocabularySize: 1000, padID: 0, eosID: 1))
        textEncoder.initialize(seed: 1)
        let primary = GeneratorReplica(mmdit: mmdit, textEncoder: textEncoder)
        let splitOps = try DataParallelGenerator(primary: primary, count: 1)
        let dataParallel = try DataParallelGenerator(primary: primary, count: threads)

        var rng = RandomGenerator(seed: 7)
        let xt = Tensor(zeros: [batchSize, n, channels]), target = Tensor(zeros: [batchSize, n, channels])
        let timesteps = Tensor(zeros: [batchSize]), dVelocity = Tensor(zeros: [batchSize, n, channels])
        rng.fillNormal(xt)
        rng.fillNormal(target)
        for i in 0 ..< batchSize { timesteps.pointer[i] = rng.uniform() }
        var ids = [Int32](repeating: 0, count: batchSize * t), mask = [Int32](repeating: 0, count: batchSize * t)
        for r in 0 ..< batchSize {
            for k in 0 ..< min(captionTokens, t) {
                ids[r * t + k] = k == min(captionTokens, t) - 1 ? 1 : Int32(2 + Int(rng.uniform() * 997))
                mask[r * t + k] = 1
            }
        }

        func step(_ generator: DataParallelGenerator) throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            for p in primary.parameters { p.zeroGrad() }
            _ = try generator.lossAndGradients(xt: xt, timesteps: timesteps, target: target, ids: ids, mask: mask,
                                               textTokens: t, dVelocity: dVelocity)
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        // Warm-up (sizes every buffer) and the check that both modes compute the same gradient.
        _ = try step(splitOps)
        let reference = primary.parameters.map(\.grad.values)
        _ = try step(dataParallel)
        var largest: Float = 0, difference: Float = 0
        for (p, expected) in zip(primary.parameters, reference) {
            for i in 0 ..< expected.count {
                largest = max(largest, abs(expected[i]))
                difference = max(difference, abs(expected[i] - p.grad.pointer[i]))
            }
        }

        var best = (split: Double.infinity, parallel: Double.infinity)
        for _ in 0 ..< rounds {
            best.split = min(best.split, try step(splitOps))
            best.parallel = min(best.parallel, try step(dataParallel))
        }
        return Result(threads: threads, batchSize: batchSize, textTokens: t,
                      splitOpsSamplesPerSecond: Double(batchSize) / best.split,
                      dataParallelSamplesPerSecond: Double(batchSize) / best.parallel,
                      gradientDifference: Double(difference / max(largest, .leastNormalMagnitude)))
    }
}
