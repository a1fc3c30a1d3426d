import Foundation
import Testing
import TestSupport
@testable import JobQueue

/// What only a queue on a PostgreSQL server does: connect (and refuse to), share one database
/// between many queue objects, and announce work. The job semantics are the shared suite's.
@Suite struct PostgresQueueTests {
    static func open(_ url: String, migrations: [Migration]? = nil, readOnly: Bool = false) async throws -> any JobQueue {
        try await PostgresJobQueue.open(url: PostgresURL(parsing: url), migrations: migrations ?? QueueBackend.postgres.migrations,
                                        readOnly: readOnly)
    }

    /// The error `open` fails with, and how long it took to fail.
    static func openError(_ url: String, migrations: [Migration]? = nil,
                          readOnly: Bool = false) async -> (error: QueueError?, took: Duration) {
        let start = ContinuousClock.now
        do {
            let queue = try await open(url, migrations: migrations, readOnly: readOnly)
            await queue.close()
            Issue.record("expected opening \(url) to fail")
            return (nil, ContinuousClock.now - start)
        } catch {
            #expect(error is QueueError, "\(error)")
            return (error as? QueueError, ContinuousClock.now - start)
        }
    }

    /// A port nothing listens on: one the kernel just handed out and took back.
    static func closedPort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw FixtureError("socket: \(errno)") }
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw FixtureError("bind: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: Connecting

    @Test func locationAndErrorsNeverShowThePassword() async throws {
        let server = try await PostgresTestServer.shared
        let fixture = try await QueueFixture(.postgres)
        let database = try fixture.postgres()
        #expect(fixture.queue.location == server.urlWithoutPassword(database: database.name))
        #expect(!fixture.queue.location.contains(server.password))

        let broken = Migration(version: 9_000, name: "broken", sql: "SELECT * FROM nowhere;")
        let failed = await Self.openError(database.url, migrations: try QueueBackend.postgres.migrations + [broken])
        #expect(failed.error?.code == .migrationFailed)
        #expect(!"\(try #require(failed.error))".contains(server.password))
        let unknown = await #expect(throws: QueueError.self) { try await fixture.queue.status("0123456789abcdef") }
        #expect(!"\(try #require(unknown))".contains(server.password))
        await fixture.queue.close()
        let closed = await #expect(throws: QueueError.self) { try await fixture.queue.list() }
        #expect(!"\(try #require(closed))".contains(server.password))
    }

    @Test func wrongPasswordIsAnAuthenticationError() async throws {
        let server = try await PostgresTestServer.shared
        let name = try #require(URL(string: try await server.makeDatabase())?.lastPathComponent)
        let wrong = "not-\(server.password)"
        let (error, took) = await Self.openError("postgres://\(server.user):\(wrong)@\(server.host):\(server.port)/\(name)")
        #expect(error?.code == .authentication, "\(String(describing: error))")
        #expect(!"\(try #require(error))".contains(wrong))
        #expect(took < .seconds(20))
    }

    @Test func unknownDatabaseIsAnInvalidLocation() async throws {
        let server = try await PostgresTestServer.shared
        let (error, took) = await Self.openError(server.url(database: "no_such_database"))
        #expect(error?.code == .invalidLocation, "\(String(describing: error))")
        #expect(!"\(try #require(error))".contains(server.password))
        #expect(took < .seconds(20))
    }

    @Test func closedPortIsUnavailable() async throws {
        let server = try await PostgresTestServer.shared
        let (error, took) = await Self.openError("postgres://\(server.user):\(server.password)@127.0.0.1:\(try Self.closedPort())/queue")
        #expect(error?.code == .unavailable, "\(String(describing: error))")
        #expect(error?.isTransient == true)
        #expect(!"\(try #require(error))".contains(server.password))
        #expect(took < .seconds(20))
    }

    /// Workers starting together on a new database: one applies the migrations, the others wait
    /// for it (an advisory lock) and find them recorded.
    @Test func racingOpensOfAFreshDatabaseMigrateOnce() async throws {
        let server = try await PostgresTestServer.shared
        let url = try await server.makeDatabase()
        let queues = try await withThrowingTaskGroup(of: (any JobQueue).self) { group in
            for _ in 0..<4 { group.addTask { try await Self.open(url) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for queue in queues { await queue.close() }
        let name = try #require(URL(string: url)?.lastPathComponent)
        let versions = try server.runSQL("SELECT version FROM schema_migrations ORDER BY version", database: name)
        #expect(versions == (try QueueBackend.postgres.migrations).map { String($0.version) }.joined(separator: "\n"))
    }

    /// For users who may only read: the server refuses writes, and nothing is migrated.
    @Test func readOnlyOpenReadsButNeverWrites() async throws {
        let fixture = try await QueueFixture(.postgres)
        let job = try await fixture.queue.submit(JobRequest(prompt: "a red circle", seed: 2)).job
        let reader = try await Self.open(try fixture.postgres().url, readOnly: true)
        #expect(try await reader.status(job.id).parameters.prompt == "a red circle")
        #expect(try await reader.list().count == 1)
        await #expect(throws: QueueError.self) { try await reader.cancel(job.id) }
        #expect(try await fixture.queue.status(job.id).state == .queued)
        await reader.close()
    }

    @Test func readOnlyOpenOfAnOlderSchemaIsRefusedUnmigrated() async throws {
        let all = try QueueBackend.postgres.migrations
        let fixture = try await QueueFixture(.postgres, migrations: Array(all.prefix(1)))
        let (error, _) = await Self.openError(try fixture.postgres().url, migrations: all, readOnly: true)
        #expect(error?.code == .olderSchema, "\(String(describing: error))")
        #expect(try fixture.values("SELECT version FROM schema_migrations") == ["1"])
    }

    // MARK: Sharing one database

    /// A submit on one queue object wakes a worker idle on another (LISTEN/NOTIFY).
    @Test func watchForWorkHearsASubmitFromAnotherQueue() async throws {
        let fixture = try await QueueFixture(.postgres)
        let submitter = try await fixture.openAnother()
        let (woken, wake) = AsyncStream<Void>.makeStream()
        fixture.queue.watchForWork { wake.yield() }
        // watchForWork returns before its connection LISTENs; a submit before that goes unheard.
        try await Self.waitForListener(fixture)
        _ = try await submitter.submit(JobRequest(prompt: "a red circle"))
        #expect(await Self.first(of: woken, within: .seconds(5)), "no wake-up within 5 s of the submit")
    }

    /// Waits (up to 5 s) until a connection to the fixture's database is listening.
    static func waitForListener(_ fixture: QueueFixture) async throws {
        let listening = """
            SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'
            """
        let deadline = ContinuousClock.now + .seconds(5)
        while try fixture.value(listening) == "0" {
            guard ContinuousClock.now < deadline else { throw FixtureError("no connection LISTENs within 5 s") }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Whether `stream` yields within `limit`.
    static func first(of stream: AsyncStream<Void>, within limit: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { await stream.first { _ in true } != nil }
            group.addTask { try? await Task.sleep(for: limit); return false }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }

    @Test func concurrentSubmitsOfOneKeyMakeOneJob() async throws {
        let fixture = try await QueueFixture(.postgres)
        var queues: [any JobQueue] = []
        for _ in 0..<8 { queues.append(try await fixture.openAnother()) }
        let request = JobRequest(prompt: "a red circle", seed: 4, idempotencyKey: "same-key")
        let results = try await withThrowingTaskGroup(of: SubmitResult.self) { group in
            for queue in queues { group.addTask { try await queue.submit(request) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(Set(results.map(\.job.id)).count == 1)
        #expect(results.filter { !$0.reusedExisting }.count == 1)
        #expect(try await fixture.queue.list().count == 1)
    }

    /// Claimers on separate connections skip each other's locked rows: no job is claimed twice,
    /// and every job is done.
    @Test func concurrentClaimersNeverShareAJob() async throws {
        let fixture = try await QueueFixture(.postgres)
        for index in 0..<200 { _ = try await fixture.queue.submit(JobRequest(prompt: "job \(index)", seed: Int64(index))) }
        var claimers: [any JobQueue] = []
        for _ in 0..<4 { claimers.append(try await fixture.openAnother()) }
        let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
            for (index, queue) in claimers.enumerated() {
                group.addTask {
                    var ids: [String] = []
                    while let claim = try await queue.claim(worker: "w\(index)", leaseSeconds: 30) {
                        ids.append(claim.job.id)
                        try await queue.complete(claim, images: QueueFixture.images(for: claim.job), modelID: "m", weightsHash: nil)
                    }
                    return ids
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        let all = claimed.flatMap { $0 }
        #expect(all.count == 200 && Set(all).count == 200)
        #expect(try await fixture.queue.counts()[.succeeded] == 200)
    }
}
