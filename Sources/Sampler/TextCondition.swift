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

    /// The conditioning of a batch of `images`: rows [prompt_0 ... prompt_{B-1}] and, when
    /// `guided`, then [negative_0 ... negative_{B-1}] (a shared condition fills every row), into
    /// `hidden` (rows, T, Ct) and `mask` (rows, T). Throws `invalidInput` when a condition has
    /// neither 1 nor B rows or the two disagree in tokens or width.
    static func fillBatch(prompt: TextCondition, negative: TextCondition, images b: Int, guided: Bool,
                          hidden: Tensor, mask: Tensor) throws {
        for (name, c) in [("prompt", prompt), ("negative prompt", negative)] where c.rows != 1 && c.rows != b {
            throw SamplerError(.invalidInput, "\(name) has \(c.rows) rows; need 1 or \(b)")
        }
        guard prompt.tokens == negative.tokens, prompt.width == negative.width else {
            throw SamplerError(.invalidInput, "prompt \(prompt.hidden.shape) and negative prompt \(negative.hidden.shape) must have the same token count and width")
        }
        for i in 0..<b {
            prompt.copyRow(i, toRow: i, hidden: hidden, mask: mask)
            if guided { negative.copyRow(i, toRow: b + i, hidden: hidden, mask: mask) }
        }
    }
}
