import Foundation
import TestSupport
import Testing
@testable import Training

/// A stop on request (Ctrl-C, SIGTERM, `train(stopAfter:)`) saves the checkpoint and is its own
/// outcome, not an error of the arguments.
@Suite struct TrainingStopTests {
    @Test func stopAfterSavesTheCheckpointAndReportsAnInterruption() throws {
        let fixture = GeneratorFixture.shared
        let run = try TestPaths.temporaryDirectory("generator-stop")
        defer { try? FileManager.default.removeItem(at: run) }
        let trainer = try fixture.trainer(directory: run, steps: 4, batchSize: 4)
        do {
            try trainer.train(stopAfter: 2)
            Issue.record("train(stopAfter: 2) of 4 steps did not stop")
        } catch let error as TrainingError {
            #expect(error.code == .interrupted)
            #expect(error.message == "generator: stopped at step 2/4; resume with --resume")
        }
        #expect(trainer.losses.count == 2)
        #expect(try fixture.trainer(directory: run, steps: 4, batchSize: 4, resume: true).run.state.step == 2)
    }

    @Test func ctrlCStopsTheCommandWithOneLineAndStatus130() throws {
        let runner = CommandRunner()
        guard runner.isAvailable else { return }
        let data = try FAEStagesTests.datasets(count: 16)
        defer { try? FileManager.default.removeItem(at: data.root) }
        let out = data.root.appendingPathComponent("model")
        let arguments = ["train", "encoder", "--data", data.train.path, "--out", out.path, "--width", "32", "--depth", "1",
                         "--heads", "2", "--steps", "100000", "--batch-size", "4", "--val-every", "0", "--threads", "1"]
        // The test runner's threads block SIGINT and a child inherits the mask: unblock it, as in a shell.
        let unblocking = CommandRunner(executable: URL(fileURLWithPath: "/usr/bin/perl"), environment: runner.environment)
        let process = try unblocking.spawn(["-MPOSIX", "-e", "sigprocmask(SIG_UNBLOCK, POSIX::SigSet->new(SIGINT)) or die; exec @ARGV or die",
                                            runner.executable.path] + arguments, captureOutput: true)
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let stderr = (process.standardError as! Pipe).fileHandleForReading
        // The progress line comes after the first step, once the stop handlers are in place.
        var seen = Data()
        while !String(decoding: seen, as: UTF8.self).contains("train encoder [") {
            let chunk = stderr.availableData
            if chunk.isEmpty { break }
            seen += chunk
        }
        kill(process.processIdentifier, SIGINT)
        seen += stderr.readDataToEndOfFile()
        let status = CommandRunner.waitForExit(process)
        let text = String(decoding: seen, as: UTF8.self)
        #expect(status == 130, "\(text)")
        let last = text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(last.hasPrefix("train encoder: stopped at step ") && last.hasSuffix("/100000; resume with --resume"), "\(text)")
        #expect(!text.contains("Error"), "\(text)")
        #expect(TrainingCheckpoint.exists(at: out.appendingPathComponent("runs/encoder/checkpoint")))
    }
}
