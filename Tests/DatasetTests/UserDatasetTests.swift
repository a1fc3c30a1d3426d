import Foundation
import ImageCodec
import TestSupport
import Testing
@testable import Dataset

/// A folder with a 64x64 JPEG, a 100x80 PNG and a 32x32 PNG fixture-like image, plus a sub-folder.
private func makeUserDataset() throws -> (URL, [RGBImage]) {
    let folder = try TestPaths.temporaryDirectory("user-dataset")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("more"), withIntermediateDirectories: true)
    let exact = RGBImage(width: 64, height: 64) { x, y in RGBColor(UInt8(x * 4), UInt8(y * 4), 128) }
    let wide = RGBImage(width: 100, height: 80) { x, _ in x < 50 ? RGBColor(250, 10, 10) : RGBColor(10, 10, 250) }
    let small = RGBImage(width: 32, height: 32, filledWith: RGBColor(40, 170, 70))
    try JPEG.encode(exact, quality: 95).write(to: folder.appendingPathComponent("exact.jpg"))
    try PNG.encode(wide).write(to: folder.appendingPathComponent("wide.png"))
    // The extension lies: formats are told apart by content.
    try PNG.encode(small).write(to: folder.appendingPathComponent("more/small.jpeg"))
    return (folder, [exact, wide, small])
}

@Test func userDatasetWithJPEGAndPNGOpensResized() throws {
    let (folder, images) = try makeUserDataset()
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeIndex([
        #"{"file": "exact.jpg", "caption": "a gradient"}"#,
        "",
        #"{"caption": "red and blue", "file": "wide.png", "extra": 1}"#,
        #"  {"file": "more/small.jpeg", "caption": "green"}  "#,
    ], in: folder)
    let dataset = try ImageDataset.open(url: folder)
    #expect(dataset.count == 3 && dataset.manifest == nil)
    #expect((0..<3).map { dataset.caption(at: $0) } == ["a gradient", "red and blue", "green"])
    #expect(try dataset.scene(at: 0) == nil)
    #expect(try dataset.image(at: 0).psnr(to: images[0]) > 35)
    #expect(dataset.image(at: 1) == (try ImageResizer.resize(images[1], toSquare: 64)))
    // 100x80 -> crop 80x80 at x 10 (40 red columns, 40 blue) -> exactly half red, half blue.
    #expect(dataset.image(at: 1).pixel(x: 31, y: 10) == RGBColor(250, 10, 10))
    #expect(dataset.image(at: 1).pixel(x: 32, y: 10) == RGBColor(10, 10, 250))
    #expect(dataset.image(at: 2) == RGBImage(width: 64, height: 64, filledWith: RGBColor(40, 170, 70)))
}

