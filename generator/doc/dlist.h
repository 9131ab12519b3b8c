/* dlist: the display list, what layout hands to the PDF writer: per page,
 * positioned text runs, rectangles, lines, images, links and bookmarks,
 * and the logical structure of what they draw (for tagged PDF).
 *
 * Coordinates are PostScript points with the origin at the top-left corner
 * of the page and y growing downwards (the writer flips them). A text run's
 * (x, y) is the start of its baseline. Items are drawn in order.
 * A page's items and strings live in the page's arena, which the layout
 * resets after the page has been handed on: a page is only valid during
 * the sink call. dl_dump() writes the stable text form used by
 * `informe render --dump-layout` and by the golden tests.
 *
 * Structure: DL_BEGIN and DL_END items bracket what belongs to one
 * structure element (a paragraph, a table cell, a figure), nested like
 * the elements themselves. An element may span pages: its DL_BEGIN is on
 * one page and its DL_END on a later one. The implicit root is the
 * document; elements are numbered 1, 2, ... in the order of their
 * DL_BEGIN items over the whole document (resumptions are not counted),
 * so that a DL_BEGIN with role DL_ROLE_RESUME can reopen element `elem`
 * (the cells of a table row split over pages). What an item draws belongs
 * to the innermost open element, unless the item is an artifact (its
 * `art`: header, footer, rules, cell backgrounds). The dump leaves
 * structure out. */
#ifndef INFORME_DLIST_H
#define INFORME_DLIST_H

#include "base/arena.h"
#include "base/buf.h"
#include "media/font.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Colours are 0xRRGGBB; COLOR_NONE means "do not paint". */
#define COLOR_NONE 0xFFFFFFFFu

enum dl_kind { DL_TEXT, DL_RECT, DL_LINE, DL_IMAGE, DL_LINK, DL_BEGIN, DL_END };

/* What a DL_BEGIN opens: a standard structure type of PDF (ISO 32000-1,
 * 14.8.4), or an element opened before. */
enum dl_role {
    DL_ROLE_RESUME, /* elem: the element reopened */
    DL_ROLE_SECT,
    DL_ROLE_H, /* arg: the level, 1 to 6 */
    DL_ROLE_P,
    DL_ROLE_L,
    DL_ROLE_LI,
    DL_ROLE_LBL,
    DL_ROLE_LBODY,
    DL_ROLE_TABLE,
    DL_ROLE_THEAD,
    DL_ROLE_TBODY,
    DL_ROLE_TR,
    DL_ROLE_TH, /* scope: column */
    DL_ROLE_TD, /* arg: columns spanned when more than one */
    DL_ROLE_CAPTION,
    DL_ROLE_FIGURE, /* text: the alternate description */
    DL_ROLE_TOC,
    DL_ROLE_TOCI,
    DL_ROLE_LINK,
};

/* What an item is when it is not content: nothing else (DL_ART_NONE),
 * decoration, a page's header or footer, a table header repeated on a
 * new page. */
enum dl_artifact {
    DL_ART_NONE,
    DL_ART_LAYOUT,
    DL_ART_HEADER,
    DL_ART_FOOTER,
    DL_ART_PAGINATION,
};

struct dl_item {
    enum dl_kind kind;
    float x, y, w, h; /* TEXT: baseline start and advance width, h = size;
                         RECT, IMAGE, LINK: box; LINE: x,y -> x+w,y+h */
    uint32_t fill;    /* TEXT colour; RECT fill */
    uint32_t stroke;  /* RECT outline, LINE colour */
    float line_width;
    enum face face; /* TEXT */
    uint8_t art;    /* TEXT, RECT, LINE, IMAGE: enum dl_artifact */
    uint8_t role;   /* BEGIN: enum dl_role */
    uint16_t arg;   /* BEGIN: the role's argument (see enum dl_role) */
    /* TEXT: UTF-8; IMAGE: image key (file path); LINK: its description;
     * BEGIN: a figure's alternate description */
    const char *text;
    size_t len;
    union {
        unsigned target_page; /* LINK: 1-based page */
        unsigned elem;        /* BEGIN of DL_ROLE_RESUME: the element */
    };
    float target_y; /* LINK: top of the destination */
};

