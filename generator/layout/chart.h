/* chart: a bar chart block laid out over pages: its plan (axis, geometry,
 * the drawings it is split into), its caption, bars and numbered key. */
#ifndef INFORME_LAYOUT_CHART_H
#define INFORME_LAYOUT_CHART_H

#include "doc/doc.h"
#include "layout/page.h"

void lay_chart(struct lay *L, const struct chart_block *c);
/* Height of what must stay with a heading before the chart: caption,
 * first drawing and its key. */
double lay_chart_height(struct lay *L, const struct chart_block *c);

#endif
