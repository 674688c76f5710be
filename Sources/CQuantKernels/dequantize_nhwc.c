#include "CQuantKernels.h"
#include "CKernels.h"
#include "transpose8.h"
#include "round_codes.h"
#include <immintrin.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

// Dequantization `(float)((double)acc / divisor) + bias`, bit-exact with QuantizedCompute.swift, at the cost of a
// multiplication. Why the product rounds like the quotient (docs/quantization.md, "Dequantization"):
// `acc` is an integer below 2^53 (exact in double) and `r = fl(1/divisor)`; `y = fl(acc * r)` and the
// reference `fl(acc / divisor)` both lie within 3.01 ulp(y) of the exact quotient's neighbourhood
// (|y - q| <= (2u + u^2)|q|, |fl(q) - q| <= u|q|, u = 2^-53, u|y| <= ulp(y)). Rounding double -> float (to
// nearest even) is monotonic and constant between two consecutive float midpoints; in the float32 normal
// range a midpoint is a double whose low 29 mantissa bits are exactly 2^28. So when y's low 29 bits are more
// than 8 ulps away from 2^28 (and y is normal for float32, or zero), no midpoint separates y from fl(q) and
// both round to the same float. Otherwise (about 1 value in 3·10^7) the lane divides, as the reference does.
#pragma clang fp contract(off)

static const double kMinSafe = 0x1p-125, kMaxSafe = 0x1p127;

int mlus_dequantize_fast_is_safe(double acc, double reciprocal) {
    double y = acc * reciprocal;
    if (y == 0) return !isnan(reciprocal) && !isinf(reciprocal);
    double a = fabs(y);
    if (!(a >= kMinSafe && a < kMaxSafe)) return 0;
    uint64_t bits;
    memcpy(&bits, &y, sizeof bits);
    int64_t d = (int64_t)(bits & ((UINT64_C(1) << 29) - 1)) - (INT64_C(1) << 28);
    return d > 8 || d < -8;
}

/// 1/divisor when divisor and its reciprocal are normal doubles far from the range ends; NaN otherwise, which
/// sends every lane of the channel to the division.
static double safe_reciprocal(double divisor) {
    double a = fabs(divisor);
    if (!(a >= 0x1p-1000 && a <= 0x1p1000)) return NAN;
    return 1.0 / divisor;
}

struct deq_ctx {
    const int32_t *p0, *p1;
    const int32_t *s0, *s1; // int16: window sums per pixel and group
    int pieces;
    int64_t n, oh, ow, groups, og, channels, stride;
    const double *divisor, *recip;
    const float *bias;
    const float *scale, *shift; // the fused BatchNorm, or NULL
    int relu;
    int range_safe; // every channel's reciprocal passes range_is_safe
    float *dst;
    int64_t s[4];
    volatile int failed;
    int8_t *codes;    // instead of dst: int8 codes at code_scale, dense NHWC (dequantize_rows_dense8 only)
    float code_scale;
};

static inline float dequantize_exact(double acc, double divisor, float bias) {
    return (float)(acc / divisor) + bias;
}

/// The lanes of `y = acc * r` within 8 ulps of a float32 midpoint (its low 29 mantissa bits near 2^28), where the
/// product and the division may round apart, as bits 0..3.
static inline unsigned near4(__m256d y) {
    __m256i low = _mm256_and_si256(_mm256_castpd_si256(y), _mm256_set1_epi64x((INT64_C(1) << 29) - 1));
    __m256i t = _mm256_sub_epi64(low, _mm256_set1_epi64x((INT64_C(1) << 28) - 8));
    __m256i near = _mm256_and_si256(_mm256_cmpgt_epi64(t, _mm256_set1_epi64x(-1)), _mm256_cmpgt_epi64(_mm256_set1_epi64x(17), t));
    return (unsigned)_mm256_movemask_pd(_mm256_castsi256_pd(near));
}

