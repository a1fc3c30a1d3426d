import Testing
@testable import Models

@Test func ModelsModuleLoads() { #expect(Bool(true)) }
