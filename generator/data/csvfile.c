/* csvfile: the records of a CSV file's text (csvtext.c decodes it), split
 * by informe where no quote is in them and by libcsv, driven a run of
 * bytes at a time, where one is, so that every field knows its line (the
 * typing of the columns is csvtype.c). */
#include "data/csvfile.h"

#include "base/buf.h"
#include "base/hash.h"
#include "base/infile.h"
#include "base/limits.h"
#include "data/csvscan.h"
#include "data/parse.h"
#include "base/utf8.h"

#include <csv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *csvfile_encoding_name(enum csvfile_encoding e)
{
    switch (e) {
    case CSVFILE_UTF8:
        return "utf-8";
    case CSVFILE_UTF8_BOM:
        return "utf-8-bom";
    case CSVFILE_WINDOWS_1252:
        return "windows-1252";
    }
    return "utf-8";
}

static unsigned col_at(const char *text, size_t off);

struct reader {
    struct arena *a;
    struct diag *d;
    const char *file;
    char delim;
    unsigned line;      /* line of the byte being fed */
    bool between_rows;  /* waiting for the first byte of a record */
    bool field_pending; /* after a delimiter: waiting for a field's byte */
    unsigned field_line;
    size_t field_off;
    size_t pos;  /* offset of the byte being fed */
    bool at_end; /* libcsv is given the end of the text (csv_fini) */
    bool field_quoted;
    /* the record being read */
    const char **rec;
    unsigned *rec_lines;
    size_t *rec_offs;
    size_t cap_offs;
    bool *rec_empty;
    size_t nrec, cap_rec, cap_lines, cap_empty;
    bool have_header;
    bool bad;  /* an error was reported */
    bool stop; /* too many errors */
    struct rawcsv *out;
    size_t cap_fields; /* of each of the four arrays of fields of out */
    const char *text;  /* the decoded file, for columns in messages */
    char *w;           /* the same, written: fields read in place */
    bool place;        /* whether fields are read in place (the delimiter
                          is no quote, line end or NUL) */
    /* the fields not read in place are copied one after another into
     * chunks of the arena, not one allocation each (which would round
     * every short field up) */
    char *pool;
    size_t pool_left;
    int64_t max_cell; /* limit(LIMIT_CELL_LENGTH), read once */
    const struct csvfile_options *opt;
    /* the columns not read (csvfile_options.unread), and the field of one
     * that was not handed to libcsv: its length */
    const bool *unread;
    bool unread_field;
    size_t unread_len;
    /* the columns kept (rawcsv.slot), once the header is read: slot[c]
     * for each column, the kept columns in order, and the number of
     * columns a row is split into, up to the last one kept */
    size_t *slot;
    size_t *kept;
    size_t split_to;
    size_t n;        /* the length of text */
    size_t newlines; /* line ends in text */
};

#define POOL_CHUNK ((size_t)1 << 18)

/* s (len bytes, and at least avail readable from s) copied to the pool
 * with a NUL. A short field (most are) is copied as sixteen bytes when
 * there are that many to read and room for them: a copy of fixed size
 * the compiler makes without a call. */
static inline const char *pool_copy(struct reader *r, const char *s, size_t len,
                                    size_t avail)
{
    if (len + 16 >= r->pool_left) {
        if (len >= POOL_CHUNK / 8)
            return arena_strndup(r->a, s, len);
        r->pool = arena_array_uninit(r->a, POOL_CHUNK, 1);
        r->pool_left = POOL_CHUNK;
    }
    char *p = r->pool;
    if (len < 16 && avail >= 16)
        memcpy(p, s, 16);
    else
        memcpy(p, s, len);
    p[len] = '\0';
    r->pool += len + 1;
    r->pool_left -= len + 1;
    return p;
}

