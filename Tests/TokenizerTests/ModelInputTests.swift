import Testing
import Tokenizer

/// EOS, padding, attention mask and the behaviour past the maximum length.
@Suite struct ModelInputTests {
    @Test func appendsEosAndPads() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        let ids = tokenizer.encode("a red circle")
        let input = try tokenizer.encode("a red circle", maxLength: 16)
        #expect(input.ids == ids + [1] + [Int32](repeating: 0, count: 16 - ids.count - 1))
        #expect(input.attentionMask == [Int32](repeating: 1, count: ids.count + 1) + [Int32](repeating: 0, count: 16 - ids.count - 1))
        #expect(input.tokenCount == ids.count + 1)
        #expect(!input.wasTruncated)
    }

    @Test func noPaddingEndsWithEos() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        let input = try tokenizer.encode("a red circle", maxLength: 16, padding: .none)
        #expect(input.ids.last == 1)
        #expect(input.attentionMask.allSatisfy { $0 == 1 })
        #expect(input.ids.count == input.attentionMask.count)
    }

    @Test func emptyTextIsJustEos() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        let input = try tokenizer.encode("", maxLength: 4)
        #expect(input.ids == [1, 0, 0, 0])
        #expect(input.attentionMask == [1, 0, 0, 0])
    }

    @Test func exactFitIsNotTruncated() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        let count = tokenizer.encode("a red circle").count + 1
        let input = try tokenizer.encode("a red circle", maxLength: count)
        #expect(input.ids.count == count && input.ids.last == 1 && !input.wasTruncated)
    }

    @Test func tooLongIsAnErrorByDefault() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        let text = "a picture of a small red circle in the top left corner to the left of a large blue square on a black background"
        let count = tokenizer.encode(text).count + 1
        let error = try #require(throws: TokenizerError.self) { try tokenizer.encode(text, maxLength: 8) }
        #expect(error.code == .tooLong)
        #expect(error.message.contains("\(count) tokens") && error.message.contains("maximum of 8"))
    }

    @Test func truncationKeepsTheHeadAndEos() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        let text = "a picture of a small red circle in the top left corner to the left of a large blue square"
        let ids = tokenizer.encode(text)
        let input = try tokenizer.encode(text, maxLength: 8, truncation: .truncate)
        #expect(input.ids == Array(ids.prefix(7)) + [1])
        #expect(input.attentionMask == [Int32](repeating: 1, count: 8))
        #expect(input.wasTruncated)
        #expect(input.untruncatedCount == ids.count + 1)
    }

    @Test func batchesShareOneShape() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        let batch = try tokenizer.encode(["a red circle", "", "two blue squares on a white background"], maxLength: 12)
        #expect(batch.allSatisfy { $0.ids.count == 12 && $0.attentionMask.count == 12 })
    }

    @Test func invalidMaximumLength() throws {
        let tokenizer = try TokenizerFixtures.tokenizer("default.model")
        let error = try #require(throws: TokenizerError.self) { try tokenizer.encode("a", maxLength: 0) }
        #expect(error.code == .invalidArgument)
    }
}
