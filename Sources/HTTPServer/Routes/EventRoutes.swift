import Foundation
import Hummingbird
import JobQueue

/// `GET /v1/jobs/{id}/events`: Server-Sent Events. `state` (the job object) first and on every
/// change, `progress` (`{step, total}`) while it renders; the stream ends after a terminal state.
struct EventRoutes {
    let queue: any JobQueue
    let pollSeconds: Double

    func register(on router: Router<APIRequestContext>, jobID: @escaping @Sendable (APIRequestContext) throws -> String) {
        let queue = queue
        let pollSeconds = pollSeconds
        router.get("/v1/jobs/{id}/events") { _, context in
            let id = try jobID(context)
            let first = try await queueCall { try await queue.status(id) }
            let pollNanoseconds = UInt64(pollSeconds * 1e9)
            let body = ResponseBody { writer in
                var job = first
                var sentState: Job?
                var sentProgress: (Int, Int)?
                var idle = 0.0
                while true {
                    if sentState.map({ $0.state != job.state || $0.attempts != job.attempts || $0.cancelRequested != job.cancelRequested }) ?? true {
                        try await writer.write(Self.event("state", job))
                        sentState = job
                        idle = 0
                    }
                    if job.state == .running, job.progressTotal > 0, sentProgress.map({ $0 != (job.progressStep, job.progressTotal) }) ?? true {
                        try await writer.write(Self.event("progress", Progress(step: job.progressStep, total: job.progressTotal)))
                        sentProgress = (job.progressStep, job.progressTotal)
                        idle = 0
                    }
                    if job.state.isTerminal { break }
                    if idle >= 15 {
                        try await writer.write(ByteBuffer(string: ": keep-alive\n\n"))
                        idle = 0
                    }
                    try await Task.sleep(nanoseconds: pollNanoseconds)
                    idle += pollSeconds
                    job = try await queue.status(id)
                }
                try await writer.finish(nil)
            }
            return Response(status: .ok, headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"], body: body)
        }
    }

    struct Progress: Encodable { let step: Int; let total: Int }

    static func event(_ name: String, _ value: some Encodable) throws -> ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = String(decoding: try encoder.encode(value), as: UTF8.self)
        return ByteBuffer(string: "event: \(name)\ndata: \(json)\n\n")
    }
}
