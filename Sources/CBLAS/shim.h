// OpenBLAS: cblas_* kernels plus openblas_set_num_threads (Debian: openblas-pthread/cblas.h).
#include <cblas.h>
