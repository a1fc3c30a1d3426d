/// JSON string quoting exactly as serde_json writes it, so that headers match byte for byte.
enum SafetensorsJSON {
    /// Escapes `"`, `\` and control characters (short forms where JSON has them, else `\u00xx`
    /// with lowercase hex); everything else, including `/`, DEL and non-ASCII, is written raw.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case let c where c.value < 0x20:
                let hex = String(c.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default:
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
