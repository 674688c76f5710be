#include "CQuantKernels.h"
#include "CKernels.h"
#include "transpose8.h"
#include "byte_sum.h"
#include "round_codes.h"
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

// Bit-exact with Quantization/Quantize.swift: float32 product, round half away from zero, clamp, NaN -> 0.
#pragma clang fp contract(off)

static inline float quantize_scalar(float v, float scale, float lo, float hi) {
    float scaled = roundf(v * scale);
    if (isnan(scaled)) return 0;
    return fminf(fmaxf(scaled, lo), hi);
}

struct quant_ctx {
    const float *x;
    int64_t n, c, h, w;
    int64_t s[4];
    float scale;
    const float *mean, *std;
    int split16;
    int8_t *high;
    uint8_t *low;
    int64_t ps, offset; // output codes per pixel, first channel's position
    int32_t *sum_high, *sum_low; // split16: per-pixel channel sums of the two pieces, added to (or NULL)
};

/// Adds the channel sums of one row's codes (this tensor's `c` channels of each of its `w` pixels, just written
/// and still in cache) to the per-pixel sums of the int16 split's two pieces (the channels-last source path;
/// the planar paths add the pieces as they quantize).
static void add_row_sums(const struct quant_ctx *q, int64_t row, int64_t out) {
    const int64_t c = q->c, w = q->w, ps = q->ps;
    int32_t *sh = q->sum_high + row * w, *sl = q->sum_low + row * w;
    for (int64_t x = 0; x < w; x++) {
        int32_t a, b;
        piece_sums(q->high + out + x * ps, q->low + out + x * ps, c, &a, &b);
        sh[x] += a;
        sl[x] += b;
    }
}

static inline void store_code(const struct quant_ctx *q, int64_t index, int32_t code) {
    if (q->split16) {
        q->high[index] = (int8_t)(code >> 8);
        q->low[index] = (uint8_t)(code & 255);
    } else {
        q->high[index] = (int8_t)code;
    }
}

/// Stores four vectors of eight codes (a[0..7], b[0..7], ...) as 4 x 8 bytes at `at`, `at + stride`, ...: int8
/// codes, or the int16 split's high (int8) and low (uint8) pieces.
static inline void store_codes4(const struct quant_ctx *q, int64_t at, int64_t stride, __m256i a, __m256i b, __m256i c, __m256i d) {
    if (!q->split16) {
        store_pixels4(q->high + at, stride, pack_bytes4(a, b, c, d, 1));
        return;
    }
    const __m256i m = _mm256_set1_epi32(255);
    store_pixels4(q->high + at, stride, pack_bytes4(_mm256_srai_epi32(a, 8), _mm256_srai_epi32(b, 8),
                                                    _mm256_srai_epi32(c, 8), _mm256_srai_epi32(d, 8), 1));
    store_pixels4((int8_t *)q->low + at, stride, pack_bytes4(_mm256_and_si256(a, m), _mm256_and_si256(b, m),
                                                             _mm256_and_si256(c, m), _mm256_and_si256(d, m), 0));
}

/// Adds the high (code >> 8) and low (code & 255) pieces of 8 codes, one per pixel, to the per-pixel sums.
static inline void add_piece_sums8(const struct quant_ctx *q, int64_t pixel, __m256i codes) {
    __m256i *sh = (__m256i *)(q->sum_high + pixel), *sl = (__m256i *)(q->sum_low + pixel);
    _mm256_storeu_si256(sh, _mm256_add_epi32(_mm256_loadu_si256(sh), _mm256_srai_epi32(codes, 8)));
    _mm256_storeu_si256(sl, _mm256_add_epi32(_mm256_loadu_si256(sl), _mm256_and_si256(codes, _mm256_set1_epi32(255))));
}

/// `store_code`, adding the pieces to the per-pixel sums when they are kept.
static inline void store_code_summed(const struct quant_ctx *q, int64_t index, int64_t pixel, int32_t code) {
    store_code(q, index, code);
    if (q->sum_high) {
        q->sum_high[pixel] += code >> 8;
        q->sum_low[pixel] += code & 255;
    }
}

