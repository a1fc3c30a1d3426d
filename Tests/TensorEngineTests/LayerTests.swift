import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    @Suite struct Layers {
        /// FD check of a whole block on its input and every parameter.
        func checkBlock(_ config: TransformerBlockConfig, rope: RoPETable? = nil, bias: Tensor? = nil, mask: Tensor? = nil,
                        t: Int = 4) -> [String] {
            let block = TransformerBlock(config)
            var rng = RandomGenerator(seed: 3)
            block.initialize(&rng)
            if config.layerScale != nil { rng.fillNormal(block.layerScale1!.value, mean: 1, std: 0.3); rng.fillNormal(block.layerScale2!.value, mean: 1, std: 0.3) }
            for (_, p) in block.namedParameters(prefix: "") where p.shape.count == 1 && config.layerScale == nil {
                rng.fillNormal(p.value, mean: 0.5, std: 0.3)       // non-trivial norm weights/biases
            }
            block.attention.rope = rope
            let x = randomTensor([2, t, config.dim], seed: 4)
            let dx = Tensor(zeros: x.shape)
            let params = block.parameters
            let dBias = bias.map { Tensor(zeros: $0.shape) }
            return checkGradients(inputs: [x] + params.map(\.value) + (bias.map { [$0] } ?? []),
                                  grads: [dx] + params.map(\.grad) + (dBias.map { [$0] } ?? []), eps: 1e-2, rtol: 3e-2, atol: 3e-3) {
                block.forward(x, attentionBias: bias, keyMask: mask)
            } backward: { dy in
                Ops.accumulate(block.backward(dy, attentionBiasGrad: dBias), into: dx)
            }
        }

        @Test func vitBlockGradients() {
            let f = checkBlock(TransformerBlockConfig(dim: 8, heads: 2, mlpRatio: 2, layerScale: 1))
            #expect(f.isEmpty, "\(f)")
        }

        @Test func t5StyleBlockGradients() {
            var c = TransformerBlockConfig(dim: 8, heads: 2)
            c.norm = .rmsNorm(eps: 1e-6)
            c.bias = false
            c.headDim = 3                                         // inner dim 6 != model dim, as T5 allows
            c.feedForward = .gated(activation: .geluTanh, hidden: 10, names: ["wi_0", "wi_1", "wo"])
            c.attentionNames = .t5
            let bias = randomTensor([2, 4, 4], seed: 8)
            let mask = try! Tensor(shape: [2, 4], values: [1, 1, 1, 0, 1, 1, 1, 1])
            let f = checkBlock(c, bias: bias, mask: mask)
            #expect(f.isEmpty, "\(f)")
        }

        @Test func ropeSwiGLUBlockGradients() throws {
            var c = TransformerBlockConfig(dim: 16, heads: 2)
            c.norm = .rmsNorm(eps: 1e-6)
            c.feedForward = .gated(activation: .silu, hidden: 12)
            let rope = try RoPETable(gridHeight: 2, gridWidth: 2, headDim: 8)
            let f = checkBlock(c, rope: rope)
            #expect(f.isEmpty, "\(f)")
        }

        @Test func parameterNamesFollowHuggingFace() {
            let block = TransformerBlock(TransformerBlockConfig(dim: 8, heads: 2, layerScale: 1))
            let names = block.namedParameters(prefix: "encoder.layer.0.").map(\.0)
            #expect(names.contains("encoder.layer.0.attention.attention.query.weight"))
            #expect(names.contains("encoder.layer.0.attention.output.dense.bias"))
            #expect(names.contains("encoder.layer.0.layer_scale1.lambda1"))
            #expect(names.contains("encoder.layer.0.mlp.fc2.weight"))
            #expect(names.contains("encoder.layer.0.norm2.bias"))
            #expect(names.count == 18)
        }

        @Test func strictLoadingReportsProblems() throws {
            let lin = Linear(3, 2)
            let w = try Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
            try lin.load(["p.weight": w, "p.bias": Tensor(zeros: [2])], prefix: "p.")
            #expect(lin.weight.value.values == w.values)
            #expect(throws: TensorEngineError.self) { try lin.load(["p.weight": w], prefix: "p.") }
            #expect(throws: TensorEngineError.self) { try lin.load(["p.weight": Tensor(zeros: [3, 2]), "p.bias": Tensor(zeros: [2])], prefix: "p.") }
            do {
                try lin.load(["p.weight": w, "p.bias": Tensor(zeros: [2]), "p.extra": Tensor(zeros: [1])], prefix: "p.")
                Issue.record("unused tensor accepted")
            } catch let e as TensorEngineError {
                #expect(e.message.contains("p.extra"))
            }
        }

        @Test func packedQKVLoadsSeparateWeights() throws {
            let attn = MultiHeadAttention(dim: 4, heads: 2, names: .t5)
            let q = randomTensor([4, 4], seed: 1)
            var tensors: [String: Tensor] = [:]
            for (name, p) in attn.namedParameters(prefix: "") { tensors[name] = name == "q.weight" ? q : Tensor(zeros: p.shape) }
            try attn.load(tensors)
            #expect(attn.query.weight.value.values == q.values)
        }

        @Test func stepsReuseBuffers() {
            let block = TransformerBlock(TransformerBlockConfig(dim: 16, heads: 2))
            var rng = RandomGenerator(seed: 1)
            block.initialize(&rng)
            let x = randomTensor([2, 5, 16], seed: 2)
            let y1 = block.forward(x), dx1 = block.backward(y1)
            let y2 = block.forward(x), dx2 = block.backward(y2)
            #expect(y1.sharesBuffer(with: y2))
            #expect(dx1.sharesBuffer(with: dx2))
        }

        @Test func threadCountDoesNotChangeResults() {
            let block = TransformerBlock(TransformerBlockConfig(dim: 32, heads: 4))
            var rng = RandomGenerator(seed: 1)
            block.initialize(&rng)
            let x = randomTensor([3, 7, 32], seed: 2)
            var outputs: [[Float]] = [], grads: [[Float]] = []
            // 3 threads on a 2-core machine also exercises a pool with several workers.
            withThreads([1, 2, 3]) { _ in
                block.zeroGrad()
                outputs.append(block.forward(x).values)
                grads.append(block.backward(x).values)
            }
            for i in 1..<3 {
                #expect(Tolerance.compare(outputs[i], outputs[0], rtol: 1e-5, atol: 1e-6) == nil)
                #expect(Tolerance.compare(grads[i], grads[0], rtol: 1e-4, atol: 1e-6) == nil)
            }
        }
    }
}

extension EngineTests.Layers {
    @Test func t5BlockNamesAndScale() {
        let block = TransformerBlock(.t5(dim: 8, heads: 2, headDim: 4, ffHidden: 16, gated: true))
        let names = Set(block.namedParameters(prefix: "encoder.block.0.").map(\.0))
        #expect(names == [
            "encoder.block.0.layer.0.layer_norm.weight",
            "encoder.block.0.layer.0.SelfAttention.q.weight", "encoder.block.0.layer.0.SelfAttention.k.weight",
            "encoder.block.0.layer.0.SelfAttention.v.weight", "encoder.block.0.layer.0.SelfAttention.o.weight",
            "encoder.block.0.layer.1.layer_norm.weight",
            "encoder.block.0.layer.1.DenseReluDense.wi_0.weight", "encoder.block.0.layer.1.DenseReluDense.wi_1.weight",
            "encoder.block.0.layer.1.DenseReluDense.wo.weight",
        ])
        #expect(block.attention.scale == 1)
        let v10 = TransformerBlock(.t5(dim: 8, heads: 2, headDim: 4, ffHidden: 16, gated: false))
        #expect(v10.namedParameters(prefix: "").map(\.0).contains("layer.1.DenseReluDense.wi.weight"))
    }
}
