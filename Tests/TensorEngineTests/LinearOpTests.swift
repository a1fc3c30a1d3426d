import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    @Suite struct LinearOps {
        @Test func linearForwardMatchesReference() {
            let x = randomTensor([5, 3], seed: 1), w = randomTensor([4, 3], seed: 2), b = randomTensor([4], seed: 3)
            let y = Tensor(zeros: [5, 4])
            Ops.linearForward(x: x, weight: w, bias: b, y: y)
            var ref = [Float](repeating: 0, count: 20)
            for i in 0..<5 { for o in 0..<4 {
                var s = b[o]; for k in 0..<3 { s += x[i, k] * w[o, k] }; ref[i * 4 + o] = s
            } }
            #expect(Tolerance.compare(y.values, ref) == nil)
        }

        @Test func linearGradients() {
            try? withThreads { _ in
                let x = randomTensor([2, 3, 5], seed: 1), w = randomTensor([4, 5], seed: 2), b = randomTensor([4], seed: 3)
                let dx = Tensor(zeros: x.shape), dw = Tensor(zeros: w.shape), db = Tensor(zeros: b.shape)
                let y = Tensor(zeros: [2, 3, 4])
                let failures = checkGradients(inputs: [x, w, b], grads: [dx, dw, db]) {
                    Ops.linearForward(x: x, weight: w, bias: b, y: y); return y
                } backward: { dy in
                    Ops.linearBackward(dy: dy, x: x, weight: w, dx: dx, dWeight: dw, dBias: db)
                }
                #expect(failures.isEmpty, "\(failures)")
            }
        }

        @Test func linearBackwardAccumulates() {
            let x = randomTensor([3, 2], seed: 1), w = randomTensor([2, 2], seed: 2)
            let dy = randomTensor([3, 2], seed: 3)
            let dw1 = Tensor(zeros: [2, 2]), dw2 = Tensor(zeros: [2, 2])
            Ops.linearBackward(dy: dy, x: x, weight: w, dx: nil, dWeight: dw1, dBias: nil)
            Ops.linearBackward(dy: dy, x: x, weight: w, dx: nil, dWeight: dw2, dBias: nil)
            Ops.linearBackward(dy: dy, x: x, weight: w, dx: nil, dWeight: dw2, dBias: nil)
            #expect(Tolerance.compare(dw2.values, dw1.values.map { 2 * $0 }) == nil)
        }

        @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
        func batchedMatmulGradients(transA: Bool, transB: Bool) {
            try? withThreads { _ in
                let (m, k, n) = (3, 4, 5)
                let a = randomTensor(transA ? [2, k, m] : [2, m, k], seed: 1)
                let b = randomTensor(transB ? [2, n, k] : [2, k, n], seed: 2)
                let c = Tensor(zeros: [2, m, n])
                let da = Tensor(zeros: a.shape), db = Tensor(zeros: b.shape)
                let failures = checkGradients(inputs: [a, b], grads: [da, db]) {
                    Ops.batchedMatmulForward(a: a, transA: transA, b: b, transB: transB, c: c); return c
                } backward: { dc in
                    Ops.batchedMatmulBackward(dc: dc, a: a, transA: transA, b: b, transB: transB, da: da, db: db)
                }
                #expect(failures.isEmpty, "\(failures)")
            }
        }
    }
}

