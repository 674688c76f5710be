#include "CQuantKernels.h"
#include "CKernels.h"
#include "byte_sum.h"
#include <stdlib.h>

// Window sums of the int16 split (FastIntegerConvolution): the sum of the input codes over each output's
// receptive field, per group, for the high and the low piece. The dequantizer adds them times 32768 and 128,
// the share of the +128 shift that keeps the low weight piece in int8 (see mlus_dequantize_nhwc).

struct channel_sum_ctx { const int8_t *high; const uint8_t *low; int64_t c, groups; int32_t *sh, *sl; };

// Per input pixel and group: the sum over the group's channels.
static void channel_sum_rows(void *p, int64_t begin, int64_t end) {
    const struct channel_sum_ctx *k = p;
    const int8_t *restrict high = k->high;
    const uint8_t *restrict low = k->low;
    int32_t *restrict sh = k->sh, *restrict sl = k->sl;
    const int64_t c = k->c, groups = k->groups, cg = c / groups;
    for (int64_t pix = begin; pix < end; pix++) {
        const int8_t *h = high + pix * c;
        const uint8_t *l = low + pix * c;
        for (int64_t g = 0; g < groups; g++) piece_sums(h + g * cg, l + g * cg, cg, sh + pix * groups + g, sl + pix * groups + g);
    }
}

struct window_ctx {
    const int32_t *sh, *sl;
    int64_t h, w, groups, kh, kw, sy, sx, py, px, dy, dx, oh, ow;
    int32_t *out_high, *out_low;
};

static void window_rows(void *p, int64_t begin, int64_t end) {
    const struct window_ctx *k = p;
    const int32_t *restrict sh = k->sh, *restrict sl = k->sl;
    int32_t *restrict out_high = k->out_high, *restrict out_low = k->out_low;
    const int64_t h = k->h, w = k->w, groups = k->groups, kh = k->kh, kw = k->kw, sy = k->sy, sx = k->sx;
    const int64_t py = k->py, px = k->px, dy = k->dy, dx = k->dx, oh = k->oh, ow = k->ow;
    for (int64_t row = begin; row < end; row++) {
        const int64_t b = row / oh, oy = row % oh;
        int32_t *restrict acc_h = out_high + row * ow * groups, *restrict acc_l = out_low + row * ow * groups;
        for (int64_t q = 0; q < ow * groups; q++) { acc_h[q] = 0; acc_l[q] = 0; }
        for (int64_t i = 0; i < kh; i++) {
            const int64_t y = oy * sy - py + i * dy;
            if (y < 0 || y >= h) continue;
            const int32_t *restrict rh = sh + (b * h + y) * w * groups, *restrict rl = sl + (b * h + y) * w * groups;
            for (int64_t j = 0; j < kw; j++) {
                // Tap j reads input column ox * sx + off: the outputs [lo, hi) see it inside the image.
                const int64_t off = j * dx - px;
                if (off > w - 1) continue;
                const int64_t lo = off < 0 ? (-off + sx - 1) / sx : 0;
                int64_t hi = (w - 1 - off) / sx + 1;
                if (hi > ow) hi = ow;
                if (groups == 1 && sx == 1) {
                    for (int64_t ox = lo; ox < hi; ox++) { acc_h[ox] += rh[ox + off]; acc_l[ox] += rl[ox + off]; }
                } else if (groups == 1) {
                    for (int64_t ox = lo; ox < hi; ox++) { acc_h[ox] += rh[ox * sx + off]; acc_l[ox] += rl[ox * sx + off]; }
                } else {
                    for (int64_t ox = lo; ox < hi; ox++) {
                        for (int64_t g = 0; g < groups; g++) {
                            acc_h[ox * groups + g] += rh[(ox * sx + off) * groups + g];
                            acc_l[ox * groups + g] += rl[(ox * sx + off) * groups + g];
                        }
                    }
                }
            }
        }
    }
}

int mlus_window_sums_nhwc(const int8_t *high, const uint8_t *low, const int32_t *channel_sums_high,
                          const int32_t *channel_sums_low, int64_t n, int64_t c, int64_t h, int64_t w, int64_t groups,
                          int64_t kh, int64_t kw, int64_t sy, int64_t sx, int64_t py, int64_t px, int64_t dy, int64_t dx,
                          int64_t oh, int64_t ow, int32_t *sum_high, int32_t *sum_low) {
    if (n <= 0 || oh <= 0 || ow <= 0 || groups <= 0) return 0;
    const int64_t pixels = n * h * w;
    int32_t *sh = NULL, *sl = NULL;
    const int32_t *csh = channel_sums_high, *csl = channel_sums_low;
    if (groups != 1 || !csh || !csl) {
        sh = malloc((size_t)(pixels * groups) * sizeof(int32_t));
        sl = malloc((size_t)(pixels * groups) * sizeof(int32_t));
        if (!sh || !sl) { free(sh); free(sl); return -1; }
        struct channel_sum_ctx cs = {high, low, c, groups, sh, sl};
        int64_t grain = (1 << 14) / (c > 0 ? c : 1);
        mlus_parallel_for(pixels, grain < 1 ? 1 : grain, channel_sum_rows, &cs);
        csh = sh;
        csl = sl;
    }
    struct window_ctx wc = {csh, csl, h, w, groups, kh, kw, sy, sx, py, px, dy, dx, oh, ow, sum_high, sum_low};
    int64_t work = ow * kh * kw * groups;
    mlus_parallel_for(n * oh, work >= 4096 ? 1 : 4096 / (work > 0 ? work : 1), window_rows, &wc);
    free(sh);
    free(sl);
    return 0;
}
