/* tagsave: the structure tree built by tags.c, written into the document
 * at save time as compactly as PDF allows.
 *
 * Every element is an indirect object (the parent tree refers to the
 * owners of marked content by reference) holding only /S, /P, /Pg when it
 * owns marked content, /K (a bare kid when it has one), /A for a header
 * cell's scope and a cell's column span, and /Alt for a figure. The
 * parent tree (a number tree, ISO 32000-1, 7.9.7) is a root of /Kids in
 * the /StructTreeRoot and leaves of about LEAF_REFS references, each
 * with its /Limits, that follow the elements. libharu would spend about
 * 1 KB of objects on each element and knows no object streams, so
 * informe writes the objects' bytes itself, without printf, in one of
 * two ways:
 *
 * - object streams (PDF 1.5), the default: the elements and the leaves
 *   are numbered after libharu's objects and written, deflated, into
 *   object streams of OBJSTM_SIZE objects; a cross-reference stream (PNG
 *   Up predictor) lists them, and the trailer points to it with /XRefStm
 *   (a hybrid-reference file: ISO 32000-1, 7.5.8.4). Each stream is
 *   made and deflated when libharu writes it, or a few streams before
 *   with deflate on both cores (see "deflated on both cores" below), and
 *   its data freed right after. A table cell costs about 8 bytes instead
 *   of about 90.
 * - plain objects, for encrypted documents (a cross-reference stream
 *   must not be encrypted, and libharu encrypts every stream) and for
 *   PDF/A-1 (based on PDF 1.4, which reads no object streams): one
 *   dictionary with a write callback writes every element and leaf,
 *   behind xref entries made in one block; strings are encrypted with
 *   each object's key.
 *
 * This module and document.c are the only users of libharu's object
 * internals (hpdf_objects.h). */

#include "base/digits.h"
#include "pdf/internal.h"
#include "pdf/textstr.h"

#include <hpdf_encrypt.h>
#include <hpdf_encryptdict.h>

#include <stdlib.h>
#include <string.h>

/* Objects an object stream holds. */
#define OBJSTM_SIZE 1000
/* Deflate level of the object streams: measured at scale L (175,000
 * elements, 12 MB of objects), level 3 saves 0.3 % of the file and 6
 * saves 2.5 %, each for a few hundredths of a second more. */
#define TAGS_ZLEVEL 1
/* zlib's default memory level (deflateInit's). */
#define TAGS_ZMEMLEVEL 8
/* A leaf of the parent tree holds at most LEAF_KEYS keys, and ends once
 * its arrays hold LEAF_REFS references (a page's array is never cut): a
 * reader looking up one page reads about 10 KB, not the whole tree. */
#define LEAF_KEYS 1024
#define LEAF_REFS 1024
/* The most bytes an element's entries take besides its kids and its
 * description, and the most a kid takes. */
#define ELEM_ROOM 96
#define KID_ROOM 64

static uint32_t obj_id(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFFu;
}

static uint32_t page_id(const struct pdfout *w, uint32_t page)
{
    return page < w->npages && w->pages[page].page ? obj_id(w->pages[page].page)
                                                   : 0;
}

/* Writers into room made beforehand (the hot path: no printf, no
 * per-byte calls); each returns the end of what it wrote. */

static char *put_s(char *p, const char *s, size_t n)
{
    memcpy(p, s, n);
    return p + n;
}

#define PUT_LIT(p, lit) put_s(p, lit, sizeof lit - 1)

static char *put_r(char *p, uint32_t id)
{
    return PUT_LIT(digits_put(p, id), " 0 R");
}

/* The object number of element 0 (the leaves follow the elements): with
 * object streams, the first after libharu's objects (final once the
 * document is being written). */
static uint32_t base(const struct pdfout *w)
{
    const struct pdf_tags *t = &w->tags;
    if (!t->objstm)
        return t->base;
    HPDF_Xref x = w->pdf->xref;
    return (uint32_t)(x->start_offset + x->entries->count);
}

