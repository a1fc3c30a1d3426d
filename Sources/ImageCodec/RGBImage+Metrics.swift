import Foundation

extension RGBImage {
    /// Peak signal-to-noise ratio in dB over all channels (peak 255); `.infinity` for identical images.
    public func psnr(to other: RGBImage) throws -> Double {
        guard width == other.width, height == other.height else {
            throw ImageCodecError(.invalidArgument, "PSNR needs equal sizes, got \(width)x\(height) and \(other.width)x\(other.height)")
        }
        var sum: UInt64 = 0
        pixels.withUnsafeBufferPointer { a in
            other.pixels.withUnsafeBufferPointer { b in
                for index in 0..<a.count {
                    let difference = Int(a[index]) - Int(b[index])
                    sum &+= UInt64(difference * difference)
                }
            }
        }
        if sum == 0 { return .infinity }
        let meanSquaredError = Double(sum) / Double(pixels.count)
        return 10 * log10(255.0 * 255.0 / meanSquaredError)
    }
}
