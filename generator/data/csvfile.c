/* csvfile: encoding and delimiter detection, libcsv driven one byte at a
 * time so that every field knows its line (the typing of the columns is
 * csvtype.c). */
#include "data/csvfile.h"

#include "base/buf.h"
#include "base/infile.h"
#include "base/limits.h"
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

/* Windows-1252 bytes 0x80-0x9F; 0 marks the five undefined ones. The rest
 * of the upper half (0xA0-0xFF) is Latin-1, the same code point. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

static void add_cp(struct buf *b, uint32_t cp)
{
    char u[4];
    buf_add(b, u, utf8_encode(cp, u));
}

/* Lines that carry bytes above 0x7F, as valid UTF-8 (u) or not (w); when
 * the whole text is valid UTF-8, both are left at 0. */
static void classify(const char *data, size_t len, size_t *u, size_t *w)
{
    *u = *w = 0;
    if (utf8_validate(data, len) == len)
        return; /* the usual file: every line valid, w is 0 */
    size_t i = 0;
    while (i < len) {
        size_t end = i;
        bool high = false;
        while (end < len && data[end] != '\n' && data[end] != '\r') {
            high |= (unsigned char)data[end] >= 0x80;
            end++;
        }
        if (high) {
            if (utf8_validate(data + i, end - i) == end - i)
                (*u)++;
            else
                (*w)++;
        }
        i = end + 1;
    }
}

/* At most this many lines are named one by one in warnings. */
#define MIXED_WARNINGS 10

/* Decodes data into UTF-8 with LF line breaks (CRLF and CR become LF, so
 * that line numbers, libcsv and diag's excerpts agree). The encoding is
 * decided by the lines that carry non-ASCII bytes: UTF-8 when there is a
 * BOM, or when at least as many of them are valid UTF-8 as not; then each
 * line that is not valid UTF-8 keeps its valid sequences and reads every
 * other byte as Windows-1252, with one warning naming its first such
 * byte. Otherwise the whole file is Windows-1252 (where "Ã³" is ordinary
 * text). A byte that is neither (NUL, or 0x81 0x8D 0x8F 0x90 0x9D) becomes
 * U+FFFD so the excerpt can still be shown; the first one is reported and
 * makes the call fail. data (len + 1 bytes, writable) is decoded in place
 * when the file is valid UTF-8, the usual case; *text is then data. The
 * text (good or not) is registered with diag_add_source. */
static bool decode(struct arena *a, struct diag *d, const char *name,
                   char *data, size_t len, enum csvfile_encoding *enc,
                   char **text, size_t *tlen)
{
    const unsigned char *s = (const unsigned char *)data;
    size_t i = 0, u, w;
    bool bom = len >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
    if (bom)
        i = 3;
    classify(data + i, len - i, &u, &w);
    bool utf8 = bom || w <= u;
    *enc = bom ? CSVFILE_UTF8_BOM : utf8 ? CSVFILE_UTF8 : CSVFILE_WINDOWS_1252;
    if (utf8 && w == 0 && memchr(data + i, 0, len - i) == NULL) {
        /* Valid UTF-8 without NUL (the usual file): only CR changes,
         * in place (the text only shrinks). */
        size_t o = 0;
        while (i < len) {
            const char *cr = memchr(data + i, '\r', len - i);
            size_t run = cr ? (size_t)(cr - (data + i)) : len - i;
            memmove(data + o, data + i, run);
            o += run;
            i += run;
            if (i < len) {
                data[o++] = '\n';
                i += i + 1 < len && s[i + 1] == '\n' ? 2 : 1;
            }
        }
        data[o] = '\0';
        diag_add_source(d, name, data, o);
        *text = data;
        *tlen = o;
        return true;
    }
    struct buf b;
    buf_init(&b);
    buf_grow(&b, len - i + len / 8);
    unsigned line = 1, col = 1, bad_line = 0, bad_col = 0;
    unsigned bad_byte = 0;
    size_t mixed = 0;
    /* warnings wait until the text is registered, so they show it */
    unsigned warn_line[MIXED_WARNINGS], warn_col[MIXED_WARNINGS];
    unsigned warn_byte[MIXED_WARNINGS];
    bool line_valid = true;
    bool line_start = true;
    while (i < len) {
        unsigned c = s[i];
        size_t step = 1;
        if (line_start && utf8) {
            size_t end = i;
            while (end < len && s[end] != '\n' && s[end] != '\r')
                end++;
            line_valid = utf8_validate(data + i, end - i) == end - i;
            line_start = false;
        }
        if (c == '\r' || c == '\n') {
            buf_addc(&b, '\n');
            if (c == '\r' && i + 1 < len && s[i + 1] == '\n')
                step = 2;
            line++;
            col = 1;
            i += step;
            line_start = true;
            continue;
        }
        uint32_t cp = c;
        if (c >= 0x80) {
            if (utf8)
                cp = utf8_decode(data + i, len - i, &step);
            if (cp == UTF8_BAD && utf8 && !line_valid) {
                /* a byte of another encoding in a UTF-8 file */
                if (mixed < MIXED_WARNINGS) {
                    warn_line[mixed] = line;
                    warn_col[mixed] = col;
                    warn_byte[mixed] = c;
                }
                mixed++;
                line_valid = true; /* one warning per line */
                step = 1;
            }
            if (!utf8 || cp == UTF8_BAD) {
                step = 1;
                cp = c < 0xA0 ? cp1252_high[c - 0x80] : c;
                if (cp == 0)
                    cp = UTF8_BAD;
            }
        } else if (c == 0) {
            cp = UTF8_BAD;
        }
        if (cp == UTF8_BAD) {
            if (!bad_line) {
                bad_line = line;
                bad_col = col;
                bad_byte = c;
            }
            cp = 0xFFFD;
        }
        add_cp(&b, cp);
        col++;
        i += step;
    }
    diag_add_source(d, name, b.data, b.len);
    for (size_t k = 0; k < mixed && k < MIXED_WARNINGS; k++)
        diag_warning(d, name, warn_line[k], warn_col[k],
                     "byte 0x%02X no válido en UTF-8 en un archivo UTF-8: "
                     "esta línea se lee como Windows-1252",
                     warn_byte[k]);
    if (mixed > MIXED_WARNINGS)
        diag_warning(d, name, 0, 0,
                     "otras %zu líneas tampoco son UTF-8 válido y se leen "
                     "como Windows-1252",
                     mixed - MIXED_WARNINGS);
    if (bad_line) {
        if (bad_byte == 0)
            diag_error(d, name, bad_line, bad_col,
                       "el archivo tiene un byte nulo (0x00): no parece un "
                       "archivo de texto CSV");
        else
            diag_error(d, name, bad_line, bad_col,
                       "byte 0x%02X no válido: el archivo no es UTF-8 ni "
                       "Windows-1252",
                       bad_byte);
        buf_release(&b);
        return false;
    }
    *tlen = b.len;
    *text = arena_strndup(a, b.data, b.len);
    buf_release(&b);
    return true;
}

