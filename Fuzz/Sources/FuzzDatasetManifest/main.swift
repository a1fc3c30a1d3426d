import Foundation
import DatasetFixture
import FuzzDriver

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    DatasetFixture.open(manifest: data.map { Data(bytes: $0, count: size) } ?? Data())
    return 0
}

exit(fae_fuzz_main(CommandLine.argc, CommandLine.unsafeArgv))