/// Quantizes `length` consecutive floats into the codes at `at` (32 at a time, then 8, then one by one).
static inline void quantize_run(const struct quant_ctx *q, const float *src, int64_t at, int64_t length) {
    const float lo = q->split16 ? -32768.0f : -128.0f, hi = q->split16 ? 32767.0f : 127.0f;
    const __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi), vscale = _mm256_set1_ps(q->scale);
    int64_t i = 0;
    for (; i + 32 <= length; i += 32) {
        __m256i r[4];
        for (int k = 0; k < 4; k++) r[k] = _mm256_cvtps_epi32(round_clamp8(_mm256_mul_ps(_mm256_loadu_ps(src + i + 8 * k), vscale), vlo, vhi));
        store_codes4(q, at + i, 8, r[0], r[1], r[2], r[3]);
    }
    for (; i + 8 <= length; i += 8) {
        __m256i r = _mm256_cvtps_epi32(round_clamp8(_mm256_mul_ps(_mm256_loadu_ps(src + i), vscale), vlo, vhi));
        if (q->split16) {
            long long hb = mlus_low_bytes8(_mm256_srai_epi32(r, 8)), lb = mlus_low_bytes8(r);
            memcpy(q->high + at + i, &hb, 8);
            memcpy(q->low + at + i, &lb, 8);
        } else {
            long long b8 = mlus_low_bytes8(r);
            memcpy(q->high + at + i, &b8, 8);
        }
    }
    for (; i < length; i++) store_code(q, at + i, (int32_t)quantize_scalar(src[i], q->scale, lo, hi));
}

/// Three vectors of eight codes' low bytes (channel 0, 1, 2 of pixels 0..7) stored as 24 bytes of 8 RGB pixels.
static inline void store_rgb8(int8_t *dst, __m256i r0, __m256i r1, __m256i r2) {
    const __m128i a = _mm_set_epi64x(mlus_low_bytes8(r1), mlus_low_bytes8(r0)), b = _mm_set_epi64x(0, mlus_low_bytes8(r2));
    const __m128i a1 = _mm_setr_epi8(0, 8, -1, 1, 9, -1, 2, 10, -1, 3, 11, -1, 4, 12, -1, 5);
    const __m128i b1 = _mm_setr_epi8(-1, -1, 0, -1, -1, 1, -1, -1, 2, -1, -1, 3, -1, -1, 4, -1);
    const __m128i a2 = _mm_setr_epi8(13, -1, 6, 14, -1, 7, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1);
    const __m128i b2 = _mm_setr_epi8(-1, 5, -1, -1, 6, -1, -1, 7, -1, -1, -1, -1, -1, -1, -1, -1);
    _mm_storeu_si128((__m128i *)dst, _mm_or_si128(_mm_shuffle_epi8(a, a1), _mm_shuffle_epi8(b, b1)));
    _mm_storel_epi64((__m128i *)(dst + 16), _mm_or_si128(_mm_shuffle_epi8(a, a2), _mm_shuffle_epi8(b, b2)));
}

/// A planar three-channel row (an RGB image, the first convolution's input) into dense NHWC codes, 8 pixels at a
/// time; returns how many pixels it did (the caller's per-channel loop does the rest).
static int64_t quantize_rgb_row(const struct quant_ctx *q, const float *base, int64_t row, int64_t out) {
    const float lo = q->split16 ? -32768.0f : -128.0f, hi = q->split16 ? 32767.0f : 127.0f;
    const __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi), vscale = _mm256_set1_ps(q->scale);
    const __m256i m255 = _mm256_set1_epi32(255);
    int64_t x = 0;
    for (; x + 8 <= q->w; x += 8) {
        __m256i r[3];
        for (int i = 0; i < 3; i++) {
            __m256 v = _mm256_loadu_ps(base + i * q->s[1] + x);
            if (q->mean) v = _mm256_div_ps(_mm256_sub_ps(v, _mm256_set1_ps(q->mean[i])), _mm256_set1_ps(q->std[i]));
            r[i] = _mm256_cvtps_epi32(round_clamp8(_mm256_mul_ps(v, vscale), vlo, vhi));
        }
        if (!q->split16) {
            store_rgb8(q->high + out + x * 3, r[0], r[1], r[2]);
            continue;
        }
        __m256i h[3], l[3];
        for (int i = 0; i < 3; i++) {
            h[i] = _mm256_srai_epi32(r[i], 8);
            l[i] = _mm256_and_si256(r[i], m255);
        }
        store_rgb8(q->high + out + x * 3, h[0], h[1], h[2]);
        store_rgb8((int8_t *)q->low + out + x * 3, l[0], l[1], l[2]);
        if (q->sum_high) {
            __m256i *sh = (__m256i *)(q->sum_high + row * q->w + x), *sl = (__m256i *)(q->sum_low + row * q->w + x);
            __m256i hs = _mm256_add_epi32(_mm256_add_epi32(h[0], h[1]), h[2]), ls = _mm256_add_epi32(_mm256_add_epi32(l[0], l[1]), l[2]);
            _mm256_storeu_si256(sh, _mm256_add_epi32(_mm256_loadu_si256(sh), hs));
            _mm256_storeu_si256(sl, _mm256_add_epi32(_mm256_loadu_si256(sl), ls));
        }
    }
    return x;
}

