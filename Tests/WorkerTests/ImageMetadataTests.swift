import Foundation
import Generation
import ImageCodec
import Testing
@testable import Worker

@Suite struct ImageMetadataTests {
    /// The longest prompts the queue accepts, made of the characters JSON escapes the most, still
    /// fit one JPEG comment segment.
    @Test func largestAcceptedPromptsFitTheJPEGComment() throws {
        // Control characters grow sixfold (\u0001); a quote carrying combining marks fills the bytes left.
        let controls = GenerationParameters.maxPromptCharacters - 1
        let marks = (GenerationParameters.maxPromptBytes - controls - 1) / 2
        let worst = String(repeating: "\u{1}", count: controls) + "\"" + String(repeating: "\u{301}", count: marks)
        #expect(worst.count == GenerationParameters.maxPromptCharacters && worst.utf8.count >= GenerationParameters.maxPromptBytes - 1)
        let parameters = GenerationParameters(prompt: worst, negativePrompt: worst, seeds: [Int64.max], steps: 1_000,
                                              guidance: 29.999999999, sampler: .euler)
        try parameters.validate()
        let metadata = ImageMetadata(job: "0123456789abcdef", parameters: parameters, seed: Int64.max,
                                     model: String(repeating: "m", count: 200), weightsHash: String(repeating: "f", count: 64))
        let json = metadata.json()
        #expect(json.utf8.count <= JPEG.maximumCommentBytes)
        let image = RGBImage(width: 8, height: 8, filledWith: RGBColor(1, 2, 3))
        let jpeg = try JPEG.encode(image, comment: json)
        #expect(try JPEG.comment(in: jpeg) == json)
    }

    /// The comment's keys and values: the request's texts and settings with this image's seed.
    @Test func commentHoldsOneImagesParameters() throws {
        let parameters = GenerationParameters(prompt: "a red circle", negativePrompt: "blur", seeds: [7, 8], steps: 4,
                                              guidance: 2.5, sampler: .heun)
        let metadata = ImageMetadata(job: "0123456789abcdef", parameters: parameters, seed: 8, model: "reference", weightsHash: "ab")
        #expect(metadata.json() == #"{"guidance":2.5,"job":"0123456789abcdef","model":"reference","negative_prompt":"blur","#
            + #""prompt":"a red circle","sampler":"heun","seed":8,"steps":4,"weights_hash":"ab"}"#)
        let unqueued = ImageMetadata(job: nil, parameters: parameters, seed: 7, model: "reference", weightsHash: nil)
        #expect(unqueued.json() == #"{"guidance":2.5,"model":"reference","negative_prompt":"blur","prompt":"a red circle","#
            + #""sampler":"heun","seed":7,"steps":4}"#)
    }
}
