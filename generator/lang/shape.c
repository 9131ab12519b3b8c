/* shape: the data steps that keep a table's layout or regroup its rows
 * (filter, compute, sort, limit, group, rename) as pure functions from
 * tables to new tables, and what every step shares: column look-up with
 * its message, folded headers, new tables and settled column types. The
 * steps that build another layout (unpivot, join) are in reshape.c. */
#include "lang/shape.h"
#include "lang/shape_int.h"

#include "data/collate.h"
#include "data/suggest.h"
#include "lang/keyset.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

const char *shape_fold_space(struct arena *a, const char *s)
{
    size_t n = strlen(s);
    char *out = arena_alloc(a, n + 1);
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = o > 0;
            continue;
        }
        if (space)
            out[o++] = ' ';
        space = false;
        out[o++] = c;
    }
    out[o] = '\0';
    return out;
}

/* ---------------------------------------------------------------------
 * Helpers */

long shape_column(struct diag *d, const struct table *t, const char *name,
                  struct shape_pos pos)
{
    long c = table_find_column(t, name);
    if (c >= 0)
        return c;
    const char *best = suggest_column(t, name);
    const char *tn = t->name ? t->name : "";
    if (best) {
        struct buf typed;
        buf_init(&typed);
        table_name_typed(&typed, best);
        diag_error(d, pos.file, pos.line, pos.col,
                   "columna desconocida '%s' en '%s'; ¿quiso decir '%s'?", name,
                   tn, typed.data);
        buf_release(&typed);
    } else
        diag_error(d, pos.file, pos.line, pos.col,
                   "columna desconocida '%s' en '%s'", name, tn);
    return -1;
}

struct table *shape_new_table(struct arena *a, const struct table *like,
                              size_t ncols, size_t nrows)
{
    return table_new(a, like, ncols, nrows);
}

/* A table with the given rows of in, in that order, over in's cells. */
static struct table *pick_rows(struct arena *a, const struct table *in,
                               const size_t *rows, size_t n)
{
    return table_pick(a, in, rows, n);
}

bool shape_is_num(enum vtype t)
{
    return t == V_INT || t == V_NUMBER || t == V_PERCENT || t == V_MONEY;
}

/* Settles the type of a column from its cells: one type as is; numeric
 * types mixed give number; text or dates mixed with others is an error. */
static bool settle_type(struct diag *d, struct table *t, size_t col,
                        struct shape_pos pos)
{
    enum vtype ty = V_MISSING;
    bool mixed = false;
    for (size_t r = 0; r < t->nrows; r++) {
        enum vtype c = table_cell(t, r, col)->v.type;
        if (c == V_MISSING || c == ty)
            continue;
        if (ty == V_MISSING) {
            ty = c;
            continue;
        }
        if (shape_is_num(c) && shape_is_num(ty)) {
            mixed = true;
            continue;
        }
        diag_error(d, pos.file, pos.line, pos.col,
                   "la columna '%s' mezcla valores de tipo %s y %s",
                   t->cols[col].name, value_type_name(ty), value_type_name(c));
        return false;
    }
    if (mixed) {
        ty = V_NUMBER;
        for (size_t r = 0; r < t->nrows; r++) {
            struct value *v = &table_cell(t, r, col)->v;
            if (v->type != V_MISSING)
                v->type = V_NUMBER;
        }
    }
    /* A column of nothing but missing values (every division by zero)
     * is still a number column. */
    t->cols[col].type = ty == V_MISSING ? V_NUMBER : ty;
    return true;
}

/* ---------------------------------------------------------------------
 * filter, compute, limit */

struct table *shape_filter(struct arena *a, struct diag *d,
                           const struct table *in, const struct expr *where,
                           const struct expr_env *env)
{
    struct expr_env e = *env;
    e.row_table = in;
    e.cache = expr_cache_new(a); /* what does not depend on the row */
    size_t *rows = xmalloc((in->nrows ? in->nrows : 1) * sizeof *rows);
    size_t n = 0;
    struct table *out = NULL;
    const size_t *only = NULL; /* the rows an index gives, or every row */
    size_t nonly = in->nrows;
    if (!expr_index_rows(where, in, &e, d, &only, &nonly))
        goto done;
    for (size_t i = 0; i < nonly; i++) {
        bool keep;
        size_t r = only ? only[i] : i;
        e.row = r;
        if (!expr_eval_cond(where, &e, d, &keep))
            goto done;
        if (keep)
            rows[n++] = r;
    }
    out = pick_rows(a, in, rows, n);
done:
    free(rows);
    return out;
}