/* Appends a field, as it is kept, to the record being read. */
static void push_field(struct reader *r, const char *s, unsigned line,
                       size_t off, bool empty)
{
    size_t need = r->nrec + 1;
    if (need > r->cap_rec) { /* the four arrays grow together */
        r->rec_lines = arena_grow(r->a, r->rec_lines, &r->cap_lines, need,
                                  sizeof *r->rec_lines);
        r->rec_empty = arena_grow(r->a, r->rec_empty, &r->cap_empty, need,
                                  sizeof *r->rec_empty);
        r->rec_offs = arena_grow(r->a, r->rec_offs, &r->cap_offs, need,
                                 sizeof *r->rec_offs);
        r->rec = arena_grow(r->a, r->rec, &r->cap_rec, need, sizeof *r->rec);
    }
    r->rec[r->nrec] = s;
    r->rec_lines[r->nrec] = line;
    r->rec_offs[r->nrec] = off;
    r->rec_empty[r->nrec] = empty;
    r->nrec++;
}

/* The text of a field of len bytes at s (in the decoded file, or as
 * libcsv hands it over; avail bytes readable there), copied to the pool
 * (most fields are read in place instead: in_place, libcsv_in_place). */
static inline const char *field_text(struct reader *r, const char *s,
                                     size_t len, size_t avail)
{
    return len ? pool_copy(r, s, len, avail) : "";
}

/* Whether the field of column k of the record being read is kept: every
 * field of the header, and those of the columns read (a field past the
 * last column is not, its row is an error). */
static inline bool keeps(const struct reader *r, size_t k)
{
    return !r->have_header ||
           (k < r->out->ncols && r->slot[k] != CSVFILE_NOT_KEPT);
}

/* The text of a field that is not kept but has some: only whether a
 * field is empty is asked of it (all_empty). */
static const char not_kept[] = "?";

/* The kept field (len bytes, as libcsv hands it over) of a row libcsv
 * splits, read in place (see struct rawcsv) when its bytes are those of
 * the text where it begins, that is when what ends it follows them at
 * once (libcsv drops the blanks around an unquoted field, and a quoted
 * one with a doubled quote is longer in the text): the delimiter or line
 * end libcsv has just seen (r->pos; at the end of the text, its end),
 * right after an unquoted field, or after the closing quote of a quoted
 * one. A NUL is written over the delimiter, or over the closing quote; a
 * field at the end of the text has its NUL there. NULL otherwise: the
 * field is copied. */
static const char *libcsv_in_place(struct reader *r, size_t len)
{
    if (!r->place || !r->have_header || len == 0)
        return NULL;
    size_t b = r->field_off + (r->field_quoted ? 1 : 0), e = b + len;
    size_t end = r->at_end ? r->n : r->pos;
    if (r->field_quoted ? e + 1 == end && r->text[e] == '"'
                        : e == end && r->text[e] == r->delim) {
        r->w[e] = '\0';
        return r->text + b;
    }
    return e == r->n && !r->field_quoted ? r->text + b : NULL;
}

/* Adds a field to the record being read: s (NULL for an unquoted empty
 * field) and len as libcsv hands them over, off and line where the field
 * begins. false when the field is too long (reading stops). */
static bool add_field(struct reader *r, const char *s, size_t len, size_t off,
                      unsigned line)
{
    if ((int64_t)len > r->max_cell) {
        limits_exceeded(r->d, LIMIT_CELL_LENGTH, r->file, line,
                        col_at(r->text, off), "el largo del campo");
        r->bad = r->stop = true;
        return false;
    }
    const char *text = "";
    if (s && keeps(r, r->nrec)) {
        text = libcsv_in_place(r, len);
        if (!text)
            text = field_text(r, s, len, len);
    } else if (s && len) {
        text = not_kept;
    }
    push_field(r, text, line, off, s == NULL);
    return true;
}

static void on_field(void *field, size_t len, void *data)
{
    struct reader *r = data;
    if (r->stop)
        return;
    const char *s = field;
    if (r->unread_field) { /* libcsv saw its delimiter only */
        s = r->text + r->field_off;
        len = r->unread_len;
        r->unread_field = false;
    }
    size_t off = r->field_pending ? r->pos : r->field_off;
    if (add_field(r, s, len, off, r->field_pending ? r->line : r->field_line))
        r->field_pending = true;
}

