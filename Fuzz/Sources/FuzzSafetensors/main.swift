import Foundation
import FuzzDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    SafetensorsFuzzTarget.run(data.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}

exit(fae_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv))
