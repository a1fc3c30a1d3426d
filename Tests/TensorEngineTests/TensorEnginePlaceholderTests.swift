import Testing
@testable import TensorEngine

@Test func TensorEngineModuleLoads() { #expect(Bool(true)) }
