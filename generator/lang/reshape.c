/* reshape: the data steps that build a table of another layout: unpivot
 * (wide to long, with the bounds every regular expression is checked
 * against before it is compiled by rx) and join (the columns of a second
 * table matched by key). */
#include "lang/shape.h"
#include "lang/shape_int.h"

#include "base/limits.h"
#include "base/utf8.h"
#include "data/fmt.h"
#include "lang/keyset.h"
#include "lang/rx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * unpivot */

/* The position of byte off of pattern, which starts at at. */
static struct shape_pos regex_pos(struct shape_pos at, const char *pattern,
                                  size_t off)
{
    if (!memchr(pattern, '\n', off))
        at.col += (unsigned)utf8_length(pattern, off);
    return at;
}

/* The byte after the bracket expression that starts at p[i] == '['. */
static size_t bracket_end(const char *p, size_t i, size_t n)
{
    size_t j = i + 1;
    if (j < n && p[j] == '^')
        j++;
    if (j < n && p[j] == ']')
        j++;
    while (j < n && p[j] != ']') {
        if (p[j] == '[' && j + 1 < n &&
            (p[j + 1] == ':' || p[j + 1] == '.' || p[j + 1] == '=')) {
            /* [:alpha:], [.x.], [=e=]: up to the same mark and ']' */
            char mark = p[j + 1];
            j += 2;
            while (j + 1 < n && !(p[j] == mark && p[j + 1] == ']'))
                j++;
            j += 2;
            continue;
        }
        j++;
    }
    return j < n ? j + 1 : n;
}

/* An interval {m}, {m,}, {m,n} or {,n} at p[i] == '{': its end and the
 * most copies it makes (n, or m + 1 when open); false if it is not one
 * (regcomp then decides what the brace means). */
static bool interval(const char *p, size_t i, size_t n, size_t *end,
                     uint64_t *copies)
{
    uint64_t v[2] = {0, 0};
    bool have[2] = {false, false}, comma = false;
    size_t j = i + 1;
    for (; j < n && p[j] != '}'; j++) {
        if (p[j] == ',' && !comma) {
            comma = true;
        } else if (p[j] >= '0' && p[j] <= '9') {
            uint64_t *x = &v[comma];
            *x = *x > 1000000000 ? *x : *x * 10 + (uint64_t)(p[j] - '0');
            have[comma] = true;
        } else {
            return false;
        }
    }
    if (j >= n || (!have[0] && !have[1]))
        return false;
    *end = j + 1;
    *copies = !comma ? v[0] : have[1] ? v[1] : v[0] + 1;
    if (*copies == 0)
        *copies = 1;
    return true;
}

/* Nested group of a pattern being measured: copies so far, and those of
 * its last piece (what a following repetition multiplies). */
struct rx_group {
    uint64_t total, last;
};

/* Counts saturate here, far above any limit, so that they never wrap. */
#define RX_CAP (UINT64_C(1) << 50)

static uint64_t rx_add(uint64_t x, uint64_t y)
{
    return x + y > RX_CAP ? RX_CAP : x + y;
}

static uint64_t rx_mul(uint64_t x, uint64_t y)
{
    return y && x > RX_CAP / y ? RX_CAP : x * y;
}