bool csvfile_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n')
            return false;
    return true;
}

const char *csvfile_one_line(struct arena *a, const char *s, size_t max)
{
    struct buf b;
    buf_init(&b);
    size_t chars = 0;
    bool space = false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c < 0x20) {
            space = b.len > 0;
            continue;
        }
        if (space) {
            buf_addc(&b, ' ');
            chars++;
            space = false;
        }
        if ((c & 0xC0) != 0x80 && ++chars > max) {
            buf_adds(&b, "…");
            break;
        }
        buf_addc(&b, (char)c);
    }
    const char *r = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return r;
}

/* A name or value as messages show it. */
static const char *shown(struct arena *a, const char *s)
{
    return csvfile_one_line(a, s, 60);
}

static void take_header(struct reader *r)
{
    struct rawcsv *o = r->out;
    o->ncols = r->nrec;
    o->header = arena_array(r->a, r->nrec, sizeof *o->header);
    o->header_lines = arena_array(r->a, r->nrec, sizeof *o->header_lines);
    o->header_offsets = arena_array(r->a, r->nrec, sizeof *o->header_offsets);
    o->header_line = r->rec_lines[0];
    /* Repeated names are found through a table of the names seen (the
     * first of each), not by comparing each with every one before it: a
     * header of thousands of columns costs its length, not its square. */
    size_t mask = 15;
    while (mask < 2 * r->nrec)
        mask = 2 * mask + 1;
    uint32_t *seen = xmalloc((mask + 1) * sizeof *seen); /* number + 1 */
    memset(seen, 0, (mask + 1) * sizeof *seen);
    for (size_t i = 0; i < r->nrec; i++) {
        o->header[i] = r->rec[i];
        o->header_lines[i] = r->rec_lines[i];
        o->header_offsets[i] = r->rec_offs[i];
        if (csvfile_blank(r->rec[i])) {
            diag_error(r->d, r->file, r->rec_lines[i],
                       col_at(o->text, r->rec_offs[i]),
                       "el nombre de la columna %zu del encabezado está "
                       "vacío",
                       i + 1);
            r->bad = true;
            continue;
        }
        size_t len = strlen(r->rec[i]);
        size_t k = (size_t)hash_bytes(r->rec[i], len) & mask;
        while (seen[k] && strcmp(r->rec[seen[k] - 1], r->rec[i]) != 0)
            k = (k + 1) & mask;
        if (!seen[k]) {
            seen[k] = (uint32_t)(i + 1);
            continue;
        }
        diag_error(r->d, r->file, r->rec_lines[i],
                   col_at(o->text, r->rec_offs[i]),
                   "la columna '%s' está repetida en el encabezado "
                   "(columnas %zu y %zu)",
                   shown(r->a, r->rec[i]), (size_t)seen[k], i + 1);
        r->bad = true;
    }
    free(seen);
    r->have_header = true;
    if (r->opt && r->opt->unread && !r->bad) {
        bool *u = arena_array(r->a, o->ncols ? o->ncols : 1, sizeof *u);
        r->opt->unread(r->opt->ctx, o, u);
        o->unread = r->unread = u;
    }
    r->slot = arena_array(r->a, o->ncols, sizeof *r->slot);
    r->kept = arena_array(r->a, o->ncols, sizeof *r->kept);
    r->split_to = 1;
    for (size_t c = 0; c < o->ncols; c++) {
        if (r->unread && r->unread[c]) {
            r->slot[c] = CSVFILE_NOT_KEPT;
            continue;
        }
        r->slot[c] = o->stride;
        r->kept[o->stride++] = c;
        r->split_to = c + 1;
    }
    o->slot = r->slot;
    /* Every row has ncols fields, takes at least ncols bytes (its
     * delimiters and a byte of content) and ends at a line end of its own
     * or at the end of the text: the arrays of the fields kept are
     * allocated once for the smaller of the two bounds on the rows
     * instead of doubling (each doubling would leave the old array behind
     * in the arena), and not zero-filled (a row is written whole before
     * it counts, and the pages of rows that never come are not touched). */
    size_t rows = r->newlines + 1 <= (r->n + 1) / o->ncols
                      ? r->newlines + 1
                      : (r->n + 1) / o->ncols;
    size_t cap = rows * o->stride;
    o->fields = arena_array_uninit(r->a, cap, sizeof *o->fields);
    o->lines = arena_array_uninit(r->a, cap, sizeof *o->lines);
    o->empty = arena_array_uninit(r->a, cap, sizeof *o->empty);
    o->offsets = arena_array_uninit(r->a, cap, sizeof *o->offsets);
    r->cap_fields = cap;
}

