import Foundation
import Hummingbird
import JobQueue

/// The health check, the metrics, the API's own description and the web gallery's files.
struct SiteRoutes {
    let queue: any JobQueue
    let metrics: ServerMetrics

    func register(on router: Router<APIRequestContext>) {
        router.get("/healthz") { _, _ in
            do {
                _ = try await queue.counts()
            } catch {
                throw APIError(.serviceUnavailable, "the queue does not answer: \(error)")
            }
            return try JSONBody.response(["status": "ok"])
        }
        router.get("/metrics") { _, _ in
            let text = try await queueCall { try await metrics.scrape(queue) }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("/v1/openapi.json") { _, _ in Self.file(PackageResources.openapi_json, type: "application/json") }
        router.get("/") { _, _ in Self.file(PackageResources.index_html, type: "text/html; charset=utf-8") }
        router.get("/gallery.css") { _, _ in Self.file(PackageResources.gallery_css, type: "text/css; charset=utf-8") }
        router.get("/gallery.js") { _, _ in Self.file(PackageResources.gallery_js, type: "text/javascript; charset=utf-8") }
    }

    static func file(_ bytes: [UInt8], type: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .cacheControl: "no-cache"], body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}
