#include "fae_shim.h"

#include <stdio.h>
#include <stdlib.h>

void fae_set_message(char *message, size_t capacity, const char *text) {
    if (message == NULL || capacity == 0) return;
    snprintf(message, capacity, "%s", text);
}

int fae_fail(char *message, size_t capacity, int status, const char *text) {
    fae_set_message(message, capacity, text);
    return status;
}

int fae_grow_buffer(fae_growing_buffer *buffer, size_t minimum) {
    size_t capacity = buffer->capacity > 0 ? buffer->capacity : 4096;
    while (capacity < minimum) capacity *= 2;
    unsigned char *bytes = realloc(buffer->bytes, capacity);
    if (bytes == NULL) return 0;
    buffer->bytes = bytes;
    buffer->capacity = capacity;
    return 1;
}

int fae_hand_over_image(int status, unsigned char *pixels, int width, int height,
                        unsigned char **out_pixels, int *out_width, int *out_height) {
    if (status != 0) {
        free(pixels);
        return status;
    }
    *out_pixels = pixels;
    *out_width = width;
    *out_height = height;
    return status;
}

int fae_hand_over_buffer(int status, unsigned char *buffer, size_t size, unsigned char **out_data, size_t *out_size) {
    if (status != 0) {
        free(buffer);
        return status;
    }
    *out_data = buffer;
    *out_size = size;
    return status;
}
