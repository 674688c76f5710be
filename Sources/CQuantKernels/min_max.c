#include "CQuantKernels.h"
#include "CKernels.h"
#include <immintrin.h>
#include <math.h>

// The observer's range: `if v < lo { lo = v }; if v > hi { hi = v }` per element, so NaN never enters.
// _mm256_min_ps(v, lo) is `v < lo ? v : lo` per lane, the same rule; the signs of equal zeros may differ from a
// sequential scan, which no scale depends on (absmax = max(max, -min)).

struct min_max_ctx {
    const float *x;
    float lo[64], hi[64];
};

static void min_max_range(const float *x, int64_t begin, int64_t end, float *lo_out, float *hi_out) {
    __m256 lo = _mm256_set1_ps(INFINITY), hi = _mm256_set1_ps(-INFINITY);
    __m256 lo2 = lo, hi2 = hi;
    int64_t i = begin;
    for (; i + 16 <= end; i += 16) {
        __m256 a = _mm256_loadu_ps(x + i), b = _mm256_loadu_ps(x + i + 8);
        lo = _mm256_min_ps(a, lo);
        hi = _mm256_max_ps(a, hi);
        lo2 = _mm256_min_ps(b, lo2);
        hi2 = _mm256_max_ps(b, hi2);
    }
    lo = _mm256_min_ps(lo2, lo);
    hi = _mm256_max_ps(hi2, hi);
    float l[8], h[8];
    _mm256_storeu_ps(l, lo);
    _mm256_storeu_ps(h, hi);
    float rl = INFINITY, rh = -INFINITY;
    for (int k = 0; k < 8; k++) {
        if (l[k] < rl) rl = l[k];
        if (h[k] > rh) rh = h[k];
    }
    for (; i < end; i++) {
        if (x[i] < rl) rl = x[i];
        if (x[i] > rh) rh = x[i];
    }
    *lo_out = rl;
    *hi_out = rh;
}

extern int omp_get_thread_num(void);
extern int omp_get_max_threads(void);

static void min_max_task(void *p, int64_t begin, int64_t end) {
    struct min_max_ctx *c = p;
    int t = omp_get_thread_num();
    float lo, hi;
    min_max_range(c->x, begin, end, &lo, &hi);
    if (lo < c->lo[t]) c->lo[t] = lo;
    if (hi > c->hi[t]) c->hi[t] = hi;
}

void mlus_min_max_f32(const float *x, int64_t count, float *min_out, float *max_out) {
    struct min_max_ctx c;
    c.x = x;
    for (int k = 0; k < 64; k++) { c.lo[k] = INFINITY; c.hi[k] = -INFINITY; }
    if (count > 0) {
        if (omp_get_max_threads() > 64) min_max_range(x, 0, count, &c.lo[0], &c.hi[0]);   // one slot per thread below
        else mlus_parallel_for(count, 1 << 16, min_max_task, &c);
    }
    float lo = INFINITY, hi = -INFINITY;
    for (int k = 0; k < 64; k++) {
        if (c.lo[k] < lo) lo = c.lo[k];
        if (c.hi[k] > hi) hi = c.hi[k];
    }
    *min_out = lo;
    *max_out = hi;
}
