#include "CKernels.h"
#include <math.h>

// Pooling and resampling on NCHW float32, written to PyTorch's index rules (aten/src/ATen/native).

struct avg_ctx { float *out; const float *x; int64_t ih, iw, oh, ow, kh, kw, sh, sw, ph, pw; int count_include_pad; int64_t divisor_override; };

static void avg_planes(void *ctx, int64_t begin, int64_t end) {
    struct avg_ctx *c = ctx;
    float *out = c->out;
    const float *x = c->x;
    int64_t ih = c->ih;
    int64_t iw = c->iw;
    int64_t oh = c->oh;
    int64_t ow = c->ow;
    int64_t kh = c->kh;
    int64_t kw = c->kw;
    int64_t sh = c->sh;
    int64_t sw = c->sw;
    int64_t ph = c->ph;
    int64_t pw = c->pw;
    int count_include_pad = c->count_include_pad;
    int64_t divisor_override = c->divisor_override;
    for (int64_t p = begin; p < end; p++) {
        const float *src = x + p * ih * iw;
        float *dst = out + p * oh * ow;
        for (int64_t oy = 0; oy < oh; oy++) {
            for (int64_t ox = 0; ox < ow; ox++) {
                int64_t hs = oy * sh - ph, ws = ox * sw - pw;
                int64_t he = hs + kh, we = ws + kw;
                if (he > ih + ph) he = ih + ph;
                if (we > iw + pw) we = iw + pw;
                int64_t pool_size = (he - hs) * (we - ws);
                if (hs < 0) hs = 0;
                if (ws < 0) ws = 0;
                if (he > ih) he = ih;
                if (we > iw) we = iw;
                float sum = 0;
                for (int64_t y = hs; y < he; y++)
                    for (int64_t xx = ws; xx < we; xx++) sum += src[y * iw + xx];
                int64_t divisor;
                if (divisor_override > 0) divisor = divisor_override;
                else if (count_include_pad) divisor = pool_size;
                else divisor = (he - hs) * (we - ws);
                dst[oy * ow + ox] = divisor == 0 ? 0.0f : sum / (float)divisor;
            }
        }
    }
}

void mlus_avg_pool2d_f32(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                         int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                         int64_t ph, int64_t pw, int count_include_pad, int64_t divisor_override) {
    struct avg_ctx c = {out, x, ih, iw, oh, ow, kh, kw, sh, sw, ph, pw, count_include_pad, divisor_override};
    mlus_parallel_for(nc, (1 << 15) / ((oh * ow) > 0 ? (oh * ow) : 1) + 1, avg_planes, &c);
}

struct max_ctx { float *out; const float *x; int64_t ih, iw, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw; };

static void max_planes(void *ctx, int64_t begin, int64_t end) {
    struct max_ctx *c = ctx;
    float *out = c->out;
    const float *x = c->x;
    int64_t ih = c->ih;
    int64_t iw = c->iw;
    int64_t oh = c->oh;
    int64_t ow = c->ow;
    int64_t kh = c->kh;
    int64_t kw = c->kw;
    int64_t sh = c->sh;
    int64_t sw = c->sw;
    int64_t ph = c->ph;
    int64_t pw = c->pw;
    int64_t dh = c->dh;
    int64_t dw = c->dw;
    for (int64_t p = begin; p < end; p++) {
        const float *src = x + p * ih * iw;
        float *dst = out + p * oh * ow;
        for (int64_t oy = 0; oy < oh; oy++) {
            for (int64_t ox = 0; ox < ow; ox++) {
                int64_t hs = oy * sh - ph, ws = ox * sw - pw;
                float m = -INFINITY;
                for (int64_t ky = 0; ky < kh; ky++) {
                    int64_t y = hs + ky * dh;
                    if (y < 0 || y >= ih) continue;
                    for (int64_t kx = 0; kx < kw; kx++) {
                        int64_t xx = ws + kx * dw;
                        if (xx < 0 || xx >= iw) continue;
                        float v = src[y * iw + xx];
                        if (v > m || v != v) m = v;
                    }
                }
                dst[oy * ow + ox] = m;
            }
        }
    }
}

void mlus_max_pool2d_f32(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                         int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                         int64_t ph, int64_t pw, int64_t dh, int64_t dw) {
    struct max_ctx c = {out, x, ih, iw, oh, ow, kh, kw, sh, sw, ph, pw, dh, dw};
    mlus_parallel_for(nc, (1 << 15) / ((oh * ow) > 0 ? (oh * ow) : 1) + 1, max_planes, &c);
}

struct adaptive_ctx { float *out; const float *x; int64_t ih, iw, oh, ow; };

