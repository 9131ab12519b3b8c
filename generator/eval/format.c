/* eval_format: the `format:` of table columns and charts ("number:1",
 * "percent:1", "money", "integer", "plain", "date:long") and values
 * formatted with it. */
#include "eval/internal.h"

#include <string.h>

static const struct {
    const char *name;
    enum numfmt_kind kind;
    int decimals;
} kinds[] = {
    {"number", NF_NUMBER, -1},  {"integer", NF_INTEGER, 0},
    {"percent", NF_PERCENT, 1}, {"money", NF_MONEY, 0},
    {"plain", NF_PLAIN, -1},
};

static bool date_kind(const char *arg, int *out)
{
    static const char *const names[] = {"short", "long", "iso"};
    for (int i = 0; i < 3; i++) {
        if (strcmp(arg, names[i]) == 0) {
            *out = i + 1;
            return true;
        }
    }
    return false;
}

static bool decimals_of(const char *arg, int *out)
{
    if (arg[0] < '0' || arg[0] > '9' || arg[1] != '\0')
        return false;
    *out = arg[0] - '0';
    return true;
}

bool eval_format_parse(struct report *r, const struct tnode *n,
                       struct colfmt *out)
{
    memset(out, 0, sizeof *out);
    out->nf = (struct numfmt){.kind = NF_AUTO,
                              .decimals = -1,
                              .pct_space = r->pct_space,
                              .missing = ""};
    if (!n)
        return true;
    out->given = true;
    const char *colon = strchr(n->text, ':');
    size_t len = colon ? (size_t)(colon - n->text) : n->len;
    const char *arg = colon ? colon + 1 : "";
    if (len == 4 && memcmp(n->text, "date", 4) == 0) {
        out->date = 1;
        if (!colon || date_kind(arg, &out->date))
            return true;
    }
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        if (strlen(kinds[i].name) != len ||
            memcmp(kinds[i].name, n->text, len) != 0)
            continue;
        out->nf.kind = kinds[i].kind;
        out->nf.decimals = kinds[i].decimals;
        if (!colon || decimals_of(arg, &out->nf.decimals))
            return true;
    }
    tree_error(r->d, n,
               "formato desconocido '%s' (number:N, integer, "
               "percent:N, money, plain, date:long)",
               n->text);
    return false;
}

const char *eval_format_value(struct report *r, const struct colfmt *f,
                              const struct value *v)
{
    /* A text is copied as it is, without a buffer on the heap between:
     * the cells of a table's text columns are most of what comes here. */
    if (v->type == V_TEXT)
        return arena_strdup(r->a, v->text);
    struct buf b;
    buf_init(&b);
    if (v->type == V_DATE && f->date == 2)
        fmt_date_long(&b, v->days);
    else if (v->type == V_DATE && f->date == 3)
        fmt_date_iso(&b, v->days);
    else if (v->type == V_DATE)
        fmt_date_short(&b, v->days);
    else
        fmt_value(&b, v, &f->nf);
    const char *s = arena_strndup(r->a, b.data, b.len);
    buf_release(&b);
    return s;
}