struct table *shape_compute(struct arena *a, struct diag *d,
                            const struct table *in,
                            const struct shape_compute *cols, size_t n,
                            const struct expr_env *env)
{
    for (size_t k = 0; k < n; k++) {
        bool dup = table_find_column(in, cols[k].name) >= 0;
        for (size_t j = 0; j < k && !dup; j++)
            dup = strcmp(cols[j].name, cols[k].name) == 0;
        if (dup) {
            diag_error(d, cols[k].pos.file, cols[k].pos.line, cols[k].pos.col,
                       "la columna '%s' ya existe", cols[k].name);
            return NULL;
        }
    }
    /* in's columns shared, the new ones beside them */
    struct table *t = table_extend(a, in, n);
    for (size_t k = 0; k < n; k++) {
        t->cols[in->ncols + k].name = cols[k].name;
        t->cols[in->ncols + k].type = V_MISSING;
    }
    /* missing until computed: a column may name one computed after it */
    for (size_t r = 0; r < in->nrows; r++) {
        unsigned line = in->ncols ? table_cell(in, r, 0)->line : 0;
        for (size_t k = 0; k < n; k++)
            *table_cell(t, r, in->ncols + k) =
                (struct cell){{.type = V_MISSING}, line};
    }
    struct expr_env e = *env;
    e.row_table = t;
    /* Column by column, so a later column sees the earlier ones typed. */
    bool ok = true;
    for (size_t k = 0; k < n; k++) {
        size_t c = in->ncols + k;
        e.cache = expr_cache_new(a); /* what does not depend on the row */
        for (size_t r = 0; r < t->nrows; r++) {
            e.row = r;
            if (!expr_eval(cols[k].e, &e, d, &table_cell(t, r, c)->v)) {
                ok = false;
                break;
            }
        }
        if (!ok || !settle_type(d, t, c, cols[k].pos))
            return NULL;
    }
    return t;
}

struct table *shape_limit(struct arena *a, const struct table *in, size_t n)
{
    if (n > in->nrows)
        n = in->nrows;
    /* the first n rows of in's cells, shared */
    struct table *t = table_extend(a, in, 0);
    t->nrows = n;
    return t;
}

/* ---------------------------------------------------------------------
 * sort: a stable bottom-up merge sort of row indexes */

/* Each key of each row is made ready once (collate_key: a text's
 * weights computed once, not at each of the n log n comparisons), then
 * every text is given its rank among the distinct texts of the sort
 * (equal weights, equal ranks), and each key becomes a class and a
 * number that order ascending as the key orders in its direction: rows
 * are compared by plain numbers, and the texts' weights once per pair of
 * distinct texts, not once per pair of rows. */
struct rowkey {
    int cls;    /* the kind of value (desc: reversed); missing after all */
    double num; /* its number, date or text rank (desc: negated) */
};

/* As collate_key_cmp on each key in turn, in its direction, with missing
 * values last in either direction. */
static int rowkey_cmp(const struct rowkey *a, const struct rowkey *b, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        if (a[k].cls != b[k].cls)
            return a[k].cls < b[k].cls ? -1 : 1;
        if (a[k].num < b[k].num)
            return -1;
        if (a[k].num > b[k].num)
            return 1;
    }
    return 0;
}

/* A distinct text of the sort: its weights. */
struct textref {
    const char *w;
    size_t len, id;
};

/* collate_key_cmp on two texts' weights. */
static int textref_cmp(const void *x, const void *y)
{
    const struct textref *a = x, *b = y;
    int c = memcmp(a->w, b->w, a->len < b->len ? a->len : b->len);
    if (c)
        return c < 0 ? -1 : 1;
    return a->len < b->len ? -1 : a->len > b->len;
}

