/// What opening a dataset reads of each `captions.jsonl` line: `scene` is skipped here and decoded
/// on demand (`ImageDataset.scene(at:)`), which makes opening 100k generated samples several times faster.
struct CaptionEntry: Decodable {
    var file: String
    var caption: String

    /// The shard name and image number of a `name#number` reference, nil for a name without '#'.
    /// `index` is nil when the part after '#' is not a non-negative number that fits an Int, so that a
    /// reference into a known shard with a bad number is reported instead of taken for a file name.
    var shardReference: (shard: String, index: Int?)? {
        guard let hash = file.lastIndex(of: "#") else { return nil }
        let index = Int(file[file.index(after: hash)...]).flatMap { $0 >= 0 ? $0 : nil }
        return (String(file[..<hash]), index)
    }
}
