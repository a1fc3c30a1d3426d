extension DatasetManifest {
    /// Checks the fields that need no shard file, naming the field and value at fault (`path` is the
    /// manifest's, for messages): sizes and counts in range, shard files plain names in the dataset
    /// folder. The shard counts are checked against the files when they are mapped.
    func checkFields(path: String) throws {
        guard imageSize > 0 else {
            throw DatasetError(.malformedIndex, "\(path): image_size is \(imageSize), it must be positive")
        }
        guard count >= 0 else {
            throw DatasetError(.malformedIndex, "\(path): count is \(count), it must not be negative")
        }
        for (position, shard) in shards.enumerated() {
            guard !shard.file.isEmpty, shard.file != ".", shard.file != "..", !shard.file.contains("/") else {
                throw DatasetError(.malformedIndex, "\(path): shards[\(position)].file is '\(shard.file)', it must be a plain file name in the dataset folder")
            }
            guard shard.count >= 0 else {
                throw DatasetError(.malformedIndex, "\(path): shards[\(position)].count is \(shard.count), it must not be negative")
            }
        }
    }
}