bool shape_regex_check(struct arena *a, struct diag *d, const char *pattern,
                       struct shape_pos at)
{
    size_t n = strlen(pattern);
    if ((uint64_t)n > (uint64_t)limit(LIMIT_REGEX_LENGTH)) {
        limits_exceeded(d, LIMIT_REGEX_LENGTH, at.file, at.line, at.col,
                        arena_printf(a, "la expresión regular (%zu bytes)", n));
        return false;
    }
    uint64_t max_copies = (uint64_t)limit(LIMIT_REGEX_REPEAT);
    size_t max_depth = (size_t)limit(LIMIT_EXPR_DEPTH);
    struct rx_group *stack = xmalloc((max_depth + 1) * sizeof *stack);
    size_t depth = 0;
    struct rx_group g = {0, 0};
    uint64_t all = 0; /* copies in the whole pattern */
    bool ok = true;
    for (size_t i = 0; ok && i < n;) {
        char c = pattern[i];
        size_t next = i + 1;
        uint64_t copies = 0; /* of the piece at i: 0 when no piece */
        if (c == '\\' && i + 1 < n && pattern[i + 1] >= '1' &&
            pattern[i + 1] <= '9') {
            struct shape_pos p = regex_pos(at, pattern, i);
            diag_error(d, p.file, p.line, p.col,
                       "expresión regular '%s': las referencias hacia atrás "
                       "como '\\%c' no se admiten (su búsqueda puede no "
                       "terminar)",
                       pattern, pattern[i + 1]);
            ok = false;
            break;
        } else if (c == '\\') {
            next = i + 2 <= n ? i + 2 : n;
            copies = 1;
        } else if (c == '[') {
            next = bracket_end(pattern, i, n);
            copies = 1;
        } else if (c == '(') {
            if (depth >= max_depth) {
                struct shape_pos p = regex_pos(at, pattern, i);
                limits_exceeded(d, LIMIT_EXPR_DEPTH, p.file, p.line, p.col,
                                "el anidamiento de la expresión regular");
                ok = false;
                break;
            }
            stack[depth++] = g;
            g = (struct rx_group){0, 0};
        } else if (c == ')' && depth > 0) {
            /* the group is one piece of its parent, already counted */
            uint64_t inner = g.total ? g.total : 1;
            all = rx_add(all, inner - g.total);
            g = stack[--depth];
            g.total = rx_add(g.total, inner);
            g.last = inner;
        } else if (c == '|') {
            g.last = 0;
        } else if (c == '{' && g.last &&
                   interval(pattern, i, n, &next, &copies)) {
            /* The last piece, repeated: copies times as many (nested
             * repetitions multiply). The whole pattern's copies are
             * bounded, checked at each repetition, so a pattern with
             * none is bounded by regex_length alone. */
            uint64_t grown = rx_mul(g.last, copies);
            all = rx_add(all - g.last, grown);
            g.total = rx_add(g.total - g.last, grown);
            g.last = grown;
            copies = 0;
            if (all > max_copies) {
                struct shape_pos p = regex_pos(at, pattern, i);
                limits_exceeded(d, LIMIT_REGEX_REPEAT, p.file, p.line, p.col,
                                arena_printf(a,
                                             "la expresión regular con sus "
                                             "repeticiones (%llu copias)",
                                             (unsigned long long)all));
                ok = false;
            }
        } else if (c == '*' || c == '+' || c == '?' || c == '^' || c == '$') {
            /* loops and anchors add no copies */
        } else {
            copies = 1;
        }
        if (copies) {
            g.total = rx_add(g.total, copies);
            g.last = copies;
            all = rx_add(all, copies);
        }
        i = next;
    }
    free(stack);
    return ok;
}

/* The compiled pattern, or NULL after reporting why it is refused (at
 * its own character). */
static struct rx *regex_compile(struct arena *a, struct diag *d,
                                const char *pattern, struct shape_pos at)
{
    struct rx_error err;
    struct rx *re = rx_compile(a, pattern, &err);
    if (re)
        return re;
    struct shape_pos p = regex_pos(at, pattern, err.off);
    if (err.too_deep)
        limits_exceeded(d, LIMIT_EXPR_DEPTH, p.file, p.line, p.col,
                        "el anidamiento de la expresión regular");
    else
        diag_error(d, p.file, p.line, p.col,
                   "expresión regular inválida '%s': %s", pattern, err.msg);
    return NULL;
}

static bool column_all_missing(const struct table *t, size_t c)
{
    for (size_t r = 0; r < t->nrows; r++)
        if (table_cell(t, r, c)->v.type != V_MISSING)
            return false;
    return true;
}