static size_t nobjects(const struct pdf_tags *t)
{
    return t->nel + t->nleaf;
}

/* Appends UTF-8 text s as a PDF text string (textstr.h), encrypted with e
 * (the key of the object being written) when the document is. */
static void put_text(struct buf *b, const char *s, size_t n, HPDF_Encrypt e)
{
    struct buf raw;
    buf_init(&raw);
    bool doc = pdf_text_bytes(&raw, s, n);
    if (e)
        HPDF_Encrypt_CryptBuf(e, (const HPDF_BYTE *)raw.data,
                              (HPDF_BYTE *)raw.data, (HPDF_UINT)raw.len);
    if (doc && !e)
        pdf_text_literal(b, raw.data, raw.len);
    else
        pdf_text_hex(b, raw.data, raw.len);
    buf_release(&raw);
}

/* The key of the object being written, reset for a new string; NULL when
 * the document is not encrypted. */
static HPDF_Encrypt encryption(const struct pdfout *w)
{
    if (!w->pdf->encrypt_on)
        return NULL;
    HPDF_Encrypt e = HPDF_EncryptDict_GetAttr(w->pdf->encrypt_dict);
    if (e)
        HPDF_Encrypt_Reset(e);
    return e;
}

/* What the objects being written need: element 0's object number and
 * the page last looked up. */
struct writing {
    struct pdfout *w;
    uint32_t first;
    size_t hint;
};

/* The description of figure e, or NULL. */
static const char *alt_of(const struct pdf_tags *t, uint32_t e)
{
    size_t lo = 0, hi = t->nalt;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->alt[mid].elem < e)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < t->nalt && t->alt[lo].elem == e
               ? t->text.data + t->alt[lo].text - 1
               : NULL;
}

/* The page of element el's first marked content, or TAG_NONE. */
static uint32_t elem_page(struct writing *wr, const struct pdf_elem *el)
{
    const struct pdf_tags *t = &wr->w->tags;
    for (uint32_t k = el->kids; k != TAG_NONE; k = t->kid[k].next)
        if (KID_KIND(t->kid[k].v) == KID_MCID)
            return pdf_tags_mc_page(t, KID_VALUE(t->kid[k].v), &wr->hint);
    return TAG_NONE;
}

static char *put_kid(struct writing *wr, char *p, uint32_t page, uint32_t v)
{
    const struct pdfout *w = wr->w;
    uint32_t x = KID_VALUE(v);
    switch (KID_KIND(v)) {
    case KID_ELEM:
        return put_r(p, wr->first + x);
    case KID_MCID: {
        uint32_t pg = pdf_tags_mc_page(&w->tags, x, &wr->hint);
        size_t mcid = x - w->pages[pg].mc_first;
        if (pg == page)
            return digits_put(p, mcid);
        p = PUT_LIT(p, "<</Type/MCR/Pg ");
        p = PUT_LIT(put_r(p, page_id(w, pg)), "/MCID ");
        return PUT_LIT(digits_put(p, mcid), ">>");
    }
    default: {
        const struct pdf_link *l = x < w->nlinks ? &w->links[x] : NULL;
        p = PUT_LIT(p, "<</Type/OBJR");
        uint32_t pg = l && l->source_page ? l->source_page - 1 : TAG_NONE;
        if (pg != page)
            p = put_r(PUT_LIT(p, "/Pg "), page_id(w, pg));
        p = put_r(PUT_LIT(p, "/Obj "), l && l->annot ? obj_id(l->annot) : 0);
        return PUT_LIT(p, ">>");
    }
    }
}

