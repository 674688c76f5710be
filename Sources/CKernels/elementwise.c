#include "CKernels.h"
#include <immintrin.h>
#include <math.h>
#include <string.h>

// Element-wise float32 kernels. Built with -O3 -march=x86-64-v3 so the inner loops vectorise (AVX2/FMA).

static inline float apply_binary(int op, float x, float y) {
    switch (op) {
    case MLUS_ADD: return x + y;
    case MLUS_SUB: return x - y;
    case MLUS_MUL: return x * y;
    case MLUS_DIV: return x / y;
    case MLUS_POW: return powf(x, y);
    case MLUS_MAXIMUM: return (x != x || y != y) ? NAN : (x > y ? x : y);
    case MLUS_MINIMUM: return (x != x || y != y) ? NAN : (x < y ? x : y);
    default: return NAN;
    }
}

#define INNER_LOOP(OP, EXPR)                                                   \
    case OP:                                                                   \
        if (sa == 1 && sb == 1) {                                              \
            for (int64_t i = 0; i < n; i++) { float x = a[i], y = b[i]; o[i] = EXPR; } \
        } else if (sa == 1 && sb == 0) {                                       \
            float y = b[0];                                                    \
            for (int64_t i = 0; i < n; i++) { float x = a[i]; o[i] = EXPR; }   \
        } else if (sa == 0 && sb == 1) {                                       \
            float x = a[0];                                                    \
            for (int64_t i = 0; i < n; i++) { float y = b[i]; o[i] = EXPR; }   \
        } else {                                                               \
            for (int64_t i = 0; i < n; i++) { float x = a[i * sa], y = b[i * sb]; o[i] = EXPR; } \
        }                                                                      \
        break;

static void binary_row(int op, float *o, const float *a, int64_t sa, const float *b, int64_t sb, int64_t n) {
    switch (op) {
    INNER_LOOP(MLUS_ADD, x + y)
    INNER_LOOP(MLUS_SUB, x - y)
    INNER_LOOP(MLUS_MUL, x * y)
    INNER_LOOP(MLUS_DIV, x / y)
    default:
        for (int64_t i = 0; i < n; i++) o[i] = apply_binary(op, a[i * sa], b[i * sb]);
    }
}

void mlus_binary_f32(int op, float *out, const float *a, const int64_t *a_strides,
                     const float *b, const int64_t *b_strides, const int64_t *shape, int rank) {
    if (rank == 0) { out[0] = apply_binary(op, a[0], b[0]); return; }
    int64_t index[8] = {0};
    int64_t n = shape[rank - 1];
    int64_t sa = a_strides[rank - 1], sb = b_strides[rank - 1];
    int64_t rows = 1;
    for (int d = 0; d < rank - 1; d++) rows *= shape[d];
    if (n == 0) return;
    int64_t oa = 0, ob = 0;
    for (int64_t r = 0; r < rows; r++) {
        binary_row(op, out + r * n, a + oa, sa, b + ob, sb, n);
        for (int d = rank - 2; d >= 0; d--) {
            index[d]++;
            oa += a_strides[d];
            ob += b_strides[d];
            if (index[d] < shape[d]) break;
            oa -= a_strides[d] * shape[d];
            ob -= b_strides[d] * shape[d];
            index[d] = 0;
        }
    }
}

static inline uint8_t apply_compare(int op, float x, float y) {
    switch (op) {
    case 0: return x == y;
    case 1: return x != y;
    case 2: return x < y;
    case 3: return x <= y;
    case 4: return x > y;
    case 5: return x >= y;
    default: return 0;
    }
}

void mlus_compare_f32(int op, uint8_t *out, const float *a, const int64_t *a_strides,
                      const float *b, const int64_t *b_strides, const int64_t *shape, int rank) {
    if (rank == 0) { out[0] = apply_compare(op, a[0], b[0]); return; }
    int64_t index[8] = {0};
    int64_t n = shape[rank - 1];
    int64_t sa = a_strides[rank - 1], sb = b_strides[rank - 1];
    int64_t rows = 1;
    for (int d = 0; d < rank - 1; d++) rows *= shape[d];
    if (n == 0) return;
    int64_t oa = 0, ob = 0;
    for (int64_t r = 0; r < rows; r++) {
        uint8_t *o = out + r * n;
        for (int64_t i = 0; i < n; i++) o[i] = apply_compare(op, a[oa + i * sa], b[ob + i * sb]);
        for (int d = rank - 2; d >= 0; d--) {
            index[d]++;
            oa += a_strides[d];
            ob += b_strides[d];
            if (index[d] < shape[d]) break;
            oa -= a_strides[d] * shape[d];
            ob -= b_strides[d] * shape[d];
            index[d] = 0;
        }
    }
}

