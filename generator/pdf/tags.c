/* tags: the structure tree of a tagged PDF (ISO 32000-1, 14.7-14.8),
 * built from the display list's DL_BEGIN and DL_END items while the pages
 * are drawn, and written when the document is saved.
 *
 * While a page is drawn, what is painted belongs to the innermost open
 * element, unless it is an artifact: before it is painted,
 * pdf_tags_paint() opens a marked-content sequence in the page's stream
 * (content.c) with the next marked-content identifier (MCID) of the page,
 * owned by that element, or an artifact sequence. Sequences never cross a
 * page; elements do.
 *
 * The tree is kept in plain arrays (an element is 24 bytes, a kid 12) and
 * written at save time, as compactly as PDF allows without object
 * streams: one indirect object per element (the parent tree needs
 * indirect references) holding only /S, /P, /Pg when it owns marked
 * content, /K (a bare kid when it has one), /A for table header scope and
 * column spans, and /Alt for figures. libharu would spend about 1 KB of
 * objects on each element; instead one dictionary with a write callback
 * writes every element, behind xref entries made in one block (and taken
 * out of libharu's list before libharu frees it). The parent tree is one
 * direct /Nums array in the root. This module and document.c are the
 * only users of libharu's object internals (hpdf_objects.h). */

#include "pdf/internal.h"

#include "base/utf8.h"

#include <hpdf_encrypt.h>
#include <hpdf_encryptdict.h>

#include <stdlib.h>
#include <string.h>

#define TAG_DOCUMENT 0xFF
#define KID_ELEM 0u
#define KID_MCID 1u
#define KID_OBJR 2u
#define KID_KIND(v) ((v) >> 30)
#define KID_VALUE(v) ((v)&0x3FFFFFFFu)
/* Bytes of an element's text gathered before they go to libharu. */
#define FLUSH_AT 65536

/* Structure types by role (the heading's level is added to "H"). */
static const char *const role_name[] = {
    [DL_ROLE_SECT] = "Sect",     [DL_ROLE_H] = "H",
    [DL_ROLE_P] = "P",           [DL_ROLE_L] = "L",
    [DL_ROLE_LI] = "LI",         [DL_ROLE_LBL] = "Lbl",
    [DL_ROLE_LBODY] = "LBody",   [DL_ROLE_TABLE] = "Table",
    [DL_ROLE_THEAD] = "THead",   [DL_ROLE_TBODY] = "TBody",
    [DL_ROLE_TR] = "TR",         [DL_ROLE_TH] = "TH",
    [DL_ROLE_TD] = "TD",         [DL_ROLE_CAPTION] = "Caption",
    [DL_ROLE_FIGURE] = "Figure", [DL_ROLE_TOC] = "TOC",
    [DL_ROLE_TOCI] = "TOCI",     [DL_ROLE_LINK] = "Link",
};

/* The artifacts' property lists, by enum dl_artifact. */
static const char *const artifact_props[] = {
    NULL,
    NULL,
    "/Type /Pagination /Subtype /Header",
    "/Type /Pagination /Subtype /Footer",
    "/Type /Pagination",
};

/* The name of element e's type into out (at least 8 bytes). */
static const char *type_name(const struct pdf_elem *e, char *out)
{
    if (e->role == TAG_DOCUMENT)
        return "Document";
    if (e->role == DL_ROLE_H) {
        out[0] = 'H';
        out[1] = (char)('0' + (e->arg >= 1 && e->arg <= 6 ? e->arg : 1));
        out[2] = '\0';
        return out;
    }
    return e->role < sizeof role_name / sizeof *role_name && role_name[e->role]
               ? role_name[e->role]
               : "Span";
}

static uint32_t new_elem(struct pdf_tags *t, uint8_t role, uint16_t arg,
                         uint32_t parent)
{
    t->el = pdf_grow(t->el, &t->capel, t->nel + 1, sizeof *t->el);
    uint32_t i = (uint32_t)t->nel++;
    t->el[i] =
        (struct pdf_elem){parent, TAG_NONE, TAG_NONE, TAG_NONE, 0, arg, role};
    return i;
}

static void add_kid(struct pdf_tags *t, uint32_t e, unsigned kind, uint32_t v,
                    uint32_t page)
{
    t->kid = pdf_grow(t->kid, &t->capkid, t->nkid + 1, sizeof *t->kid);
    uint32_t k = (uint32_t)t->nkid++;
    t->kid[k] = (struct pdf_kid){TAG_NONE, kind << 30 | v, page};
    struct pdf_elem *el = &t->el[e];
    if (el->last == TAG_NONE)
        el->first = k;
    else
        t->kid[el->last].next = k;
    el->last = k;
}

void pdf_tags_init(struct pdfout *w, bool tagged)
{
    struct pdf_tags *t = &w->tags;
    memset(t, 0, sizeof *t);
    buf_init(&t->text);
    buf_init(&t->out);
    t->on = tagged;
    if (tagged)
        new_elem(t, TAG_DOCUMENT, 0, TAG_NONE);
}

