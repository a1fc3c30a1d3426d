import Foundation
import GRDB

/// The queue's database file on disk: created whole or not at all, and recognised before SQLite
/// is let near it.
///
/// SQLite happily turns any empty file (or `/dev/null`) into a database and leaves a journal beside
/// it. So a new queue is built under a temporary name and linked into place only once its schema
/// is complete; a path that already exists must then hold a fae-t2i queue, or it is left untouched.
enum SQLiteQueueFile {
    static let sqliteMagic = Array("SQLite format 3\0".utf8)

    /// Creates a complete, migrated queue at `path` unless a file is already there. Two processes
    /// racing to create the same queue both succeed: `link` lets exactly one file win.
    static func createIfMissing(path: String, configuration: Configuration, migrations: [Migration]) throws {
        guard !exists(path) else { return }
        let target = URL(fileURLWithPath: path)
        let folder = target.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw QueueError(.storage, "cannot create database folder \(folder.path): \(error.localizedDescription)", cause: error)
        }
        let staging = folder.appendingPathComponent(".\(target.lastPathComponent).new-\(getpid())-\(UInt32.random(in: 0...UInt32.max))").path
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { unlink(staging + suffix) } }
        do {
            let database = try DatabaseQueue(path: staging, configuration: configuration)
            // Only possible before the first table: lets `prune` hand freed pages back to the disk.
            // (VACUUM applies it: opening in WAL mode has already written the file's first page.)
            try database.writeWithoutTransaction { try $0.execute(sql: "PRAGMA auto_vacuum = INCREMENTAL; VACUUM") }
            try SQLiteMigrationRunner(database: database, path: path).apply(migrations)
            // Closing the last connection checkpoints the WAL into the file, so the file is whole.
            try database.close()
        } catch {
            throw SQLiteJobQueue.translate(error, path: path)
        }
        if link(staging, path) != 0 && errno != EEXIST {
            throw QueueError(.storage, "cannot create database \(path): \(String(cString: strerror(errno))) "
                             + "(a new queue is linked into place, which needs a file system with hard links)")
        }
    }

    /// Refuses a path that is not a regular, non-empty SQLite file.
    static func checkExisting(path: String) throws {
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw QueueError(.storage, "no queue database at \(path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw QueueError(.notADatabase, "\(path) is not a regular file, so it cannot hold a queue database")
        }
        guard info.st_size > 0 else {
            throw QueueError(.notADatabase, "\(path) is an empty file, not a fae-t2i queue database; remove it or pass another --db")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw QueueError(.storage, "cannot read database \(path): \(String(cString: strerror(errno)))")
        }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: sqliteMagic.count)) ?? Data()
        guard Array(header) == sqliteMagic else {
            throw QueueError(.notADatabase, "\(path) is not a SQLite database")
        }
    }

    /// Refuses a SQLite file of another program before anything writes to it (opening it
    /// read-write in WAL mode alone would rewrite its header), over a read-only connection.
    static func checkIsQueue(path: String, busyMode: Database.BusyMode) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = busyMode
        let isQueue: Bool
        do {
            let database = try DatabaseQueue(path: path, configuration: configuration)
            isQueue = try database.read { db in
                try SQLiteMigrationRunner.hasMigrationTable(db)
            }
            try database.close()
        } catch {
            throw SQLiteJobQueue.translate(error, path: path)
        }
        guard isQueue else {
            throw QueueError(.notADatabase, "\(path) is a SQLite database but not a fae-t2i queue (no schema_migrations table); "
                             + "it was left untouched")
        }
    }

    /// Space the queue keeps beside its file so that, on a full disk, the commands that free space
    /// (`prune`, `cancel`) and the read commands can still open the database: SQLite needs a few
    /// pages of WAL and its -shm file even to delete.
    static let reserveBytes: Int = 4 << 20

    static func reservePath(_ path: String) -> String { path + "-reserve" }

    /// Puts the reserve back if it is missing and the disk has room for it twice over (so that
    /// taking it never fills the disk it is meant to rescue); quietly does nothing otherwise.
    static func ensureReserve(_ path: String) {
        let reserve = reservePath(path)
        var info = stat()
        if stat(reserve, &info) == 0 {
            // A reserve cut short (a crash before its space was allocated) is made again.
            guard info.st_size < off_t(reserveBytes) else { return }
            unlink(reserve)
        }
        guard let available = availableBytes(near: path), available >= 2 * UInt64(reserveBytes) else { return }
        let fd = open(reserve, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return }
        let status = posix_fallocate(fd, 0, off_t(reserveBytes))
        close(fd)
        if status != 0 { unlink(reserve) }
    }

    /// Deletes the reserve; true if there was one to free.
    static func releaseReserve(_ path: String) -> Bool {
        unlink(reservePath(path)) == 0
    }

    /// Bytes free for this user on the file system holding `path`'s folder, when it can be told.
    static func availableBytes(near path: String) -> UInt64? {
        var info = statvfs()
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard statvfs(folder, &info) == 0 else { return nil }
        return UInt64(info.f_bavail) * UInt64(info.f_frsize)
    }

    /// An SQLite URI that opens `path` as a file nobody changes (no locks, no -shm).
    static func immutableURI(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var escaped = ""
        for character in absolute.unicodeScalars {
            switch character {
            case "%", "?", "#": escaped += String(format: "%%%02X", character.value)
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "file:\(escaped)?immutable=1"
    }

    /// True when `path`'s -wal file holds anything (a header or frames not yet checkpointed).
    static func hasWALFrames(_ path: String) -> Bool {
        var info = stat()
        return stat(path + "-wal", &info) == 0 && info.st_size > 0
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }
}
