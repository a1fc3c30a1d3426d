import ArgumentParser
import Foundation
import JobQueue

struct PruneCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prune", abstract: "Delete finished jobs (succeeded, failed, canceled) and their images.")

    @Option(name: .customLong("older-than"), help: "Age of finished jobs to delete: e.g. 7d, 12h, 30m, 90s.")
    var olderThan: String = "7d"

    @OptionGroup var queueOptions: QueueOptions

    func validate() throws {
        guard let seconds = DurationText.seconds(olderThan) else {
            throw CLIError("--older-than must be a number with a unit s, m, h or d (e.g. 7d), got '\(olderThan)'")
        }
        guard seconds <= Self.maxAgeSeconds else {
            throw CLIError("--older-than must be at most 36500d (a hundred years), got '\(olderThan)'")
        }
    }

    static let maxAgeSeconds: TimeInterval = 36_500 * 86_400

    func run() async throws {
        let seconds = DurationText.seconds(olderThan) ?? 0
        let removed = try await queueOptions.withQueue(.free) { try await $0.prune(olderThan: seconds) }
        if queueOptions.json { try JSONOutput.print(["removed": removed]) } else { print("removed \(removed) jobs") }
    }
}

enum DurationText {
    /// "7d" -> 604800; plain numbers are seconds.
    static func seconds(_ text: String) -> TimeInterval? {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800]
        var number = Substring(text.trimmingCharacters(in: .whitespaces))
        var scale = 1.0
        if let last = number.last, let unit = units[last] {
            scale = unit
            number = number.dropLast()
        }
        guard let value = Double(number), value.isFinite, value >= 0 else { return nil }
        return value * scale
    }
}
