/* document: the libharu document of a writer: its error handler and
 * watched allocator, metadata (with the language and the viewer's
 * preference for the title) and owner password, pages by number,
 * bookmarks and the links resolved at save time. */

#include "pdf/internal.h"
#include "pdf/textstr.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Permissions with an owner password. libharu's flags cover only the
 * revision-2 bits, so with revision 3 printing would be low resolution
 * and extraction for accessibility refused: add those bits (PDF 32000-1
 * table 22: 10 accessibility, 12 high-quality print) and the reserved ones
 * that must be set (7, 8, 13-32). Editing stays refused. */
#define PDF_PERMISSIONS                                                        \
    (HPDF_ENABLE_READ | HPDF_ENABLE_PRINT | HPDF_ENABLE_COPY | 0x200u |        \
     0x800u | 0xC0u | 0xFFFFF000u)

/* ---- errors and memory --------------------------------------------------- */

static void on_hpdf_error(HPDF_STATUS error_no, HPDF_STATUS detail_no,
                          void *user)
{
    struct pdfout *w = user;
    if (!w->err) {
        w->err = error_no;
        w->detail = detail_no;
        w->save_errno = errno; /* why a file write failed */
    }
}

/* libharu's allocations, watched: after a failed one, libharu may report
 * some other error (a font's tables "invalid" when their copy could not
 * be made), so the failure itself is remembered. libharu's allocator
 * takes no user pointer; the flag is per thread and reset by
 * pdf_doc_open(). */
static _Thread_local bool hpdf_alloc_failed;

static void *hpdf_alloc(HPDF_UINT n)
{
    void *p = malloc(n);
    if (!p)
        hpdf_alloc_failed = true;
    return p;
}

static void hpdf_free(void *p)
{
    free(p);
}

bool pdf_alloc_failed(void)
{
    return hpdf_alloc_failed;
}

bool pdf_fail(struct pdfout *w, const char *what)
{
    if (w->failed)
        ;
    else if (hpdf_alloc_failed || w->err == HPDF_FAILD_TO_ALLOC_MEM ||
             w->save_errno == ENOMEM ||
             (w->err == HPDF_ZLIB_ERROR &&
              w->detail == (HPDF_STATUS)Z_MEM_ERROR))
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0, "sin memoria al %s",
                        what);
    else
        diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                        "error interno de libharu 0x%04X (detalle %u) al %s",
                        (unsigned)w->err, (unsigned)w->detail, what);
    w->failed = true;
    return false;
}

void *pdf_grow(void *arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return arr;
    size_t n = *cap ? *cap : 8;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / size)
        arena_oom();
    *cap = n;
    return xrealloc(arr, n * size);
}

/* ---- opening --------------------------------------------------------------
 */

/* UTF-8 text s[n] as a PDF text string object (textstr.h): a literal
 * string when PDFDocEncoding (libharu escapes it, or encrypts it as hex),
 * else a binary string, which libharu writes in hex and encrypts alike. */
static void *text_object(struct pdfout *w, const char *s, size_t n)
{
    struct buf raw;
    buf_init(&raw);
    void *o;
    if (pdf_text_bytes(&raw, s, n)) {
        buf_addc(&raw, '\0');
        o = HPDF_String_New(w->pdf->mmgr, raw.data, NULL);
    } else {
        o = HPDF_Binary_New(w->pdf->mmgr, (HPDF_BYTE *)raw.data,
                            (HPDF_UINT)raw.len);
    }
    buf_release(&raw);
    return o;
}

/* Sets key of dict to the text string of s[n]; when libharu fails, its
 * error handler keeps the reason. */
static void add_text(struct pdfout *w, HPDF_Dict dict, const char *key,
                     const char *s, size_t n)
{
    void *o = text_object(w, s, n);
    if (o)
        HPDF_Dict_Add(dict, key, o);
}

/* The Info strings are HPDF_String objects holding the text string's
 * bytes: libharu reads them back (as strings ending at a NUL byte) to
 * make an encrypted document's identifier, and stops with an error at
 * any other kind of object. But it writes such a string only up to its
 * first NUL, so just before the dictionary is written each UTF-16 one
 * (the only kind that begins with FE FF: see textstr.h) becomes a binary
 * string with the same bytes. */
static HPDF_STATUS info_before_write(HPDF_Dict info)
{
    for (HPDF_UINT i = 0; i < info->list->count; i++) {
        HPDF_DictElement e = HPDF_List_ItemAt(info->list, i);
        HPDF_String s = e->value;
        if ((s->header.obj_class & HPDF_OCLASS_ANY) != HPDF_OCLASS_STRING ||
            s->len < 2 || s->value[0] != 0xFE || s->value[1] != 0xFF)
            continue;
        HPDF_Binary b = HPDF_Binary_New(info->mmgr, s->value, s->len);
        if (!b || HPDF_Dict_Add(info, e->key, b) != HPDF_OK)
            return HPDF_Error_GetCode(info->error);
    }
    return HPDF_OK;
}

