import Foundation
import Models
import Sampler
import Testing
import TestSupport
import TextToImage

/// A model folder with an out-of-range config, NaN weights or a numerically broken part fails
/// with an error that names what is wrong, through the pipeline and through `fae-t2i render`,
/// never with a crash or a black image.
@Suite(.serialized) struct BrokenModelTests {
    static let fast = FlowSamplerConfiguration(steps: 2, method: .euler, guidanceScale: 2, guidanceMaxTime: 0.9)

    static func loadError(_ folder: URL) -> TextToImageError? {
        do {
            _ = try TextToImagePipeline(directory: folder)
            return nil
        } catch let error as TextToImageError {
            return error
        } catch {
            Issue.record("expected a TextToImageError, got \(error)")
            return nil
        }
    }

    /// (part, key, value, expected message) for every part of a model folder.
    static let badConfigs: [(String, String, Any, String)] = [
        ("generator", "grid_height", 3_000_000_000, "generator/config.json: grid_height = 3000000000 exceeds the limit 4096"),
        ("generator", "mlp_ratio", 1e300, "generator/config.json: mlp_ratio = 1e+300 exceeds the limit 64.0"),
        ("generator", "norm_epsilon", -1, "generator/config.json: norm_epsilon = -1.0 must be at least 1e-12"),
        ("generator", "rope_theta", 0, "generator/config.json: rope_theta = 0.0 must be at least 1.0"),
        ("text_encoder", "d_model", 1_000_000_000, "text_encoder/config.json: d_model = 1000000000 exceeds the limit 16384"),
        ("pixel_decoder", "image_size", 1_000_000, "pixel_decoder/config.json: image_size = 1000000 exceeds the limit 8192"),
        ("feature_decoder", "norm_eps", 0, "feature_decoder/config.json: norm_eps = 0.0 must be at least 1e-12"),
        ("generator", "shift", 1e300, "generator/generation.json: shift = 1e+300 exceeds the limit 1000.0"),
    ]

    @Test func outOfRangeConfigNamesFileKeyValueAndLimit() throws {
        let pristine = try TinyModelFolder.make()
        for (part, key, value, expected) in Self.badConfigs {
            let folder = try TestPaths.temporaryDirectory("bad-config")
            try FileManager.default.removeItem(at: folder)
            try FileManager.default.copyItem(at: pristine, to: folder)
            let file = key == "shift" ? ModelLayout.generationSettingsFile : "config.json"
            try ModelFolderEditing.setJSON(folder, part, key, value, file: file)
            let error = Self.loadError(folder)
            #expect(error?.code == .invalidModel, "\(part) \(key)")
            #expect(error?.message.contains(folder.appendingPathComponent(expected).path) == true, "\(error?.message ?? "loaded")")
        }
    }

    @Test func nanWeightsNameTheTensor() throws {
        let folder = try TinyModelFolder.make()
        try ModelFolderEditing.poison(folder, "generator", tensor: "final_layer.linear.weight")
        let error = try #require(Self.loadError(folder))
        #expect(error.code == .invalidModel)
        #expect(error.message.contains("generator/model.safetensors, tensor 'final_layer.linear.weight'"), "\(error.message)")
        #expect((error.cause as? ModelError)?.code == .nonFiniteWeights)
    }

    /// Weights that are finite but overflow in use (here: made NaN after loading) give an error,
    /// not an image.
    @Test func nonFiniteLatentsFailTheRender() throws {
        let pipeline = try TextToImagePipeline(directory: try TinyModelFolder.make())
        #expect(try pipeline.generate(prompts: ["a red circle"], seeds: [1], configuration: Self.fast).count == 1)
        let weight = try #require(pipeline.generator.namedParameters(prefix: "").first { $0.0 == "final_layer.linear.bias" }?.1)
        weight.value.pointer[0] = .infinity
        do {
            _ = try pipeline.generate(prompts: ["a red circle"], seeds: [1, 2], configuration: Self.fast)
            Issue.record("rendered from a non-finite generator")
        } catch let error as TextToImageError {
            #expect(error.code == .nonFiniteOutput)
            #expect(error.message.contains("the generator's latent output holds"), "\(error.message)")
            #expect(error.message.contains("NaN or infinite values of"))
        }
    }

    /// `fae-t2i render` exits non-zero with the message instead of crashing or writing a black JPEG.
    @Test func renderCommandReportsBrokenModels() throws {
        let runner = CommandRunner()
        try #require(runner.isAvailable, "build the fae-t2i binary first (make test does)")
        let out = try TestPaths.temporaryDirectory("broken-render").appendingPathComponent("x.jpg")

        let huge = try TinyModelFolder.make()
        try ModelFolderEditing.setJSON(huge, "generator", "grid_height", 3_000_000_000)
        try ModelFolderEditing.setJSON(huge, "generator", "grid_width", 3_000_000_000)
        let refused = try runner.run(["render", "a red circle", "--model", huge.path, "--out", out.path, "--threads", "1"])
        #expect(refused.status != 0)
        #expect(refused.stderr.contains("generator/config.json: grid_height = 3000000000 exceeds the limit 4096"), "\(refused.stderr)")

        let nan = try TinyModelFolder.make()
        try ModelFolderEditing.poison(nan, "pixel_decoder", tensor: "conv2.weight")
        let poisoned = try runner.run(["render", "a red circle", "--model", nan.path, "--out", out.path, "--threads", "1"])
        #expect(poisoned.status != 0)
        #expect(poisoned.stderr.contains("tensor 'conv2.weight'") && poisoned.stderr.contains("NaN or infinite"), "\(poisoned.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