/// Four outputs: `(float)(acc * r) + bias` where proven equal to the division, else the division.
/// Lane k uses `divisor[k * divisor_step]` and `bias[k * bias_step]` when it divides. `range_safe`: every
/// reciprocal is known to keep `acc * r` (acc an integer, 0 < |acc| < 2^53) within the float32 normal range
/// (see `range_is_safe`), so only the midpoint test remains (a zero product has zero low bits: not near).
static inline __m128 dequantize4v(__m256d a, __m256d r, const double *divisor, int divisor_step, const float *bias,
                                  int bias_step, __m128 vbias, int range_safe) {
    const __m256d sign = _mm256_set1_pd(-0.0);
    __m256d y = _mm256_mul_pd(a, r);
    const unsigned near = near4(y);
    unsigned mask;
    if (range_safe) {
        mask = ~near & 0xF;
    } else {
        __m256d ay = _mm256_andnot_pd(sign, y);
        __m256d inrange = _mm256_and_pd(_mm256_cmp_pd(ay, _mm256_set1_pd(kMinSafe), _CMP_GE_OQ),
                                        _mm256_cmp_pd(ay, _mm256_set1_pd(kMaxSafe), _CMP_LT_OQ));
        const unsigned zero = (unsigned)_mm256_movemask_pd(_mm256_cmp_pd(y, _mm256_setzero_pd(), _CMP_EQ_OQ));
        mask = ((unsigned)_mm256_movemask_pd(inrange) & ~near) | zero;
    }
    __m128 f = _mm_add_ps(_mm256_cvtpd_ps(y), vbias);
    if (mask != 0xF) {
        double acc[4];
        float out[4];
        _mm256_storeu_pd(acc, a);
        _mm_storeu_ps(out, f);
        for (int k = 0; k < 4; k++) {
            if (!(mask & (1u << k))) out[k] = dequantize_exact(acc[k], divisor[k * divisor_step], bias[k * bias_step]);
        }
        f = _mm_loadu_ps(out);
    }
    return f;
}

/// True when `acc * reciprocal` lies in [2^-125, 2^127) for every integer 0 < |acc| < 2^53 (both the int8
/// sums, below 2^31, and the recombined int16 sums): then the per-lane range test of `dequantize4v` is moot.
static int range_is_safe(double reciprocal) {
    double a = fabs(reciprocal);
    return a >= 0x1p-124 && a <= 0x1p73;
}

/// The exact integer sum of output channel `o` at pixel `pix`.
static inline double sum_at(const struct deq_ctx *c, int64_t pix, int64_t o) {
    if (c->pieces == 1) return (double)c->p0[pix * c->stride + o];
    const int64_t og = c->og, g = o / og, k = o % og, b = pix * c->stride + g * 2 * og, q = pix * c->groups + g;
    const int32_t *h = c->p0 + b, *l = c->p1 + b;
    return 65536.0 * (double)h[k] + 256.0 * (double)h[og + k] + 256.0 * (double)l[k] + (double)l[og + k]
        + (32768.0 * (double)c->s0[q] + 128.0 * (double)c->s1[q]);
}

/// The fused layers' epilogue (see mlus_dequantize_nhwc) on four values, lane k scaled by `scale[k]` and shifted
/// by `shift[k]` (read only when the context has a BatchNorm).
static inline __m128 epilogue4v(const struct deq_ctx *c, __m128 scale, __m128 shift, __m128 v) {
    if (c->scale) v = _mm_fmadd_ps(v, scale, shift);
    if (c->relu) v = _mm_and_ps(v, _mm_cmp_ps(v, _mm_setzero_ps(), _CMP_NLE_UQ));
    return v;
}

/// The epilogue on four values of channel `o`.
static inline __m128 epilogue4(const struct deq_ctx *c, int64_t o, __m128 v) {
    if (!c->scale) return epilogue4v(c, v, v, v);
    return epilogue4v(c, _mm_set1_ps(c->scale[o]), _mm_set1_ps(c->shift[o]), v);
}

