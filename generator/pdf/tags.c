/* tags: the structure tree of a tagged PDF (ISO 32000-1, 14.7-14.8),
 * built from the display list's DL_BEGIN and DL_END items while the pages
 * are drawn; tagsave.c writes it when the document is saved.
 *
 * While a page is drawn, what is painted belongs to the innermost open
 * element, unless it is an artifact: before it is painted,
 * pdf_tags_paint() opens a marked-content sequence in the page's stream
 * (content.c) with the next marked-content identifier (MCID) of the page,
 * owned by that element, or an artifact sequence. Sequences never cross a
 * page; elements do. The tree is kept in plain arrays: an element is 12
 * bytes, a kid 8, an MCID's owner 4 (at scale L, 175,000 elements and
 * 425,000 kids: 5.5 MB instead of 9.3).
 *
 * A table body of more rows than PDF/A-1 allows in an array (8,191) is
 * written as several TBody elements in a row, each of at most
 * TAG_KIDS_MAX rows: ISO 32000-1, 14.8.4.3.4, lets a Table hold one or
 * more TBody ("table row group") elements, and readers announce the
 * rows the same way. */

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
    t->el[i] = (struct pdf_elem){parent, TAG_NONE, arg, role};
    return i;
}

/* A new kid, before next in a chain. Returns its index. */
static uint32_t new_kid(struct pdf_tags *t, unsigned kind, uint32_t v,
                        uint32_t next)
{
    t->kid = pdf_grow(t->kid, &t->capkid, t->nkid + 1, sizeof *t->kid);
    uint32_t k = (uint32_t)t->nkid++;
    t->kid[k] = (struct pdf_kid){next, kind << 30 | v};
    return k;
}

/* A new kid of element e, before its others (the chain runs backwards
 * until pdf_tags_close). */
static void add_kid(struct pdf_tags *t, uint32_t e, unsigned kind, uint32_t v)
{
    t->el[e].kids = new_kid(t, kind, v, t->el[e].kids);
}

void pdf_tags_init(struct pdfout *w, bool tagged)
{
    struct pdf_tags *t = &w->tags;
    memset(t, 0, sizeof *t);
    buf_init(&t->text);
    buf_init(&t->out);
    buf_init(&t->body);
    buf_init(&t->zbuf);
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
        t->alt = pdf_grow(t->alt, &t->capalt, t->nalt + 1, sizeof *t->alt);
        t->alt[t->nalt++] = (struct pdf_alt){e, (uint32_t)t->text.len + 1};
        buf_add(&t->text, it->text, it->len);
        buf_addc(&t->text, '\0');
    }
    add_kid(t, parent, KID_ELEM, e);
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
    if (mcid == 0) {
        t->mcpage = pdf_grow(t->mcpage, &t->capmcpage, t->nmcpage + 1,
                             sizeof *t->mcpage);
        t->mcpage[t->nmcpage++] =
            (struct pdf_mcpage){(uint32_t)t->nowner, t->page};
    }
    t->owner =
        pdf_grow(t->owner, &t->capowner, t->nowner + 1, sizeof *t->owner);
    add_kid(t, elem, KID_MCID, (uint32_t)t->nowner);
    t->owner[t->nowner++] = elem;
    const struct pdf_elem *el = &t->el[elem];
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
    add_kid(t, e, KID_OBJR, (uint32_t)link);
    return e;
}

uint32_t pdf_tags_mc_page(const struct pdf_tags *t, uint32_t g, size_t *hint)
{
    size_t h = *hint;
    if (h < t->nmcpage && t->mcpage[h].first <= g &&
        (h + 1 == t->nmcpage || t->mcpage[h + 1].first > g))
        return t->mcpage[h].page;
    /* The last page whose first identifier is at most g. */
    size_t lo = 0, hi = t->nmcpage;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->mcpage[mid].first <= g)
            lo = mid;
        else
            hi = mid;
    }
    *hint = lo;
    return t->nmcpage ? t->mcpage[lo].page : 0;
}

/* Splits the rows of TBody e after every TAG_KIDS_MAX into TBody elements
 * that follow it in its parent (its kids are in order). */
static void split_body(struct pdfout *w, uint32_t e)
{
    struct pdf_tags *t = &w->tags;
    uint32_t parent = t->el[e].parent;
    /* e's place among its parent's kids, after which the new ones go */
    uint32_t at = t->el[parent].kids;
    while (at != TAG_NONE && t->kid[at].v != (KID_ELEM << 30 | e))
        at = t->kid[at].next;
    if (at == TAG_NONE)
        return;
    uint32_t body = e, n = 0;
    for (uint32_t k = t->el[e].kids, prev = TAG_NONE; k != TAG_NONE;
         prev = k, k = t->kid[k].next) {
        if (n++ == TAG_KIDS_MAX) {
            n = 1;
            t->kid[prev].next = TAG_NONE;
            body = new_elem(t, DL_ROLE_TBODY, 0, parent);
            t->el[body].kids = k;
            /* new_kid may move t->kid: link after the call */
            uint32_t nk = new_kid(t, KID_ELEM, body, t->kid[at].next);
            t->kid[at].next = nk;
            at = nk;
        }
        if (body == e)
            continue;
        uint32_t v = KID_VALUE(t->kid[k].v);
        switch (KID_KIND(t->kid[k].v)) {
        case KID_ELEM:
            t->el[v].parent = body;
            break;
        case KID_MCID:
            t->owner[v] = body;
            break;
        default:
            if (v < w->nlinks)
                w->links[v].owner = body;
            break;
        }
    }
}

void pdf_tags_close(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    size_t nel = t->nel;
    for (size_t i = 0; i < nel; i++) {
        uint32_t k = t->el[i].kids, prev = TAG_NONE, n = 0;
        while (k != TAG_NONE) {
            uint32_t next = t->kid[k].next;
            t->kid[k].next = prev;
            prev = k;
            k = next;
            n++;
        }
        t->el[i].kids = prev;
        if (n > TAG_KIDS_MAX && t->el[i].role == DL_ROLE_TBODY &&
            t->el[i].parent != TAG_NONE)
            split_body(w, (uint32_t)i);
    }
}

void pdf_tags_free(struct pdfout *w)
{
    struct pdf_tags *t = &w->tags;
    zpipe_stop(&t->zp); /* before the buffers it may be deflating */
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
    free(t->alt);
    free(t->mcpage);
    free(t->leaf);
    buf_release(&t->text);
    buf_release(&t->out);
    buf_release(&t->body);
    buf_release(&t->zbuf);
    if (t->z_ready)
        deflateEnd(&t->z);
    memset(t, 0, sizeof *t);
}
