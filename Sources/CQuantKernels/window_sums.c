#include "CQuantKernels.h"
#include "CKernels.h"
#include <stdlib.h>

// Window sums of the int16 split (FastIntegerConvolution): the sum of the input codes over each output's
// receptive field, per group, for the high and the low piece. The dequantizer adds them times 32768 and 128,
// the share of the +128 shift that keeps the low weight piece in int8 (see mlus_dequantize_nhwc).

struct channel_sum_ctx { const int8_t *high; const uint8_t *low; int64_t c, groups; int32_t *sh, *sl; };

// Per input pixel and group: the sum over the group's channels.
static void channel_sum_rows(void *p, int64_t begin, int64_t end) {
    const struct channel_sum_ctx *k = p;
    const int64_t cg = k->c / k->groups;
    for (int64_t pix = begin; pix < end; pix++) {
        const int8_t *h = k->high + pix * k->c;
        const uint8_t *l = k->low + pix * k->c;
        for (int64_t g = 0; g < k->groups; g++) {
            int32_t a = 0, b = 0;
            for (int64_t i = g * cg; i < (g + 1) * cg; i++) { a += h[i]; b += l[i]; }
            k->sh[pix * k->groups + g] = a;
            k->sl[pix * k->groups + g] = b;
        }
    }
}

struct window_ctx {
    const int32_t *sh, *sl;
    int64_t h, w, groups, kh, kw, sy, sx, py, px, dy, dx, oh, ow;
    int32_t *out_high, *out_low;
};

static void window_rows(void *p, int64_t begin, int64_t end) {
    const struct window_ctx *k = p;
    const int64_t groups = k->groups;
    for (int64_t row = begin; row < end; row++) {
        const int64_t b = row / k->oh, oy = row % k->oh;
        for (int64_t ox = 0; ox < k->ow; ox++) {
            int32_t *oh_ = k->out_high + ((row * k->ow) + ox) * groups, *ol = k->out_low + ((row * k->ow) + ox) * groups;
            for (int64_t g = 0; g < groups; g++) { oh_[g] = 0; ol[g] = 0; }
            for (int64_t i = 0; i < k->kh; i++) {
                const int64_t y = oy * k->sy - k->py + i * k->dy;
                if (y < 0 || y >= k->h) continue;
                for (int64_t j = 0; j < k->kw; j++) {
                    const int64_t x = ox * k->sx - k->px + j * k->dx;
                    if (x < 0 || x >= k->w) continue;
                    const int64_t at = ((b * k->h + y) * k->w + x) * groups;
                    for (int64_t g = 0; g < groups; g++) { oh_[g] += k->sh[at + g]; ol[g] += k->sl[at + g]; }
                }
            }
        }
    }
}

int mlus_window_sums_nhwc(const int8_t *high, const uint8_t *low, int64_t n, int64_t c, int64_t h, int64_t w, int64_t groups,
                          int64_t kh, int64_t kw, int64_t sy, int64_t sx, int64_t py, int64_t px, int64_t dy, int64_t dx,
                          int64_t oh, int64_t ow, int32_t *sum_high, int32_t *sum_low) {
    if (n <= 0 || oh <= 0 || ow <= 0 || groups <= 0) return 0;
    const int64_t pixels = n * h * w;
    int32_t *sh = malloc((size_t)(pixels * groups) * sizeof(int32_t)), *sl = malloc((size_t)(pixels * groups) * sizeof(int32_t));
    if (!sh || !sl) { free(sh); free(sl); return -1; }
    struct channel_sum_ctx cs = {high, low, c, groups, sh, sl};
    int64_t grain = (1 << 14) / (c > 0 ? c : 1);
    mlus_parallel_for(pixels, grain < 1 ? 1 : grain, channel_sum_rows, &cs);
    struct window_ctx wc = {sh, sl, h, w, groups, kh, kw, sy, sx, py, px, dy, dx, oh, ow, sum_high, sum_low};
    int64_t work = ow * kh * kw * groups;
    mlus_parallel_for(n * oh, work >= 4096 ? 1 : 4096 / (work > 0 ? work : 1), window_rows, &wc);
    free(sh);
    free(sl);
    return 0;
}
