#include "CKernels.h"
#include <malloc.h>
#include <stdlib.h>
#include <string.h>

// Keeps freed large blocks (activations) in the heap for reuse: see EngineProcess.configureAllocator.
void mlus_configure_heap(void) {
    const char *mode = getenv("MLUS_HEAP");
    if (mode && strcmp(mode, "default") == 0) return;
    mallopt(M_ARENA_MAX, 1);
    if (mode && strcmp(mode, "threshold") == 0) {
        mallopt(M_MMAP_THRESHOLD, 32 << 20);
    } else {
        mallopt(M_MMAP_MAX, 0);
    }
    mallopt(M_TRIM_THRESHOLD, 512 << 20);
}