/* Whether the first n of fields are all empty: ";;;;", a formatted but
 * empty spreadsheet row, is no row. */
static bool all_empty(const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (fields[i][0] != '\0')
            return false;
    return true;
}

/* Room for the fields of row o->nrows; the four arrays grow together. */
static void row_room(struct reader *r)
{
    struct rawcsv *o = r->out;
    size_t need = (o->nrows + 1) * o->stride;
    if (need <= r->cap_fields)
        return;
    /* one capacity: each array grows from it to the same new one */
    size_t cap = r->cap_fields;
    o->fields = arena_grow(r->a, o->fields, &cap, need, sizeof *o->fields);
    cap = r->cap_fields;
    o->lines = arena_grow(r->a, o->lines, &cap, need, sizeof *o->lines);
    cap = r->cap_fields;
    o->empty = arena_grow(r->a, o->empty, &cap, need, sizeof *o->empty);
    cap = r->cap_fields;
    o->offsets = arena_grow(r->a, o->offsets, &cap, need, sizeof *o->offsets);
    r->cap_fields = cap;
}

/* Whether a record of n fields (at most ncols), the first at line, is a
 * row: one field too few, or one row too many, is an error. */
static bool row_fits(struct reader *r, size_t n, unsigned line)
{
    struct rawcsv *o = r->out;
    if (n != o->ncols) {
        diag_error(r->d, r->file, line, 0,
                   "la fila tiene %zu %s, pero el encabezado tiene %zu", n,
                   n == 1 ? "campo" : "campos", o->ncols);
        r->bad = true;
        return false;
    }
    if ((int64_t)o->nrows >= limit(LIMIT_ROWS)) {
        limits_exceeded(r->d, LIMIT_ROWS, r->file, line, 1,
                        "el número de filas del archivo");
        r->bad = r->stop = true;
        return false;
    }
    return true;
}

static void take_row(struct reader *r)
{
    struct rawcsv *o = r->out;
    if (all_empty(r->rec, r->nrec))
        return;
    if (r->nrec > o->ncols) { /* the caret under the first extra field */
        char dl[4] = {r->delim, '\0'};
        diag_error(r->d, r->file, r->rec_lines[o->ncols],
                   col_at(r->text, r->rec_offs[o->ncols]),
                   "la fila tiene %zu campos, pero el encabezado tiene %zu: "
                   "sobra desde el campo %zu (¿un '%s' de más, o un texto "
                   "con '%s' sin comillas?)",
                   r->nrec, o->ncols, o->ncols + 1,
                   r->delim == '\t' ? "tabulador" : dl,
                   r->delim == '\t' ? "tabulador" : dl);
        r->bad = true;
        return;
    }
    if (!row_fits(r, r->nrec, r->rec_lines[0]))
        return;
    row_room(r);
    size_t base = o->nrows * o->stride;
    for (size_t j = 0; j < o->stride; j++) {
        size_t c = r->kept[j];
        o->fields[base + j] = r->rec[c];
        o->lines[base + j] = r->rec_lines[c];
        o->empty[base + j] = r->rec_empty[c];
        o->offsets[base + j] = (uint32_t)r->rec_offs[c];
    }
    o->nrows++;
}

