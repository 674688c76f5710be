#include "CKernels.h"
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

struct nhwc_bilinear_ctx { float *out; const float *x; int64_t ih, iw, oh, ow, c; int align_corners; float scale_h, scale_w; };

// Range over output rows of all images (row r: image r / oh, output row r % oh); channels innermost.
static void nhwc_bilinear_rows(void *p, int64_t begin, int64_t end) {
    struct nhwc_bilinear_ctx *k = p;
    int64_t ih = k->ih, iw = k->iw, oh = k->oh, ow = k->ow, c = k->c;
    for (int64_t r = begin; r < end; r++) {
        int64_t img = r / oh, oy = r % oh;
        const float *src = k->x + img * ih * iw * c;
        float sy = source_coordinate(k->scale_h, oy, k->align_corners);
        int64_t y0 = (int64_t)sy;
        if (y0 > ih - 1) y0 = ih - 1;
        int64_t y1 = y0 + (y0 < ih - 1 ? 1 : 0);
        float ly1 = sy - (float)y0, ly0 = 1.0f - ly1;
        float *dst = k->out + (img * oh + oy) * ow * c;
        for (int64_t ox = 0; ox < ow; ox++) {
            float sx = source_coordinate(k->scale_w, ox, k->align_corners);
            int64_t x0 = (int64_t)sx;
            if (x0 > iw - 1) x0 = iw - 1;
            int64_t x1 = x0 + (x0 < iw - 1 ? 1 : 0);
            float lx1 = sx - (float)x0, lx0 = 1.0f - lx1;
            const float *a = src + (y0 * iw + x0) * c, *b = src + (y0 * iw + x1) * c;
            const float *d = src + (y1 * iw + x0) * c, *e = src + (y1 * iw + x1) * c;
            float *o = dst + ox * c;
            for (int64_t ch = 0; ch < c; ch++) o[ch] = ly0 * (lx0 * a[ch] + lx1 * b[ch]) + ly1 * (lx0 * d[ch] + lx1 * e[ch]);
        }
    }
}

void mlus_resize_bilinear_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                                   int64_t oh, int64_t ow, int align_corners, float scale_h, float scale_w) {
    if (n <= 0 || c <= 0 || oh <= 0 || ow <= 0) return;
    struct nhwc_bilinear_ctx k = {out, x, ih, iw, oh, ow, c, align_corners, scale_h, scale_w};
    int64_t work = ow * c;
    mlus_parallel_for(n * oh, work >= 4096 ? 1 : 4096 / work, nhwc_bilinear_rows, &k);
}
