/// The one error type of the Generation module: a request parameter that breaks its rule. `field`
/// names the parameter (as the JSON of a request spells it), so an API can point at it.
public struct GenerationError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Field: String, Sendable, CaseIterable {
        case prompt
        case negativePrompt = "negative_prompt"
        case seed, count, steps, guidance, sampler
    }

    public let field: Field
    public let message: String

    public init(_ field: Field, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { message }
}
