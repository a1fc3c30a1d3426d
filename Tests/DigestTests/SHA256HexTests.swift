import Digest
import Foundation
import Testing
import TestSupport

@Suite struct SHA256HexTests {
    /// Two files hash as their concatenation: "ab" + "c" is SHA-256("abc") (FIPS 180-2 test vector).
    @Test func hashesTheFilesOneAfterTheOther() throws {
        let folder = try TestPaths.temporaryDirectory("weights-digest")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = folder.appendingPathComponent("a.bin"), second = folder.appendingPathComponent("b.bin")
        try Data("ab".utf8).write(to: first)
        try Data("c".utf8).write(to: second)
        #expect(try SHA256Hex.of(files: [first, second]) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        let missing = folder.appendingPathComponent("none.bin")
        do {
            _ = try SHA256Hex.of(files: [first, missing])
            Issue.record("a missing file was hashed")
        } catch let error as DigestError {
            #expect(error.code == .unreadableFile && error.message.contains(missing.path), "\(error.message)")
        }
    }

    /// Data and files hash alike.
    @Test func hashesData() {
        #expect(SHA256Hex.of(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Hex.of(Data()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    /// Ids and lease tokens are 16 hex digits per 64 bits, most significant first, zero-padded.
    @Test func encodesIntegersAsSixteenDigits() {
        #expect(Hex.encode(UInt64(0x0123_4567_89ab_cdef)) == "0123456789abcdef")
        #expect(Hex.encode(UInt64(1)) == "0000000000000001")
        #expect(Hex.encode([0x00, 0xff, 0x0a]) == "00ff0a")
    }
}
