/* burst: the reports of `render --burst-by`: the values of a shard, each
 * report evaluated, laid out and written in an arena of its own (reset
 * once its PDF is written), with the template, the data and the fonts
 * loaded once. One report's failure does not stop the others: its
 * messages are told with its value, and a summary line ends the burst.
 * On a terminal a progress line shows how far the burst is. */
#include "cli/burst.h"
#include "base/arena.h"
#include "base/utf8.h"
#include "cli/output.h"
#include "media/font.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What one report left behind: whether it was written, its exit code,
 * and its messages as they are to be printed. */
struct outcome {
    bool ok;
    enum exit_code code;
    char *text; /* malloc'd, NULL when there is nothing to print */
    size_t len;
};

/* The run of a burst: what every report shares, and the tally. */
struct runner {
    const struct burst *b;
    const struct fontset *fonts;
    const struct diag *run; /* the source lines of the template and data */
    size_t *which;          /* the shard's values, as indices of b->values */
    size_t n;
    size_t done, written, failed;
    enum exit_code first_code;
    bool progress; /* a progress line on standard error (a terminal) */
    bool shown;    /* the progress line is on the screen */
};

/* The messages of a report, printed as diag_print would, then, for a
 * failure, a line naming its value. */
static void render_messages(const struct runner *u, const struct diag *d,
                            const char *value, bool ok, struct outcome *o)
{
    o->text = NULL;
    o->len = 0;
    if (ok && (u->b->quiet || d->n == 0))
        return;
    FILE *f = open_memstream(&o->text, &o->len);
    if (!f) {
        arena_oom_if(errno);
        return;
    }
    diag_print_with(d, u->run, f);
    if (!ok)
        fprintf(f, "informe: %s '%s': el informe no se escribió\n",
                u->b->column, value);
    if (fclose(f) != 0)
        arena_oom_if(errno);
}

/* Evaluates, lays out and writes the report of value number i of the
 * burst in own, which is reset afterwards. */
static void one_report(const struct runner *u, struct arena *own, size_t i,
                       struct outcome *o)
{
    const struct burst *b = u->b;
    struct diag d;
    diag_init(&d);
    eval_open_report(b->r, own);
    struct doc doc;
    bool ok = eval_document(b->r, &d, b->column, b->values[i], &doc);
    const char *path = ok ? eval_output_path(b->r, &d, b->pattern) : NULL;
    ok = path && output_doc(&doc, u->fonts, path, b->dump, &d);
    eval_close_report(b->r);
    arena_reset(own);
    if (!ok && d.errors == 0)
        diag_error_code(&d, EXIT_SOFTWARE, NULL, 0, 0,
                        "error interno: el informe falló sin mensaje");
    o->ok = ok && d.errors == 0;
    o->code = d.code ? d.code : EXIT_SOFTWARE;
    render_messages(u, &d, b->values[i], o->ok, o);
    diag_release(&d);
}

/* The value shortened to max characters (an ellipsis when cut). */
static void put_short(const char *s, size_t max)
{
    size_t n = strlen(s), at = 0, chars = 0, len;
    while (at < n && chars < max) {
        utf8_decode(s + at, n - at, &len);
        at += len;
        chars++;
    }
    fprintf(stderr, "%.*s%s", (int)at, s, at < n ? "…" : "");
}

static void clear_progress(struct runner *u)
{
    if (u->shown)
        fputs("\r\033[K", stderr);
    u->shown = false;
}

static unsigned digits(size_t n)
{
    unsigned k = 1;
    while (n >= 10) {
        n /= 10;
        k++;
    }
    return k;
}

/* Tells what report number k of the shard left behind (in the shard's
 * order) and counts it. */
static void deliver(struct runner *u, size_t k, struct outcome *o)
{
    if (o->text) {
        clear_progress(u);
        fwrite(o->text, 1, o->len, stderr);
        free(o->text);
        o->text = NULL;
    }
    u->done++;
    if (o->ok) {
        u->written++;
    } else {
        if (u->failed++ == 0)
            u->first_code = o->code;
    }
    if (u->progress) {
        fprintf(stderr, "\r[%*zu/%zu] ", (int)digits(u->n), u->done, u->n);
        put_short(u->b->values[u->which[k]], 60);
        fputs("\033[K", stderr);
        u->shown = true;
    }
}

/* "informe: 6000 informes: 5999 escritos, 1 con errores" */
static void summary(struct runner *u)
{
    clear_progress(u);
    fprintf(stderr, "informe: %zu %s: %zu %s, %zu con errores\n", u->n,
            u->n == 1 ? "informe" : "informes", u->written,
            u->written == 1 ? "escrito" : "escritos", u->failed);
}

/* Every report in this process, in order. */
static void run_here(struct runner *u)
{
    struct arena *own = arena_new();
    for (size_t k = 0; k < u->n; k++) {
        struct outcome o;
        one_report(u, own, u->which[k], &o);
        deliver(u, k, &o);
    }
    arena_free(own);
}

int burst_run(const struct burst *b, struct diag *run)
{
    struct runner u = {.b = b, .run = run};
    /* A shard renders every N-th value: deterministic, no coordination
     * between the processes. */
    u.which = xmalloc((b->nvalues ? b->nvalues : 1) * sizeof *u.which);
    for (size_t i = 0; i < b->nvalues; i++)
        if (!b->shard_n || i % b->shard_n == b->shard_k - 1)
            u.which[u.n++] = i;
    /* The fonts of the settings the loading evaluated, once. */
    struct fontset fonts;
    const struct doc_settings *set = eval_loaded_settings(b->r);
    if (!set || !fontset_load(&fonts, set->font_dir, set->font_file, run)) {
        if (!set)
            diag_error_code(run, EXIT_SOFTWARE, NULL, 0, 0,
                            "error interno: no hay ajustes del informe");
        free(u.which);
        return run->code ? (int)run->code : EXIT_SOFTWARE;
    }
    u.fonts = &fonts;
    u.progress = !b->quiet && !b->dump && isatty(STDERR_FILENO);
    run_here(&u);
    if (u.failed || u.progress)
        summary(&u);
    fontset_release(&fonts);
    free(u.which);
    return u.failed ? (int)u.first_code : EXIT_OK;
}
