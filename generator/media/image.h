/* image: decoding of the pictures a report embeds (logos), done by informe
 * itself so that a bad file is a clean error and never reaches libharu.
 *
 * PNG is decoded with libpng under our own setjmp into 8-bit grey or RGB
 * samples plus an optional 8-bit alpha plane (palette, tRNS colour keys,
 * 16-bit and interlaced files are all normalised). JPEG is not decoded:
 * its markers are walked to read the size and to make sure the file is
 * complete, and the PDF writer embeds the bytes as they are. */
#ifndef INFORME_IMAGE_H
#define INFORME_IMAGE_H

#include "base/arena.h"
#include "base/diag.h"

#include <stdbool.h>
#include <stddef.h>

enum image_format { IMAGE_PNG, IMAGE_JPEG };

/* Invariant after a successful image_load: width and height are at least 1;
 * PNG: pixels holds width * height * components bytes, row by row, and
 * alpha (or NULL when every pixel is opaque) width * height bytes;
 * JPEG: data/len hold the whole file, pixels and alpha are NULL. */
struct image {
    enum image_format format;
    unsigned width, height;
    unsigned components; /* 1 (grey) or 3 (RGB) */
    unsigned bits;       /* always 8 */
    unsigned char *pixels;
    unsigned char *alpha;
    const unsigned char *data; /* JPEG file bytes */
    size_t len;
};

/* Reads path and fills out; all memory lives in arena. On failure reports
 * an error naming the path to d with EXIT_DATAERR (EXIT_NOINPUT when the
 * file cannot be read) and returns false. */
bool image_load(struct arena *arena, struct diag *d, const char *path,
                struct image *out);
/* The same for a file already in memory; name is used in messages. */
bool image_decode(struct arena *arena, struct diag *d, const char *name,
                  const unsigned char *data, size_t len, struct image *out);

#endif
