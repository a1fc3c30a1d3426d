import Foundation
import Testing
import TensorEngine

@Suite struct BicubicInterpolationTests {
    struct Case: Decodable {
        let input: String
        let size: [Int]?
        let scale_factor: [Double]?
        let align_corners: Bool
    }

    /// Every case of interpolation/bicubic.safetensors against F.interpolate(mode="bicubic").
    @Test func matchesTorch() throws {
        let file = try SafetensorsFile(url: SafetensorsFixtures.url("interpolation/bicubic.safetensors"))
        let cases = try JSONDecoder().decode([String: Case].self, from: Data((file.metadata?["cases"] ?? "").utf8))
        #expect(cases.count == 9)
        for (name, c) in cases.sorted(by: { $0.key < $1.key }) {
            let shape = try file.info(c.input).shape  // (C, H, W)
            let target: BicubicInterpolation.Target
            if let size = c.size {
                target = .size(height: size[0], width: size[1])
            } else {
                let s = try #require(c.scale_factor)
                target = .scaleFactor(height: s[0], width: s[1])
            }
            let got = BicubicInterpolation.interpolate(try file.floats(c.input), channels: shape[0], inputHeight: shape[1],
                                                      inputWidth: shape[2], target: target, alignCorners: c.align_corners)
            let expected = try file.info(name)
            #expect([shape[0], got.height, got.width] == expected.shape, "\(name)")
            let want = try file.floats(name)
            let maxError = zip(got.values, want).map { abs($0 - $1) }.max() ?? 0
            #expect(maxError < 1e-5, "\(name): max abs error \(maxError)")
        }
    }

    @Test func sameSizeIsIdentity() {
        let x: [Float] = (0 ..< 12).map { Float($0 * $0) }
        let out = BicubicInterpolation.interpolate(x, channels: 1, inputHeight: 3, inputWidth: 4, target: .size(height: 3, width: 4))
        #expect(out.values == x)
    }
}
