/* paintorder: artifacts moved earlier past what they do not touch (see
 * paintorder.h).
 *
 * The page is read in drawing order. Items that keep their order are
 * "fixed"; the painting ones among them get a slot holding their box.
 * Artifacts that move are collected in groups, each with a slot too and
 * painted just before the fixed item that followed it when it was made.
 * An artifact goes to the first group it reaches going back from the end
 * without meeting the box of a slot, and is painted after that group's
 * members; to a new group at the end when something it meets comes
 * first. Slot 0 is a group before everything. Slots are summed up in
 * chunks of PO_CHUNK (the union of their boxes, and their last group), so
 * that the walk back skips whole rows of a table at once; and every slot
 * knows the lowest edge of all the boxes up to it, so that the walk ends
 * as soon as what is left lies wholly above the artifact (a table's rule
 * or background passes its own row and is done, where it used to walk
 * back over the rows above to the top of the page). */

#include "pdf/paintorder.h"

#include "base/arena.h"

#include <float.h>
#include <stdlib.h>
#include <string.h>

#define PO_NONE UINT32_MAX
#define PO_CHUNK 16

/* A fixed item's box, or a group (group != PO_NONE); below, the lowest
 * edge (largest y1) of the boxes of this slot and all before it. */
struct po_slot {
    struct po_box box;
    uint32_t group;
    float below;
};

/* Moved items chained through paintorder.next, painted before fixed item
 * `at`. */
struct po_group {
    uint32_t first, last, at;
};

struct po_chunk {
    struct po_box box;
    uint32_t group_slot; /* the last group's slot, PO_NONE: none */
};

static const struct po_box empty = {FLT_MAX, FLT_MAX, -FLT_MAX, -FLT_MAX};

struct paint_ink paint_ink_of(const struct font_metrics *fm)
{
    return (struct paint_ink){(float)fm->ink_top / 1000.0f,
                              (float)-fm->ink_bottom / 1000.0f, 0.1f};
}

void paintorder_init(struct paintorder *po)
{
    memset(po, 0, sizeof *po);
}

void paintorder_release(struct paintorder *po)
{
    free(po->order);
    free(po->fixed);
    free(po->next);
    free(po->restart);
    free(po->box);
    free(po->slot);
    free(po->group);
    free(po->chunk);
    memset(po, 0, sizeof *po);
}

static void *grow(void *arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return arr;
    size_t n = *cap ? *cap : 64;
    while (n < need)
        n *= 2;
    *cap = n;
    return xrealloc(arr, n * size);
}