/* Appends element i's dictionary. */
static void put_elem(struct writing *wr, struct buf *b, size_t i)
{
    const struct pdfout *w = wr->w;
    const struct pdf_tags *t = &w->tags;
    const struct pdf_elem *el = &t->el[i];
    uint32_t page = elem_page(wr, el);
    char name[8];
    const char *type = pdf_tags_type(el, name);
    char *p = PUT_LIT(buf_room(b, ELEM_ROOM), "<</S/");
    p = PUT_LIT(put_s(p, type, strlen(type)), "/P ");
    p = put_r(p, el->parent == TAG_NONE ? t->root : wr->first + el->parent);
    if (page != TAG_NONE)
        p = put_r(PUT_LIT(p, "/Pg "), page_id(w, page));
    if (el->role == DL_ROLE_TH)
        p = PUT_LIT(p, "/A<</O/Table/Scope/Column>>");
    else if (el->role == DL_ROLE_TD && el->arg > 1)
        p = PUT_LIT(digits_put(PUT_LIT(p, "/A<</O/Table/ColSpan "), el->arg),
                    ">>");
    const char *alt =
        el->role == DL_ROLE_FIGURE ? alt_of(t, (uint32_t)i) : NULL;
    if (alt) {
        p = PUT_LIT(p, "/Alt");
        buf_commit(b, p);
        put_text(b, alt, strlen(alt), encryption(w));
        p = buf_room(b, ELEM_ROOM);
    }
    if (el->kids != TAG_NONE) {
        bool many = t->kid[el->kids].next != TAG_NONE;
        p = many ? PUT_LIT(p, "/K[") : PUT_LIT(p, "/K ");
        for (uint32_t k = el->kids; k != TAG_NONE; k = t->kid[k].next) {
            if ((size_t)(b->data + b->cap - p) < KID_ROOM + 4) {
                buf_commit(b, p);
                p = buf_room(b, KID_ROOM * 64);
            }
            if (k != el->kids)
                *p++ = ' ';
            p = put_kid(wr, p, page, t->kid[k].v);
        }
        if (many)
            *p++ = ']';
    }
    buf_commit(b, PUT_LIT(p, ">>"));
}

/* Key `key`, whose array holds n references, goes into the last leaf or
 * starts a new one that reads from page `page` and link `link`. */
struct leaves {
    size_t cap, refs; /* of t->leaf, and the last leaf's references */
};

static void leaf_key(struct pdf_tags *t, struct leaves *ls, long key, size_t n,
                     uint32_t page, uint32_t link)
{
    struct pdf_leaf *lf = t->nleaf ? &t->leaf[t->nleaf - 1] : NULL;
    if (!lf || lf->hi - lf->lo + 1 >= LEAF_KEYS || ls->refs >= LEAF_REFS) {
        t->leaf = pdf_grow(t->leaf, &ls->cap, t->nleaf + 1, sizeof *t->leaf);
        lf = &t->leaf[t->nleaf++];
        *lf = (struct pdf_leaf){page, link, key, key};
        ls->refs = 0;
    }
    lf->hi = key;
    ls->refs += n;
}

/* The parent tree's leaves: their keys are the pages' /StructParents (an
 * array of the owners of their marked content, by identifier), then the
 * links' /StructParent (their element). */
static void make_leaves(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    struct leaves ls = {0, 0};
    for (size_t p = 0; p < w->npages; p++) {
        const struct pdf_page *pg = &w->pages[p];
        if (pg->page && pg->parents >= 0)
            leaf_key(t, &ls, pg->parents, pg->mc_count, (uint32_t)p, 0);
    }
    long key = t->nparents;
    for (size_t l = 0; l < w->nlinks; l++)
        if (w->links[l].owner != TAG_NONE)
            leaf_key(t, &ls, key++, 1, (uint32_t)w->npages, (uint32_t)l);
    t->next_key = key;
}