static void adaptive_planes(void *ctx, int64_t begin, int64_t end) {
    struct adaptive_ctx *c = ctx;
    float *out = c->out;
    const float *x = c->x;
    int64_t ih = c->ih;
    int64_t iw = c->iw;
    int64_t oh = c->oh;
    int64_t ow = c->ow;
    for (int64_t p = begin; p < end; p++) {
        const float *src = x + p * ih * iw;
        float *dst = out + p * oh * ow;
        for (int64_t oy = 0; oy < oh; oy++) {
            int64_t hs = (oy * ih) / oh;
            int64_t he = ((oy + 1) * ih + oh - 1) / oh;
            for (int64_t ox = 0; ox < ow; ox++) {
                int64_t ws = (ox * iw) / ow;
                int64_t we = ((ox + 1) * iw + ow - 1) / ow;
                float sum = 0;
                for (int64_t y = hs; y < he; y++)
                    for (int64_t xx = ws; xx < we; xx++) sum += src[y * iw + xx];
                dst[oy * ow + ox] = sum / (float)((he - hs) * (we - ws));
            }
        }
    }
}

void mlus_adaptive_avg_pool2d_f32(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                                  int64_t oh, int64_t ow) {
    struct adaptive_ctx c = {out, x, ih, iw, oh, ow};
    mlus_parallel_for(nc, (1 << 15) / ((oh * ow) > 0 ? (oh * ow) : 1) + 1, adaptive_planes, &c);
}

static inline int64_t nearest_index(int64_t dst, int64_t in, int64_t out, float scale) {
    if (out == in) return dst;
    if (out == 2 * in) return dst >> 1;
    int64_t s = (int64_t)floorf((float)dst * scale);
    return s < in - 1 ? s : in - 1;
}

struct nearest_ctx { float *out; const float *x; int64_t ih, iw, oh, ow; float scale_h, scale_w; };

static void nearest_planes(void *ctx, int64_t begin, int64_t end) {
    struct nearest_ctx *c = ctx;
    float *out = c->out;
    const float *x = c->x;
    int64_t ih = c->ih;
    int64_t iw = c->iw;
    int64_t oh = c->oh;
    int64_t ow = c->ow;
    float scale_h = c->scale_h;
    float scale_w = c->scale_w;
    for (int64_t p = begin; p < end; p++) {
        const float *src = x + p * ih * iw;
        float *dst = out + p * oh * ow;
        for (int64_t oy = 0; oy < oh; oy++) {
            int64_t y = nearest_index(oy, ih, oh, scale_h);
            for (int64_t ox = 0; ox < ow; ox++) {
                dst[oy * ow + ox] = src[y * iw + nearest_index(ox, iw, ow, scale_w)];
            }
        }
    }
}

void mlus_resize_nearest_f32(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                             int64_t oh, int64_t ow, float scale_h, float scale_w) {
    struct nearest_ctx c = {out, x, ih, iw, oh, ow, scale_h, scale_w};
    mlus_parallel_for(nc, (1 << 15) / ((oh * ow) > 0 ? (oh * ow) : 1) + 1, nearest_planes, &c);
}

static inline float source_index(float scale, int64_t dst, int align_corners) {
    if (align_corners) return scale * (float)dst;
    float s = scale * ((float)dst + 0.5f) - 0.5f;
    return s < 0 ? 0.0f : s;
}

#include <stdlib.h>

static void bilinear_serial(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                            int64_t oh, int64_t ow, int align_corners, float scale_h, float scale_w);

struct bilinear_ctx {
    float *out; const float *x; int64_t ih, iw, oh, ow; int align_corners; float scale_h;
    const int64_t *x0s, *x1s; const float *lx1s;
};

// The horizontal taps of source row y of `src` for every output column (the inner sum of PyTorch's formula).
static void bilinear_horizontal(float *h, const float *row, const struct bilinear_ctx *c) {
    for (int64_t ox = 0; ox < c->ow; ox++) {
        float lx1 = c->lx1s[ox], lx0 = 1.0f - lx1;
        h[ox] = lx0 * row[c->x0s[ox]] + lx1 * row[c->x1s[ox]];
    }
}

