import Foundation
import TensorEngine

/// The loop every stage shares: learning-rate schedule, AdamW, gradient clipping, EMA, progress
/// line, a learning curve in `log.jsonl`, periodic checkpoints and exact resume.
///
/// A run folder holds `checkpoint/` (see `TrainingCheckpoint`) and `log.jsonl` (one JSON object
/// per `logInterval` steps with the averaged metrics, and one per validation pass).
public final class TrainingRun {
    public let name: String
    public let directory: URL
    public let options: TrainingOptions
    public let parameters: [(String, Parameter)]
    public let optimizer: AdamW
    public let ema: ExponentialMovingAverage?
    public private(set) var state: TrainingState
    private let settings: [String: String]

    /// Set by SIGINT / SIGTERM: the loop saves a checkpoint and stops with an `.interrupted` error.
    nonisolated(unsafe) static var stopRequested: sig_atomic_t = 0

    public var checkpointDirectory: URL { directory.appendingPathComponent("checkpoint") }
    /// The checkpoint kept at the first step of a constant-rate run's cool-down.
    public var beforeCooldownDirectory: URL { directory.appendingPathComponent("checkpoint-before-cooldown") }
    public var logURL: URL { directory.appendingPathComponent("log.jsonl") }

    /// `settings` are recorded in the checkpoint and must match on `resume`. Without `resume`, a
    /// folder that already holds a checkpoint is refused rather than overwritten.
    public init(name: String, directory: URL, parameters: [(String, Parameter)], options: TrainingOptions,
                settings: [String: String] = [:], resume: Bool) throws {
        try options.validate()
        self.name = name
        self.directory = directory
        self.options = options
        self.parameters = parameters
        self.settings = settings
        let trainable = parameters.filter { !$0.1.frozen }
        optimizer = AdamW(trainable, learningRate: options.learningRate, beta2: options.beta2, weightDecay: options.weightDecay)
        ema = options.emaDecay.map { ExponentialMovingAverage(trainable, decay: $0) }
        state = TrainingState(totalSteps: options.steps, settings: settings)
        let checkpoint = directory.appendingPathComponent("checkpoint")
        if TrainingCheckpoint.exists(at: checkpoint) {
            guard resume else {
                throw TrainingError(.invalidArgument, "\(directory.path) already holds a \(name) run; pass --resume to continue it or choose another --out")
            }
            state = try TrainingCheckpoint.load(from: checkpoint, parameters: parameters, optimizer: optimizer, ema: ema,
                                                expectedSettings: settings)
            // A constant-rate run made longer continues from before its cool-down, not from the cooled weights.
            var savedRun = options
            savedRun.steps = state.totalSteps
            let cooldownStart = options.schedule.cooldownStart, beforeCooldown = beforeCooldownDirectory
            if options.steps > state.totalSteps, state.step > savedRun.schedule.cooldownStart, TrainingCheckpoint.exists(at: beforeCooldown) {
                let cooled = state.step
                state = try TrainingCheckpoint.load(from: beforeCooldown, parameters: parameters, optimizer: optimizer, ema: ema,
                                                    expectedSettings: settings)
                guard state.step <= cooldownStart else {
                    throw TrainingError(.invalidArgument, "\(name): the run cooled down from step \(state.step); --steps \(options.steps) would start its cool-down at step \(cooldownStart), before that")
                }
                TrainingOutput.note("\(name): --steps \(options.steps) extends a run that had cooled down to step \(cooled); continuing from step \(state.step), where its cool-down began")
            }
            state.totalSteps = options.steps
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw TrainingError(.cannotWrite, "cannot create \(directory.path): \(error.localizedDescription)", cause: error)
        }
    }

