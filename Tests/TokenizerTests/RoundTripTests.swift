import Testing
import Tokenizer

/// decode(encode(x)) == x for text already in the model's normal form, and any UTF-8 is accepted.
@Suite struct RoundTripTests {
    @Test func normalizedCaptionsRoundTrip() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        for text in ["a red circle", "a picture of two small blue crosses on a gray background",
                     "a yellow diamond, a cyan circle and a purple square", "a pink plus sign beneath a green square"] {
            #expect(tokenizer.decode(tokenizer.encode(text)) == text)
        }
    }

    @Test func normalizedUnicodeRoundTripsInTheMixedModel() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("mixed.model")
        for text in ["Straße und Grüße", "naïve café", "赤い丸", "😀 👍", "Русский текст", "a red circle"] {
            #expect(tokenizer.decode(tokenizer.encode(text)) == text)
        }
    }

    /// Whitespace is normalized (runs collapse, ends trimmed) and case folded by the default model.
    @Test func defaultModelNormalizesCaseAndSpaces() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        #expect(tokenizer.encode("  A   Red\tCIRCLE ") == tokenizer.encode("a red circle"))
    }

    @Test func anyUTF8IsAccepted() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        let texts = ["", " ", "\n\t ", "😀", "👩‍🚀", "🇫🇷", "e\u{301}", "\u{301}", "一个红色的圆圈", "\u{0}", "a\u{0}b",
                     "\u{FFFD}", "\u{10FFFF}", String(repeating: "a red circle ", count: 2_000)]
        for text in texts {
            let ids = tokenizer.encode(text)
            #expect(ids.allSatisfy { (0..<Int32(tokenizer.vocabularySize)).contains($0) })
            #expect(tokenizer.pieces(text).count == ids.count)
            _ = tokenizer.decode(ids)
        }
        #expect(tokenizer.encode("").isEmpty)
        #expect(tokenizer.encode("   ").isEmpty)
        #expect(tokenizer.encode("😀") .contains(tokenizer.unknownID))
    }

    @Test func decodeHandlesBadIds() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        let circle = tokenizer.encode("a red circle")
        #expect(tokenizer.decode(circle + [1, 0, 0]) == "a red circle")  // </s> and <pad> decode to nothing
        #expect(tokenizer.decode([]) == "")
        #expect(tokenizer.decode([-5, 99_999]) == tokenizer.decode([tokenizer.unknownID, tokenizer.unknownID]))
        #expect(throws: TokenizerError.self) { try tokenizer.checkedDecode([99_999]) }
        let error = try #require(throws: TokenizerError.self) { try tokenizer.checkedDecode([-1]) }
        #expect(error.code == .invalidArgument)
    }
}
