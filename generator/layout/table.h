/* table: a table block laid out over pages (column widths, wrapped cells,
 * rows kept whole, the header row repeated on every page, group, subtotal
 * and total rows). */
#ifndef INFORME_LAYOUT_TABLE_H
#define INFORME_LAYOUT_TABLE_H

#include "doc/doc.h"
#include "layout/page.h"

void lay_table(struct lay *L, const struct table_block *t);
/* Height of the caption, header and first row: what must fit together
 * (and stay with a heading before the table). */
double lay_table_head(struct lay *L, const struct table_block *t);

#endif
