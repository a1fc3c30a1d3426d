/// The Fréchet distance between two Gaussians fitted to feature sets (FID's formula):
/// ||mu1 - mu2||^2 + Tr(S1 + S2 - 2 (S1^1/2 S2 S1^1/2)^1/2), with S the unbiased (N - 1)
/// covariances, as numpy's `np.cov(rowvar=False)` and pytorch-fid compute them.
/// Tr((S1^1/2 S2 S1^1/2)^1/2) = sum of the square roots of that symmetric matrix's eigenvalues
/// (round-off around 0 clamped to 0), equal to Tr(sqrtm(S1 S2)) of scipy's version.
public enum FrechetDistance {
    /// Mean and covariance of `rows` (each one sample of `dimension` values).
    public static func statistics(_ rows: [[Double]]) -> (mean: [Double], covariance: [Double]) {
        let n = rows.count, d = rows.first?.count ?? 0
        precondition(n >= 2 && rows.allSatisfy { $0.count == d }, "need at least 2 samples of one dimension")
        var mean = [Double](repeating: 0, count: d)
        for row in rows { for i in 0..<d { mean[i] += row[i] } }
        for i in 0..<d { mean[i] /= Double(n) }
        var covariance = [Double](repeating: 0, count: d * d)
        covariance.withUnsafeMutableBufferPointer { c in
            var centred = [Double](repeating: 0, count: d)
            for row in rows {
                for i in 0..<d { centred[i] = row[i] - mean[i] }
                for i in 0..<d {
                    let ci = centred[i]
                    for j in i..<d { c[i * d + j] += ci * centred[j] }
                }
            }
            for i in 0..<d {
                for j in i..<d {
                    c[i * d + j] /= Double(n - 1)
                    c[j * d + i] = c[i * d + j]
                }
            }
        }
        return (mean, covariance)
    }

    /// The distance between the Gaussians of two feature sets.
    public static func distance(_ a: [[Double]], _ b: [[Double]]) -> Double {
        let (mu1, s1) = statistics(a), (mu2, s2) = statistics(b)
        return distance(mean1: mu1, covariance1: s1, mean2: mu2, covariance2: s2)
    }

    /// The distance between N(mean1, covariance1) and N(mean2, covariance2) (row-major d x d).
    public static func distance(mean1: [Double], covariance1 s1: [Double], mean2: [Double], covariance2 s2: [Double]) -> Double {
        let d = mean1.count
        precondition(mean2.count == d && s1.count == d * d && s2.count == d * d, "Fréchet distance: shapes disagree")
        var meanTerm = 0.0
        for i in 0..<d { meanTerm += (mean1[i] - mean2[i]) * (mean1[i] - mean2[i]) }
        var trace = 0.0
        for i in 0..<d { trace += s1[i * d + i] + s2[i * d + i] }
        let root = squareRoot(s1, n: d)
        let product = multiply(multiply(root, s2, n: d), root, n: d)
        // Symmetrise round-off before the eigen solver.
        var symmetric = product
        for i in 0..<d { for j in 0..<d { symmetric[i * d + j] = (product[i * d + j] + product[j * d + i]) / 2 } }
        let traceRoot = nonNegative(SymmetricEigen(symmetric, n: d).values).reduce(0) { $0 + $1.squareRoot() }
        return meanTerm + trace - 2 * traceRoot
    }

    /// The PSD square root V sqrt(max(L, 0)) V^T of a symmetric matrix.
    static func squareRoot(_ m: [Double], n: Int) -> [Double] {
        let eigen = SymmetricEigen(m, n: n)
        let roots = nonNegative(eigen.values).map { $0.squareRoot() }
        var r = [Double](repeating: 0, count: n * n)
        let v = eigen.vectors
        for i in 0..<n {
            for j in i..<n {
                var s = 0.0
                for k in 0..<n { s += v[i * n + k] * roots[k] * v[j * n + k] }
                r[i * n + j] = s
                r[j * n + i] = s
            }
        }
        return r
    }

    /// Eigenvalues of a PSD matrix with round-off removed: values within n * eps of the largest are
    /// zero (a covariance of fewer samples than dimensions has a null space; the square roots of its
    /// +-1e-16 noise would otherwise add up to ~1e-7).
    static func nonNegative(_ values: [Double]) -> [Double] {
        let cutoff = Double(values.count) * Double.ulpOfOne * (values.map(abs).max() ?? 0)
        return values.map { $0 > cutoff ? $0 : 0 }
    }

    static func multiply(_ a: [Double], _ b: [Double], n: Int) -> [Double] {
        var c = [Double](repeating: 0, count: n * n)
        for i in 0..<n {
            for k in 0..<n {
                let aik = a[i * n + k]
                if aik == 0 { continue }
                for j in 0..<n { c[i * n + j] += aik * b[k * n + j] }
            }
        }
        return c
    }
}
