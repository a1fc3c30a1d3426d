import Foundation

/// A progress line for a training stage on stderr: step, loss (smoothed), samples per second
/// and ETA. On a terminal it redraws one line; in a log file it prints a line every
/// `logInterval` seconds, so `nohup` logs stay short.
public final class TrainingProgress {
    public let name: String
    public let totalSteps: Int
    public let samplesPerStep: Int
    private let interactive: Bool
    private let logInterval: Double
    private var smoothed: [String: Float] = [:]
    private var keys: [String] = []
    private var windowStart: Double, windowStep: Int
    private var lastPrint = 0.0
    private var rate: Double = 0

    public init(name: String, totalSteps: Int, samplesPerStep: Int, startStep: Int = 0, logInterval: Double = 10) {
        self.name = name
        self.totalSteps = totalSteps
        self.samplesPerStep = samplesPerStep
        self.logInterval = logInterval
        interactive = TrainingOutput.interactive
        windowStart = Self.now()
        windowStep = startStep
    }

    static func now() -> Double { Date().timeIntervalSinceReferenceDate }

    /// Records the metrics of `step` (1-based count of finished steps) and redraws when due.
    public func update(step: Int, metrics: [(String, Float)]) {
        for (key, value) in metrics where value.isFinite {
            if let old = smoothed[key] { smoothed[key] = 0.95 * old + 0.05 * value } else { smoothed[key] = value; keys.append(key) }
        }
        let t = Self.now()
        if t - windowStart >= 2 {
            let fresh = Double((step - windowStep) * samplesPerStep) / (t - windowStart)
            rate = rate == 0 ? fresh : 0.7 * rate + 0.3 * fresh
            windowStart = t
            windowStep = step
        }
        let due = interactive ? t - lastPrint >= 0.2 : t - lastPrint >= logInterval
        if due || step == totalSteps {
            lastPrint = t
            TrainingOutput.write(line(step: step), terminator: interactive && step < totalSteps ? "\r" : "\n")
        }
    }

    /// A message on its own line (validation figures, checkpoints).
    public func note(_ message: String) {
        TrainingOutput.note("\(name): \(message)")
    }

    private func line(step: Int) -> String {
        let width = 24
        let filled = totalSteps > 0 ? min(width, width * step / totalSteps) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let figures = keys.map { "\($0) \(Self.format(smoothed[$0] ?? 0))" }.joined(separator: " ")
        var eta = "--"
        if rate > 0 {
            eta = Self.duration(Double((totalSteps - step) * samplesPerStep) / rate)
        }
        return "\(name) [\(bar)] \(step)/\(totalSteps) \(figures) \(String(format: "%.0f", rate)) samples/s ETA \(eta)"
    }

    static func format(_ value: Float) -> String {
        abs(value) >= 0.01 || value == 0 ? String(format: "%.4f", value) : String(format: "%.3e", value)
    }

    /// "1h02m", "4m05s", "12s".
    public static func duration(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s >= 3600 { return String(format: "%dh%02dm", s / 3600, (s % 3600) / 60) }
        if s >= 60 { return String(format: "%dm%02ds", s / 60, s % 60) }
        return "\(s)s"
    }
}
