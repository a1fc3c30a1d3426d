import Foundation
import GRDB

/// The fuzz input of the job-row target: one `column=value` per line for the `jobs` row, and
/// `image.column=value` for one `images` row of it (none without such a line). Columns not named
/// keep the values of a valid queued job. A value is `NULL`, an integer, a real, `x:` and raw bytes
/// (a BLOB), or else text, stored byte for byte (so it may be invalid UTF-8), as a damaged or
/// hand-edited database can hold any value in any column.
struct JobRowInput {
    static let jobID = "00000000000000a1"

    var job: [(column: String, value: Value)] = [
        ("id", .text(Data(jobID.utf8))), ("state", .text(Data("queued".utf8))), ("prompt", .text(Data("a red circle".utf8))),
        ("negative_prompt", .text(Data())), ("seeds", .text(Data("[1,2]".utf8))), ("image_count", .integer(2)),
        ("steps", .integer(20)), ("guidance", .real(4.5)), ("sampler", .text(Data("euler".utf8))),
        ("priority", .integer(0)), ("max_attempts", .integer(3)), ("attempts", .integer(0)),
        ("run_after", .real(1_700_000_000)), ("created_at", .real(1_700_000_000)), ("updated_at", .real(1_700_000_000)),
    ]
    var image: [(column: String, value: Value)]?

    static let defaultImage: [(column: String, value: Value)] = [
        ("job_id", .text(Data(jobID.utf8))), ("image_index", .integer(0)), ("seed", .integer(1)), ("width", .integer(64)),
        ("height", .integer(64)), ("sha256", .text(Data(String(repeating: "0", count: 64).utf8))), ("jpeg", .blob(Data([0xFF, 0xD8]))),
    ]

    enum Value {
        case null, integer(Int64), real(Double), text(Data), blob(Data)

        init(_ bytes: Data) {
            let text = String(decoding: bytes, as: UTF8.self)
            if text == "NULL" {
                self = .null
            } else if let integer = Int64(text) {
                self = .integer(integer)
            } else if let real = Double(text) {
                self = .real(real)
            } else if bytes.starts(with: Data("x:".utf8)) {
                self = .blob(bytes.dropFirst(2))
            } else {
                self = .text(bytes)
            }
        }

        /// The SQL placeholder: text goes in as a blob cast to TEXT, which keeps every byte.
        var placeholder: String {
            if case .text = self { return "CAST(? AS TEXT)" }
            return "?"
        }

        var databaseValue: DatabaseValue {
            switch self {
            case .null: return .null
            case .integer(let value): return value.databaseValue
            case .real(let value): return value.databaseValue
            case .text(let bytes), .blob(let bytes): return Data(bytes).databaseValue
            }
        }
    }

    init(_ data: Data) {
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard let equals = line.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let name = String(decoding: line[line.startIndex..<equals], as: UTF8.self)
            let value = Value(Data(line[(equals + 1)...]))
            if name.hasPrefix("image.") {
                var columns = image ?? Self.defaultImage
                Self.set(String(name.dropFirst(6)), value, in: &columns)
                image = columns
            } else {
                Self.set(name, value, in: &job)
            }
        }
    }

    /// Only plain column names: the name goes into the SQL text.
    private static func set(_ column: String, _ value: Value, in columns: inout [(column: String, value: Value)]) {
        guard !column.isEmpty, column.utf8.allSatisfy({ (97...122).contains($0) || $0 == 95 }) else { return }
        if let index = columns.firstIndex(where: { $0.column == column }) {
            columns[index].value = value
        } else {
            columns.append((column, value))
        }
    }

    /// Replaces whatever the tables hold with this row (and image). False when SQLite refuses it
    /// (unknown column, NOT NULL or CHECK constraint): the queue never sees such a row.
    func write(to database: DatabaseQueue) -> Bool {
        do {
            try database.write { db in
                try db.execute(sql: "DELETE FROM images")
                try db.execute(sql: "DELETE FROM jobs")
                try Self.insert(job, into: "jobs", db)
                if let image { try Self.insert(image, into: "images", db) }
            }
            return true
        } catch {
            return false
        }
    }

    private static func insert(_ columns: [(column: String, value: Value)], into table: String, _ db: Database) throws {
        let names = columns.map(\.column).joined(separator: ", ")
        let placeholders = columns.map(\.value.placeholder).joined(separator: ", ")
        try db.execute(sql: "INSERT INTO \(table) (\(names)) VALUES (\(placeholders))",
                       arguments: StatementArguments(columns.map(\.value.databaseValue)))
    }

    /// The row's id as text, when it is one.
    var id: String? {
        guard case .text(let bytes)? = job.first(where: { $0.column == "id" })?.value else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
