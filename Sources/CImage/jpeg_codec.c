// JPEG through libjpeg(-turbo). libjpeg's default error handler calls exit(); this one jumps back
// and reports the message, so a corrupt file is an error, never a dead process.
#include "CImage.h"
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jpeglib.h>

struct mlus_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

static void mlus_jpeg_error_exit(j_common_ptr cinfo) {
    struct mlus_jpeg_error *err = (struct mlus_jpeg_error *)cinfo->err;
    (*cinfo->err->format_message)(cinfo, err->message);
    longjmp(err->jump, 1);
}

static void mlus_jpeg_silence(j_common_ptr cinfo) { (void)cinfo; }

int mlus_jpeg_decode(const uint8_t *data, size_t size, int want_channels, mlus_image *out, char *error, size_t error_size) {
    struct jpeg_decompress_struct cinfo;
    struct mlus_jpeg_error err;
    uint8_t *volatile pixels = NULL;
    memset(&cinfo, 0, sizeof cinfo);
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = mlus_jpeg_error_exit;
    err.base.output_message = mlus_jpeg_silence;
    err.message[0] = 0;
    if (setjmp(err.jump)) {
        if (error && error_size) snprintf(error, error_size, "corrupt JPEG: %s", err.message);
        jpeg_destroy_decompress(&cinfo);
        free(pixels);
        return 1;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_mem_src(&cinfo, data, (unsigned long)size);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.image_width == 0 || cinfo.image_height == 0 ||
        cinfo.image_width > MLUS_IMAGE_MAX_SIDE || cinfo.image_height > MLUS_IMAGE_MAX_SIDE) {
        if (error && error_size) snprintf(error, error_size, "JPEG size %ux%u is outside 1..%d",
                                          cinfo.image_width, cinfo.image_height, MLUS_IMAGE_MAX_SIDE);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    if ((uint64_t)cinfo.image_width * cinfo.image_height > MLUS_IMAGE_MAX_PIXELS) {
        if (error && error_size) snprintf(error, error_size, "JPEG size %ux%u is more than %d pixels",
                                          cinfo.image_width, cinfo.image_height, MLUS_IMAGE_MAX_PIXELS);
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    int channels = want_channels == 1 ? 1 : 3;
    cinfo.out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&cinfo);
    size_t row = (size_t)cinfo.output_width * channels;
    pixels = malloc(row * cinfo.output_height);
    if (!pixels) {
        if (error && error_size) snprintf(error, error_size, "out of memory");
        jpeg_destroy_decompress(&cinfo);
        return 1;
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW line = pixels + row * cinfo.output_scanline;
        jpeg_read_scanlines(&cinfo, &line, 1);
    }
    jpeg_finish_decompress(&cinfo);
    out->pixels = pixels;
    out->width = (int)cinfo.output_width;
    out->height = (int)cinfo.output_height;
    out->channels = channels;
    jpeg_destroy_decompress(&cinfo);
    return 0;
}
