/* labels: the text of a bar chart: label widths and baselines, labels
 * bounded to a number of lines (cut with "…"), category labels, the
 * caption ("Figura N. …", "(continúa)" on continuations), the legend of
 * series, the numbered key of categories, and the notes "Sin datos" and
 * of a target beyond the axis. */
#ifndef INFORME_LAYOUT_LABELS_H
#define INFORME_LAYOUT_LABELS_H

#include "base/buf.h"
#include "doc/doc.h"
#include "layout/axis.h"
#include "layout/page.h"
#include "layout/text.h"

#include <stdbool.h>
#include <stddef.h>

#define LABEL_SIZE 8.0
#define TICK_SIZE 7.0
#define KEY_PITCH 10.0
#define LEGEND_H 12.0
#define MAX_LABEL_LINES 3
#define MAX_KEY_LINES 3
#define TARGET_CLEAR 1.5

/* Width of the text in b, regular face. */
double labels_width(struct lay *L, double size, const struct buf *b);
/* Width of string s. */
double labels_str_width(struct lay *L, enum face face, double size,
                        const char *s);
/* Baseline that centres a line of the given size on y. */
double labels_mid_base(struct lay *L, double y, double size);
/* Breaks s into at most max lines of width points; when text is left
 * over, the last line is cut to end in "…" within the width. tail keeps
 * the text of that line (drawn from tl until tail changes). */
size_t labels_break(struct lay *L, enum face face, double size, const char *s,
                    size_t n, double width, size_t max, struct text_lines *tl,
                    struct buf *tail);

/* The number of category i (from 1), into b. */
void labels_number(struct buf *b, size_t i);
/* What stands under category i: its number when the chart numbers its
 * labels (the text then lives in b), else its name. */
const char *labels_category(const struct chart_block *c, size_t i,
                            struct buf *b);
/* Breaks the caption of figure number (of a continuation when cont) into
 * tl; returns its height, or -LAY_CAPTION_GAP when there is none (no
 * line, no gap). */
double labels_caption(struct lay *L, const struct chart_block *c,
                      unsigned number, bool cont, struct buf *b,
                      struct buf *tail, struct text_lines *tl);

/* True when the chart shows a legend. */
bool labels_legend_on(const struct chart_block *c);
/* Rows of the legend (0 without one). */
size_t labels_legend_rows(struct lay *L, const struct chart_block *c);
/* Draws the legend with its first row's top at top. */
void labels_legend(struct lay *L, const struct chart_block *c, double top);

/* Breaks key cell k ("k+1. name") into tl; returns its line count. */
size_t labels_key_cell(struct lay *L, const struct chart_block *c, size_t k,
                       struct buf *b, struct buf *tail, struct text_lines *tl);
/* The key of categories [k0, k1) in two columns, drawn from top when draw;
 * returns its height. lines, when known, holds the line count of every
 * key cell. */
double labels_key_height(struct lay *L, const struct chart_block *c, size_t k0,
                         size_t k1, double top, bool draw,
                         const unsigned char *lines);

/* The boxes of the value labels of a drawing, which its target line
 * passes by. */
struct label_boxes {
    double (*box)[4]; /* x0, y0, x1, y1 */
    size_t n, cap;
};
/* Draws value label b (regular, LABEL_SIZE) with its baseline starting at
 * (x, base), and keeps its box (from base - LABEL_SIZE to the descent) in
 * boxes. */
void labels_value(struct lay *L, struct label_boxes *boxes, double x,
                  double base, const struct buf *b);
void labels_boxes_release(struct label_boxes *boxes);
/* The target line from (x1, y1) to (x2, y2), across (y1 == y2) or upright
 * (x1 == x2), broken where it would cross a box, with TARGET_CLEAR points
 * clear on either side: a value label is never crossed out. */
void labels_target_line(struct lay *L, const struct label_boxes *boxes,
                        double x1, double y1, double x2, double y2,
                        uint32_t color);

/* "Sin datos", centred in the plot box. */
void labels_no_data(struct lay *L, double x, double y, double w, double h);
/* The target's note into b: its label, and when the target lies beyond
 * the axis its value "fuera del eje" (empty without either). */
void labels_target(const struct chart_block *c, const struct axis *a,
                   struct buf *b);

#endif
