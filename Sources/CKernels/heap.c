#include "CKernels.h"
#include <limits.h>
#include <malloc.h>

// Keeps freed large blocks (activations) in the heap for reuse: see EngineProcess.configureAllocator.
// 32 MiB is glibc's largest mmap threshold on 64-bit; INT_MAX disables trimming the heap's top.
void mlus_configure_heap(void) {
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
    mallopt(M_TRIM_THRESHOLD, INT_MAX);
}
