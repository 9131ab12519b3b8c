/* diag: message list and its GCC-style printing with source line and
 * caret. */
#include "base/diag.h"

#include "base/arena.h"
#include "base/buf.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct diag_source {
    char *file;
    char *text; /* NULL: read again when needed (diag_add_file) */
    size_t len;
    diag_reread reread;
    struct stat st; /* the file's, when it was registered */
};

void diag_init(struct diag *d)
{
    memset(d, 0, sizeof *d);
}

void diag_release(struct diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->msgs[i].file);
        free(d->msgs[i].text);
    }
    free(d->msgs);
    for (size_t i = 0; i < d->nsources; i++) {
        free(d->sources[i].file);
        free(d->sources[i].text);
    }
    free(d->sources);
    diag_init(d);
}

void diag_clear(struct diag *d)
{
    for (size_t i = 0; i < d->n; i++) {
        free(d->msgs[i].file);
        free(d->msgs[i].text);
    }
    d->n = 0;
    d->errors = d->warnings = 0;
    d->code = EXIT_OK;
}

static struct diag_source *new_source(struct diag *d, const char *file,
                                      size_t len)
{
    if (d->nsources == d->capsources) {
        d->capsources = d->capsources ? d->capsources * 2 : 4;
        d->sources = xrealloc(d->sources, d->capsources * sizeof *d->sources);
    }
    struct diag_source *s = &d->sources[d->nsources++];
    memset(s, 0, sizeof *s);
    s->file = xstrdup(file);
    s->len = len;
    return s;
}

void diag_adopt_source(struct diag *d, const char *file, char *text, size_t len)
{
    new_source(d, file, len)->text = text;
}

void diag_add_source(struct diag *d, const char *file, const char *text,
                     size_t len)
{
    char *copy = xmalloc(len + 1);
    memcpy(copy, text, len);
    copy[len] = '\0';
    diag_adopt_source(d, file, copy, len);
}

void diag_adopt_file(struct diag *d, const char *path, char *text, size_t len,
                     diag_reread reread)
{
    struct diag_source *s = new_source(d, path, len);
    s->text = text;
    s->reread = reread;
    if (stat(path, &s->st) != 0)
        s->reread = NULL; /* gone already: no line will be shown */
}

/* The source holding text, or NULL. */
static struct diag_source *holding(struct diag *d, const char *text)
{
    for (size_t i = d->nsources; text && i-- > 0;)
        if (d->sources[i].text == text)
            return &d->sources[i];
    return NULL;
}

bool diag_release_text(struct diag *d, const char *text)
{
    struct diag_source *s = holding(d, text);
    if (!s || !s->reread)
        return false;
    free(s->text);
    s->text = NULL;
    return true;
}

char *diag_take_text(struct diag *d, const char *text)
{
    struct diag_source *s = holding(d, text);
    if (!s)
        return NULL;
    s->text = NULL;
    s->reread = NULL;
    return (char *)text;
}

static bool same_file(const struct stat *a, const struct stat *b)
{
    return a->st_dev == b->st_dev && a->st_ino == b->st_ino &&
           a->st_size == b->st_size && a->st_mtim.tv_sec == b->st_mtim.tv_sec &&
           a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
           a->st_ctim.tv_sec == b->st_ctim.tv_sec &&
           a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

/* The text of a source registered by diag_add_file, read again (the
 * caller frees it), or NULL when the file is not the one registered. */
static char *reread(const struct diag_source *s)
{
    struct stat now;
    if (!s->reread || stat(s->file, &now) != 0 || !same_file(&now, &s->st))
        return NULL;
    size_t tlen;
    char *text = s->reread(s->file, &tlen);
    if (text && tlen != s->len) {
        free(text);
        text = NULL;
    }
    return text;
}

static void add(struct diag *d, enum diag_level level, const char *file,
                unsigned line, unsigned col, const char *fmt, va_list ap)
{
    if (d->n == d->cap) {
        d->cap = d->cap ? d->cap * 2 : 8;
        d->msgs = xrealloc(d->msgs, d->cap * sizeof *d->msgs);
    }
    struct buf b;
    buf_init(&b);
    buf_vprintf(&b, fmt, ap);
    struct diag_msg *m = &d->msgs[d->n++];
    m->level = level;
    m->file = file ? xstrdup(file) : NULL;
    m->line = line;
    m->col = col;
    m->text = buf_detach(&b, NULL);
}

void diag_locate(struct diag *d, size_t from, const char *file, unsigned line,
                 unsigned col)
{
    for (size_t i = from; file && i < d->n; i++) {
        if (d->msgs[i].file)
            continue;
        d->msgs[i].file = xstrdup(file);
        d->msgs[i].line = line;
        d->msgs[i].col = col;
    }
}

void diag_verror(struct diag *d, enum exit_code code, const char *file,
                 unsigned line, unsigned col, const char *fmt, va_list ap)
{
    d->errors++;
    if (d->code == EXIT_OK || d->code == EXIT_DATAERR)
        d->code = code;
    if (d->errors > DIAG_MAX_ERRORS)
        return;
    add(d, DIAG_ERROR, file, line, col, fmt, ap);
}

void diag_error(struct diag *d, const char *file, unsigned line, unsigned col,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, EXIT_DATAERR, file, line, col, fmt, ap);
    va_end(ap);
}

