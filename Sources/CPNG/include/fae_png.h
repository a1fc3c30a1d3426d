#ifndef FAE_PNG_H
#define FAE_PNG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result codes of the fae_png_* functions. On any code but FAE_PNG_OK the caller's message buffer
/// holds a NUL-terminated one-line explanation and no output buffer is left allocated.
typedef enum {
    FAE_PNG_OK = 0,
    FAE_PNG_INVALID_ARGUMENT = 1,
    FAE_PNG_LIBPNG_ERROR = 2,   // libpng reported an error (corrupt, truncated or not a PNG)
    FAE_PNG_OUT_OF_MEMORY = 3,
    FAE_PNG_TOO_LARGE = 4,      // the header's width * height is over the caller's limit
} fae_png_status;

/// Decodes a PNG of any colour type and bit depth to RGB8 (HWC, no padding):
/// palette and gray are expanded to RGB, 16-bit samples are scaled to 8 bits (rounded),
/// an alpha channel (or tRNS transparency) is composited over white. Gamma chunks are ignored:
/// samples are taken as sRGB values as stored.
/// Images whose header gives more than `maximum_pixels` pixels (width * height) are refused with
/// FAE_PNG_TOO_LARGE before anything is allocated for their pixels.
/// On success `*out_pixels` is a malloc'ed buffer of width * height * 3 bytes; release it with fae_png_free.
int fae_png_decode_rgb(const unsigned char *data, size_t size, size_t maximum_pixels,
                       unsigned char **out_pixels, int *out_width, int *out_height,
                       char *message, size_t message_capacity);

/// Encodes `height` rows of `width` RGB8 pixels (HWC, no padding) as an 8-bit RGB PNG.
/// On success `*out_data` is a malloc'ed buffer of `*out_size` bytes; release it with fae_png_free.
int fae_png_encode_rgb(const unsigned char *pixels, int width, int height,
                       unsigned char **out_data, size_t *out_size,
                       char *message, size_t message_capacity);

/// Frees a buffer returned by the functions above (NULL is fine).
void fae_png_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif
