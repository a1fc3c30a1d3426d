import ModuleErrors

/// The one error type of Evaluation: bad settings, an image source that broke its contract, or
/// evaluation data or a model that does not fit the run.
public typealias EvaluationError = ModuleError<EvaluationErrorCode>

/// The ways Evaluation fails.
public enum EvaluationErrorCode: String, ModuleErrorCode {
    case invalidArgument // e.g. no prompts, samples < 1
    case invalidSource   // an image source returned the wrong number of images
    case invalidData     // held-out images of another size, or without scene descriptions
    case invalidModel    // the parts given do not make a pipeline
}
