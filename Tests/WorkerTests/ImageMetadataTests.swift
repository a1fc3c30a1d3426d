import Foundation
import ImageCodec
import JobQueue
import Testing
@testable import Worker

@Suite struct ImageMetadataTests {
    /// The longest prompts the queue accepts, made of the characters JSON escapes the most, still
    /// fit one JPEG comment segment.
    @Test func largestAcceptedPromptsFitTheJPEGComment() throws {
        // Control characters grow sixfold (\u0001); a quote carrying combining marks fills the bytes left.
        let controls = JobRequest.maxPromptCharacters - 1
        let marks = (JobRequest.maxPromptBytes - controls - 1) / 2
        let worst = String(repeating: "\u{1}", count: controls) + "\"" + String(repeating: "\u{301}", count: marks)
        #expect(worst.count == JobRequest.maxPromptCharacters && worst.utf8.count >= JobRequest.maxPromptBytes - 1)
        let request = JobRequest(prompt: worst, negativePrompt: worst)
        try request.validate()
        let metadata = ImageMetadata(job: "0123456789abcdef", prompt: worst, negativePrompt: worst, seed: Int64.max,
                                     steps: 1_000, guidance: 29.999999999, sampler: "euler",
                                     model: String(repeating: "m", count: 200), weightsHash: String(repeating: "f", count: 64))
        let json = metadata.json()
        #expect(json.utf8.count <= JPEG.maximumCommentBytes)
        let image = RGBImage(width: 8, height: 8, filledWith: RGBColor(1, 2, 3))
        let jpeg = try JPEG.encode(image, comment: json)
        #expect(try JPEG.comment(in: jpeg) == json)
    }
}
