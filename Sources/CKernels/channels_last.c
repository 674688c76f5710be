#include "CKernels.h"
#include <math.h>
#include <string.h>

// Kernels on channels-last (NHWC memory, NCHW logical) float32 activations, the layout oneDNN's convolutions
// choose on this CPU. Keeping activations in it between convolutions avoids two reorders per layer.

struct nhwc_affine_ctx { float *out; const float *x; const float *scale, *shift; int64_t c; int relu; };

static void nhwc_affine_rows(void *p, int64_t begin, int64_t end) {
    struct nhwc_affine_ctx *a = p;
    int64_t c = a->c;
    for (int64_t r = begin; r < end; r++) {
        const float *src = a->x + r * c;
        float *dst = a->out + r * c;
        if (a->relu) {
            for (int64_t ch = 0; ch < c; ch++) { float v = src[ch] * a->scale[ch] + a->shift[ch]; dst[ch] = v > 0 ? v : 0.0f; }
        } else {
            for (int64_t ch = 0; ch < c; ch++) dst[ch] = src[ch] * a->scale[ch] + a->shift[ch];
        }
    }
}

void mlus_channel_affine_nhwc_f32(float *out, const float *x, const float *scale, const float *shift,
                                  int64_t pixels, int64_t c, int relu) {
    struct nhwc_affine_ctx a = {out, x, scale, shift, c, relu};
    int64_t grain = c >= 4096 ? 1 : 4096 / (c > 0 ? c : 1);
    mlus_parallel_for(pixels, grain, nhwc_affine_rows, &a);
}

struct nhwc_cat_ctx { float *out; const float *const *parts; const int64_t *channels; int64_t count, total; };

static void nhwc_cat_rows(void *p, int64_t begin, int64_t end) {
    struct nhwc_cat_ctx *c = p;
    for (int64_t r = begin; r < end; r++) {
        float *dst = c->out + r * c->total;
        for (int64_t i = 0; i < c->count; i++) {
            int64_t n = c->channels[i];
            memcpy(dst, c->parts[i] + r * n, (size_t)n * sizeof(float));
            dst += n;
        }
    }
}

struct to_nhwc_ctx { float *out; const float *x; int64_t c, hw, blocks; };

// One work item: 64 pixels of one image, every channel: the reads stream along each channel's plane and the
// writes stay within a 64·c block (in cache).
static void to_nhwc_blocks(void *p, int64_t begin, int64_t end) {
    const struct to_nhwc_ctx *k = p;
    const int64_t c = k->c, hw = k->hw;
    for (int64_t item = begin; item < end; item++) {
        const int64_t img = item / k->blocks, p0 = (item % k->blocks) * 64;
        const int64_t p1 = p0 + 64 < hw ? p0 + 64 : hw;
        const float *src = k->x + img * c * hw;
        float *dst = k->out + img * c * hw;
        for (int64_t ch = 0; ch < c; ch++) {
            const float *s = src + ch * hw;
            for (int64_t q = p0; q < p1; q++) dst[q * c + ch] = s[q];
        }
    }
}

void mlus_nchw_to_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t hw) {
    if (n <= 0 || c <= 0 || hw <= 0) return;
    struct to_nhwc_ctx k = {out, x, c, hw, (hw + 63) / 64};
    int64_t per = 64 * c;
    mlus_parallel_for(n * k.blocks, per >= 16384 ? 1 : 16384 / per, to_nhwc_blocks, &k);
}

void mlus_cat_channels_nhwc_f32(float *out, const float *const *parts, const int64_t *channels, int64_t count, int64_t pixels) {
    int64_t total = 0;
    for (int64_t i = 0; i < count; i++) total += channels[i];
    struct nhwc_cat_ctx c = {out, parts, channels, count, total};
    int64_t grain = total >= 4096 ? 1 : 4096 / (total > 0 ? total : 1);
    mlus_parallel_for(pixels, grain, nhwc_cat_rows, &c);
}

static inline float source_coordinate(float scale, int64_t dst, int align_corners) {
    if (align_corners) return scale * (float)dst;
    float s = scale * ((float)dst + 0.5f) - 0.5f;
    return s < 0 ? 0.0f : s;
}

void mlus_resize_bilinear_nhwc_row_f32(float *out_row, const float *x, int64_t c, int64_t ih, int64_t iw, int64_t oh,
                                       int64_t ow, int align_corners, float scale_h, float scale_w, int64_t row) {
    int64_t img = row / oh, oy = row % oh;
    const float *src = x + img * ih * iw * c;
    float sy = source_coordinate(scale_h, oy, align_corners);
    int64_t y0 = (int64_t)sy;
    if (y0 > ih - 1) y0 = ih - 1;
    int64_t y1 = y0 + (y0 < ih - 1 ? 1 : 0);
    float ly1 = sy - (float)y0, ly0 = 1.0f - ly1;
    for (int64_t ox = 0; ox < ow; ox++) {
        float sx = source_coordinate(scale_w, ox, align_corners);
        int64_t x0 = (int64_t)sx;
        if (x0 > iw - 1) x0 = iw - 1;
        int64_t x1 = x0 + (x0 < iw - 1 ? 1 : 0);
        float lx1 = sx - (float)x0, lx0 = 1.0f - lx1;
        const float *a = src + (y0 * iw + x0) * c, *b = src + (y0 * iw + x1) * c;
        const float *d = src + (y1 * iw + x0) * c, *e = src + (y1 * iw + x1) * c;
        float *o = out_row + ox * c;
        for (int64_t ch = 0; ch < c; ch++) o[ch] = ly0 * (lx0 * a[ch] + lx1 * b[ch]) + ly1 * (lx0 * d[ch] + lx1 * e[ch]);
    }
}

