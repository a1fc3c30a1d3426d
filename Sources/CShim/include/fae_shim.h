#ifndef FAE_SHIM_H
#define FAE_SHIM_H

#include <stddef.h>

// What the image shims (CJPEG, CPNG) share: the caller-owned message buffer, filled with one
// NUL-terminated line on failure, and handing a result's malloc'ed buffer over to the caller.
// Status 0 is every shim's OK code.

/// Writes `text` into `message`, truncated to `capacity` (nothing when `message` is NULL or `capacity` is 0).
void fae_set_message(char *message, size_t capacity, const char *text);

/// Sets the message and returns `status`, so that a refusal is one `return fae_fail(...)`.
int fae_fail(char *message, size_t capacity, int status, const char *text);

/// A malloc'ed output that grows as it fills; its owner frees `bytes` (NULL before the first growth).
typedef struct {
    unsigned char *bytes;
    size_t capacity;
    size_t size;  // bytes written so far
} fae_growing_buffer;

/// Grows `buffer` to hold at least `minimum` bytes (capacity doubling from 4096); 0 when out of memory,
/// with the old bytes kept.
int fae_grow_buffer(fae_growing_buffer *buffer, size_t minimum);

/// On status 0 gives `pixels` and the image size to the caller; otherwise frees `pixels`. Returns `status`.
int fae_hand_over_image(int status, unsigned char *pixels, int width, int height,
                        unsigned char **out_pixels, int *out_width, int *out_height);

/// On status 0 gives `buffer` of `size` bytes to the caller; otherwise frees it. Returns `status`.
int fae_hand_over_buffer(int status, unsigned char *buffer, size_t size, unsigned char **out_data, size_t *out_size);

#endif
