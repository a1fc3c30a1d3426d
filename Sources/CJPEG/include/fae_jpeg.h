#ifndef FAE_JPEG_H
#define FAE_JPEG_H
// placeholder
int fae_jpeg_placeholder(void);
#endif
