/* doc: the evaluated report, what the evaluator hands to layout: page
 * settings and a flat list of content blocks whose text is final (already
 * formatted es-CO, parameters substituted). Only "{page}" and "{pages}" are
 * left in header and footer strings, for layout to fill in.
 * Everything lives in the arena of the report run. Layout reads a doc and
 * never changes it. */
#ifndef INFORME_DOC_H
#define INFORME_DOC_H

#include "data/fmt.h"
#include "media/font.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

/* Inline styles of a run of text. */
enum { SPAN_BOLD = 1, SPAN_ITALIC = 2 };

/* A run of text in one style; face = FACE_REGULAR + style bits. */
struct span {
    const char *text; /* UTF-8 */
    size_t len;
    unsigned style; /* SPAN_BOLD | SPAN_ITALIC */
};

/* Rich text: a paragraph's or a cell's content. */
struct rich {
    struct span *spans;
    size_t n;
};

enum block_kind {
    BLK_COVER,
    BLK_TOC,
    BLK_HEADING,
    BLK_PARAGRAPH,
    BLK_LIST,
    BLK_TABLE,
    BLK_CHART,
    BLK_PAGE_BREAK,
    BLK_SPACE,
    BLK_IMAGE,
};

struct cover_block {
    const char *title, *subtitle;
    const char **lines; /* further centred lines (entity, period, date) */
    size_t nlines;
    const char *logo; /* image path or NULL */
};

struct toc_block {
    const char *title;  /* "Contenido" */
    unsigned max_level; /* headings up to this level are listed */
};

struct heading_block {
    unsigned level;     /* 1 = chapter */
    const char *number; /* "1.", "2.3." or NULL when unnumbered */
    const char *text;
    bool new_page; /* chapters start on a new page */
    bool in_toc;   /* listed in the TOC and as a bookmark */
};

struct paragraph_block {
    struct rich text;
    enum align align;
    float size; /* 0: the document's body size */
};

struct list_block {
    struct rich *items;
    size_t n;
    bool numbered;
};

enum width_kind { WIDTH_AUTO, WIDTH_POINTS, WIDTH_PERCENT };

struct table_column {
    const char *title;
    enum width_kind width_kind;
    float width; /* points, or percent of the text width */
    enum align align;
    unsigned style; /* SPAN_ bits for body cells of this column */
};

enum row_kind { ROW_BODY, ROW_GROUP, ROW_SUBTOTAL, ROW_TOTAL };

struct table_cell {
    const char *text; /* final text, may hold '\n' */
    uint32_t fill;    /* background, COLOR_NONE: the row's */
};

struct table_row {
    enum row_kind kind;
    /* ROW_GROUP: cells[0] holds the group title, spanning the row. */
    struct table_cell *cells;
    unsigned line; /* source line of the record, for warnings */
};

struct table_block {
    struct table_column *cols;
    size_t ncols;
    struct table_row *rows;
    size_t nrows;
    const char *caption; /* text after "Tabla N. "; layout numbers it */
    bool zebra;
    float size; /* 0: the document's table size */
};

enum chart_orient { CHART_VERTICAL, CHART_HORIZONTAL };
enum chart_kind { CHART_BAR, CHART_LINE };
/* Which values are written: every one, the last of each series, none. */
enum chart_values { VALUES_ALL, VALUES_LAST, VALUES_NONE };

struct chart_series {
    const char *label;
    uint32_t color;
    double *values;  /* one per category; NAN: missing */
    uint32_t *fills; /* per-bar colour from thresholds, or NULL */
};

struct chart_block {
    enum chart_kind kind; /* CHART_LINE: one line a series, no orient */
    enum chart_values values;
    enum chart_orient orient;
    bool stacked;
    const char *caption; /* text after "Figura N. "; layout numbers it */
    const char **categories;
    size_t ncat;
    struct chart_series *series;
    size_t nseries;
    double min, max, step;   /* NAN: automatic round ticks */
    struct numfmt value_fmt; /* value labels and ticks */
    bool value_labels;       /* false: none, whatever values says */
    bool legend;             /* default: on when more than one series */
    bool numbered_labels;    /* categories drawn as 1..n with a key below */
    double target;           /* NAN: no target line */
    const char *target_label;
    float height; /* drawing height in points; 0: automatic */
    /* What the chart shows, for a screen reader: `alt:`, or described
     * from the data (eval/alt.c); layout puts "Figura N. " before it. */
    const char *alt;
};

struct image_block {
    const char *path;
    float width, height; /* points; 0: natural size scaled to fit */
    enum align align;
    const char *alt; /* `alt:`; NULL: decoration (an artifact) */
};

struct block {
    enum block_kind kind;
    const char *file; /* template position, for warnings */
    unsigned line, col;
    union {
        struct cover_block cover;
        struct toc_block toc;
        struct heading_block heading;
        struct paragraph_block para;
        struct list_block list;
        struct table_block table;
        struct chart_block chart;
        struct image_block image;
        float space; /* BLK_SPACE: points */
    } u;
};

/* Page and typography settings, from the template's `report:` section. */
struct doc_settings {
    float page_width, page_height; /* points, orientation applied */
    float margin_top, margin_right, margin_bottom, margin_left;
    /* left, center, right; may hold {page} {pages}; any other brace is
     * doubled ("{{", "}}") */
    const char *header[3];
    const char *footer[3];
    const char *title, *author, *subject, *keywords, *creator;
    const char *owner_password; /* NULL: no encryption */
    const char *font_dir;
    const char *font_file[FACE_COUNT];
    float body_size, body_leading; /* 9 / 11 */
    float table_size;
    uint32_t accent;     /* headings, table header fill (#1F4E79) */
    uint32_t text_color; /* #000000 */
    uint32_t muted;      /* header/footer text, axes (#404040) */
    uint32_t rule;       /* table rules (#808080) */
    int64_t created;     /* seconds since the epoch (SOURCE_DATE_EPOCH) or
                            -1 for no date in the PDF */
    const char *lang;    /* the text's language, BCP 47 ("es-CO") */
    bool untagged;       /* --no-tags: no structure tree, no marked content */
    bool pdfa;           /* report.pdf or --pdf pdf/a-1b: PDF/A-1b */
};

struct doc {
    struct doc_settings set;
    struct block *blocks;
    size_t nblocks;
};

/* Fills s with the defaults: US Letter portrait, 2 cm margins, Liberation
 * Sans, 9/11 pt body, the colours above, no header or footer, Spanish of
 * Colombia, tagged. */
void doc_settings_default(struct doc_settings *s);

#endif
