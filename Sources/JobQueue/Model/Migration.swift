import Foundation

/// One numbered SQL file from `migrations/` (`0001_init.sql` -> version 1, name "init").
public struct Migration: Sendable, Equatable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// Reads every `NNNN_name.sql` in `directory`, sorted by version. Versions must be unique.
    public static func load(from directory: URL) throws -> [Migration] {
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw QueueError(.migrationFailed, "cannot read migrations folder \(directory.path): \(error.localizedDescription)")
        }
        var migrations: [Migration] = []
        for file in files where file.hasSuffix(".sql") {
            let stem = String(file.dropLast(4))
            let parts = stem.split(separator: "_", maxSplits: 1)
            guard parts.count == 2, let version = Int(parts[0]), version > 0 else {
                throw QueueError(.migrationFailed, "migration file '\(file)' is not named NNNN_name.sql")
            }
            let url = directory.appendingPathComponent(file)
            guard let sql = try? String(contentsOf: url, encoding: .utf8) else {
                throw QueueError(.migrationFailed, "cannot read migration \(url.path)")
            }
            migrations.append(Migration(version: version, name: String(parts[1]), sql: sql))
        }
        migrations.sort { $0.version < $1.version }
        for (previous, next) in zip(migrations, migrations.dropFirst()) where previous.version == next.version {
            throw QueueError(.migrationFailed, "two migrations share version \(next.version): \(previous.name), \(next.name)")
        }
        guard !migrations.isEmpty else {
            throw QueueError(.migrationFailed, "no migrations found in \(directory.path)")
        }
        return migrations
    }
}
