/* diag: positioned error and warning messages, collected and printed
 * GCC-style ("file:line:col: error: message"), followed by the source line
 * and a caret under the column, like jq and gcc.
 *
 * Positions are 1-based; line 0 means "no line" (whole file), col 0 means
 * "no column". Columns count characters (UTF-8 code points), not bytes.
 * Messages are in Spanish. The diag owns copies of every string it is given. */
#ifndef INFORME_DIAG_H
#define INFORME_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Exit codes, from sysexits.h. */
enum exit_code {
    EXIT_OK = 0,
    EXIT_USAGE = 64,     /* bad command line */
    EXIT_DATAERR = 65,   /* bad data or template */
    EXIT_NOINPUT = 66,   /* an input file is missing or unreadable */
    EXIT_SOFTWARE = 70,  /* internal error */
    EXIT_CANTCREAT = 73, /* the output cannot be written */
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_msg {
    enum diag_level level;
    char *file; /* NULL: the message is not about a file */
    unsigned line, col;
    char *text;
};

/* After DIAG_MAX_ERRORS errors, further errors are counted, not stored;
 * readers use diag_full() to stop early. */
#define DIAG_MAX_ERRORS 20

struct diag {
    struct diag_msg *msgs;
    size_t n, cap;
    size_t errors, warnings;
    /* The worst exit code reported so far (EXIT_OK when none). */
    enum exit_code code;
    /* Source texts by file name, for printing the offending line. */
    struct diag_source *sources;
    size_t nsources, capsources;
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);

/* Forgets every message and count, keeping the registered sources (once
 * the messages were printed). */
void diag_clear(struct diag *d);

/* Registers the text of a file so that messages about it can show the
 * line. The text is copied. */
void diag_add_source(struct diag *d, const char *file, const char *text,
                     size_t len);
/* As diag_add_source, without a copy: d takes text (len bytes and a NUL,
 * from malloc), frees it in diag_release, and nothing may change it while
 * d holds it. */
void diag_adopt_source(struct diag *d, const char *file, char *text,
                       size_t len);

/* Reads the file at path again and gives the text diag_adopt_file took
 * for it, from malloc, its length in *tlen; NULL when it cannot. */
typedef char *(*diag_reread)(const char *path, size_t *tlen);

/* As diag_adopt_source for the text of the file just read at path, which
 * may then be given up with diag_release_text once its reader no longer
 * needs it: from then on, the file is read again (reread) only when a
 * message about it is printed. If the file has changed since it was
 * adopted (its size, times of change or inode), or its text is no longer
 * len bytes, the message is printed without its line. A large data file
 * thus is not held to the end of a run that prints nothing about it. */
void diag_adopt_file(struct diag *d, const char *path, char *text, size_t len,
                     diag_reread reread);
/* Frees text, adopted by diag_adopt_file (any other text: nothing, and
 * false). */
bool diag_release_text(struct diag *d, const char *text);
/* Gives back text, adopted by diag_adopt_source or diag_adopt_file: the
 * caller frees it, and messages about its file show no line. NULL when d
 * does not hold it. */
char *diag_take_text(struct diag *d, const char *text);

/* Records an error with exit code EXIT_DATAERR. */
void diag_error(struct diag *d, const char *file, unsigned line, unsigned col,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Records an error with the given exit code (EXIT_NOINPUT, ...). */
void diag_error_code(struct diag *d, enum exit_code code, const char *file,
                     unsigned line, unsigned col, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void diag_verror(struct diag *d, enum exit_code code, const char *file,
                 unsigned line, unsigned col, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
void diag_warning(struct diag *d, const char *file, unsigned line, unsigned col,
                  const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* A note attached to the previous message ("aquí está la primera"). */
void diag_note(struct diag *d, const char *file, unsigned line, unsigned col,
               const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Gives the position file:line:col to every message recorded since index
 * from (d->n before the call that may have added them) that has no file:
 * lower layers (images, fonts) speak of a file, the caller knows which
 * line of the template asked for it. */
void diag_locate(struct diag *d, size_t from, const char *file, unsigned line,
                 unsigned col);

/* True when the error limit is reached and readers should stop. */
bool diag_full(const struct diag *d);

/* Prints every message: position, level, text, then the source line and a
 * caret when the source is registered and line/col are known. */
void diag_print(const struct diag *d, FILE *out);
/* diag_print, taking the source lines from more (may be NULL) for the
 * files d has no text of: the messages of one report of a burst, whose
 * template and data were registered with the run's diag. */
void diag_print_with(const struct diag *d, const struct diag *more, FILE *out);
/* One message as the first line would print it (no source line), for
 * tests: "file:3:7: error: text". Caller frees with free(). */
char *diag_format(const struct diag_msg *m);

#endif
