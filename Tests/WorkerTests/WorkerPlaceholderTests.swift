import Testing
@testable import Worker

@Test func WorkerModuleLoads() { #expect(Bool(true)) }