// One range of output rows over all planes: row r is plane r / oh, output row r % oh.
// out = ly0 * (lx0 * x[y0][a] + lx1 * x[y0][b]) + ly1 * (lx0 * x[y1][a] + lx1 * x[y1][b]), the same
// expression as ATen's; the horizontal sums of a source row are kept in one of two row buffers and reused by
// the next output rows that read it (each source row serves ~2 output rows when upsampling by 2).
static void bilinear_rows(void *p, int64_t begin, int64_t end) {
    struct bilinear_ctx *c = p;
    int64_t ih = c->ih, iw = c->iw, oh = c->oh, ow = c->ow;
    float *buf = malloc(sizeof(float) * (size_t)(2 * ow));
    float *slot[2] = {buf, buf ? buf + ow : NULL};
    int64_t held[2] = {-1, -1}; // plane * ih + source row held by each slot
    for (int64_t r = begin; r < end; r++) {
        int64_t plane = r / oh, oy = r % oh;
        const float *src = c->x + plane * ih * iw;
        float sy = source_index(c->scale_h, oy, c->align_corners);
        int64_t y0 = (int64_t)sy;
        if (y0 > ih - 1) y0 = ih - 1;
        int64_t y1 = y0 + (y0 < ih - 1 ? 1 : 0);
        float ly1 = sy - (float)y0, ly0 = 1.0f - ly1;
        const float *r0 = src + y0 * iw, *r1 = src + y1 * iw;
        float *d = c->out + plane * oh * ow + oy * ow;
        if (!buf) {
            for (int64_t ox = 0; ox < ow; ox++) {
                float lx1 = c->lx1s[ox], lx0 = 1.0f - lx1;
                int64_t a = c->x0s[ox], b = c->x1s[ox];
                d[ox] = ly0 * (lx0 * r0[a] + lx1 * r0[b]) + ly1 * (lx0 * r1[a] + lx1 * r1[b]);
            }
            continue;
        }
        int64_t k0 = plane * ih + y0, k1 = plane * ih + y1;
        int s0 = held[0] == k0 ? 0 : (held[1] == k0 ? 1 : -1);
        if (s0 < 0) {
            s0 = held[0] == k1 ? 1 : 0; // keep the slot holding y1 if there is one
            bilinear_horizontal(slot[s0], r0, c);
            held[s0] = k0;
        }
        int s1 = held[0] == k1 ? 0 : (held[1] == k1 ? 1 : -1);
        if (s1 < 0) {
            s1 = 1 - s0;
            bilinear_horizontal(slot[s1], r1, c);
            held[s1] = k1;
        }
        const float *h0 = slot[s0], *h1 = slot[s1];
        for (int64_t ox = 0; ox < ow; ox++) d[ox] = ly0 * h0[ox] + ly1 * h1[ox];
    }
    free(buf);
}

void mlus_resize_bilinear_f32(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                              int64_t oh, int64_t ow, int align_corners, float scale_h, float scale_w) {
    if (ow <= 0 || oh <= 0 || nc <= 0) return;
    // Column taps are the same for every row and plane.
    int64_t *x0s = malloc(sizeof(int64_t) * (size_t)ow), *x1s = malloc(sizeof(int64_t) * (size_t)ow);
    float *lx1s = malloc(sizeof(float) * (size_t)ow);
    if (!x0s || !x1s || !lx1s) { free(x0s); free(x1s); free(lx1s); bilinear_serial(out, x, nc, ih, iw, oh, ow, align_corners, scale_h, scale_w); return; }
    for (int64_t ox = 0; ox < ow; ox++) {
        float sx = source_index(scale_w, ox, align_corners);
        int64_t x0 = (int64_t)sx;
        if (x0 > iw - 1) x0 = iw - 1;
        x0s[ox] = x0;
        x1s[ox] = x0 + (x0 < iw - 1 ? 1 : 0);
        lx1s[ox] = sx - (float)x0;
    }
    struct bilinear_ctx c = {out, x, ih, iw, oh, ow, align_corners, scale_h, x0s, x1s, lx1s};
    int64_t grain = ow >= 4096 ? 1 : 4096 / ow;
    mlus_parallel_for(nc * oh, grain, bilinear_rows, &c);
    free(x0s); free(x1s); free(lx1s);
}

// Fallback when the tap tables cannot be allocated: the same arithmetic, one row at a time.
static void bilinear_serial(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                            int64_t oh, int64_t ow, int align_corners, float scale_h, float scale_w) {
    for (int64_t p = 0; p < nc; p++) {
        const float *src = x + p * ih * iw;
        float *dst = out + p * oh * ow;
        for (int64_t oy = 0; oy < oh; oy++) {
            float sy = source_index(scale_h, oy, align_corners);
            int64_t y0 = (int64_t)sy;
            if (y0 > ih - 1) y0 = ih - 1;
            int64_t y1 = y0 + (y0 < ih - 1 ? 1 : 0);
            float ly1 = sy - (float)y0, ly0 = 1.0f - ly1;
            const float *r0 = src + y0 * iw, *r1 = src + y1 * iw;
            float *d = dst + oy * ow;
            for (int64_t ox = 0; ox < ow; ox++) {
                float sx = source_index(scale_w, ox, align_corners);
                int64_t a = (int64_t)sx;
                if (a > iw - 1) a = iw - 1;
                int64_t b = a + (a < iw - 1 ? 1 : 0);
                float lx1 = sx - (float)a, lx0 = 1.0f - lx1;
                d[ox] = ly0 * (lx0 * r0[a] + lx1 * r0[b]) + ly1 * (lx0 * r1[a] + lx1 * r1[b]);
            }
        }
    }
}
