import Foundation
import HummingbirdWSClient
import Logging

/// One Chrome DevTools Protocol connection to a page target, over a WebSocket: commands go out as
/// `{"id", "method", "params"}` and each reply is matched to its command by id. Every wait has a
/// timeout, so a browser that stops answering fails the test instead of hanging it.
actor DevToolsConnection {
    /// What went wrong talking to the browser.
    enum Failure: Error, CustomStringConvertible {
        case timedOut(String)
        case commandFailed(method: String, message: String)
        case connectionClosed(String)
        case javaScript(String)
        case malformedReply(String)

        var description: String {
            switch self {
            case .timedOut(let what): "DevTools: no answer in time to \(what)"
            case .commandFailed(let method, let message): "DevTools: \(method) failed: \(message)"
            case .connectionClosed(let why): "DevTools: the connection closed: \(why)"
            case .javaScript(let message): "DevTools: the page threw: \(message)"
            case .malformedReply(let what): "DevTools: malformed reply: \(what)"
            }
        }
    }

    /// A JSON value for command parameters.
    enum Value: Encodable, Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
        ExpressibleByFloatLiteral
    {
        case string(String), int(Int), double(Double), bool(Bool), object([String: Value])

        init(stringLiteral value: String) { self = .string(value) }
        init(integerLiteral value: Int) { self = .int(value) }
        init(booleanLiteral value: Bool) { self = .bool(value) }
        init(floatLiteral value: Double) { self = .double(value) }

        func encode(to encoder: Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .int(let value): try container.encode(value)
            case .double(let value): try container.encode(value)
            case .bool(let value): try container.encode(value)
            case .object(let value): try container.encode(value)
            }
        }
    }

    private struct Command: Encodable {
        let id: Int
        let method: String
        let params: [String: Value]
    }

    private var outbound: WebSocketOutboundWriter?
    private var connectionTask: Task<Void, Never>?
    private var attachWaiter: CheckedContinuation<Void, Error>?
    private var pending: [Int: (method: String, continuation: CheckedContinuation<Data, Error>)] = [:]
    private var timers: [Int: Task<Void, Never>] = [:]
    private var nextID = 1
    private var closedReason: String?
    /// Uncaught exceptions and console errors the page reported (Runtime domain events).
    private(set) var pageProblems: [String] = []

    private init() {}

    /// Connects to a target's `webSocketDebuggerUrl`.
    static func connect(to url: String, timeout: Duration = .seconds(30)) async throws -> DevToolsConnection {
        let connection = DevToolsConnection()
        try await connection.open(url, timeout: timeout)
        return connection
    }

    private func open(_ url: String, timeout: Duration) async throws {
        let logger = Logger(label: "test.devtools")
        // Screenshots arrive as one large text frame of base64.
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 26, closeTimeout: .seconds(2))
        connectionTask = Task { [weak self] in
            guard let connection = self else { return }
            do {
                try await WebSocketClient.connect(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
                    await connection.attached(outbound)
                    for try await message in inbound.messages(maxSize: 1 << 26) {
                        if case .text(let text) = message { await connection.received(text) }
                    }
                }
                await connection.closed("the browser closed it")
            } catch {
                await connection.closed("\(error)")
            }
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            if let closedReason {
                continuation.resume(throwing: Failure.connectionClosed(closedReason))
            } else if outbound != nil {
                continuation.resume()
            } else {
                attachWaiter = continuation
                Task { [weak self] in
                    try? await Task.sleep(for: timeout)
                    await self?.attachTimedOut(url)
                }
            }
        }
    }

    private func attached(_ writer: WebSocketOutboundWriter) {
        outbound = writer
        attachWaiter?.resume()
        attachWaiter = nil
    }

    private func attachTimedOut(_ url: String) {
        attachWaiter?.resume(throwing: Failure.timedOut("connect to \(url)"))
        attachWaiter = nil
    }

    private func closed(_ reason: String) {
        if closedReason == nil { closedReason = reason }
        outbound = nil
        attachWaiter?.resume(throwing: Failure.connectionClosed(reason))
        attachWaiter = nil
        for (id, entry) in pending {
            timers.removeValue(forKey: id)?.cancel()
            entry.continuation.resume(throwing: Failure.connectionClosed("\(reason) (waiting for \(entry.method))"))
        }
        pending.removeAll()
    }

    private func received(_ text: String) {
        guard let message = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else { return }
        guard let id = message["id"] as? Int else {
            recordEvent(message)
            return
        }
        guard let entry = pending.removeValue(forKey: id) else { return }
        timers.removeValue(forKey: id)?.cancel()
        if let error = message["error"] as? [String: Any] {
            let text = (error["message"] as? String) ?? "\(error)"
            entry.continuation.resume(throwing: Failure.commandFailed(method: entry.method, message: text))
            return
        }
        let result = message["result"] ?? [String: Any]()
        do {
            entry.continuation.resume(returning: try JSONSerialization.data(withJSONObject: result, options: [.fragmentsAllowed]))
        } catch {
            entry.continuation.resume(throwing: Failure.malformedReply("\(entry.method): \(error)"))
        }
    }

    private func recordEvent(_ message: [String: Any]) {
        let params = message["params"] as? [String: Any] ?? [:]
        switch message["method"] as? String {
        case "Runtime.exceptionThrown":
            let details = params["exceptionDetails"] as? [String: Any] ?? [:]
            let exception = details["exception"] as? [String: Any] ?? [:]
            pageProblems.append("exception: \((exception["description"] as? String) ?? (details["text"] as? String) ?? "?")")
        case "Runtime.consoleAPICalled" where (params["type"] as? String) == "error":
            let arguments = (params["args"] as? [[String: Any]] ?? []).map { "\($0["value"] ?? $0["description"] ?? "?")" }
            pageProblems.append("console.error: \(arguments.joined(separator: " "))")
        default:
            break
        }
    }

    private func expire(_ id: Int) {
        guard let entry = pending.removeValue(forKey: id) else { return }
        timers.removeValue(forKey: id)
        entry.continuation.resume(throwing: Failure.timedOut("answer \(entry.method)"))
    }

    /// Sends a command and returns its `result` object as JSON.
    @discardableResult
    func send(_ method: String, _ params: [String: Value] = [:], timeout: Duration = .seconds(30)) async throws -> Data {
        guard let writer = outbound else { throw Failure.connectionClosed(closedReason ?? "not connected") }
        let id = nextID
        nextID += 1
        let text = String(decoding: try JSONEncoder().encode(Command(id: id, method: method, params: params)), as: UTF8.self)
        return try await withCheckedThrowingContinuation { continuation in
            pending[id] = (method, continuation)
            timers[id] = Task { [weak self] in
                try? await Task.sleep(for: timeout)
                if !Task.isCancelled { await self?.expire(id) }
            }
            Task { [weak self] in
                do {
                    try await writer.write(.text(text))
                } catch {
                    await self?.closed("cannot send \(method): \(error)")
                }
            }
        }
    }

    /// Sends a command and decodes its result.
    func send<Result: Decodable>(_ method: String, _ params: [String: Value] = [:], as type: Result.Type,
                                 timeout: Duration = .seconds(30)) async throws -> Result {
        let data = try await send(method, params, timeout: timeout)
        do {
            return try JSONDecoder().decode(Result.self, from: data)
        } catch {
            throw Failure.malformedReply("\(method): \(error)")
        }
    }

    private struct EvaluateReply: Decodable {
        struct ExceptionDetails: Decodable {
            struct Exception: Decodable { let description: String? }
            let text: String
            let exception: Exception?
        }
        let exceptionDetails: ExceptionDetails?
    }

    /// Runs JavaScript in the page (awaiting a returned promise) and decodes its value, which must be
    /// JSON-serialisable.
    func evaluate<Decoded: Decodable>(_ expression: String, as type: Decoded.Type = Decoded.self,
                                      timeout: Duration = .seconds(30)) async throws -> Decoded {
        let data = try await send("Runtime.evaluate", [
            "expression": .string(expression), "returnByValue": true, "awaitPromise": true,
        ], timeout: timeout)
        if let details = try? JSONDecoder().decode(EvaluateReply.self, from: data).exceptionDetails {
            throw Failure.javaScript(details.exception?.description ?? details.text)
        }
        // The value sits at result.value; an expression that returns undefined has none.
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let result = object["result"] as? [String: Any]
        else { throw Failure.malformedReply("Runtime.evaluate: \(String(decoding: data, as: UTF8.self).prefix(200))") }
        let value = try JSONSerialization.data(withJSONObject: result["value"] ?? NSNull(), options: [.fragmentsAllowed])
        do {
            return try JSONDecoder().decode(Decoded.self, from: value)
        } catch {
            throw Failure.malformedReply("the value of `\(expression.prefix(80))`: \(String(decoding: value, as: UTF8.self).prefix(200))")
        }
    }

    /// Closes the socket; the browser itself is the caller's to stop.
    func close() async {
        let writer = outbound
        outbound = nil
        if let writer { try? await writer.close(.normalClosure, reason: nil) }
        connectionTask?.cancel()
        closed("closed by the test")
    }
}
