/// The source pixels and weights of each output pixel along one axis (the same for both axes of a
/// square), flattened: output `i` uses taps `starts[i] ..< starts[i + 1]`.
struct AxisTaps {
    private(set) var starts: [Int] = [0]
    private(set) var indices: [Int] = []
    private(set) var weights: [Float] = []

    init(source: Int, target: Int) {
        if source == target {
            for i in 0..<target { append([(i, 1)]) }
        } else if source > target {
            // Area averaging: output i covers [i, i + 1) * scale in source units; each source pixel
            // contributes the length of its overlap, divided by the scale so that weights sum to 1.
            let scale = Double(source) / Double(target)
            for i in 0..<target {
                let begin = Double(i) * scale, end = Double(i + 1) * scale
                var taps: [(Int, Double)] = []
                var pixel = Int(begin.rounded(.down))
                while Double(pixel) < end && pixel < source {
                    let overlap = min(end, Double(pixel + 1)) - max(begin, Double(pixel))
                    if overlap > 1e-9 { taps.append((pixel, overlap / scale)) }
                    pixel += 1
                }
                append(taps)
            }
        } else {
            // Bilinear with pixel centres at +0.5, clamped at the borders.
            let scale = Double(source) / Double(target)
            for i in 0..<target {
                let position = min(max((Double(i) + 0.5) * scale - 0.5, 0), Double(source - 1))
                let left = Int(position.rounded(.down)), fraction = position - Double(left)
                if fraction < 1e-9 || left + 1 >= source {
                    append([(left, 1)])
                } else {
                    append([(left, 1 - fraction), (left + 1, fraction)])
                }
            }
        }
    }

    private mutating func append(_ taps: [(Int, Double)]) {
        for (index, weight) in taps {
            indices.append(index)
            weights.append(Float(weight))
        }
        starts.append(indices.count)
    }

    @inline(__always)
    func range(_ output: Int) -> Range<Int> { starts[output]..<starts[output + 1] }
}
