/// 2-D bicubic resampling with PyTorch's `F.interpolate(mode: "bicubic", antialias: false)` semantics.
///
/// DINOv2 resizes its learned position grid with this when the input is not the training size, so
/// it must agree with PyTorch to float rounding:
/// - cubic convolution with A = -0.75 (Keys), 4 taps per axis, indices clamped to the border;
/// - source coordinate `scale * (dst + 0.5) - 0.5` (`align_corners: false`, not clamped at 0 for
///   cubic) or `scale * dst` (`align_corners: true`);
/// - `scale = in / out` when the output size is given; `1 / scaleFactor` when a scale factor is
///   given (the `scale_factor` path with `recompute_scale_factor` unset), whose output size is
///   `floor(in * scaleFactor)`;
/// - arithmetic in Float, rows (W) interpolated first, then combined along H, summed tap by tap.
public enum BicubicInterpolation {
    /// How the output grid is specified, as the two F.interpolate arguments.
    public enum Target: Equatable, Sendable {
        case size(height: Int, width: Int)
        case scaleFactor(height: Double, width: Double)
    }

    /// Output (height, width) for an input of the given size.
    public static func outputSize(inputHeight: Int, inputWidth: Int, target: Target) -> (height: Int, width: Int) {
        switch target {
        case .size(let height, let width):
            return (height, width)
        case .scaleFactor(let sh, let sw):
            // PyTorch truncates the double product to int64 (floor for positive sizes).
            return (Int((Double(inputHeight) * sh).rounded(.down)), Int((Double(inputWidth) * sw).rounded(.down)))
        }
    }

    /// Resamples `channels` planes of `inputHeight x inputWidth` (row-major, (C, H, W); fold a
    /// batch into C) into `output`, which must hold `channels * outH * outW` values.
    public static func interpolate(_ input: UnsafeBufferPointer<Float>, channels: Int, inputHeight: Int, inputWidth: Int,
                                   target: Target, alignCorners: Bool = false,
                                   into output: UnsafeMutableBufferPointer<Float>) {
        let (outH, outW) = outputSize(inputHeight: inputHeight, inputWidth: inputWidth, target: target)
        precondition(channels >= 0 && inputHeight > 0 && inputWidth > 0 && outH > 0 && outW > 0, "empty interpolation grid")
        precondition(input.count == channels * inputHeight * inputWidth, "input size does not match (C, H, W)")
        precondition(output.count == channels * outH * outW, "output size does not match (C, outH, outW)")
        let scaleH: Double?, scaleW: Double?
        if case .scaleFactor(let sh, let sw) = target { (scaleH, scaleW) = (sh, sw) } else { (scaleH, scaleW) = (nil, nil) }
        let rows = taps(inputSize: inputHeight, outputSize: outH, scaleFactor: scaleH, alignCorners: alignCorners)
        let cols = taps(inputSize: inputWidth, outputSize: outW, scaleFactor: scaleW, alignCorners: alignCorners)

        guard let source = input.baseAddress, let target = output.baseAddress else { return }  // channels == 0
        let planeIn = inputHeight * inputWidth, planeOut = outH * outW
        for c in 0 ..< channels {
            let src = source + c * planeIn
            let dst = target + c * planeOut
            for oy in 0 ..< outH {
                let ry = rows[oy]
                for ox in 0 ..< outW {
                    let rx = cols[ox]
                    var sum: Float = 0
                    for j in 0 ..< 4 {
                        let line = src + ry.index[j] * inputWidth
                        var row = line[rx.index[0]] * rx.weight[0]
                        row += line[rx.index[1]] * rx.weight[1]
                        row += line[rx.index[2]] * rx.weight[2]
                        row += line[rx.index[3]] * rx.weight[3]
                        sum = j == 0 ? row * ry.weight[0] : sum + row * ry.weight[j]
                    }
                    dst[oy * outW + ox] = sum
                }
            }
        }
    }

    /// Convenience over arrays; returns (values, outH, outW).
    public static func interpolate(_ input: [Float], channels: Int, inputHeight: Int, inputWidth: Int,
                                   target: Target, alignCorners: Bool = false) -> (values: [Float], height: Int, width: Int) {
        let (outH, outW) = outputSize(inputHeight: inputHeight, inputWidth: inputWidth, target: target)
        var out = [Float](repeating: 0, count: channels * max(outH, 0) * max(outW, 0))
        input.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                interpolate(src, channels: channels, inputHeight: inputHeight, inputWidth: inputWidth,
                            target: target, alignCorners: alignCorners, into: dst)
            }
        }
        return (out, outH, outW)
    }

    static func taps(inputSize: Int, outputSize: Int, scaleFactor: Double?, alignCorners: Bool) -> [Taps] {
        // area_pixel_compute_scale: computed in double, then rounded to float like PyTorch's opmath.
        let scale: Float
        if alignCorners {
            scale = outputSize > 1 ? Float(inputSize - 1) / Float(outputSize - 1) : 0
        } else if let factor = scaleFactor, factor > 0 {
            scale = Float(1.0 / factor)
        } else {
            scale = Float(inputSize) / Float(outputSize)
        }
        let a: Float = -0.75
        return (0 ..< outputSize).map { dst in
            let real = alignCorners ? scale * Float(dst) : scale * (Float(dst) + 0.5) - 0.5
            // guard_index_and_lambda: floor, capped at the last index; lambda kept in [0, 1].
            let base = min(Int(real.rounded(.down)), inputSize - 1)
            let t = min(max(real - Float(base), 0), 1)
            let x1 = t, x2 = 1 - t
            let w0 = ((a * (x1 + 1) - 5 * a) * (x1 + 1) + 8 * a) * (x1 + 1) - 4 * a
            let w1 = ((a + 2) * x1 - (a + 3)) * x1 * x1 + 1
            let w2 = ((a + 2) * x2 - (a + 3)) * x2 * x2 + 1
            let w3 = ((a * (x2 + 1) - 5 * a) * (x2 + 1) + 8 * a) * (x2 + 1) - 4 * a
            let clamp = { (i: Int) in min(max(i, 0), inputSize - 1) }
            return Taps(index: [clamp(base - 1), clamp(base), clamp(base + 1), clamp(base + 2)], weight: [w0, w1, w2, w3])
        }
    }

    /// Taps of one output coordinate: 4 clamped source indices and their cubic weights.
    struct Taps {
        let index: [Int]
        let weight: [Float]
    }
}