struct dl_bookmark {
    const char *title;
    unsigned level; /* 1 = top */
    float y;
};

/* Item storage lent to page after page (dl_page_use), so that a long
 * report grows one array once instead of a new one for every page. Owned
 * by the lender; zero-initialise, release with dl_store_release. */
struct dl_store {
    struct dl_item *items;
    size_t cap;
};

struct dl_page {
    unsigned number; /* 1-based */
    float width, height;
    struct dl_item *items;
    size_t n, cap;
    struct dl_bookmark *marks;
    size_t nmarks, capmarks;
    struct arena *arena;    /* not owned */
    struct dl_store *store; /* not owned; NULL: items grow in the arena */
};

/* Starts an empty page whose storage comes from arena. */
void dl_page_init(struct dl_page *p, struct arena *arena, unsigned number,
                  float width, float height);
/* Makes the page keep its items in store (grown there when full) rather
 * than in the arena; call right after dl_page_init. The page's items are
 * then valid until the next page uses the store. */
void dl_page_use(struct dl_page *p, struct dl_store *store);
void dl_store_release(struct dl_store *store);

/* Adds a text run; text is copied into the page's arena. */
struct dl_item *dl_text(struct dl_page *p, float x, float y, enum face face,
                        float size, uint32_t color, const char *text,
                        size_t len, float advance);
struct dl_item *dl_rect(struct dl_page *p, float x, float y, float w, float h,
                        uint32_t fill, uint32_t stroke, float line_width);
struct dl_item *dl_line(struct dl_page *p, float x1, float y1, float x2,
                        float y2, uint32_t color, float line_width);
struct dl_item *dl_image(struct dl_page *p, float x, float y, float w, float h,
                         const char *key);
struct dl_item *dl_link(struct dl_page *p, float x, float y, float w, float h,
                        unsigned target_page, float target_y);
void dl_bookmark(struct dl_page *p, const char *title, unsigned level, float y);
/* The description of link it (a screen reader's name for it); copied. */
void dl_link_text(struct dl_page *p, struct dl_item *it, const char *text,
                  size_t len);
/* Opens a structure element; text (len bytes, may be NULL) is copied. */
struct dl_item *dl_begin(struct dl_page *p, enum dl_role role, unsigned arg,
                         const char *text, size_t len);
/* Reopens element elem (see above). */
struct dl_item *dl_resume(struct dl_page *p, unsigned elem);
/* Closes the innermost open element. */
struct dl_item *dl_end(struct dl_page *p);

/* Appends the stable text form of the page, one item a line:
 *   page 3 612.00x792.00
 *   text 56.69 36.85 R 8.00 #404040 w=120.50 "Página 3 de 9"
 *   rect 56.69 90.00 498.61 15.00 fill=#1F4E79 stroke=none lw=0.00
 *   line 56.69 42.52 555.31 42.52 #808080 lw=0.50
 *   image 56.69 60.00 80.00 40.00 "logo.png"
 *   link 56.69 120.00 498.61 11.00 -> 3 56.69
 *   mark 1 56.69 "1. Resultados FURAG"
 * Numbers have two decimals; faces are R, B, I, BI; quotes and
 * backslashes in text are escaped with a backslash. DL_BEGIN and DL_END
 * items and a link's description are not written. */
void dl_dump(const struct dl_page *p, struct buf *out);

/* Where finished pages go: the PDF writer, a dump, or a counter. Returns
 * false to stop the layout (the sink has reported why). */
struct page_sink {
    bool (*page)(void *ctx, const struct dl_page *p);
    void *ctx;
};

#endif
