/* linechart: a line chart block laid out as one drawing: one line a
 * series over the categories in order, with markers, value labels
 * (`values:`), the value axis, target line and legend of the bar charts. */
#ifndef INFORME_LAYOUT_LINECHART_H
#define INFORME_LAYOUT_LINECHART_H

#include "doc/doc.h"
#include "layout/page.h"

/* Lays out line chart c at the current position (a new page when it does
 * not fit the rest of this one). */
void lay_linechart(struct lay *L, const struct chart_block *c);
/* Its height, caption included: what must stay with a heading. */
double lay_linechart_height(struct lay *L, const struct chart_block *c);

#endif
