import Foundation
import Testing
import Models
import TensorEngine

/// Training throughput of the FAE steps (forward + backward + AdamW), opt-in and meaningful only in
/// release: `FAE_T2I_BENCH=1 swift test -c release --filter FAEThroughputTests`. Prints samples/s;
/// each figure is the best of several timed rounds, as the 2 cores are shared.
@Suite(.serialized) struct FAEThroughputTests {
    static let enabled = ProcessInfo.processInfo.environment["FAE_T2I_BENCH"] == "1"
    static let batch = 32, rounds = 5, stepsPerRound = 4

    /// Best wall-clock samples/s, and samples per CPU-second of the process (with
    /// FAE_T2I_THREADS=1 the latter is the single-core rate, robust to other users' load).
    static func bestRate(_ step: () -> Void) -> String {
        step(); step()                                                    // warm-up: buffers, scratch, pool
        var best = 0.0, bestCPU = 0.0
        for _ in 0 ..< rounds {
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = cpuSeconds()
            for _ in 0 ..< stepsPerRound { step() }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            best = max(best, Double(batch * stepsPerRound) / seconds)
            bestCPU = max(bestCPU, Double(batch * stepsPerRound) / (cpuSeconds() - cpuStart))
        }
        return String(format: "%.1f samples/s (%.1f samples per CPU-second)", best, bestCPU)
    }

    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    @Test(.enabled(if: enabled), arguments: [(192, 3), (128, 2)])
    func featureStep(width: Int, depth: Int) throws {
        var config = FAEConfig()                                          // C 192, 64 tokens, d 16, 4 x 128 heads
        config.featureDecoderWidth = width; config.featureDecoderDepth = depth; config.featureDecoderHeads = width / 64
        let encoder = try FAEEncoder(config: config), decoder = try FeatureDecoder(config: config)
        let x = FAETestSupport.random([Self.batch, config.tokens, config.encoderWidth], seed: 1)
        let optimizer = AdamW(encoder.namedParameters(prefix: "e.") + decoder.namedParameters(prefix: "d."), learningRate: 1e-4)
        let step = FAETrainingStep()
        var rng = RandomGenerator(seed: 2)
        let rate = Self.bestRate {
            optimizer.zeroGrad()
            _ = step.feature(encoder: encoder, decoder: decoder, features: x, beta: 1e-6, rng: &rng)
            optimizer.step()
        }
        print("FAE step (encoder 4x128 heads, d 16, feature decoder width \(width) depth \(depth), batch \(Self.batch), \(Engine.threads) threads): \(rate)")
    }

    @Test(.enabled(if: enabled))
    func pixelStep() throws {
        let config = FAEConfig()                                          // width 128, depth 2, k 16, two 3x3 convs
        let decoder = try PixelDecoder(config: config)
        let x = FAETestSupport.random([Self.batch, config.tokens, config.encoderWidth], seed: 1)
        let images = FAETestSupport.random([Self.batch, 3, 64, 64], seed: 2)
        let weight = Tensor(zeros: [Self.batch, 1, 64, 64])
        weight.fill(1)
        let optimizer = AdamW(decoder.namedParameters(prefix: ""), learningRate: 1e-4)
        let step = FAETrainingStep()
        let rate = Self.bestRate {
            optimizer.zeroGrad()
            step.pixel(decoder: decoder, features: x, images: images, weight: weight, loss: .l1)
            optimizer.step()
        }
        print("pixel decoder step (width 128, depth 2, k 16, batch \(Self.batch), \(Engine.threads) threads): \(rate)")
    }
}