static void end_record(struct reader *r)
{
    if (!r->stop && r->nrec > 0) {
        if (!r->have_header)
            take_header(r);
        else
            take_row(r);
        if (diag_full(r->d))
            r->stop = true;
    }
    r->nrec = 0;
    r->between_rows = true;
    r->field_pending = false;
}

static void on_record(int c, void *data)
{
    (void)c;
    end_record(data);
}

/* 1-based character column of byte off in LF-only text. */
static unsigned col_at(const char *text, size_t off)
{
    size_t start = off;
    while (start > 0 && text[start - 1] != '\n')
        start--;
    return (unsigned)utf8_length(text + start, off - start) + 1;
}

unsigned csvfile_field_column(const struct rawcsv *raw, size_t row, size_t col)
{
    return col_at(raw->text, raw->offsets[csvfile_at(raw, row, col)]);
}

/* Whether c is a blank libcsv drops around an unquoted field. */
static inline bool blank_byte(char c, char delim)
{
    return (unsigned char)c <= ' ' && (c == ' ' || c == '\t') && c != delim;
}

/* The end of a field that begins at i and ends at d (its delimiter or
 * line end): blanks before d dropped, except in a column not read (as
 * parse_text hands it over, when a delimiter ends it). */
static inline size_t field_end(const struct reader *r, size_t i, size_t d,
                               size_t e)
{
    if (r->unread && d < e && d > i && r->nrec < r->out->ncols &&
        r->unread[r->nrec])
        return d;
    while (d > i && blank_byte(r->text[d - 1], r->delim))
        d--;
    return d;
}

/* Whether text[i, e) holds only delimiters and blanks: fields that are
 * all empty. */
static bool only_delimiters(const char *t, size_t i, size_t e, char delim)
{
    for (; i < e; i++)
        if (t[i] != delim && t[i] != ' ' && t[i] != '\t')
            return false;
    return true;
}

/* The text of the kept field text[i, fe) of a record without quotes
 * (direct_row), d the delimiter or line end after it (e): read in place
 * (see struct rawcsv) when its delimiter follows it at once (a NUL is
 * written over it) or it ends the text (the NUL is there). A field
 * followed by blanks (which of them, restore could not tell) or by its
 * line end (a '\n' col_at finds a line's start by) is copied. */
static inline const char *in_place(struct reader *r, size_t i, size_t fe,
                                   size_t d, size_t e)
{
    if (fe == i)
        return "";
    if (fe == d && d < e) {
        r->w[d] = '\0';
        return r->text + i;
    }
    if (fe == r->n)
        return r->text + i;
    return pool_copy(r, r->text + i, fe - i, r->n - i);
}

/* Puts back the delimiters in_place wrote over in text[b, e), a record
 * that turns out not to be a row direct_row takes (the generic path reads
 * it again): false. */
static bool unwrite(struct reader *r, size_t b, size_t e)
{
    for (char *q = r->w + b; (q = memchr(q, '\0', e - (size_t)(q - r->w)));)
        *q++ = r->delim;
    return false;
}

/* A record without any quote, text[i, e) from its first field to its line
 * end (nl) or the end of the text (split_record): its kept fields go
 * straight to their place in its row in out, the others are only passed
 * over. Past the last column kept (split_to) the fields are not split at
 * all, unless the record is longer than a field may be (one of them could
 * be too long, an error at its position): their delimiters are counted,
 * and whether they are empty is only asked when every field before them
 * is. false, with nothing done that counts (what in_place wrote is put
 * back),
 * when the record does not have as many fields as the header: its
 * message is the generic path's. */
