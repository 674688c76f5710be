#ifndef MLUS_CIMAGE_H
#define MLUS_CIMAGE_H
#include <stddef.h>
#include <stdint.h>

/// Decoded image: 8-bit samples, rows top to bottom, channels interleaved (1 = gray, 3 = RGB, 4 = RGBA).
typedef struct {
    uint8_t *pixels;   /* malloc'd; free with mlus_image_free */
    int width;
    int height;
    int channels;
} mlus_image;

/// Largest accepted width or height; a header claiming more is rejected before any allocation.
#define MLUS_IMAGE_MAX_SIDE 16384

/// Decode a PNG from memory. `want_channels` 0 keeps gray as 1 channel and colour as 3 (alpha dropped),
/// or forces 1, 3 or 4. Returns 0 on success, else writes a message into `error` (size `error_size`).
int mlus_png_decode(const uint8_t *data, size_t size, int want_channels, mlus_image *out, char *error, size_t error_size);

/// Decode a baseline or progressive JPEG from memory to RGB (or gray when `want_channels` is 1).
int mlus_jpeg_decode(const uint8_t *data, size_t size, int want_channels, mlus_image *out, char *error, size_t error_size);

/// Encode 8-bit pixels as PNG into a malloc'd buffer (`*png`, `*png_size`); free with mlus_image_buffer_free.
int mlus_png_encode(const uint8_t *pixels, int width, int height, int channels,
                    uint8_t **png, size_t *png_size, char *error, size_t error_size);

void mlus_image_free(mlus_image *image);
void mlus_image_buffer_free(uint8_t *buffer);

#endif
