#include "CKernels.h"
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

// Keeps freed large blocks (activations) in the heap for reuse: see EngineProcess.configureAllocator.
// M_ARENA_MAX 1: the interpreter runs on its own (large-stack) thread, whose per-thread arena is made of
// 64 MiB mmap'd heaps that glibc shrinks with MADV_DONTNEED, faulting the pages in again next forward.
// M_MMAP_MAX 0: no block is served by its own mmap (glibc maps blocks above an adaptive threshold of at most
// 32 MiB, and every such block is faulted in and zeroed again on each forward). The trim threshold returns
// a free top of the heap larger than 512 MiB to the kernel, so one huge temporary does not pin its memory.
// MLUS_HEAP=default keeps glibc's own settings.
void mlus_configure_heap(void) {
    const char *mode = getenv("MLUS_HEAP");
    if (mode && strcmp(mode, "default") == 0) return;
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
}
