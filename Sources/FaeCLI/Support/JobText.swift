import Foundation
import JobQueue

/// Human-readable renderings of jobs for the terminal. Every text a user or worker supplied goes
/// through `TerminalText.escaped`.
enum JobText {
    static func stateLine(_ job: Job) -> String {
        switch job.state {
        case .running where job.progressTotal > 0:
            return "running (step \(job.progressStep)/\(job.progressTotal))"
        case .queued where job.attempts > 0:
            return "queued (retry \(job.attempts + 1)/\(job.maxAttempts))"
        default:
            return job.state.rawValue
        }
    }

    static func detail(_ job: Job) -> String {
        let parameters = job.parameters
        var lines = [
            "job       \(job.id)",
            "state     \(stateLine(job))\(job.cancelRequested && job.state == .running ? " (cancel requested)" : "")",
            "prompt    \(parameters.prompt)",
        ]
        if !parameters.negativePrompt.isEmpty { lines.append("negative  \(parameters.negativePrompt)") }
        lines.append("images    \(parameters.count) (seeds \(parameters.seeds.map(String.init).joined(separator: ", ")))")
        lines.append("sampling  \(parameters.steps) steps, guidance \(parameters.guidance), \(parameters.sampler.rawValue)")
        lines.append("priority  \(job.priority)")
        lines.append("attempts  \(job.attempts)/\(job.maxAttempts)")
        if let key = job.idempotencyKey { lines.append("key       \(key)") }
        if let model = job.modelID { lines.append("model     \(model)\(job.weightsHash.map { " (\($0.prefix(12)))" } ?? "")") }
        if let worker = job.worker { lines.append("worker    \(worker)") }
        if let error = job.error { lines.append("error     \(error)") }
        if let warning = job.warning { lines.append("warning   \(warning)") }
        lines.append("created   \(Job.iso8601(job.createdAt))")
        if let started = job.startedAt { lines.append("started   \(Job.iso8601(started))") }
        if let finished = job.finishedAt { lines.append("finished  \(Job.iso8601(finished))") }
        for image in job.images {
            lines.append("image \(image.index)   seed \(image.seed), \(image.width)x\(image.height), \(image.bytes) bytes, sha256 \(image.sha256)")
        }
        // Each line is escaped whole: prompts, errors, names and hashes all come from the database.
        return lines.map(TerminalText.escaped).joined(separator: "\n")
    }

    static func row(_ job: Job) -> String {
        let text = TerminalText.escaped(job.parameters.prompt)
        let prompt = text.count > 48 ? text.prefix(47) + "…" : Substring(text)
        let state = stateLine(job).padding(toLength: 26, withPad: " ", startingAt: 0)
        return "\(job.id)  \(state)  \(Job.iso8601(job.createdAt).prefix(19))  \(prompt)"
    }
}
