/// How many tokens a set of texts takes (with `</s>` when the model has it): the figure that sets the
/// text encoder's maximum length.
public struct TokenLengthStatistics: Equatable, Sendable, Codable {
    public var texts: Int
    public var minimum: Int
    public var mean: Double
    public var median: Int
    public var p95: Int
    public var p99: Int
    public var maximum: Int
    /// Token count -> number of texts with it.
    public var histogram: [Int: Int]
    /// Share of all pieces that are `<unk>`: 0 for a corpus the model was trained on with full coverage.
    public var unknownRate: Double

    enum CodingKeys: String, CodingKey {
        case texts, minimum, mean, median, p95, p99, maximum, histogram
        case unknownRate = "unknown_rate"
    }

    public init(tokenizer: SentencePieceTokenizer, texts: [String]) {
        var counts: [Int] = []
        var unknown = 0
        for text in texts {
            let ids = tokenizer.encode(text)
            unknown += ids.filter { $0 == tokenizer.unknownID }.count
            counts.append(ids.count + (tokenizer.eosID == nil ? 0 : 1))
        }
        counts.sort()
        func quantile(_ q: Double) -> Int {
            counts.isEmpty ? 0 : counts[min(counts.count - 1, Int((q * Double(counts.count - 1)).rounded()))]
        }
        let total = counts.reduce(0, +)
        self.texts = counts.count
        minimum = counts.first ?? 0
        maximum = counts.last ?? 0
        mean = counts.isEmpty ? 0 : Double(total) / Double(counts.count)
        median = quantile(0.5)
        p95 = quantile(0.95)
        p99 = quantile(0.99)
        histogram = counts.reduce(into: [:]) { $0[$1, default: 0] += 1 }
        let eosCount = tokenizer.eosID == nil ? 0 : counts.count
        unknownRate = total - eosCount > 0 ? Double(unknown) / Double(total - eosCount) : 0
    }
}
