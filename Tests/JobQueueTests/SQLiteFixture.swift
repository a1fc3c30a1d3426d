import Foundation
import GRDB
import JobQueue
import TestSupport

/// A fresh SQLite queue file in its own temporary folder, for the tests about the file itself.
struct SQLiteFixture {
    let clock = ManualClock()
    let queue: SQLiteJobQueue
    var path: String { queue.path }

    init() throws {
        let path = try TestPaths.temporaryDirectory("queue").appendingPathComponent("queue.sqlite").path
        let clock = self.clock
        queue = try SQLiteJobQueue(path: path, migrations: Self.migrations(), clock: { clock.time() })
    }

    static func migrations() throws -> [Migration] {
        try QueueBackend.sqlite.migrations
    }

    /// Changes the file with raw SQL, as another program would.
    func execute(_ sql: String, _ arguments: StatementArguments = []) throws {
        try Self.execute(sql, arguments, path: path)
    }

    static func execute(_ sql: String, _ arguments: StatementArguments = [], path: String) throws {
        try DatabaseQueue(path: path).write { try $0.execute(sql: sql, arguments: arguments) }
    }

    /// The first column of every row a raw SQL query selects, as text; nil for NULL.
    static func values(_ sql: String, path: String) throws -> [String?] {
        try DatabaseQueue(path: path).read { db in
            try DatabaseValue.fetchAll(db, sql: sql).map { value in
                switch value.storage {
                case .null: return nil
                case .int64(let int): return String(int)
                case .double(let double): return String(double)
                case .string(let string): return string
                case .blob(let data): return String(decoding: data, as: UTF8.self)
                }
            }
        }
    }
}