/* The innermost open element (the document when none is). */
static uint32_t open_elem(const struct pdf_tags *t)
{
    return t->nstack ? t->stack[t->nstack - 1] : 0;
}

static void push(struct pdf_tags *t, uint32_t elem)
{
    t->stack =
        pdf_grow(t->stack, &t->capstack, t->nstack + 1, sizeof *t->stack);
    t->stack[t->nstack++] = elem;
}

void pdf_tags_begin(struct pdfout *w, const struct dl_item *it)
{
    struct pdf_tags *t = &w->tags;
    if (!t->on)
        return;
    if (it->role == DL_ROLE_RESUME) {
        /* An element begun before; anything else reopens nothing new. */
        push(t, it->elem > 0 && it->elem < t->nel ? it->elem : open_elem(t));
        return;
    }
    uint32_t parent = open_elem(t);
    uint32_t e = new_elem(t, it->role, it->arg, parent);
    if (it->role == DL_ROLE_FIGURE && it->len) {
        t->el[e].alt = (uint32_t)t->text.len + 1;
        buf_add(&t->text, it->text, it->len);
        buf_addc(&t->text, '\0');
    }
    add_kid(t, parent, KID_ELEM, e, 0);
    push(t, e);
}

void pdf_tags_end(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    if (t->on && t->nstack)
        t->nstack--;
}

void pdf_tags_page_begin(struct pdfout *w, unsigned number)
{
    struct pdf_tags *t = &w->tags;
    t->page = number ? number - 1 : 0;
    t->page_tagged = t->on && number >= 1;
    t->is_open = false;
    if (t->page_tagged && t->page < w->npages)
        w->pages[t->page].mc_first = t->nowner;
}

void pdf_tags_paint(struct pdfout *w, unsigned art)
{
    struct pdf_tags *t = &w->tags;
    if (!t->page_tagged)
        return;
    if (art >= sizeof artifact_props / sizeof *artifact_props)
        art = DL_ART_LAYOUT;
    uint32_t elem = art ? TAG_NONE : open_elem(t);
    if (t->is_open && t->open_elem == elem && t->open_art == art)
        return;
    t->is_open = true;
    t->open_elem = elem;
    t->open_art = art;
    if (art) {
        content_artifact(&w->page, artifact_props[art]);
        return;
    }
    size_t first = w->pages[t->page].mc_first;
    uint32_t mcid = (uint32_t)(t->nowner - first);
    t->owner =
        pdf_grow(t->owner, &t->capowner, t->nowner + 1, sizeof *t->owner);
    t->owner[t->nowner++] = elem;
    struct pdf_elem *el = &t->el[elem];
    if (el->page == TAG_NONE)
        el->page = t->page;
    add_kid(t, elem, KID_MCID, mcid, t->page);
    char name[8];
    content_mark(&w->page, type_name(el, name), mcid);
}

void pdf_tags_page_end(struct pdfout *w, HPDF_Page page)
{
    struct pdf_tags *t = &w->tags;
    content_mark_end(&w->page);
    t->is_open = false;
    if (!t->page_tagged || t->page >= w->npages)
        return;
    struct pdf_page *pg = &w->pages[t->page];
    pg->mc_count = t->nowner - pg->mc_first;
    pg->parents = -1;
    if (pg->mc_count) {
        pg->parents = t->nparents++;
        HPDF_Dict_AddNumber(page, "StructParents", (HPDF_INT32)pg->parents);
    }
}

uint32_t pdf_tags_link(struct pdfout *w, size_t link)
{
    struct pdf_tags *t = &w->tags;
    if (!t->page_tagged)
        return TAG_NONE;
    uint32_t e = open_elem(t);
    add_kid(t, e, KID_OBJR, (uint32_t)link, t->page);
    return e;
}

/* ---- writing ------------------------------------------------------------- */

static uint32_t obj_id(const void *obj)
{
    return ((const HPDF_Obj_Header *)obj)->obj_id & 0x00FFFFFFu;
}

static uint32_t page_id(const struct pdfout *w, uint32_t page)
{
    return page < w->npages && w->pages[page].page ? obj_id(w->pages[page].page)
                                                   : 0;
}

