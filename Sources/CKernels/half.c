#include "CKernels.h"
#include <immintrin.h>

// FP16 <-> FP32 with F16C (round to nearest even), 8 values per instruction; large arrays are split across the
// OpenMP threads (elementwise, so the result does not depend on the split).

struct half_ctx { const void *src; void *dst; };

static void to_half_range(void *p, int64_t begin, int64_t end) {
    const struct half_ctx *c = p;
    const float *src = c->src;
    uint16_t *dst = c->dst;
    int64_t i = begin;
    for (; i + 8 <= end; i += 8) {
        __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
        _mm_storeu_si128((__m128i *)(dst + i), h);
    }
    for (; i < end; i++) dst[i] = _cvtss_sh(src[i], _MM_FROUND_TO_NEAREST_INT);
}

static void from_half_range(void *p, int64_t begin, int64_t end) {
    const struct half_ctx *c = p;
    const uint16_t *src = c->src;
    float *dst = c->dst;
    int64_t i = begin;
    for (; i + 8 <= end; i += 8) {
        __m128i h = _mm_loadu_si128((const __m128i *)(src + i));
        _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(h));
    }
    for (; i < end; i++) dst[i] = _cvtsh_ss(src[i]);
}

void mlus_f32_to_f16(const float *src, uint16_t *dst, size_t count) {
    struct half_ctx c = {src, dst};
    mlus_parallel_for((int64_t)count, 1 << 16, to_half_range, &c);
}

void mlus_f16_to_f32(const uint16_t *src, float *dst, size_t count) {
    struct half_ctx c = {src, dst};
    mlus_parallel_for((int64_t)count, 1 << 16, from_half_range, &c);
}
