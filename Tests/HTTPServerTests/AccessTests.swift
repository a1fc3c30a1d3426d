import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobQueue
import Testing
@testable import HTTPServer

@Suite struct AccessTests {
    @Test func aTokenGuardsEveryRouteButTheHealthCheckAndThePage() async throws {
        let fixture = try ServerFixture(token: "s3cret")
        try await fixture.test { client in
            let missing = try await client.send(.get, "/v1/jobs")
            #expect(missing.status == .unauthorized)
            #expect(missing.headers[.wwwAuthenticate] == "Bearer")
            #expect(try await client.send(.get, "/v1/jobs", headers: [.authorization: "Bearer wrong"]).status == .unauthorized)
            #expect(try await client.send(.get, "/v1/jobs", headers: [.authorization: "Bearer s3cre"]).status == .unauthorized)
            #expect(try await client.send(.post, "/v1/jobs", json: #"{"prompt": "x"}"#).status == .unauthorized)
            #expect(try await client.send(.get, "/metrics").status == .unauthorized)
            #expect(try await client.send(.get, "/v1/jobs", headers: [.authorization: "Bearer s3cret"]).status == .ok)
            #expect(try await client.send(.get, "/healthz").status == .ok)
            #expect(try await client.send(.get, "/").status == .ok)
        }
        #expect(try await fixture.queue.list().isEmpty)
    }

    @Test func aNonLoopbackAddressNeedsAToken() throws {
        #expect(throws: ServerError.self) { try ServerConfiguration(host: "0.0.0.0").validate() }
        #expect(throws: ServerError.self) { try ServerConfiguration(host: "0.0.0.0", token: "has space").validate() }
        try ServerConfiguration(host: "0.0.0.0", token: "t").validate()
        try ServerConfiguration(host: "127.0.0.1").validate()
        #expect(throws: ServerError.self) { try ServerConfiguration(port: 70_000).validate() }
    }

    @Test func submitsBeyondTheBucketAre429WithRetryAfter() async throws {
        let fixture = try ServerFixture { $0.submitBurst = 2; $0.submitsPerSecond = 0.01 }
        try await fixture.test { client in
            for _ in 0..<2 { #expect(try await client.send(.post, "/v1/jobs", json: #"{"prompt": "x"}"#).status == .created) }
            let limited = try await client.send(.post, "/v1/jobs", json: #"{"prompt": "x"}"#)
            #expect(limited.status == .tooManyRequests)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await client.send(.get, "/v1/jobs").status == .ok)
        }
        #expect(try await fixture.queue.list().count == 2)
    }

    @Test func metricsShowJobsWorkersWaitsAndRequests() async throws {
        let fixture = try ServerFixture()
        let queue = fixture.queue
        _ = try await queue.submit(JobRequest(prompt: "a circle", seed: 1))
        _ = try await queue.submit(JobRequest(prompt: "a square", seed: 1))
        try await fixture.test { client in
            #expect(try await client.send(.get, "/healthz").object["status"] as? String == "ok")
            // Claimed just before the scrape: the gauge counts workers seen in the last minute, and
            // starting the server on a loaded machine can take longer than that.
            let claim = try #require(try await queue.claim(worker: "host-1", leaseSeconds: 30))
            try await queue.complete(claim, images: [RenderedImage(index: 0, seed: 1, width: 64, height: 64, jpeg: Data([0xFF, 0xD8, 0xFF, 0xD9]))],
                                     modelID: "reference", weightsHash: nil)
            let metrics = try await client.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = metrics.text
            #expect(text.contains(#"fae_t2i_jobs{state="queued"} 1"#), "\(text)")
            #expect(text.contains(#"fae_t2i_jobs{state="succeeded"} 1"#))
            #expect(text.contains("fae_t2i_workers_seen_last_minute 1"))
            #expect(text.contains("fae_t2i_queue_wait_seconds_count 1"))
            #expect(text.contains("fae_t2i_render_seconds_count 1"))
            #expect(text.contains(#"fae_t2i_http_requests_total{route="/healthz",method="GET",status="200"} 1"#))
        }
    }
}
