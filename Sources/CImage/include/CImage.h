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
/// Largest accepted width × height (8192 × 8192): keeps one decoded RGBA image, the tensor copied from it and
/// libjpeg's progressive coefficient buffer together well under 2 GB.
#define MLUS_IMAGE_MAX_PIXELS (1 << 26)
/// Most pixels one byte of a PNG file can expand to: deflate's best ratio is 1032:1, and a 1-bit image packs
/// 8 pixels per inflated byte. A header claiming more than size × this is a lie, refused before allocating.
#define MLUS_PNG_MAX_PIXELS_PER_BYTE (1032 * 8)

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