struct nhwc_bilinear_ctx { float *out; const float *x; int64_t ih, iw, oh, ow, c; int align_corners; float scale_h, scale_w; };

// Range over output rows of all images (row r: image r / oh, output row r % oh); channels innermost.
static void nhwc_bilinear_rows(void *p, int64_t begin, int64_t end) {
    struct nhwc_bilinear_ctx *k = p;
    for (int64_t r = begin; r < end; r++) {
        mlus_resize_bilinear_nhwc_row_f32(k->out + r * k->ow * k->c, k->x, k->c, k->ih, k->iw, k->oh, k->ow, k->align_corners,
                                          k->scale_h, k->scale_w, r);
    }
}

void mlus_resize_bilinear_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                                   int64_t oh, int64_t ow, int align_corners, float scale_h, float scale_w) {
    if (n <= 0 || c <= 0 || oh <= 0 || ow <= 0) return;
    struct nhwc_bilinear_ctx k = {out, x, ih, iw, oh, ow, c, align_corners, scale_h, scale_w};
    int64_t work = ow * c;
    mlus_parallel_for(n * oh, work >= 4096 ? 1 : 4096 / work, nhwc_bilinear_rows, &k);
}

// Window kernels on channels-last data, with the same index rules as their NCHW versions in pooling.c.
// One work item is one output row (image r / oh, row r % oh); channels are the innermost, vectorised loop.

enum { WINDOW_AVG = 0, WINDOW_ADAPTIVE = 1, WINDOW_NEAREST = 2 };

struct nhwc_window_ctx {
    int kind; float *out; const float *x; int64_t c, ih, iw, oh, ow;
    int64_t kh, kw, sh, sw, ph, pw; int count_include_pad; int64_t divisor_override; float scale_h, scale_w;
};

static inline int64_t nearest_source(int64_t dst, int64_t in, int64_t out, float scale) {
    if (out == in) return dst;
    if (out == 2 * in) return dst >> 1;
    int64_t s = (int64_t)floorf((float)dst * scale);
    return s < in - 1 ? s : in - 1;
}

static void nhwc_window_rows(void *p, int64_t begin, int64_t end) {
    struct nhwc_window_ctx *k = p;
    int64_t c = k->c, ih = k->ih, iw = k->iw, oh = k->oh, ow = k->ow;
    for (int64_t r = begin; r < end; r++) {
        int64_t img = r / oh, oy = r % oh;
        const float *src = k->x + img * ih * iw * c;
        float *dst = k->out + (img * oh + oy) * ow * c;
        for (int64_t ox = 0; ox < ow; ox++) {
            float *o = dst + ox * c;
            if (k->kind == WINDOW_NEAREST) {
                const float *s = src + (nearest_source(oy, ih, oh, k->scale_h) * iw + nearest_source(ox, iw, ow, k->scale_w)) * c;
                for (int64_t ch = 0; ch < c; ch++) o[ch] = s[ch];
                continue;
            }
            int64_t hs, he, ws, we, divisor;
            if (k->kind == WINDOW_ADAPTIVE) {
                hs = (oy * ih) / oh; he = ((oy + 1) * ih + oh - 1) / oh;
                ws = (ox * iw) / ow; we = ((ox + 1) * iw + ow - 1) / ow;
                divisor = (he - hs) * (we - ws);
            } else {
                hs = oy * k->sh - k->ph; ws = ox * k->sw - k->pw;
                he = hs + k->kh; we = ws + k->kw;
                if (he > ih + k->ph) he = ih + k->ph;
                if (we > iw + k->pw) we = iw + k->pw;
                int64_t pool_size = (he - hs) * (we - ws);
                if (hs < 0) hs = 0;
                if (ws < 0) ws = 0;
                if (he > ih) he = ih;
                if (we > iw) we = iw;
                if (k->divisor_override > 0) divisor = k->divisor_override;
                else if (k->count_include_pad) divisor = pool_size;
                else divisor = (he - hs) * (we - ws);
            }
            for (int64_t ch = 0; ch < c; ch++) o[ch] = 0.0f;
            for (int64_t y = hs; y < he; y++)
                for (int64_t xx = ws; xx < we; xx++) {
                    const float *s = src + (y * iw + xx) * c;
                    for (int64_t ch = 0; ch < c; ch++) o[ch] += s[ch];
                }
            for (int64_t ch = 0; ch < c; ch++) o[ch] = divisor == 0 ? 0.0f : o[ch] / (float)divisor;
        }
    }
}

static void nhwc_window(struct nhwc_window_ctx *k, int64_t n) {
    if (n <= 0 || k->c <= 0 || k->oh <= 0 || k->ow <= 0) return;
    int64_t work = k->ow * k->c;
    mlus_parallel_for(n * k->oh, work >= 4096 ? 1 : 4096 / work, nhwc_window_rows, k);
}

void mlus_avg_pool2d_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                              int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                              int64_t ph, int64_t pw, int count_include_pad, int64_t divisor_override) {
    struct nhwc_window_ctx k = {WINDOW_AVG, out, x, c, ih, iw, oh, ow, kh, kw, sh, sw, ph, pw, count_include_pad, divisor_override, 0, 0};
    nhwc_window(&k, n);
}

void mlus_adaptive_avg_pool2d_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                                       int64_t oh, int64_t ow) {
    struct nhwc_window_ctx k = {WINDOW_ADAPTIVE, out, x, c, ih, iw, oh, ow, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    nhwc_window(&k, n);
}

void mlus_resize_nearest_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                                  int64_t oh, int64_t ow, float scale_h, float scale_w) {
    struct nhwc_window_ctx k = {WINDOW_NEAREST, out, x, c, ih, iw, oh, ow, 0, 0, 0, 0, 0, 0, 0, 0, scale_h, scale_w};
    nhwc_window(&k, n);
}