/* Appends leaf j's dictionary. */
static void put_leaf(struct writing *wr, struct buf *b, size_t j)
{
    const struct pdfout *w = wr->w;
    const struct pdf_tags *t = &w->tags;
    const struct pdf_leaf *lf = &t->leaf[j];
    char *p = PUT_LIT(buf_room(b, 64), "<</Limits[");
    p = digits_put(PUT_LIT(digits_put(p, (size_t)lf->lo), " "), (size_t)lf->hi);
    p = PUT_LIT(p, "]/Nums[");
    for (size_t i = lf->page; i < w->npages; i++) {
        const struct pdf_page *pg = &w->pages[i];
        if (!pg->page || pg->parents < 0)
            continue;
        if (pg->parents > lf->hi)
            break;
        buf_commit(b, p);
        p = digits_put(buf_room(b, 32 + pg->mc_count * 16),
                       (size_t)pg->parents);
        *p++ = '[';
        for (size_t m = 0; m < pg->mc_count; m++) {
            if (m)
                *p++ = ' ';
            p = put_r(p, wr->first + t->owner[pg->mc_first + m]);
        }
        p = PUT_LIT(p, "] ");
    }
    long key = lf->page < w->npages ? t->nparents : lf->lo;
    for (size_t i = lf->link; i < w->nlinks && key <= lf->hi; i++) {
        if (w->links[i].owner == TAG_NONE)
            continue;
        buf_commit(b, p);
        p = digits_put(buf_room(b, 48), (size_t)key++);
        *p++ = ' ';
        p = PUT_LIT(put_r(p, wr->first + w->links[i].owner), " ");
    }
    if (p[-1] == ' ')
        p--;
    buf_commit(b, PUT_LIT(p, "]>>"));
}

/* Appends object i of the tree: an element, or a leaf after them. */
static void put_object(struct writing *wr, struct buf *b, size_t i)
{
    const struct pdf_tags *t = &wr->w->tags;
    if (i < t->nel)
        put_elem(wr, b, i);
    else
        put_leaf(wr, b, i - t->nel);
}

static HPDF_STATUS write_buf(HPDF_Stream stream, const struct buf *b)
{
    return HPDF_Stream_Write(stream, (const HPDF_BYTE *)b->data,
                             (HPDF_UINT)b->len);
}

/* The root: the document element and the parent tree's root, whose
 * leaves follow the elements. */
static HPDF_STATUS write_root(HPDF_Dict obj, HPDF_Stream stream)
{
    struct pdfout *w = obj->attr;
    struct pdf_tags *t = &w->tags;
    struct buf *b = &t->out;
    buf_clear(b);
    uint32_t first = base(w);
    char *p = PUT_LIT(buf_room(b, 64), "/Type/StructTreeRoot/K ");
    p = PUT_LIT(put_r(p, first), "/ParentTree<<");
    p = t->nleaf ? PUT_LIT(p, "/Kids[") : PUT_LIT(p, "/Nums[");
    for (size_t j = 0; j < t->nleaf; j++) {
        buf_commit(b, p);
        p = buf_room(b, 24);
        if (j)
            *p++ = ' ';
        p = put_r(p, first + (uint32_t)(t->nel + j));
    }
    buf_commit(b, p);
    p = PUT_LIT(buf_room(b, 48), "]>>/ParentTreeNextKey ");
    buf_commit(b, digits_put(p, (size_t)t->next_key));
    return write_buf(stream, b);
}

/* A dictionary of w's, in the xref, whose body write writes. */
static HPDF_Dict writer_dict(struct pdfout *w, HPDF_Dict_OnWriteFunc write)
{
    HPDF_Dict d = HPDF_Dict_New(w->pdf->mmgr);
    if (!d)
        return NULL;
    d->write_fn = write;
    d->attr = w;
    if (HPDF_Xref_Add(w->pdf->xref, d) != HPDF_OK)
        return NULL; /* freed by libharu */
    return d;
}

/* ---- plain objects ------------------------------------------------------- */

/* Writes the next object (libharu writes the objects in order of their
 * numbers, which are the elements' order, then the leaves'). */
