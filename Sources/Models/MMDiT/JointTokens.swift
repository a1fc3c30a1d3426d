import TensorEngine

/// Concatenation of the text and image streams along the token axis for joint attention, and its
/// inverse, on raw pointers: `Ops.concatForward` takes an array, which would allocate every step.
enum JointTokens {
    /// joint (B, T + N, C) = [text (B, T, C); image (B, N, C)].
    static func concat(text: Tensor, image: Tensor, into joint: Tensor) {
        let b = joint.dim(0), t = text.dim(1), n = image.dim(1), c = joint.dim(2)
        precondition(t + n == joint.dim(1) && text.dim(2) == c && image.dim(2) == c, "joint token shapes")
        let tp = text.pointer, ip = image.pointer, jp = joint.pointer
        Parallel.chunks(b) { samples in
            for s in samples {
                let row = jp + s * (t + n) * c
                row.update(from: tp + s * t * c, count: t * c)
                (row + t * c).update(from: ip + s * n * c, count: n * c)
            }
        }
    }

    /// Splits joint (B, T + N, C) into text (B, T, C) and image (B, N, C) (either may be nil).
    static func split(_ joint: Tensor, text: Tensor?, image: Tensor?, textTokens t: Int) {
        let b = joint.dim(0), n = joint.dim(1) - t, c = joint.dim(2)
        let jp = joint.pointer, tp = text?.pointer, ip = image?.pointer
        Parallel.chunks(b) { samples in
            for s in samples {
                let row = jp + s * (t + n) * c
                if let tp { (tp + s * t * c).update(from: row, count: t * c) }
                if let ip { (ip + s * n * c).update(from: row + t * c, count: n * c) }
            }
        }
    }

    /// Writes the joint key mask (B, T + N): the text mask, then 1 for every image token.
    static func keyMask(text: Tensor, imageTokens n: Int, into mask: Tensor) {
        let b = text.dim(0), t = text.dim(1)
        let tp = text.pointer, mp = mask.pointer
        for s in 0..<b {
            (mp + s * (t + n)).update(from: tp + s * t, count: t)
            (mp + s * (t + n) + t).update(repeating: 1, count: n)
        }
    }
}
