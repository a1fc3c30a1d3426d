import Testing
@testable import ImageCodec

@Test func ImageCodecModuleLoads() { #expect(Bool(true)) }