static HPDF_STATUS write_plain(HPDF_Dict obj, HPDF_Stream stream)
{
    struct pdfout *w = obj->attr;
    struct pdf_tags *t = &w->tags;
    if (t->next >= nobjects(t))
        return HPDF_INVALID_OBJECT;
    struct writing wr = {w, t->base, 0};
    buf_clear(&t->out);
    put_object(&wr, &t->out, t->next++);
    /* libharu writes the << and >> around what its dictionary writes */
    return HPDF_Stream_Write(stream, (const HPDF_BYTE *)t->out.data + 2,
                             (HPDF_UINT)(t->out.len - 4));
}

/* Element 0's writer, and objects for the other elements and the leaves
 * after it: xref entries whose object is the same writer. */
static bool plain_objects(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    if (!(t->writer = writer_dict(w, write_plain)))
        return false;
    t->base = obj_id(t->writer);
    HPDF_List list = w->pdf->xref->entries;
    size_t n = nobjects(t) - 1;
    if (n == 0)
        return true;
    if (list->count + n > HPDF_LIMIT_MAX_XREF_ELEMENT) {
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "el documento tiene %zu elementos de estructura, "
                        "más de los que un PDF cifrado admite",
                        t->nel);
        w->failed = true;
        return false;
    }
    t->entries = calloc(n, sizeof *t->entries);
    if (!t->entries)
        arena_oom();
    /* One growth of the list, not one every 1,024 entries. */
    if (list->items_per_block < n)
        list->items_per_block = (HPDF_UINT)n;
    t->first_entry = list->count;
    for (size_t i = 0; i < n; i++) {
        t->entries[i].entry_typ = HPDF_IN_USE_ENTRY;
        t->entries[i].obj = t->writer;
        if (HPDF_List_Add(list, &t->entries[i]) != HPDF_OK)
            return false;
        t->nentries++;
    }
    return true;
}

/* ---- object streams ------------------------------------------------------ */

/* The number of object stream d. libharu writes the streams in the order
 * they were added, so the one after the last found is tried first: one
 * comparison a stream instead of a scan of them all (n² over a document
 * of thousands of streams). */
static size_t stream_index(struct pdf_tags *t, HPDF_Dict d)
{
    size_t i = t->stream_hint;
    if (i >= t->nstreams || t->streams[i] != d)
        for (i = 0; i < t->nstreams && t->streams[i] != d; i++)
            ;
    t->stream_hint = i + 1;
    return i;
}

/* Deflates data[len] into t->zbuf (one call: the same bytes as the
 * pipe's), which becomes the data of the stream being written. One zlib
 * state serves the whole document: a new one for each stream would cost
 * more than the compression (its tables are set up and paged in anew). */
static bool deflate_here(struct pdf_tags *t, const char *data, size_t len)
{
    if (!t->z_ready) {
        zpipe_zinit(&t->z, TAGS_ZLEVEL, TAGS_ZMEMLEVEL);
        t->z_ready = true;
    }
    size_t bound = zpipe_bound(&t->z, len);
    buf_clear(&t->zbuf);
    buf_grow(&t->zbuf, bound);
    size_t n;
    if (!zpipe_deflate(&t->z, TAGS_ZLEVEL, data, len, t->zbuf.data, bound, &n))
        return false;
    t->zbuf.len = n;
    t->zdata = t->zbuf.data;
    t->zlen = n;
    return true;
}

/* A stream's dictionary entries, the direct /Length of its data last;
 * its data (t->zdata) follows when end_stream writes it. libharu would
 * make the /Length an object of its own and hold a copy of the data. */
static HPDF_STATUS begin_stream(struct pdf_tags *t, HPDF_Stream stream,
                                const char *dict, size_t n)
{
    char len[40], *p = PUT_LIT(len, "/Length ");
    p = PUT_LIT(digits_put(p, t->zlen), "\n");
    t->stream = stream;
    HPDF_STATUS st =
        HPDF_Stream_Write(stream, (const HPDF_BYTE *)dict, (HPDF_UINT)n);
    return st == HPDF_OK ? HPDF_Stream_Write(stream, (const HPDF_BYTE *)len,
                                             (HPDF_UINT)(p - len))
                         : st;
}

