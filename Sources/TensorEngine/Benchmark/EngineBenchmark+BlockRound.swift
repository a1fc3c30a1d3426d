extension EngineBenchmark {
    /// One pre-norm ViT block (GELU MLP 4x) with fixed input and output gradient.
    final class BlockRound {
        let block: TransformerBlock
        let x: Tensor, dy: Tensor

        init(batch: Int, tokens: Int, dim: Int, heads: Int) {
            var rng = RandomGenerator(seed: 2)
            block = TransformerBlock(TransformerBlockConfig(dim: dim, heads: heads))
            block.initialize(&rng)
            x = Tensor(zeros: [batch, tokens, dim]); dy = Tensor(zeros: [batch, tokens, dim])
            rng.fillNormal(x); rng.fillNormal(dy, std: 0.01)
        }

        func forward() { _ = block.forward(x) }
        func forwardBackward() { _ = block.forward(x); block.backward(dy) }
    }
}
