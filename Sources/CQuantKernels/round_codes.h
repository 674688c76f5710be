#ifndef MLUS_ROUND_CODES_H
#define MLUS_ROUND_CODES_H
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

// The quantizer's rounding (Quantization/Quantize.swift) and code stores, shared by the quantize kernels and
// the dequantize epilogue that writes the next convolution's codes.

/// round_half_away_from_zero(v), clamped, NaN -> 0; v already scaled. trunc(v + copysign(h, v)) with h the float
/// just below 0.5 is roundf for every float: the sum rounds to an integer boundary exactly when |frac(v)| >= 0.5
/// (0.5 + h = 1 - 2^-25 rounds to 1; below 2^23 a fraction under 0.5 cannot reach the next integer; from 2^23 on
/// v is an integer or a half, which the sum, rounding to nearest even, carries the right way). Infinities stay
/// infinite and clamp; NaN is masked to 0.
static inline __m256 round_clamp8(__m256 v, __m256 lo, __m256 hi) {
    const __m256 half = _mm256_or_ps(_mm256_and_ps(v, _mm256_set1_ps(-0.0f)), _mm256_set1_ps(0x1.fffffep-2f));
    __m256 t = _mm256_round_ps(_mm256_add_ps(v, half), _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
    t = _mm256_and_ps(t, _mm256_cmp_ps(v, v, _CMP_ORD_Q));
    return _mm256_min_ps(_mm256_max_ps(t, lo), hi);
}

/// Four vectors of eight 32-bit values, each within the byte range (int8 when `signed_bytes`, else uint8), as
/// 32 bytes in order: a[0..7], b[0..7], c[0..7], d[0..7]. The packs work per 128-bit lane; the permutation
/// puts each vector's two halves back together.
static inline __m256i pack_bytes4(__m256i a, __m256i b, __m256i c, __m256i d, int signed_bytes) {
    __m256i ab = _mm256_packs_epi32(a, b), cd = _mm256_packs_epi32(c, d);
    __m256i bytes = signed_bytes ? _mm256_packs_epi16(ab, cd) : _mm256_packus_epi16(ab, cd);
    return _mm256_permutevar8x32_epi32(bytes, _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7));
}

/// Stores the 4 x 8 bytes of `v` at `dst`, `dst + stride`, `dst + 2 stride`, `dst + 3 stride`.
static inline void store_pixels4(int8_t *dst, int64_t stride, __m256i v) {
    if (stride == 8) {
        _mm256_storeu_si256((__m256i *)dst, v);
        return;
    }
    long long q[4];
    _mm256_storeu_si256((__m256i *)q, v);
    for (int k = 0; k < 4; k++) memcpy(dst + k * stride, &q[k], 8);
}

#endif
