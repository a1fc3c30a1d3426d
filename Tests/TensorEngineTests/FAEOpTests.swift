import Foundation
import Testing
import TestSupport
@testable import TensorEngine

extension EngineTests {
    /// Ops added for the FAE: unpatchify, VAE reparameterisation.
    @Suite struct FAEOps {
        @Test func unpatchifyLayoutAndGradient() {
            // 2 images, a 2x3 token grid, k = 2 channels, 2x2 patches -> (2, 2, 4, 6).
            let tokens = randomTensor([2, 6, 8], seed: 1), map = Tensor(zeros: [2, 2, 4, 6])
            Ops.unpatchifyForward(tokens, channels: 2, patch: 2, gridHeight: 2, gridWidth: 3, map: map)
            // map[b, c, gy*p + py, gx*p + px] = tokens[b, gy*gw + gx, (c*p + py)*p + px]
            for (b, c, gy, gx, py, px) in [(0, 0, 0, 0, 0, 0), (1, 1, 1, 2, 1, 0), (0, 1, 0, 1, 1, 1), (1, 0, 1, 0, 0, 1)] {
                #expect(map[b, c, gy * 2 + py, gx * 2 + px] == tokens[b, gy * 3 + gx, (c * 2 + py) * 2 + px])
            }
            let dTokens = Tensor(zeros: tokens.shape)
            Ops.unpatchifyBackward(dMap: map, channels: 2, patch: 2, gridHeight: 2, gridWidth: 3, dTokens: dTokens)
            #expect(dTokens.values == tokens.values)                      // a permutation: backward inverts it
        }

        @Test func reparameterizeGradients() {
            let mean = randomTensor([3, 5], seed: 1), logvar = randomTensor([3, 5], seed: 2, std: 0.5)
            let noise = randomTensor([3, 5], seed: 3), z = Tensor(zeros: [3, 5]), std = Tensor(zeros: [3, 5])
            Ops.reparameterizeForward(mean: mean, logvar: logvar, noise: noise, z: z, std: std)
            #expect(abs(z[1, 2] - (mean[1, 2] + Foundation.exp(0.5 * logvar[1, 2]) * noise[1, 2])) < 1e-6)
            let dMean = Tensor(zeros: mean.shape), dLogvar = Tensor(zeros: logvar.shape)
            let f = checkGradients(inputs: [mean, logvar], grads: [dMean, dLogvar], eps: 1e-3) {
                Ops.reparameterizeForward(mean: mean, logvar: logvar, noise: noise, z: z, std: std); return z
            } backward: { dz in
                Ops.reparameterizeBackward(dz: dz, noise: noise, std: std, dMean: dMean, dLogvar: dLogvar)
            }
            #expect(f.isEmpty, "\(f)")
        }
    }
}
