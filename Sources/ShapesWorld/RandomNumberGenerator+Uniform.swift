extension RandomNumberGenerator {
    /// A uniform integer in 0..<bound by our own rejection sampling (Lemire's multiply-shift), so that
    /// the values drawn from a seeded generator never depend on the standard library's algorithm.
    mutating func uniformIndex(below bound: Int) -> Int {
        precondition(bound > 0, "empty range")
        let range = UInt64(bound)
        var product = next().multipliedFullWidth(by: range)
        if product.low < range {
            let threshold = (0 &- range) % range
            while product.low < threshold {
                product = next().multipliedFullWidth(by: range)
            }
        }
        return Int(product.high)
    }

    /// True with probability `probability` (in 1/2^53 steps).
    mutating func chance(_ probability: Double) -> Bool {
        Double(next() >> 11) * 0x1p-53 < probability
    }

    /// A uniformly chosen element of a non-empty collection.
    mutating func pick<C: RandomAccessCollection>(_ elements: C) -> C.Element where C.Index == Int {
        elements[elements.startIndex + uniformIndex(below: elements.count)]
    }
}