/* Counts ',' ';' and tab outside quotes in the first records (LF-only
 * text). The header's count decides; among candidates the one whose count
 * the next records repeat most often wins, then the one found more often
 * on the header line, then ';' before ',' before tab (Excel in es-CO
 * writes ';'). No candidate on the header: the file has one column, and
 * the delimiter is one the rows do not use (so "1,5" stays one field). */
static char detect_delimiter(const char *s, size_t n)
{
    static const char cand[3] = {';', ',', '\t'};
    size_t head[3] = {0, 0, 0}, agree[3] = {0, 0, 0}, cur[3] = {0, 0, 0};
    size_t seen[3] = {0, 0, 0};
    size_t rec = 0;
    bool inq = false, nonempty = false;
    for (size_t i = 0; i <= n && rec <= 20; i++) {
        char c = i < n ? s[i] : '\n';
        if (c == '"') {
            inq = !inq;
        } else if (c == '\n' && (!inq || i == n)) {
            if (nonempty) {
                for (int k = 0; k < 3; k++) {
                    if (rec == 0)
                        head[k] = cur[k];
                    else if (cur[k] == head[k])
                        agree[k]++;
                    seen[k] += cur[k];
                    cur[k] = 0;
                }
                rec++;
            }
            nonempty = false;
            continue;
        } else if (!inq) {
            for (int k = 0; k < 3; k++)
                if (c == cand[k])
                    cur[k]++;
        }
        nonempty = true;
    }
    int best = -1;
    for (int k = 0; k < 3; k++) {
        if (head[k] == 0)
            continue;
        if (best < 0 || agree[k] > agree[best] ||
            (agree[k] == agree[best] && head[k] > head[best]))
            best = k;
    }
    if (best >= 0)
        return cand[best];
    static const int order[3] = {1, 0, 2}; /* ',' then ';' then tab */
    for (int k = 0; k < 3; k++)
        if (seen[order[k]] == 0)
            return cand[order[k]];
    return ',';
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
    size_t pos; /* offset of the byte being fed */
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
    size_t cap_fields, cap_flines, cap_fempty, cap_foffs;
    char *text; /* the decoded file, for columns in messages */
    /* fields are copied one after another into chunks of the arena, not
     * one allocation each (which would round every short field up) */
    char *pool;
    size_t pool_left;
    int64_t max_cell; /* limit(LIMIT_CELL_LENGTH), read once */
    const struct csvfile_options *opt;
    /* the columns not read (csvfile_options.unread), and the field of one
     * that was not handed to libcsv: its length */
    const bool *unread;
    bool unread_field;
    size_t unread_len;
};

