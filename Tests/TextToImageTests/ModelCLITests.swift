import Foundation
import Testing
import TestSupport

/// The model commands of the `fae-t2i` binary on the tiny model folder.
@Suite(.serialized) struct ModelCLITests {
    let runner = CommandRunner()

    func run(_ arguments: [String]) throws -> CommandRunner.Output {
        try #require(runner.isAvailable, "build the fae-t2i binary first (make test does)")
        return try runner.run(arguments)
    }

    /// The four prompts of `ShapeBenchEvaluationTests` as a ShapeBench prompt file.
    static func writeFourPrompts(in folder: URL) throws -> URL {
        let prompts = folder.appendingPathComponent("four.jsonl")
        try ShapeBenchEvaluationTests.prompts.map { #"{"category":"\#($0.category.rawValue)","prompt":"\#($0.prompt)"}"# }
            .joined(separator: "\n").write(to: prompts, atomically: true, encoding: .utf8)
        return prompts
    }

    @Test func evalShapeBenchPrintsJSONAndSavesImages() throws {
        let model = try TinyModelFolder.make()
        let folder = try TestPaths.temporaryDirectory("eval-cli")
        let prompts = try Self.writeFourPrompts(in: folder)
        let out = folder.appendingPathComponent("images")
        let details = folder.appendingPathComponent("details.jsonl")
        let result = try run(["eval", "shapebench", "--model", model.path, "--prompts", prompts.path, "--steps", "2",
                              "--batch", "3", "--guidance-max-time", "1", "--shift", "2", "--json", "--out", out.path,
                              "--details", details.path, "--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(json["overall"] is Double && json["fd"] is Double && json["images"] as? Int == 4)
        let categories = try #require(json["categories"] as? [String: Double])
        #expect(Set(categories.keys) == ["single", "counting", "position", "background"])
        #expect(json["failures"] is [String: Any])
        let saved = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(saved == ["0-0.png", "1-0.png", "2-0.png", "3-0.png"])
        let lines = try String(contentsOf: details, encoding: .utf8).split(separator: "\n")
        let verdicts = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(verdicts.map { $0["prompt"] as? String } == ShapeBenchEvaluationTests.prompts.map(\.prompt))
        #expect(verdicts.allSatisfy { $0["correct"] is Bool && $0["objects"] is [Any] && $0["background"] is String })
        #expect(verdicts.allSatisfy { ($0["correct"] as? Bool == true) == ($0["failure"] is NSNull) })
    }

    /// The judge's check and the FAE chain's ceiling on the same prompts and seeds.
    @Test func evalShapeBenchJudgesReferencesAndReconstructions() throws {
        let model = try TinyModelFolder.make()
        let folder = try TestPaths.temporaryDirectory("eval-cli-sources")
        let prompts = try Self.writeFourPrompts(in: folder)
        func evaluate(_ source: String) throws -> [String: Any] {
            let result = try run(["eval", "shapebench", "--model", model.path, "--prompts", prompts.path, "--source", source,
                                  "--samples", "2", "--json", "--threads", "1"])
            #expect(result.status == 0, "\(result.stderr)")
            return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        }
        let references = try evaluate("references")
        #expect(references["overall"] as? Double == 1 && references["images"] as? Int == 8)
        #expect(try abs(#require(references["fd"] as? Double)) < 1e-6)
        // The tiny random FAE blurs every render away: the chain's images are judged, not the renders.
        let reconstructions = try evaluate("reconstructions")
        #expect(reconstructions["overall"] as? Double == 0 && reconstructions["images"] as? Int == 8)
        #expect(try #require(reconstructions["fd"] as? Double) > 0)
        let bad = try run(["eval", "shapebench", "--model", model.path, "--source", "pixels"])
        #expect(bad.status != 0 && bad.stderr.contains("--source"), "\(bad.stderr)")
    }

    @Test func evalShapeBenchRejectsAnUnwritableDetailsFile() throws {
        let model = try TinyModelFolder.make()
        let folder = try TestPaths.temporaryDirectory("eval-cli-details")
        let details = folder.appendingPathComponent("missing-folder/details.jsonl").path
        let result = try run(["eval", "shapebench", "--model", model.path, "--details", details, "--threads", "1"])
        #expect(result.status != 0 && result.stderr.contains("cannot write --details file \(details)"), "\(result.stderr)")
    }

    @Test func evalShapeBenchRejectsBadSamplerSettings() throws {
        for (arguments, message) in [(["--guidance-max-time", "1.5"], "--guidance-max-time must be between 0 and 1"),
                                     (["--shift", "0"], "--shift must be a positive number"),
                                     (["--sampler", "rk4"], "--sampler must be euler or heun")] {
            let result = try run(["eval", "shapebench"] + arguments)
            #expect(result.status != 0 && result.stderr.contains(message), "\(arguments): \(result.stderr)")
        }
    }

    @Test func reconstructAnyImageAndRejectBadInput() throws {
        let model = try TinyModelFolder.make()
        let folder = try TestPaths.temporaryDirectory("reconstruct-cli")
        // A PNG of another size is resized to the model's 64x64.
        let input = TestPaths.repositoryRoot.appendingPathComponent("Tests/Fixtures/png/rgba8.png")
        let out = folder.appendingPathComponent("r.png")
        let result = try run(["reconstruct", input.path, "--model", model.path, "--out", out.path, "--threads", "1"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("PSNR"))
        let data = try Data(contentsOf: out)
        #expect(data.starts(with: [0x89, 0x50, 0x4E, 0x47]))

        let missing = try run(["reconstruct", folder.appendingPathComponent("nope.png").path, "--model", model.path, "--out", out.path])
        #expect(missing.status == 1 && missing.stderr.contains("nope.png"), "\(missing.stderr)")
        let text = folder.appendingPathComponent("text.png")
        try Data("not an image".utf8).write(to: text)
        let unreadable = try run(["reconstruct", text.path, "--model", model.path, "--out", out.path])
        #expect(unreadable.status == 1 && unreadable.stderr.contains("not a JPEG or PNG"), "\(unreadable.stderr)")
        let badOut = try run(["reconstruct", input.path, "--model", model.path, "--out", folder.appendingPathComponent("r.gif").path])
        #expect(badOut.status != 0 && badOut.stderr.contains(".png"))
        let noModel = try run(["reconstruct", input.path, "--model", folder.path, "--out", out.path])
        #expect(noModel.status == 1 && noModel.stderr.contains("cannot load the FAE"), "\(noModel.stderr)")
    }

    @Test func renderWithTheModel() throws {
        let model = try TinyModelFolder.make()
        let out = try TestPaths.temporaryDirectory("render-cli").appendingPathComponent("x.jpg")
        let result = try run(["render", "a red circle", "--out", out.path, "--model", model.path, "--seed", "3", "--json"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("\"model\" : \"fae-t2i:\(model.lastPathComponent)\""))
        #expect(FileManager.default.fileExists(atPath: out.path))
        #expect(!result.stderr.contains("warning"), "\(result.stderr)")

        // A prompt longer than the model's text still renders, with a warning naming what is cut.
        let long = "a picture of a small pink cross to the left of a large cyan circle on a black background"
        let cut = try run(["render", long, "--out", out.path, "--model", model.path, "--seed", "3"])
        #expect(cut.status == 0, "\(cut.stderr)")
        #expect(cut.stderr.contains("warning: the model reads \(TinyModelFolder.maxTextTokens) text tokens; the last"), "\(cut.stderr)")

        // render writes JPEG, so another extension is refused before any work.
        let png = out.deletingPathExtension().appendingPathExtension("png")
        let wrongName = try run(["render", "a red circle", "--out", png.path, "--model", model.path, "--seed", "3"])
        #expect(wrongName.status != 0 && wrongName.stderr.contains("--out must end in .jpg or .jpeg"), "\(wrongName.stderr)")
        #expect(!FileManager.default.fileExists(atPath: png.path))
    }

    @Test func missingOrIncompleteModelFoldersAreNamed() throws {
        let empty = try TestPaths.temporaryDirectory("empty-model")
        let nowhere = empty.appendingPathComponent("absent").path
        let out = empty.appendingPathComponent("x.jpg").path

        let render = try run(["render", "a red circle", "--out", out, "--model", nowhere])
        #expect(render.status == 1)
        #expect(render.stderr.contains("no model folder at \(nowhere)") && render.stderr.contains("--renderer reference"))

        let worker = try run(["worker", "--db", empty.appendingPathComponent("q.sqlite").path, "--model", empty.path, "--exit-when-idle"])
        #expect(worker.status == 1)
        #expect(worker.stderr.contains("missing spiece.model, text_encoder/config.json"))
        #expect(worker.stderr.contains("make model") && worker.stderr.contains("--renderer reference"))

        let partial = try TinyModelFolder.make()
        try FileManager.default.removeItem(at: partial.appendingPathComponent("encoder"))
        let eval = try run(["eval", "shapebench", "--model", partial.path])
        #expect(eval.status == 1)
        #expect(eval.stderr.contains("missing encoder/config.json, encoder/model.safetensors"), "\(eval.stderr)")

        let bench = try run(["bench", "render", "--model", empty.path])
        #expect(bench.status == 1 && bench.stderr.contains("generator/model.safetensors"))
    }
}
