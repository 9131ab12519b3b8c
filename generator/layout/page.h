/* page: the state of a layout run (struct lay, shared by every layout
 * module) and the page primitives the blocks are laid out with: new pages
 * with their header and footer, room and gaps on the page, and drawing
 * into the display list (a no-op in pass 1). layout.c lays out the blocks
 * with them, and so do table.c and chart.c. */
#ifndef INFORME_LAYOUT_PAGE_H
#define INFORME_LAYOUT_PAGE_H

#include "base/arena.h"
#include "base/diag.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "layout/breakmemo.h"
#include "layout/text.h"
#include "media/font.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Geometry fixed by the house style (SPEC.md of the benchmark). */
#define LAY_EPS 1e-6
#define LAY_CAPTION_GAP 4.0  /* caption to drawing or table */
#define LAY_FIGURE_BEFORE 12 /* space before a figure or captioned table */
#define LAY_PARA_AFTER 8.0
#define LAY_CELL_PAD_X 3.0
#define LAY_CELL_PAD_Y 2.0
#define LAY_RULE_WIDTH 0.5f

/* One layout run. Pass 1 (emit false) only moves y and counts pages;
 * pass 2 makes the same decisions and also draws. Every decision must
 * therefore depend on measurements only, never on emit. */
struct lay {
    const struct doc *doc;
    const struct doc_settings *set;
    const struct fontset *fonts;
    struct diag *d;
    struct text_ctx tx;
    const struct page_sink *sink;
    bool emit;
    bool failed; /* the sink refused a page, or an error stopped the run */

    struct arena *arena; /* the current page's items; reset per page */
    struct dl_page page;
    struct dl_store items; /* lent to every page of pass 2 */
    unsigned pageno;       /* current page, 1-based; 0 before the first */
    unsigned npages;       /* from pass 1; 0 during pass 1 */

    double x0, w;       /* text area left edge and width */
    double top, bottom; /* text area top and bottom edges */
    double y;           /* top of the next element */
    double pending;     /* space before the next element */
    bool page_empty;    /* nothing placed yet on this page */
    bool after_cover;   /* the next content starts a new page */

    /* Filled by pass 1 per block index: a heading's page and y; an
     * image's size. */
    unsigned *hpage;
    float *hy;
    float *imgw, *imgh;

    unsigned figures, tables; /* numbers given so far */
    size_t block;             /* index of the block being laid out */

    /* Structure (pass 2): elements begun so far (dlist.h numbers them),
     * the level of the last heading tagged, and the levels of the
     * sections open, innermost last. */
    unsigned elements;
    unsigned hlevel;
    unsigned char sect[8];
    unsigned nsect;
    enum dl_artifact art; /* what is drawn now is this artifact */

    struct text_lines lines; /* scratch for breaking */
    struct text_lines cell;  /* scratch for table cells */
    struct breakmemo memo;   /* table cells broken so far, both passes */
};

/* Colours of the house style not in the settings. */
#define LAY_GRID 0xBFBFBF
#define LAY_GROUP_FILL 0xDDEBF7
#define LAY_TOTAL_FILL 0xEDEDED
#define LAY_ZEBRA_FILL 0xF5F5F5
#define LAY_WHITE 0xFFFFFF

/* Starts a new page (finishing the current one). */
void lay_new_page(struct lay *L);
/* Hands the current page, if any, to the sink (pass 2) and forgets it. */
void lay_finish_page(struct lay *L);
/* The gap the next element gets: the pending space, unless at the top. */
double lay_gap(const struct lay *L);
/* True when h more points fit below y (after the gap). */
bool lay_fits(const struct lay *L, double h);
/* Starts a new page unless h fits or the page is still empty. */
void lay_ensure(struct lay *L, double h);
/* Claims h points: returns the top of the claimed box. */
double lay_take(struct lay *L, double h);
/* Reports (once, in pass 1) that the block being laid out needs h points
 * of height, more than a page's text area, and stops the run. */
void lay_no_room(struct lay *L, double h);
/* Adds space before the next element (dropped at the top of a page). */
void lay_space(struct lay *L, double h);

/* Line pitch for a text size, in proportion to the body's 9/11. */
double lay_pitch(const struct lay *L, double size);

/* Drawing, no-ops in pass 1. */
void lay_text(struct lay *L, double x, double y, enum face face, double size,
              uint32_t color, const char *s, size_t n, double w);
/* Draws the lines of l (from line a to b) with tops from y at pitch,
 * aligned in the box [x, x + width]. */
void lay_draw_lines(struct lay *L, const struct text_lines *l, size_t a,
                    size_t b, double x, double width, double y, double size,
                    double pitch, enum align align, uint32_t color);
void lay_rect(struct lay *L, double x, double y, double w, double h,
              uint32_t fill, uint32_t stroke, float lw);
void lay_line(struct lay *L, double x1, double y1, double x2, double y2,
              uint32_t color, float lw);

/* Structure, no-ops in pass 1 like drawing (see dlist.h). lay_begin opens
 * an element of a role (arg as dlist.h says) and returns its number (0 in
 * pass 1); lay_begin_text also gives it a text (a figure's alternate
 * description); lay_resume reopens an element; lay_end closes the
 * innermost. lay_artifact makes what is drawn next an artifact of a kind,
 * until lay_artifact(L, DL_ART_NONE); it returns the kind it replaces. */
unsigned lay_begin(struct lay *L, enum dl_role role, unsigned arg);
unsigned lay_begin_text(struct lay *L, enum dl_role role, const char *text,
                        size_t len);
void lay_resume(struct lay *L, unsigned elem);
void lay_end(struct lay *L);
enum dl_artifact lay_artifact(struct lay *L, enum dl_artifact kind);
/* An image item (kept whole when it does not fit: callers make room). */
void lay_image(struct lay *L, double x, double y, double w, double h,
               const char *path);
/* The level a heading of level `level` is tagged with: never more than
 * one below the previous heading's (no skipped level), at most 6. */
unsigned lay_heading_level(struct lay *L, unsigned level);

#endif
