import PostgresNIO

/// Runs tasks on the event loop that owns the queue's connections. A statement then goes out,
/// comes back and resumes its task on one thread: without it every statement hops between
/// Swift's threads and the event loop's several times, and those wake-ups, not PostgreSQL, are
/// what bounds a worker's claims per second on a small machine.
@available(macOS 15.0, iOS 18.0, tvOS 18.0, watchOS 11.0, *)
final class PostgresEventLoopExecutor: TaskExecutor, @unchecked Sendable {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
