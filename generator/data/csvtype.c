/* csvtype: the columns of a CSV file typed. A column's number style and
 * type are decided from its distinct texts, and each distinct text is
 * parsed (and a text copied into the table's arena) once; the cells of
 * the rows that repeat it are copies, so they share one text. A column
 * that hardly repeats a text (ids, amounts) is read row by row instead,
 * to the same types, cells and messages. */
#include "data/csvfile.h"

#include "base/buf.h"
#include "base/hash.h"
#include "data/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A name or value as messages show it. */
static const char *shown(struct arena *a, const char *s)
{
    return csvfile_one_line(a, s, 60);
}

long csvfile_find_column(const struct rawcsv *raw, const char *name)
{
    for (size_t i = 0; i < raw->ncols; i++)
        if (strcmp(raw->header[i], name) == 0)
            return (long)i;
    for (size_t i = 0; i < raw->ncols; i++)
        if (table_names_equal_folded(raw->header[i], name))
            return (long)i;
    return -1;
}

static bool numeric_type(enum vtype t)
{
    return t == V_INT || t == V_NUMBER || t == V_PERCENT || t == V_MONEY;
}

static const char *style_form(enum num_style s)
{
    return s == NUM_STYLE_PLAIN ? "1,234.5" : "1.234,5";
}

/* Every non-empty value reads as a number, percent or money in its own
 * style: the column is numeric and mixes styles. */
static bool numeric_in_own_style(const char *const *vals, size_t stride,
                                 size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *s = vals[i * stride];
        if (csvfile_blank(s))
            continue;
        size_t len = strlen(s);
        double x;
        if (!parse_percent(s, len, NUM_STYLE_UNKNOWN, &x) &&
            !parse_money(s, len, NUM_STYLE_UNKNOWN, &x))
            return false;
    }
    return true;
}

/* The distinct raw texts of one column in the order they first appear,
 * the row where each first appears, and each row's text by number. The
 * style and the type of a column depend on the set of its texts only, and
 * a text parses the same in every row: both are decided once per distinct
 * text (a column of scores repeats a few hundred values over thousands of
 * rows). On the heap, used for one column after another: of_row has the
 * file's rows, the rest grows with the distinct texts. */
struct distinct {
    const char **text;  /* n, first-appearance order */
    size_t *len;        /* n: strlen(text[i]) */
    uint32_t *hash;     /* n: hash_bytes of text[i], cut to 32 bits */
    uint32_t *first;    /* n: the row where text[i] first appears */
    unsigned char *bad; /* n: text[i] did not parse as the column's type */
    struct value *val;  /* n: text[i] as read in inferring the type */
    uint32_t *of_row;   /* nrows: the number of the row's text */
    uint32_t *slot;     /* open addressing: number + 1, 0 empty */
    uint32_t *at; /* n: the slot of text[i], emptied for the next column */
    size_t cap, mask, n;
};

static void distinct_release(struct distinct *u)
{
    free(u->text);
    free(u->len);
    free(u->hash);
    free(u->first);
    free(u->bad);
    free(u->val);
    free(u->of_row);
    free(u->slot);
    free(u->at);
}

/* Room for one more text: the arrays and the slots doubled, the slots
 * filled again. */
static void distinct_grow(struct distinct *u)
{
    size_t cap = u->cap ? 2 * u->cap : 64;
    u->text = xrealloc(u->text, cap * sizeof *u->text);
    u->len = xrealloc(u->len, cap * sizeof *u->len);
    u->hash = xrealloc(u->hash, cap * sizeof *u->hash);
    u->first = xrealloc(u->first, cap * sizeof *u->first);
    u->bad = xrealloc(u->bad, cap);
    u->val = xrealloc(u->val, cap * sizeof *u->val);
    u->at = xrealloc(u->at, cap * sizeof *u->at);
    free(u->slot);
    u->slot = xmalloc(2 * cap * sizeof *u->slot);
    memset(u->slot, 0, 2 * cap * sizeof *u->slot);
    u->mask = 2 * cap - 1;
    u->cap = cap;
    for (size_t i = 0; i < u->n; i++) {
        size_t j = u->hash[i] & u->mask;
        while (u->slot[j])
            j = (j + 1) & u->mask;
        u->slot[j] = (uint32_t)(i + 1);
        u->at[i] = (uint32_t)j;
    }
}

/* Whether distinct text number i is the n bytes at s, hashed h: the hash
 * and the length are compared before the bytes. */
static bool distinct_is(const struct distinct *u, size_t i, const char *s,
                        size_t n, uint32_t h)
{
    if (u->hash[i] != h || u->len[i] != n)
        return false;
    return hash_equal(u->text[i], s, n);
}

/* A column is read through the table of its distinct texts until, at a
 * multiple of DISTINCT_PROBE rows, more than three in four of the rows
 * seen have had a text of their own (a column of ids, of amounts): it is
 * then read row by row, with no table to fill and to look up. Both ways
 * give the same types, cells and messages. */
enum { DISTINCT_PROBE = 4096 };