static void set_info(struct pdfout *w, HPDF_Dict info, const char *key,
                     const char *s)
{
    if (!s || !*s || !info)
        return;
    struct buf raw;
    buf_init(&raw);
    pdf_text_bytes(&raw, s, strlen(s));
    HPDF_String str = HPDF_String_New(w->pdf->mmgr, "", NULL);
    HPDF_BYTE *v = HPDF_GetMem(w->pdf->mmgr, (HPDF_UINT)raw.len + 1);
    if (str && v) {
        memcpy(v, raw.data, raw.len);
        v[raw.len] = 0;
        HPDF_FreeMem(w->pdf->mmgr, str->value);
        str->value = v;
        str->len = (HPDF_UINT)raw.len;
        HPDF_Dict_Add(info, key, str);
    } else {
        if (v)
            HPDF_FreeMem(w->pdf->mmgr, v);
        if (str)
            HPDF_String_Free(str);
    }
    buf_release(&raw);
}

static void set_dates(struct pdfout *w, int64_t created)
{
    time_t t = (time_t)created;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return;
    HPDF_Date date = {
        .year = tm.tm_year + 1900,
        .month = tm.tm_mon + 1,
        .day = tm.tm_mday,
        .hour = tm.tm_hour,
        .minutes = tm.tm_min,
        .seconds = tm.tm_sec,
        /* PDFBox Preflight finds "Z00'00'" different from the XMP's
         * "Z" (their time zones differ in name): with PDF/A both say
         * +00:00. */
        .ind = w->pdfa ? '+' : 'Z',
    };
    HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_CREATION_DATE, date);
    HPDF_SetInfoDateAttr(w->pdf, HPDF_INFO_MOD_DATE, date);
}

bool pdf_doc_check(const struct doc_settings *set, struct diag *d)
{
    if (set->owner_password && !*set->owner_password) {
        diag_error(d, NULL, 0, 0,
                   "la contraseña de propietario no puede estar vacía");
        return false;
    }
    return true;
}

bool pdf_doc_open(struct pdfout *w, const struct doc_settings *set)
{
    hpdf_alloc_failed = false;
    w->pdf = HPDF_NewEx(on_hpdf_error, hpdf_alloc, hpdf_free, 0, w);
    if (!w->pdf)
        arena_oom();
    /* Compression applies only to objects created after this call. */
    HPDF_SetCompressionMode(w->pdf, HPDF_COMP_ALL);
    /* The Info strings are written by informe (textstr.h); libharu's
     * UTF-8 encoder, costly to set up, is not used. libharu's Info
     * dictionary holds the producer already. */
    HPDF_Dict info = w->pdf->info;
    set_info(w, info, "Title", set->title);
    set_info(w, info, "Author", set->author);
    set_info(w, info, "Subject", set->subject);
    set_info(w, info, "Keywords", set->keywords);
    set_info(w, info, "Creator", set->creator ? set->creator : "informe");
    if (set->created >= 0)
        set_dates(w, set->created);
    if (info)
        info->before_write_fn = info_before_write;

    if (set->owner_password) {
        /* An empty user password: anyone opens, reads, prints and copies;
         * the owner password guards editing. */
        HPDF_SetPassword(w->pdf, set->owner_password, "");
        HPDF_SetEncryptionMode(w->pdf, HPDF_ENCRYPT_R3, 16);
        HPDF_SetPermission(w->pdf, PDF_PERMISSIONS);
    }
    /* Tagged PDF as PDF/UA-1 reads it: PDF 1.7, the text's language,
     * the title shown instead of the file name, XMP metadata. */
    w->pdf->pdf_version = HPDF_VER_17;
    HPDF_Dict cat = w->pdf->catalog;
    const char *lang = set->lang ? set->lang : "es-CO";
    add_text(w, cat, "Lang", lang, strlen(lang));
    /* prefs belongs to the catalog once added (freed by libharu if that
     * fails); a failure is in w->err through the error handler. */
    HPDF_Dict prefs = HPDF_Dict_New(w->pdf->mmgr);
    if (prefs && HPDF_Dict_Add(cat, "ViewerPreferences", prefs) == HPDF_OK)
        HPDF_Dict_AddBoolean(prefs, "DisplayDocTitle", HPDF_TRUE);
    if (!w->err)
        pdf_xmp_add(w, set);
    if (w->err || !info)
        return pdf_fail(w, "preparar el documento");
    return true;
}

void pdf_doc_free(struct pdfout *w)
{
    if (w->pdf)
        HPDF_Free(w->pdf);
    free(w->pages);
    free(w->links);
}

/* ---- pages, bookmarks and links ------------------------------------------ */

