/* flate: streams informe deflates itself (a font's FontFile2, ToUnicode
 * and glyph map) and hands libharu as bytes to copy as they are, marked
 * /FlateDecode, so that libharu's own deflate (level 6, at save) never
 * runs over them. */
#ifndef INFORME_PDF_FLATE_H
#define INFORME_PDF_FLATE_H

#include "base/arena.h"
#include "base/buf.h"

#include <hpdf.h>
#include <hpdf_objects.h>

#include <stdbool.h>
#include <stddef.h>

/* Appends data[len] deflated at level (1 fastest .. 9 smallest) to out,
 * as a zlib stream. Out of memory ends the process (arena_oom). */
void pdf_flate(struct buf *out, const void *data, size_t len, int level);

/* The bytes pdf_flate gives for data[len]: deflated into scratch, or,
 * while the memo is kept, taken from it when the same input was deflated
 * at the same level lately (the pointer is the memo's: valid until the
 * next call). */
const struct buf *pdf_flate_kept(const void *data, size_t len, int level,
                                 struct buf *scratch);
/* Keeps the memo of pdf_flate_kept (on), or forgets it and frees its
 * memory (off). */
void pdf_flate_memo_keep(bool on);

/* Replaces the bytes of the stream object st with packed, bytes deflated
 * by pdf_flate, and has libharu write them unchanged with /Filter
 * /FlateDecode. A filter libharu would set on st later (a font sets its
 * streams' filters when it is written) must be turned off by the caller.
 * False when libharu could not take the bytes (its error is recorded). */
bool pdf_flate_put(HPDF_Dict st, const struct buf *packed);
/* As pdf_flate_put, appending data[len] (deflated already) to the bytes
 * st holds. */
bool pdf_flate_add(HPDF_Dict st, const void *data, size_t len);
/* As pdf_flate_put for a stream that holds nothing yet: data[len] is
 * copied into a (which must outlive st) and libharu reads it from there
 * when it writes st, through a stream of its own replacing st's; that
 * stream is returned (NULL when libharu could not make it: st is then
 * unchanged). libharu's memory stream would copy the bytes a byte at a
 * time into blocks of 4 KB, and out again at save. */
HPDF_Stream pdf_flate_hold(HPDF_Dict st, struct arena *a, const void *data,
                           size_t len);

#endif
