/* table: column lookup. */
#include "table.h"

#include <string.h>

long table_find_column(const struct table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return (long)i;
    return -1;
}