/* rank[i] for text[i] of the ntext distinct texts: equal weights, equal
 * ranks (qsort: the order among equal texts does not matter here). */
static void rank_texts(const struct collate_key *text, size_t ntext,
                       const char *bytes, double *rank)
{
    struct textref *t = xmalloc((ntext ? ntext : 1) * sizeof *t);
    for (size_t i = 0; i < ntext; i++)
        t[i] = (struct textref){bytes + text[i].off, text[i].len, i};
    if (ntext)
        qsort(t, ntext, sizeof *t, textref_cmp);
    double r = 0;
    for (size_t i = 0; i < ntext; i++) {
        if (i > 0 && textref_cmp(&t[i - 1], &t[i]) != 0)
            r++;
        rank[t[i].id] = r;
    }
    free(t);
}

/* The rows 0..rows-1 ordered by their keys (n a row), stably: a
 * bottom-up merge sort. */
static void merge_rows(size_t *v, size_t rows, const struct rowkey *key,
                       size_t n)
{
    size_t *tmp = xmalloc((rows ? rows : 1) * sizeof *tmp);
    for (size_t i = 0; i < rows; i++)
        v[i] = i;
    for (size_t w = 1; w < rows; w *= 2) {
        for (size_t lo = 0; lo < rows; lo += 2 * w) {
            size_t mid = lo + w < rows ? lo + w : rows;
            size_t hi = lo + 2 * w < rows ? lo + 2 * w : rows;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                tmp[o++] = rowkey_cmp(&key[v[j] * n], &key[v[i] * n], n) < 0
                               ? v[j++]
                               : v[i++];
            while (i < mid)
                tmp[o++] = v[i++];
            while (j < hi)
                tmp[o++] = v[j++];
        }
        memcpy(v, tmp, rows * sizeof *v);
    }
    free(tmp);
}

bool shape_sort_rows(struct arena *a, struct diag *d, const struct table *in,
                     const struct shape_key *keys, size_t n, size_t **out)
{
    *out = NULL;
    long *cols = arena_array(a, n ? n : 1, sizeof *cols);
    bool *desc = arena_array(a, n ? n : 1, sizeof *desc);
    for (size_t k = 0; k < n; k++) {
        cols[k] = shape_column(d, in, keys[k].column, keys[k].pos);
        if (cols[k] < 0)
            return false;
        desc[k] = keys[k].desc;
    }
    size_t rows = in->nrows, nkeys = rows && n ? rows * n : 1;
    struct rowkey *key = xmalloc(nkeys * sizeof *key);
    /* of a text key: the number of its distinct text */
    size_t *tid = xmalloc(nkeys * sizeof *tid);
    struct collate_key *text = NULL;
    size_t ntext = 0, captext = 0;
    struct buf bytes;
    buf_init(&bytes);
    /* A column's texts are mostly one copy each (csvtype copies a repeated text
     * once): the key of a text just seen is taken again, not made again. */
    struct {
        const char *text;
        size_t id;
    } seen[256] = {{0}};
    for (size_t r = 0; r < rows; r++)
        for (size_t k = 0; k < n; k++) {
            const struct value *x = &table_cell(in, r, (size_t)cols[k])->v;
            size_t i = r * n + k;
            struct collate_key ck;
            size_t h = ((uintptr_t)x->text >> 4) % 256;
            if (x->type == V_TEXT && seen[h].text == x->text) {
                ck = text[seen[h].id];
                tid[i] = seen[h].id;
            } else {
                collate_key(&bytes, x, &ck);
                if (x->type == V_TEXT) {
                    if (ntext == captext) {
                        captext = captext ? 2 * captext : 64;
                        text = xrealloc(text, captext * sizeof *text);
                    }
                    text[ntext] = ck;
                    seen[h].text = x->text;
                    seen[h].id = tid[i] = ntext++;
                }
            }
            if (ck.kind == COLLATE_MISSING)
                key[i] = (struct rowkey){COLLATE_MISSING, 0};
            else if (desc[k])
                key[i] =
                    (struct rowkey){COLLATE_MISSING - 1 - ck.kind, -ck.num};
            else
                key[i] = (struct rowkey){ck.kind, ck.num};
        }
    double *rank = xmalloc((ntext ? ntext : 1) * sizeof *rank);
    rank_texts(text, ntext, bytes.data, rank);
    for (size_t r = 0; r < rows; r++)
        for (size_t k = 0; k < n; k++)
            if (table_cell(in, r, (size_t)cols[k])->v.type == V_TEXT)
                key[r * n + k].num =
                    desc[k] ? -rank[tid[r * n + k]] : rank[tid[r * n + k]];
    size_t *v = arena_array(a, rows ? rows : 1, sizeof *v);
    merge_rows(v, rows, key, n);
    free(rank);
    free(text);
    free(tid);
    free(key);
    buf_release(&bytes);
    *out = v;
    return true;
}

