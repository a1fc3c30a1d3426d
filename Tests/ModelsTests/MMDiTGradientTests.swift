import Testing
import Models
import TensorEngine
import TestSupport

/// Finite-difference check of the whole MMDiT backward (every parameter and the text hidden
/// states) on loss = sum(velocity * w), at depth 1 (the last block only) and depth 2, with and
/// without learned text positions.
@Suite struct MMDiTGradientTests {
    @Test(arguments: [(1, false), (2, false), (2, true)]) func everyParameterAndTextInput(depth: Int, textPositions: Bool) throws {
        let f = try MMDiTFixture(depth: depth, textPositions: textPositions)
        #expect(f.model.textPositionEmbedding != nil || !textPositions)
        let y = try f.forward()
        var rng = RandomGenerator(seed: 9)
        let w = Tensor(zeros: y.shape)
        rng.fillNormal(w)
        f.model.zeroGrad()
        let dText = f.model.backward(w).values
        let named = f.model.namedParameters(prefix: "")
        var buffers = named.map { $0.1.value.buffer }, analytic = named.map { $0.1.grad.values }
        buffers.append(f.text.buffer); analytic.append(dText)
        let failures = GradientCheck.check(buffers, analytic: analytic, eps: 1e-2, rtol: 3e-2, atol: 3e-3,
                                           maxChecksPerInput: 24) {
            (try? f.forward()).map { MMDiTFixture.dot($0, w) } ?? .nan
        }
        let labels = named.map(\.0) + ["text"]
        let described = failures.prefix(12).map { failure -> String in
            // "input k[i]: ..." -> parameter name
            guard let k = Int(failure.dropFirst(6).prefix { $0.isNumber }) else { return failure }
            return "\(labels[k]): \(failure)"
        }
        #expect(failures.isEmpty, "\(described.joined(separator: "\n"))")
        // The masked text token gets no gradient at all.
        let c = MMDiTFixture.config.textWidth
        let maskedGrad = dText[2 * c ..< 3 * c].map(abs).max() ?? 0
        #expect(maskedGrad < 1e-6, "masked token gradient \(maskedGrad)")
    }
}