struct table *shape_unpivot(struct arena *a, struct diag *d,
                            const struct table *in,
                            const struct shape_unpivot *u)
{
    const char *name = u->name ? u->name : "name";
    const char *value = u->value ? u->value : "value";
    const char *code_name = u->code_name ? u->code_name : "codigo";
    struct table *t = NULL;
    struct shape_pos cols_at = u->columns_at.file ? u->columns_at : u->pos;
    struct shape_pos code_at = u->code_at.file ? u->code_at : u->pos;
    if (!shape_regex_check(a, d, u->columns, cols_at) ||
        (u->code && !shape_regex_check(a, d, u->code, code_at)))
        return NULL;
    struct rx *re = regex_compile(a, d, u->columns, cols_at);
    struct rx *cre = u->code ? regex_compile(a, d, u->code, code_at) : NULL;
    if (!re || (u->code && !cre))
        return NULL;
    size_t nc = in->ncols;
    bool *wide = arena_array(a, nc ? nc : 1, sizeof *wide);
    const char **folded = arena_array(a, nc ? nc : 1, sizeof *folded);
    size_t nwide = 0;
    for (size_t c = 0; c < nc; c++) {
        folded[c] = shape_fold_space(a, in->cols[c].name);
        wide[c] = rx_match(re, folded[c], strlen(folded[c]), NULL);
        nwide += wide[c];
    }
    if (nwide == 0) {
        diag_error(d, u->pos.file, u->pos.line, u->pos.col,
                   "ninguna columna de '%s' coincide con '%s'",
                   in->name ? in->name : "", u->columns);
        return NULL;
    }
    size_t nids = nc - nwide;
    size_t extra = u->code ? 3 : 2;
    t = shape_new_table(a, in, nids + extra, in->nrows * nwide);
    size_t o = 0;
    for (size_t c = 0; c < nc; c++)
        if (!wide[c])
            t->cols[o++] = in->cols[c];
    if (u->code)
        t->cols[o++] = (struct column){code_name, V_TEXT, 0};
    t->cols[o++] = (struct column){name, V_TEXT, 0};
    /* The common type of the unpivoted columns; a column with no value at
     * all (a policy not measured that year) says nothing about it. */
    enum vtype vt = V_MISSING;
    for (size_t c = 0; c < nc; c++) {
        if (!wide[c] || in->cols[c].type == V_MISSING ||
            column_all_missing(in, c))
            continue;
        enum vtype ct = in->cols[c].type;
        if (vt == V_MISSING)
            vt = ct;
        else if (vt != ct)
            vt = shape_is_num(vt) && shape_is_num(ct) ? V_NUMBER : V_TEXT;
    }
    t->cols[o] = (struct column){value, vt == V_MISSING ? V_NUMBER : vt, 0};
    /* Per wide column: its name and code values, made once. */
    struct value *names = arena_array(a, nc ? nc : 1, sizeof *names);
    struct value *codes = arena_array(a, nc ? nc : 1, sizeof *codes);
    for (size_t c = 0; c < nc; c++) {
        if (!wide[c])
            continue;
        names[c] = (struct value){.type = V_TEXT, .text = folded[c]};
        codes[c] = (struct value){.type = V_MISSING};
        struct rx_span m[2];
        if (cre && rx_match(cre, folded[c], strlen(folded[c]), m)) {
            struct rx_span *g = m[1].start != RX_UNSET ? &m[1] : &m[0];
            codes[c] =
                (struct value){.type = V_TEXT,
                               .text = arena_strndup(a, folded[c] + g->start,
                                                     g->end - g->start)};
        }
    }
    size_t row = 0;
    for (size_t r = 0; r < in->nrows; r++) {
        for (size_t w = 0; w < nc; w++) {
            if (!wide[w])
                continue;
            const struct cell *src = table_cell(in, r, w);
            size_t k = 0;
            for (size_t c = 0; c < nc; c++)
                if (!wide[c])
                    *table_cell(t, row, k++) = *table_cell(in, r, c);
            if (u->code)
                *table_cell(t, row, k++) = (struct cell){codes[w], src->line};
            *table_cell(t, row, k++) = (struct cell){names[w], src->line};
            struct cell v = *src;
            if (v.v.type != V_MISSING && shape_is_num(v.v.type) &&
                vt == V_NUMBER)
                v.v.type = V_NUMBER;
            *table_cell(t, row, k) = v;
            row++;
        }
    }
    return t;
}

/* ---------------------------------------------------------------------
 * join */

static const char *key_display(struct arena *a, const struct table *t, size_t r,
                               const long *cols, size_t n)
{
    struct buf b;
    buf_init(&b);
    for (size_t k = 0; k < n; k++) {
        if (k)
            buf_adds(&b, ", ");
        fmt_value(&b, &table_cell(t, r, (size_t)cols[k])->v, NULL);
    }
    const char *s = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return s;
}