static bool overlap(const struct po_box *a, const struct po_box *b)
{
    return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

static void unite(struct po_box *a, const struct po_box *b)
{
    if (b->x0 < a->x0)
        a->x0 = b->x0;
    if (b->y0 < a->y0)
        a->y0 = b->y0;
    if (b->x1 > a->x1)
        a->x1 = b->x1;
    if (b->y1 > a->y1)
        a->y1 = b->y1;
}

/* The box of (x, y, w, h) grown by g on every side. */
static struct po_box span(float x, float y, float w, float h, float g)
{
    struct po_box b = {x, y, x + w, y + h};
    if (w < 0) {
        b.x0 = x + w;
        b.x1 = x;
    }
    if (h < 0) {
        b.y0 = y + h;
        b.y1 = y;
    }
    return (struct po_box){b.x0 - g, b.y0 - g, b.x1 + g, b.y1 + g};
}

/* What item it paints: false when nothing. */
static bool paint_box(const struct dl_item *it, const struct paint_ink *ink,
                      struct po_box *b)
{
    switch (it->kind) {
    case DL_TEXT: {
        if (it->len == 0 || it->fill == COLOR_NONE)
            return false;
        const struct paint_ink *k =
            &ink[(unsigned)it->face < FACE_COUNT ? it->face : FACE_REGULAR];
        float s = it->h;
        *b = (struct po_box){it->x - k->side * s, it->y - k->above * s,
                             it->x + it->w + k->side * s, it->y + k->below * s};
        return true;
    }
    case DL_RECT:
        if (it->fill == COLOR_NONE && it->stroke == COLOR_NONE)
            return false;
        *b = span(it->x, it->y, it->w, it->h,
                  it->stroke == COLOR_NONE ? 0 : it->line_width / 2);
        return true;
    case DL_LINE:
        if (it->stroke == COLOR_NONE)
            return false;
        *b = span(it->x, it->y, it->w, it->h, it->line_width / 2);
        return true;
    case DL_IMAGE:
        *b = span(it->x, it->y, it->w, it->h, 0);
        return true;
    default:
        return false;
    }
}

static void add_slot(struct paintorder *po, const struct po_box *box,
                     uint32_t group)
{
    size_t s = po->nslot++;
    po->slot = grow(po->slot, &po->capslot, po->nslot, sizeof *po->slot);
    float below = s > 0 && po->slot[s - 1].below > box->y1
                      ? po->slot[s - 1].below
                      : box->y1;
    po->slot[s] = (struct po_slot){*box, group, below};
    if (s % PO_CHUNK == 0) {
        po->chunk =
            grow(po->chunk, &po->capchunk, s / PO_CHUNK + 1, sizeof *po->chunk);
        po->chunk[s / PO_CHUNK] = (struct po_chunk){empty, PO_NONE};
    }
    struct po_chunk *ch = &po->chunk[s / PO_CHUNK];
    unite(&ch->box, box);
    if (group != PO_NONE)
        ch->group_slot = (uint32_t)s;
}

static void new_group(struct paintorder *po)
{
    po->group =
        grow(po->group, &po->capgroup, po->ngroup + 1, sizeof *po->group);
    po->group[po->ngroup] =
        (struct po_group){PO_NONE, PO_NONE, (uint32_t)po->nfixed};
    po->last_group = (uint32_t)po->nslot;
    add_slot(po, &empty, (uint32_t)po->ngroup++);
}

/* The slot of the latest group artifact i can reach going back, PO_NONE:
 * none (something it meets comes first). Going further back, to an
 * earlier group, would change nothing in the stream. */
static uint32_t reach(const struct paintorder *po, uint32_t i)
{
    const struct po_box *own = &po->box[i];
    struct po_box b = {own->x0 - PAINT_GAP, own->y0 - PAINT_GAP,
                       own->x1 + PAINT_GAP, own->y1 + PAINT_GAP};
    size_t s = po->nslot;
    while (s > 0) {
        /* Every box left ends above b's top edge: none meets b, and the
         * latest group (not passed yet, else it was returned) is what
         * the walk would reach. */
        if (po->slot[s - 1].below <= b.y0)
            return po->last_group;
        if (s % PO_CHUNK == 0) {
            const struct po_chunk *ch = &po->chunk[s / PO_CHUNK - 1];
            if (!overlap(&ch->box, &b)) {
                if (ch->group_slot != PO_NONE)
                    return ch->group_slot;
                s -= PO_CHUNK;
                continue;
            }
        }
        const struct po_slot *sl = &po->slot[--s];
        if (sl->group != PO_NONE)
            return (uint32_t)s;
        if (overlap(&sl->box, &b))
            break;
    }
    return PO_NONE;
}

static void move(struct paintorder *po, uint32_t i)
{
    uint32_t s = reach(po, i);
    if (s == PO_NONE) {
        new_group(po);
        s = (uint32_t)po->nslot - 1;
    }
    struct po_group *g = &po->group[po->slot[s].group];
    po->next[i] = PO_NONE;
    if (g->last == PO_NONE)
        g->first = i;
    else
        po->next[g->last] = i;
    g->last = i;
    unite(&po->chunk[s / PO_CHUNK].box, &po->box[i]);
}

static bool band(const struct dl_item *it)
{
    return it->art == DL_ART_HEADER || it->art == DL_ART_FOOTER;
}

static void add(struct paintorder *po, const struct dl_item *it, uint32_t i,
                const struct paint_ink *ink)
{
    bool paints = paint_box(it, ink, &po->box[i]);
    po->restart[i] = false;
    if (paints && it->art != DL_ART_NONE &&
        (it->kind == DL_RECT || it->kind == DL_LINE)) {
        move(po, i);
        po->after_moved = true;
        return;
    }
    po->fixed[po->nfixed++] = i;
    if (paints) {
        add_slot(po, &po->box[i], PO_NONE);
        po->restart[i] = po->after_moved;
        po->after_moved = false;
    }
}

static void emit(struct paintorder *po, const struct po_group *g)
{
    for (uint32_t i = g->first; i != PO_NONE; i = po->next[i])
        po->order[po->n++] = i;
}

void paintorder_page(struct paintorder *po, const struct dl_page *p,
                     const struct paint_ink ink[FACE_COUNT])
{
    if (p->n > po->cap) {
        size_t cap = po->cap;
        po->order = grow(po->order, &cap, p->n, sizeof *po->order);
        cap = po->cap;
        po->fixed = grow(po->fixed, &cap, p->n, sizeof *po->fixed);
        cap = po->cap;
        po->next = grow(po->next, &cap, p->n, sizeof *po->next);
        cap = po->cap;
        po->restart = grow(po->restart, &cap, p->n, sizeof *po->restart);
        cap = po->cap;
        po->box = grow(po->box, &cap, p->n, sizeof *po->box);
        po->cap = cap;
    }
    po->n = po->nfixed = po->nslot = po->ngroup = 0;
    po->after_moved = false;
    new_group(po);
    for (int last = 0; last < 2; last++)
        for (size_t i = 0; i < p->n; i++)
            if (band(&p->items[i]) == last)
                add(po, &p->items[i], (uint32_t)i, ink);
    size_t gi = 0;
    for (size_t f = 0; f < po->nfixed; f++) {
        for (; gi < po->ngroup && po->group[gi].at <= f; gi++)
            emit(po, &po->group[gi]);
        po->order[po->n++] = po->fixed[f];
    }
    for (; gi < po->ngroup; gi++)
        emit(po, &po->group[gi]);
}
