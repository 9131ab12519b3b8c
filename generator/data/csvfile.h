/* csvfile: CSV files as people export them, read with libcsv, the only
 * module that includes <csv.h>.
 *
 * Detects the encoding (UTF-8, UTF-8 with BOM, Windows-1252, transcoded to
 * UTF-8) and the delimiter (',' ';' or tab, unless given); takes CRLF, CR
 * and LF; quoted fields with delimiters, doubled quotes and newlines. The
 * first record is the header. Every field keeps the line where it began.
 * Errors name the file and line (and column where one applies).
 *
 * Decisions: line breaks (CRLF, CR) become LF everywhere, also inside
 * quoted fields, so a header or cell with a line break holds "\n". Spaces
 * around an unquoted field are dropped (libcsv trims them; "  12 " is 12);
 * inside quotes every character is kept. Blank lines, and records whose
 * fields are all empty (Excel writes ";;;;" for formatted empty rows), are
 * skipped; line numbers still count them. Text that is valid UTF-8 is
 * UTF-8; anything else is read as Windows-1252, and a byte that is neither
 * (NUL, or 0x81 0x8D 0x8F 0x90 0x9D) is an error at its line. */
#ifndef INFORME_CSVFILE_H
#define INFORME_CSVFILE_H

#include "base/arena.h"
#include "base/diag.h"
#include "base/infile.h"
#include "data/csvtext.h"
#include "data/table.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "utf-8", "utf-8-bom", "windows-1252" */
const char *csvfile_encoding_name(enum csvfile_encoding e);

struct rawcsv;

struct csvfile_options {
    char delimiter;               /* 0: detect */
    const struct infile_ref *ref; /* where the file is named, or NULL */
    /* Called once the header is read (NULL: never): sets unread[c] (ncols
     * flags, false) for each column whose values the caller will never
     * read. Such a column's fields are split (a record still needs its
     * number of fields) but not kept, and it is not typed
     * (csvfile_to_table_used); past the last column read, a record
     * without quotes is not split at all, only its delimiters counted.
     * An unquoted field of such a column is not handed to libcsv (only
     * the delimiter that ends it). */
    void (*unread)(void *ctx, const struct rawcsv *raw, bool *unread);
    void *ctx;
    /* Every record goes through libcsv. Otherwise a record without any
     * quote is split by informe itself, the same fields, positions and
     * messages, at a fraction of the cost (tests compare the two). */
    bool libcsv_only;
};

/* csvfile_options.unread: a column whose fields are not kept (rawcsv.slot) */
#define CSVFILE_NOT_KEPT SIZE_MAX

/* The largest decoded text read (offsets are 32-bit): 4 GiB less a byte
 * of UTF-8. A larger one is an error (csvfile_text_fits). */
#define CSVFILE_MAX_TEXT ((size_t)UINT32_MAX)

/* The file as text: header and fields, all UTF-8, NUL-terminated. Only
 * the fields of the columns read are kept: a row is stride fields, column
 * c's at slot[c] (csvfile_at). Without csvfile_options.unread, every
 * column is kept in its own order (stride is ncols, slot[c] is c).
 *
 * Most fields are read in place: a kept field of a data record points
 * into text when the bytes there are its own (no blanks dropped before
 * what ends it, no doubled quote in it), and the NUL that ends it is
 * written over the delimiter that follows an unquoted field, or over the
 * closing quote of a quoted one (or is the text's own, at its end). Line
 * ends are never written: col_at still finds a line's start at the '\n'
 * before it, and a NUL is one character, as the byte it replaced was.
 * The header, a field with a doubled quote, and a field followed by
 * blanks or by its line end are copies in the arena. A row costs 17
 * bytes a kept field (fields 8, lines 4, empty 1, offsets 4) and the
 * copies of its fields that end a line; docs/performance.md has the
 * figures. csvfile_release gives the text back as it was read: read as
 * CSV, a NUL inside quotes was the closing quote, any other a delimiter. */
struct rawcsv {
    const char *file;
    enum csvfile_encoding encoding;
    char delimiter;
    size_t ncols, nrows; /* nrows: data records, the header excluded */
    const char **header; /* ncols names */
    unsigned header_line;
    unsigned *header_lines; /* ncols: line where each header name began */
    size_t stride;          /* fields kept per row */
    const size_t *slot;     /* ncols: place in a row, or CSVFILE_NOT_KEPT */
    const char **fields;    /* nrows * stride, row-major */
    unsigned *lines;        /* nrows * stride: line where each field began */
    bool *empty;            /* nrows * stride: unquoted empty field */
    const char *text;       /* the decoded file (LF line ends), written */
    size_t text_len;        /* its bytes, at most CSVFILE_MAX_TEXT */
    uint32_t *offsets;      /* nrows * stride: byte offset of each field */
    size_t *header_offsets; /* ncols */
    const bool *unread;     /* ncols, or NULL: csvfile_options.unread */
};