/// The epilogue on one value of channel `o`.
static inline float epilogue1(const struct deq_ctx *c, int64_t o, float v) {
    if (c->scale) v = fmaf(v, c->scale[o], c->shift[o]);
    if (c->relu) v = v > 0 ? v : (v != v ? v : 0.0f);
    return v;
}

/// Pixels [x0, x1) of channel `o` in one output row, four at a time, through the epilogue.
static void dequantize_channel_run(const struct deq_ctx *c, int64_t row, int64_t o, int64_t x0, int64_t x1, float *dst_row) {
    const __m256d r = _mm256_set1_pd(c->recip[o]);
    const __m128 vb = _mm_set1_ps(c->bias[o]);
    const int64_t sx = c->s[3];
    int64_t x = x0;
    for (; x + 4 <= x1; x += 4) {
        const int64_t pix = row * c->ow + x;
        __m256d a = _mm256_setr_pd(sum_at(c, pix, o), sum_at(c, pix + 1, o), sum_at(c, pix + 2, o), sum_at(c, pix + 3, o));
        __m128 f = epilogue4(c, o, dequantize4v(a, r, c->divisor + o, 0, c->bias + o, 0, vb, c->range_safe));
        if (sx == 1) {
            _mm_storeu_ps(dst_row + x, f);
        } else {
            float out[4];
            _mm_storeu_ps(out, f);
            for (int k = 0; k < 4; k++) dst_row[(x + k) * sx] = out[k];
        }
    }
    for (; x < x1; x++) dst_row[x * sx] = epilogue1(c, o, dequantize_exact(sum_at(c, row * c->ow + x, o), c->divisor[o], c->bias[o]));
}

