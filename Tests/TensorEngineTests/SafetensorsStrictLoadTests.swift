import Foundation
import Testing
import TensorEngine

@Suite struct SafetensorsStrictLoadTests {
    @Test func reportsEverythingInOneError() {
        let error = StrictLoadError.check(
            expected: ["encoder.layer.0.attention.q.weight": [8, 8], "bar": [4, 8], "ok": [2]],
            found: ["foo": [1], "bar": [8, 4], "ok": [2], "ignored": [3]],
            ignoringUnused: ["ignored"], source: "model.safetensors")
        #expect(error?.description == "model.safetensors: missing: encoder.layer.0.attention.q.weight; unused: foo; mis-shaped: bar expected [4, 8] got [8, 4]")
        #expect(StrictLoadError.check(expected: ["a": [1]], found: ["a": [1]], source: "x") == nil)
    }

    @Test func checksAFile() throws {
        let file = try SafetensorsFile(url: SafetensorsFixtures.url("safetensors/python_written.safetensors"))
        var expected = file.shapes
        try file.checkStateDict(expected: expected)
        expected["z.f32"] = [3, 2]
        expected.removeValue(forKey: "empty")
        let error = try #require(throws: StrictLoadError.self) { try file.checkStateDict(expected: expected) }
        #expect(error.unused == ["empty"] && error.misShaped.map(\.name) == ["z.f32"] && error.missing.isEmpty)
        #expect(error.description.contains("python_written.safetensors"))
    }
}
