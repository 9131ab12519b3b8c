/* shape: the data steps of a source (filter, compute, sort, limit, group,
 * unpivot, join, rename) as pure functions from tables to new tables. */
#include "lang/shape.h"
#include "data/suggest.h"

#include "data/fmt.h"
#include "base/limits.h"
#include "lang/rx.h"
#include "base/utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---------------------------------------------------------------------
 * Spanish collation */

/* Collation weights of one code point: primary (the letter, case and
 * accent folded; ñ between n and o), secondary (accent), tertiary (case). */
struct cw {
    uint32_t p;
    unsigned char s, t;
};

static struct cw weigh(uint32_t cp)
{
    /* Latin-1 letters 0xC0..0xFF: base letter and accent class. */
    static const char base[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyts"
                               "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
    static const unsigned char acc[] = {
        2, 1, 3, 4, 5, 6, 0, 7, 2, 1, 3, 5, 2, 1, 3, 5, 0, 0, 2, 1, 3, 4,
        5, 0, 0, 2, 1, 3, 5, 1, 0, 0, 2, 1, 3, 4, 5, 6, 0, 7, 2, 1, 3, 5,
        2, 1, 3, 5, 0, 0, 2, 1, 3, 4, 5, 0, 0, 2, 1, 3, 5, 1, 0, 5,
    };
    struct cw w = {cp * 4, 0, 0};
    if (cp >= 'A' && cp <= 'Z') {
        w.p = (cp + 32) * 4;
        w.t = 1;
    } else if (cp >= 0xC0 && cp <= 0xFF && cp != 0xD7 && cp != 0xF7) {
        unsigned i = cp - 0xC0;
        w.t = cp < 0xE0 && cp != 0xDF;
        if (cp == 0xD1 || cp == 0xF1) /* ñ: a letter of its own */
            w.p = 'n' * 4 + 2;
        else
            w.p = (uint32_t)base[i] * 4;
        w.s = acc[i];
    }
    return w;
}

static int collate_level(const char *a, const char *b, int level)
{
    size_t na = strlen(a), nb = strlen(b), i = 0, j = 0;
    while (i < na && j < nb) {
        size_t la, lb;
        uint32_t ca = utf8_decode(a + i, na - i, &la);
        uint32_t cb = utf8_decode(b + j, nb - j, &lb);
        if (ca == UTF8_BAD)
            ca = (unsigned char)a[i];
        if (cb == UTF8_BAD)
            cb = (unsigned char)b[j];
        struct cw wa = weigh(ca), wb = weigh(cb);
        uint32_t xa = level == 1 ? wa.p : level == 2 ? wa.s : wa.t;
        uint32_t xb = level == 1 ? wb.p : level == 2 ? wb.s : wb.t;
        if (xa != xb)
            return xa < xb ? -1 : 1;
        i += la;
        j += lb;
    }
    if (i < na)
        return 1;
    if (j < nb)
        return -1;
    return 0;
}

int shape_collate(const char *a, const char *b)
{
    for (int level = 1; level <= 3; level++) {
        int c = collate_level(a, b, level);
        if (c)
            return c;
    }
    int c = strcmp(a, b);
    return c < 0 ? -1 : c > 0;
}

static int kind_rank(enum vtype t)
{
    switch (t) {
    case V_INT:
    case V_NUMBER:
    case V_PERCENT:
    case V_MONEY:
        return 0;
    case V_DATE:
        return 1;
    case V_TEXT:
        return 2;
    case V_BOOL:
        return 3;
    default:
        return 4;
    }
}

int shape_compare(const struct value *a, const struct value *b)
{
    int ra = kind_rank(a->type), rb = kind_rank(b->type);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    switch (ra) {
    case 0:
    case 3:
        return a->num < b->num ? -1 : a->num > b->num;
    case 1:
        return a->days < b->days ? -1 : a->days > b->days;
    case 2:
        return shape_collate(a->text, b->text);
    default:
        return 0;
    }
}

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
    if (best)
        diag_error(d, pos.file, pos.line, pos.col,
                   "columna desconocida '%s' en '%s'; ¿quiso decir '%s'?", name,
                   tn, best);
    else
        diag_error(d, pos.file, pos.line, pos.col,
                   "columna desconocida '%s' en '%s'", name, tn);
    return -1;
}