/* Whether the fields of column col are kept: not marked unread. */
static inline bool csvfile_kept(const struct rawcsv *raw, size_t col)
{
    return raw->slot[col] != CSVFILE_NOT_KEPT;
}

/* The index in fields, lines, empty and offsets of field (row, col), a
 * kept column. */
static inline size_t csvfile_at(const struct rawcsv *raw, size_t row,
                                size_t col)
{
    return row * raw->stride + raw->slot[col];
}

/* s on one line, for messages and summaries: runs of blanks, line breaks
 * and control characters folded to one space, cut after max characters
 * with an ellipsis. Lives in a. */
const char *csvfile_one_line(struct arena *a, const char *s, size_t max);

/* Whether s holds only blanks (spaces, tabs, line breaks) or nothing:
 * an empty cell. */
bool csvfile_blank(const char *s);

/* 1-based character column where field (row, col) begins, for messages
 * whose caret points at the field. */
unsigned csvfile_field_column(const struct rawcsv *raw, size_t row, size_t col);

/* Reads a file; EXIT_NOINPUT if it cannot be opened, EXIT_DATAERR for bad
 * content. The decoded text is given to d (diag_adopt_file; from memory,
 * diag_adopt_source): out->text lives until the caller gives it up with
 * csvfile_release (after typing) or d is released. Most fields are read
 * in place (see struct rawcsv), so a message d prints before
 * csvfile_release would show a line with NULs for delimiters. Every
 * other string and array of out lives in the arena a; on failure out is
 * left zeroed except file and encoding, the text is as it was read, and
 * the errors are in d (at most DIAG_MAX_ERRORS of them: reading stops
 * when diag_full). A text larger than CSVFILE_MAX_TEXT is an error. */
bool csvfile_read_file(struct arena *a, struct diag *d, const char *path,
                       const struct csvfile_options *opt, struct rawcsv *out);
bool csvfile_read_mem(struct arena *a, struct diag *d, const char *name,
                      const char *data, size_t len,
                      const struct csvfile_options *opt, struct rawcsv *out);

/* Done with the fields of raw (after typing): its text is given up
 * (diag_release_text: messages about a file then read it again), or,
 * when d keeps it (a source read from memory), the delimiters in_place
 * wrote over are put back, so that its messages show the lines as they
 * were read. The fields of raw are no longer valid. */
void csvfile_release(struct diag *d, struct rawcsv *raw);

/* Whether a decoded text of n bytes can be read (CSVFILE_MAX_TEXT);
 * false with an error in d naming file otherwise. */
bool csvfile_text_fits(struct diag *d, const char *file, size_t n);

/* A column type forced by the caller (template or --type). */
struct type_request {
    const char *column;
    enum vtype type;
    unsigned line, col; /* where it was asked for (template), or 0 */
    const char *file;
};

/* The column named name: the first whose header is name, else the first
 * whose header is name with case and accents folded
 * (table_names_equal_folded); -1 when none is. */
long csvfile_find_column(const struct rawcsv *raw, const char *name);

/* Types every column (forced by req, else inferred from all its values)
 * and parses every cell. A column named in req but absent is an error at
 * the request's position. A value that does not parse is an error naming
 * file, line, column (the 1-based field position) and the value. An empty
 * cell (or one of blanks) is V_MISSING in every type. Number style is
 * decided per column (see parse.h); a column that mixes es-CO and plain
 * numbers is an error at the first value that contradicts the others.
 * Cells, column names and texts live in the arena a: they are copied
 * (each distinct text of a column once), so raw and its arena may be
 * freed afterwards. */
bool csvfile_to_table(struct arena *a, struct diag *d, const struct rawcsv *raw,
                      const struct type_request *req, size_t nreq,
                      struct table *out);

/* csvfile_to_table for a caller that reads only some columns: used
 * (ncols flags; NULL: every column) names them. A column neither used nor
 * in req, or one raw->unread marks (in req or not: its fields are not
 * kept), is not typed: its type is V_TEXT, its cells
 * V_MISSING, and its values are not checked (a mix of number styles or a value
 * of another type in it is no error). Its name and position are kept, so that
 * the messages about columns (an unknown name and its suggestion) are the same.
 */
bool csvfile_to_table_used(struct arena *a, struct diag *d,
                           const struct rawcsv *raw,
                           const struct type_request *req, size_t nreq,
                           const bool *used, struct table *out);

#endif
