import Foundation
import Hummingbird
import JobQueue

/// An error answer: `{"error": {"message": ..., "field": ...}}` with its status.
struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String
    var field: String?
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ message: String, field: String? = nil) {
        self.status = status
        self.message = message
        self.field = field
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONBody.response(ErrorBody(error: .init(message: message, field: field)), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    /// The status a queue failure answers with.
    init(_ error: QueueError) {
        switch error.code {
        case .invalidRequest: self.init(.badRequest, error.message, field: error.field)
        case .malformedJobID: self.init(.badRequest, error.message, field: "id")
        case .unknownJob: self.init(.notFound, error.message)
        case .idempotencyConflict: self.init(.conflict, error.message, field: "key")
        case .invalidTransition: self.init(.conflict, error.message)
        case .busy, .unavailable: self.init(.serviceUnavailable, error.message)
        default: self.init(.internalServerError, error.message)
        }
        if error.isTransient { headers[.retryAfter] = "1" }
    }
}

/// The JSON of an error answer.
struct ErrorBody: Encodable {
    struct Detail: Encodable {
        let message: String
        let field: String?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(message, forKey: .message)
            try container.encode(field, forKey: .field)  // null rather than absent
        }

        enum CodingKeys: String, CodingKey { case message, field }
    }
    let error: Detail
}
