#ifndef MLUS_CKERNELS_H
#define MLUS_CKERNELS_H
#include <stddef.h>
#include <stdint.h>

/// Round every float to the nearest FP16 value (round to nearest even), in place.
void mlus_round_to_half(float *values, size_t count);

#endif
