extension Array where Element == TransformerBlock {
    /// The blocks in order, without bias or mask: x (B, T, D) -> (B, T, D).
    public func forward(_ x: Tensor) -> Tensor {
        reduce(x) { h, block in block.forward(h) }
    }

    /// Backward of `forward`, last block first: accumulates the blocks' gradients; returns d x (B, T, D).
    public func backward(_ dy: Tensor) -> Tensor {
        reversed().reduce(dy) { g, block in block.backward(g) }
    }
}
