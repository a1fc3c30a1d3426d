import ArgumentParser
import FaeResources
import Foundation
import ShapesWorld

/// `tokenizer corpus`: writes the deterministic caption corpus the tokenizer is trained on.
struct TokenizerCorpusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "corpus",
        abstract: "Write the SentencePiece training corpus (shapes-world captions, one per line).")

    @Option(help: "Output file (default: prompts/\(CaptionCorpus.relativePath)).") var out: String?
    @Option(help: "Generated captions, before the ShapeBench prompts and coverage lines.")
    var count: Int = CaptionCorpus.defaultCount
    @Option(help: "Seed of the caption generator.") var seed: UInt64 = CaptionCorpus.defaultSeed

    func validate() throws {
        guard (0...10_000_000).contains(count) else { throw CLIError("--count must be between 0 and 10000000") }
    }

    func run() throws {
        let prompts = try ResourceLocator.promptsDirectory()
        let grammar = try ShapesGrammar.load(from: prompts)
        let url = out.map { URL(fileURLWithPath: $0) } ?? prompts.appendingPathComponent(CaptionCorpus.relativePath)
        let text = CaptionCorpus.text(grammar: grammar, count: count, seed: seed)
        do {
            try Data(text.utf8).write(to: url, options: .atomic)
        } catch {
            throw CLIError("cannot write \(url.path): \(error.localizedDescription)", cause: error)
        }
        let lines = text.reduce(0) { $1 == "\n" ? $0 + 1 : $0 }
        print("\(url.path): \(lines) captions, \(text.utf8.count) bytes")
    }
}