static HPDF_STATUS end_stream(HPDF_Dict d)
{
    struct pdfout *w = d->attr;
    struct pdf_tags *t = &w->tags;
    HPDF_STATUS st = HPDF_Stream_WriteStr(t->stream, "\nstream\r\n");
    if (st == HPDF_OK)
        st = HPDF_Stream_Write(t->stream, (const HPDF_BYTE *)t->zdata,
                               (HPDF_UINT)t->zlen);
    if (st == HPDF_OK)
        st = HPDF_Stream_WriteStr(t->stream, "\nendstream");
    buf_clear(&t->zbuf);
    t->zdata = NULL;
    t->zlen = 0;
    if (t->zp_held) {
        t->zp_held = false;
        zpipe_release(&t->zp);
        if (t->zp.released > t->nstreams)
            zpipe_stop(&t->zp); /* the last one written */
    }
    return st;
}

/* The most bytes an object's entry in the header of an object stream
 * takes (its number and its offset, each followed by a space). */
#define HEAD_ROOM 48

/* The number of objects in object stream s. */
static size_t objstm_count(const struct pdf_tags *t, size_t s)
{
    size_t n = nobjects(t) - s * OBJSTM_SIZE;
    return n < OBJSTM_SIZE ? n : OBJSTM_SIZE;
}

/* Object stream s's bytes before deflating, into in from *skip on: the
 * numbers and offsets of its objects, then the objects (elements, then
 * leaves). The objects are written first, after room for the longest
 * header, and the header (made in t->out) is put right before them: no
 * copy of the objects. Returns the length of the header (its /First). */
static size_t objstm_bytes(struct pdfout *w, size_t s, struct buf *in,
                           size_t *skip)
{
    struct pdf_tags *t = &w->tags;
    size_t from = s * OBJSTM_SIZE, to = from + objstm_count(t, s);
    struct writing wr = {w, base(w), 0};
    struct buf *head = &t->out;
    size_t room = (to - from) * HEAD_ROOM;
    buf_clear(head);
    buf_clear(in);
    buf_commit(in, buf_room(in, room) + room);
    for (size_t i = from; i < to; i++) {
        char *p = digits_put(buf_room(head, HEAD_ROOM), wr.first + i);
        *p++ = ' ';
        p = digits_put(p, in->len - room);
        *p++ = ' ';
        buf_commit(head, p);
        put_object(&wr, in, i);
    }
    *skip = room - head->len;
    memcpy(in->data + *skip, head->data, head->len);
    return head->len;
}

/* The rows of the cross-reference stream, into rows: each object of the
 * object streams (type 2: the stream's number in 3 bytes, the index in
 * 2), each row after the PNG Up predictor (the row's difference from the
 * one before, mostly zeros, which deflate to almost nothing). */
static void xref_rows(const struct pdf_tags *t, struct buf *rows)
{
    size_t n = nobjects(t);
    buf_clear(rows);
    unsigned char *r = (unsigned char *)buf_room(rows, n * 7), prev[6] = {0};
    for (size_t i = 0; i < n; i++, r += 7) {
        uint32_t s = obj_id(t->streams[i / OBJSTM_SIZE]);
        unsigned idx = (unsigned)(i % OBJSTM_SIZE);
        unsigned char e[6] = {2,
                              (unsigned char)(s >> 16),
                              (unsigned char)(s >> 8),
                              (unsigned char)s,
                              (unsigned char)(idx >> 8),
                              (unsigned char)idx};
        r[0] = 2; /* PNG filter type Up */
        for (int k = 0; k < 6; k++) {
            r[1 + k] = (unsigned char)(e[k] - prev[k]);
            prev[k] = e[k];
        }
    }
    buf_commit(rows, (char *)r);
}

