/// Multi-head self-attention: x (B, T, C) -> (B, T, C).
///
/// q, k and v are row blocks of one packed (3I, C) weight (I = heads * headDim), so the three
/// projections run as a single GEMM into a packed (B, T, 3I) activation that the attention op reads
/// in place. Options: an additive score bias (H, T, T) with its gradient (T5 relative positions),
/// a key mask (B, T), rotary embeddings on q and k, and a custom score scale.
public final class MultiHeadAttention: Module {
    public let dim: Int, heads: Int, headDim: Int
    public var innerDim: Int { heads * headDim }
    public let query: Linear, key: Linear, value: Linear, output: Linear
    public var names: AttentionNames
    public var scale: Float
    /// Rotary embedding applied to q and k after projection (nil = none).
    public var rope: RoPETable?
    public var needsInputGradient = true

    private let qkvWeight: Parameter, qkvBias: Parameter?
    private var input: Tensor?, bias: Tensor?, keyMask: Tensor?
    private let qkvSlot = TensorSlot(), attnSlot = TensorSlot(), lseSlot = TensorSlot()
    private let dqkvSlot = TensorSlot(), dxSlot = TensorSlot()

    public init(dim: Int, heads: Int, headDim: Int? = nil, bias: Bool = true, names: AttentionNames = .standard,
                scale: Float? = nil) {
        let hd = headDim ?? dim / heads
        precondition(hd > 0 && (headDim != nil || dim % heads == 0), "dim \(dim) not divisible by \(heads) heads")
        self.dim = dim; self.heads = heads; self.headDim = hd
        self.names = names
        self.scale = scale ?? 1 / Float(hd).squareRoot()
        let inner = heads * hd
        let (w, wParts) = Parameter.packed(3, [inner, dim])
        qkvWeight = w
        var bParts: [Parameter?] = [nil, nil, nil]
        if bias {
            let (b, parts) = Parameter.packed(3, [inner])
            qkvBias = b
            bParts = parts
        } else {
            qkvBias = nil
        }
        query = Linear(weight: wParts[0], bias: bParts[0])
        key = Linear(weight: wParts[1], bias: bParts[1])
        value = Linear(weight: wParts[2], bias: bParts[2])
        output = Linear(inner, dim, bias: bias)
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        query.namedParameters(prefix: prefix + names.query + ".")
            + key.namedParameters(prefix: prefix + names.key + ".")
            + value.namedParameters(prefix: prefix + names.value + ".")
            + output.namedParameters(prefix: prefix + names.output + ".")
    }

    public func initialize(_ rng: inout RandomGenerator) {
        for l in [query, key, value, output] { l.initialize(&rng) }
    }

    /// x (B, T, C); bias (H, T, T) added to the scores; keyMask (B, T) with 1 = attend, 0 = padding.
    public func forward(_ x: Tensor, bias: Tensor? = nil, keyMask: Tensor? = nil) -> Tensor {
        precondition(x.rank == 3 && x.dim(2) == dim, "attention expects (B, T, \(dim)), got \(x.shape)")
        let b = x.dim(0), t = x.dim(1), inner = innerDim
        input = x; self.bias = bias; self.keyMask = keyMask
        let qkv = qkvSlot.tensor(b, t, 3 * inner)                          // (B, T, 3I)
        Ops.linearForward(x: Ops.Matrix(x), weight: Ops.Matrix(qkvWeight.value),
                          bias: qkvBias.map { UnsafePointer($0.value.pointer) }, y: Ops.Matrix(qkv))
        if let rope {
            Ops.ropeApply(rope, x: .init(packed: qkv, index: 0), batch: b, tokens: t, heads: heads)
            Ops.ropeApply(rope, x: .init(packed: qkv, index: 1), batch: b, tokens: t, heads: heads)
        }
        let attn = attnSlot.tensor(b, t, inner)                             // (B, T, I)
        Ops.attentionForward(shape(b, t), q: .init(packed: qkv, index: 0), k: .init(packed: qkv, index: 1),
                             v: .init(packed: qkv, index: 2), out: .init(attn), bias: bias, keyMask: keyMask,
                             lse: lseSlot.tensor(b, heads, t))
        return output.forward(attn)
    }

    /// Accumulates all parameter gradients (and `biasGrad` (H, T, T) when given); returns dx in a
    /// layer-owned buffer (nil when `needsInputGradient` is false).
    @discardableResult
    public func backward(_ dy: Tensor, biasGrad: Tensor? = nil) -> Tensor? {
        guard let x = input else { preconditionFailure("MultiHeadAttention.backward before forward") }
        let b = x.dim(0), t = x.dim(1), inner = innerDim
        let qkv = qkvSlot.tensor(b, t, 3 * inner), attn = attnSlot.tensor(b, t, inner)
        let dAttn = output.backward(dy)!                                       // (B, T, I)
        let dqkv = dqkvSlot.tensor(b, t, 3 * inner)                          // (B, T, 3I)
        Ops.attentionBackward(shape(b, t), q: .init(packed: qkv, index: 0), k: .init(packed: qkv, index: 1),
                              v: .init(packed: qkv, index: 2), out: .init(attn), dOut: .init(dAttn),
                              bias: bias, keyMask: keyMask, lse: lseSlot.tensor(b, heads, t),
                              dq: .init(packed: dqkv, index: 0), dk: .init(packed: dqkv, index: 1),
                              dv: .init(packed: dqkv, index: 2), dBias: biasGrad, accumulate: false)
        if let rope {
            Ops.ropeApply(rope, x: .init(packed: dqkv, index: 0), batch: b, tokens: t, heads: heads, inverse: true)
            Ops.ropeApply(rope, x: .init(packed: dqkv, index: 1), batch: b, tokens: t, heads: heads, inverse: true)
        }
        let dx = needsInputGradient ? dxSlot.tensor(like: x) : nil
        Ops.linearBackward(dy: Ops.Matrix(dqkv), x: Ops.Matrix(x), weight: Ops.Matrix(qkvWeight.value),
                           dx: dx.map(Ops.Matrix.init), dWeight: qkvWeight.frozen ? nil : Ops.Matrix(qkvWeight.grad),
                           dBias: qkvBias.flatMap { $0.frozen ? nil : $0.grad.pointer }, accumulate: false)
        return dx
    }

    private func shape(_ b: Int, _ t: Int) -> Ops.AttentionShape {
        Ops.AttentionShape(batch: b, heads: heads, headDim: headDim, queries: t, keys: t, scale: scale)
    }
}
