import Foundation
import Testing
import TestSupport
@testable import TensorEngine

/// OpenBLAS falls back to generic SSE3 kernels on CPUs it does not know; the CLI then starts itself
/// again with the kernels the CPU can run, unless the user chose some.
@Suite struct BLASCoreTests {
    /// On a CPU OpenBLAS knows, `betterBLASCore` is nil and the first check only compares its
    /// detection with itself; on one it does not (this machine's), it checks the restart.
    @Test func theCLIRunsTheKernelsTheCPUCanRun() throws {
        #if !arch(x86_64)
        return  // the restart and the Prescott kernels are x86-64 only
        #endif
        var runner = CommandRunner()
        guard runner.isAvailable, ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil else { return }
        let directory = try TestPaths.temporaryDirectory("blas-core")
        defer { try? FileManager.default.removeItem(at: directory) }
        // This test process does not restart itself, so it shows what OpenBLAS picks on its own.
        let expected = Engine.betterBLASCore ?? Engine.blasCoreName
        #expect(try Self.workerBLASCore(runner, directory).lowercased() == expected.lowercased(),
                "OpenBLAS alone: \(Engine.blasCoreName)")

        runner.environment["OPENBLAS_CORETYPE"] = "Prescott"
        #expect(try Self.workerBLASCore(runner, directory).lowercased() == "prescott", "a core the user set is kept")
    }

    /// The `blas_core` a worker logs at start (on an empty queue, so it exits at once).
    static func workerBLASCore(_ runner: CommandRunner, _ directory: URL) throws -> String {
        let output = try runner.run(["worker", "--renderer", "reference", "--exit-when-idle", "--json",
                                     "--db", directory.appendingPathComponent("queue.sqlite").path])
        #expect(output.status == 0, "\(output.stderr)")
        let lines = output.stderr.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: String]
        }
        return try #require(lines.first { $0["message"] == "compute" }?["blas_core"], "\(output.stderr)")
    }
}
