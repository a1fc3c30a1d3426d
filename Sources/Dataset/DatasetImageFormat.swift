/// How `DatasetGenerator` stores images.
public enum DatasetImageFormat: String, CaseIterable, Codable, Sendable {
    /// Raw RGB8 shards (`shard-00000.rgb`, N x S x S x 3 bytes): lossless and mapped straight into
    /// training, nothing to decode. The default.
    case raw
    /// One JPEG file per image at quality 95 (4:4:4), what the evaluator sees; the user format.
    case jpeg
    /// One PNG file per image: lossless, in the user format.
    case png
}