/* ---- the object streams deflated on both cores ----------------------------
 *
 * With several streams and a core to spare (pdf_second_thread), the
 * streams' bytes are made here a few streams ahead of the one libharu
 * writes and handed to a zpipe, whose thread deflates them while this
 * one makes the next and, when the thread falls behind, deflates the
 * newest itself (zpipe_wait): zlib, most of the work, runs on both
 * cores. The cross-reference stream's rows follow the last of them. Each stream
 * is deflated alone with the same settings either way, so the bytes do not
 * change. The thread is joined once the last stream is written, and by
 * pdf_tags_free on any way out. */

/* Decided at the first stream (the objects' numbers are final then). */
static bool use_pipe(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    if (!t->zp_tried) {
        t->zp_tried = true;
        zpipe_init(&t->zp, TAGS_ZLEVEL, TAGS_ZMEMLEVEL);
        if (t->nstreams >= 2 && pdf_second_thread())
            zpipe_start(&t->zp);
    }
    return t->zp.running;
}

/* Hands the streams not handed yet to the pipe while a slot is free:
 * the object streams, then (job nstreams) the cross-reference stream's
 * rows. */
static void feed(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    while (t->zp_queued <= t->nstreams && !zpipe_full(&t->zp)) {
        struct zjob *j = zpipe_slot(&t->zp);
        size_t s = t->zp_queued++;
        j->skip = 0;
        if (s < t->nstreams)
            (void)objstm_bytes(w, s, &j->in, &j->skip);
        else
            xref_rows(t, &j->in);
        zpipe_prepare(j);
        j->tag = s;
        zpipe_submit(&t->zp);
    }
}

/* Stream s deflated by the pipe (nstreams: the cross-reference
 * stream), kept until end_stream writes it; false when deflate failed. */
static bool take_from_pipe(struct pdfout *w, size_t s, size_t *first)
{
    struct pdf_tags *t = &w->tags;
    feed(w);
    struct zjob *j = zpipe_wait(&t->zp);
    if (!j)
        return false;
    t->zp_held = true;
    if (!j->ok || j->tag != s)
        return false;
    t->zdata = j->out.data;
    t->zlen = j->len;
    /* the header ends where the objects begin, after their room */
    *first = objstm_count(t, s) * HEAD_ROOM - j->skip;
    return true;
}

/* An object stream: its objects after the header of their numbers and
 * offsets, deflated. */
static HPDF_STATUS write_objstm(HPDF_Dict d, HPDF_Stream stream)
{
    struct pdfout *w = d->attr;
    struct pdf_tags *t = &w->tags;
    size_t s = stream_index(t, d);
    size_t first;
    if (use_pipe(w)) {
        if (!take_from_pipe(w, s, &first))
            return HPDF_ZLIB_ERROR;
    } else {
        size_t skip;
        first = objstm_bytes(w, s, &t->body, &skip);
        if (!deflate_here(t, t->body.data + skip, t->body.len - skip))
            return HPDF_ZLIB_ERROR;
    }
    size_t n = objstm_count(t, s);
    char dict[96], *p = PUT_LIT(dict, "/Type/ObjStm/N ");
    p = PUT_LIT(digits_put(p, n), "/First ");
    p = PUT_LIT(digits_put(p, first), "/Filter/FlateDecode");
    return begin_stream(t, stream, dict, (size_t)(p - dict));
}

/* The cross-reference stream, its rows made by xref_rows and deflated
 * here or by the pipe. Readers parse it before any cross-reference is
 * known, so its /Length is direct. */