static void quantize_rows(void *p, int64_t begin, int64_t end) {
    const struct quant_ctx *q = p;
    const float lo = q->split16 ? -32768.0f : -128.0f, hi = q->split16 ? 32767.0f : 127.0f;
    const __m256 vlo = _mm256_set1_ps(lo), vhi = _mm256_set1_ps(hi), vscale = _mm256_set1_ps(q->scale);
    const int64_t c = q->c, w = q->w, ps = q->ps;
    int32_t codes[8];
    for (int64_t row = begin; row < end; row++) {
        const int64_t b = row / q->h, y = row % q->h;
        const float *base = q->x + b * q->s[0] + y * q->s[2];
        const int64_t out = row * w * ps + q->offset;
        if (q->s[1] == 1 && q->s[3] == c && !q->mean) {
            // NHWC source: one contiguous run of w * c values, or, inside a wider concatenation, w runs of c.
            const int64_t runs = ps == c ? 1 : w, length = ps == c ? w * c : c;
            for (int64_t run = 0; run < runs; run++) quantize_run(q, base + run * c, out + run * ps, length);
            if (q->sum_high) add_row_sums(q, row, out);
            continue;
        }
        int64_t ch0 = 0;
        if (q->s[3] == 1 && c >= 8) {
            // 8 channels x 8 pixels at a time: quantize along the rows, transpose in registers, store NHWC.
            for (; ch0 + 8 <= c; ch0 += 8) {
                __m256 vm[8], vd[8];
                for (int i = 0; i < 8; i++) {
                    vm[i] = _mm256_set1_ps(q->mean ? q->mean[ch0 + i] : 0);
                    vd[i] = _mm256_set1_ps(q->std ? q->std[ch0 + i] : 1);
                }
                int64_t x = 0;
                for (; x + 8 <= w; x += 8) {
                    __m256i r[8];
                    for (int i = 0; i < 8; i++) {
                        __m256 v = _mm256_loadu_ps(base + (ch0 + i) * q->s[1] + x);
                        if (q->mean) v = _mm256_div_ps(_mm256_sub_ps(v, vm[i]), vd[i]);
                        r[i] = _mm256_cvtps_epi32(round_clamp8(_mm256_mul_ps(v, vscale), vlo, vhi));
                    }
                    if (q->sum_high) {
                        // Before the transpose r[i] holds channel ch0 + i of pixels x..x+7: sum the 8 channels.
                        __m256i hs = _mm256_setzero_si256(), ls = _mm256_setzero_si256();
                        for (int i = 0; i < 8; i++) {
                            hs = _mm256_add_epi32(hs, _mm256_srai_epi32(r[i], 8));
                            ls = _mm256_add_epi32(ls, _mm256_and_si256(r[i], _mm256_set1_epi32(255)));
                        }
                        __m256i *sh = (__m256i *)(q->sum_high + row * w + x), *sl = (__m256i *)(q->sum_low + row * w + x);
                        _mm256_storeu_si256(sh, _mm256_add_epi32(_mm256_loadu_si256(sh), hs));
                        _mm256_storeu_si256(sl, _mm256_add_epi32(_mm256_loadu_si256(sl), ls));
                    }
                    mlus_transpose8x8_epi32(r);
                    // r[j] = channels ch0..ch0+7 of pixel x + j; four pixels' codes pack into 32 bytes.
                    for (int j = 0; j < 8; j += 4) store_codes4(q, out + (x + j) * ps + ch0, ps, r[j], r[j + 1], r[j + 2], r[j + 3]);
                }
                for (; x < w; x++) {
                    for (int i = 0; i < 8; i++) {
                        float v = base[(ch0 + i) * q->s[1] + x];
                        if (q->mean) v = (v - q->mean[ch0 + i]) / q->std[ch0 + i];
                        store_code_summed(q, out + x * ps + ch0 + i, row * w + x, (int32_t)quantize_scalar(v, q->scale, lo, hi));
                    }
                }
            }
        }
        const int64_t done = c == 3 && ps == 3 && q->s[3] == 1 ? quantize_rgb_row(q, base, row, out) : 0;
        for (int64_t ch = ch0; ch < c; ch++) {
            const float *src = base + ch * q->s[1];
            const int64_t sw = q->s[3];
            const float m = q->mean ? q->mean[ch] : 0, d = q->std ? q->std[ch] : 1;
            int64_t x = done;
            if (sw == 1) {
                const __m256 vm = _mm256_set1_ps(m), vd = _mm256_set1_ps(d);
                for (; x + 8 <= w; x += 8) {
                    __m256 v = _mm256_loadu_ps(src + x);
                    if (q->mean) v = _mm256_div_ps(_mm256_sub_ps(v, vm), vd);
                    v = _mm256_mul_ps(v, vscale);
                    __m256i r = _mm256_cvtps_epi32(round_clamp8(v, vlo, vhi));
                    _mm256_storeu_si256((__m256i *)codes, r);
                    for (int k = 0; k < 8; k++) store_code(q, out + (x + k) * ps + ch, codes[k]);
                    if (q->sum_high) add_piece_sums8(q, row * w + x, r);
                }
            }
            for (; x < w; x++) {
                float v = src[x * sw];
                if (q->mean) v = (v - m) / d;
                store_code_summed(q, out + x * ps + ch, row * w + x, (int32_t)quantize_scalar(v, q->scale, lo, hi));
            }
        }
    }
}

