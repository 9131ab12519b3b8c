/* paintorder: the order in which a page's items are painted, so that its
 * content stream switches as little as possible between text and
 * graphics.
 *
 * The display list draws a table cell by cell: the cell's border or
 * background, then its text. Written in that order, every cell ends a
 * text object and opens an artifact sequence for its rectangle. Here the
 * rectangles and lines that are artifacts (borders, backgrounds, rules)
 * are moved earlier, past the items they do not touch, to join the
 * artifacts painted before them: a table becomes one block of artifacts
 * followed by one text object. Nothing else moves: text, images, the
 * paths of a figure (content with its own marked content), links and the
 * structure items keep their order. What followed a moved artifact is
 * flagged (restart): its marked-content sequence had ended there, and
 * begins anew in the same place, so that the marked-content sequences
 * and the structure tree stay the same.
 *
 * An artifact moves past an item only when their boxes, grown by
 * PAINT_GAP, do not meet: what it overlaps still paints in the same order
 * (a background painted after text over it stays after it). A path's box
 * holds half its line width on every side; a run's box is its advance
 * and the reach of its face's ink (struct paint_ink). The gap keeps apart
 * what would share a pixel when rendered (anti-aliased edges), so that
 * the page renders to the same pixels in either order.
 *
 * The page's header and footer come last (after everything else in its
 * display list, where they come first): whatever reads the content stream
 * in order (text extraction, PDF.js, a reader ignoring the structure)
 * reads the page's content before them. */
#ifndef INFORME_PAINTORDER_H
#define INFORME_PAINTORDER_H

#include "doc/dlist.h"
#include "media/font.h"

#include <stddef.h>
#include <stdint.h>

/* Points between the boxes of what changes order. */
#define PAINT_GAP 0.5f

/* How far a face's ink may reach, in ems: above and below the baseline,
 * and past either end of a run's advance (overhanging glyphs). */
struct paint_ink {
    float above, below, side;
};

/* The ink of a face with these metrics: its glyphs' highest and lowest
 * ink, and a tenth of an em on the sides. */
struct paint_ink paint_ink_of(const struct font_metrics *fm);

struct po_box {
    float x0, y0, x1, y1;
};

/* Owned arrays, kept from page to page. */
struct paintorder {
    uint32_t *order; /* the page's items in painting order: n indices */
    size_t n;
    size_t cap;      /* of order, fixed, next and box */
    uint32_t *fixed; /* items that keep their order */
    size_t nfixed;
    uint32_t *next;     /* the item after each moved one in its group */
    bool *restart;      /* by item: painted after a moved artifact */
    bool after_moved;   /* the last painting item was moved */
    struct po_box *box; /* of each item */
    struct po_slot *slot;
    size_t nslot, capslot;
    struct po_group *group;
    size_t ngroup, capgroup;
    struct po_chunk *chunk;
    size_t capchunk;
    uint32_t last_group; /* the slot of the latest group */
};

void paintorder_init(struct paintorder *po);
void paintorder_release(struct paintorder *po);

/* Orders the items of page p (ink: by enum face) into po->order, and
 * sets po->restart for them. */
void paintorder_page(struct paintorder *po, const struct dl_page *p,
                     const struct paint_ink ink[FACE_COUNT]);

#endif
