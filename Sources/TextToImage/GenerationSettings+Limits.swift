import Foundation
import Models
import Sampler

extension GenerationSettings {
    /// Time shifts outside this range put (almost) every sampling step at t = 1 or at t = 0: the
    /// image comes out as noise or blank without any error. Trained shifts are 1-10.
    static let shiftRange = 1e-3 ... 1e3

    /// Checks generation.json's numbers against `ConfigLimits` (the generator's own text length is
    /// checked against the generator later); throws `invalidModel` naming the file, key, value and limit.
    func validateLimits(file: URL) throws {
        do {
            try ConfigValidation.size("max_text_tokens", maxTextTokens, max: ConfigLimits.maxTextTokens)
            try ConfigValidation.number("shift", shift, min: Self.shiftRange.lowerBound, max: Self.shiftRange.upperBound)
        } catch let error as ModelError {
            throw TextToImageError(.invalidModel, "\(file.path): \(error.message)", cause: error)
        }
    }
}
