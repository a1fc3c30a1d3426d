import Foundation
import JobQueue

/// Polls a job until it ends, drawing its progress on stderr.
struct JobWaiter {
    let queue: any JobQueue
    let showProgress: Bool
    var pollInterval: Duration = .milliseconds(200)

    func wait(for id: String) async throws -> Job {
        var lastLine = ""
        let isTerminal = isatty(STDERR_FILENO) == 1
        while true {
            let job = try await queue.status(id)
            let line = "\(id): \(JobText.stateLine(job))"
            if showProgress && line != lastLine {
                FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + line : line + "\n").utf8))
                lastLine = line
            }
            if job.state.isTerminal {
                if showProgress && isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
                return job
            }
            try await Task.sleep(for: pollInterval)
        }
    }
}
