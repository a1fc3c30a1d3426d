import Foundation
import JobQueue
import Metrics
import Prometheus

/// What `/metrics` shows, through swift-metrics into a Prometheus registry of this server's own:
/// jobs by state and workers seen in the last minute (read at each scrape), queue wait and render
/// seconds of the jobs that finished while the server ran (histograms), and requests by route and status.
final class ServerMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    private let queueWait: Metrics.Timer
    private let render: Metrics.Timer
    private let workers: Metrics.Gauge
    private let jobs: [JobState: Metrics.Gauge]
    private let finished: FinishedJobsCursor

    init(startedAt: Date = Date()) {
        var factory = PrometheusMetricsFactory(registry: registry)
        let seconds: [Duration] = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600].map { .milliseconds(Int64($0 * 1_000)) }
        factory.durationHistogramBuckets = ["fae_t2i_queue_wait_seconds": seconds, "fae_t2i_render_seconds": seconds]
        self.factory = factory
        queueWait = Metrics.Timer(label: "fae_t2i_queue_wait_seconds", factory: factory)
        render = Metrics.Timer(label: "fae_t2i_render_seconds", factory: factory)
        workers = Metrics.Gauge(label: "fae_t2i_workers_seen_last_minute", factory: factory)
        jobs = Dictionary(uniqueKeysWithValues: JobState.allCases.map {
            ($0, Metrics.Gauge(label: "fae_t2i_jobs", dimensions: [("state", $0.rawValue)], factory: factory))
        })
        finished = FinishedJobsCursor(after: startedAt)
    }

    func countRequest(route: String, method: String, status: Int) {
        Metrics.Counter(label: "fae_t2i_http_requests_total",
                dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory).increment()
    }

    /// Reads the queue's figures into the registry and renders it in Prometheus' text format.
    func scrape(_ queue: any JobQueue) async throws -> String {
        for (state, count) in try await queue.counts() { jobs[state]?.record(count) }
        workers.record(try await queue.workersSeen(since: Date().addingTimeInterval(-60)))
        for job in try await finished.take(from: queue) {
            if let started = job.startedAt {
                queueWait.recordSeconds(started.timeIntervalSince(job.createdAt))
                if job.state == .succeeded, let end = job.finishedAt { render.recordSeconds(end.timeIntervalSince(started)) }
            }
        }
        return registry.emitToString()
    }
}

/// The finish time up to which jobs are in the histograms; one scrape at a time advances it.
private actor FinishedJobsCursor {
    private var after: Date

    init(after: Date) { self.after = after }

    func take(from queue: any JobQueue) async throws -> [Job] {
        var taken: [Job] = []
        while true {
            let page = try await queue.finished(after: after, limit: 500)
            taken += page
            if let last = page.last?.finishedAt { after = last }
            if page.count < 500 { return taken }
        }
    }
}
