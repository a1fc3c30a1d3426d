import Foundation
import Hummingbird
import HTTPTypes
import NIOCore
import JobQueue

/// `/v1/jobs`: submit, read, list, cancel, retry and fetch images.
struct JobRoutes {
    let queue: any JobQueue
    let limiter: SubmitRateLimiter
    let maxBodyBytes: Int
    let bodyTimeout: Duration

    static let listLimit = 1...200

    func register(on router: Router<APIRequestContext>) {
        router.post("/v1/jobs") { request, context in try await submit(request, context) }
        router.get("/v1/jobs") { request, _ in try await list(request) }
        router.get("/v1/jobs/{id}") { _, context in try JSONBody.response(try await queueCall { try await queue.status(jobID(context)) }) }
        router.post("/v1/jobs/{id}/cancel") { _, context in try JSONBody.response(try await queueCall { try await queue.cancel(jobID(context)) }) }
        router.post("/v1/jobs/{id}/retry") { _, context in try JSONBody.response(try await queueCall { try await queue.retry(jobID(context)) }) }
        router.get("/v1/jobs/{id}/images/{index}") { request, context in try await image(request, context) }
    }

    func submit(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        guard request.headers[.contentType].map(Self.isJSON) ?? false else {
            throw APIError(.unsupportedMediaType, "the body must be application/json")
        }
        if let retryAfter = limiter.admit(context.clientKey) {
            var error = APIError(.tooManyRequests, "too many submits from this client; try again in \(retryAfter) s")
            error.headers[.retryAfter] = String(retryAfter)
            throw error
        }
        var submission = try SubmitBody.decode(try await Self.collect(request, limit: maxBodyBytes, within: bodyTimeout))
        if let header = request.headers[HTTPField.Name("Idempotency-Key")!] {
            if let key = submission.key, key != header {
                throw APIError(.badRequest, "the Idempotency-Key header and the key field differ", field: "key")
            }
            submission.key = header
        }
        let jobRequest = try queueCall { try submission.request() }
        let result = try await queueCall { try await queue.submit(jobRequest) }
        var response = try JSONBody.response(result.job, status: result.reusedExisting ? .ok : .created)
        response.headers[.location] = "/v1/jobs/\(result.job.id)"
        return response
    }

    func list(_ request: Request) async throws -> Response {
        struct Page: Encodable {
            let jobs: [Job]
            let nextCursor: String?

            enum CodingKeys: String, CodingKey { case jobs, nextCursor = "next_cursor" }

            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(jobs, forKey: .jobs)
                try container.encode(nextCursor, forKey: .nextCursor)  // null on the last page
            }
        }
        let query = request.uri.queryParameters
        var state: JobState?
        if let text = query["state"].map(String.init) {
            guard let parsed = JobState(rawValue: text) else {
                throw APIError(.badRequest, "state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", "))", field: "state")
            }
            state = parsed
        }
        var limit = 50
        if let text = query["limit"].map(String.init) {
            guard let parsed = Int(text), Self.listLimit.contains(parsed) else {
                throw APIError(.badRequest, "limit must be an integer from 1 to 200", field: "limit")
            }
            limit = parsed
        }
        let cursor = query["cursor"].map(String.init)
        let jobs: [Job]
        do {
            jobs = try await queue.list(state: state, limit: limit, before: cursor)
        } catch let error as QueueError where error.code == .malformedJobID || error.code == .unknownJob {
            throw APIError(.badRequest, "cursor names no job: \(error.message)", field: "cursor")
        }
        return try JSONBody.response(Page(jobs: jobs, nextCursor: jobs.count == limit ? jobs.last?.id : nil))
    }

    func image(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id = try jobID(context)
        guard let index = Int(try context.parameters.require("index")), index >= 0 else {
            throw APIError(.badRequest, "the image index must be a non-negative integer", field: "index")
        }
        let images = try await queueCall { try await queue.images(id) }
        guard let image = images.first(where: { $0.info.index == index }) else {
            throw APIError(.notFound, "job \(id) has no image \(index) (it has \(images.count))")
        }
        let etag = "\"\(image.info.sha256)\""
        var headers: HTTPFields = [.eTag: etag, .cacheControl: "public, max-age=31536000, immutable"]
        if let match = request.headers[.ifNoneMatch], match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == etag || $0 == "*" }) {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentType] = "image/jpeg"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: image.jpeg)))
    }

    func jobID(_ context: APIRequestContext) throws -> String {
        try queueCall { try JobID.validate(try context.parameters.require("id")) }
    }

    static func isJSON(_ contentType: String) -> Bool {
        contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "application/json"
    }

    /// The body, refused with 413 beyond `limit` bytes (by its declared length before reading it),
    /// and with 408 when it has not all arrived `within` the deadline: the idle timeout alone lets a
    /// client that sends a byte now and then hold a connection for as long as it likes.
    static func collect(_ request: Request, limit: Int, within deadline: Duration) async throws -> Data {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > limit {
            throw APIError(.contentTooLarge, "the body is \(length) bytes; the limit is \(limit)")
        }
        do {
            let buffer = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await request.body.collect(upTo: limit) }
                group.addTask { try await Task.sleep(for: deadline); return nil }
                defer { group.cancelAll() }
                return try await group.next() ?? nil
            }
            guard let buffer else {
                var error = APIError(.requestTimeout, "the body did not arrive within \(deadline.components.seconds) s")
                error.headers[.connection] = "close"
                throw error
            }
            return Data(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw APIError(.contentTooLarge, "the body is larger than \(limit) bytes")
        }
    }
}

/// Runs a queue call, answering its failure with the matching status.
func queueCall<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as QueueError { throw APIError(error) }
}

func queueCall<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let error as QueueError { throw APIError(error) }
}
