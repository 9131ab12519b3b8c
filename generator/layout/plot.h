/* plot: what bar and line charts share around their data: the Figure
 * that holds a chart, its caption, gridlines, the upright value axis
 * (ticks, gridlines, zero line) and the target line across it, broken
 * around the value labels (labels.h). */
#ifndef INFORME_LAYOUT_PLOT_H
#define INFORME_LAYOUT_PLOT_H

#include "base/buf.h"
#include "doc/doc.h"
#include "layout/axis.h"
#include "layout/labels.h"
#include "layout/page.h"

#define TARGET_COLOR 0xC00000

/* Opens the chart's Figure, described as "Figura N. " and the block's
 * description (or its caption when it has none, or the kind of chart). */
void plot_begin_figure(struct lay *L, const struct chart_block *c,
                       struct buf *b);
/* Draws the caption of figure L->figures (of a continuation when cont)
 * from y; the first is the figure's Caption. Returns its height (see
 * labels_caption). */
double plot_caption(struct lay *L, const struct chart_block *c, bool cont,
                    double y);
/* A gridline: decoration (an artifact) inside the figure. */
void plot_grid_line(struct lay *L, double x1, double y1, double x2, double y2);
/* The width of the upright value axis's tick column: the widest tick
 * text and 8 pt, at least 24 pt, at most a third of the text width. */
double plot_axis_room(struct lay *L, const struct axis *a);
/* The upright value axis of a plot from x px, pw wide, whose bottom is
 * at pbot and which is plot high: gridlines at the ticks, their text left
 * of px, the zero line in the axis colour. Returns the zero's y. */
double plot_value_axis(struct lay *L, const struct axis *a, double px,
                       double pw, double pbot, double plot);
/* The target line across the same plot (from ptop, plot high; the
 * drawing from y0), broken around boxes, with its label at the right end
 * above it, or where no box is in the way nearest that end, above or
 * below the line; a target beyond the axis writes its note at the axis
 * end instead. */
void plot_target_across(struct lay *L, const struct chart_block *c,
                        const struct axis *a, const struct label_boxes *boxes,
                        double px, double pw, double ptop, double plot,
                        double y0);

#endif
