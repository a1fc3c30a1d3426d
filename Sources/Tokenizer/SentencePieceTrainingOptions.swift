/// Settings of `SentencePieceTrainer.train`. The defaults follow T5's `spiece.model` conventions
/// (`<pad>` = 0, `</s>` = 1, `<unk>` = 2, no BOS, unigram model), so our model and a Hugging Face T5
/// tokenizer are interchangeable in the text encoder.
public struct SentencePieceTrainingOptions: Equatable, Sendable {
    public enum ModelType: String, Sendable, CaseIterable {
        case unigram, bpe, char, word
    }

    public var modelType: ModelType = .unigram
    /// Fraction of the corpus's characters that get their own piece; the rest become `<unk>`.
    /// 1.0 suits a small alphabet like the shapes world's.
    public var characterCoverage = 1.0
    /// SentencePiece normalization. `nmt_nfkc_cf` is NFKC plus case folding: captions are
    /// lowercase, and "A Red Circle" should mean the same as "a red circle", not `<unk>` pieces.
    /// T5 itself uses `nmt_nfkc`.
    public var normalizationRule = "nmt_nfkc_cf"
    /// Pieces that are always one token, in the input too (no commas: SentencePiece separates by them).
    public var userDefinedSymbols: [String] = []
    /// Reserved ids that encoding never produces (e.g. T5's sentinels); no commas.
    public var controlSymbols: [String] = []
    public var padID: Int32 = 0
    public var eosID: Int32 = 1
    public var unknownID: Int32 = 2
    /// -1: no BOS, as in T5.
    public var bosID: Int32 = -1
    /// The EM rounds split the corpus per thread, so the thread count is part of what makes the model
    /// reproducible; 1 is fast enough for corpora of this size.
    public var threads = 1
    /// Fail unless exactly the requested vocabulary size can be made (otherwise SentencePiece may
    /// quietly return a smaller vocabulary).
    public var hardVocabularyLimit = true
    /// Also write SentencePiece's `.vocab` listing (piece and score per line) next to the model.
    public var writesVocabularyFile = true

    public init() {}
}
