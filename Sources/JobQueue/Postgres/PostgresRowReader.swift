import PostgresNIO

/// Reads a row's cells in order, each as the type the code expects. PostgreSQL columns hold only
/// their declared type, so a cell that does not decode means the table was altered outside
/// fae-t2i: a `corrupt` error naming the job and the column.
struct PostgresRowReader {
    private var cells: PostgresRow.Iterator
    /// The job the row belongs to, for messages; "?" until its id is read.
    var jobID = "?"

    init(_ row: PostgresRow) {
        cells = row.makeIterator()
    }

    /// Passes over `count` cells unread.
    mutating func skip(_ count: Int) {
        for _ in 0..<count { _ = cells.next() }
    }

    mutating func next<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        guard let cell = cells.next() else {
            throw QueueError(.corrupt, "job \(jobID) cannot be read: the database returned fewer columns than asked for")
        }
        do {
            return try cell.decode(T.self)
        } catch {
            throw QueueError(.corrupt,
                "job \(jobID) cannot be read: column \(cell.columnName) holds \(cell.bytes == nil ? "NULL" : "a \(cell.dataType)") "
                + "where \(T.self) was expected", cause: error)
        }
    }
}
