import Foundation

extension Ops {
    /// VAE reparameterisation: z = mean + exp(0.5 * logvar) * noise, element-wise over equal shapes.
    /// Writes std = exp(0.5 * logvar) too, which backward reads.
    public static func reparameterizeForward(mean: Tensor, logvar: Tensor, noise: Tensor, z: Tensor, std: Tensor) {
        precondition(mean.count == logvar.count && noise.count == mean.count && z.count == mean.count
                     && std.count == mean.count, "reparameterize shapes")
        let m = mean.pointer, lv = logvar.pointer, e = noise.pointer, zp = z.pointer, sp = std.pointer
        Parallel.chunks(mean.count, minChunk: 4096) { range in
            for i in range {
                let s = Foundation.exp(0.5 * lv[i])
                sp[i] = s
                zp[i] = m[i] + s * e[i]
            }
        }
    }

    /// Backward of `reparameterizeForward`: dmean (+)= dz, dlogvar (+)= dz * noise * 0.5 * std.
    public static func reparameterizeBackward(dz: Tensor, noise: Tensor, std: Tensor, dMean: Tensor, dLogvar: Tensor,
                                              accumulate: Bool = true) {
        precondition(dz.count == noise.count && std.count == dz.count && dMean.count == dz.count
                     && dLogvar.count == dz.count, "reparameterize gradient shapes")
        let g = dz.pointer, e = noise.pointer, sp = std.pointer, dm = dMean.pointer, dl = dLogvar.pointer
        Parallel.chunks(dz.count, minChunk: 4096) { range in
            for i in range {
                let gl = g[i] * e[i] * 0.5 * sp[i]
                if accumulate { dm[i] += g[i]; dl[i] += gl } else { dm[i] = g[i]; dl[i] = gl }
            }
        }
    }
}
