import ArgumentParser
import Foundation
import HTTPServer
import JobQueue
import Logging

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the JSON API, its event streams, metrics and the web gallery over the queue.",
        discussion: """
            Prints `serving http://HOST:PORT` once it listens (--port 0 picks a free port). Bound to an \
            address other than loopback it needs a token (--token-file or $FAE_T2I_TOKEN), which every \
            route but /healthz then requires as `Authorization: Bearer <token>`. SIGTERM or SIGINT stops it \
            gracefully. The routes are described at /v1/openapi.json and in docs/http-api.md.
            """)

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(parsing: .unconditional, help: "Port to listen on (0: any free port).")
    var port = 8080

    @Option(name: .customLong("token-file"), help: "File whose first line is the bearer token (default: $FAE_T2I_TOKEN).")
    var tokenFile: String?

    @Option(name: .customLong("cors-origin"), help: "The one origin allowed to call the API from a browser (default: none).")
    var corsOrigin: String?

    @Option(name: .customLong("submit-rate"), parsing: .unconditional, help: "Submits per second each client address may sustain.")
    var submitRate = 20.0

    @Option(name: .customLong("submit-burst"), parsing: .unconditional, help: "Submits a client address may send at once.")
    var submitBurst = 40.0

    @OptionGroup var queueOptions: QueueOptions

    func validate() throws {
        guard submitRate.isFinite, submitRate > 0 else { throw CLIError("--submit-rate must be positive, got \(submitRate)") }
        guard submitBurst.isFinite, submitBurst >= 1 else { throw CLIError("--submit-burst must be at least 1, got \(submitBurst)") }
    }

    func token() throws -> String? {
        guard let tokenFile else {
            let token = ProcessInfo.processInfo.environment["FAE_T2I_TOKEN"] ?? ""
            return token.isEmpty ? nil : token
        }
        let text: String
        do {
            text = try String(contentsOfFile: tokenFile, encoding: .utf8)
        } catch {
            throw CLIError("cannot read the token file \(tokenFile): \(error.localizedDescription)", cause: error)
        }
        guard let line = text.split(separator: "\n", omittingEmptySubsequences: false).first?
            .trimmingCharacters(in: .whitespacesAndNewlines), !line.isEmpty
        else { throw CLIError("the token file \(tokenFile) is empty") }
        return line
    }

    func run() async throws {
        let json = queueOptions.json
        LoggingSystem.bootstrap { label in
            json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label) as LogHandler
        }
        let logger = Logger(label: "fae-t2i.serve")
        var configuration = ServerConfiguration(host: host, port: port, token: try token(), corsOrigin: corsOrigin)
        configuration.submitsPerSecond = submitRate
        configuration.submitBurst = submitBurst
        do {
            try configuration.validate()
        } catch let error as ServerError {
            throw CLIError(error.message, cause: error)
        }
        let queue = try await queueOptions.openQueue(.create)
        let server = try APIServer(queue: queue, configuration: configuration, logger: logger)
        let host = self.host
        do {
            try await server.run { port in
                print("serving http://\(host):\(port)")
                fflush(stdout)
            }
        } catch {
            await queue.close()
            throw CLIError("the server stopped: \(error)", cause: error)
        }
        await queue.close()
    }
}
