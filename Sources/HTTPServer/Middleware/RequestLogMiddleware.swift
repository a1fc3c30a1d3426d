import Foundation
import Hummingbird
import Logging

/// One log line per request (method, route, status, milliseconds) and the request counter; turns
/// every failure into the API's JSON error, so the line and the counter see the status sent.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let metrics: ServerMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var response: Response
        do {
            response = try await next(request, context)
        } catch {
            response = try Self.errorResponse(error, request: request, context: context)
        }
        let route = context.endpointPath ?? "unmatched"
        let elapsed = ContinuousClock.now - start
        let milliseconds = Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15
        metrics.countRequest(route: route, method: request.method.rawValue, status: Int(response.status.code))
        logger.info("\(request.method.rawValue) \(request.uri.path) \(response.status.code) \(String(format: "%.1f", milliseconds)) ms",
                    metadata: ["route": .string(route)])
        return response
    }

    static func errorResponse(_ error: any Error, request: Request, context: Context) throws -> Response {
        switch error {
        case let api as APIError:
            return try api.response(from: request, context: context)
        case let http as HTTPError:
            let message = http.body ?? http.status.reasonPhrase
            return try APIError(http.status, message).response(from: request, context: context)
        case let response as any HTTPResponseError:
            return try APIError(response.status, response.status.reasonPhrase).response(from: request, context: context)
        default:
            context.logger.error("request failed: \(error)")
            return try APIError(.internalServerError, "internal error").response(from: request, context: context)
        }
    }
}
