import Foundation
import Testing
import JobQueue
import TestSupport

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var now: Double = 1_800_000_000
    func time() -> Double { lock.withLock { now } }
    func advance(_ seconds: Double) { lock.withLock { now += seconds } }
}

/// The databases a queue can live in; the semantic suite runs once per case.
enum QueueBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres

    var testDescription: String { rawValue }

    /// The migrations for this backend's dialect.
    var migrations: [Migration] {
        get throws { try Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations/\(rawValue)")) }
    }
}

/// A fresh queue of its own, with a clock the test moves: a SQLite file in a temporary folder, or
/// a new database on the test process's PostgreSQL server.
final class QueueFixture: Sendable {
    let backend: QueueBackend
    let clock = ManualClock()
    let queue: any JobQueue
    private let store: Store
    private let others = Others()

    /// Where the rows are, for tests that change them behind the queue's back.
    private enum Store {
        case file(path: String)
        case postgres(server: PostgresTestServer, name: String, url: String)
    }

    /// `migrations` default to the backend's own.
    init(_ backend: QueueBackend, migrations: [Migration]? = nil) async throws {
        self.backend = backend
        switch backend {
        case .sqlite:
            let path = try TestPaths.temporaryDirectory("queue").appendingPathComponent("queue.sqlite").path
            store = .file(path: path)
        case .postgres:
            let server = try await PostgresTestServer.shared
            let url = try await server.makeDatabase()
            store = .postgres(server: server, name: try #require(URL(string: url)?.lastPathComponent), url: url)
        }
        queue = try await Self.open(store, migrations: migrations ?? backend.migrations, clock: clock)
    }

    private static func open(_ store: Store, migrations: [Migration], clock: ManualClock) async throws -> any JobQueue {
        switch store {
        case .file(let path):
            return try SQLiteJobQueue(path: path, migrations: migrations, clock: { clock.time() })
        case .postgres(_, _, let url):
            return try await PostgresJobQueue.open(url: PostgresURL(parsing: url), migrations: migrations, clock: { clock.time() })
        }
    }

    /// The queues hold server connections; a test that ends, however it ends, gives them back.
    deinit {
        let queues = [queue] + others.all
        Task { for queue in queues { await queue.close() } }
    }

    private final class Others: @unchecked Sendable {
        private let lock = NSLock()
        private var queues: [any JobQueue] = []
        var all: [any JobQueue] { lock.withLock { queues } }
        func add(_ queue: any JobQueue) { lock.withLock { queues.append(queue) } }
    }

    /// The server, database name and URL (Postgres only), for tests that connect on their own.
    func postgres() throws -> (server: PostgresTestServer, name: String, url: String) {
        guard case .postgres(let server, let name, let url) = store else { throw FixtureError("a \(backend) queue has no server") }
        return (server, name, url)
    }

    /// Another queue object on the same database, as another process would open it.
    /// It shares the fixture's clock and is closed with the fixture.
    func openAnother(migrations: [Migration]? = nil) async throws -> any JobQueue {
        let queue = try await Self.open(store, migrations: migrations ?? backend.migrations, clock: clock)
        others.add(queue)
        return queue
    }

    /// Runs raw SQL on the database behind the queue's back, as another program would.
    func execute(_ sql: String) throws {
        switch store {
        case .file(let path):
            try SQLiteFixture.execute(sql, path: path)
        case .postgres(let server, let name, _):
            try server.runSQL(sql, database: name)
        }
    }

    /// The one value a raw SQL query selects, as text; nil for NULL or no row.
    func value(_ sql: String) throws -> String? {
        switch store {
        case .file(let path):
            return try SQLiteFixture.values(sql, path: path).first ?? nil
        case .postgres(let server, let name, _):
            // psql prints NULL and '' alike: a marker tells them apart.
            let output = try server.runSQL("SELECT coalesce((\(sql))::text, '<NULL>')", database: name)
            return output == "<NULL>" ? nil : output
        }
    }

    /// The first column of every row a raw SQL query selects, as text (values without line breaks).
    func values(_ sql: String) throws -> [String] {
        switch store {
        case .file(let path):
            return try SQLiteFixture.values(sql, path: path).map { $0 ?? "" }
        case .postgres(let server, let name, _):
            let output = try server.runSQL(sql, database: name)
            return output.isEmpty ? [] : output.components(separatedBy: "\n")
        }
    }

    /// The tables in the queue's database.
    func tables() throws -> [String] {
        switch backend {
        case .sqlite: return try values("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        case .postgres: return try values("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
        }
    }

    static func image(_ index: Int, seed: Int64) -> RenderedImage {
        RenderedImage(index: index, seed: seed, width: 64, height: 64, jpeg: Data("jpeg-\(index)-\(seed)".utf8))
    }

    static func images(for job: Job) -> [RenderedImage] {
        job.parameters.seeds.enumerated().map { image($0.offset, seed: $0.element) }
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension JobRequest: CustomTestStringConvertible {
    public var testDescription: String {
        let prompt = parameters.prompt
        return "prompt \(prompt.prefix(24).debugDescription) (\(prompt.count) chars)"
    }
}