/* The distinct texts of column c; false once the column has been found
 * to repeat too few texts to be worth it (u is left partly filled). */
static bool distinct_column(struct distinct *u, const struct rawcsv *raw,
                            size_t c)
{
    /* only the slots the last column filled, not the whole table sized
     * for the column with the most distinct texts */
    for (size_t i = 0; i < u->n; i++)
        u->slot[u->at[i]] = 0;
    u->n = 0;
    for (size_t r = 0; r < raw->nrows; r++) {
        const char *s = raw->fields[csvfile_at(raw, r, c)];
        if (u->n == u->cap)
            distinct_grow(u);
        size_t n = strlen(s);
        uint32_t h = (uint32_t)hash_bytes(s, n);
        size_t j = h & u->mask;
        while (u->slot[j] && !distinct_is(u, u->slot[j] - 1, s, n, h))
            j = (j + 1) & u->mask;
        if (!u->slot[j]) {
            u->text[u->n] = s;
            u->len[u->n] = n;
            u->hash[u->n] = h;
            u->first[u->n] = (uint32_t)r;
            u->bad[u->n] = 0;
            u->at[u->n] = (uint32_t)j;
            u->slot[j] = (uint32_t)++u->n;
        }
        u->of_row[r] = u->slot[j] - 1;
        if ((r + 1) % DISTINCT_PROBE == 0 && 4 * u->n > 3 * (r + 1))
            return false;
    }
    return true;
}

/* Types and parses column c; false after reporting errors. */
static bool type_column(struct arena *a, struct diag *d,
                        const struct rawcsv *raw, size_t c, bool forced,
                        enum vtype forced_type, struct distinct *u,
                        struct table *out)
{
    const char *cname = shown(a, raw->header[c]);
    struct cell *col = out->data[c];
    /* the texts looked at: the distinct ones (lens known), or, for a
     * column read row by row, every row's (every stride-th field) */
    bool by_row = !distinct_column(u, raw, c);
    const char *const *vals = by_row ? raw->fields + raw->slot[c] : u->text;
    size_t stride = by_row ? raw->stride : 1;
    size_t nvals = by_row ? raw->nrows : u->n;
    /* the style: the first definite hint, and the first that contradicts
     * it (in the order of the rows: a text's first row is where it first
     * gives its hint) */
    enum num_style style = NUM_STYLE_UNKNOWN;
    size_t first = 0, conflict = SIZE_MAX;
    for (size_t i = 0; i < nvals; i++) {
        const char *s = vals[i * stride];
        enum num_style h = parse_style_hint(s, by_row ? strlen(s) : u->len[i]);
        if (h == NUM_STYLE_UNKNOWN)
            continue;
        if (style == NUM_STYLE_UNKNOWN) {
            style = h;
            first = by_row ? i : u->first[i];
        } else if (h != style) {
            conflict = by_row ? i : u->first[i];
            break;
        }
    }
    enum vtype t;
    enum num_style guess = style == NUM_STYLE_UNKNOWN ? NUM_STYLE_ESCO : style;
    if (forced)
        t = forced_type;
    else if (conflict != SIZE_MAX)
        t = numeric_in_own_style(vals, stride, nvals) ? V_NUMBER : V_TEXT;
    else if (by_row) /* read into the cells' values */
        t = parse_infer_strided(raw->header[c], vals, stride, nvals, guess,
                                &col[0].v, sizeof *col);
    else
        t = parse_infer_values(raw->header[c], vals, u->len, u->n, guess,
                               u->val);
    out->cols[c].type = t;
    if (conflict != SIZE_MAX && numeric_type(t)) {
        const char *fv = raw->fields[csvfile_at(raw, first, c)];
        const char *cv = raw->fields[csvfile_at(raw, conflict, c)];
        diag_error(d, raw->file, raw->lines[csvfile_at(raw, conflict, c)],
                   csvfile_field_column(raw, conflict, c),
                   "el valor '%s' de la columna '%s' está escrito como %s, "
                   "pero '%s' (línea %u) está escrito como %s; use un solo "
                   "formato en la columna",
                   shown(a, cv), cname,
                   style_form(style == NUM_STYLE_ESCO ? NUM_STYLE_PLAIN
                                                      : NUM_STYLE_ESCO),
                   shown(a, fv), raw->lines[csvfile_at(raw, first, c)],
                   style_form(style));
        return false;
    }
    if (style == NUM_STYLE_UNKNOWN)
        style = NUM_STYLE_ESCO;
    /* the texts as inferring the type read them (u->val), or parsed
     * below */
    bool inferred = !forced && conflict == SIZE_MAX && t != V_TEXT;
    bool ok = true;
    /* the column's own cells, by row number (a new table has no lists of
     * rows) */
    for (size_t r = 0; r < raw->nrows; r++) {
        struct cell *cell = &col[r];
        cell->line = raw->lines[csvfile_at(raw, r, c)];
        size_t i = by_row ? r : u->of_row[r];
        const char *s = vals[i * stride];
        if (!by_row && u->first[i] != r && !u->bad[i]) {
            /* parsed at its first row */
            cell->v = col[u->first[i]].v;
            continue;
        }
        if (csvfile_blank(s)) {
            cell->v = (struct value){.type = V_MISSING};
            continue;
        }
        if (inferred && (by_row ? cell->v : u->val[i]).type == t) {
            if (!by_row)
                cell->v = u->val[i]; /* read in inferring the type */
            continue;
        }
        size_t len = by_row ? strlen(s) : u->len[i];
        if (t == V_TEXT) {
            /* copied into the table's arena once per distinct text (the
             * rows that repeat it copy the cell), or once per row in a
             * column read row by row, so that the raw file can be freed
             * once typed */
            cell->v = (struct value){.type = V_TEXT,
                                     .text = arena_strndup(a, s, len)};
            continue;
        }
        cell->v = (struct value){.type = V_MISSING};
        if ((!by_row && u->bad[i]) ||
            !parse_value(s, len, t, style, &cell->v)) {
            if (!by_row)
                u->bad[i] = 1;
            /* a date: what is wrong with it and the forms, as for --set */
            struct buf why;
            buf_init(&why);
            if (t == V_DATE)
                parse_date_hint(s, len, &why);
            diag_error(d, raw->file, cell->line,
                       csvfile_field_column(raw, r, c),
                       "el valor '%s' de la columna '%s' no es %s%s",
                       shown(a, s), cname, parse_type_noun(t), why.data);
            buf_release(&why);
            cell->v = (struct value){.type = V_MISSING};
            ok = false;
            if (diag_full(d)) {
                /* the rows not reached are missing, as the storage is
                 * not zero-filled */
                for (size_t k = r + 1; k < raw->nrows; k++)
                    *table_cell(out, k, c) = (struct cell){
                        {.type = V_MISSING}, raw->lines[csvfile_at(raw, k, c)]};
                break;
            }
        }
    }
    if (diag_full(d))
        return false;
    return ok;
}