static HPDF_STATUS write_xrefstm(HPDF_Dict d, HPDF_Stream stream)
{
    struct pdfout *w = d->attr;
    struct pdf_tags *t = &w->tags;
    size_t n = nobjects(t);
    if (t->zp.running) {
        size_t first_unused;
        if (!take_from_pipe(w, t->nstreams, &first_unused))
            return HPDF_ZLIB_ERROR;
    } else {
        xref_rows(t, &t->body);
        bool ok = deflate_here(t, t->body.data, t->body.len);
        buf_clear(&t->body);
        if (!ok)
            return HPDF_ZLIB_ERROR;
    }
    uint32_t first = base(w);
    char dict[160], *p = PUT_LIT(dict, "/Type/XRef/Size ");
    p = PUT_LIT(digits_put(p, first + n), "/Index[");
    p = PUT_LIT(digits_put(PUT_LIT(digits_put(p, first), " "), n),
                "]/W[1 3 2]");
    p = PUT_LIT(p, "/Filter/FlateDecode/DecodeParms<</Predictor 12"
                   "/Columns 6>>");
    return begin_stream(t, stream, dict, (size_t)(p - dict));
}

/* The trailer counts the objects of the object streams and points to the
 * cross-reference stream (written before it). */
static HPDF_STATUS fix_trailer(HPDF_Dict trailer)
{
    struct pdfout *w = trailer->attr;
    struct pdf_tags *t = &w->tags;
    HPDF_Xref x = w->pdf->xref;
    HPDF_XrefEntry e =
        HPDF_Xref_GetEntry(x, obj_id(t->xrefstm) - x->start_offset);
    if (!e)
        return HPDF_INVALID_OBJECT;
    HPDF_STATUS st = HPDF_Dict_AddNumber(trailer, "Size",
                                         (HPDF_INT32)(base(w) + nobjects(t)));
    if (st == HPDF_OK)
        st =
            HPDF_Dict_AddNumber(trailer, "XRefStm", (HPDF_INT32)e->byte_offset);
    return st;
}

/* A stream written by write (its dictionary's entries) and end_stream
 * (its data). */
static HPDF_Dict stream_writer(struct pdfout *w, HPDF_Dict_OnWriteFunc write)
{
    HPDF_Dict d = writer_dict(w, write);
    if (d)
        d->after_write_fn = end_stream;
    return d;
}

static bool object_streams(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    t->objstm = true;
    t->nstreams = (nobjects(t) + OBJSTM_SIZE - 1) / OBJSTM_SIZE;
    t->streams = calloc(t->nstreams, sizeof *t->streams);
    if (!t->streams)
        arena_oom();
    for (size_t i = 0; i < t->nstreams; i++)
        if (!(t->streams[i] = stream_writer(w, write_objstm)))
            return false;
    if (!(t->xrefstm = stream_writer(w, write_xrefstm)))
        return false;
    HPDF_Dict trailer = w->pdf->xref->trailer;
    trailer->before_write_fn = fix_trailer;
    trailer->attr = w;
    return true;
}

bool pdf_tags_finish(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    if (!t->on || w->failed)
        return !w->failed;
    pdf_tags_close(w);
    make_leaves(w);
    HPDF_Doc pdf = w->pdf;
    /* mark belongs to the catalog once added (freed by libharu if that
     * fails); a failure is in w->err through the error handler. */
    HPDF_Dict mark = HPDF_Dict_New(pdf->mmgr);
    if (mark && HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark) == HPDF_OK)
        HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE);
    HPDF_Dict root = writer_dict(w, write_root);
    if (root) {
        t->root = obj_id(root);
        HPDF_Dict_Add(pdf->catalog, "StructTreeRoot", root);
        if (pdf->encrypt_on || w->pdfa)
            plain_objects(w);
        else
            object_streams(w);
    }
    /* The links' keys in the parent tree follow the pages'. */
    long key = t->nparents;
    for (size_t i = 0; i < w->nlinks && !w->err; i++)
        if (w->links[i].owner != TAG_NONE && w->links[i].annot)
            HPDF_Dict_AddNumber(w->links[i].annot, "StructParent",
                                (HPDF_INT32)key++);
    if (w->failed)
        return false;
    if (w->err || !root)
        return pdf_fail(w, "escribir la estructura del documento");
    return true;
}
