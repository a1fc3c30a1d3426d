/// Text from the queue made safe to print on a terminal: control characters (an escape sequence
/// in a prompt could move the cursor, rewrite earlier lines or retitle the window) and the
/// invisible bidirectional overrides are shown as `\n`, `\t` or `\u{1B}` instead.
enum TerminalText {
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            case _ where needsEscape(scalar): result += "\\u{\(String(scalar.value, radix: 16, uppercase: true))}"
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.generalCategory == .control || bidiControls.contains(scalar.value)
    }

    /// U+061C and U+200E/F marks, U+202A-202E embeddings and overrides, U+2066-2069 isolates.
    static let bidiControls: Set<UInt32> = [0x061C, 0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069]
}