HPDF_Page pdf_doc_page(struct pdfout *w, const struct dl_page *p)
{
    HPDF_Page page = HPDF_AddPage(w->pdf);
    if (page) {
        HPDF_Page_SetWidth(page, p->width);
        HPDF_Page_SetHeight(page, p->height);
    }
    if (!page || w->err) {
        char *what = arena_printf(w->arena, "crear la página %u", p->number);
        pdf_fail(w, what);
        return NULL;
    }
    if (p->number >= 1) {
        size_t i = p->number - 1;
        w->pages = pdf_grow(w->pages, &w->cappages, i + 1, sizeof *w->pages);
        while (w->npages <= i)
            w->pages[w->npages++] = (struct pdf_page){.parents = -1};
        w->pages[i] =
            (struct pdf_page){.page = page, .height = p->height, .parents = -1};
    }
    return page;
}

void pdf_doc_link(struct pdfout *w, HPDF_Page page, float height,
                  unsigned number, const struct dl_item *it)
{
    w->links =
        pdf_grow(w->links, &w->caplinks, w->nlinks + 1, sizeof *w->links);
    struct pdf_link *l = &w->links[w->nlinks++];
    l->page = page;
    l->rect.left = it->x;
    l->rect.bottom = height - it->y - it->h;
    l->rect.right = it->x + it->w;
    l->rect.top = height - it->y;
    l->source_page = number;
    l->target_page = it->target_page;
    l->target_y = it->target_y;
    l->text = it->len ? arena_strndup(w->arena, it->text, it->len) : NULL;
    l->annot = NULL;
    l->owner = TAG_NONE;
}

/* A destination on page: an indirect object as libharu makes it, or
 * with PDF/A a direct array, the only kind PDFBox Preflight reads in a
 * link annotation (it reports "can't convert to Destination"). */
static HPDF_Destination destination(struct pdfout *w, HPDF_Page page)
{
    if (!w->pdfa)
        return HPDF_Page_CreateDestination(page);
    HPDF_Array dst = HPDF_Array_New(w->pdf->mmgr);
    if (!dst)
        return NULL;
    dst->header.obj_class |= HPDF_OSUBCLASS_DESTINATION;
    if (HPDF_Array_Add(dst, page) != HPDF_OK ||
        HPDF_Array_AddName(dst, "Fit") != HPDF_OK) {
        HPDF_Array_Free(dst);
        return NULL;
    }
    return dst;
}

/* Bookmarks nest under the last bookmark of the level above. */
void pdf_doc_bookmarks(struct pdfout *w, HPDF_Page page,
                       const struct dl_page *p)
{
    float height = p->height;
    for (size_t i = 0; i < p->nmarks && !w->err; i++) {
        const struct dl_bookmark *m = &p->marks[i];
        unsigned level = m->level < 1 ? 1 : m->level;
        if (level > PDF_OUTLINE_LEVELS)
            level = PDF_OUTLINE_LEVELS;
        HPDF_Outline parent = NULL;
        for (unsigned l = level - 1; l > 0 && !parent; l--)
            parent = w->outline[l - 1];
        /* An empty title, replaced by the text string. */
        HPDF_Outline o = HPDF_CreateOutline(w->pdf, parent, "", NULL);
        if (!o)
            return;
        add_text(w, o, "Title", m->title, m->title ? strlen(m->title) : 0);
        HPDF_Outline_SetOpened(o, HPDF_TRUE);
        HPDF_Destination dst = destination(w, page);
        if (!dst)
            return;
        HPDF_Destination_SetFitH(dst, height - m->y);
        HPDF_Outline_SetDestination(o, dst);
        w->outline[level - 1] = o;
        for (unsigned l = level; l < PDF_OUTLINE_LEVELS; l++)
            w->outline[l] = NULL;
    }
}

bool pdf_doc_links(struct pdfout *w)
{
    for (size_t i = 0; i < w->nlinks && !w->err; i++) {
        const struct pdf_link *l = &w->links[i];
        if (l->target_page < 1 || l->target_page > w->npages ||
            !w->pages[l->target_page - 1].page) {
            diag_error_code(w->d, EXIT_SOFTWARE, NULL, 0, 0,
                            "la página %u enlaza a la página %u, que no "
                            "existe (el documento tiene %zu)",
                            l->source_page, l->target_page, w->npages);
            w->failed = true;
            return false;
        }
        const struct pdf_page *t = &w->pages[l->target_page - 1];
        HPDF_Destination dst = destination(w, t->page);
        if (!dst)
            break;
        HPDF_Destination_SetFitH(dst, t->height - l->target_y);
        HPDF_Annotation a = HPDF_Page_CreateLinkAnnot(l->page, l->rect, dst);
        if (!a)
            break;
        w->links[i].annot = a;
        HPDF_LinkAnnot_SetBorderStyle(a, 0, 0, 0);
        /* What a screen reader says of the link; the page's tab order
         * follows its structure. */
        if (l->text)
            add_text(w, a, "Contents", l->text, strlen(l->text));
        struct pdf_page *src =
            l->source_page >= 1 && l->source_page <= w->npages
                ? &w->pages[l->source_page - 1]
                : NULL;
        if (src && src->page == l->page && !src->tabs) {
            HPDF_Dict_AddName(l->page, "Tabs", "S");
            src->tabs = true;
        }
    }
    if (w->err)
        return pdf_fail(w, "crear los enlaces");
    return true;
}