void mlus_quantize_to_nhwc(const float *x, const int64_t shape[4], const int64_t strides[4], float scale,
                           const float *mean, const float *std, int split16, int8_t *high, uint8_t *low,
                           int64_t pixel_stride, int64_t channel_offset, int32_t *sum_high, int32_t *sum_low) {
    struct quant_ctx q = {x, shape[0], shape[1], shape[2], shape[3], {strides[0], strides[1], strides[2], strides[3]},
                          scale, mean, std, split16, high, low, pixel_stride < shape[1] ? shape[1] : pixel_stride,
                          channel_offset < 0 ? 0 : channel_offset, split16 && sum_low ? sum_high : NULL, split16 && sum_high ? sum_low : NULL};
    const int64_t rows = shape[0] * shape[2], per_row = shape[1] * shape[3];
    if (rows <= 0 || per_row <= 0) return;
    int64_t grain = (1 << 15) / per_row;
    mlus_parallel_for(rows, grain < 1 ? 1 : grain, quantize_rows, &q);
}

struct resized_ctx {
    const struct quant_ctx *q;
    const float *x;
    int64_t ih, iw, oh, ow;
    int align_corners;
    float scale_h, scale_w;
    volatile int failed;
};

/// Output rows [begin, end) of the resized tensor: each row resized into a buffer that stays in cache, then
/// quantized as a one-row NHWC tensor into its place.
static void quantize_resized_rows(void *p, int64_t begin, int64_t end) {
    struct resized_ctx *k = p;
    const struct quant_ctx *q = k->q;
    const int64_t c = q->c, ow = k->ow, ps = q->ps;
    float *row = malloc((size_t)(ow * c) * sizeof(float));
    if (!row) { k->failed = 1; return; }
    for (int64_t r = begin; r < end; r++) {
        mlus_resize_bilinear_nhwc_row_f32(row, k->x, c, k->ih, k->iw, k->oh, ow, k->align_corners, k->scale_h, k->scale_w, r);
        struct quant_ctx one = *q;
        one.x = row;
        one.n = 1;
        one.h = 1;
        one.s[0] = ow * c; one.s[1] = 1; one.s[2] = ow * c; one.s[3] = c;
        one.high = q->high + r * ow * ps;
        one.low = q->low ? q->low + r * ow * ps : NULL;
        one.sum_high = q->sum_high ? q->sum_high + r * ow : NULL;
        one.sum_low = q->sum_low ? q->sum_low + r * ow : NULL;
        quantize_rows(&one, 0, 1);
    }
    free(row);
}

int mlus_quantize_resized_to_nhwc(const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw, int64_t oh, int64_t ow,
                                  int align_corners, float scale_h, float scale_w, float scale, int split16, int8_t *high,
                                  uint8_t *low, int64_t pixel_stride, int64_t channel_offset, int32_t *sum_high, int32_t *sum_low) {
    if (n <= 0 || c <= 0 || oh <= 0 || ow <= 0 || ih <= 0 || iw <= 0) return 0;
    struct quant_ctx q = {NULL, n, c, oh, ow, {0, 0, 0, 0}, scale, NULL, NULL, split16, high, low,
                          pixel_stride < c ? c : pixel_stride, channel_offset < 0 ? 0 : channel_offset,
                          split16 && sum_low ? sum_high : NULL, split16 && sum_high ? sum_low : NULL};
    struct resized_ctx k = {&q, x, ih, iw, oh, ow, align_corners, scale_h, scale_w, 0};
    int64_t grain = (1 << 15) / (ow * c);
    mlus_parallel_for(n * oh, grain < 1 ? 1 : grain, quantize_resized_rows, &k);
    return k.failed ? -1 : 0;
}
