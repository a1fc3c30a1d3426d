import Foundation
import Models
import TensorEngine

/// Per-channel mean and standard deviation of the training latents: the generator works on
/// standardised latents (z - mean) / std and the sampler maps its output back. Stored with the
/// model as `latent_statistics.json`.
public struct LatentStatistics: Codable, Equatable, Sendable {
    public var mean: [Float]
    public var std: [Float]

    public init(mean: [Float], std: [Float]) throws {
        guard mean.count == std.count, !mean.isEmpty, std.allSatisfy({ $0 > 0 && $0.isFinite }), mean.allSatisfy(\.isFinite) else {
            throw SamplerError(.invalidStatistics, "latent statistics need equal-length mean/std with std > 0 (got \(mean.count), \(std.count))")
        }
        self.mean = mean
        self.std = std
    }

    public var channels: Int { mean.count }

    /// Mean and (population) std of each channel over all rows of latents (..., C).
    public static func estimate(from latents: Tensor, minimumStd: Float = 1e-6) throws -> LatentStatistics {
        let c = latents.shape.last ?? 0, rows = latents.rows
        guard c > 0, rows > 0 else { throw SamplerError(.invalidStatistics, "no latents to estimate statistics from") }
        var sum = [Double](repeating: 0, count: c), sq = [Double](repeating: 0, count: c)
        let p = latents.pointer
        for r in 0..<rows { for i in 0..<c { let v = Double(p[r * c + i]); sum[i] += v; sq[i] += v * v } }
        let n = Double(rows)
        let mean = sum.map { $0 / n }
        let std = zip(sq, mean).map { Float(max(($0 / n - $1 * $1).squareRoot(), Double(minimumStd))) }
        return try LatentStatistics(mean: mean.map(Float.init), std: std)
    }

    /// In place: x (..., C) -> (x - mean) / std.
    public func normalize(_ x: Tensor) throws {
        try check(x)
        let c = channels, p = x.pointer
        for r in 0..<x.rows { for i in 0..<c { p[r * c + i] = (p[r * c + i] - mean[i]) / std[i] } }
    }

    /// In place: x (..., C) -> x * std + mean.
    public func denormalize(_ x: Tensor) throws {
        try check(x)
        let c = channels, p = x.pointer
        for r in 0..<x.rows { for i in 0..<c { p[r * c + i] = p[r * c + i] * std[i] + mean[i] } }
    }

    public static func load(directory: URL) throws -> LatentStatistics {
        let s = try SamplerJSONFile.read(LatentStatistics.self, from: directory.appendingPathComponent(ModelLayout.latentStatisticsFile), code: .invalidStatistics)
        return try LatentStatistics(mean: s.mean, std: s.std)
    }

    public func save(directory: URL) throws {
        try SamplerJSONFile.write(self, to: directory.appendingPathComponent(ModelLayout.latentStatisticsFile), code: .invalidStatistics)
    }

    private func check(_ x: Tensor) throws {
        guard x.shape.last == channels else {
            throw SamplerError(.invalidStatistics, "latents have \(x.shape.last ?? 0) channels, statistics \(channels)")
        }
    }
}
