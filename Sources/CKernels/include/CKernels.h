#ifndef MLUS_CKERNELS_H
#define MLUS_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/// Round every float to the nearest FP16 value (round to nearest even), in place.
void mlus_round_to_half(float *values, size_t count);

/// float32 -> IEEE half bits (round to nearest even) and back.
void mlus_f32_to_f16(const float *src, uint16_t *dst, size_t count);
void mlus_f16_to_f32(const uint16_t *src, float *dst, size_t count);

/// Binary operators on float32. Values must match `BinaryOperator` in Tensors.
enum mlus_binary_op {
    MLUS_ADD = 0, MLUS_SUB = 1, MLUS_MUL = 2, MLUS_DIV = 3, MLUS_POW = 4,
    MLUS_MAXIMUM = 5, MLUS_MINIMUM = 6
};

/// Broadcasting binary kernel: out[i] = a[ia] op b[ib] over `shape` (rank <= 8).
/// Strides are in elements; a stride of 0 repeats the element (broadcast). `out` is contiguous.
void mlus_binary_f32(int op, float *out, const float *a, const int64_t *a_strides,
                     const float *b, const int64_t *b_strides, const int64_t *shape, int rank);

/// Broadcasting comparison kernel writing 0/1 bytes. op: 0 eq, 1 ne, 2 lt, 3 le, 4 gt, 5 ge.
void mlus_compare_f32(int op, uint8_t *out, const float *a, const int64_t *a_strides,
                      const float *b, const int64_t *b_strides, const int64_t *shape, int rank);

/// Unary operators on contiguous float32. Values must match `UnaryOperator` in Tensors.
enum mlus_unary_op {
    MLUS_ABS = 0, MLUS_NEG = 1, MLUS_EXP = 2, MLUS_LOG = 3, MLUS_SQRT = 4,
    MLUS_RELU = 5, MLUS_SIGMOID = 6, MLUS_TANH = 7, MLUS_SILU = 8, MLUS_GELU = 9,
    MLUS_HARDSWISH = 10, MLUS_HARDSIGMOID = 11, MLUS_CLAMP = 12, MLUS_LEAKY_RELU = 13,
    MLUS_ELU = 14, MLUS_POW_SCALAR = 15, MLUS_RSQRT = 16, MLUS_GELU_TANH = 17
};

/// out[i] = op(x[i]) with parameters p0, p1 (clamp min/max, slope, alpha, exponent). out may equal x.
void mlus_unary_f32(int op, float *out, const float *x, size_t count, float p0, float p1);

/// Per-channel affine on NCHW: out = x * scale[c] + shift[c], optionally followed by ReLU.
void mlus_channel_affine_f32(float *out, const float *x, const float *scale, const float *shift,
                             int64_t n, int64_t c, int64_t inner, int relu);

/// PReLU on NCHW with `slope_count` = 1 or c slopes.
void mlus_prelu_f32(float *out, const float *x, const float *slope, int64_t slope_count,
                    int64_t n, int64_t c, int64_t inner);

/// Softmax (or log-softmax) along the middle axis of a contiguous [outer, dim, inner] block.
void mlus_softmax_f32(float *out, const float *x, int64_t outer, int64_t dim, int64_t inner, int log);

/// Average pooling on NCHW, exactly PyTorch's divisor rules (count_include_pad, ceil_mode windows clipped
/// to input + padding, divisor_override when > 0).
void mlus_avg_pool2d_f32(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                         int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                         int64_t ph, int64_t pw, int count_include_pad, int64_t divisor_override);

/// Max pooling on NCHW with dilation; windows never start beyond the input (ceil_mode is in oh/ow).
void mlus_max_pool2d_f32(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                         int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                         int64_t ph, int64_t pw, int64_t dh, int64_t dw);

/// Adaptive average pooling on NCHW (PyTorch's start = floor(i*in/out), end = ceil((i+1)*in/out)).
void mlus_adaptive_avg_pool2d_f32(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                                  int64_t oh, int64_t ow);

/// Nearest resize on NCHW: src = min(floor(dst * scale), in - 1), scale as PyTorch computes it.
void mlus_resize_nearest_f32(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                             int64_t oh, int64_t ow, float scale_h, float scale_w);

/// Bilinear resize on NCHW. align_corners: src = dst * (in-1)/(out-1); else src = (dst+0.5)*scale-0.5
/// clamped at 0, with `scale` as PyTorch computes it (1/scale_factor when given, else in/out).
void mlus_resize_bilinear_f32(float *out, const float *x, int64_t nc, int64_t ih, int64_t iw,
                              int64_t oh, int64_t ow, int align_corners, float scale_h, float scale_w);

/// Strided copy of float32 (rank <= 8) into a contiguous destination.
void mlus_gather_f32(float *out, const float *x, const int64_t *strides, const int64_t *shape, int rank);

/// Per-channel affine (batch norm) on channels-last data: `pixels` rows of `c` channels, optional ReLU.
void mlus_channel_affine_nhwc_f32(float *out, const float *x, const float *scale, const float *shift,
                                  int64_t pixels, int64_t c, int relu);

/// Concatenates channels-last parts along the channel dimension: each part is `pixels` rows of `channels[i]`.
/// Dense NCHW float32 (`n` images of `c` planes of `hw` values) copied to dense NHWC.
void mlus_nchw_to_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t hw);

void mlus_cat_channels_nhwc_f32(float *out, const float *const *parts, const int64_t *channels, int64_t count, int64_t pixels);

/// Output row `row` (image row / oh, output row row % oh) of `mlus_resize_bilinear_nhwc_f32`: its ow x c values
/// into `out_row`, by the same code (a quantized convolution resizes a part row by row while quantizing it).
void mlus_resize_bilinear_nhwc_row_f32(float *out_row, const float *x, int64_t c, int64_t ih, int64_t iw, int64_t oh,
                                       int64_t ow, int align_corners, float scale_h, float scale_w, int64_t row);

/// Bilinear resize on channels-last data with the same coordinate rules as `mlus_resize_bilinear_f32`.
void mlus_resize_bilinear_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                                   int64_t oh, int64_t ow, int align_corners, float scale_h, float scale_w);

/// Average pooling, adaptive average pooling and nearest resize on channels-last data (same rules as the
/// NCHW kernels).
void mlus_avg_pool2d_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                              int64_t oh, int64_t ow, int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                              int64_t ph, int64_t pw, int count_include_pad, int64_t divisor_override);
void mlus_adaptive_avg_pool2d_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                                       int64_t oh, int64_t ow);
void mlus_resize_nearest_nhwc_f32(float *out, const float *x, int64_t n, int64_t c, int64_t ih, int64_t iw,
                                  int64_t oh, int64_t ow, float scale_h, float scale_w);

/// True when any of the `count` floats is NaN.
int mlus_has_nan_f32(const float *x, size_t count);

/// A function over the index range [begin, end) of a parallel loop.
typedef void (*mlus_range_fn)(void *ctx, int64_t begin, int64_t end);

/// Splits [0, count) into one contiguous range per OpenMP thread (libgomp, shared with oneDNN); runs inline
/// when count < 2 * grain, with one thread, or inside a parallel region.
void mlus_parallel_for(int64_t count, int64_t grain, mlus_range_fn fn, void *ctx);

/// memcpy split across the OpenMP threads for large copies.
void mlus_copy_parallel(void *dst, const void *src, size_t bytes);

/// Heap settings for the engine (glibc mallopt): large freed blocks stay in the heap for reuse.
void mlus_configure_heap(void);

#endif
