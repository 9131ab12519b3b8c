/* table: column lookup. */
#include "data/table.h"

#include <string.h>

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Equal once runs of white space (a header's line breaks, say) count as
 * one space and leading or trailing space is ignored. */
static bool equal_folded(const char *a, const char *b)
{
    while (is_space(*a))
        a++;
    while (is_space(*b))
        b++;
    while (*a && *b) {
        if (is_space(*a) && is_space(*b)) {
            while (is_space(*a))
                a++;
            while (is_space(*b))
                b++;
            continue;
        }
        if (*a != *b)
            return false;
        a++;
        b++;
    }
    while (is_space(*a))
        a++;
    while (is_space(*b))
        b++;
    return !*a && !*b;
}

long table_find_column(const struct table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, name) == 0)
            return (long)i;
    /* "Índice de Desempeño Institucional" finds the header written over
     * two lines in the file. */
    for (size_t i = 0; i < t->ncols; i++)
        if (equal_folded(t->cols[i].name, name))
            return (long)i;
    return -1;
}

void table_name_typed(struct buf *b, const char *name)
{
    const char *p = name;
    while (is_space(*p))
        p++;
    while (*p) {
        if (is_space(*p)) {
            while (is_space(*p))
                p++;
            if (*p)
                buf_addc(b, ' ');
            continue;
        }
        buf_addc(b, *p++);
    }
}

const char *table_name_typed_in(struct arena *a, const char *name)
{
    struct buf b;
    buf_init(&b);
    table_name_typed(&b, name);
    const char *r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}
