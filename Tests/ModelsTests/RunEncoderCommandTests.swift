import Foundation
import Testing
import TensorEngine
import TestSupport

/// `fae-t2i run-encoder` end to end on the committed fixtures, and its errors for bad input.
@Suite struct RunEncoderCommandTests {
    let runner = CommandRunner()
    let folder: URL

    init() throws { folder = try TestPaths.temporaryDirectory("run-encoder") }

    func run(_ arguments: [String]) throws -> CommandRunner.Output {
        try #require(runner.isAvailable, "build the fae-t2i binary first (make test does)")
        return try runner.run(["run-encoder"] + arguments)
    }

    @Test(arguments: [("dinov2", "dinov2"), ("dinov2", "dinov2_swiglu"), ("t5", "t5_relu"), ("t5", "t5_gated_gelu")])
    func matchesFixtures(kind: String, fixture: String) throws {
        let dir = ModelFixtures.directory(fixture)
        let out = folder.appendingPathComponent("\(fixture).safetensors")
        let result = try run(["--kind", kind, "--model", dir.path, "--input", dir.appendingPathComponent("inputs.safetensors").path,
                              "--output", out.path, "--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let got = try ModelFixtures.tensor(try SafetensorsFile(url: out), "last_hidden_state")
        let expected = try ModelFixtures.tensor(try ModelFixtures.file(fixture, "outputs.safetensors"), "last_hidden_state")
        #expect(got.shape == expected.shape)
        #expect(ModelFixtures.relativeError(got, expected) < 1e-4)
    }

    func writeInput(_ name: String, _ build: (inout SafetensorsWriter) throws -> Void) throws -> String {
        var writer = SafetensorsWriter()
        try build(&writer)
        let url = folder.appendingPathComponent(name)
        try writer.write(to: url)
        return url.path
    }

    func expectError(_ arguments: [String], _ fragment: String) throws {
        let result = try run(arguments + ["--output", folder.appendingPathComponent("out.safetensors").path])
        #expect(result.status != 0)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("Error: ") && lines[0].contains(fragment), "\(result.stderr)")
    }

    @Test func badInputsGiveOneLineErrors() throws {
        let dinov2 = ModelFixtures.directory("dinov2").path, t5 = ModelFixtures.directory("t5_relu").path
        let odd = try writeInput("odd.safetensors") { try $0.add(name: "pixel_values", floats: [Float](repeating: 0, count: 3 * 18 * 16), shape: [1, 3, 18, 16]) }
        try expectError(["--kind", "dinov2", "--model", dinov2, "--input", odd], "multiples of the patch size")
        let oov = try writeInput("oov.safetensors") { try $0.add(name: "input_ids", int64s: [1, 2, 64], shape: [1, 3]) }
        try expectError(["--kind", "t5", "--model", t5, "--input", oov], "outside the vocabulary")
        let badMask = try writeInput("mask.safetensors") {
            try $0.add(name: "input_ids", int64s: [1, 2, 3], shape: [1, 3])
            try $0.add(name: "attention_mask", int64s: [1, 1], shape: [1, 2])
        }
        try expectError(["--kind", "t5", "--model", t5, "--input", badMask], "attention_mask")
        try expectError(["--kind", "t5", "--model", dinov2, "--input", oov], "model_type 'dinov2'")
        try expectError(["--kind", "t5", "--model", folder.appendingPathComponent("none").path, "--input", oov], "not a model directory")
        try expectError(["--kind", "dinov2", "--model", dinov2, "--input", oov], "no tensor 'pixel_values'")
        try expectError(["--kind", "dinov2", "--model", dinov2, "--input", "/dev/null"], "/dev/null")
    }
}
