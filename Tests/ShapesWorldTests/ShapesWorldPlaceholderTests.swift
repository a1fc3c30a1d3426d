import Testing
@testable import ShapesWorld

@Test func ShapesWorldModuleLoads() { #expect(Bool(true)) }