#define POOL_CHUNK ((size_t)1 << 18)

static const char *pool_copy(struct reader *r, const char *s, size_t len)
{
    if (len >= r->pool_left) {
        if (len >= POOL_CHUNK / 8)
            return arena_strndup(r->a, s, len);
        r->pool = arena_alloc(r->a, POOL_CHUNK);
        r->pool_left = POOL_CHUNK;
    }
    char *p = r->pool;
    memcpy(p, s, len);
    p[len] = '\0';
    r->pool += len + 1;
    r->pool_left -= len + 1;
    return p;
}

/* Most fields are unquoted and end at a delimiter: their text is already
 * in the decoded file, and the delimiter (or a trailing blank) after it
 * becomes its NUL. Line ends are kept, since columns in messages count
 * from them (a NUL counts as one character, as the delimiter did); every
 * other field is copied to the pool. */
static const char *field_text(struct reader *r, const char *s, size_t len)
{
    size_t off = r->field_off;
    if (!r->field_pending && !r->field_quoted && off + len <= r->pos &&
        r->text[off + len] != '\n' && memcmp(r->text + off, s, len) == 0) {
        r->text[off + len] = '\0';
        return r->text + off;
    }
    return pool_copy(r, s, len);
}

static void on_field(void *s, size_t len, void *data)
{
    struct reader *r = data;
    if (r->stop)
        return;
    if (r->unread_field) { /* libcsv saw its delimiter only */
        s = r->text + r->field_off;
        len = r->unread_len;
        r->unread_field = false;
    }
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
    r->rec_offs[r->nrec] = r->field_pending ? r->pos : r->field_off;
    if ((int64_t)len > r->max_cell) {
        limits_exceeded(r->d, LIMIT_CELL_LENGTH, r->file,
                        r->field_pending ? r->line : r->field_line,
                        col_at(r->text, r->rec_offs[r->nrec]),
                        "el largo del campo");
        r->bad = r->stop = true;
        return;
    }
    r->rec[r->nrec] = s && len ? field_text(r, s, len) : "";
    r->rec_lines[r->nrec] = r->field_pending ? r->line : r->field_line;
    r->rec_empty[r->nrec] = s == NULL;
    r->nrec++;
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
    for (size_t i = 0; i < r->nrec; i++) {
        o->header[i] = r->rec[i];
        o->header_lines[i] = r->rec_lines[i];
        o->header_offsets[i] = r->rec_offs[i];
        unsigned hcol = col_at(o->text, r->rec_offs[i]);
        if (csvfile_blank(r->rec[i])) {
            diag_error(r->d, r->file, r->rec_lines[i], hcol,
                       "el nombre de la columna %zu del encabezado está "
                       "vacío",
                       i + 1);
            r->bad = true;
            continue;
        }
        for (size_t j = 0; j < i; j++) {
            if (strcmp(r->rec[i], r->rec[j]) == 0) {
                diag_error(r->d, r->file, r->rec_lines[i], hcol,
                           "la columna '%s' está repetida en el encabezado "
                           "(columnas %zu y %zu)",
                           shown(r->a, r->rec[i]), j + 1, i + 1);
                r->bad = true;
                break;
            }
        }
    }
    r->have_header = true;
    if (r->opt && r->opt->unread && !r->bad) {
        bool *u = arena_array(r->a, o->ncols ? o->ncols : 1, sizeof *u);
        r->opt->unread(r->opt->ctx, o, u);
        o->unread = r->unread = u;
    }
}

static void take_row(struct reader *r)
{
    struct rawcsv *o = r->out;
    bool all_empty = true;
    for (size_t i = 0; i < r->nrec && all_empty; i++)
        all_empty = r->rec[i][0] == '\0';
    if (all_empty)
        return; /* ";;;;": a formatted but empty spreadsheet row */
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
    if (r->nrec != o->ncols) {
        diag_error(r->d, r->file, r->rec_lines[0], 0,
                   "la fila tiene %zu %s, pero el encabezado tiene %zu",
                   r->nrec, r->nrec == 1 ? "campo" : "campos", o->ncols);
        r->bad = true;
        return;
    }
    if ((int64_t)o->nrows >= limit(LIMIT_ROWS)) {
        limits_exceeded(r->d, LIMIT_ROWS, r->file, r->rec_lines[0], 1,
                        "el número de filas del archivo");
        r->bad = r->stop = true;
        return;
    }
    size_t need = (o->nrows + 1) * o->ncols;
    o->fields =
        arena_grow(r->a, o->fields, &r->cap_fields, need, sizeof *o->fields);
    o->lines =
        arena_grow(r->a, o->lines, &r->cap_flines, need, sizeof *o->lines);
    o->empty =
        arena_grow(r->a, o->empty, &r->cap_fempty, need, sizeof *o->empty);
    o->offsets =
        arena_grow(r->a, o->offsets, &r->cap_foffs, need, sizeof *o->offsets);
    size_t base = o->nrows * o->ncols;
    for (size_t i = 0; i < o->ncols; i++) {
        o->fields[base + i] = r->rec[i];
        o->lines[base + i] = r->rec_lines[i];
        o->empty[base + i] = r->rec_empty[i];
        o->offsets[base + i] = r->rec_offs[i];
    }
    o->nrows++;
}

