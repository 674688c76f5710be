#include "CKernels.h"
#include <string.h>

// Work splitting on libgomp, the OpenMP runtime oneDNN already runs on (DESIGN §8: one thread pool on the hot
// path). GOMP_parallel is the entry point GCC's `#pragma omp parallel` compiles to; calling it directly avoids
// needing an OpenMP-enabled clang. libgomp is linked through the CDNNL module map.
extern void GOMP_parallel(void (*fn)(void *), void *data, unsigned num_threads, unsigned flags);
extern int omp_get_thread_num(void);
extern int omp_get_num_threads(void);
extern int omp_get_max_threads(void);
extern int omp_in_parallel(void);

struct mlus_job {
    mlus_range_fn fn;
    void *ctx;
    int64_t count;
};

static void mlus_trampoline(void *data) {
    struct mlus_job *job = data;
    int64_t threads = omp_get_num_threads(), t = omp_get_thread_num();
    int64_t chunk = (job->count + threads - 1) / threads;
    int64_t begin = t * chunk, end = begin + chunk;
    if (end > job->count) end = job->count;
    if (begin < end) job->fn(job->ctx, begin, end);
}

void mlus_parallel_for(int64_t count, int64_t grain, mlus_range_fn fn, void *ctx) {
    if (count <= 0) return;
    if (count < 2 * grain || omp_get_max_threads() < 2 || omp_in_parallel()) {
        fn(ctx, 0, count);
        return;
    }
    struct mlus_job job = {fn, ctx, count};
    GOMP_parallel(mlus_trampoline, &job, 0, 0);
}

struct copy_ctx { char *dst; const char *src; };
static void copy_range(void *p, int64_t begin, int64_t end) {
    struct copy_ctx *c = p;
    memcpy(c->dst + begin, c->src + begin, (size_t)(end - begin));
}

void mlus_copy_parallel(void *dst, const void *src, size_t bytes) {
    struct copy_ctx c = {dst, src};
    mlus_parallel_for((int64_t)bytes, 1 << 18, copy_range, &c);
}
