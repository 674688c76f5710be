#ifndef MLUS_BYTE_SUM_H
#define MLUS_BYTE_SUM_H
#include <immintrin.h>
#include <stdint.h>
#include <string.h>

/// Sum of `n` bytes, each XORed with `flip` first and read as unsigned (flip 0x80 turns int8 into int8 + 128).
/// `_mm_sad_epu8` against zero adds 8 bytes per 64-bit lane, 16 bytes per step.
static inline int32_t byte_sum(const uint8_t *p, int64_t n, uint8_t flip) {
    const __m128i zero = _mm_setzero_si128(), f = _mm_set1_epi8((char)flip);
    __m128i acc = _mm_setzero_si128();
    int64_t i = 0;
    for (; i + 16 <= n; i += 16) acc = _mm_add_epi64(acc, _mm_sad_epu8(_mm_xor_si128(_mm_loadu_si128((const __m128i *)(p + i)), f), zero));
    int64_t sum = _mm_cvtsi128_si64(acc) + _mm_extract_epi64(acc, 1);
    if (i + 8 <= n) {
        // 8 bytes in the low lane; the high lane (zeros, flipped) is not counted.
        long long v;
        memcpy(&v, p + i, 8);
        sum += _mm_cvtsi128_si64(_mm_sad_epu8(_mm_xor_si128(_mm_cvtsi64_si128(v), f), zero));
        i += 8;
    }
    for (; i < n; i++) sum += (uint8_t)(p[i] ^ flip);
    return (int32_t)sum;
}

/// The sums of `n` int16-split pieces: `*high_sum` of the int8 high codes, `*low_sum` of the uint8 low codes.
static inline void piece_sums(const int8_t *high, const uint8_t *low, int64_t n, int32_t *high_sum, int32_t *low_sum) {
    if (n >= 16) {
        // int8 + 128 is unsigned: the byte sum less 128 per value is the signed sum.
        *high_sum = byte_sum((const uint8_t *)high, n, 0x80) - (int32_t)(128 * n);
        *low_sum = byte_sum(low, n, 0);
        return;
    }
    int32_t a = 0, b = 0;
    for (int64_t i = 0; i < n; i++) { a += high[i]; b += low[i]; }
    *high_sum = a;
    *low_sum = b;
}

#endif
