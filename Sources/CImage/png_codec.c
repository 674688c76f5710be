// PNG through libpng's simplified API, which reports errors instead of aborting.
#include "CImage.h"
#include <png.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_error(char *error, size_t size, const char *message) {
    if (error && size) snprintf(error, size, "%s", message);
}

int mlus_png_decode(const uint8_t *data, size_t size, int want_channels, mlus_image *out, char *error, size_t error_size) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_memory(&image, data, size)) {
        set_error(error, error_size, image.message[0] ? image.message : "not a PNG file");
        return 1;
    }
    if (image.width == 0 || image.height == 0 || image.width > MLUS_IMAGE_MAX_SIDE || image.height > MLUS_IMAGE_MAX_SIDE) {
        char msg[128];
        snprintf(msg, sizeof msg, "PNG size %ux%u is outside 1..%d", image.width, image.height, MLUS_IMAGE_MAX_SIDE);
        set_error(error, error_size, msg);
        png_image_free(&image);
        return 1;
    }
    uint64_t pixel_count = (uint64_t)image.width * image.height;
    if (pixel_count > MLUS_IMAGE_MAX_PIXELS || pixel_count > (uint64_t)size * MLUS_PNG_MAX_PIXELS_PER_BYTE) {
        char msg[160];
        if (pixel_count > MLUS_IMAGE_MAX_PIXELS)
            snprintf(msg, sizeof msg, "PNG size %ux%u is more than %d pixels", image.width, image.height, MLUS_IMAGE_MAX_PIXELS);
        else
            snprintf(msg, sizeof msg, "PNG size %ux%u cannot be encoded in a %zu-byte file (truncated or corrupt header)",
                     image.width, image.height, size);
        set_error(error, error_size, msg);
        png_image_free(&image);
        return 1;
    }
    int channels = want_channels;
    if (channels == 0) channels = (image.format & PNG_FORMAT_FLAG_COLOR) ? 3 : 1;
    switch (channels) {
    case 1: image.format = PNG_FORMAT_GRAY; break;
    case 3: image.format = PNG_FORMAT_RGB; break;
    case 4: image.format = PNG_FORMAT_RGBA; break;
    default: set_error(error, error_size, "channels must be 1, 3 or 4"); png_image_free(&image); return 1;
    }
    size_t bytes = (size_t)image.width * image.height * channels;
    uint8_t *pixels = malloc(bytes);
    if (!pixels) { set_error(error, error_size, "out of memory"); png_image_free(&image); return 1; }
    if (!png_image_finish_read(&image, NULL, pixels, 0, NULL)) {
        set_error(error, error_size, image.message[0] ? image.message : "corrupt PNG data");
        free(pixels);
        png_image_free(&image);
        return 1;
    }
    out->pixels = pixels;
    out->width = (int)image.width;
    out->height = (int)image.height;
    out->channels = channels;
    return 0;
}

int mlus_png_encode(const uint8_t *pixels, int width, int height, int channels,
                    uint8_t **png, size_t *png_size, char *error, size_t error_size) {
    png_image image;
    memset(&image, 0, sizeof image);
    image.version = PNG_IMAGE_VERSION;
    image.width = (png_uint_32)width;
    image.height = (png_uint_32)height;
    switch (channels) {
    case 1: image.format = PNG_FORMAT_GRAY; break;
    case 3: image.format = PNG_FORMAT_RGB; break;
    case 4: image.format = PNG_FORMAT_RGBA; break;
    default: set_error(error, error_size, "channels must be 1, 3 or 4"); return 1;
    }
    png_alloc_size_t size = 0;
    if (!png_image_write_to_memory(&image, NULL, &size, 0, pixels, 0, NULL)) {
        set_error(error, error_size, image.message[0] ? image.message : "PNG encoding failed");
        return 1;
    }
    uint8_t *buffer = malloc(size);
    if (!buffer) { set_error(error, error_size, "out of memory"); return 1; }
    if (!png_image_write_to_memory(&image, buffer, &size, 0, pixels, 0, NULL)) {
        set_error(error, error_size, image.message[0] ? image.message : "PNG encoding failed");
        free(buffer);
        return 1;
    }
    *png = buffer;
    *png_size = size;
    return 0;
}

void mlus_image_free(mlus_image *image) {
    if (image && image->pixels) { free(image->pixels); image->pixels = NULL; }
}

void mlus_image_buffer_free(uint8_t *buffer) { free(buffer); }
