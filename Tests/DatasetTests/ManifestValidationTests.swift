import Foundation
import TestSupport
import Testing
@testable import Dataset

/// A raw dataset of 6 images in shards of 4 and 2.
private func makeRawDataset() throws -> URL {
    let folder = try TestPaths.temporaryDirectory("manifest")
    var generator = DatasetGenerator(grammar: testGrammar)
    generator.shardSize = 4
    generator.threads = 2
    try generator.generate(count: 6, seed: 2, split: .train, into: folder)
    return folder
}

/// dataset.json of `folder` with `edit` applied to its JSON object.
private func editManifest(in folder: URL, _ edit: (inout [String: Any]) -> Void) throws {
    let url = folder.appendingPathComponent("dataset.json")
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    edit(&object)
    try JSONSerialization.data(withJSONObject: object).write(to: url)
}

/// Sets field `key` of shard `index` in the manifest's JSON object.
private func setShard(_ index: Int, _ key: String, to value: Any, in object: inout [String: Any]) {
    var shards = object["shards"] as! [[String: Any]]
    shards[index][key] = value
    object["shards"] = shards
}

@Test func manifestCountsAndSizesAreCheckedWithoutOverflow() throws {
    let folder = try makeRawDataset()
    defer { try? FileManager.default.removeItem(at: folder) }
    let original = try Data(contentsOf: folder.appendingPathComponent("dataset.json"))
    #expect(try ImageDataset.open(url: folder).count == 6)
    let huge = 1 << 62
    // (edit, text the error must contain: the field and its value)
    let cases: [((inout [String: Any]) -> Void, String)] = [
        ({ setShard(0, "count", to: huge, in: &$0) }, "shards[0].count is \(huge), but shard-00000.rgb holds 49152 bytes"),  // * 12288 overflows
        ({ setShard(1, "count", to: huge / 3, in: &$0) }, "shards[1].count is \(huge / 3)"),
        ({ setShard(0, "count", to: -1, in: &$0) }, "shards[0].count is -1"),
        ({ setShard(1, "count", to: 3, in: &$0) }, "shards[1].count is 3, but shard-00001.rgb holds 24576 bytes: 2 images"),  // the file holds 2
        ({ setShard(0, "count", to: Int.min, in: &$0) }, "shards[0].count is \(Int.min)"),
        ({ $0["count"] = huge }, "count is \(huge), but shards[].count adds up to 6"),
        ({ $0["count"] = -5 }, "count is -5"),
        ({ $0["image_size"] = 0 }, "image_size is 0"),
        ({ $0["image_size"] = -64 }, "image_size is -64"),
        ({ setShard(0, "file", to: "..", in: &$0) }, "shards[0].file is '..'"),
        ({ setShard(1, "file", to: "", in: &$0) }, "shards[1].file is ''"),
    ]
    for (edit, expected) in cases {
        try original.write(to: folder.appendingPathComponent("dataset.json"))
        try editManifest(in: folder, edit)
        let error = datasetError { _ = try ImageDataset.open(url: folder) }
        #expect(error?.code == .malformedIndex, "\(expected): \(String(describing: error))")
        #expect(error?.message.contains(expected) == true, "\(expected): \(String(describing: error))")
        #expect(error?.message.contains("dataset.json") == true)
    }
    // A count that JSON holds but Int does not fails in Foundation's parser, which names no field.
    try original.write(to: folder.appendingPathComponent("dataset.json"))
    let text = try String(contentsOf: folder.appendingPathComponent("dataset.json"), encoding: .utf8)
    try text.replacingOccurrences(of: "\"count\" : 6", with: "\"count\" : 99999999999999999999")
        .write(to: folder.appendingPathComponent("dataset.json"), atomically: true, encoding: .utf8)
    let tooBig = datasetError { _ = try ImageDataset.open(url: folder) }
    #expect(tooBig?.code == .malformedIndex && tooBig?.message.contains("dataset.json: malformed JSON") == true, "\(String(describing: tooBig))")
}

@Test func shardReferencesOutsideTheShardNameTheLine() throws {
    let folder = try makeRawDataset()
    defer { try? FileManager.default.removeItem(at: folder) }
    // shard-00000.rgb holds images 0..<4.
    for reference in ["shard-00000.rgb#4", "shard-00000.rgb#-1", "shard-00000.rgb#99999999999999999999", "shard-00000.rgb#x"] {
        try writeIndex([#"{"file": "shard-00000.rgb#0", "caption": "ok"}"#, #"{"file": "\#(reference)", "caption": "bad"}"#], in: folder)
        let error = datasetError { _ = try ImageDataset.open(url: folder) }
        #expect(error?.code == .malformedIndex, "\(reference): \(String(describing: error))")
        #expect(error?.message.contains("line 2: file '\(reference)'") == true, "\(String(describing: error))")
        #expect(error?.message.contains("holds 4 images") == true, "\(String(describing: error))")
    }
}

@Test func manifestAndShardsMustBeRegularFilesOfBoundedSize() throws {
    let folder = try makeRawDataset()
    defer { try? FileManager.default.removeItem(at: folder) }
    let shard = folder.appendingPathComponent("shard-00001.rgb")
    try FileManager.default.removeItem(at: shard)
    try FileManager.default.createDirectory(at: shard, withIntermediateDirectories: false)
    let directory = datasetError { _ = try ImageDataset.open(url: folder) }
    #expect(directory?.message.contains("shard-00001.rgb: not a regular file") == true, "\(String(describing: directory))")

    // A sparse dataset.json past the size limit is refused before it is read.
    let manifest = try FileHandle(forWritingTo: folder.appendingPathComponent("dataset.json"))
    try manifest.truncate(atOffset: UInt64(ImageDataset.maximumManifestBytes + 1))
    try manifest.close()
    let large = datasetError { _ = try ImageDataset.open(url: folder) }
    #expect(large?.code == .malformedIndex, "\(String(describing: large))")
    #expect(large?.message.contains("dataset.json: the file is \(ImageDataset.maximumManifestBytes + 1) bytes, more than the limit") == true,
            "\(String(describing: large))")
}
