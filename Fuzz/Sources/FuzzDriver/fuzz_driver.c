#include <stddef.h>
#include <stdint.h>

#include "fuzz_driver.h"

// Defined by each fuzz executable (@_cdecl in its main.swift).
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

// libFuzzer's public entry point for programs that have a main of their own.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int fae_fuzz_main(int argc, char **argv) {
    return LLVMFuzzerRunDriver(&argc, &argv, LLVMFuzzerTestOneInput);
}
