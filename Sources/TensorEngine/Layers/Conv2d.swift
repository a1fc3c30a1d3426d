/// 2D convolution, stride 1, "same" zero padding by default: x (B, Cin, H, W) -> (B, Cout, H, W).
/// Parameters in PyTorch `nn.Conv2d` layout and names: `weight` (Cout, Cin, k, k), `bias` (Cout).
public final class Conv2d: Module {
    public let inChannels: Int, outChannels: Int, kernel: Int, padding: Int
    public let weight: Parameter
    public let bias: Parameter?
    /// Set false when the input is data, to skip the col2im pass of backward.
    public var needsInputGradient = true

    private var input: Tensor?, shape: Ops.ConvShape?
    private let columnsSlot = TensorSlot(), outSlot = TensorSlot(), dxSlot = TensorSlot()

    public init(_ inChannels: Int, _ outChannels: Int, kernel: Int = 3, padding: Int? = nil, bias: Bool = true) {
        precondition(kernel > 0 && inChannels > 0 && outChannels > 0, "Conv2d sizes")
        self.inChannels = inChannels; self.outChannels = outChannels; self.kernel = kernel
        self.padding = padding ?? kernel / 2
        weight = Parameter([outChannels, inChannels, kernel, kernel])
        self.bias = bias ? Parameter([outChannels]) : nil
    }

    public func namedParameters(prefix: String) -> [(String, Parameter)] {
        var r = [(prefix + "weight", weight)]
        if let bias { r.append((prefix + "bias", bias)) }
        return r
    }

    /// PyTorch's default init: U(-1/sqrt(fan_in), 1/sqrt(fan_in)), fan_in = Cin * k * k.
    public func initialize(_ rng: inout RandomGenerator) {
        let bound = 1 / Float(inChannels * kernel * kernel).squareRoot()
        rng.fillUniform(weight.value, low: -bound, high: bound)
        if let bias { rng.fillUniform(bias.value, low: -bound, high: bound) }
    }

    /// x (B, Cin, H, W) -> y (B, Cout, Ho, Wo) in a layer-owned buffer.
    public func forward(_ x: Tensor) -> Tensor {
        precondition(x.rank == 4 && x.dim(1) == inChannels, "Conv2d expects (B, \(inChannels), H, W), got \(x.shape)")
        let s = Ops.ConvShape(batch: x.dim(0), inChannels: inChannels, outChannels: outChannels,
                              height: x.dim(2), width: x.dim(3), kernel: kernel, padding: padding)
        precondition(s.outHeight > 0 && s.outWidth > 0, "Conv2d input \(x.shape) smaller than the kernel")
        input = x; shape = s
        let y = outSlot.tensor(s.batch, outChannels, s.outHeight, s.outWidth)
        Ops.conv2dForward(s, x: x, weight: weight.value, bias: bias?.value, y: y,
                          columns: columnsSlot.tensor(s.batch, s.columnRows, s.outPixels))
        return y
    }

    /// Accumulates dW, db; returns dx in a layer-owned buffer (nil when `needsInputGradient` is false).
    @discardableResult
    public func backward(_ dy: Tensor) -> Tensor? {
        guard let x = input, let s = shape else { preconditionFailure("Conv2d.backward before forward") }
        let dx = needsInputGradient ? dxSlot.tensor(x.shape) : nil
        Ops.conv2dBackward(s, dy: dy, weight: weight.value, columns: columnsSlot.tensor(s.batch, s.columnRows, s.outPixels),
                           dx: dx, dWeight: weight.frozen ? nil : weight.grad,
                           dBias: bias.flatMap { $0.frozen ? nil : $0.grad }, accumulate: false)
        return dx
    }
}
