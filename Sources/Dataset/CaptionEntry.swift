/// What opening a dataset reads of each `captions.jsonl` line: `scene` is skipped here and decoded
/// on demand (`ImageDataset.scene(at:)`), which makes opening 100k generated samples several times faster.
struct CaptionEntry: Decodable {
    var file: String
    var caption: String

    /// The shard name and image index of a `name#index` reference, nil for a plain file.
    var shardReference: (shard: String, index: Int)? {
        guard let hash = file.lastIndex(of: "#"), let index = Int(file[file.index(after: hash)...]), index >= 0 else {
            return nil
        }
        return (String(file[..<hash]), index)
    }
}
