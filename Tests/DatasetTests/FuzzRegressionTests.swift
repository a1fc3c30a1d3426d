import Foundation
import ImageCodec
import TestSupport
import Testing
@testable import Dataset

/// Inputs the fuzz targets (Fuzz/README.md) found crashing a dataset's readers; each must now be
/// refused with the parser's error.
struct FuzzRegressionTests {
    /// captions.jsonl scenes whose geometry `Scene.boundingBox` cannot place (found by the
    /// captions-index target: column 5 trapped with an index out of range in the layout loss's use).
    @Test(arguments: [
        // An object in column 5 of the 3x3 grid.
        #"{"background":{"name":"white","rgb":{"blue":250,"green":250,"red":250}},"cellCenters":[11,32,53],"imageSize":64,"objects":[{"cell":{"column":5,"row":2},"color":{"name":"blue","rgb":{"blue":210,"green":70,"red":40}},"shape":"diamond","size":{"name":"small","pixels":11}}]}"#,
        // A negative row.
        #"{"background":{"name":"white","rgb":{"blue":250,"green":250,"red":250}},"cellCenters":[11,32,53],"imageSize":64,"objects":[{"cell":{"column":0,"row":-1},"color":{"name":"blue","rgb":{"blue":210,"green":70,"red":40}},"shape":"diamond","size":{"name":"small","pixels":11}}]}"#,
        // Two cell centres for a 3x3 grid.
        #"{"background":{"name":"white","rgb":{"blue":250,"green":250,"red":250}},"cellCenters":[11,32],"imageSize":64,"objects":[{"cell":{"column":2,"row":2},"color":{"name":"blue","rgb":{"blue":210,"green":70,"red":40}},"shape":"diamond","size":{"name":"small","pixels":11}}]}"#,
    ])
    func sceneOutsideTheGridIsMalformed(scene: String) throws {
        let folder = try TestPaths.temporaryDirectory("fuzz-scene")
        defer { try? FileManager.default.removeItem(at: folder) }
        try PNG.encode(RGBImage(width: 8, height: 8, filledWith: RGBColor(1, 2, 3))).write(to: folder.appendingPathComponent("a.png"))
        try writeIndex([#"{"caption":"a small blue diamond","file":"a.png","scene":"# + scene + "}"], in: folder)
        let dataset = try ImageDataset.open(url: folder, imageSize: 8, threads: 1)
        let error = datasetError { _ = try dataset.scene(at: 0) }
        #expect(error?.code == .malformedIndex)
        #expect(error?.message.contains("line 1") == true)
    }
}
