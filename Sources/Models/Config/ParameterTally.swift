/// A parameter count accumulated from products of config sizes, saturating at `Int.max` instead
/// of overflowing, so that counting an unvalidated config never traps and a huge one still exceeds
/// every limit.
public struct ParameterTally: Sendable {
    public private(set) var total = 0

    public init() {}

    /// Adds the product of `factors` (one tensor's element count).
    public mutating func add(_ factors: Int...) {
        var product = 1
        for factor in factors {
            let (p, overflow) = product.multipliedReportingOverflow(by: Swift.max(factor, 0))
            guard !overflow else { total = .max; return }
            product = p
        }
        let (sum, overflow) = total.addingReportingOverflow(product)
        total = overflow ? .max : sum
    }

    /// Adds `count` copies of `other` (e.g. one block's parameters times the depth).
    public mutating func add(_ other: ParameterTally, times count: Int = 1) {
        add(other.total, count)
    }
}
