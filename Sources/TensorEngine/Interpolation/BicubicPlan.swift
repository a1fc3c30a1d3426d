/// A bicubic resampling of one grid size to another with the taps computed once, applied to
/// channels-last grids (H, W, C) — the layout of a ViT's position table — with its backward.
///
/// Same arithmetic as `BicubicInterpolation.interpolate` (PyTorch `upsample_bicubic2d`, rows along W
/// first, then combined along H, tap by tap), only with the channel loop innermost, so results are
/// identical per channel. Applying a plan allocates nothing (models build one per input size).
public struct BicubicPlan: Equatable {
    public let inputHeight: Int, inputWidth: Int
    public let outputHeight: Int, outputWidth: Int
    // 4 taps per output row/column: clamped source indices and cubic weights.
    private let rowIndex: [Int], rowWeight: [Float]
    private let colIndex: [Int], colWeight: [Float]

    public init(inputHeight: Int, inputWidth: Int, target: BicubicInterpolation.Target, alignCorners: Bool = false) {
        let (outH, outW) = BicubicInterpolation.outputSize(inputHeight: inputHeight, inputWidth: inputWidth, target: target)
        precondition(inputHeight > 0 && inputWidth > 0 && outH > 0 && outW > 0, "empty interpolation grid")
        var scaleH: Double?, scaleW: Double?
        if case .scaleFactor(let sh, let sw) = target { (scaleH, scaleW) = (sh, sw) }
        let rows = BicubicInterpolation.taps(inputSize: inputHeight, outputSize: outH, scaleFactor: scaleH, alignCorners: alignCorners)
        let cols = BicubicInterpolation.taps(inputSize: inputWidth, outputSize: outW, scaleFactor: scaleW, alignCorners: alignCorners)
        self.inputHeight = inputHeight; self.inputWidth = inputWidth
        self.outputHeight = outH; self.outputWidth = outW
        rowIndex = rows.flatMap(\.index); rowWeight = rows.flatMap(\.weight)
        colIndex = cols.flatMap(\.index); colWeight = cols.flatMap(\.weight)
    }

    /// output (outH, outW, C) = resample(input (inH, inW, C)).
    public func apply(_ input: UnsafePointer<Float>, channels c: Int, into output: UnsafeMutablePointer<Float>) {
        rowIndex.withUnsafeBufferPointer { ri in rowWeight.withUnsafeBufferPointer { rw in
        colIndex.withUnsafeBufferPointer { ci in colWeight.withUnsafeBufferPointer { cw in
            let inW = inputWidth, outW = outputWidth
            Parallel.chunks(outputHeight * outW, minChunk: max(1, 4096 / max(c, 1))) { range in
                for o in range {
                    let oy = o / outW, ox = o % outW
                    let dst = output + o * c
                    for j in 0 ..< 4 {
                        let line = input + ri[oy * 4 + j] * inW * c
                        let p0 = line + ci[ox * 4] * c, p1 = line + ci[ox * 4 + 1] * c
                        let p2 = line + ci[ox * 4 + 2] * c, p3 = line + ci[ox * 4 + 3] * c
                        let w0 = cw[ox * 4], w1 = cw[ox * 4 + 1], w2 = cw[ox * 4 + 2], w3 = cw[ox * 4 + 3]
                        let wy = rw[oy * 4 + j]
                        for k in 0 ..< c {
                            var row = p0[k] * w0
                            row += p1[k] * w1
                            row += p2[k] * w2
                            row += p3[k] * w3
                            dst[k] = j == 0 ? row * wy : dst[k] + row * wy
                        }
                    }
                }
            }
        }}}}
    }

    /// Backward of `apply`: dInput (inH, inW, C) += resample^T(dOutput (outH, outW, C)).
    /// Serial over outputs because taps of neighbouring outputs overlap; position grids are small.
    public func applyBackward(_ dOutput: UnsafePointer<Float>, channels c: Int, accumulateInto dInput: UnsafeMutablePointer<Float>) {
        rowIndex.withUnsafeBufferPointer { ri in rowWeight.withUnsafeBufferPointer { rw in
        colIndex.withUnsafeBufferPointer { ci in colWeight.withUnsafeBufferPointer { cw in
            for oy in 0 ..< outputHeight {
                for ox in 0 ..< outputWidth {
                    let g = dOutput + (oy * outputWidth + ox) * c
                    for j in 0 ..< 4 {
                        let line = dInput + ri[oy * 4 + j] * inputWidth * c
                        for i in 0 ..< 4 {
                            let w = rw[oy * 4 + j] * cw[ox * 4 + i]
                            let d = line + ci[ox * 4 + i] * c
                            for k in 0 ..< c { d[k] += g[k] * w }
                        }
                    }
                }
            }
        }}}}
    }
}
