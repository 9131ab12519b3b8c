/* tagsave: the structure tree built by tags.c, written into the document
 * at save time as compactly as PDF allows.
 *
 * Every element is an indirect object (the parent tree refers to the
 * owners of marked content by reference) holding only /S, /P, /Pg when it
 * owns marked content, /K (a bare kid when it has one), /A for a header
 * cell's scope and a cell's column span, and /Alt for a figure. The
 * parent tree is one /Nums array. libharu would spend about 1 KB of
 * objects on each element and knows no object streams, so informe writes
 * the objects' bytes itself, in one of two ways:
 *
 * - object streams (PDF 1.5), the default: the elements and the parent
 *   tree are numbered after libharu's objects and written, deflated,
 *   into object streams of OBJSTM_SIZE objects; a cross-reference stream
 *   lists them, and the trailer points to it with /XRefStm (a
 *   hybrid-reference file: ISO 32000-1, 7.5.8.4). A table cell costs
 *   about 8 bytes instead of about 90.
 * - plain objects, for encrypted documents (a cross-reference stream
 *   must not be encrypted, and libharu encrypts every stream) and for
 *   PDF/A-1 (based on PDF 1.4, which reads no object streams): one
 *   dictionary with a write callback writes every element, behind xref
 *   entries made in one block; strings are encrypted with each object's
 *   key.
 *
 * This module and document.c are the only users of libharu's object
 * internals (hpdf_objects.h). */

#include "pdf/internal.h"

#include "base/utf8.h"

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
/* Bytes gathered before they go to libharu. */
#define FLUSH_AT 65536

static uint32_t obj_id(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFFu;
}

static uint32_t page_id(const struct pdfout *w, uint32_t page)
{
    return page < w->npages && w->pages[page].page ? obj_id(w->pages[page].page)
                                                   : 0;
}

/* Appends the decimal digits of v (the hot path: no printf). */
static void put_uint(struct buf *b, size_t v)
{
    char tmp[24], *e = tmp + sizeof tmp, *p = e;
    do {
        *--p = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    buf_add(b, p, (size_t)(e - p));
}

static void put_ref(struct buf *b, uint32_t id)
{
    put_uint(b, id);
    buf_add(b, " 0 R", 4);
}

/* The object number of element 0: with object streams, the first after
 * libharu's objects (final once the document is being written). */
static uint32_t base(const struct pdfout *w)
{
    const struct pdf_tags *t = &w->tags;
    if (!t->objstm)
        return t->base;
    HPDF_Xref x = w->pdf->xref;
    return (uint32_t)(x->start_offset + x->entries->count);
}

/* True when s can be written in PDFDocEncoding: printable ASCII and the
 * Latin-1 letters and signs (which it shares with Unicode). */
static bool pdfdoc(const char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t k;
        uint32_t cp = utf8_decode(s + i, n - i, &k);
        if (!((cp >= 0x20 && cp <= 0x7E) ||
              (cp >= 0xA1 && cp <= 0xFF && cp != 0xAD)))
            return false;
        i += k;
    }
    return true;
}

/* Appends UTF-8 text s as a PDF text string: PDFDocEncoding when it can
 * be, else UTF-16BE with its byte-order mark; encrypted with e (the key
 * of the object being written) when the document is. */
