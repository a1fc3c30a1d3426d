import Foundation
import Testing
@testable import TensorEngine

extension EngineTests {
    /// The engine benchmark as an opt-in test (meaningful only in release):
    /// `FAE_T2I_BENCH=1 swift test -c release --filter EngineBenchmarkTests`.
    @Suite struct EngineBenchmarkTests {
        @Test(.enabled(if: ProcessInfo.processInfo.environment["FAE_T2I_BENCH"] == "1"))
        func runBenchmark() throws {
            let result = EngineBenchmark.run(threads: ThreadSettings.resolve(option: nil, environment: ProcessInfo.processInfo.environment))
            print(result.description)
            let json = try JSONEncoder().encode(result)
            let keys = try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any]).keys
            for key in ["sgemm_gflops", "block_fwd_gflops", "block_fwd_ratio", "block_fwdbwd_gflops", "block_fwdbwd_ratio", "dinov2_s14_ms"] {
                #expect(keys.contains(key))
            }
        }

        @Test func flopCountOfTheBenchmarkBlock() {
            // qkv + proj + fc1 + fc2 = 12 C^2 per token row, plus 4 T C per row for the attention GEMMs.
            let f = EngineBenchmark.blockForwardFlops(batch: 32, tokens: 64, dim: 256)
            let linear: Double = 2 * 2048 * 256 * 256 * 12
            let attention: Double = 4 * 32 * 64 * 64 * 256
            #expect(f == linear + attention)
        }
    }
}
