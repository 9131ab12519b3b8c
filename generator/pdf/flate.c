/* flate: zlib's deflate in one call for a stream informe compresses
 * itself, the few last ones remembered for the next documents of a burst,
 * and the libharu stream object that carries the result. */
#include "pdf/flate.h"

#include "pdf/zpipe.h"

#include "base/arena.h"
#include "base/hash.h"

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

/* ---- the memo of a burst ------------------------------------------------
 *
 * The reports of a burst mostly draw the same glyphs of a face, so the
 * same font subset: deflating it again was a quarter of a report's time.
 * The last MEMO_SLOTS inputs are kept with their deflated bytes (about
 * 45 KB for a face's subset), found by hash and compared whole: a hit
 * gives the bytes pdf_flate would give. Only the thread that writes the
 * document's fonts uses it. */
#define MEMO_SLOTS 8

struct memo {
    uint64_t hash;
    int level;
    unsigned long used; /* the clock at its last use; 0: empty */
    struct buf in, out;
};

static struct memo memo[MEMO_SLOTS];
static unsigned long memo_clock;
static bool memo_on;

void pdf_flate_memo_keep(bool on)
{
    memo_on = on;
    if (on)
        return;
    for (size_t i = 0; i < MEMO_SLOTS; i++) {
        if (memo[i].used) {
            buf_release(&memo[i].in);
            buf_release(&memo[i].out);
        }
        memo[i] = (struct memo){0};
    }
    memo_clock = 0;
}

const struct buf *pdf_flate_kept(const void *data, size_t len, int level,
                                 struct buf *scratch)
{
    buf_clear(scratch);
    if (!memo_on) {
        pdf_flate(scratch, data, len, level);
        return scratch;
    }
    uint64_t h = hash_bytes(data, len);
    struct memo *old = &memo[0];
    for (size_t i = 0; i < MEMO_SLOTS; i++) {
        struct memo *m = &memo[i];
        if (m->used && m->hash == h && m->level == level && m->in.len == len &&
            memcmp(m->in.data, data, len) == 0) {
            m->used = ++memo_clock;
            return &m->out;
        }
        if (m->used < old->used)
            old = m; /* an empty slot, or the one unused the longest */
    }
    if (!old->used) {
        buf_init(&old->in);
        buf_init(&old->out);
    }
    buf_clear(&old->in);
    buf_clear(&old->out);
    buf_add(&old->in, data, len);
    pdf_flate(&old->out, data, len, level);
    old->hash = h;
    old->level = level;
    old->used = ++memo_clock;
    return &old->out;
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

/* The bytes a stream holds for pdf_flate_hold, read from pos on. */
struct held {
    const unsigned char *data;
    size_t len, pos;
};

static HPDF_STATUS held_read(HPDF_Stream s, HPDF_BYTE *ptr, HPDF_UINT *siz)
{
    struct held *h = s->attr;
    size_t left = h->len - h->pos;
    size_t k = *siz < left ? *siz : left;
    memcpy(ptr, h->data + h->pos, k);
    h->pos += k;
    *siz = (HPDF_UINT)k;
    return h->pos == h->len ? HPDF_STREAM_EOF : HPDF_OK;
}

static HPDF_STATUS held_seek(HPDF_Stream s, HPDF_INT pos, HPDF_WhenceMode mode)
{
    struct held *h = s->attr;
    long from = mode == HPDF_SEEK_SET   ? 0
                : mode == HPDF_SEEK_CUR ? (long)h->pos
                                        : (long)h->len;
    long at = from + pos;
    if (at < 0 || (size_t)at > h->len)
        return HPDF_SetError(s->error, HPDF_STREAM_EOF, 0);
    h->pos = (size_t)at;
    return HPDF_OK;
}

static HPDF_INT32 held_tell(HPDF_Stream s)
{
    return (HPDF_INT32)((struct held *)s->attr)->pos;
}

static HPDF_UINT32 held_size(HPDF_Stream s)
{
    return (HPDF_UINT32)((struct held *)s->attr)->len;
}

HPDF_Stream pdf_flate_hold(HPDF_Dict st, struct arena *a, const void *data,
                           size_t len)
{
    struct held *h = arena_alloc(a, sizeof *h);
    unsigned char *copy = arena_array_uninit(a, len ? len : 1, 1);
    memcpy(copy, data, len);
    *h = (struct held){copy, len, 0};
    HPDF_Stream s = HPDF_CallbackReader_New(st->mmgr, held_read, held_seek,
                                            held_tell, held_size, h);
    if (!s)
        return NULL;
    s->size = (HPDF_UINT)len;
    HPDF_Stream_Free(st->stream);
    st->stream = s;
    st->filter = HPDF_STREAM_FILTER_NONE;
    st->write_fn = write_filter;
    return s;
}

bool pdf_flate_put(HPDF_Dict st, const struct buf *packed)
{
    HPDF_MemStream_FreeData(st->stream);
    return pdf_flate_add(st, packed->data, packed->len);
}
