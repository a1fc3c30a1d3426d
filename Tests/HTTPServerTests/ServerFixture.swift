import Foundation
import Hummingbird
import HummingbirdTesting
import JobQueue
import Logging
import TestSupport
@testable import HTTPServer

/// A server over a fresh SQLite queue in a temporary folder, driven by Hummingbird's router client.
struct ServerFixture {
    let queue: SQLiteJobQueue
    let server: APIServer

    init(token: String? = nil, configure: (inout ServerConfiguration) -> Void = { _ in }) throws {
        let folder = try TestPaths.temporaryDirectory("http")
        let migrations = try Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations/sqlite"))
        queue = try SQLiteJobQueue(path: folder.appendingPathComponent("queue.sqlite").path, migrations: migrations)
        var configuration = ServerConfiguration(token: token)
        configuration.eventPollSeconds = 0.02
        configure(&configuration)
        server = try APIServer(queue: queue, configuration: configuration, logger: Logger(label: "test.http"))
    }

    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await server.makeApplication().test(.router, body)
    }
}

extension TestClientProtocol {
    /// Sends JSON (or `raw`) and returns the response.
    @discardableResult
    func send(_ method: HTTPRequest.Method, _ uri: String, json: String? = nil, headers: HTTPFields = [:]) async throws -> TestResponse {
        var headers = headers
        if json != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        return try await execute(uri: uri, method: method, headers: headers,
                                 body: json.map { ByteBuffer(string: $0) }) { $0 }
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body as a JSON object.
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
    var errorMessage: String? { (object["error"] as? [String: Any])?["message"] as? String }
}