static bool direct_row(struct reader *r, size_t i, size_t e, bool nl,
                       unsigned line)
{
    size_t b = i; /* where the record begins, for unwrite */
    struct rawcsv *o = r->out;
    const char *t = r->text;
    char delim = r->delim;
    row_room(r);
    size_t base = o->nrows * o->stride, n = r->n;
    const size_t *slot = r->slot;
    int64_t max_cell = r->max_cell;
    size_t nc = o->ncols;
    size_t split_to = (int64_t)(e - i) > max_cell ? nc : r->split_to;
    bool filled = false;       /* some field is not empty */
    for (size_t k = 0;; k++) { /* field_end, with what it reads at hand */
        size_t d = find_byte(t, i, e, n, delim), fe = d, at = slot[k];
        /* a column not read keeps the blanks before its delimiter */
        if (at != CSVFILE_NOT_KEPT || d == e)
            while (fe > i && blank_byte(t[fe - 1], delim))
                fe--;
        if ((int64_t)(fe - i) > max_cell) { /* as add_field reports it */
            limits_exceeded(r->d, LIMIT_CELL_LENGTH, r->file, line,
                            col_at(t, i), "el largo del campo");
            r->bad = r->stop = true;
            return true;
        }
        /* t[i] is no blank: a field with a byte before d is not empty */
        filled |= d > i;
        if (at != CSVFILE_NOT_KEPT) {
            at += base;
            /* after a delimiter, only blanks up to the end of the text:
             * libcsv hands the empty field over at the last byte */
            o->offsets[at] = (uint32_t)(i == e && !nl ? e - 1 : i);
            o->fields[at] = in_place(r, i, fe, d, e);
            o->lines[at] = line;
            o->empty[at] = fe == i;
        }
        if (d == e) {
            if (k + 1 != nc)
                return unwrite(r, b, e); /* too few fields */
            break;
        }
        if (k + 1 == nc)
            return unwrite(r, b, e); /* too many */
        i = d + 1;
        while (i < e && blank_byte(t[i], delim))
            i++;
        if (k + 1 == split_to) { /* nc - split_to fields left */
            if (count_byte(t, i, e, delim) != nc - split_to - 1)
                return unwrite(r, b, e);
            filled = filled || !only_delimiters(t, i, e, delim);
            break;
        }
    }
    /* a record of empty fields is no row (all_empty) */
    if (filled && row_fits(r, nc, line))
        o->nrows++;
    if (diag_full(r->d))
        r->stop = true;
    r->between_rows = true;
    r->field_pending = false;
    return true;
}

/* A record without any quote: text[b, e), e its line end (nl) or the end
 * of the text. Split here as libcsv would split it with parse_text's
 * options (blanks around a field dropped, a field with nothing in it
 * empty, a blank line no record), with the same positions, texts and
 * messages, without libcsv's callback for every byte. A row with as many
 * fields as the header is direct_row's; the header, and a record with too
 * few or too many fields, go through add_field and end_record, which
 * report what is wrong with them. */
static void split_record(struct reader *r, size_t b, size_t e, bool nl)
{
    const char *t = r->text;
    char delim = r->delim;
    size_t i = b;
    while (i < e && blank_byte(t[i], delim))
        i++;
    if (i == e)
        return; /* a blank line */
    unsigned line = r->line;
    if (r->have_header && direct_row(r, i, e, nl, line))
        return;
    for (;;) {
        size_t d = find_byte(t, i, e, r->n, delim);
        size_t fe = field_end(r, i, d, e);
        size_t off = i == e && !nl ? e - 1 : i;
        if (!add_field(r, fe > i ? t + i : NULL, fe - i, off, line))
            return;
        if (d == e)
            break;
        i = d + 1;
        while (i < e && blank_byte(t[i], delim))
            i++;
    }
    end_record(r);
}

