/* flate: zlib's deflate in one call for a stream informe compresses
 * itself, and the libharu stream object that carries the result. */
#include "pdf/flate.h"

#include "pdf/zpipe.h"

#include "base/arena.h"

#include <hpdf_streams.h>
#include <zlib.h>

#include <string.h>

void pdf_flate(struct buf *out, const void *data, size_t len, int level)
{
    z_stream z;
    /* zlib's default memory level, as deflateInit gives it. */
    zpipe_zinit(&z, level, 8);
    size_t bound = zpipe_bound(&z, len);
    buf_grow(out, bound);
    /* With that room, one call always ends the stream. */
    size_t n;
    if (!zpipe_deflate(&z, level, data, len, out->data + out->len, bound, &n))
        arena_oom();
    out->len += n;
    out->data[out->len] = '\0';
    deflateEnd(&z);
}

/* libharu writes the stream's dictionary; this adds the filter of the
 * bytes deflated already (the stream's own filter is none, so that
 * libharu copies them). */
static HPDF_STATUS write_filter(HPDF_Dict obj, HPDF_Stream stream)
{
    (void)obj;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

bool pdf_flate_add(HPDF_Dict st, const void *data, size_t len)
{
    if (HPDF_Stream_Write(st->stream, (const HPDF_BYTE *)data,
                          (HPDF_UINT)len) != HPDF_OK)
        return false;
    st->filter = HPDF_STREAM_FILTER_NONE;
    st->write_fn = write_filter;
    return true;
}

bool pdf_flate_put(HPDF_Dict st, const struct buf *packed)
{
    HPDF_MemStream_FreeData(st->stream);
    return pdf_flate_add(st, packed->data, packed->len);
}
