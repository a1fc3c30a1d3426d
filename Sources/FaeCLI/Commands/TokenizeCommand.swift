import ArgumentParser
import FaeResources
import Foundation
import Models
import Tokenizer

/// `tokenize`: the pieces and ids of a text, exactly as `spm_encode --output_format=piece` and `=id`
/// print them for the same model (no </s> unless --eos, as `spm_encode --extra_options=eos`).
struct TokenizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize", abstract: "Print the SentencePiece pieces (first line) and ids (second line) of a text.")

    @Argument(help: "The text to tokenize.") var text: String
    @Option(help: "SentencePiece model (default: models/default/spiece.model).") var model: String?
    @Flag(help: "Append </s>, as the text encoder's input has it.") var eos = false
    @Flag(help: "Print machine-readable JSON (keys: pieces, ids).") var json = false

    struct Result: Encodable {
        let pieces: [String]
        let ids: [Int32]
    }

    func run() throws {
        let url: URL
        if let model {
            url = URL(fileURLWithPath: model)
        } else {
            url = try ResourceLocator.defaultModelDirectory().appendingPathComponent(ModelLayout.tokenizerFile)
        }
        let tokenizer: SentencePieceTokenizer
        do {
            tokenizer = try SentencePieceTokenizer(modelFile: url)
        } catch let error as TokenizerError {
            throw CLIError(error.message + (error.cause.map { " (\($0))" } ?? ""), cause: error)
        }
        var tokens = tokenizer.tokens(text)
        if eos, let id = tokenizer.eosID {
            tokens.append((tokenizer.piece(ofID: id) ?? "</s>", id))
        }
        if json {
            try JSONOutput.print(Result(pieces: tokens.map(\.piece), ids: tokens.map(\.id)))
        } else {
            print(tokens.map(\.piece).joined(separator: " "))
            print(tokens.map { String($0.id) }.joined(separator: " "))
        }
    }
}
