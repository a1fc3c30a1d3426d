extension Ops {
    // Reassembles per-token patch vectors into an image-shaped map (the inverse of a patch
    // embedding's im2col): tokens (B, gh*gw, k*p*p) with each vector laid out (k, py, px), as
    // PyTorch's conv-transpose / `unpatchify` does, -> map (B, k, gh*p, gw*p).

    /// map[b, c, gy*p + py, gx*p + px] = tokens[b, gy*gw + gx, (c*p + py)*p + px].
    public static func unpatchifyForward(_ tokens: Tensor, channels: Int, patch: Int, gridHeight: Int, gridWidth: Int, map: Tensor) {
        precondition(tokens.count == map.count && tokens.count == tokens.dim(0) * gridHeight * gridWidth * channels * patch * patch,
                     "unpatchify shapes \(tokens.shape) -> \(map.shape)")
        unpatchifyCopy(tokens.pointer, map.pointer, batch: tokens.dim(0), channels: channels, patch: patch,
                       gridHeight: gridHeight, gridWidth: gridWidth, toMap: true)
    }

    /// Backward of `unpatchifyForward` (a permutation): dTokens = the inverse reordering of dMap.
    public static func unpatchifyBackward(dMap: Tensor, channels: Int, patch: Int, gridHeight: Int, gridWidth: Int, dTokens: Tensor) {
        precondition(dTokens.count == dMap.count, "unpatchify gradient shapes")
        unpatchifyCopy(dTokens.pointer, dMap.pointer, batch: dTokens.dim(0), channels: channels, patch: patch,
                       gridHeight: gridHeight, gridWidth: gridWidth, toMap: false)
    }

    /// Copies runs of `patch` floats between the token and map layouts, in either direction.
    private static func unpatchifyCopy(_ tokens: UnsafeMutablePointer<Float>, _ map: UnsafeMutablePointer<Float>,
                                       batch: Int, channels: Int, patch p: Int, gridHeight: Int, gridWidth: Int, toMap: Bool) {
        let h = gridHeight * p, w = gridWidth * p, perToken = channels * p * p, t = gridHeight * gridWidth
        Parallel.chunks(batch * t, minChunk: 16) { range in
            for bt in range {
                let b = bt / t, tok = bt % t, gy = tok / gridWidth, gx = tok % gridWidth
                let src = tokens + bt * perToken
                for c in 0..<channels {
                    for py in 0..<p {
                        let m = map + ((b * channels + c) * h + gy * p + py) * w + gx * p
                        let v = src + (c * p + py) * p
                        if toMap { m.update(from: v, count: p) } else { v.update(from: m, count: p) }
                    }
                }
            }
        }
    }
}