static inline float clampf(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

// glibc's vector expf (libmvec, AVX2 variant, ≤ 1 ulp like the scalar one): 8 values per call.
extern __m256 _ZGVdN8v_expf(__m256);

static inline __m256 sigmoid8(__m256 v) {
    const __m256 one = _mm256_set1_ps(1.0f);
    return _mm256_div_ps(one, _mm256_add_ps(one, _ZGVdN8v_expf(_mm256_xor_ps(v, _mm256_set1_ps(-0.0f)))));
}

/// 1 / (1 + exp(-x)), eight values at a time; the last few go through the same vector call from a padded
/// buffer, so every value is computed alike whatever range a thread gets.
static void sigmoid_serial(float *out, const float *x, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) _mm256_storeu_ps(out + i, sigmoid8(_mm256_loadu_ps(x + i)));
    if (i < count) {
        float buffer[8] = {0};
        memcpy(buffer, x + i, (count - i) * sizeof(float));
        _mm256_storeu_ps(buffer, sigmoid8(_mm256_loadu_ps(buffer)));
        memcpy(out + i, buffer, (count - i) * sizeof(float));
    }
}

static void unary_serial(int op, float *out, const float *x, size_t count, float p0, float p1) {
    size_t i;
    switch (op) {
    case MLUS_ABS: for (i = 0; i < count; i++) out[i] = fabsf(x[i]); break;
    case MLUS_NEG: for (i = 0; i < count; i++) out[i] = -x[i]; break;
    case MLUS_EXP: for (i = 0; i < count; i++) out[i] = expf(x[i]); break;
    case MLUS_LOG: for (i = 0; i < count; i++) out[i] = logf(x[i]); break;
    case MLUS_SQRT: for (i = 0; i < count; i++) out[i] = sqrtf(x[i]); break;
    case MLUS_RSQRT: for (i = 0; i < count; i++) out[i] = 1.0f / sqrtf(x[i]); break;
    case MLUS_RELU: for (i = 0; i < count; i++) { float v = x[i]; out[i] = v > 0 ? v : (v != v ? v : 0.0f); } break;
    case MLUS_SIGMOID: sigmoid_serial(out, x, count); break;
    case MLUS_TANH: for (i = 0; i < count; i++) out[i] = tanhf(x[i]); break;
    case MLUS_SILU: for (i = 0; i < count; i++) { float v = x[i]; out[i] = v / (1.0f + expf(-v)); } break;
    case MLUS_GELU:
        for (i = 0; i < count; i++) { float v = x[i]; out[i] = 0.5f * v * (1.0f + erff(v * 0.70710678118654752f)); }
        break;
    case MLUS_GELU_TANH:
        for (i = 0; i < count; i++) {
            float v = x[i];
            float inner = 0.7978845608028654f * (v + 0.044715f * v * v * v);
            out[i] = 0.5f * v * (1.0f + tanhf(inner));
        }
        break;
    case MLUS_HARDSWISH:
        for (i = 0; i < count; i++) { float v = x[i]; out[i] = v * clampf(v + 3.0f, 0.0f, 6.0f) / 6.0f; }
        break;
    case MLUS_HARDSIGMOID:
        for (i = 0; i < count; i++) out[i] = clampf(x[i] + 3.0f, 0.0f, 6.0f) / 6.0f;
        break;
    case MLUS_CLAMP:
        for (i = 0; i < count; i++) {
            float v = x[i];
            if (v != v) { out[i] = v; continue; }
            if (v < p0) v = p0;
            if (v > p1) v = p1;
            out[i] = v;
        }
        break;
    case MLUS_LEAKY_RELU: for (i = 0; i < count; i++) { float v = x[i]; out[i] = v > 0 ? v : v * p0; } break;
    case MLUS_ELU: for (i = 0; i < count; i++) { float v = x[i]; out[i] = v > 0 ? v : p0 * (expf(v) - 1.0f); } break;
    case MLUS_POW_SCALAR:
        if (p0 == 2.0f) { for (i = 0; i < count; i++) out[i] = x[i] * x[i]; }
        else if (p0 == 0.5f) { for (i = 0; i < count; i++) out[i] = sqrtf(x[i]); }
        else { for (i = 0; i < count; i++) out[i] = powf(x[i], p0); }
        break;
    default: break;
    }
}