static struct table *new_table(struct arena *a, const struct table *like,
                               size_t ncols, size_t nrows)
{
    struct table *t = arena_alloc(a, sizeof *t);
    t->name = like->name;
    t->file = like->file;
    t->ncols = ncols;
    t->nrows = nrows;
    t->cols = arena_array(a, ncols ? ncols : 1, sizeof *t->cols);
    t->cells = arena_array(a, (ncols ? ncols : 1) * (nrows ? nrows : 1),
                           sizeof *t->cells);
    return t;
}

/* A table with the given rows of in, in that order. */
static struct table *pick_rows(struct arena *a, const struct table *in,
                               const size_t *rows, size_t n)
{
    struct table *t = new_table(a, in, in->ncols, n);
    memcpy(t->cols, in->cols, in->ncols * sizeof *t->cols);
    for (size_t i = 0; i < n; i++)
        memcpy(table_cell(t, i, 0), table_cell(in, rows[i], 0),
               in->ncols * sizeof *t->cells);
    return t;
}

static bool is_num(enum vtype t)
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
        if (is_num(c) && is_num(ty)) {
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
    for (size_t r = 0; r < in->nrows; r++) {
        bool keep;
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
    size_t nc = in->ncols + n;
    struct table *t = new_table(a, in, nc, in->nrows);
    memcpy(t->cols, in->cols, in->ncols * sizeof *t->cols);
    for (size_t k = 0; k < n; k++) {
        t->cols[in->ncols + k].name = cols[k].name;
        t->cols[in->ncols + k].type = V_MISSING;
    }
    for (size_t r = 0; r < in->nrows; r++) {
        memcpy(table_cell(t, r, 0), table_cell(in, r, 0),
               in->ncols * sizeof *t->cells);
        unsigned line = in->ncols ? table_cell(in, r, 0)->line : 0;
        for (size_t k = 0; k < n; k++)
            table_cell(t, r, in->ncols + k)->line = line;
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
    struct table *t = new_table(a, in, in->ncols, n);
    memcpy(t->cols, in->cols, in->ncols * sizeof *t->cols);
    if (n)
        memcpy(t->cells, in->cells, n * in->ncols * sizeof *t->cells);
    return t;
}

/* ---------------------------------------------------------------------
 * sort: a stable bottom-up merge sort of row indexes */

struct sortctx {
    const struct table *t;
    const long *cols;
    const bool *desc;
    size_t n;
};

static int row_cmp(const struct sortctx *s, size_t x, size_t y)
{
    for (size_t k = 0; k < s->n; k++) {
        const struct value *a = &table_cell(s->t, x, (size_t)s->cols[k])->v;
        const struct value *b = &table_cell(s->t, y, (size_t)s->cols[k])->v;
        bool ma = a->type == V_MISSING, mb = b->type == V_MISSING;
        if (ma || mb) {
            if (ma != mb)
                return ma ? 1 : -1; /* missing last, either direction */
            continue;
        }
        int c = shape_compare(a, b);
        if (c)
            return s->desc[k] ? -c : c;
    }
    return 0;
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
    struct sortctx s = {in, cols, desc, n};
    size_t rows = in->nrows;
    size_t *v = arena_array(a, rows ? rows : 1, sizeof *v);
    size_t *tmp = xmalloc((rows ? rows : 1) * sizeof *tmp);
    for (size_t i = 0; i < rows; i++)
        v[i] = i;
    for (size_t w = 1; w < rows; w *= 2) {
        for (size_t lo = 0; lo < rows; lo += 2 * w) {
            size_t mid = lo + w < rows ? lo + w : rows;
            size_t hi = lo + 2 * w < rows ? lo + 2 * w : rows;
            size_t i = lo, j = mid, o = lo;
            while (i < mid && j < hi)
                tmp[o++] = row_cmp(&s, v[j], v[i]) < 0 ? v[j++] : v[i++];
            while (i < mid)
                tmp[o++] = v[i++];
            while (j < hi)
                tmp[o++] = v[j++];
        }
        memcpy(v, tmp, rows * sizeof *v);
    }
    free(tmp);
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
 * Hashing of key values */

/* Appends a canonical form of v: equal keys give equal bytes. Numbers and
 * text share one form so that the code 5 and the text "5" meet. */
static void key_add(struct buf *b, const struct value *v)
{
    char plain[64];
    switch (v->type) {
    case V_MISSING:
        buf_addc(b, '\x01');
        break;
    case V_TEXT:
        buf_adds(b, v->text);
        break;
    case V_DATE:
        fmt_date_iso(b, v->days);
        break;
    default:
        fmt_round_plain(v->num, -1, plain);
        buf_adds(b, plain);
        break;
    }
    buf_addc(b, '\x1f');
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211u;
    }
    return h;
}

/* Open addressing: slots hold an index into keys[] plus one (0: empty). */
struct keyset {
    size_t *slots, mask;
    const char **keys;
    size_t *lens;
    size_t n;
};

static void keyset_init(struct keyset *k, size_t expect)
{
    size_t cap = 16;
    while (cap < expect * 2)
        cap *= 2;
    k->slots = calloc(cap, sizeof *k->slots);
    k->keys = xmalloc((expect ? expect : 1) * sizeof *k->keys);
    k->lens = xmalloc((expect ? expect : 1) * sizeof *k->lens);
    if (!k->slots)
        arena_oom();
    k->mask = cap - 1;
    k->n = 0;
}

static void keyset_release(struct keyset *k)
{
    free(k->slots);
    free(k->keys);
    free(k->lens);
}

/* Index of key s (added as a new one when absent, with *added set). The
 * key text must outlive the set. */
static size_t keyset_get(struct keyset *k, const char *s, size_t n, bool add,
                         bool *added)
{
    size_t i = (size_t)hash_bytes(s, n) & k->mask;
    *added = false;
    for (;; i = (i + 1) & k->mask) {
        size_t slot = k->slots[i];
        if (slot == 0)
            break;
        size_t idx = slot - 1;
        if (k->lens[idx] == n && memcmp(k->keys[idx], s, n) == 0)
            return idx;
    }
    if (!add)
        return (size_t)-1;
    k->keys[k->n] = s;
    k->lens[k->n] = n;
    k->slots[i] = ++k->n;
    *added = true;
    return k->n - 1;
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
    size_t *count = calloc(rows ? rows : 1, sizeof *count);
    if (!count)
        arena_oom();
    /* Key texts are kept in one growing buffer; the set stores offsets
     * turned into pointers once the buffer stops moving, so keys live in
     * the arena instead. */
    struct keyset ks;
    keyset_init(&ks, rows);
    struct buf b;
    buf_init(&b);
    for (size_t r = 0; r < rows; r++) {
        buf_clear(&b);
        for (size_t k = 0; k < nkeys; k++)
            key_add(&b, &table_cell(in, r, (size_t)cols[k])->v);
        bool added;
        size_t g = keyset_get(&ks, b.data, b.len, false, &added);
        if (g == (size_t)-1) {
            const char *copy = arena_strndup(a, b.data, b.len);
            g = keyset_get(&ks, copy, b.len, true, &added);
            first[g] = r;
        }
        gid[r] = g;
        count[g]++;
    }
    buf_release(&b);
    size_t ng = ks.n;
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
    struct table *t = new_table(a, in, nkeys + naggs, ng);
    for (size_t k = 0; k < nkeys; k++)
        t->cols[k] = in->cols[table_find_column(in, keys[k])];
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
            *table_cell(t, g, k) = *table_cell(
                in, gs[g].first, (size_t)table_find_column(in, keys[k]));
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
    t = new_table(a, in, nids + extra, in->nrows * nwide);
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
            vt = is_num(vt) && is_num(ct) ? V_NUMBER : V_TEXT;
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
            if (v.v.type != V_MISSING && is_num(v.v.type) && vt == V_NUMBER)
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
            key_add(&b, v);
        }
        if (missing)
            continue;
        bool added;
        size_t idx = keyset_get(&ks, b.data, b.len, false, &added);
        if (idx != (size_t)-1) {
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
        idx = keyset_get(&ks, arena_strndup(a, b.data, b.len), b.len, true,
                         &added);
        rrow[idx] = r;
    }
    t = new_table(a, left, left->ncols + np, left->nrows);
    memcpy(t->cols, left->cols, left->ncols * sizeof *t->cols);
    for (size_t i = 0; i < np; i++) {
        t->cols[left->ncols + i] = right->cols[pc[i]];
        t->cols[left->ncols + i].name = pn[i];
    }
    for (size_t r = 0; r < left->nrows; r++) {
        memcpy(table_cell(t, r, 0), table_cell(left, r, 0),
               left->ncols * sizeof *t->cells);
        buf_clear(&b);
        bool missing = false;
        for (size_t k = 0; k < nk; k++) {
            const struct value *v = &table_cell(left, r, (size_t)lk[k])->v;
            missing = missing || v->type == V_MISSING;
            key_add(&b, v);
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
