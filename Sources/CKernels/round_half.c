#include "CKernels.h"
#include <immintrin.h>

// FP16 rounding of FP32 activations: the MLU's FP16 mode keeps every result in half precision.
void mlus_round_to_half(float *values, size_t count) {
    size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 v = _mm256_loadu_ps(values + i);
        __m128i h = _mm256_cvtps_ph(v, _MM_FROUND_TO_NEAREST_INT);
        _mm256_storeu_ps(values + i, _mm256_cvtph_ps(h));
    }
    for (; i < count; i++) {
        values[i] = _cvtsh_ss(_cvtss_sh(values[i], _MM_FROUND_TO_NEAREST_INT));
    }
}