@Test func pngFixturesLoadAsDatasetImages() throws {
    let folder = try TestPaths.temporaryDirectory("png-fixtures")
    defer { try? FileManager.default.removeItem(at: folder) }
    let names = ["rgba8.png", "palette4_trns.png", "rgb16.png", "gray1.png"]
    for name in names {
        try FileManager.default.copyItem(at: pngFixtures.appendingPathComponent(name), to: folder.appendingPathComponent(name))
    }
    try writeIndex(names.map { #"{"file": "\#($0)", "caption": "fixture"}"# }, in: folder)
    let dataset = try ImageDataset.open(url: folder, imageSize: 8)
    #expect(dataset.count == 4)
    // The 8x1 gray strip is cropped to its central 1x1 pixel (x = 3: white) and enlarged.
    #expect(dataset.image(at: 3) == RGBImage(width: 8, height: 8, filledWith: RGBColor(255, 255, 255)))
}

@Test func missingImageNamesFileAndLine() throws {
    let (folder, _) = try makeUserDataset()
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeIndex([
        #"{"file": "exact.jpg", "caption": "a"}"#,
        #"{"file": "nowhere/gone.png", "caption": "b"}"#,
    ], in: folder)
    let error = datasetError { _ = try ImageDataset.open(url: folder) }
    #expect(error?.code == .missingImage)
    #expect(error?.message.contains("line 2") == true && error?.message.contains("nowhere/gone.png") == true, "\(String(describing: error))")
}

@Test func unreadableImageNamesFileAndLine() throws {
    let (folder, _) = try makeUserDataset()
    defer { try? FileManager.default.removeItem(at: folder) }
    let jpeg = try Data(contentsOf: folder.appendingPathComponent("exact.jpg"))
    try jpeg.prefix(jpeg.count / 3).write(to: folder.appendingPathComponent("truncated.jpg"))
    try Data("GIF89a....".utf8).write(to: folder.appendingPathComponent("animated.gif"))
    try writeIndex([
        #"{"file": "exact.jpg", "caption": "a"}"#,
        #"{"file": "wide.png", "caption": "b"}"#,
        #"{"file": "truncated.jpg", "caption": "c"}"#,
        #"{"file": "animated.gif", "caption": "d"}"#,
    ], in: folder)
    let error = datasetError { _ = try ImageDataset.open(url: folder) }
    #expect(error?.code == .unreadableImage)
    #expect(error?.message.contains("line 3") == true && error?.message.contains("'truncated.jpg'") == true, "\(String(describing: error))")
    try writeIndex([#"{"file": "animated.gif", "caption": "d"}"#], in: folder)
    let gif = datasetError { _ = try ImageDataset.open(url: folder) }
    #expect(gif?.message.contains("not a JPEG or PNG") == true && gif?.message.contains("line 1") == true)
}

@Test func malformedLinesNameTheLine() throws {
    let (folder, _) = try makeUserDataset()
    defer { try? FileManager.default.removeItem(at: folder) }
    let cases: [(String, String)] = [
        (#"{"file": "wide.png", "caption": "unterminated}"#, "malformed JSON"),
        (#"{"file": "wide.png"}"#, "missing key 'caption'"),
        (#"{"file": "wide.png", "caption": 7}"#, "'caption'"),
        (#"["wide.png", "b"]"#, "not a JSON object"),
    ]
    for (line, expected) in cases {
        try writeIndex([#"{"file": "exact.jpg", "caption": "ok"}"#, "", line], in: folder)
        let error = datasetError { _ = try ImageDataset.open(url: folder) }
        #expect(error?.code == .malformedIndex)
        #expect(error?.message.hasPrefix("captions.jsonl line 3: ") == true, "\(String(describing: error))")
        #expect(error?.message.contains(expected) == true, "\(String(describing: error))")
        #expect(error?.message.contains("\n") == false)
    }
    try FileManager.default.removeItem(at: folder.appendingPathComponent("captions.jsonl"))
    #expect(datasetError { _ = try ImageDataset.open(url: folder) }?.message.contains("no captions.jsonl") == true)
}

@Test func rawShardReferencesAreChecked() throws {
    let folder = try TestPaths.temporaryDirectory("raw-refs")
    defer { try? FileManager.default.removeItem(at: folder) }
    var generator = DatasetGenerator(grammar: testGrammar)
    generator.shardSize = 4
    try generator.generate(count: 6, seed: 1, split: .train, into: folder)
    // A user may subset or reorder captions.jsonl and mix in their own images.
    let lines = try String(contentsOf: folder.appendingPathComponent("captions.jsonl"), encoding: .utf8)
        .split(separator: "\n").map(String.init)
    try PNG.encode(RGBImage(width: 64, height: 64, filledWith: RGBColor(1, 2, 3))).write(to: folder.appendingPathComponent("mine.png"))
    try writeIndex([lines[5], #"{"file": "mine.png", "caption": "mine"}"#, lines[0]], in: folder)
    let dataset = try ImageDataset.open(url: folder)
    #expect(dataset.count == 3 && dataset.file(at: 0) == "shard-00001.rgb#1" && dataset.caption(at: 1) == "mine")
    #expect(dataset.image(at: 1).pixel(x: 5, y: 5) == RGBColor(1, 2, 3))
    try writeIndex([#"{"file": "shard-00001.rgb#2", "caption": "past the end"}"#], in: folder)
    let error = datasetError { _ = try ImageDataset.open(url: folder) }
    #expect(error?.code == .malformedIndex && error?.message.contains("line 1") == true, "\(String(describing: error))")
}
