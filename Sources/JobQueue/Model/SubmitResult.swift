/// The result of `submit`: the job, and whether an idempotency key matched an earlier one.
public struct SubmitResult: Sendable, Equatable {
    public var job: Job
    public var reusedExisting: Bool
}
