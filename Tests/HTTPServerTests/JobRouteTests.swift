import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import JobQueue
import Testing
@testable import HTTPServer

@Suite struct JobRouteTests {
    @Test func submitAnswers201WithLocationAndTheJob() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let response = try await client.send(.post, "/v1/jobs", json: #"{"prompt": "a red circle", "seed": 7, "count": 2, "steps": 10}"#)
            #expect(response.status == .created)
            let id = try #require(response.object["id"] as? String)
            #expect(response.headers[.location] == "/v1/jobs/\(id)")
            #expect(response.object["state"] as? String == "queued")
            let parameters = try #require(response.object["parameters"] as? [String: Any])
            #expect(parameters["seeds"] as? [Int] == [7, 8])
            #expect(parameters["steps"] as? Int == 10)
            let read = try await client.send(.get, "/v1/jobs/\(id)")
            #expect(read.status == .ok)
            #expect(read.object["id"] as? String == id)
        }
    }

    @Test func aRepeatedKeyReturnsTheJobAndAnotherBodyIsAConflict() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let body = #"{"prompt": "a blue square", "key": "k1"}"#
            let first = try await client.send(.post, "/v1/jobs", json: body)
            let again = try await client.send(.post, "/v1/jobs", json: body)
            #expect(first.status == .created)
            #expect(again.status == .ok)
            #expect(again.object["id"] as? String == first.object["id"] as? String)
            let header = try await client.send(.post, "/v1/jobs", json: #"{"prompt": "a blue square"}"#,
                                               headers: [HTTPField.Name("Idempotency-Key")!: "k1"])
            #expect(header.object["id"] as? String == first.object["id"] as? String)
            let other = try await client.send(.post, "/v1/jobs", json: #"{"prompt": "a green star", "key": "k1"}"#)
            #expect(other.status == .conflict)
            #expect(other.errorField == "key")
        }
    }

    @Test(arguments: [
        (#"{"prompt": "x", "count": 99}"#, "count"),
        (#"{"prompt": "x", "steps": "ten"}"#, "steps"),
        (#"{"prompt": "x", "guidance": 31}"#, "guidance"),
        (#"{"prompt": "x", "sampler": "rk9"}"#, "sampler"),
        (#"{"prompt": "x", "seed": -1}"#, "seed"),
        (#"{"prompt": "x", "seed": 1, "seeds": [1]}"#, "seeds"),
        (#"{"prompt": "x", "seeds": [1, 2], "count": 3}"#, "count"),
        (#"{"prompt": "x", "priority": 5000}"#, "priority"),
        (#"{"prompt": "x", "max_attempts": 0}"#, "max_attempts"),
        (#"{"prompt": "x", "key": ""}"#, "key"),
        (#"{"prompt": "  "}"#, "prompt"),
        (#"{"count": 1}"#, "prompt"),
        (#"{"prompt": "x", "colour": "red"}"#, "colour"),
    ])
    func aBadFieldIs400NamingIt(body: String, field: String) async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            let response = try await client.send(.post, "/v1/jobs", json: body)
            #expect(response.status == .badRequest)
            #expect(response.errorField == field, "\(response.text)")
            #expect(response.errorMessage?.isEmpty == false)
        }
        #expect(try await fixture.queue.list().isEmpty)
    }

    @Test func aBodyThatIsNotJSONOrTooLargeOrOfAnotherTypeIsRefused() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            #expect(try await client.send(.post, "/v1/jobs", json: "{not json").status == .badRequest)
            #expect(try await client.send(.post, "/v1/jobs", json: "[1, 2]").status == .badRequest)
            let plain = try await client.send(.post, "/v1/jobs", json: #"{"prompt": "x"}"#, headers: [.contentType: "text/plain"])
            #expect(plain.status == .unsupportedMediaType)
            let huge = #"{"prompt": ""# + String(repeating: "a", count: 70_000) + #""}"#
            #expect(try await client.send(.post, "/v1/jobs", json: huge).status == .contentTooLarge)
        }
        #expect(try await fixture.queue.list().isEmpty)
    }

    @Test func aBodyThatStallsIsRefusedWith408AndItsConnectionClosed() async throws {
        let (chunks, sender) = AsyncStream<ByteBuffer>.makeStream()
        sender.yield(ByteBuffer(string: #"{"prompt": "#))  // then nothing more
        defer { sender.finish() }
        let request = Request(head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/v1/jobs"),
                              body: RequestBody(asyncSequence: chunks))
        await #expect {
            _ = try await JobRoutes.collect(request, limit: 1024, within: .milliseconds(200))
        } throws: { error in
            let answer = error as? APIError
            return answer?.status == .requestTimeout && answer?.headers[.connection] == "close"
        }
    }

    @Test func unknownAndMalformedIDs() async throws {
        let fixture = try ServerFixture()
        try await fixture.test { client in
            #expect(try await client.send(.get, "/v1/jobs/0123456789abcdef").status == .notFound)
            let malformed = try await client.send(.get, "/v1/jobs/nope")
            #expect(malformed.status == .badRequest)
            #expect(malformed.errorField == "id")
            #expect(try await client.send(.post, "/v1/jobs/0123456789abcdef/cancel").status == .notFound)
            #expect(try await client.send(.get, "/v1/nothing-here").status == .notFound)
        }
    }

    @Test func listPagesNewestFirstWithACursor() async throws {
        let fixture = try ServerFixture()
        var ids: [String] = []
        for index in 0..<5 { ids.append(try await fixture.queue.submit(JobRequest(prompt: "job \(index)", seed: 1)).job.id) }
        try await fixture.test { [ids] client in
            let first = try await client.send(.get, "/v1/jobs?limit=2")
            let firstIDs = (first.object["jobs"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(firstIDs == [ids[4], ids[3]])
            let cursor = try #require(first.object["next_cursor"] as? String)
            let second = try await client.send(.get, "/v1/jobs?limit=2&cursor=\(cursor)")
            #expect((second.object["jobs"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [ids[2], ids[1]])
            let last = try await client.send(.get, "/v1/jobs?limit=2&cursor=\(ids[1])")
            #expect((last.object["jobs"] as? [[String: Any]])?.count == 1)
            #expect(last.object["next_cursor"] is NSNull)
            #expect(try await client.send(.get, "/v1/jobs?state=succeeded").object["jobs"] as? [Any] != nil)
            #expect(try await client.send(.get, "/v1/jobs?state=bogus").errorField == "state")
            #expect(try await client.send(.get, "/v1/jobs?limit=0").errorField == "limit")
            #expect(try await client.send(.get, "/v1/jobs?cursor=ffffffffffffffff").errorField == "cursor")
        }
    }

    @Test func cancelAndRetryFollowTheJobsState() async throws {
        let fixture = try ServerFixture()
        let id = try await fixture.queue.submit(JobRequest(prompt: "a circle", seed: 1)).job.id
        try await fixture.test { client in
            #expect(try await client.send(.post, "/v1/jobs/\(id)/retry").status == .conflict)
            let canceled = try await client.send(.post, "/v1/jobs/\(id)/cancel")
            #expect(canceled.object["state"] as? String == "canceled")
            let retried = try await client.send(.post, "/v1/jobs/\(id)/retry")
            #expect(retried.status == .ok)
            #expect(retried.object["state"] as? String == "queued")
        }
    }

    @Test func imagesCarryTheirDigestAndAnswerIfNoneMatch() async throws {
        let fixture = try ServerFixture()
        let id = try await fixture.queue.submit(JobRequest(prompt: "a circle", seed: 1)).job.id
        let claim = try #require(try await fixture.queue.claim(worker: "w", leaseSeconds: 30))
        let jpeg = Data([0xFF, 0xD8, 0xFF, 0xD9])
        try await fixture.queue.complete(claim, images: [RenderedImage(index: 0, seed: 1, width: 64, height: 64, jpeg: jpeg)],
                                   modelID: "reference", weightsHash: nil)
        try await fixture.test { client in
            let image = try await client.send(.get, "/v1/jobs/\(id)/images/0")
            #expect(image.status == .ok)
            #expect(image.headers[.contentType] == "image/jpeg")
            #expect(Data(image.body.readableBytesView) == jpeg)
            let etag = try #require(image.headers[.eTag])
            #expect(image.headers[.cacheControl]?.contains("immutable") == true)
            #expect(try await client.send(.get, "/v1/jobs/\(id)/images/0", headers: [.ifNoneMatch: etag]).status == .notModified)
            #expect(try await client.send(.get, "/v1/jobs/\(id)/images/1").status == .notFound)
            #expect(try await client.send(.get, "/v1/jobs/\(id)/images/x").status == .badRequest)
        }
    }

    @Test func eventsStreamStateAndProgressUntilTheJobEnds() async throws {
        let fixture = try ServerFixture()
        let queue = fixture.queue
        let id = try await queue.submit(JobRequest(prompt: "a circle", seed: 1)).job.id
        let worker = Task {
            try await Task.sleep(nanoseconds: 200_000_000)
            let claim = try #require(try await queue.claim(worker: "w", leaseSeconds: 30))
            for step in 1...3 {
                _ = try await queue.heartbeat(claim, step: step, total: 3, leaseSeconds: 30)
                try await Task.sleep(nanoseconds: 150_000_000)
            }
            try await queue.complete(claim, images: [RenderedImage(index: 0, seed: 1, width: 64, height: 64, jpeg: Data([0xFF, 0xD8, 0xFF, 0xD9]))],
                               modelID: "reference", weightsHash: nil)
        }
        try await fixture.test { client in
            let response = try await client.send(.get, "/v1/jobs/\(id)/events")
            #expect(response.headers[.contentType] == "text/event-stream")
            let events = response.text.components(separatedBy: "\n\n").compactMap { block -> String? in
                block.split(separator: "\n").first { $0.hasPrefix("event: ") }.map { String($0.dropFirst(7)) }
            }
            #expect(events.first == "state")
            #expect(events.contains("progress"))
            #expect(response.text.contains(#""step":3"#))
            #expect(response.text.contains(#""state":"succeeded""#))
            #expect(try await client.send(.get, "/v1/jobs/0123456789abcdef/events").status == .notFound)
        }
        try await worker.value
    }
}