/// NCHW-like output (unit pixel stride): 8 channels x 8 pixels at a time, transposed in registers from the
/// NHWC sums, so every store is 8 consecutive floats of one channel.
static void dequantize_row_planar(const struct deq_ctx *c, int64_t row, float *base) {
    const int64_t outs = c->groups * c->og, ow = c->ow;
    const int blocks = c->pieces == 1 || c->groups == 1;
    const int64_t o8 = blocks ? outs / 8 * 8 : 0, x8 = ow / 8 * 8;
    for (int64_t x = 0; x < x8 && o8 > 0; x += 8) {
        const int64_t pix = row * ow + x;
        __m256d ones_lo = _mm256_setzero_pd(), ones_hi = _mm256_setzero_pd();
        if (c->pieces == 2) {
            double ones[8];
            for (int i = 0; i < 8; i++) {
                const int64_t q = (pix + i) * c->groups; // groups == 1 here
                ones[i] = 32768.0 * (double)c->s0[q] + 128.0 * (double)c->s1[q];
            }
            ones_lo = _mm256_loadu_pd(ones);
            ones_hi = _mm256_loadu_pd(ones + 4);
        }
        for (int64_t o0 = 0; o0 < o8; o0 += 8) {
            __m256i hk[8];
            for (int i = 0; i < 8; i++) hk[i] = _mm256_loadu_si256((const __m256i *)(c->p0 + (pix + i) * c->stride + o0));
            mlus_transpose8x8_epi32(hk);
            __m256i hl[8], lk[8], ll[8];
            if (c->pieces == 2) {
                for (int i = 0; i < 8; i++) {
                    const int64_t b = (pix + i) * c->stride;
                    hl[i] = _mm256_loadu_si256((const __m256i *)(c->p0 + b + c->og + o0));
                    lk[i] = _mm256_loadu_si256((const __m256i *)(c->p1 + b + o0));
                    ll[i] = _mm256_loadu_si256((const __m256i *)(c->p1 + b + c->og + o0));
                }
                mlus_transpose8x8_epi32(hl);
                mlus_transpose8x8_epi32(lk);
                mlus_transpose8x8_epi32(ll);
            }
            for (int j = 0; j < 8; j++) {
                const int64_t o = o0 + j;
                __m256d a0 = _mm256_cvtepi32_pd(_mm256_castsi256_si128(hk[j]));
                __m256d a1 = _mm256_cvtepi32_pd(_mm256_extracti128_si256(hk[j], 1));
                if (c->pieces == 2) {
                    // Integers below 2^53 throughout: exact.
                    const __m256d k65536 = _mm256_set1_pd(65536.0), k256 = _mm256_set1_pd(256.0);
                    a0 = _mm256_mul_pd(a0, k65536);
                    a1 = _mm256_mul_pd(a1, k65536);
                    a0 = _mm256_add_pd(a0, _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(hl[j])), k256));
                    a1 = _mm256_add_pd(a1, _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(hl[j], 1)), k256));
                    a0 = _mm256_add_pd(a0, _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(lk[j])), k256));
                    a1 = _mm256_add_pd(a1, _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(lk[j], 1)), k256));
                    a0 = _mm256_add_pd(a0, _mm256_cvtepi32_pd(_mm256_castsi256_si128(ll[j])));
                    a1 = _mm256_add_pd(a1, _mm256_cvtepi32_pd(_mm256_extracti128_si256(ll[j], 1)));
                    a0 = _mm256_add_pd(a0, ones_lo);
                    a1 = _mm256_add_pd(a1, ones_hi);
                }
                const __m256d r = _mm256_set1_pd(c->recip[o]);
                const __m128 vb = _mm_set1_ps(c->bias[o]);
                float *d = base + o * c->s[1] + x;
                _mm_storeu_ps(d, epilogue4(c, o, dequantize4v(a0, r, c->divisor + o, 0, c->bias + o, 0, vb, c->range_safe)));
                _mm_storeu_ps(d + 4, epilogue4(c, o, dequantize4v(a1, r, c->divisor + o, 0, c->bias + o, 0, vb, c->range_safe)));
            }
        }
    }
    for (int64_t o = 0; o < outs; o++) {
        float *d = base + o * c->s[1];
        if (o < o8) {
            if (x8 < ow) dequantize_channel_run(c, row, o, x8, ow, d);
        } else {
            dequantize_channel_run(c, row, o, 0, ow, d);
        }
    }
}

/// The epilogue on channels o..o+3, one value each.
static inline __m128 epilogue4_channels(const struct deq_ctx *c, int64_t o, __m128 v) {
    if (!c->scale) return epilogue4v(c, v, v, v);
    return epilogue4v(c, _mm_loadu_ps(c->scale + o), _mm_loadu_ps(c->shift + o), v);
}

