/* utf8: decoding, validation and encoding of UTF-8 text. */
#ifndef INFORME_UTF8_H
#define INFORME_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define UTF8_BAD 0xFFFFFFFFu

/* Decodes the code point at s (n bytes available) and stores its length
 * in *len (at least 1, so callers always advance). Returns UTF8_BAD for a
 * malformed, overlong, surrogate or truncated sequence. */
uint32_t utf8_decode(const char *s, size_t n, size_t *len);
/* Writes cp as UTF-8 into out (4 bytes room); returns the length. */
size_t utf8_encode(uint32_t cp, char *out);
/* Byte offset of the first invalid sequence, or n when s is valid. */
size_t utf8_validate(const char *s, size_t n);
/* Number of code points (a malformed byte counts as one). */
size_t utf8_length(const char *s, size_t n);

#endif
