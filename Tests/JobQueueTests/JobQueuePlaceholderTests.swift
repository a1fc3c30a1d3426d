import Testing
@testable import JobQueue

@Test func JobQueueModuleLoads() { #expect(Bool(true)) }