/// Every output channel of pixel `pix` (NHWC order) into `out`, epilogue included.
static void dequantize_pixel(const struct deq_ctx *c, int64_t pix, double *acc, float *out) {
    const int64_t outs = c->groups * c->og;
    const int32_t *a = c->p0 + pix * c->stride;
    int64_t o = 0;
    if (c->pieces == 1) {
        // int8: the s32 sums convert straight to double, four channels at a time.
        for (; o + 4 <= outs; o += 4) {
            __m256d v = _mm256_cvtepi32_pd(_mm_loadu_si128((const __m128i *)(a + o)));
            __m128 f = dequantize4v(v, _mm256_loadu_pd(c->recip + o), c->divisor + o, 1, c->bias + o, 1, _mm_loadu_ps(c->bias + o),
                                    c->range_safe);
            _mm_storeu_ps(out + o, epilogue4_channels(c, o, f));
        }
        for (; o < outs; o++) out[o] = epilogue1(c, o, dequantize_exact((double)a[o], c->divisor[o], c->bias[o]));
        return;
    }
    const int32_t *l = c->p1 + pix * c->stride;
    const int64_t og = c->og, per = 2 * og;
    for (int64_t g = 0; g < c->groups; g++) {
        const int32_t *hg = a + g * per, *lg = l + g * per;
        const int64_t q = pix * c->groups + g;
        const double ones = 32768.0 * (double)c->s0[q] + 128.0 * (double)c->s1[q];
        for (int64_t k = 0; k < og; k++) {
            // Every term and partial sum is an integer below 2^53: exact in double.
            double s = 65536.0 * (double)hg[k];
            s += 256.0 * (double)hg[og + k];
            s += 256.0 * (double)lg[k];
            s += (double)lg[og + k];
            acc[g * og + k] = s + ones;
        }
    }
    for (; o + 4 <= outs; o += 4) {
        __m128 f = dequantize4v(_mm256_loadu_pd(acc + o), _mm256_loadu_pd(c->recip + o), c->divisor + o, 1, c->bias + o, 1,
                                _mm_loadu_ps(c->bias + o), c->range_safe);
        _mm_storeu_ps(out + o, epilogue4_channels(c, o, f));
    }
    for (; o < outs; o++) out[o] = epilogue1(c, o, dequantize_exact(acc[o], c->divisor[o], c->bias[o]));
}

/// The near-midpoint lanes (bit k of `near`) of eight outputs of channels o..o+7 redone by the division.
static __m256 redo_near8(__m256 f, __m256i acc, unsigned near, const double *divisor, const float *bias) {
    int32_t a[8];
    float out[8];
    _mm256_storeu_si256((__m256i *)a, acc);
    _mm256_storeu_ps(out, f);
    for (int k = 0; k < 8; k++) {
        if (near & (1u << k)) out[k] = dequantize_exact((double)a[k], divisor[k], bias[k]);
    }
    return _mm256_loadu_ps(out);
}

/// The epilogue on eight values, lane k of channel o + k (`scale`/`shift` used only with a BatchNorm).
static inline __m256 epilogue8(const struct deq_ctx *c, __m256 scale, __m256 shift, __m256 v) {
    if (c->scale) v = _mm256_fmadd_ps(v, scale, shift);
    if (c->relu) v = _mm256_and_ps(v, _mm256_cmp_ps(v, _mm256_setzero_ps(), _CMP_NLE_UQ));
    return v;
}

/// Eight outputs (channels o..o+7 of one pixel, sums at `acc`) dequantized and through the epilogue; `r0`, `r1`,
/// `vb`, `sc`, `sh`: the block's reciprocals, biases and BatchNorm (see `dequantize_rows_dense8`).
static inline __m256 dequantize8(const struct deq_ctx *c, const int32_t *acc, int64_t o, __m256d r0, __m256d r1, __m256 vb,
                                 __m256 sc, __m256 sh) {
    const __m256i v = _mm256_loadu_si256((const __m256i *)acc);
    const __m256d y0 = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_castsi256_si128(v)), r0);
    const __m256d y1 = _mm256_mul_pd(_mm256_cvtepi32_pd(_mm256_extracti128_si256(v, 1)), r1);
    __m256 f = _mm256_add_ps(_mm256_set_m128(_mm256_cvtpd_ps(y1), _mm256_cvtpd_ps(y0)), vb);
    const unsigned near = near4(y0) | near4(y1) << 4;
    if (near) f = redo_near8(f, v, near, c->divisor + o, c->bias + o);
    return epilogue8(c, sc, sh, f);
}