void diag_error_code(struct diag *d, enum exit_code code, const char *file,
                     unsigned line, unsigned col, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(d, code, file, line, col, fmt, ap);
    va_end(ap);
}

void diag_warning(struct diag *d, const char *file, unsigned line, unsigned col,
                  const char *fmt, ...)
{
    d->warnings++;
    if (d->warnings > 100)
        return;
    va_list ap;
    va_start(ap, fmt);
    add(d, DIAG_WARNING, file, line, col, fmt, ap);
    va_end(ap);
}

void diag_note(struct diag *d, const char *file, unsigned line, unsigned col,
               const char *fmt, ...)
{
    if (d->errors > DIAG_MAX_ERRORS)
        return;
    va_list ap;
    va_start(ap, fmt);
    add(d, DIAG_NOTE, file, line, col, fmt, ap);
    va_end(ap);
}

bool diag_full(const struct diag *d)
{
    return d->errors >= DIAG_MAX_ERRORS;
}

static const char *level_name(enum diag_level l)
{
    switch (l) {
    case DIAG_ERROR:
        return "error";
    case DIAG_WARNING:
        return "aviso";
    case DIAG_NOTE:
        return "nota";
    }
    return "error";
}

static void format_head(struct buf *b, const struct diag_msg *m)
{
    if (m->file) {
        buf_adds(b, m->file);
        if (m->line)
            buf_printf(b, ":%u", m->line);
        if (m->line && m->col)
            buf_printf(b, ":%u", m->col);
        buf_adds(b, ": ");
    } else {
        buf_adds(b, "informe: ");
    }
    buf_printf(b, "%s: %s", level_name(m->level), m->text);
}

char *diag_format(const struct diag_msg *m)
{
    struct buf b;
    buf_init(&b);
    format_head(&b, m);
    return buf_detach(&b, NULL);
}

static const struct diag_source *find_source(const struct diag *d,
                                             const char *file)
{
    for (size_t i = d->nsources; i-- > 0;)
        if (strcmp(d->sources[i].file, file) == 0)
            return &d->sources[i];
    return NULL;
}

/* Prints line `line` of text (len bytes) and a caret under character
 * `col`. Tabs in the line are kept under the caret so that it lines up. */
static void print_line(const char *text, size_t len, unsigned line,
                       unsigned col, FILE *out)
{
    const char *p = text, *end = text + len;
    for (unsigned l = 1; l < line && p < end; l++) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        p = nl ? nl + 1 : end;
    }
    if (p >= end)
        return;
    const char *e = p;
    while (e < end && *e != '\n' && *e != '\r')
        e++;
    if (e - p > 300)
        return; /* a huge line is no help on a terminal */
    fprintf(out, " %5u | %.*s\n", line, (int)(e - p), p);
    if (!col)
        return;
    fputs("       | ", out);
    unsigned c = 1;
    for (const char *q = p; q < e && c < col; q++) {
        unsigned char ch = (unsigned char)*q;
        if ((ch & 0xC0) == 0x80)
            continue; /* continuation byte: same character */
        fputc(ch == '\t' ? '\t' : ' ', out);
        c++;
    }
    fputs("^\n", out);
}

/* The line of a message about source s, and its caret. */
static void print_excerpt(const struct diag_source *s, unsigned line,
                          unsigned col, FILE *out)
{
    char *again = s->text ? NULL : reread(s);
    if (s->text || again)
        print_line(s->text ? s->text : again, s->len, line, col, out);
    free(again);
}

void diag_print(const struct diag *d, FILE *out)
{
    diag_print_with(d, NULL, out);
}

void diag_print_with(const struct diag *d, const struct diag *more, FILE *out)
{
    for (size_t i = 0; i < d->n; i++) {
        const struct diag_msg *m = &d->msgs[i];
        struct buf b;
        buf_init(&b);
        format_head(&b, m);
        fprintf(out, "%s\n", b.data);
        buf_release(&b);
        if (m->file && m->line) {
            const struct diag_source *s = find_source(d, m->file);
            if (!s && more)
                s = find_source(more, m->file);
            if (s)
                print_excerpt(s, m->line, m->col, out);
        }
    }
    if (d->errors > DIAG_MAX_ERRORS)
        fprintf(out, "informe: %zu errores más no se muestran\n",
                d->errors - DIAG_MAX_ERRORS);
}
