import TensorEngine

/// Encoded text for the sampler: hidden states (R, T, Ct) and mask (R, T) with R = 1 (shared by
/// every image) or R = the number of images.
public struct TextCondition {
    public var hidden: Tensor
    public var mask: Tensor

    public init(hidden: Tensor, mask: Tensor) throws {
        guard hidden.rank == 3, mask.count == hidden.dim(0) * hidden.dim(1) else {
            throw SamplerError(.invalidInput, "text condition: hidden (R, T, C) \(hidden.shape) and mask (R, T) \(mask.shape) disagree")
        }
        self.hidden = hidden
        self.mask = mask
    }

    public var rows: Int { hidden.dim(0) }
    public var tokens: Int { hidden.dim(1) }
    public var width: Int { hidden.dim(2) }

    /// Copies row `i` (or row 0 when shared) into row `dst` of hidden (B', T, Ct) / mask (B', T).
    func copyRow(_ i: Int, toRow dst: Int, hidden h: Tensor, mask m: Tensor) {
        let r = rows == 1 ? 0 : i, tc = tokens * width, t = tokens
        (h.pointer + dst * tc).update(from: hidden.pointer + r * tc, count: tc)
        (m.pointer + dst * t).update(from: mask.pointer + r * t, count: t)
    }
}
