#ifndef FAE_JPEG_H
#define FAE_JPEG_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/// Result codes of the fae_jpeg_* functions. On any code but FAE_JPEG_OK the caller's message
/// buffer holds a NUL-terminated one-line explanation and no output buffer is left allocated.
typedef enum {
    FAE_JPEG_OK = 0,
    FAE_JPEG_INVALID_ARGUMENT = 1,
    FAE_JPEG_LIBJPEG_ERROR = 2,       // libjpeg reported an error (corrupt, truncated or not a JPEG)
    FAE_JPEG_CORRUPT_DATA = 3,        // libjpeg reported a corrupt-data warning; treated as an error
    FAE_JPEG_UNSUPPORTED_COLOR = 4,   // e.g. CMYK/YCCK
    FAE_JPEG_OUT_OF_MEMORY = 5,
    FAE_JPEG_TOO_LARGE = 6,           // the header's width * height is over the caller's limit
} fae_jpeg_status;

/// Encodes `height` rows of `width` RGB8 pixels (HWC, no padding) at `quality` (1...100).
/// `comment` (may be NULL when `comment_length` is 0, at most 65533 bytes) is written as one COM segment.
/// On success `*out_data` is a malloc'ed buffer of `*out_size` bytes; release it with fae_jpeg_free.
int fae_jpeg_encode_rgb(const unsigned char *pixels, int width, int height, int quality,
                        const unsigned char *comment, size_t comment_length,
                        unsigned char **out_data, size_t *out_size,
                        char *message, size_t message_capacity);

/// Decodes a baseline/progressive JPEG to RGB8 (grayscale is expanded to RGB; CMYK is rejected).
///
/// Images whose header gives more than `maximum_pixels` pixels (width * height, before any scaling)
/// are refused with FAE_JPEG_TOO_LARGE before anything is allocated for their pixels.
/// `minimum_side` > 0 decodes at the smallest libjpeg scale M/8 (M = 1...8) whose shorter output side
/// is still at least `minimum_side` (full size when even that is not reached); 0 decodes at full size.
///
/// Warnings that common decoders accept (extraneous bytes before a marker, an unknown JFIF revision or
/// Adobe transform, odd sequential SOS parameters, a missing end marker after a complete single-scan
/// image) do not fail the decode; every other libjpeg warning means damaged pixels and is an error.
/// On success `*out_pixels` is a malloc'ed buffer of width * height * 3 bytes (the output size);
/// release it with fae_jpeg_free.
int fae_jpeg_decode_rgb(const unsigned char *data, size_t size, int minimum_side, size_t maximum_pixels,
                        unsigned char **out_pixels, int *out_width, int *out_height,
                        char *message, size_t message_capacity);

/// Reads only the headers and returns the first COM segment, if any. On success `*out_comment` is
/// NULL (no comment) or a malloc'ed buffer of `*out_length` bytes; release it with fae_jpeg_free.
int fae_jpeg_read_comment(const unsigned char *data, size_t size,
                          unsigned char **out_comment, size_t *out_length,
                          char *message, size_t message_capacity);

/// Frees a buffer returned by the functions above (NULL is fine).
void fae_jpeg_free(void *buffer);

#ifdef __cplusplus
}
#endif

#endif
