// libpng behind a small C API. libpng reports errors by calling our error function and then
// longjmp-ing to the jmp_buf set with setjmp(png_jmpbuf(png)); Swift cannot call setjmp, so this lives here.
//
// Pattern (as in CJPEG): each public function keeps its buffers in a `*_state` struct owned by its own
// frame and calls a `*_run` helper that does the setjmp and all libpng calls. After a longjmp only the
// helper's frame is unwound, so the public function frees the state's buffers safely on every path.

#include "fae_png.h"
#include "fae_shim.h"

#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <png.h>

// The largest side the encoder writes. Decoding limits the pixel count instead (the caller's limit).
#define FAE_PNG_MAX_SIDE 16384u

typedef struct {
    char *message;
    size_t capacity;
} error_target;

static void fae_png_error(png_structp png, png_const_charp text) {
    error_target *target = (error_target *)png_get_error_ptr(png);
    if (target != NULL) fae_set_message(target->message, target->capacity, text);
    png_longjmp(png, 1);
}

// Warnings (e.g. a bad ancillary chunk) do not affect the pixels; keep them off stderr.
static void fae_png_warning(png_structp png, png_const_charp text) {
    (void)png;
    (void)text;
}

void fae_png_free(void *buffer) { free(buffer); }

// MARK: - Decode

typedef struct {
    const unsigned char *data;
    size_t size;
    size_t offset;
} read_source;

static void read_from_memory(png_structp png, png_bytep out, size_t length) {
    read_source *source = (read_source *)png_get_io_ptr(png);
    if (length > source->size - source->offset) png_error(png, "PNG data ended early");
    memcpy(out, source->data + source->offset, length);
    source->offset += length;
}

typedef struct {
    unsigned char *rgba;    // what libpng writes: RGBA8 after the transforms below (one row, or all rows if interlaced)
    png_bytep *rows;        // row pointers into rgba (interlaced images only)
    unsigned char *pixels;  // the RGB8 result
    int width;
    int height;
} decode_state;

// Composites `count` RGBA8 pixels over white into RGB8, rounding to nearest: transparent regions of icons
// and cut-outs become the white background a drawing would have, instead of whatever colour the
// invisible pixels hold.
static void composite_over_white(const unsigned char *rgba, unsigned char *rgb, size_t count) {
    for (size_t i = 0; i < count; i++) {
        const unsigned char *in = rgba + 4 * i;
        unsigned char *out = rgb + 3 * i;
        const unsigned alpha = in[3];
        if (alpha == 255) {
            out[0] = in[0];
            out[1] = in[1];
            out[2] = in[2];
        } else {
            const unsigned white = 255u * (255u - alpha);
            for (int c = 0; c < 3; c++) out[c] = (unsigned char)((in[c] * alpha + white + 127u) / 255u);
        }
    }
}

static int decode_run(decode_state *state, read_source *source, size_t maximum_pixels, char *message, size_t capacity) {
    error_target target = {message, capacity};
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &target, fae_png_error, fae_png_warning);
    if (png == NULL) return fae_fail(message, capacity, FAE_PNG_OUT_OF_MEMORY, "out of memory decoding PNG");
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_read_struct(&png, NULL, NULL);
        return fae_fail(message, capacity, FAE_PNG_OUT_OF_MEMORY, "out of memory decoding PNG");
    }
    // png and info are not modified after setjmp, so they keep their values after a longjmp.
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return FAE_PNG_LIBPNG_ERROR;
    }
    // The pixel-count check below replaces libpng's per-side limit, so that a too large image gets
    // one message that gives its size and the limit.
    png_set_user_limits(png, PNG_UINT_31_MAX, PNG_UINT_31_MAX);
    png_set_read_fn(png, source, read_from_memory);
    png_read_info(png, info);

    const png_uint_32 width = png_get_image_width(png, info), height = png_get_image_height(png, info);
    const unsigned long long header_pixels = (unsigned long long)width * height;
    if (header_pixels > maximum_pixels) {
        if (message != NULL && capacity > 0) {
            snprintf(message, capacity, "image is %ux%u (%llu pixels), more than the limit of %zu pixels",
                     (unsigned)width, (unsigned)height, header_pixels, maximum_pixels);
        }
        png_destroy_read_struct(&png, &info, NULL);
        return FAE_PNG_TOO_LARGE;
    }
    const int color_type = png_get_color_type(png, info), bit_depth = png_get_bit_depth(png, info);
    const int interlaced = png_get_interlace_type(png, info) != PNG_INTERLACE_NONE;
    // Everything becomes RGBA8: scale_16 rounds (strip_16 would truncate); tRNS becomes real alpha;
    // opaque images get a 0xFF filler so that one compositing loop handles every case.
    if (bit_depth == 16) png_set_scale_16(png);
    if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
    if (color_type == PNG_COLOR_TYPE_GRAY && bit_depth < 8) png_set_expand_gray_1_2_4_to_8(png);
    if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
    if (color_type == PNG_COLOR_TYPE_GRAY || color_type == PNG_COLOR_TYPE_GRAY_ALPHA) png_set_gray_to_rgb(png);
    png_set_filler(png, 0xFF, PNG_FILLER_AFTER);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    if (width == 0 || height == 0 || png_get_rowbytes(png, info) != (size_t)width * 4) {
        png_destroy_read_struct(&png, &info, NULL);
        return fae_fail(message, capacity, FAE_PNG_LIBPNG_ERROR, "unexpected PNG output layout");
    }
    const size_t pixel_count = (size_t)header_pixels;  // <= maximum_pixels
    const size_t row_pixels = (size_t)width;
    // Interlaced passes revisit every row, so they need the whole RGBA image; otherwise one RGBA row
    // at a time is composited straight into the result, which saves 4 bytes per pixel.
    state->rgba = malloc(interlaced ? pixel_count * 4 : row_pixels * 4);
    state->rows = interlaced ? malloc((size_t)height * sizeof(png_bytep)) : NULL;
    state->pixels = malloc(pixel_count * 3);
    if (state->rgba == NULL || (interlaced && state->rows == NULL) || state->pixels == NULL) {
        png_destroy_read_struct(&png, &info, NULL);
        return fae_fail(message, capacity, FAE_PNG_OUT_OF_MEMORY, "out of memory decoding PNG");
    }
    if (interlaced) {
        for (png_uint_32 y = 0; y < height; y++) state->rows[y] = state->rgba + (size_t)y * row_pixels * 4;
        png_read_image(png, state->rows);
        composite_over_white(state->rgba, state->pixels, pixel_count);
    } else {
        for (png_uint_32 y = 0; y < height; y++) {
            png_read_row(png, state->rgba, NULL);
            composite_over_white(state->rgba, state->pixels + (size_t)y * row_pixels * 3, row_pixels);
        }
    }
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);
    state->width = (int)width;
    state->height = (int)height;
    return FAE_PNG_OK;
}

int fae_png_decode_rgb(const unsigned char *data, size_t size, size_t maximum_pixels,
                       unsigned char **out_pixels, int *out_width, int *out_height,
                       char *message, size_t message_capacity) {
    fae_set_message(message, message_capacity, "");
    if (out_pixels == NULL || out_width == NULL || out_height == NULL) {
        return fae_fail(message, message_capacity, FAE_PNG_INVALID_ARGUMENT, "missing output argument");
    }
    *out_pixels = NULL;
    *out_width = 0;
    *out_height = 0;
    if (data == NULL || size < 8) {
        return fae_fail(message, message_capacity, FAE_PNG_INVALID_ARGUMENT, "empty or truncated PNG data");
    }
    if (png_sig_cmp(data, 0, 8) != 0) {
        return fae_fail(message, message_capacity, FAE_PNG_LIBPNG_ERROR, "not a PNG file (bad signature)");
    }
    read_source source = {data, size, 0};
    decode_state state;
    memset(&state, 0, sizeof state);
    int status = decode_run(&state, &source, maximum_pixels, message, message_capacity);
    free(state.rgba);
    free(state.rows);
    return fae_hand_over_image(status, state.pixels, state.width, state.height, out_pixels, out_width, out_height);
}

// MARK: - Encode

// The state owns the growing output buffer, so it is freed exactly once whatever happens in libpng.
typedef struct {
    fae_growing_buffer output;
    int out_of_memory;
} encode_state;

static void write_to_memory(png_structp png, png_bytep data, size_t length) {
    encode_state *state = (encode_state *)png_get_io_ptr(png);
    fae_growing_buffer *output = &state->output;
    if (length > output->capacity - output->size && !fae_grow_buffer(output, output->size + length)) {
        state->out_of_memory = 1;
        png_error(png, "out of memory encoding PNG");
    }
    memcpy(output->bytes + output->size, data, length);
    output->size += length;
}

static void flush_memory(png_structp png) { (void)png; }

static int encode_run(encode_state *state, const unsigned char *pixels, int width, int height,
                      char *message, size_t capacity) {
    error_target target = {message, capacity};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &target, fae_png_error, fae_png_warning);
    if (png == NULL) return fae_fail(message, capacity, FAE_PNG_OUT_OF_MEMORY, "out of memory encoding PNG");
    png_infop info = png_create_info_struct(png);
    if (info == NULL) {
        png_destroy_write_struct(&png, NULL);
        return fae_fail(message, capacity, FAE_PNG_OUT_OF_MEMORY, "out of memory encoding PNG");
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        return FAE_PNG_LIBPNG_ERROR;
    }
    png_set_write_fn(png, state, write_to_memory, flush_memory);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(png, info);
    const size_t stride = (size_t)width * 3;
    for (int y = 0; y < height; y++) {
        // libpng's API is not const-correct; it does not write to input rows.
        png_write_row(png, (png_bytep)(pixels + (size_t)y * stride));
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    return FAE_PNG_OK;
}

int fae_png_encode_rgb(const unsigned char *pixels, int width, int height,
                       unsigned char **out_data, size_t *out_size,
                       char *message, size_t message_capacity) {
    fae_set_message(message, message_capacity, "");
    if (out_data == NULL || out_size == NULL || pixels == NULL) {
        return fae_fail(message, message_capacity, FAE_PNG_INVALID_ARGUMENT, "missing buffer argument");
    }
    *out_data = NULL;
    *out_size = 0;
    if (width <= 0 || height <= 0 || (unsigned)width > FAE_PNG_MAX_SIDE || (unsigned)height > FAE_PNG_MAX_SIDE) {
        return fae_fail(message, message_capacity, FAE_PNG_INVALID_ARGUMENT, "image size out of range for PNG (1...16384 per side)");
    }
    encode_state state;
    memset(&state, 0, sizeof state);
    if (!fae_grow_buffer(&state.output, (size_t)width * (size_t)height * 3 / 2 + 1024)) {
        return fae_fail(message, message_capacity, FAE_PNG_OUT_OF_MEMORY, "out of memory encoding PNG");
    }
    int status = encode_run(&state, pixels, width, height, message, message_capacity);
    if (state.out_of_memory) status = FAE_PNG_OUT_OF_MEMORY;
    return fae_hand_over_buffer(status, state.output.bytes, state.output.size, out_data, out_size);
}
