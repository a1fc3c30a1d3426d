#ifndef FAE_FUZZ_DRIVER_H
#define FAE_FUZZ_DRIVER_H

/// Runs libFuzzer on the executable's LLVMFuzzerTestOneInput with the given command line and
/// returns libFuzzer's exit code. SwiftPM makes a Swift executable's own top-level code `main`,
/// so libFuzzer's `main` is never the entry point; this starts its driver instead.
int fae_fuzz_main(int argc, char **argv);

#endif
