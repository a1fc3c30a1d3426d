import Foundation

/// Precomputed rotary-embedding angles: cos and sin tables (tokens, headDim / 2), one angle per
/// rotated pair of channels.
public struct RoPETable {
    public enum Pairing: String, Codable, Sendable {
        /// Channel i pairs with i + D/2 (GPT-NeoX / LLaMA "rotate half").
        case half
        /// Channel 2i pairs with 2i + 1 (original RoFormer).
        case interleaved
    }

    public let tokens: Int
    public let headDim: Int
    public let pairing: Pairing
    public let cos: Tensor   // (T, D/2)
    public let sin: Tensor   // (T, D/2)

    /// 1D positions 0..<tokens, frequencies theta^(-2i/D).
    public init(tokens: Int, headDim: Int, theta: Float = 10000, pairing: Pairing = .half) throws {
        guard headDim % 2 == 0 else { throw TensorEngineError(.invalidArgument, "RoPE head dim must be even, got \(headDim)") }
        try Self.checkTheta(theta)
        let half = headDim / 2
        try self.init(tokens: tokens, headDim: headDim, pairing: pairing) { t, i in
            Double(t) * Foundation.pow(Double(theta), -Double(i) / Double(half))
        }
    }

    /// 2D positions on a (height, width) grid in row-major token order: the first half of the pairs
    /// rotate with the row index, the second half with the column index, each half using frequencies
    /// theta^(-j / (D/4)). `prefixTokens` leading tokens (CLS, registers, text) get angle 0.
    public init(gridHeight: Int, gridWidth: Int, headDim: Int, theta: Float = 10000,
                pairing: Pairing = .half, prefixTokens: Int = 0) throws {
        guard headDim % 4 == 0 else { throw TensorEngineError(.invalidArgument, "2D RoPE head dim must be a multiple of 4, got \(headDim)") }
        try Self.checkTheta(theta)
        // Checked arithmetic: release builds of this module drop overflow traps, and a wrapped
        // token count would size the tables wrongly.
        let (cells, gridOverflow) = gridHeight.multipliedReportingOverflow(by: gridWidth)
        let (tokens, prefixOverflow) = cells.addingReportingOverflow(prefixTokens)
        guard gridHeight > 0, gridWidth > 0, prefixTokens >= 0, !gridOverflow, !prefixOverflow else {
            throw TensorEngineError(.invalidArgument, "2D RoPE needs a positive grid that fits Int, got \(gridHeight) x \(gridWidth) + \(prefixTokens)")
        }
        let quarter = headDim / 4
        try self.init(tokens: tokens, headDim: headDim, pairing: pairing) { t, i in
            guard t >= prefixTokens else { return 0 }
            let p = t - prefixTokens
            let pos = i < quarter ? p / gridWidth : p % gridWidth
            let j = i % quarter
            return Double(pos) * Foundation.pow(Double(theta), -Double(j) / Double(quarter))
        }
    }

    /// Table from an explicit angle function angle(token, pair).
    public init(tokens: Int, headDim: Int, pairing: Pairing, angle: (Int, Int) -> Double) throws {
        guard headDim % 2 == 0, headDim > 0, tokens >= 0 else {
            throw TensorEngineError(.invalidArgument, "RoPE needs an even positive head dim and tokens >= 0, got \(headDim) and \(tokens)")
        }
        let half = headDim / 2
        guard !tokens.multipliedReportingOverflow(by: half).overflow else {
            throw TensorEngineError(.invalidArgument, "RoPE table of \(tokens) tokens x \(half) pairs overflows Int")
        }
        self.tokens = tokens
        self.headDim = headDim
        self.pairing = pairing
        cos = Tensor(zeros: [tokens, half])
        sin = Tensor(zeros: [tokens, half])
        for t in 0..<tokens {
            for i in 0..<half {
                let a = angle(t, i)
                cos.pointer[t * half + i] = Float(Foundation.cos(a))
                sin.pointer[t * half + i] = Float(Foundation.sin(a))
            }
        }
    }

    /// theta^(-x) is infinite for theta 0 and NaN for a negative or NaN theta: every rotated
    /// query would be NaN.
    private static func checkTheta(_ theta: Float) throws {
        guard theta.isFinite, theta > 0 else {
            throw TensorEngineError(.invalidArgument, "RoPE theta must be finite and positive, got \(theta)")
        }
    }
}