/// Dense NHWC int8 rows with every reciprocal range-safe and a multiple of 8 channels: channel block outer,
/// pixels inner, so the block's reciprocals, biases and BatchNorm stay in registers. The same arithmetic as
/// `dequantize_pixel`, eight channels per step.
static void dequantize_rows_dense8(const struct deq_ctx *c, int64_t begin, int64_t end) {
    const int64_t outs = c->groups * c->og, ow = c->ow;
    int8_t *codes = c->codes;
    // With `codes`: the next convolution's quantization of each value (float32 product, round, clamp, as
    // quantize_nhwc.c does), four pixels' codes packed into one store.
    const __m256 code_scale = _mm256_set1_ps(c->code_scale), code_lo = _mm256_set1_ps(-128.0f), code_hi = _mm256_set1_ps(127.0f);
    for (int64_t row = begin; row < end; row++) {
        const int64_t b = row / c->oh, y = row % c->oh;
        float *base = codes ? NULL : c->dst + b * c->s[0] + y * c->s[2];
        const int32_t *a = c->p0 + row * ow * outs;
        int8_t *row_codes = codes ? codes + row * ow * outs : NULL;
        for (int64_t o = 0; o < outs; o += 8) {
            const __m256d r0 = _mm256_loadu_pd(c->recip + o), r1 = _mm256_loadu_pd(c->recip + o + 4);
            const __m256 vb = _mm256_loadu_ps(c->bias + o);
            const __m256 sc = c->scale ? _mm256_loadu_ps(c->scale + o) : vb, sh = c->scale ? _mm256_loadu_ps(c->shift + o) : vb;
            int64_t x = 0;
            if (codes) {
                for (; x + 4 <= ow; x += 4) {
                    __m256i q[4];
                    for (int k = 0; k < 4; k++) {
                        const __m256 f = dequantize8(c, a + (x + k) * outs + o, o, r0, r1, vb, sc, sh);
                        q[k] = _mm256_cvtps_epi32(round_clamp8(_mm256_mul_ps(f, code_scale), code_lo, code_hi));
                    }
                    store_pixels4(row_codes + x * outs + o, outs, pack_bytes4(q[0], q[1], q[2], q[3], 1));
                }
                for (; x < ow; x++) {
                    const __m256 f = dequantize8(c, a + x * outs + o, o, r0, r1, vb, sc, sh);
                    const long long bytes = mlus_low_bytes8(_mm256_cvtps_epi32(round_clamp8(_mm256_mul_ps(f, code_scale), code_lo, code_hi)));
                    memcpy(row_codes + x * outs + o, &bytes, 8);
                }
                continue;
            }
            for (; x < ow; x++) _mm256_storeu_ps(base + x * outs + o, dequantize8(c, a + x * outs + o, o, r0, r1, vb, sc, sh));
        }
    }
}

static void dequantize_rows(void *p, int64_t begin, int64_t end) {
    struct deq_ctx *c = p;
    const int64_t outs = c->groups * c->og, ow = c->ow;
    if (c->codes) {
        dequantize_rows_dense8(c, begin, end);
        return;
    }
    const int dense = c->s[1] == 1 && c->s[3] == outs; // NHWC rows: write in place
    if (dense && c->pieces == 1 && c->range_safe && outs % 8 == 0) {
        dequantize_rows_dense8(c, begin, end);
        return;
    }
    float *tile = dense ? NULL : malloc((size_t)(ow * outs) * sizeof(float));
    double *acc = malloc((size_t)outs * sizeof(double));
    if ((!dense && !tile) || !acc) { free(tile); free(acc); c->failed = 1; return; }
    for (int64_t row = begin; row < end; row++) {
        const int64_t b = row / c->oh, y = row % c->oh;
        float *base = c->dst + b * c->s[0] + y * c->s[2];
        if (c->s[3] == 1 && !(c->s[1] == 1 && ow == 1)) {
            dequantize_row_planar(c, row, base);
            continue;
        }
        for (int64_t x = 0; x < ow; x++) dequantize_pixel(c, row * ow + x, acc, dense ? base + x * outs : tile + x * outs);
        if (dense) continue;
        if (c->s[3] == 1) {
            for (int64_t o2 = 0; o2 < outs; o2++) {
                float *d = base + o2 * c->s[1];
                for (int64_t x = 0; x < ow; x++) d[x] = tile[x * outs + o2];
            }
        } else {
            for (int64_t o2 = 0; o2 < outs; o2++) {
                for (int64_t x = 0; x < ow; x++) base[o2 * c->s[1] + x * c->s[3]] = tile[x * outs + o2];
            }
        }
    }
    free(tile);
    free(acc);
}