static void parse_text(struct reader *r, const char *text, size_t n)
{
    /* the line ends bound the rows (take_header) */
    for (const char *q = text; (q = memchr(q, '\n', n - (size_t)(q - text)));
         q++)
        r->newlines++;
    r->n = n;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
                         CSV_EMPTY_IS_NULL) != 0)
        arena_oom();
    csv_set_delim(&p, (unsigned char)r->delim);
    bool failed = false;
    bool stops[256] = {false}; /* the bytes that end a run */
    stops[(unsigned char)r->delim] = stops['\n'] = stops['"'] = true;
    /* Records without a quote are split by split_record, the others go
     * to libcsv (up to slow_end, the end of the line a record with a quote
     * began on, the test is not made again). */
    r->place = r->delim != '"' && r->delim != '\n' && r->delim != '\r' &&
               r->delim != '\0';
    bool fast = !(r->opt && r->opt->libcsv_only) && r->place;
    size_t slow_end = 0;
    size_t i = 0;
    while (i < n && !r->stop) {
        if (fast && r->between_rows && i >= slow_end) {
            const char *q = memchr(text + i, '\n', n - i);
            size_t e = q ? (size_t)(q - text) : n;
            if (!memchr(text + i, '"', e - i)) {
                split_record(r, i, e, q != NULL);
                if (q)
                    r->line++;
                i = e + 1;
                continue;
            }
            slow_end = e;
        }
        char c = text[i];
        r->pos = i;
        bool blank = (c == ' ' || c == '\t') && c != r->delim;
        bool starts =
            r->between_rows ? !blank && c != '\n' : r->field_pending && !blank;
        if (starts) {
            r->field_line = r->line;
            r->field_off = i;
            r->field_quoted = c == '"';
            r->between_rows = false;
            r->field_pending = false;
        }
        /* Inside a field, a run of bytes that can neither end it nor
         * start another (no delimiter, line end or quote) goes to libcsv
         * in one call, with the delimiter or line end that ends it: the
         * callbacks and the positions above only change at those bytes,
         * and the callbacks see the position of the one that ends the
         * run, as if it came alone. */
        size_t k = 1;
        char end = c;
        const char *feed = text + i;
        size_t nfeed;
        if (!r->between_rows && !r->field_pending && c != r->delim &&
            c != '\n' && c != '"') {
            while (i + k < n && !stops[(unsigned char)text[i + k]])
                k++;
            if (i + k < n && text[i + k] != '"') {
                end = text[i + k];
                r->pos = i + k;
                k++;
            }
        }
        nfeed = k;
        /* A whole unquoted field of a column not read, ended by a
         * delimiter: libcsv gets the delimiter only (an empty field), and
         * on_field takes the field's text from here. */
        if (starts && end == r->delim && k > 1 && r->unread &&
            r->nrec < r->out->ncols && r->unread[r->nrec]) {
            r->unread_field = true;
            r->unread_len = k - 1;
            feed = text + i + k - 1;
            nfeed = 1;
        }
        size_t took = csv_parse(&p, feed, nfeed, on_field, on_record, r);
        if (took == nfeed)
            took = k;
        if (took != k) {
            i += took;
            int err = csv_error(&p);
            if (err == CSV_ENOMEM || err == CSV_ETOOBIG)
                arena_oom();
            if (r->field_quoted)
                diag_error(r->d, r->file, r->line, col_at(text, i),
                           "hay texto después de la comilla que cierra el "
                           "campo (dentro de comillas, una comilla se "
                           "escribe \"\")");
            else
                diag_error(r->d, r->file, r->line, col_at(text, i),
                           "comilla dentro de un campo sin comillas "
                           "(encierre el campo entre comillas y escriba \"\" "
                           "por cada comilla)");
            r->bad = true;
            failed = true;
            break;
        }
        if (end == '\n')
            r->line++;
        i += k;
    }
    if (failed || r->stop) {
        csv_fini(&p, NULL, NULL, NULL);
    } else {
        r->at_end = true;
        if (csv_fini(&p, on_field, on_record, r) != 0) {
            diag_error(r->d, r->file, r->field_line, col_at(text, r->field_off),
                       "comilla sin cerrar: el campo que empieza aquí no "
                       "termina antes del final del archivo");
            r->bad = true;
        }
    }
    csv_free(&p);
}

/* The NULs in_place and libcsv_in_place wrote in text[0, n), put back:
 * read as CSV (a text read in place was valid up to its first error,
 * after which nothing is written), a NUL inside quotes is a closing quote,
 * any other a delimiter. */
