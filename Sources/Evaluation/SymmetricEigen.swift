/// Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method, in Double.
/// Accurate to machine precision and fine up to a few hundred rows (feature covariances are 192x192);
/// no LAPACK needed.
public struct SymmetricEigen {
    /// Eigenvalues, ascending.
    public let values: [Double]
    /// Eigenvectors as columns of an n x n row-major matrix: column j belongs to `values[j]`.
    public let vectors: [Double]
    public let n: Int

    /// `matrix` is n x n row-major; only its upper triangle is read (mirrored onto the lower).
    public init(_ matrix: [Double], n: Int, maxSweeps: Int = 100) {
        precondition(matrix.count == n * n, "SymmetricEigen: need \(n * n) values, got \(matrix.count)")
        var a = matrix
        var v = [Double](repeating: 0, count: n * n)
        for i in 0..<n { v[i * n + i] = 1 }
        a.withUnsafeMutableBufferPointer { a in
            v.withUnsafeMutableBufferPointer { v in
                for i in 0..<n { for j in (i + 1)..<max(i + 1, n) { a[j * n + i] = a[i * n + j] } }
                for _ in 0..<maxSweeps {
                    var off = 0.0, diagonal = 0.0
                    for i in 0..<n {
                        diagonal += a[i * n + i] * a[i * n + i]
                        for j in (i + 1)..<max(i + 1, n) { off += a[i * n + j] * a[i * n + j] }
                    }
                    if off <= 1e-30 * max(diagonal, 1e-300) { break }
                    for p in 0..<n {
                        for q in (p + 1)..<max(p + 1, n) { Self.rotate(a, v, n: n, p: p, q: q) }
                    }
                }
            }
        }
        let order = (0..<n).sorted { a[$0 * n + $0] < a[$1 * n + $1] }
        values = order.map { a[$0 * n + $0] }
        var sorted = [Double](repeating: 0, count: n * n)
        for (column, source) in order.enumerated() { for row in 0..<n { sorted[row * n + column] = v[row * n + source] } }
        vectors = sorted
        self.n = n
    }

    /// One Jacobi rotation zeroing a[p][q] (A <- J^T A J, V <- V J).
    private static func rotate(_ a: UnsafeMutableBufferPointer<Double>, _ v: UnsafeMutableBufferPointer<Double>, n: Int, p: Int, q: Int) {
        let apq = a[p * n + q]
        guard apq != 0 else { return }
        let app = a[p * n + p], aqq = a[q * n + q]
        let theta = (aqq - app) / (2 * apq)
        let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + (theta * theta + 1).squareRoot())
        let c = 1 / (t * t + 1).squareRoot(), s = t * c
        for k in 0..<n {
            let akp = a[k * n + p], akq = a[k * n + q]
            a[k * n + p] = c * akp - s * akq
            a[k * n + q] = s * akp + c * akq
        }
        for k in 0..<n {
            let apk = a[p * n + k], aqk = a[q * n + k]
            a[p * n + k] = c * apk - s * aqk
            a[q * n + k] = s * apk + c * aqk
        }
        a[p * n + q] = 0
        a[q * n + p] = 0
        for k in 0..<n {
            let vkp = v[k * n + p], vkq = v[k * n + q]
            v[k * n + p] = c * vkp - s * vkq
            v[k * n + q] = s * vkp + c * vkq
        }
    }
}