/// Per output channel: the reciprocal of each divisor (`safe_reciprocal`), zeros standing in for a missing bias
/// (`*zeros`, else NULL), and whether every reciprocal is range-safe. Returns 0, or -1 when out of memory (nothing
/// to free then); the caller frees `*recip` and `*zeros`.
static int channel_tables(int64_t outs, const double *divisor, const float *bias, double **recip, float **zeros, int *range_safe) {
    *recip = malloc((size_t)outs * sizeof(double));
    *zeros = bias ? NULL : calloc((size_t)outs, sizeof(float));
    if (!*recip || (!bias && !*zeros)) { free(*recip); free(*zeros); return -1; }
    *range_safe = 1;
    for (int64_t o = 0; o < outs; o++) {
        (*recip)[o] = safe_reciprocal(divisor[o]);
        *range_safe &= range_is_safe((*recip)[o]);
    }
    return 0;
}

int mlus_dequantize_nhwc(const int32_t *p0, const int32_t *p1, const int32_t *s0, const int32_t *s1, int pieces,
                          int64_t n, int64_t oh, int64_t ow,
                          int64_t groups, int64_t og, const double *divisor, const float *bias,
                          const float *scale, const float *shift, int relu, float *dst, const int64_t dst_strides[4]) {
    const int64_t outs = groups * og;
    if (n * oh * ow <= 0 || outs <= 0) return 0;
    if (pieces == 2 && (!p1 || !s0 || !s1)) return -1;
    double *recip;
    float *zeros;
    int range_safe;
    if (channel_tables(outs, divisor, bias, &recip, &zeros, &range_safe) != 0) return -1;
    struct deq_ctx c = {p0, p1, s0, s1, pieces, n, oh, ow, groups, og, outs, pieces == 1 ? outs : groups * 2 * og,
                        divisor, recip, bias ? bias : zeros, scale && shift ? scale : NULL, scale && shift ? shift : NULL,
                        relu, range_safe, dst, {dst_strides[0], dst_strides[1], dst_strides[2], dst_strides[3]}, 0, NULL, 0};
    const int64_t rows = n * oh;
    int64_t grain = (1 << 14) / (ow * outs);
    mlus_parallel_for(rows, grain < 1 ? 1 : grain, dequantize_rows, &c);
    free(recip);
    free(zeros);
    return c.failed ? -1 : 0;
}

int mlus_dequantize_to_codes_nhwc(const int32_t *p0, int64_t n, int64_t oh, int64_t ow, int64_t outs, const double *divisor,
                                  const float *bias, const float *scale, const float *shift, int relu, float code_scale,
                                  int8_t *codes) {
    if (n * oh * ow <= 0 || outs <= 0) return 0;
    if (outs % 8 != 0) return 1;
    double *recip;
    float *zeros;
    int range_safe;
    if (channel_tables(outs, divisor, bias, &recip, &zeros, &range_safe) != 0) return -1;
    if (!range_safe) { free(recip); free(zeros); return 1; }
    struct deq_ctx c = {p0, NULL, NULL, NULL, 1, n, oh, ow, 1, outs, outs, outs, divisor, recip, bias ? bias : zeros,
                        scale && shift ? scale : NULL, scale && shift ? shift : NULL, relu, 1, NULL, {0, 0, 0, 0}, 0, codes, code_scale};
    const int64_t rows = n * oh;
    int64_t grain = (1 << 14) / (ow * outs);
    mlus_parallel_for(rows, grain < 1 ? 1 : grain, dequantize_rows, &c);
    free(recip);
    free(zeros);
    return 0;
}