static void on_record(int c, void *data)
{
    (void)c;
    struct reader *r = data;
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
    return col_at(raw->text, raw->offsets[row * raw->ncols + col]);
}

/* An upper bound on the number of fields: delimiters and line ends
 * outside quotes, plus one. The arrays of fields are allocated once at
 * this size instead of doubling (each doubling would leave the old array
 * behind in the arena). */
static size_t count_fields(const char *text, size_t n, char delim)
{
    /* by a table of the three bytes that matter: one test a byte */
    unsigned char kind[256] = {0};
    kind['"'] = 1;
    kind[(unsigned char)delim] = kind['\n'] = 2;
    size_t k = 1;
    bool inq = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = kind[(unsigned char)text[i]];
        if (c) {
            if (c == 1)
                inq = !inq;
            else if (!inq)
                k++;
        }
    }
    return k;
}

static void parse_text(struct reader *r, const char *text, size_t n)
{
    struct rawcsv *o = r->out;
    size_t cap = count_fields(text, n, r->delim);
    o->fields = arena_array(r->a, cap, sizeof *o->fields);
    o->lines = arena_array(r->a, cap, sizeof *o->lines);
    o->empty = arena_array(r->a, cap, sizeof *o->empty);
    o->offsets = arena_array(r->a, cap, sizeof *o->offsets);
    r->cap_fields = r->cap_flines = r->cap_fempty = r->cap_foffs = cap;
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL |
                         CSV_EMPTY_IS_NULL) != 0)
        arena_oom();
    csv_set_delim(&p, (unsigned char)r->delim);
    bool failed = false;
    bool stops[256] = {false}; /* the bytes that end a run */
    stops[(unsigned char)r->delim] = stops['\n'] = stops['"'] = true;
    for (size_t i = 0; i < n && !r->stop; i++) {
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
        i += k - 1;
    }
    if (failed || r->stop) {
        csv_fini(&p, NULL, NULL, NULL);
    } else if (csv_fini(&p, on_field, on_record, r) != 0) {
        diag_error(r->d, r->file, r->field_line, col_at(text, r->field_off),
                   "comilla sin cerrar: el campo que empieza aquí no "
                   "termina antes del final del archivo");
        r->bad = true;
    }
    csv_free(&p);
}

/* data: len + 1 writable bytes in the arena a, decoded in place. */
static bool read_text(struct arena *a, struct diag *d, char *data, size_t len,
                      const struct csvfile_options *opt, struct rawcsv *out)
{
    char *text;
    size_t n;
    if (!decode(a, d, out->file, data, len, &out->encoding, &text, &n))
        return false;
    out->delimiter =
        opt && opt->delimiter ? opt->delimiter : detect_delimiter(text, n);
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
    r.text = text;
    parse_text(&r, text, n);
    if (!r.have_header && !r.bad) {
        diag_error(d, out->file, 1, 0,
                   "el archivo está vacío: falta la fila de encabezado");
        r.bad = true;
    }
    if (r.bad) {
        struct rawcsv keep = {.file = out->file,
                              .encoding = out->encoding,
                              .delimiter = out->delimiter};
        *out = keep;
        return false;
    }
    return true;
}

bool csvfile_read_mem(struct arena *a, struct diag *d, const char *name,
                      const char *data, size_t len,
                      const struct csvfile_options *opt, struct rawcsv *out)
{
    memset(out, 0, sizeof *out);
    out->file = arena_strdup(a, name);
    char *copy = arena_alloc(a, len + 1);
    memcpy(copy, data, len);
    return read_text(a, d, copy, len, opt, out);
}

bool csvfile_read_file(struct arena *a, struct diag *d, const char *path,
                       const struct csvfile_options *opt, struct rawcsv *out)
{
    memset(out, 0, sizeof *out);
    out->file = arena_strdup(a, path);
    char *data;
    size_t len;
    /* read straight into the arena and decoded there: the usual file
     * costs its size once, not once per step */
    if (!infile_read(d, path, "el archivo de datos", opt ? opt->ref : NULL, a,
                     &data, &len))
        return false;
    return read_text(a, d, data, len, opt, out);
}
