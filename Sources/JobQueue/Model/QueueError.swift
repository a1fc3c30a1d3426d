import ModuleErrors

/// Every failure of the queue, with a one-line message fit for a user and, when another library
/// failed first, its error as the cause.
public typealias QueueError = ModuleError<QueueErrorCode>

/// The ways the queue fails.
public enum QueueErrorCode: String, ModuleErrorCode {
    case invalidRequest      // a submitted field is out of range or malformed
    case idempotencyConflict // an idempotency key reused with other parameters
    case malformedJobID
    case unknownJob
    case invalidTransition   // e.g. retry of a running job, fetch of a queued one
    case leaseLost           // the caller's lease token is no longer current
    case notADatabase
    case newerSchema
    case olderSchema         // a read-only open of a database that still needs migrations
    case migrationFailed
    case corrupt             // a stored job or image that cannot be what was written
    case busy                // the database stayed locked past the busy timeout
    case diskFull
    case storage             // any other database failure
    case invalidLocation     // a --db value that names no usable database
    case unavailable         // the database server cannot be reached (down, restarting, network)
    case authentication      // the server refused the user or password
}

extension QueueError {
    /// Errors that waiting cures (a lock held a while, a server restarting): workers retry them
    /// without counting; other failures count towards giving up on the database.
    public var isTransient: Bool { code == .busy || code == .unavailable }
}
