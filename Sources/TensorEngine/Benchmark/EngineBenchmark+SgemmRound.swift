extension EngineBenchmark {
    /// The four forward GEMMs of a block (qkv, proj, fc1, fc2) at M = rows.
    final class SgemmRound {
        let rows: Int, dim: Int
        let x: Tensor, h: Tensor, y: Tensor
        let shapes: [(Int, Int)]                 // (in, out)
        let weights: [Tensor]

        init(rows: Int, dim: Int) {
            self.rows = rows; self.dim = dim
            var rng = RandomGenerator(seed: 1)
            x = Tensor(zeros: [rows, dim]); h = Tensor(zeros: [rows, 4 * dim]); y = Tensor(zeros: [rows, 4 * dim])
            rng.fillNormal(x); rng.fillNormal(h)
            shapes = [(dim, 3 * dim), (dim, dim), (dim, 4 * dim), (4 * dim, dim)]
            weights = shapes.map { s in let w = Tensor(zeros: [s.1, s.0]); rng.fillNormal(w, std: 0.02); return w }
        }

        var flops: Double { shapes.reduce(0.0) { $0 + 2 * Double(rows) * Double($1.0) * Double($1.1) } }

        func run() {
            for (i, s) in shapes.enumerated() {
                let input = s.0 == dim ? Ops.Matrix(x) : Ops.Matrix(h)
                Ops.gemm(input, transA: false, Ops.Matrix(weights[i]), transB: true, Ops.Matrix(y.pointer, rows: rows, cols: s.1))
            }
        }
    }
}