struct table *shape_sort(struct arena *a, struct diag *d,
                         const struct table *in, const struct shape_key *keys,
                         size_t n)
{
    size_t *rows;
    if (!shape_sort_rows(a, d, in, keys, n, &rows))
        return NULL;
    return pick_rows(a, in, rows, in->nrows);
}

/* ---------------------------------------------------------------------
 * group */

bool shape_groups(struct arena *a, struct diag *d, const struct table *in,
                  const char *const *keys, size_t nkeys, struct shape_pos pos,
                  struct shape_group **groups, size_t *ngroups)
{
    *groups = NULL;
    *ngroups = 0;
    long *cols = arena_array(a, nkeys ? nkeys : 1, sizeof *cols);
    for (size_t k = 0; k < nkeys; k++) {
        cols[k] = shape_column(d, in, keys[k], pos);
        if (cols[k] < 0)
            return false;
    }
    size_t rows = in->nrows;
    size_t *gid = xmalloc((rows ? rows : 1) * sizeof *gid);
    size_t *first = xmalloc((rows ? rows : 1) * sizeof *first);
    /* Key texts are kept in one growing buffer; the set stores offsets
     * turned into pointers once the buffer stops moving, so keys live in
     * the arena instead. The set starts small and grows with the groups
     * (a few dozen over thousands of rows, most often): no table sized
     * for one group a row to zero. */
    struct keyset ks;
    keyset_init(&ks, 16);
    struct buf b;
    buf_init(&b);
    /* A text key's cells mostly share one copy of each text (csvtype
     * copies a repeated text once, steps share cells): a text seen
     * before at the same address is in the group found then, without
     * making and hashing its key again. */
    struct {
        const char *text;
        size_t g;
    } seen[64] = {{0}};
    for (size_t r = 0; r < rows; r++) {
        const struct value *v1 =
            nkeys == 1 ? &table_cell(in, r, (size_t)cols[0])->v : NULL;
        bool one_text = v1 && v1->type == V_TEXT;
        size_t h = one_text ? ((uintptr_t)v1->text >> 4) % 64 : 0;
        if (one_text && seen[h].text == v1->text) {
            gid[r] = seen[h].g;
            continue;
        }
        buf_clear(&b);
        for (size_t k = 0; k < nkeys; k++)
            keyset_key(&b, &table_cell(in, r, (size_t)cols[k])->v);
        bool added;
        size_t g = keyset_get(&ks, b.data, b.len, false, &added);
        if (g == (size_t)-1) {
            const char *copy = arena_strndup(a, b.data, b.len);
            g = keyset_get(&ks, copy, b.len, true, &added);
            first[g] = r;
        }
        gid[r] = g;
        if (one_text) {
            seen[h].text = v1->text;
            seen[h].g = g;
        }
    }
    buf_release(&b);
    size_t ng = ks.n;
    size_t *count = calloc(ng ? ng : 1, sizeof *count);
    if (!count)
        arena_oom();
    for (size_t r = 0; r < rows; r++)
        count[gid[r]]++;
    struct shape_group *gs = arena_array(a, ng ? ng : 1, sizeof *gs);
    for (size_t g = 0; g < ng; g++) {
        gs[g].first = first[g];
        gs[g].rows = arena_array(a, count[g], sizeof *gs[g].rows);
    }
    for (size_t r = 0; r < rows; r++) {
        struct shape_group *g = &gs[gid[r]];
        g->rows[g->n++] = r;
    }
    keyset_release(&ks);
    free(gid);
    free(first);
    free(count);
    *groups = gs;
    *ngroups = ng;
    return true;
}

