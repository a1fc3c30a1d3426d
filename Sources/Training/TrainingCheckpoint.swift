import Foundation
import TensorEngine

/// Where a stage stands: enough to resume it exactly (with the tensors in `TrainingCheckpoint`).
public struct TrainingState: Codable, Equatable, Sendable {
    /// Optimizer steps finished.
    public var step: Int
    public var totalSteps: Int
    /// Wall-clock seconds spent training so far, over every resumed run.
    public var elapsedSeconds: Double
    /// Stage-specific settings the resumed run must agree with (e.g. the data it trains on).
    public var settings: [String: String]

    public init(step: Int = 0, totalSteps: Int, elapsedSeconds: Double = 0, settings: [String: String] = [:]) {
        self.step = step
        self.totalSteps = totalSteps
        self.elapsedSeconds = elapsedSeconds
        self.settings = settings
    }

    enum CodingKeys: String, CodingKey {
        case step, settings
        case totalSteps = "total_steps"
        case elapsedSeconds = "elapsed_seconds"
    }
}

/// A resumable checkpoint folder: `state.json` plus `tensors.safetensors` holding the parameters
/// (`param.<key>`), the AdamW moments (`adam_m.<key>`, `adam_v.<key>`) and the EMA shadows
/// (`ema.<key>`). It is written to a sibling folder and renamed into place, so a run killed
/// mid-write leaves the previous checkpoint intact.
public enum TrainingCheckpoint {
    public static let stateFile = "state.json"
    public static let tensorsFile = "tensors.safetensors"

    public static func exists(at directory: URL) -> Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent(stateFile).path)
    }

    public static func save(to directory: URL, state: TrainingState, parameters: [(String, Parameter)],
                            optimizer: AdamW, ema: ExponentialMovingAverage?) throws {
        let fm = FileManager.default
        let staging = directory.deletingLastPathComponent().appendingPathComponent(directory.lastPathComponent + ".partial")
        let previous = directory.deletingLastPathComponent().appendingPathComponent(directory.lastPathComponent + ".previous")
        do {
            try? fm.removeItem(at: staging)
            try fm.createDirectory(at: staging, withIntermediateDirectories: true)
            var writer = SafetensorsWriter(metadata: ["format": "fae-t2i-checkpoint"])
            for (key, p) in parameters { try writer.add(name: "param." + key, floats: p.value.values, shape: p.shape) }
            for ((key, p), moment) in zip(trainable(parameters), optimizer.moments) {
                try writer.add(name: "adam_m." + key, floats: moment.m.values, shape: p.shape)
                try writer.add(name: "adam_v." + key, floats: moment.v.values, shape: p.shape)
            }
            if let ema {
                for (key, shadow) in ema.namedShadows { try writer.add(name: "ema." + key, floats: shadow.values, shape: shadow.shape) }
            }
            try writer.write(to: staging.appendingPathComponent(tensorsFile))
            var stored = state
            stored.settings["adam_step"] = String(optimizer.stepCount)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(stored).write(to: staging.appendingPathComponent(stateFile))
            try? fm.removeItem(at: previous)
            if fm.fileExists(atPath: directory.path) { try fm.moveItem(at: directory, to: previous) }
            try fm.moveItem(at: staging, to: directory)
            try? fm.removeItem(at: previous)
        } catch {
            throw TrainingError(.cannotWrite, "cannot write the checkpoint \(directory.path): \(error)", cause: error)
        }
    }

    /// Restores parameters, moments and EMA shadows in place and returns the saved state. Every
    /// tensor must be present with its shape, every saved parameter must belong to the model, and
    /// `expectedSettings` must match what was saved.
    public static func load(from directory: URL, parameters: [(String, Parameter)], optimizer: AdamW,
                            ema: ExponentialMovingAverage?, expectedSettings: [String: String]) throws -> TrainingState {
        let stateURL = directory.appendingPathComponent(stateFile)
        var state: TrainingState
        do {
            state = try JSONDecoder().decode(TrainingState.self, from: Data(contentsOf: stateURL))
        } catch {
            throw TrainingError(.checkpointMismatch, "cannot read \(stateURL.path): \(error)", cause: error)
        }
        for (key, value) in expectedSettings where state.settings[key] != value {
            throw TrainingError(.checkpointMismatch,
                                "the checkpoint in \(directory.path) was made with \(key) = \(state.settings[key] ?? "(unset)"), this run has \(value); start a new run or use the same settings",
                                cause: CheckpointSettingMismatch(setting: key, saved: state.settings[key], requested: value))
        }
        do {
            let file = try SafetensorsFile(url: directory.appendingPathComponent(tensorsFile))
            func restore(_ name: String, into tensor: Tensor) throws {
                let info = try file.info(name)
                guard info.shape == tensor.shape else {
                    throw TrainingError(.checkpointMismatch, "checkpoint tensor \(name) has shape \(info.shape), the model needs \(tensor.shape)")
                }
                try file.copyFloats(name, into: tensor.buffer)
            }
            // A tensor the model lacks would be dropped without a word (e.g. text positions when a run
            // is resumed with --no-text-positions), so it is an error like a missing one.
            let known = Set(parameters.map { "param." + $0.0 })
            let unknown = file.names.filter { $0.hasPrefix("param.") && !known.contains($0) }
            guard unknown.isEmpty else {
                throw TrainingError(.checkpointMismatch,
                                    "the checkpoint in \(directory.path) holds \(unknown.sorted().joined(separator: ", ")), which this run's model does not have; resume with the settings it was made with")
            }
            for (key, p) in parameters { try restore("param." + key, into: p.value) }
            for ((key, _), moment) in zip(trainable(parameters), optimizer.moments) {
                try restore("adam_m." + key, into: moment.m)
                try restore("adam_v." + key, into: moment.v)
            }
            if let ema { for (key, shadow) in ema.namedShadows { try restore("ema." + key, into: shadow) } }
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError(.checkpointMismatch, "checkpoint \(directory.path) does not match the model: \(error)", cause: error)
        }
        optimizer.stepCount = Int(state.settings["adam_step"] ?? "") ?? state.step
        state.settings["adam_step"] = nil
        return state
    }

    /// The parameters AdamW updates, in its order (it skips frozen ones).
    static func trainable(_ parameters: [(String, Parameter)]) -> [(String, Parameter)] {
        parameters.filter { !$0.1.frozen }
    }
}