static void put_ref(struct buf *b, uint32_t id)
{
    buf_printf(b, "%u 0 R", (unsigned)id);
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

static HPDF_Encrypt encryption(const struct pdfout *w)
{
    if (!w->pdf->encrypt_on)
        return NULL;
    HPDF_Encrypt e = HPDF_EncryptDict_GetAttr(w->pdf->encrypt_dict);
    if (e)
        HPDF_Encrypt_Reset(e);
    return e;
}

static void put_kid(struct pdfout *w, struct buf *b, const struct pdf_elem *el,
                    const struct pdf_kid *k)
{
    uint32_t v = KID_VALUE(k->v);
    switch (KID_KIND(k->v)) {
    case KID_ELEM:
        put_ref(b, w->tags.base + v);
        break;
    case KID_MCID:
        if (k->page == el->page) {
            buf_printf(b, "%u", (unsigned)v);
        } else {
            buf_adds(b, "<</Type/MCR/Pg ");
            put_ref(b, page_id(w, k->page));
            buf_printf(b, "/MCID %u>>", (unsigned)v);
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

/* Writes the next element (libharu writes the objects in order of their
 * numbers, which are the elements' order). */
static HPDF_STATUS write_elem(HPDF_Dict obj, HPDF_Stream stream)
{
    struct pdfout *w = obj->attr;
    struct pdf_tags *t = &w->tags;
    if (t->next >= t->nel)
        return HPDF_INVALID_OBJECT;
    const struct pdf_elem *el = &t->el[t->next++];
    struct buf *b = &t->out;
    char name[8];
    buf_clear(b);
    buf_printf(b, "/S/%s/P ", type_name(el, name));
    put_ref(b, el->parent == TAG_NONE ? t->root : t->base + el->parent);
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
            put_kid(w, b, el, &t->kid[k]);
        }
        if (many)
            buf_addc(b, ']');
    }
    return HPDF_Stream_Write(stream, (const HPDF_BYTE *)b->data,
                             (HPDF_UINT)b->len);
}

static HPDF_STATUS flush(struct buf *b, HPDF_Stream stream, size_t at)
{
    if (b->len < at)
        return HPDF_OK;
    HPDF_STATUS st = HPDF_Stream_Write(stream, (const HPDF_BYTE *)b->data,
                                       (HPDF_UINT)b->len);
    buf_clear(b);
    return st;
}

/* The root: the document element and the parent tree, whose keys are the
 * pages' /StructParents (an array of the owners of their marked content,
 * by identifier) and then the links' /StructParent (their element). */
static HPDF_STATUS write_root(HPDF_Dict obj, HPDF_Stream stream)
{
    struct pdfout *w = obj->attr;
    struct pdf_tags *t = &w->tags;
    struct buf *b = &t->out;
    buf_clear(b);
    buf_adds(b, "/Type/StructTreeRoot/K ");
    put_ref(b, t->base);
    buf_adds(b, "/ParentTree<</Nums[");
    long key = 0;
    HPDF_STATUS st = HPDF_OK;
    for (size_t p = 0; p < w->npages && st == HPDF_OK; p++) {
        const struct pdf_page *pg = &w->pages[p];
        if (!pg->page || pg->parents < 0)
            continue;
        buf_printf(b, "%ld[", pg->parents);
        for (size_t i = 0; i < pg->mc_count && st == HPDF_OK; i++) {
            if (i)
                buf_addc(b, ' ');
            put_ref(b, t->base + t->owner[pg->mc_first + i]);
            st = flush(b, stream, FLUSH_AT);
        }
        buf_addc(b, ']');
        key = pg->parents + 1;
    }
    for (size_t i = 0; i < w->nlinks && st == HPDF_OK; i++) {
        if (w->links[i].owner == TAG_NONE)
            continue;
        buf_printf(b, "%ld ", key++);
        put_ref(b, t->base + w->links[i].owner);
        buf_addc(b, ' ');
        st = flush(b, stream, FLUSH_AT);
    }
    buf_printf(b, "]>>/ParentTreeNextKey %ld", key);
    return st == HPDF_OK ? flush(b, stream, 0) : st;
}

/* A dictionary of w's whose body write writes. */
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

/* Objects for elements 1 .. nel - 1 after element 0's: xref entries whose
 * object is element 0's writer. */
static bool add_entries(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    HPDF_List list = w->pdf->xref->entries;
    size_t n = t->nel - 1;
    if (n == 0)
        return true;
    if (list->count + n > HPDF_LIMIT_MAX_XREF_ELEMENT) {
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "el documento tiene %zu elementos de estructura, "
                        "más de los que un PDF sin flujos de objetos admite",
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
        t->writer = writer_dict(w, write_elem);
    }
    if (t->writer) {
        t->base = obj_id(t->writer);
        add_entries(w);
    }
    /* The links' keys in the parent tree follow the pages'. */
    long key = t->nparents;
    for (size_t i = 0; i < w->nlinks && !w->err; i++)
        if (w->links[i].owner != TAG_NONE && w->links[i].annot)
            HPDF_Dict_AddNumber(w->links[i].annot, "StructParent",
                                (HPDF_INT32)key++);
    if (w->failed)
        return false;
    if (w->err || !t->writer)
        return pdf_fail(w, "escribir la estructura del documento");
    return true;
}

void pdf_tags_free(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    if (t->nentries && w->pdf) {
        /* libharu frees each entry of its list and its object: take the
         * block out of the list (later entries move down). */
        HPDF_List list = w->pdf->xref->entries;
        size_t end = t->first_entry + t->nentries;
        memmove(list->obj + t->first_entry, list->obj + end,
                (list->count - end) * sizeof *list->obj);
        list->count -= (HPDF_UINT)t->nentries;
    }
    free(t->entries);
    free(t->el);
    free(t->kid);
    free(t->stack);
    free(t->owner);
    buf_release(&t->text);
    buf_release(&t->out);
    memset(t, 0, sizeof *t);
}
