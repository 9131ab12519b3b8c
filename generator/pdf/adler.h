/* adler: the Adler-32 checksum that ends a zlib stream (RFC 1950), 16
 * bytes at a time.
 *
 * zlib computes it a byte at a time as it reads what it deflates (two
 * additions a byte); informe's streams are deflated raw and wrapped by
 * zpipe_deflate, which checksums the input with this. With SSE2 (every
 * x86-64) a block of 16 bytes takes a few vector operations: the sum of
 * its bytes (psadbw) and their sum weighted 16 down to 1 (pmaddwd);
 * elsewhere zlib's own adler32 does the work. Either gives zlib's value. */
#ifndef INFORME_ADLER_H
#define INFORME_ADLER_H

#include <stddef.h>
#include <stdint.h>

/* The checksum that starts a stream. */
#define ADLER_INIT 1u

/* adler updated with the n bytes at data. */
uint32_t adler_update(uint32_t adler, const void *data, size_t n);

#endif
