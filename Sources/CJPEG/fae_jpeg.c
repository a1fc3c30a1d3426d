#include "fae_jpeg.h"
int fae_jpeg_placeholder(void) { return 0; }
