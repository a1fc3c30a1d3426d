import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobQueue
import Logging
import TestSupport
import Testing
@testable import HTTPServer

/// `/v1/openapi.json` describes exactly the server: every documented route and status is answered
/// as documented, and every scenario here is documented.
@Suite struct OpenAPIDocumentTests {
    typealias Scenario = @Sendable (any TestClientProtocol, Seeded) async throws -> TestResponse

    /// Jobs in known states, made before each scenario.
    struct Seeded: Sendable {
        let queued: String
        let succeeded: String
        let sha256: String
    }

    static let auth: HTTPFields = [.authorization: "Bearer t0ken"]
    static let missing = "0123456789abcdef"

    static let scenarios: [String: Scenario] = [
        "POST /v1/jobs 201": { c, _ in try await c.send(.post, "/v1/jobs", json: #"{"prompt": "a circle"}"#, headers: auth) },
        "POST /v1/jobs 200": { c, _ in
            try await c.send(.post, "/v1/jobs", json: #"{"prompt": "a circle", "key": "k"}"#, headers: auth)
            return try await c.send(.post, "/v1/jobs", json: #"{"prompt": "a circle", "key": "k"}"#, headers: auth)
        },
        "POST /v1/jobs 400": { c, _ in try await c.send(.post, "/v1/jobs", json: #"{"prompt": 1}"#, headers: auth) },
        "POST /v1/jobs 401": { c, _ in try await c.send(.post, "/v1/jobs", json: #"{"prompt": "a circle"}"#) },
        "POST /v1/jobs 409": { c, _ in
            try await c.send(.post, "/v1/jobs", json: #"{"prompt": "a circle", "key": "k"}"#, headers: auth)
            return try await c.send(.post, "/v1/jobs", json: #"{"prompt": "a square", "key": "k"}"#, headers: auth)
        },
        "POST /v1/jobs 413": { c, _ in
            try await c.send(.post, "/v1/jobs", json: #"{"prompt": ""# + String(repeating: "x", count: 65_537) + #""}"#, headers: auth)
        },
        "POST /v1/jobs 415": { c, _ in
            var headers = auth
            headers[.contentType] = "text/plain"
            return try await c.send(.post, "/v1/jobs", json: "a circle", headers: headers)
        },
        "POST /v1/jobs 429": { c, _ in
            var last: TestResponse?
            for _ in 0..<3 { last = try await c.send(.post, "/v1/jobs", json: #"{"prompt": "a circle"}"#, headers: auth) }
            return last!
        },
        "GET /v1/jobs 200": { c, _ in try await c.send(.get, "/v1/jobs?limit=1", headers: auth) },
        "GET /v1/jobs 400": { c, _ in try await c.send(.get, "/v1/jobs?limit=500", headers: auth) },
        "GET /v1/jobs 401": { c, _ in try await c.send(.get, "/v1/jobs") },
        "GET /v1/jobs/{id} 200": { c, s in try await c.send(.get, "/v1/jobs/\(s.queued)", headers: auth) },
        "GET /v1/jobs/{id} 400": { c, _ in try await c.send(.get, "/v1/jobs/XYZ", headers: auth) },
        "GET /v1/jobs/{id} 401": { c, s in try await c.send(.get, "/v1/jobs/\(s.queued)") },
        "GET /v1/jobs/{id} 404": { c, _ in try await c.send(.get, "/v1/jobs/\(missing)", headers: auth) },
        "POST /v1/jobs/{id}/cancel 200": { c, s in try await c.send(.post, "/v1/jobs/\(s.queued)/cancel", headers: auth) },
        "POST /v1/jobs/{id}/cancel 400": { c, _ in try await c.send(.post, "/v1/jobs/XYZ/cancel", headers: auth) },
        "POST /v1/jobs/{id}/cancel 401": { c, s in try await c.send(.post, "/v1/jobs/\(s.queued)/cancel") },
        "POST /v1/jobs/{id}/cancel 404": { c, _ in try await c.send(.post, "/v1/jobs/\(missing)/cancel", headers: auth) },
        "POST /v1/jobs/{id}/cancel 409": { c, s in try await c.send(.post, "/v1/jobs/\(s.succeeded)/cancel", headers: auth) },
        "POST /v1/jobs/{id}/retry 200": { c, s in
            try await c.send(.post, "/v1/jobs/\(s.queued)/cancel", headers: auth)
            return try await c.send(.post, "/v1/jobs/\(s.queued)/retry", headers: auth)
        },
        "POST /v1/jobs/{id}/retry 400": { c, _ in try await c.send(.post, "/v1/jobs/XYZ/retry", headers: auth) },
        "POST /v1/jobs/{id}/retry 401": { c, s in try await c.send(.post, "/v1/jobs/\(s.queued)/retry") },
        "POST /v1/jobs/{id}/retry 404": { c, _ in try await c.send(.post, "/v1/jobs/\(missing)/retry", headers: auth) },
        "POST /v1/jobs/{id}/retry 409": { c, s in try await c.send(.post, "/v1/jobs/\(s.queued)/retry", headers: auth) },
        "GET /v1/jobs/{id}/images/{index} 200": { c, s in try await c.send(.get, "/v1/jobs/\(s.succeeded)/images/0", headers: auth) },
        "GET /v1/jobs/{id}/images/{index} 304": { c, s in
            var headers = auth
            headers[.ifNoneMatch] = "\"\(s.sha256)\""
            return try await c.send(.get, "/v1/jobs/\(s.succeeded)/images/0", headers: headers)
        },
        "GET /v1/jobs/{id}/images/{index} 400": { c, s in try await c.send(.get, "/v1/jobs/\(s.succeeded)/images/-1", headers: auth) },
        "GET /v1/jobs/{id}/images/{index} 401": { c, s in try await c.send(.get, "/v1/jobs/\(s.succeeded)/images/0") },
        "GET /v1/jobs/{id}/images/{index} 404": { c, s in try await c.send(.get, "/v1/jobs/\(s.succeeded)/images/3", headers: auth) },
        "GET /v1/jobs/{id}/images/{index} 409": { c, s in try await c.send(.get, "/v1/jobs/\(s.queued)/images/0", headers: auth) },
        "GET /v1/jobs/{id}/events 200": { c, s in try await c.send(.get, "/v1/jobs/\(s.succeeded)/events", headers: auth) },
        "GET /v1/jobs/{id}/events 400": { c, _ in try await c.send(.get, "/v1/jobs/XYZ/events", headers: auth) },
        "GET /v1/jobs/{id}/events 401": { c, s in try await c.send(.get, "/v1/jobs/\(s.succeeded)/events") },
        "GET /v1/jobs/{id}/events 404": { c, _ in try await c.send(.get, "/v1/jobs/\(missing)/events", headers: auth) },
        "GET /v1/openapi.json 200": { c, _ in try await c.send(.get, "/v1/openapi.json", headers: auth) },
        "GET /v1/openapi.json 401": { c, _ in try await c.send(.get, "/v1/openapi.json") },
        "GET /healthz 200": { c, _ in try await c.send(.get, "/healthz") },
        "GET /metrics 200": { c, _ in try await c.send(.get, "/metrics", headers: auth) },
        "GET /metrics 401": { c, _ in try await c.send(.get, "/metrics") },
    ]

    /// "METHOD path status" -> the documented content type (nil: no body).
    static func documented() throws -> [String: String?] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(PackageResources.openapi_json)) as? [String: Any])
        let components = try #require(document["components"] as? [String: Any])
        let shared = try #require(components["responses"] as? [String: [String: Any]])
        var result: [String: String?] = [:]
        for (path, item) in try #require(document["paths"] as? [String: [String: Any]]) {
            for (method, operation) in item {
                let responses = try #require((operation as? [String: Any])?["responses"] as? [String: [String: Any]])
                for (status, response) in responses {
                    let resolved = (response["$ref"] as? String).flatMap { shared[String($0.split(separator: "/").last!)] } ?? response
                    // updateValue: assigning nil through the subscript would drop the key.
                    result.updateValue((resolved["content"] as? [String: Any])?.keys.first, forKey: "\(method.uppercased()) \(path) \(status)")
                }
            }
        }
        return result
    }

    @Test func everyDocumentedStatusIsTestedAndEveryTestIsDocumented() throws {
        let documented = try Self.documented()
        let undocumented = Set(Self.scenarios.keys).subtracting(documented.keys).sorted()
        #expect(undocumented.isEmpty, "scenarios not in openapi.json: \(undocumented)")
        // Their own tests below: the health check's 503 needs a database server that stops, a
        // submit's 408 a body that stalls, which the router client cannot send.
        let ownTests: Set = ["GET /healthz 503", "POST /v1/jobs 408"]
        let untested = Set(documented.keys).subtracting(Self.scenarios.keys).subtracting(ownTests).sorted()
        #expect(untested.isEmpty, "documented but untested: \(untested)")
    }

    @Test(arguments: scenarios.keys.sorted())
    func theServerAnswersAsDocumented(_ key: String) async throws {
        let expectedType = try #require(try Self.documented()[key])
        let fixture = try ServerFixture(token: "t0ken") { $0.submitBurst = 2; $0.submitsPerSecond = 0.01 }
        let done = try await fixture.queue.submit(JobRequest(prompt: "a finished job", seed: 1)).job.id
        let claim = try #require(try await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        try await fixture.queue.complete(claim, images: [RenderedImage(index: 0, seed: 1, width: 64, height: 64, jpeg: Data([0xFF, 0xD8, 0xFF, 0xD9]))],
                                         modelID: "reference", weightsHash: nil)
        let queued = try await fixture.queue.submit(JobRequest(prompt: "a queued job", seed: 1)).job.id
        let sha256 = try #require(try await fixture.queue.status(done).images.first?.sha256)
        let seeded = Seeded(queued: queued, succeeded: done, sha256: sha256)
        let scenario = try #require(Self.scenarios[key])
        try await fixture.test { client in
            let response = try await scenario(client, seeded)
            let status = String(key.split(separator: " ").last!)
            #expect(String(response.status.code) == status, "\(key): \(response.status) \(response.text.prefix(300))")
            if let expectedType {
                #expect(response.headers[.contentType]?.hasPrefix(expectedType) == true, "\(key): \(response.headers[.contentType] ?? "none")")
                if expectedType == "application/json" {
                    #expect((try? JSONSerialization.jsonObject(with: Data(response.text.utf8))) != nil)
                }
            }
        }
    }

    /// Over a real socket: the headers and part of the body, then nothing.
    @Test func aSubmitWhoseBodyStallsIsAnswered408() async throws {
        let expectedType = try #require(try Self.documented()["POST /v1/jobs 408"] ?? nil)
        let fixture = try ServerFixture(token: "t0ken") { $0.port = 0; $0.bodyTimeoutSeconds = 1 }
        try await fixture.server.makeApplication().test(.live) { client in
            let port = try #require(client.port)
            let reply = try await Self.exchange(port: port, sending: "POST /v1/jobs HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Bearer t0ken\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"prompt\": ")
            let parts = reply.components(separatedBy: "\r\n\r\n")
            let head = parts[0].lowercased(), body = parts.dropFirst().joined(separator: "\r\n\r\n")
            #expect(head.hasPrefix("http/1.1 408"), "\(reply)")
            #expect(head.contains("content-type: \(expectedType)") && head.contains("connection: close"), "\(head)")
            #expect(body.contains("did not arrive within 1 s"), "\(body)")
        }
        #expect(try await fixture.queue.list().isEmpty)
    }

    /// Connects to 127.0.0.1:`port`, sends `request` and returns all the server sends until it
    /// closes the connection (at most 10 s), off the test's own threads.
    static func exchange(port: Int, sending request: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
                guard socket >= 0 else { return continuation.resume(throwing: POSIXError(.init(rawValue: errno) ?? .EIO)) }
                defer { close(socket) }
                var timeout = timeval(tv_sec: 10, tv_usec: 0)
                setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                var address = sockaddr_in()
                address.sin_family = sa_family_t(AF_INET)
                address.sin_port = in_port_t(UInt16(port).bigEndian)
                address.sin_addr.s_addr = inet_addr("127.0.0.1")
                let connected = withUnsafePointer(to: &address) { pointer in
                    pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
                }
                guard connected, Array(request.utf8).withUnsafeBytes({ send(socket, $0.baseAddress, $0.count, 0) }) == request.utf8.count else {
                    return continuation.resume(throwing: POSIXError(.init(rawValue: errno) ?? .EIO))
                }
                var received = [UInt8](), chunk = [UInt8](repeating: 0, count: 4096)
                while true {
                    let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                    if n <= 0 { break }
                    received += chunk[0 ..< n]
                }
                continuation.resume(returning: String(decoding: received, as: UTF8.self))
            }
        }
    }

    @Test func theHealthCheckIs503WhenTheDatabaseServerIsDown() async throws {
        let server = try await PostgresTestServer.start()
        let migrations = try Migration.load(from: TestPaths.repositoryRoot.appendingPathComponent("migrations/postgres"))
        let queue = try await PostgresJobQueue.open(url: PostgresURL(parsing: try await server.makeDatabase()), migrations: migrations)
        let api = try APIServer(queue: queue, configuration: ServerConfiguration(), logger: Logger(label: "test.http"))
        try await api.makeApplication().test(.router) { client in
            #expect(try await client.send(.get, "/healthz").status == .ok)
            try await server.stop()
            let response = try await client.send(.get, "/healthz")
            #expect(response.status == .serviceUnavailable)
            #expect(response.errorMessage?.contains("does not answer") == true)
        }
        await queue.close()
    }
}
