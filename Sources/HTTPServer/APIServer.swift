import Foundation
import Hummingbird
import JobQueue
import Logging
import NIOCore
import ServiceLifecycle

/// The HTTP server over a queue: the JSON API under `/v1`, Server-Sent Events, `/healthz`,
/// `/metrics` and the web gallery at `/`. SIGTERM or SIGINT stops it gracefully: it stops
/// accepting, lets requests in flight finish, and returns.
public struct APIServer: Sendable {
    let queue: any JobQueue
    let configuration: ServerConfiguration
    let logger: Logger
    let metrics = ServerMetrics()

    public init(queue: any JobQueue, configuration: ServerConfiguration, logger: Logger) throws {
        try configuration.validate()
        self.queue = queue
        self.configuration = configuration
        self.logger = logger
    }

    /// Serves until SIGTERM or SIGINT; `onListening` gets the bound port once it listens.
    public func run(onListening: @escaping @Sendable (Int) -> Void) async throws {
        let app = makeApplication(onListening: onListening)
        let group = ServiceGroup(configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    func makeApplication(onListening: @escaping @Sendable (Int) -> Void = { _ in }) -> some ApplicationProtocol {
        Application(router: makeRouter(),
                    server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
                    configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "fae-t2i"),
                    onServerRunning: { channel in onListening(channel.localAddress?.port ?? configuration.port) },
                    logger: logger)
    }

    func makeRouter() -> Router<APIRequestContext> {
        let router = Router(context: APIRequestContext.self)
        router.add(middleware: RequestLogMiddleware(metrics: metrics, logger: logger))
        if let origin = configuration.corsOrigin {
            router.add(middleware: CORSMiddleware(allowOrigin: .custom(origin), allowHeaders: [.authorization, .contentType],
                                                  allowMethods: [.get, .post, .options]))
        }
        if let token = configuration.token { router.add(middleware: BearerTokenMiddleware(token: token)) }
        let jobs = JobRoutes(queue: queue,
                             limiter: SubmitRateLimiter(perSecond: configuration.submitsPerSecond, burst: configuration.submitBurst),
                             maxBodyBytes: configuration.maxBodyBytes,
                             bodyTimeout: .seconds(configuration.bodyTimeoutSeconds))
        jobs.register(on: router)
        EventRoutes(queue: queue, pollSeconds: configuration.eventPollSeconds).register(on: router, jobID: jobs.jobID)
        SiteRoutes(queue: queue, metrics: metrics).register(on: router)
        return router
    }
}
