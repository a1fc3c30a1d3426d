/// A DINOv2-shaped ViT forward built from engine layers (random weights) for the benchmark:
/// patch embedding, CLS token, learned positions, pre-norm blocks with LayerScale, final LayerNorm.
final class ViTBenchmarkModel {
    let patchEmbed: PatchEmbedding
    let cls: Tensor, positions: Tensor          // (1, 1, C), (1, 1 + P, C)
    let blocks: [TransformerBlock]
    let norm: LayerNorm
    private let tokensSlot = TensorSlot()

    init(dim: Int, depth: Int, heads: Int, patch: Int, imageSize: Int, rng: inout RandomGenerator) {
        patchEmbed = PatchEmbedding(channels: 3, dim: dim, patch: patch)
        patchEmbed.initialize(&rng)
        let grid = imageSize / patch
        cls = Tensor(zeros: [1, 1, dim]); rng.fillNormal(cls, std: 0.02)
        positions = Tensor(zeros: [1, 1 + grid * grid, dim]); rng.fillNormal(positions, std: 0.02)
        blocks = (0..<depth).map { _ in
            let b = TransformerBlock(TransformerBlockConfig(dim: dim, heads: heads, layerScale: 1))
            b.initialize(&rng)
            return b
        }
        norm = LayerNorm(dim, eps: 1e-6)
    }

    func forward(_ image: Tensor) throws -> Tensor {
        let patches = try patchEmbed.forward(image)                     // (B, P, C)
        let b = patches.dim(0), p = patches.dim(1), c = patches.dim(2)
        let tokens = tokensSlot.tensor([b, 1 + p, c])                    // (B, 1 + P, C)
        for i in 0..<b {
            Ops.concatForward([cls, patches.slice(first: i..<(i + 1))], axis: 1, y: tokens.slice(first: i..<(i + 1)))
            Ops.addForward(tokens.slice(first: i..<(i + 1)), positions, y: tokens.slice(first: i..<(i + 1)))
        }
        return norm.forward(blocks.forward(tokens))
    }
}
