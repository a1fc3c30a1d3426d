import Models
import TensorEngine

/// A tiny MMDiT (width 16, 2 heads, 2x2 image grid, 3 text tokens) with random inputs for tests.
struct MMDiTFixture {
    static let config = MMDiTConfig(width: 16, depth: 2, heads: 2, latentChannels: 3, gridHeight: 2, gridWidth: 2,
                                    textWidth: 5, maxTextTokens: 3, mlpRatio: 2, timestepEmbeddingDim: 8)
    let model: MMDiT
    let x: Tensor, timesteps: Tensor, text: Tensor, mask: Tensor

    /// `randomize` replaces the adaLN-Zero init by random weights everywhere, so every path carries
    /// gradient. Sample 0 has its last text token masked.
    init(depth: Int = 2, textPositions: Bool = false, randomize: Bool = true, seed: UInt64 = 1) throws {
        var config = Self.config
        config.depth = depth
        config.textPositions = textPositions
        model = try MMDiT(config: config)
        model.initialize(seed: seed)
        var rng = RandomGenerator(seed: seed + 100)
        if randomize { for p in model.parameters { rng.fillNormal(p.value, std: 0.3) } }
        let b = 2
        x = Tensor(zeros: [b, config.imageTokens, config.latentChannels]); rng.fillNormal(x)
        timesteps = try Tensor(shape: [b], values: [0.3, 0.8])
        text = Tensor(zeros: [b, 3, config.textWidth]); rng.fillNormal(text)
        mask = try Tensor(shape: [b, 3], values: [1, 1, 0, 1, 1, 1])
    }

    func forward() throws -> Tensor { try model.forward(x, timesteps: timesteps, text: text, textMask: mask) }

    static func dot(_ a: Tensor, _ b: Tensor) -> Double {
        var s = 0.0
        for i in 0 ..< a.count { s += Double(a.pointer[i]) * Double(b.pointer[i]) }
        return s
    }
}
