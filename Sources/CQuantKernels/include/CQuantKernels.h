#ifndef MLUS_CQUANTKERNELS_H
#define MLUS_CQUANTKERNELS_H
#include <stdint.h>

// Element kernels around the oneDNN integer convolution of the MLU emulation (Sources/Quantization,
// docs/quantization.md): quantizing activations into NHWC integer codes and dequantizing the exact integer
// sums. Both reproduce the reference arithmetic of QuantizedCompute bit for bit.

/// Quantizes a rank-4 float tensor (logical NCHW `shape`, element `strides`) into dense NHWC integer codes:
/// `v = x` or, when `mean`/`std` are given, `v = (x - mean[c]) / std[c]` (float32), then
/// `q = clamp(round_half_away_from_zero(v * scale), qmin, qmax)` with `v * scale` in float32 and NaN -> 0.
/// `split16 == 0`: int8 codes (qmin -128, qmax 127) into `high`.
/// `split16 != 0`: int16 codes (qmin -32768, qmax 32767) as `q = 256 * high + low`, `high` = q >> 8 (int8),
/// `low` = q & 255 (uint8).
/// The codes of pixel p, channel c go to index `p * pixel_stride + channel_offset + c`: `pixel_stride` = the
/// channel count and `channel_offset` = 0 for one dense tensor; a wider stride and an offset place the tensor's
/// channels inside a concatenation (a convolution reading `cat(parts, dim=1)` quantizes each part in place).
/// `split16` with `sum_high`/`sum_low` (else NULL): each pixel's sums of this tensor's high and low codes are
/// added to `sum_*[pixel]` (n·h·w entries; zero them before the first part), the channel sums the window sums of
/// `mlus_window_sums_nhwc` start from, computed while the codes are still in cache.
void mlus_quantize_to_nhwc(const float *x, const int64_t shape[4], const int64_t strides[4], float scale,
                           const float *mean, const float *std, int split16, int8_t *high, uint8_t *low,
                           int64_t pixel_stride, int64_t channel_offset, int32_t *sum_high, int32_t *sum_low);

/// `mlus_quantize_to_nhwc` (no normalization) of the bilinear resize of `x`, a dense NHWC float32 tensor of `n`
/// images of ih x iw pixels and `c` channels, to oh x ow: the values `mlus_resize_bilinear_nhwc_f32` gives (the
/// same code, row by row), quantized without being stored as floats. A quantized convolution reading an
/// upsampled tensor (CarSegNet's decoder) saves writing and reading it. Returns 0, or -1 when out of memory.
int mlus_quantize_resized_to_nhwc(const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw, int64_t oh, int64_t ow,
                                  int align_corners, float scale_h, float scale_w, float scale, int split16, int8_t *high,
                                  uint8_t *low, int64_t pixel_stride, int64_t channel_offset, int32_t *sum_high, int32_t *sum_low);

/// Dequantizes exact integer sums laid out NHWC (`n` x `oh` x `ow` pixels) into float32 with `dst_strides`
/// (elements, logical NCHW order): `y[o] = (float)((double)acc[o] / divisor[o]) + bias[o]`, the reference's
/// float64 division rounded once to float32, then the float32 bias (`bias` may be NULL: adds 0).
///
/// `pieces == 1` (int8): `p0` has `groups * og` channels per pixel and `acc[o] = p0[o]`.
/// `pieces == 2` (int16 split): `p0` (high input piece) and `p1` (low input piece) have `groups * 2 og`
/// channels per pixel, and `s0`/`s1` the window sums of the two pieces (`mlus_window_sums_nhwc`, `groups` per
/// pixel); for output `o = g og + k`, `b = g 2 og` and `q = pixel * groups + g`:
/// `acc = 65536 p0[b+k] + 256 p0[b+og+k] + 32768 s0[q] + 256 p1[b+k] + p1[b+og+k] + 128 s1[q]`.
/// Then the epilogue of the layers fused into the convolution, per output channel `o` (both optional):
/// `v = fmaf(v, scale[o], shift[o])` (an inference BatchNorm, computed as `mlus_channel_affine_f32` computes it:
/// one fused multiply-add) when `scale` is not NULL, then `v = v > 0 ? v : (v is NaN ? v : 0)` when `relu`
/// (the ReLU kernel's rule: NaN propagates, -0 becomes +0).
/// Returns 0, or -1 when scratch memory could not be allocated (the output is then incomplete).
int mlus_dequantize_nhwc(const int32_t *p0, const int32_t *p1, const int32_t *s0, const int32_t *s1, int pieces,
                          int64_t n, int64_t oh, int64_t ow,
                          int64_t groups, int64_t og, const double *divisor, const float *bias,
                          const float *scale, const float *shift, int relu, float *dst, const int64_t dst_strides[4]);

/// `mlus_dequantize_nhwc` for int8 sums (`pieces` 1, one group) followed by the next convolution's quantization:
/// each dequantized value `v` (epilogue included) becomes the int8 code `clamp(round_half_away(v * code_scale))`
/// (float32 product, NaN -> 0, as `mlus_quantize_to_nhwc` computes it), written dense NHWC to `codes`. Returns 0;
/// 1 when this pass does not apply (`outs` not a multiple of 8, or a reciprocal outside the safe range: nothing is
/// written, dequantize to floats and quantize instead); -1 when out of memory.
int mlus_dequantize_to_codes_nhwc(const int32_t *p0, int64_t n, int64_t oh, int64_t ow, int64_t outs, const double *divisor,
                                  const float *bias, const float *scale, const float *shift, int relu, float code_scale,
                                  int8_t *codes);

/// The float32 rounding of `acc * reciprocal` equals that of `acc / divisor` unless a rounding boundary of
/// float32 lies near; exposed for tests: returns 1 when `(float)(acc * reciprocal)` is proven equal to
/// `(float)(acc / divisor)` by the check the dequantizer uses, 0 when it falls back to the division.
int mlus_dequantize_fast_is_safe(double acc, double reciprocal);

/// The int16 split's window sums: for each output pixel (NHWC order, `n` x `oh` x `ow`) and group, the sum of
/// the codes of `high` (int8) and of `low` (uint8), dense NHWC inputs of `c` channels, over the output's receptive
/// field (kernel `kh` x `kw`, stride, zero padding, dilation) and the group's channels: what an all-ones weight
/// channel would compute, without the convolution having to carry it. `channel_sums_high/low`: the per-pixel
/// channel sums `mlus_quantize_to_nhwc` accumulated (used when `groups == 1`; NULL computes them here).
/// Returns 0, or -1 when out of memory.
int mlus_window_sums_nhwc(const int8_t *high, const uint8_t *low, const int32_t *channel_sums_high,
                          const int32_t *channel_sums_low, int64_t n, int64_t c, int64_t h, int64_t w, int64_t groups,
                          int64_t kh, int64_t kw, int64_t sy, int64_t sx, int64_t py, int64_t px, int64_t dy, int64_t dx,
                          int64_t oh, int64_t ow, int32_t *sum_high, int32_t *sum_low);

/// Smallest and largest of `count` floats, NaN ignored (the calibration observer's range of one input);
/// +inf/-inf when `count` is 0 or every value is NaN.
void mlus_min_max_f32(const float *x, int64_t count, float *min_out, float *max_out);

#endif