struct unary_ctx { int op; float *out; const float *x; float p0, p1; };
static void unary_range(void *p, int64_t begin, int64_t end) {
    struct unary_ctx *c = p;
    unary_serial(c->op, c->out + begin, c->x + begin, (size_t)(end - begin), c->p0, c->p1);
}

void mlus_unary_f32(int op, float *out, const float *x, size_t count, float p0, float p1) {
    struct unary_ctx c = {op, out, x, p0, p1};
    mlus_parallel_for((int64_t)count, 1 << 15, unary_range, &c);
}

struct affine_ctx { float *out; const float *x; const float *scale, *shift; int64_t c, inner; int relu; };
static void affine_range(void *p, int64_t begin, int64_t end) {
    struct affine_ctx *a = p;
    for (int64_t plane = begin; plane < end; plane++) {
        int64_t ch = plane % a->c, inner = a->inner;
        const float *src = a->x + plane * inner;
        float *dst = a->out + plane * inner;
        float s = a->scale[ch], t = a->shift[ch];
        if (a->relu) {
            for (int64_t i = 0; i < inner; i++) { float v = src[i] * s + t; dst[i] = v > 0 ? v : 0.0f; }
        } else {
            for (int64_t i = 0; i < inner; i++) dst[i] = src[i] * s + t;
        }
    }
}

void mlus_channel_affine_f32(float *out, const float *x, const float *scale, const float *shift,
                             int64_t n, int64_t c, int64_t inner, int relu) {
    struct affine_ctx a = {out, x, scale, shift, c, inner, relu};
    int64_t grain = inner >= (1 << 15) ? 1 : (1 << 15) / (inner > 0 ? inner : 1);
    mlus_parallel_for(n * c, grain, affine_range, &a);
}

void mlus_prelu_f32(float *out, const float *x, const float *slope, int64_t slope_count,
                    int64_t n, int64_t c, int64_t inner) {
    for (int64_t b = 0; b < n; b++) {
        for (int64_t ch = 0; ch < c; ch++) {
            const float *src = x + (b * c + ch) * inner;
            float *dst = out + (b * c + ch) * inner;
            float a = slope[slope_count == 1 ? 0 : ch];
            for (int64_t i = 0; i < inner; i++) { float v = src[i]; dst[i] = v > 0 ? v : a * v; }
        }
    }
}

void mlus_softmax_f32(float *out, const float *x, int64_t outer, int64_t dim, int64_t inner, int log) {
    for (int64_t o = 0; o < outer; o++) {
        for (int64_t j = 0; j < inner; j++) {
            const float *src = x + o * dim * inner + j;
            float *dst = out + o * dim * inner + j;
            float m = -INFINITY;
            for (int64_t k = 0; k < dim; k++) if (src[k * inner] > m) m = src[k * inner];
            double sum = 0;
            for (int64_t k = 0; k < dim; k++) sum += expf(src[k * inner] - m);
            if (log) {
                float ls = (float)logf((float)sum);
                for (int64_t k = 0; k < dim; k++) dst[k * inner] = src[k * inner] - m - ls;
            } else {
                float inv = (float)(1.0 / sum);
                for (int64_t k = 0; k < dim; k++) dst[k * inner] = expf(src[k * inner] - m) * inv;
            }
        }
    }
}

void mlus_gather_f32(float *out, const float *x, const int64_t *strides, const int64_t *shape, int rank) {
    if (rank == 0) { out[0] = x[0]; return; }
    int64_t index[8] = {0};
    int64_t n = shape[rank - 1], s = strides[rank - 1];
    int64_t rows = 1;
    for (int d = 0; d < rank - 1; d++) rows *= shape[d];
    if (n == 0) return;
    int64_t off = 0;
    for (int64_t r = 0; r < rows; r++) {
        float *o = out + r * n;
        const float *src = x + off;
        if (s == 1) { for (int64_t i = 0; i < n; i++) o[i] = src[i]; }
        else { for (int64_t i = 0; i < n; i++) o[i] = src[i * s]; }
        for (int d = rank - 2; d >= 0; d--) {
            index[d]++;
            off += strides[d];
            if (index[d] < shape[d]) break;
            off -= strides[d] * shape[d];
            index[d] = 0;
        }
    }
}

int mlus_has_nan_f32(const float *x, size_t count) {
    int found = 0;
    for (size_t i = 0; i < count; i++) found |= (x[i] != x[i]);
    return found;
}
