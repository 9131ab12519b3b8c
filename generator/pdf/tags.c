/* tags: the structure tree of a tagged PDF (ISO 32000-1, 14.7-14.8),
 * built from the display list's DL_BEGIN and DL_END items while the pages
 * are drawn; tagsave.c writes it when the document is saved.
 *
 * While a page is drawn, what is painted belongs to the innermost open
 * element, unless it is an artifact: before it is painted,
 * pdf_tags_paint() opens a marked-content sequence in the page's stream
 * (content.c) with the next marked-content identifier (MCID) of the page,
 * owned by that element, or an artifact sequence. Sequences never cross a
 * page; elements do. The tree is kept in plain arrays: an element is 24
 * bytes, a kid 12, an MCID's owner 4. */

#include "pdf/internal.h"

#include <stdlib.h>
#include <string.h>

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
    "/Type/Pagination/Subtype/Header",
    "/Type/Pagination/Subtype/Footer",
    "/Type/Pagination",
};

const char *pdf_tags_type(const struct pdf_elem *e, char out[8])
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
    /* The stream may have closed the sequence (at the end of a text
     * object): then it is opened anew. */
    if (t->is_open && content_marked(&w->page) && t->open_elem == elem &&
        t->open_art == art)
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
    content_mark(&w->page, pdf_tags_type(el, name), mcid,
                 el->role != DL_ROLE_FIGURE);
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
    free(t->streams);
    free(t->el);
    free(t->kid);
    free(t->stack);
    free(t->owner);
    buf_release(&t->text);
    buf_release(&t->out);
    if (t->z_ready)
        deflateEnd(&t->z);
    memset(t, 0, sizeof *t);
}
