import Crypto
import Foundation
import Hummingbird

/// With a token, every route but the health check and the gallery's static files needs
/// `Authorization: Bearer <token>`; the comparison takes the same time however much matches.
struct BearerTokenMiddleware: RouterMiddleware {
    typealias Context = APIRequestContext
    let tokenDigest: [UInt8]
    static let openPaths: Set<String> = ["/healthz", "/", "/gallery.css", "/gallery.js"]

    init(token: String) { tokenDigest = Array(SHA256.hash(data: Data(token.utf8))) }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .options || Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer "),
              authorized(String(header.dropFirst("Bearer ".count)))
        else {
            var error = APIError(.unauthorized, "missing or wrong bearer token")
            error.headers[.wwwAuthenticate] = "Bearer"
            throw error
        }
        return try await next(request, context)
    }

    /// Compares digests, so neither the token's length nor its prefix leaks through timing.
    func authorized(_ presented: String) -> Bool {
        let digest = SHA256.hash(data: Data(presented.utf8))
        var difference: UInt8 = 0
        for (a, b) in zip(digest, tokenDigest) { difference |= a ^ b }
        return difference == 0
    }
}