static void restore(char *t, size_t n, char delim)
{
    enum { START, PLAIN, QUOTED, CLOSED } st = START;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (st == QUOTED) {
            if (c == '\0')
                t[i] = '"', st = CLOSED;
            else if (c == '"' && i + 1 < n && t[i + 1] == '"')
                i++; /* a doubled quote */
            else if (c == '"')
                st = CLOSED;
        } else if (c == '\0' || c == delim || c == '\n') {
            if (c == '\0')
                t[i] = delim;
            st = START;
        } else if (st == START && c == '"') {
            st = QUOTED;
        } else if (st == START && c != ' ' && c != '\t') {
            st = PLAIN;
        }
    }
}

/* data: len + 1 bytes from malloc, taken (csvtext_decode); from the file
 * out->file when from_file (its text may then be given up once typed:
 * diag_release_text). */
static bool read_text(struct arena *a, struct diag *d, char *data, size_t len,
                      const struct csvfile_options *opt, struct rawcsv *out,
                      bool from_file)
{
    const char *text;
    size_t n;
    if (!csvtext_decode(d, out->file, data, len, &out->encoding, &text, &n,
                        from_file))
        return false;
    if (!csvfile_text_fits(d, out->file, n))
        return false;
    out->delimiter =
        opt && opt->delimiter ? opt->delimiter : csvtext_delimiter(text, n);
    struct reader r = {
        .a = a,
        .d = d,
        .file = out->file,
        .delim = out->delimiter,
        .line = 1,
        .between_rows = true,
        .out = out,
        .max_cell = limit(LIMIT_CELL_LENGTH),
        .opt = opt,
    };
    out->text = text;
    out->text_len = n;
    r.text = text;
    /* from malloc, held by d: rawcsv.text says how it is written */
    r.w = (char *)text;
    parse_text(&r, text, n);
    if (!r.have_header && !r.bad) {
        diag_error(d, out->file, 1, 0,
                   "el archivo está vacío: falta la fila de encabezado");
        r.bad = true;
    }
    if (r.bad) {
        restore(r.w, n, out->delimiter);
        struct rawcsv keep = {.file = out->file,
                              .encoding = out->encoding,
                              .delimiter = out->delimiter};
        *out = keep;
        return false;
    }
    return true;
}

bool csvfile_text_fits(struct diag *d, const char *file, size_t n)
{
    if (n <= CSVFILE_MAX_TEXT)
        return true;
    diag_error(d, file, 0, 0,
               "el archivo ocupa %zu MiB en UTF-8, más de los %zu MiB que "
               "informe lee de un archivo CSV",
               n >> 20, (size_t)CSVFILE_MAX_TEXT >> 20);
    return false;
}

void csvfile_release(struct diag *d, struct rawcsv *raw)
{
    if (raw->text && !diag_release_text(d, raw->text))
        restore((char *)raw->text, raw->text_len, raw->delimiter);
}

bool csvfile_read_mem(struct arena *a, struct diag *d, const char *name,
                      const char *data, size_t len,
                      const struct csvfile_options *opt, struct rawcsv *out)
{
    memset(out, 0, sizeof *out);
    out->file = arena_strdup(a, name);
    char *copy = xmalloc(len + 1);
    memcpy(copy, data, len);
    copy[len] = '\0';
    return read_text(a, d, copy, len, opt, out, false);
}

bool csvfile_read_file(struct arena *a, struct diag *d, const char *path,
                       const struct csvfile_options *opt, struct rawcsv *out)
{
    memset(out, 0, sizeof *out);
    out->file = arena_strdup(a, path);
    char *data;
    size_t len;
    /* read straight into memory that d takes, decoded there: the usual
     * file costs its size once, not once per step */
    if (!infile_read(d, path, "el archivo de datos", opt ? opt->ref : NULL,
                     NULL, &data, &len))
        return false;
    return read_text(a, d, data, len, opt, out, true);
}
