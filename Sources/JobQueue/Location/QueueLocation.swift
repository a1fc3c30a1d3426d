import Foundation

/// Where a queue lives, as `--db` and `FAE_T2I_DB` name it: a `postgres://` or `postgresql://`
/// URL is a PostgreSQL server, anything else a SQLite file path.
public enum QueueLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresURL)

    /// Throws `invalidLocation` for a PostgreSQL URL that cannot be read; a path is taken as given.
    public init(parsing text: String) throws {
        let lowered = text.lowercased()
        if lowered.hasPrefix("postgres://") || lowered.hasPrefix("postgresql://") {
            self = .postgres(try PostgresURL(parsing: text))
        } else {
            self = .sqlite(path: text)
        }
    }

    /// The path, or the URL without its password: safe to log and print.
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return url.redacted
        }
    }
}
