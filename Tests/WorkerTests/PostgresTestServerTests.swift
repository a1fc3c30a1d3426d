import Foundation
import Testing
import TestSupport

/// The tests' throwaway PostgreSQL server (Tests/TestSupport/PostgresTestServer.swift): one shared
/// server handing out separate databases, dedicated servers that come back on their port after a
/// restart or a SIGKILL, and a watchdog that removes a server whose test process died.
@Suite struct PostgresTestServerTests {
    @Test func concurrentFirstCallersShareOneServer() async throws {
        let servers = try await withThrowingTaskGroup(of: PostgresTestServer.self) { group in
            for _ in 0..<8 { group.addTask { try await PostgresTestServer.shared } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(servers.allSatisfy { $0 === servers[0] })
    }

    @Test func sharedServerHandsOutSeparateDatabases() async throws {
        let server = try await PostgresTestServer.shared
        let first = try await server.makeDatabase()
        let second = try await server.makeDatabase()
        #expect(first != second)
        let names = try [first, second].map { try #require(URL(string: $0)?.lastPathComponent) }
        for (url, name) in zip([first, second], names) {
            #expect(url == server.url(database: name))
            #expect(try server.runSQL("SELECT 1", database: name) == "1")
        }
        // Separate databases, not schemas: a table made in one is not in the other.
        try server.runSQL("CREATE TABLE marker (id int)", database: names[0])
        #expect(try server.runSQL("SELECT count(*) FROM pg_tables WHERE tablename = 'marker'", database: names[1]) == "0")
        #expect(server.host == "127.0.0.1" && server.user == "fae_test")
        #expect(server.urlWithoutPassword(database: names[0]) == "postgres://fae_test@127.0.0.1:\(server.port)/\(names[0])")
    }

    @Test(.timeLimit(.minutes(2)))
    func dedicatedServerSurvivesRestartAndKill9OnItsPort() async throws {
        let server = try await PostgresTestServer.start()
        let shared = try await PostgresTestServer.shared
        #expect(server !== shared && server.port != shared.port)
        let database = try #require(URL(string: try await server.makeDatabase())?.lastPathComponent)
        try server.runSQL("CREATE TABLE kept (value int); INSERT INTO kept VALUES (42)", database: database)
        var started = try server.runSQL("SELECT pg_postmaster_start_time()")

        try await server.restart()
        #expect(try server.runSQL("SELECT value FROM kept", database: database) == "42")
        #expect(try server.runSQL("SELECT pg_postmaster_start_time()") != started)
        started = try server.runSQL("SELECT pg_postmaster_start_time()")

        // What was committed before the crash is there after recovery, on the same URL.
        try server.runSQL("INSERT INTO kept VALUES (43)", database: database)
        try await server.kill9()
        #expect(try server.runSQL("SELECT string_agg(value::text, ',' ORDER BY value) FROM kept", database: database) == "42,43")
        #expect(try server.runSQL("SELECT pg_postmaster_start_time()") != started)

        try await server.kill9(restarting: false)
        #expect(throws: PostgresTestServer.Failure.self) { try server.runSQL("SELECT 1") }
        try await server.restart()
        #expect(try server.runSQL("SELECT 1") == "1")

        try await server.stop()
        #expect(!FileManager.default.fileExists(atPath: server.folder.path))
        #expect(throws: PostgresTestServer.Failure.self) { try server.runSQL("SELECT 1") }
        try await server.stop()
    }

    /// A test process that is SIGKILLed runs no cleanup of its own: the watchdog must stop its server.
    @Test(.timeLimit(.minutes(1)))
    func watchdogRemovesTheServerOfAKilledProcess() async throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["600"]
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        let server = try await PostgresTestServer.start(watching: child.processIdentifier)
        let pidFile = server.folder.appendingPathComponent("data/postmaster.pid")
        let postmaster = try #require(Int32(String(contentsOf: pidFile, encoding: .utf8).split(separator: "\n").first ?? ""))
        #expect(try server.runSQL("SELECT 1") == "1")

        kill(child.processIdentifier, SIGKILL)
        _ = CommandRunner.waitForExit(child)
        let deadline = Date().addingTimeInterval(20)
        while FileManager.default.fileExists(atPath: server.folder.path) && Date() < deadline {
            try await Task.sleep(nanoseconds: 100_000_000)
        }
        #expect(!FileManager.default.fileExists(atPath: server.folder.path), "the watchdog left \(server.folder.path)")
        // Gone or a zombie (nothing may reap it where init does not): either way no command line.
        let commandLine = (try? String(contentsOfFile: "/proc/\(postmaster)/cmdline", encoding: .utf8)) ?? ""
        #expect(commandLine.isEmpty, "postmaster \(postmaster) still runs: \(commandLine)")
    }
}
