import Foundation
import ServiceLifecycle

/// Runs a `QueueWorker` as a service: graceful shutdown (SIGTERM/SIGINT through a
/// `ServiceGroup`) asks the loop to stop; the blocking loop lives on its own thread so it never
/// ties up the concurrency pool.
public struct WorkerService: Service {
    public let worker: QueueWorker

    public init(worker: QueueWorker) {
        self.worker = worker
    }

    public func run() async throws {
        let worker = self.worker
        try await withGracefulShutdownHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                let thread = Thread {
                    continuation.resume(with: Result { try worker.run() })
                }
                thread.name = "fae-t2i-worker"
                thread.stackSize = 8 << 20
                thread.start()
            }
        } onGracefulShutdown: {
            worker.requestStop()
        }
    }
}
