import Foundation

/// Every failure of the queue, with a one-line message fit for a user.
public struct QueueError: Error, CustomStringConvertible, Equatable {
    public enum Code: String, Sendable {
        case invalidRequest      // a submitted field is out of range or malformed
        case malformedJobID
        case unknownJob
        case invalidTransition   // e.g. retry of a running job, fetch of a queued one
        case leaseLost           // the caller's lease token is no longer current
        case notADatabase
        case newerSchema
        case migrationFailed
        case busy                // the database stayed locked past the busy timeout
        case storage             // any other SQLite failure
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
