/// One cell of the 3x3 grid; row 0 is the top, column 0 the left.
public struct GridCell: Hashable, Codable, Sendable, CustomStringConvertible {
    public var row: Int
    public var column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }

    public static let all: [GridCell] = (0..<3).flatMap { row in (0..<3).map { GridCell(row: row, column: $0) } }

    public var description: String { "(row \(row), column \(column))" }
}
