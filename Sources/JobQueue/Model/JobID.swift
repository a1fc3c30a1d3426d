import Digest
import Foundation

/// Job identifiers are 16 lowercase hex digits (64 random bits).
public enum JobID {
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode(generator.next() as UInt64)
    }

    /// Throws `malformedJobID` unless `text` looks like an id this queue issues.
    public static func validate(_ text: String) throws -> String {
        let isHex = text.utf8.count == 16 && text.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
        guard isHex else {
            throw QueueError(.malformedJobID, "malformed job id '\(text.prefix(40))': expected 16 lowercase hex digits")
        }
        return text
    }
}
