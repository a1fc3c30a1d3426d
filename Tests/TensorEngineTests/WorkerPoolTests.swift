import Foundation
import Testing
@testable import TensorEngine

extension EngineTests {
    /// Far more threads than cores (the pool once kept its sleepers in a 64-bit mask, and spun
    /// until the threads it waited for got a core): every count up to the limit works.
    @Test(arguments: [3, 65, 200])
    func parallelLoopsWorkWithManyMoreThreadsThanCores(threads: Int) {
        let count = 10_000
        let values = UnsafeMutableBufferPointer<Int>.allocate(capacity: count)
        defer { values.deallocate() }
        withThreads([threads]) { _ in
            for round in 0..<20 {
                values.initialize(repeating: 0)
                Parallel.chunks(count) { range in
                    for i in range { values[i] = i &* 3 &+ round }
                }
                #expect((0..<count).allSatisfy { values[$0] == $0 * 3 + round })
            }
        }
    }

    @Test func threadCountsOutsideTheLimitAreRefused() throws {
        #expect(throws: TensorEngineError.self) { try ThreadSettings.parse("\(ThreadSettings.maxThreads + 1)") }
        #expect(throws: TensorEngineError.self) { try ThreadSettings.parse("0") }
        #expect(try ThreadSettings.parse("\(ThreadSettings.maxThreads)") == ThreadSettings.maxThreads)
        #expect(ThreadSettings.resolve(option: nil, environment: [ThreadSettings.environmentKey: "99999"]) == ThreadSettings.defaultThreads)
    }
}
