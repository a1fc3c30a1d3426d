/// EMA of parameter values: shadow = decay * shadow + (1 - decay) * value after each step.
/// Shadows are allocated once (initialised to the current values).
public final class ExponentialMovingAverage {
    public var decay: Float
    public let names: [String]
    private let params: [Parameter]
    public let shadows: [Tensor]

    public init(_ named: [(String, Parameter)], decay: Float = 0.999) {
        self.decay = decay
        names = named.map(\.0)
        params = named.map(\.1)
        shadows = params.map { p in let t = Tensor(zeros: p.shape); t.copy(from: p.value); return t }
    }

    public func update() {
        let d = decay
        for (p, s) in zip(params, shadows) {
            let w = p.value.pointer, e = s.pointer
            Parallel.chunks(p.value.count, minChunk: 16384) { r in for i in r { e[i] = d * e[i] + (1 - d) * w[i] } }
        }
    }

    /// Copies the averaged weights into the live parameters (for sampling or saving).
    public func copyToParameters() { for (p, s) in zip(params, shadows) { p.value.copy(from: s) } }

    /// Exchanges the averaged and the live weights in place; a second call undoes the first (to
    /// evaluate the averaged weights in the middle of training without allocating a copy).
    public func swapWithParameters() {
        for (p, s) in zip(params, shadows) {
            let w = p.value.pointer, e = s.pointer
            for i in 0..<p.value.count { (w[i], e[i]) = (e[i], w[i]) }
        }
    }

    /// The averaged weights by parameter name (for checkpoints).
    public var namedShadows: [(String, Tensor)] { Array(zip(names, shadows)) }
}