    /// Runs the remaining steps. `step(i)` computes the loss and accumulates gradients for step i
    /// (gradients are zeroed before it) and returns its metrics, the first being the loss.
    /// `validate(i)` runs every `validationInterval` steps and at the end.
    public func run(step: (Int) throws -> [(String, Float)], validate: ((Int) throws -> [(String, Float)])? = nil) throws {
        installStopHandlers()
        let progress = TrainingProgress(name: name, totalSteps: options.steps, samplesPerStep: options.batchSize, startStep: state.step)
        if state.step > 0 { progress.note("resumed at step \(state.step)/\(options.steps)") }
        let schedule = options.schedule
        let trainable = parameters.filter { !$0.1.frozen }.map(\.1)
        var sums: [String: Double] = [:], order: [String] = [], counted = 0
        var lastCheckpoint = TrainingProgress.now(), segmentStart = TrainingProgress.now()
        let elapsedBefore = state.elapsedSeconds
        let log = try LogWriter(url: logURL)
        while state.step < options.steps {
            let i = state.step
            if options.scheduleKind == .constant, i == schedule.cooldownStart, schedule.cooldownSteps > 0 {
                try TrainingCheckpoint.save(to: beforeCooldownDirectory, state: state, parameters: parameters, optimizer: optimizer, ema: ema)
            }
            optimizer.learningRate = schedule.learningRate(at: i)
            optimizer.zeroGrad()
            var metrics = try step(i)
            guard let loss = metrics.first?.1, loss.isFinite else {
                throw TrainingError(.invalidData, "\(name): the loss is not finite at step \(i + 1) (lower --lr, or resume from the last checkpoint)")
            }
            if let clip = options.gradientClip {
                metrics.append(("grad_norm", GradientClipping.clip(trainable, maxNorm: clip)))
            }
            optimizer.step()
            ema?.update()
            state.step = i + 1
            state.elapsedSeconds = elapsedBefore + TrainingProgress.now() - segmentStart
            progress.update(step: state.step, metrics: metrics.filter { $0.0 != "grad_norm" })
            for (key, value) in metrics {
                if sums[key] == nil { order.append(key) }
                sums[key, default: 0] += Double(value)
            }
            counted += 1
            if counted == options.logInterval || state.step == options.steps {
                var entry: [String: Any] = ["step": state.step, "lr": Double(optimizer.learningRate), "elapsed_s": state.elapsedSeconds]
                for key in order { entry[key] = sums[key]! / Double(counted) }
                try log.append(entry)
                sums = [:]; order = []; counted = 0
            }
            if let validate, options.validationInterval > 0, state.step % options.validationInterval == 0, state.step < options.steps {
                try runValidation(validate, progress: progress, log: log)
            }
            let now = TrainingProgress.now()
            if now - lastCheckpoint >= options.checkpointInterval || Self.stopRequested != 0 {
                try saveCheckpoint()
                lastCheckpoint = now
                if Self.stopRequested != 0 { throw TrainingError.interrupted(name, step: state.step, of: options.steps) }
            }
        }
        try saveCheckpoint()
        if let validate { try runValidation(validate, progress: progress, log: log) }
        progress.note("done: \(options.steps) steps, \(TrainingProgress.duration(state.elapsedSeconds)) of training")
    }

    public func saveCheckpoint() throws {
        try TrainingCheckpoint.save(to: checkpointDirectory, state: state, parameters: parameters, optimizer: optimizer, ema: ema)
    }

    /// Copies the EMA weights into the parameters (for the final export), when there is an EMA.
    public func useAveragedWeights() { ema?.copyToParameters() }

    /// Runs `body` with the averaged weights in the parameters and puts the live ones back after;
    /// without an EMA, `body` sees the live weights.
    public func withAveragedWeights<T>(_ body: () throws -> T) rethrows -> T {
        guard let ema else { return try body() }
        ema.swapWithParameters()
        defer { ema.swapWithParameters() }
        return try body()
    }

    private func runValidation(_ validate: (Int) throws -> [(String, Float)], progress: TrainingProgress, log: LogWriter) throws {
        let figures = try validate(state.step)
        var entry: [String: Any] = ["step": state.step, "elapsed_s": state.elapsedSeconds, "validation": true]
        for (key, value) in figures { entry[key] = Double(value) }
        try log.append(entry)
        progress.note("validation at step \(state.step): " + figures.map { "\($0.0) \(TrainingProgress.format($0.1))" }.joined(separator: ", "))
    }

    private func installStopHandlers() {
        Self.stopRequested = 0
        signal(SIGINT) { _ in TrainingRun.stopRequested = 1 }
        signal(SIGTERM) { _ in TrainingRun.stopRequested = 1 }
    }
}

/// Appends JSON lines to the learning-curve log.
final class LogWriter {
    private let handle: FileHandle

    init(url: URL) throws {
        let fm = FileManager.default
        if !fm.fileExists(atPath: url.path) { _ = fm.createFile(atPath: url.path, contents: nil) }
        do {
            handle = try FileHandle(forWritingTo: url)
            try handle.seekToEnd()
        } catch {
            throw TrainingError(.cannotWrite, "cannot open \(url.path): \(error.localizedDescription)", cause: error)
        }
    }

    deinit { try? handle.close() }

    func append(_ entry: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: entry, options: [.sortedKeys])
        handle.write(data + Data("\n".utf8))
    }
}
