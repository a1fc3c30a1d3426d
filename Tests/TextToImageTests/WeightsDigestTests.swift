import Foundation
import Testing
import TestSupport
import TextToImage

@Suite struct WeightsDigestTests {
    /// Two files hash as their concatenation: "ab" + "c" is SHA-256("abc") (FIPS 180-2 test vector).
    @Test func hashesTheFilesOneAfterTheOther() throws {
        let folder = try TestPaths.temporaryDirectory("weights-digest")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("a.bin"), second = folder.appendingPathComponent("b.bin")
        try Data("ab".utf8).write(to: first)
        try Data("c".utf8).write(to: second)
        #expect(try WeightsDigest.sha256Hex(of: [first, second]) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let missing = folder.appendingPathComponent("none.bin")
        do {
            _ = try WeightsDigest.sha256Hex(of: [first, missing])
            Issue.record("a missing file was hashed")
        } catch let error as TextToImageError {
            #expect(error.code == .invalidModel && error.message.contains(missing.path), "\(error.message)")
        }
    }
}