struct table *shape_join(struct arena *a, struct diag *d,
                         const struct table *left, const struct table *right,
                         const struct shape_join *j)
{
    size_t nk = j->nkeys;
    long *lk = arena_array(a, nk ? nk : 1, sizeof *lk);
    long *rk = arena_array(a, nk ? nk : 1, sizeof *rk);
    for (size_t k = 0; k < nk; k++) {
        lk[k] = shape_column(d, left, j->left_keys[k], j->pos);
        rk[k] = shape_column(d, right, j->right_keys[k], j->pos);
        if (lk[k] < 0 || rk[k] < 0)
            return NULL;
    }
    /* The columns of right to add, and their names. */
    size_t np = 0;
    long *pc = arena_array(a, right->ncols + j->npick + 1, sizeof *pc);
    const char **pn = arena_array(a, right->ncols + j->npick + 1, sizeof *pn);
    if (j->npick) {
        for (size_t i = 0; i < j->npick; i++) {
            pc[np] = shape_column(d, right, j->pick[i].column, j->pos);
            if (pc[np] < 0)
                return NULL;
            pn[np++] = j->pick[i].name;
        }
    } else {
        const char *prefix =
            j->prefix ? j->prefix
                      : arena_printf(a, "%s_", right->name ? right->name : "");
        for (size_t c = 0; c < right->ncols; c++) {
            bool key = false;
            for (size_t k = 0; k < nk; k++)
                key = key || rk[k] == (long)c;
            if (key)
                continue;
            const char *nm = right->cols[c].name;
            if (table_find_column(left, nm) >= 0)
                nm = arena_printf(a, "%s%s", prefix, nm);
            pc[np] = (long)c;
            pn[np++] = nm;
        }
    }
    for (size_t i = 0; i < np; i++) {
        if (table_find_column(left, pn[i]) >= 0) {
            diag_error(d, j->pos.file, j->pos.line, j->pos.col,
                       "la columna '%s' ya existe en '%s'", pn[i],
                       left->name ? left->name : "");
            return NULL;
        }
    }
    /* Index right by key. */
    struct keyset ks;
    keyset_init(&ks, right->nrows);
    size_t *rrow = xmalloc((right->nrows ? right->nrows : 1) * sizeof *rrow);
    struct buf b;
    buf_init(&b);
    struct table *t = NULL;
    for (size_t r = 0; r < right->nrows; r++) {
        buf_clear(&b);
        bool missing = false;
        for (size_t k = 0; k < nk; k++) {
            const struct value *v = &table_cell(right, r, (size_t)rk[k])->v;
            missing = missing || v->type == V_MISSING;
            keyset_key(&b, v);
        }
        if (missing)
            continue;
        /* the key's copy is kept when the key is new: one look-up */
        bool added;
        size_t idx = keyset_get(&ks, arena_strndup(a, b.data, b.len), b.len,
                                true, &added);
        if (!added) {
            unsigned l1 =
                right->ncols ? table_cell(right, rrow[idx], 0)->line : 0;
            unsigned l2 = right->ncols ? table_cell(right, r, 0)->line : 0;
            diag_error(d, j->pos.file, j->pos.line, j->pos.col,
                       "clave repetida '%s' en '%s' (líneas %u y %u): cada "
                       "fila de '%s' debe tener una clave distinta",
                       key_display(a, right, r, rk, nk),
                       right->name ? right->name : "", l1, l2,
                       right->name ? right->name : "");
            goto done;
        }
        rrow[idx] = r;
    }
    t = table_extend(a, left, np); /* left's columns shared */
    for (size_t i = 0; i < np; i++) {
        t->cols[left->ncols + i] = right->cols[pc[i]];
        t->cols[left->ncols + i].name = pn[i];
    }
    for (size_t r = 0; r < left->nrows; r++) {
        buf_clear(&b);
        bool missing = false;
        for (size_t k = 0; k < nk; k++) {
            const struct value *v = &table_cell(left, r, (size_t)lk[k])->v;
            missing = missing || v->type == V_MISSING;
            keyset_key(&b, v);
        }
        bool added;
        size_t idx = missing ? (size_t)-1
                             : keyset_get(&ks, b.data, b.len, false, &added);
        unsigned line = left->ncols ? table_cell(left, r, 0)->line : 0;
        for (size_t i = 0; i < np; i++) {
            struct cell *c = table_cell(t, r, left->ncols + i);
            if (idx == (size_t)-1)
                *c = (struct cell){{.type = V_MISSING}, line};
            else
                *c = *table_cell(right, rrow[idx], (size_t)pc[i]);
        }
    }
done:
    buf_release(&b);
    keyset_release(&ks);
    free(rrow);
    return t;
}