extension EngineTests.LinearOps {
    /// Large GEMMs are split across our workers; every split (rows, columns, transposes) must
    /// agree with one OpenBLAS call.
    @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
    func splitGemmMatchesSingleCall(transA: Bool, transB: Bool) {
        let saved = (Engine.threads, Engine.gemmThreading)
        defer { Engine.threads = saved.0; Engine.gemmThreading = saved.1 }
        Engine.threads = 2
        for (m, n, k) in [(300, 200, 40), (100, 900, 40)] {        // row split, column split
            let a = randomTensor(transA ? [k, m] : [m, k], seed: 1), b = randomTensor(transB ? [n, k] : [k, n], seed: 2)
            let c1 = randomTensor([m, n], seed: 3), c2 = Tensor(zeros: [m, n])
            c2.copy(from: c1)
            Engine.gemmThreading = .split
            Ops.gemm(.init(a), transA: transA, .init(b), transB: transB, .init(c1), alpha: 0.5, beta: 1)
            Engine.gemmThreading = .openBLAS
            Ops.gemm(.init(a), transA: transA, .init(b), transB: transB, .init(c2), alpha: 0.5, beta: 1)
            #expect(Tolerance.compare(c1.values, c2.values, rtol: 1e-5, atol: 1e-5) == nil)
        }
    }
}

extension EngineTests.LinearOps {
    /// Data-parallel model copies issue GEMMs from two threads at once, each job running its loops
    /// serially with BLAS on one thread: the results must match one call, and BLAS must be back to
    /// its thread count afterwards (2 with `.openBLAS`).
    @Test func gemmsFromConcurrentJobsMatchOneCall() {
        let saved = (Engine.threads, Engine.gemmThreading)
        defer { Engine.threads = saved.0; Engine.gemmThreading = saved.1 }
        Engine.threads = 2
        let (m, n, k) = (300, 200, 40)
        let a = randomTensor([m, k], seed: 1), b = randomTensor([k, n], seed: 2)
        for mode in [Engine.GemmThreading.split, .openBLAS] {
            Engine.gemmThreading = mode
            let expected = Tensor(zeros: [m, n])
            Ops.gemm(.init(a), transA: false, .init(b), transB: false, .init(expected))
            let outputs = [Tensor(zeros: [m, n]), Tensor(zeros: [m, n])]
            var ran = [0, 0], blasThreadsInJobs = [0, 0]
            ran.withUnsafeMutableBufferPointer { ran in
                blasThreadsInJobs.withUnsafeMutableBufferPointer { inJobs in
                    Parallel.concurrently(2) { job in
                        for _ in 0 ..< 10 { Ops.gemm(.init(a), transA: false, .init(b), transB: false, .init(outputs[job])) }
                        inJobs[job] = Engine.blasThreadCount
                        ran[job] += 1
                    }
                }
            }
            #expect(ran == [1, 1])
            #expect(blasThreadsInJobs == [1, 1], "\(mode)")
            for output in outputs { #expect(Tolerance.compare(output.values, expected.values, rtol: 1e-5, atol: 1e-5) == nil) }
            // Other suites' threads may be inside a serial region now (then BLAS is at 1 for them);
            // otherwise BLAS must be back at its count: 1 with .split, the engine's threads with .openBLAS.
            let state = Engine.serialBLASState
            #expect(state.depth > 0 || state.blasThreads == state.settledBLASThreads, "\(mode)")
        }
    }
}

extension EngineTests.LinearOps {
    /// Denormal floats are flushed to zero (an sgemm on them ran about 100 times slower): a GEMM of
    /// denormals gives exact zeros where IEEE arithmetic would sum them to a small normal number.
    @Test func gemmTreatsDenormalInputsAsZero() throws {
        let k = 64
        // 2^-128, built from its bits: arithmetic on this thread may already flush it. 64 of them sum to 2^-122, a normal float.
        let denormal = Float(bitPattern: 0x0020_0000)
        #expect(denormal.isSubnormal)
        let a = try Tensor(shape: [3, k], values: [Float](repeating: denormal, count: 3 * k))
        let b = try Tensor(shape: [k, 5], values: [Float](repeating: 1, count: k * 5))
        let c = try Tensor(shape: [3, 5], values: [Float](repeating: 7, count: 15))
        Ops.gemm(.init(a), transA: false, .init(b), transB: false, .init(c))
        #expect(c.values == [Float](repeating: 0, count: 15))
    }
}
