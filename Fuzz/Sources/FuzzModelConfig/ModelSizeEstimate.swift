import Models

/// A rough count of the values a model allocates for a config (weights and tables, within a small
/// factor), from the magnitudes of its sizes so that it never overflows.
enum ModelSizeEstimate {
    /// Configs in this band are not loaded: a model of a few million to a few billion values may be
    /// one the loaders rightly accept, and building it on every input would stall the fuzzer. Above
    /// it every loader must refuse the config before allocating (ConfigLimits), so those are loaded.
    static let skipped = 4_000_000.0 ..< 4_000_000_000.0

    private static func m(_ value: Int) -> Double { Double(value.magnitude) }
    private static func m(_ value: Double) -> Double { value.isFinite ? value.magnitude : .infinity }

    static func values(_ c: Dinov2Config) -> Double {
        let h = m(c.hiddenSize), layers = m(c.numHiddenLayers), inner = h * m(c.mlpRatio)
        let grid = (m(c.imageSize.height) / max(m(c.patchSize.height), 1)) * (m(c.imageSize.width) / max(m(c.patchSize.width), 1))
        let patch = m(c.patchSize.height) * m(c.patchSize.width) * m(c.numChannels)
        return layers * (4 * h * h + 3 * h * inner + 10 * h) + (grid + 1 + m(c.numRegisterTokens)) * h + patch * h
            + layers + grid + patch + inner + m(c.numAttentionHeads)
    }

    static func values(_ c: T5Config) -> Double {
        let d = m(c.dModel), inner = m(c.numHeads) * m(c.dKV), ff = m(c.dFF)
        return m(c.vocabSize) * d + m(c.numLayers) * (4 * d * inner + 3 * d * ff + 2 * d)
            + m(c.relativeAttentionNumBuckets) * m(c.numHeads) + m(c.vocabSize) + m(c.numLayers) + inner + ff
            + m(c.relativeAttentionNumBuckets) + m(c.relativeAttentionMaxDistance)
    }

    static func values(_ c: FAEConfig) -> Double {
        let encoder = m(c.encoderWidth), heads = m(c.encoderHeads) * m(c.encoderHeadDim)
        let feature = m(c.featureDecoderWidth), pixel = m(c.pixelDecoderWidth), mlp = m(c.mlpRatio)
        let patch = m(c.patchSize), grid = m(c.imageSize) / max(patch, 1), tokens = grid * grid
        let map = m(c.pixelDecoderMapChannels), channels = m(c.imageChannels)
        return encoder * heads * 4 + m(c.latentChannels) * (encoder + feature) * 4
            + (m(c.featureDecoderDepth) + 1) * feature * feature * (4 + 3 * mlp)
            + (m(c.pixelDecoderDepth) + 1) * pixel * pixel * (4 + 3 * mlp)
            + pixel * map * patch * patch + map * map * 18 + map * channels * 18 + patch * patch * channels * encoder
            + tokens * (encoder + feature + pixel + heads) + m(c.imageSize) * m(c.imageSize) * channels
            + m(c.featureDecoderDepth) + m(c.pixelDecoderDepth) + m(c.featureDecoderHeads) + m(c.pixelDecoderHeads)
    }

    static func values(_ c: MMDiTConfig) -> Double {
        let w = m(c.width), mlp = m(c.mlpRatio) * w, tokens = m(c.gridHeight) * m(c.gridWidth)
        return m(c.depth) * (2 * (4 * w * w + 3 * w * mlp) + 12 * w * w) + m(c.textWidth) * w + m(c.latentChannels) * w * 2
            + m(c.maxTextTokens) * w + m(c.timestepEmbeddingDim) * w + 8 * w * w + tokens * w
            + m(c.depth) + tokens + m(c.maxTextTokens) + m(c.timestepEmbeddingDim) + m(c.heads) + m(c.patchSize)
    }
}
