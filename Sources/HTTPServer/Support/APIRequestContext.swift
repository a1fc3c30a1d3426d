import Hummingbird
import NIOCore

/// Each request's context: Hummingbird's own, and the client's address for the rate limit.
struct APIRequestContext: RequestContext, RemoteAddressRequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// The rate limit's key: the client's IP address.
    var clientKey: String { remoteAddress?.ipAddress ?? "unknown" }
}
