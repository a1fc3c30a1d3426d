// OpenBLAS: cblas_* kernels plus openblas_set_num_threads (Debian: openblas-pthread/cblas.h).
#include <cblas.h>
#include <strings.h>
#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

// Flushes denormal floats to zero on the calling thread (x86-64: MXCSR flush-to-zero and
// denormals-are-zero; arm64: FPCR.FZ). An sgemm on denormal inputs runs about 100 times slower on
// some CPUs (a young model's tiny gradients are full of them), and values below 1.2e-38 carry
// nothing a model needs. Writes the control register only when it changes (writing it is the
// costly part on some cores), so calling it per op is cheap.
static inline void fae_flush_denormals_on_this_thread(void) {
#if defined(__x86_64__)
    unsigned int csr = _mm_getcsr();
    if ((csr & 0x8040) != 0x8040) _mm_setcsr(csr | 0x8040);
#elif defined(__aarch64__)
    unsigned long fpcr;
    __asm__ volatile("mrs %0, fpcr" : "=r"(fpcr));
    if (!(fpcr & (1UL << 24))) __asm__ volatile("msr fpcr, %0" : : "r"(fpcr | (1UL << 24)));
#endif
}

// The OpenBLAS core to ask for (OPENBLAS_CORETYPE) instead of the one it chose, or NULL when its
// choice is fine. Debian's OpenBLAS 0.3.21 does not recognise some newer CPUs (a Xeon with
// AVX-512 FP16) and falls back to its generic Prescott (SSE3) kernels: sgemm ran 5.5 times
// slower there than with the SkylakeX kernels the CPU can run. `__builtin_cpu_supports` also
// checks that the OS saves the wide registers.
static inline const char *fae_openblas_better_core(void) {
#if defined(__x86_64__)
    const char *core = openblas_get_corename();
    if (core == NULL || strcasecmp(core, "prescott") != 0) return NULL;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512vl")) return "SkylakeX";
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma")) return "Haswell";
#endif
    return NULL;
}