bool csvfile_to_table(struct arena *a, struct diag *d, const struct rawcsv *raw,
                      const struct type_request *req, size_t nreq,
                      struct table *out)
{
    return csvfile_to_table_used(a, d, raw, req, nreq, NULL, out);
}

bool csvfile_to_table_used(struct arena *a, struct diag *d,
                           const struct rawcsv *raw,
                           const struct type_request *req, size_t nreq,
                           const bool *used, struct table *out)
{
    memset(out, 0, sizeof *out);
    out->name = arena_strdup(a, raw->file);
    out->file = out->name;
    out->ncols = raw->ncols;
    out->nrows = raw->nrows;
    out->cols = arena_array(a, raw->ncols, sizeof *out->cols);
    size_t nc = raw->ncols ? raw->ncols : 1, nr = raw->nrows ? raw->nrows : 1;
    out->data = arena_array(a, nc, sizeof *out->data);
    out->rows = arena_array(a, nc, sizeof *out->rows);
    /* the columns left untyped share one column of missing cells (cells
     * never change once a table is built) */
    struct cell *untyped = NULL;
    bool *forced = arena_array(a, raw->ncols, sizeof *forced);
    enum vtype *ftype = arena_array(a, raw->ncols, sizeof *ftype);
    bool ok = true;
    for (size_t i = 0; i < nreq; i++) {
        long c = csvfile_find_column(raw, req[i].column);
        if (c < 0) {
            diag_error(d, req[i].file, req[i].line, req[i].col,
                       "la columna '%s' no existe en %s", req[i].column,
                       raw->file);
            ok = false;
            continue;
        }
        forced[c] = true;
        ftype[c] = req[i].type;
    }
    struct distinct u = {0};
    /* rows are numbered in 32 bits: a file of 2^32 rows would not fit in
     * memory anyway (32 bytes a cell) */
    if (raw->nrows >= UINT32_MAX)
        arena_oom();
    u.of_row = xmalloc((raw->nrows ? raw->nrows : 1) * sizeof *u.of_row);
    for (size_t c = 0; c < raw->ncols && !diag_full(d); c++) {
        out->cols[c].name = arena_strdup(a, raw->header[c]);
        out->cols[c].col = (unsigned)(c + 1);
        /* a column raw->unread marks is not kept: it cannot be typed,
         * even when forced (a caller keeps the columns it forces) */
        if (!csvfile_kept(raw, c) || (used && !used[c] && !forced[c])) {
            out->cols[c].type = V_TEXT; /* not read: left untyped */
            if (!untyped)
                untyped = arena_array(a, nr, sizeof *untyped);
            out->data[c] = untyped;
            continue;
        }
        /* every cell is written below */
        out->data[c] = arena_array_uninit(a, nr, sizeof *out->data[c]);
        if (!type_column(a, d, raw, c, forced[c], ftype[c], &u, out))
            ok = false;
    }
    for (size_t c = 0; c < raw->ncols; c++) /* after too many errors */
        if (!out->data[c]) {
            if (!untyped)
                untyped = arena_array(a, nr, sizeof *untyped);
            out->data[c] = untyped;
        }
    distinct_release(&u);
    return ok;
}
