import Foundation
import Testing
import TensorEngine
@testable import Training

@Suite struct TrainingCheckpointTests {
    /// A tiny least-squares problem: y = w x, trained with the shared loop.
    final class Line {
        let w = Parameter([1, 2])
        var named: [(String, Parameter)] { [("w", w)] }
        func step() -> [(String, Float)] {
            // loss = (w0 - 3)^2 + (w1 + 1)^2
            let p = w.value.pointer, g = w.grad.pointer
            g[0] += 2 * (p[0] - 3); g[1] += 2 * (p[1] + 1)
            return [("loss", (p[0] - 3) * (p[0] - 3) + (p[1] + 1) * (p[1] + 1))]
        }
    }

    func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("fae-train-\(UUID().uuidString)")
        return url
    }

    @Test func resumingGivesTheSameWeightsAsOneRun() throws {
        var options = TrainingOptions(steps: 40, batchSize: 1, learningRate: 0.3, warmupSteps: 5)
        options.emaDecay = 0.9
        options.logInterval = 10
        let straight = Line()
        let dir1 = temporaryDirectory(), dir2 = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir1); try? FileManager.default.removeItem(at: dir2) }
        try TrainingRun(name: "line", directory: dir1, parameters: straight.named, options: options, resume: false)
            .run(step: { _ in straight.step() })

        // Same run stopped after 15 steps (a checkpoint), then resumed in a new process-like object.
        let first = Line()
        var short = options
        short.steps = 15
        let partial = try TrainingRun(name: "line", directory: dir2, parameters: first.named, options: options, resume: false)
        var count = 0
        #expect(throws: StopAfter.self) {
            try partial.run(step: { _ in
                count += 1
                if count > 15 { try partial.saveCheckpoint(); throw StopAfter() }
                return first.step()
            })
        }
        // Steps 1..15 were taken; the checkpoint says 15.
        let second = Line()
        let resumed = try TrainingRun(name: "line", directory: dir2, parameters: second.named, options: options, resume: true)
        #expect(resumed.state.step == 15)
        try resumed.run(step: { _ in second.step() })
        #expect(second.w.value.values == straight.w.value.values)
        #expect(abs(second.w.value.values[0] - 3) < 0.3)
        let log = try String(contentsOf: dir1.appendingPathComponent("log.jsonl"), encoding: .utf8)
        #expect(log.split(separator: "\n").count == 4)
    }

    /// Made longer, a run's new cool-down may begin before its old end (6 to 10 steps) or after it (4 to 10).
    @Test(arguments: [(6, 3), (4, 2)])
    func aConstantRunMadeLongerContinuesFromBeforeItsCooldown(shortSteps: Int, cooldownStart: Int) throws {
        var options = TrainingOptions(steps: 10, batchSize: 1, learningRate: 0.1, warmupSteps: 1)
        options.scheduleKind = .constant
        options.cooldownFraction = 0.5
        options.emaDecay = 0.9
        let schedule = options.schedule
        #expect(schedule.cooldownStart == 5)
        #expect((0..<10).map { schedule.learningRate(at: $0) }.prefix(6) == [0.1, 0.1, 0.1, 0.1, 0.1, 0.082])
        #expect(abs(schedule.learningRate(at: 9) - 0.01) < 1e-6)
        let dir1 = temporaryDirectory(), dir2 = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir1); try? FileManager.default.removeItem(at: dir2) }
        let straight = Line()
        try TrainingRun(name: "line", directory: dir1, parameters: straight.named, options: options, resume: false)
            .run(step: { _ in straight.step() })
        // The short run cools down from `cooldownStart` and keeps the checkpoint of that step.
        var short = options
        short.steps = shortSteps
        let first = Line()
        let shortRun = try TrainingRun(name: "line", directory: dir2, parameters: first.named, options: short, resume: false)
        try shortRun.run(step: { _ in first.step() })
        #expect(TrainingCheckpoint.exists(at: shortRun.beforeCooldownDirectory))
        // Resumed with the same steps it is finished; with 10 it goes on from its cool-down's start
        // and ends as the 10-step run.
        let same = Line()
        #expect(try TrainingRun(name: "line", directory: dir2, parameters: same.named, options: short, resume: true).state.step == shortSteps)
        let second = Line()
        let longer = try TrainingRun(name: "line", directory: dir2, parameters: second.named, options: options, resume: true)
        #expect(longer.state.step == cooldownStart)
        try longer.run(step: { _ in second.step() })
        #expect(second.w.value.values == straight.w.value.values)
    }

    struct StopAfter: Error {}

    @Test func refusesToOverwriteARunAndChecksSettings() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let line = Line()
        let options = TrainingOptions(steps: 3, batchSize: 1, learningRate: 0.1, warmupSteps: 0)
        try TrainingRun(name: "line", directory: dir, parameters: line.named, options: options, settings: ["data": "a"], resume: false)
            .run(step: { _ in line.step() })
        #expect(throws: TrainingError.self) {
            _ = try TrainingRun(name: "line", directory: dir, parameters: line.named, options: options, resume: false)
        }
        let error = #expect(throws: TrainingError.self) {
            _ = try TrainingRun(name: "line", directory: dir, parameters: line.named, options: options, settings: ["data": "b"], resume: true)
        }
        #expect(error?.description.contains("data") == true)
        #expect(error?.code == .checkpointMismatch, "\(String(describing: error))")
        #expect(error?.setting == "data", "\(String(describing: error))")
    }

    /// A saved parameter the resumed model lacks is an error, not silently dropped.
    @Test func refusesACheckpointWithParametersTheModelLacks() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let line = Line(), extra = Parameter([3])
        let options = TrainingOptions(steps: 2, batchSize: 1, learningRate: 0.1, warmupSteps: 0)
        try TrainingRun(name: "line", directory: dir, parameters: line.named + [("positions", extra)], options: options, resume: false)
            .run(step: { _ in line.step() })
        let error = #expect(throws: TrainingError.self) {
            _ = try TrainingRun(name: "line", directory: dir, parameters: Line().named, options: options, resume: true)
        }
        #expect(error?.description.contains("holds param.positions, which this run's model does not have") == true, "\(String(describing: error))")
    }

    @Test func nonFiniteLossStopsWithAClearError() throws {
        let dir = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let line = Line()
        let run = try TrainingRun(name: "line", directory: dir, parameters: line.named,
                                  options: TrainingOptions(steps: 3, batchSize: 1, learningRate: 0.1), resume: false)
        let error = #expect(throws: TrainingError.self) { try run.run(step: { _ in [("loss", .nan)] }) }
        #expect(error?.description.contains("not finite") == true)
    }
}