static void put_text(struct buf *b, const char *s, size_t n, HPDF_Encrypt e)
{
    struct buf raw;
    buf_init(&raw);
    bool doc = pdfdoc(s, n);
    if (!doc)
        buf_add(&raw, "\xFE\xFF", 2);
    for (size_t i = 0; i < n;) {
        size_t k;
        uint32_t cp = utf8_decode(s + i, n - i, &k);
        i += k;
        if (cp == UTF8_BAD)
            cp = 0xFFFD;
        if (doc) {
            buf_addc(&raw, (char)cp);
        } else if (cp > 0xFFFF) {
            uint32_t v = cp - 0x10000, hi = 0xD800 | v >> 10,
                     lo = 0xDC00 | (v & 0x3FF);
            char u[4] = {(char)(hi >> 8), (char)hi, (char)(lo >> 8), (char)lo};
            buf_add(&raw, u, 4);
        } else {
            char u[2] = {(char)(cp >> 8), (char)cp};
            buf_add(&raw, u, 2);
        }
    }
    if (e)
        HPDF_Encrypt_CryptBuf(e, (const HPDF_BYTE *)raw.data,
                              (HPDF_BYTE *)raw.data, (HPDF_UINT)raw.len);
    if (doc && !e) {
        buf_addc(b, '(');
        for (size_t i = 0; i < raw.len; i++) {
            char c = raw.data[i];
            if (c == '(' || c == ')' || c == '\\')
                buf_addc(b, '\\');
            buf_addc(b, c);
        }
        buf_addc(b, ')');
    } else {
        static const char hex[] = "0123456789ABCDEF";
        buf_addc(b, '<');
        for (size_t i = 0; i < raw.len; i++) {
            unsigned char c = (unsigned char)raw.data[i];
            buf_addc(b, hex[c >> 4]);
            buf_addc(b, hex[c & 15]);
        }
        buf_addc(b, '>');
    }
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

static void put_kid(const struct pdfout *w, struct buf *b, uint32_t first,
                    const struct pdf_elem *el, const struct pdf_kid *k)
{
    uint32_t v = KID_VALUE(k->v);
    switch (KID_KIND(k->v)) {
    case KID_ELEM:
        put_ref(b, first + v);
        break;
    case KID_MCID:
        if (k->page == el->page) {
            put_uint(b, v);
        } else {
            buf_adds(b, "<</Type/MCR/Pg ");
            put_ref(b, page_id(w, k->page));
            buf_adds(b, "/MCID ");
            put_uint(b, v);
            buf_adds(b, ">>");
        }
        break;
    default:
        buf_adds(b, "<</Type/OBJR");
        if (k->page != el->page) {
            buf_adds(b, "/Pg ");
            put_ref(b, page_id(w, k->page));
        }
        buf_adds(b, "/Obj ");
        put_ref(b, v < w->nlinks && w->links[v].annot
                       ? obj_id(w->links[v].annot)
                       : 0);
        buf_adds(b, ">>");
        break;
    }
}

/* Appends the entries of element i's dictionary (without << >>). */
static void put_elem(const struct pdfout *w, struct buf *b, size_t i)
{
    const struct pdf_tags *t = &w->tags;
    const struct pdf_elem *el = &t->el[i];
    uint32_t first = base(w);
    char name[8];
    buf_adds(b, "/S/");
    buf_adds(b, pdf_tags_type(el, name));
    buf_adds(b, "/P ");
    put_ref(b, el->parent == TAG_NONE ? t->root : first + el->parent);
    if (el->page != TAG_NONE) {
        buf_adds(b, "/Pg ");
        put_ref(b, page_id(w, el->page));
    }
    if (el->role == DL_ROLE_TH)
        buf_adds(b, "/A<</O/Table/Scope/Column>>");
    else if (el->role == DL_ROLE_TD && el->arg > 1)
        buf_printf(b, "/A<</O/Table/ColSpan %u>>", (unsigned)el->arg);
    if (el->alt) {
        const char *alt = t->text.data + el->alt - 1;
        buf_adds(b, "/Alt");
        put_text(b, alt, strlen(alt), encryption(w));
    }
    if (el->first != TAG_NONE) {
        bool many = t->kid[el->first].next != TAG_NONE;
        buf_adds(b, many ? "/K[" : "/K ");
        for (uint32_t k = el->first; k != TAG_NONE; k = t->kid[k].next) {
            if (k != el->first)
                buf_addc(b, ' ');
            put_kid(w, b, first, el, &t->kid[k]);
        }
        if (many)
            buf_addc(b, ']');
    }
}

static HPDF_STATUS flush(struct buf *b, HPDF_Stream stream, size_t at)
{
    if (b->len < at || !stream)
        return HPDF_OK;
    HPDF_STATUS st = HPDF_Stream_Write(stream, (const HPDF_BYTE *)b->data,
                                       (HPDF_UINT)b->len);
    buf_clear(b);
    return st;
}

/* Appends the parent tree's /Nums array, whose keys are the pages'
 * /StructParents (an array of the owners of their marked content, by
 * identifier) and then the links' /StructParent (their element); flushed
 * to stream as it grows when stream is not NULL. Returns the next key. */
static long put_nums(const struct pdfout *w, struct buf *b, HPDF_Stream stream,
                     HPDF_STATUS *st)
{
    const struct pdf_tags *t = &w->tags;
    uint32_t first = base(w);
    long key = 0;
    buf_adds(b, "/Nums[");
    for (size_t p = 0; p < w->npages && *st == HPDF_OK; p++) {
        const struct pdf_page *pg = &w->pages[p];
        if (!pg->page || pg->parents < 0)
            continue;
        put_uint(b, (size_t)pg->parents);
        buf_addc(b, '[');
        for (size_t i = 0; i < pg->mc_count && *st == HPDF_OK; i++) {
            if (i)
                buf_addc(b, ' ');
            put_ref(b, first + t->owner[pg->mc_first + i]);
            *st = flush(b, stream, FLUSH_AT);
        }
        buf_addc(b, ']');
        key = pg->parents + 1;
    }
    for (size_t i = 0; i < w->nlinks && *st == HPDF_OK; i++) {
        if (w->links[i].owner == TAG_NONE)
            continue;
        put_uint(b, (size_t)key++);
        buf_addc(b, ' ');
        put_ref(b, first + w->links[i].owner);
        buf_addc(b, ' ');
        *st = flush(b, stream, FLUSH_AT);
    }
    buf_addc(b, ']');
    return key;
}

/* The root: the document element and the parent tree, inline or (with
 * object streams) as the object after the elements. */
static HPDF_STATUS write_root(HPDF_Dict obj, HPDF_Stream stream)
{
    struct pdfout *w = obj->attr;
    struct pdf_tags *t = &w->tags;
    struct buf *b = &t->out;
    buf_clear(b);
    buf_adds(b, "/Type/StructTreeRoot/K ");
    put_ref(b, base(w));
    HPDF_STATUS st = HPDF_OK;
    long next;
    if (t->objstm) {
        buf_adds(b, "/ParentTree ");
        put_ref(b, base(w) + (uint32_t)t->nel);
        next = t->nparents;
        for (size_t i = 0; i < w->nlinks; i++)
            next += w->links[i].owner != TAG_NONE;
    } else {
        buf_adds(b, "/ParentTree<<");
        next = put_nums(w, b, stream, &st);
        buf_adds(b, ">>");
    }
    buf_printf(b, "/ParentTreeNextKey %ld", next);
    return st == HPDF_OK ? flush(b, stream, 0) : st;
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

/* Writes the next element (libharu writes the objects in order of their
 * numbers, which are the elements' order). */
static HPDF_STATUS write_elem(HPDF_Dict obj, HPDF_Stream stream)
{
    struct pdfout *w = obj->attr;
    struct pdf_tags *t = &w->tags;
    if (t->next >= t->nel)
        return HPDF_INVALID_OBJECT;
    buf_clear(&t->out);
    put_elem(w, &t->out, t->next++);
    return flush(&t->out, stream, 0);
}

/* Element 0's writer, and objects for elements 1 .. nel - 1 after it:
 * xref entries whose object is the same writer. */
static bool plain_objects(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    if (!(t->writer = writer_dict(w, write_elem)))
        return false;
    t->base = obj_id(t->writer);
    HPDF_List list = w->pdf->xref->entries;
    size_t n = t->nel - 1;
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

static size_t stream_index(const struct pdf_tags *t, HPDF_Dict d)
{
    for (size_t i = 0; i < t->nstreams; i++)
        if (t->streams[i] == d)
            return i;
    return t->nstreams;
}

/* Deflates b into out (cleared first), with one zlib state for the whole
 * document: a new one for each stream would cost more than the
 * compression (its tables are set up and paged in anew). */
static HPDF_STATUS deflate_buf(struct pdf_tags *t, const struct buf *b,
                               struct buf *out)
{
    if (!t->z_ready) {
        memset(&t->z, 0, sizeof t->z);
        if (deflateInit(&t->z, TAGS_ZLEVEL) != Z_OK)
            arena_oom();
        t->z_ready = true;
    } else if (deflateReset(&t->z) != Z_OK) {
        return HPDF_ZLIB_ERROR;
    }
    uLong n = deflateBound(&t->z, (uLong)b->len);
    buf_clear(out);
    buf_grow(out, n);
    t->z.next_in = (Bytef *)b->data;
    t->z.avail_in = (uInt)b->len;
    t->z.next_out = (Bytef *)out->data;
    t->z.avail_out = (uInt)n;
    if (deflate(&t->z, Z_FINISH) != Z_STREAM_END)
        return HPDF_ZLIB_ERROR;
    out->len = n - t->z.avail_out;
    return HPDF_OK;
}

/* Before an object stream is written: its objects (elements, and the
 * parent tree last), after the header of their numbers and offsets. */
static HPDF_STATUS fill_objstm(HPDF_Dict d)
{
    struct pdfout *w = d->attr;
    struct pdf_tags *t = &w->tags;
    size_t s = stream_index(t, d);
    size_t from = s * OBJSTM_SIZE, to = from + OBJSTM_SIZE;
    if (to > t->nel + 1)
        to = t->nel + 1;
    struct buf head, body;
    buf_init(&head);
    buf_init(&body);
    uint32_t first = base(w);
    HPDF_STATUS st = HPDF_OK;
    for (size_t i = from; i < to; i++) {
        put_uint(&head, first + i);
        buf_addc(&head, ' ');
        put_uint(&head, body.len);
        buf_addc(&head, ' ');
        buf_adds(&body, "<<");
        if (i < t->nel)
            put_elem(w, &body, i);
        else
            put_nums(w, &body, NULL, &st);
        buf_adds(&body, ">>\n");
    }
    t->stm_first = head.len;
    t->stm_n = to - from;
    buf_add(&head, body.data, body.len);
    if (st == HPDF_OK)
        st = deflate_buf(t, &head, &body);
    if (st == HPDF_OK)
        st = HPDF_Stream_Write(d->stream, (const HPDF_BYTE *)body.data,
                               (HPDF_UINT)body.len);
    buf_release(&head);
    buf_release(&body);
    return st;
}

static HPDF_STATUS write_objstm(HPDF_Dict d, HPDF_Stream stream)
{
    struct pdfout *w = d->attr;
    struct pdf_tags *t = &w->tags;
    buf_clear(&t->out);
    buf_printf(&t->out, "/Type/ObjStm/N %zu/First %zu/Filter/FlateDecode\n",
               t->stm_n, t->stm_first);
    return flush(&t->out, stream, 0);
}

/* The cross-reference stream: each object of the object streams (type 2:
 * the stream's number in 3 bytes, the index in 2). Readers parse it
 * before any cross-reference is known, so its /Length is direct; libharu
 * makes every stream's indirect, so this one is written whole here: its
 * dictionary's entries by write_xrefstm, its data after the dictionary
 * by end_xrefstm. */
static HPDF_STATUS write_xrefstm(HPDF_Dict d, HPDF_Stream stream)
{
    struct pdfout *w = d->attr;
    struct pdf_tags *t = &w->tags;
    size_t n = t->nel + 1;
    struct buf b;
    buf_init(&b);
    for (size_t i = 0; i < n; i++) {
        uint32_t s = obj_id(t->streams[i / OBJSTM_SIZE]);
        unsigned idx = (unsigned)(i % OBJSTM_SIZE);
        char e[6] = {2,       (char)(s >> 16),  (char)(s >> 8),
                     (char)s, (char)(idx >> 8), (char)idx};
        buf_add(&b, e, 6);
    }
    HPDF_STATUS st = deflate_buf(t, &b, &t->out);
    buf_release(&b);
    if (st != HPDF_OK)
        return st;
    uint32_t first = base(w);
    char head[160];
    int k = snprintf(head, sizeof head,
                     "/Type/XRef/Size %u/Index[%u %zu]/W[1 3 2]"
                     "/Filter/FlateDecode/Length %zu\n",
                     (unsigned)(first + n), (unsigned)first, n, t->out.len);
    t->stream = stream;
    return HPDF_Stream_Write(stream, (const HPDF_BYTE *)head, (HPDF_UINT)k);
}

static HPDF_STATUS end_xrefstm(HPDF_Dict d)
{
    struct pdfout *w = d->attr;
    struct pdf_tags *t = &w->tags;
    HPDF_STATUS st = HPDF_Stream_WriteStr(t->stream, "\nstream\r\n");
    if (st == HPDF_OK)
        st = HPDF_Stream_Write(t->stream, (const HPDF_BYTE *)t->out.data,
                               (HPDF_UINT)t->out.len);
    if (st == HPDF_OK)
        st = HPDF_Stream_WriteStr(t->stream, "\nendstream");
    buf_clear(&t->out);
    return st;
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
                                         (HPDF_INT32)(base(w) + t->nel + 1));
    if (st == HPDF_OK)
        st =
            HPDF_Dict_AddNumber(trailer, "XRefStm", (HPDF_INT32)e->byte_offset);
    return st;
}

/* A stream object of w's: its data made by fill before it is written, its
 * dictionary's own entries by write. */
static HPDF_Dict stream_dict(struct pdfout *w, HPDF_Dict_BeforeWriteFunc fill,
                             HPDF_Dict_OnWriteFunc write)
{
    HPDF_Dict d = HPDF_DictStream_New(w->pdf->mmgr, w->pdf->xref);
    if (!d)
        return NULL;
    d->before_write_fn = fill;
    d->write_fn = write;
    d->attr = w;
    return d;
}

static bool object_streams(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    t->objstm = true;
    t->nstreams = (t->nel + 1 + OBJSTM_SIZE - 1) / OBJSTM_SIZE;
    t->streams = calloc(t->nstreams, sizeof *t->streams);
    if (!t->streams)
        arena_oom();
    for (size_t i = 0; i < t->nstreams; i++)
        if (!(t->streams[i] = stream_dict(w, fill_objstm, write_objstm)))
            return false;
    if (!(t->xrefstm = writer_dict(w, write_xrefstm)))
        return false;
    t->xrefstm->after_write_fn = end_xrefstm;
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
    HPDF_Doc pdf = w->pdf;
    HPDF_Dict mark = HPDF_Dict_New(pdf->mmgr);
    if (mark && HPDF_Dict_AddBoolean(mark, "Marked", HPDF_TRUE) == HPDF_OK)
        HPDF_Dict_Add(pdf->catalog, "MarkInfo", mark);
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