struct table *shape_group(struct arena *a, struct diag *d,
                          const struct table *in, const char *const *keys,
                          size_t nkeys, struct shape_pos keys_pos,
                          const struct shape_agg *aggs, size_t naggs,
                          const struct expr_env *env)
{
    struct shape_group *gs;
    size_t ng;
    if (!shape_groups(a, d, in, keys, nkeys, keys_pos, &gs, &ng))
        return NULL;
    for (size_t k = 0; k < naggs; k++) {
        bool dup = false;
        for (size_t j = 0; j < nkeys && !dup; j++)
            dup = strcmp(keys[j], aggs[k].name) == 0;
        for (size_t j = 0; j < k && !dup; j++)
            dup = strcmp(aggs[j].name, aggs[k].name) == 0;
        if (dup) {
            diag_error(d, aggs[k].pos.file, aggs[k].pos.line, aggs[k].pos.col,
                       "la columna '%s' ya existe", aggs[k].name);
            return NULL;
        }
    }
    struct table *t = shape_new_table(a, in, nkeys + naggs, ng);
    /* the key columns, found once (shape_groups checked each exists) */
    size_t *kc = arena_array(a, nkeys ? nkeys : 1, sizeof *kc);
    for (size_t k = 0; k < nkeys; k++) {
        kc[k] = (size_t)table_find_column(in, keys[k]);
        t->cols[k] = in->cols[kc[k]];
    }
    for (size_t k = 0; k < naggs; k++) {
        t->cols[nkeys + k].name = aggs[k].name;
        t->cols[nkeys + k].type = V_MISSING;
    }
    struct expr_env e = *env;
    e.group_table = in;
    e.row_table = NULL;
    if (!e.memo)
        e.memo = expr_memo_new(a);
    for (size_t g = 0; g < ng; g++) {
        for (size_t k = 0; k < nkeys; k++)
            *table_cell(t, g, k) = *table_cell(in, gs[g].first, kc[k]);
        e.group_rows = gs[g].rows;
        e.group_n = gs[g].n;
        for (size_t k = 0; k < naggs; k++) {
            struct cell *c = table_cell(t, g, nkeys + k);
            c->line = in->ncols ? table_cell(in, gs[g].first, 0)->line : 0;
            if (!expr_eval(aggs[k].e, &e, d, &c->v))
                return NULL;
        }
    }
    for (size_t k = 0; k < naggs; k++)
        if (!settle_type(d, t, nkeys + k, aggs[k].pos))
            return NULL;
    return t;
}

/* ---------------------------------------------------------------------
 * rename */

struct table *shape_rename(struct arena *a, struct diag *d,
                           const struct table *in, const char *const *from,
                           const char *const *to, size_t n,
                           const struct shape_pos *pos)
{
    struct table *t = arena_alloc(a, sizeof *t);
    *t = *in;
    t->cols = arena_array(a, in->ncols ? in->ncols : 1, sizeof *t->cols);
    memcpy(t->cols, in->cols, in->ncols * sizeof *t->cols);
    bool ok = true;
    for (size_t i = 0; i < n; i++) {
        long c = table_find_column(in, from[i]);
        if (c < 0) {
            const char *want = shape_fold_space(a, from[i]);
            for (size_t k = 0; k < in->ncols && c < 0; k++)
                if (strcmp(shape_fold_space(a, in->cols[k].name), want) == 0)
                    c = (long)k;
        }
        if (c < 0) {
            struct shape_pos p = pos ? pos[i] : (struct shape_pos){0};
            shape_column(d, in, from[i], p);
            ok = false;
            continue;
        }
        t->cols[c].name = to[i];
    }
    return ok ? t : NULL;
}
