/* render: the `render` and `check` commands: the whole pipeline from a
 * template file to PDF files (or a layout dump), and its command line. */
#include "cli/commands.h"
#include "cli/burst.h"
#include "cli/fontdir.h"
#include "cli/help.h"
#include "cli/watch.h"
#include "cli/output.h"
#include "base/diag.h"
#include "eval/eval.h"
#include "lang/expr.h"
#include "media/font.h"
#include "base/limits.h"
#include "template/schema.h"
#include "template/tl.h"
#include "base/tempfile.h"
#include "template/tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct render_args {
    const char *template_path;
    const char *data_dir;
    const char *output;
    const char *font_dir;
    const char *burst_by;
    const char **sets;
    size_t nsets;
    const char **allow; /* --allow-path folders */
    size_t nallow;
    unsigned shard_k, shard_n; /* --shard K/N: 1-based K; N = 0: none */
    unsigned jobs;             /* --jobs N (1 unless given; 0: all cores) */
    bool dump_layout;
    bool quiet;
    bool no_tags;    /* --no-tags: an untagged PDF */
    bool watch;      /* --watch: render again on every change (cli/watch.h) */
    const char *pdf; /* --pdf: a word of report.pdf, or NULL */
};

/* Parses "K/N" with 1 <= K <= N. */
static bool parse_shard(const char *s, unsigned *k, unsigned *n)
{
    unsigned long a = 0, b = 0;
    const char *p = s;
    if (*p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9' && a < 100000)
        a = a * 10 + (unsigned long)(*p++ - '0');
    if (*p++ != '/' || *p < '0' || *p > '9')
        return false;
    while (*p >= '0' && *p <= '9' && b < 100000)
        b = b * 10 + (unsigned long)(*p++ - '0');
    if (*p || a < 1 || b < 1 || a > b)
        return false;
    *k = (unsigned)a;
    *n = (unsigned)b;
    return true;
}

/* Parses a number of processes, 0 to 1024. */
static bool parse_jobs(const char *s, unsigned *out)
{
    unsigned long v = 0;
    if (*s < '0' || *s > '9')
        return false;
    for (; *s >= '0' && *s <= '9' && v <= 1024; s++)
        v = v * 10 + (unsigned long)(*s - '0');
    if (*s || v > 1024)
        return false;
    *out = (unsigned)v;
    return true;
}

/* Returns EXIT_OK, or the usage error code after printing why. */
static int parse_args(int argc, char **argv, bool render,
                      struct render_args *ra)
{
    const char *usage = render ? help_render_usage : help_check_usage;
    memset(ra, 0, sizeof *ra);
    ra->jobs = 1;
    ra->sets = xmalloc(sizeof *ra->sets * (size_t)argc);
    ra->allow = xmalloc(sizeof *ra->allow * (size_t)argc);
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *next = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes =
            strcmp(a, "-d") == 0 || strcmp(a, "--data") == 0 ||
            strcmp(a, "--set") == 0 || strcmp(a, "--fonts") == 0 ||
            strcmp(a, "--limit") == 0 || strcmp(a, "--allow-path") == 0 ||
            strcmp(a, "--pdf") == 0 ||
            (render &&
             (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0 ||
              strcmp(a, "--burst-by") == 0 || strcmp(a, "--shard") == 0 ||
              strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0));
        if (takes && !next)
            return help_usage_error(usage, "falta el valor de la opción '%s'",
                                    a);
        if (strcmp(a, "-d") == 0 || strcmp(a, "--data") == 0) {
            ra->data_dir = argv[++i];
        } else if (strcmp(a, "--allow-path") == 0) {
            ra->allow[ra->nallow++] = argv[++i];
        } else if (strcmp(a, "--fonts") == 0) {
            ra->font_dir = argv[++i];
        } else if (strcmp(a, "--pdf") == 0) {
            if (tl_word_find(TLS_pdf, next) == TLW_NONE) {
                const char *words[8];
                char list[120];
                tl_join(list, sizeof list, words,
                        tl_set_words(TLS_pdf, words, 8));
                return help_usage_error(
                    usage, "--pdf espera uno de %s, no '%s'", list, next);
            }
            ra->pdf = argv[++i];
        } else if (strcmp(a, "--limit") == 0) {
            const char *why = NULL;
            if (!limits_set(next, &why))
                return help_usage_error(usage, "--limit '%s': %s", next, why);
            i++;
        } else if (strcmp(a, "--set") == 0) {
            if (!strchr(next, '='))
                return help_usage_error(
                    usage, "--set espera CLAVE=VALOR, no '%s'", next);
            ra->sets[ra->nsets++] = argv[++i];
        } else if (render &&
                   (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0)) {
            ra->output = argv[++i];
        } else if (render && strcmp(a, "--burst-by") == 0) {
            ra->burst_by = argv[++i];
        } else if (render && strcmp(a, "--shard") == 0) {
            if (!parse_shard(next, &ra->shard_k, &ra->shard_n))
                return help_usage_error(
                    usage,
                    "--shard espera K/N con 1 <= K <= N, no "
                    "'%s'",
                    next);
            i++;
        } else if (render &&
                   (strcmp(a, "--jobs") == 0 || strcmp(a, "-j") == 0)) {
            if (!parse_jobs(next, &ra->jobs))
                return help_usage_error(usage,
                                        "--jobs espera un número de procesos "
                                        "de 0 a 1024 (0: todos los núcleos), "
                                        "no '%s'",
                                        next);
            i++;
        } else if (render && strcmp(a, "--dump-layout") == 0) {
            ra->dump_layout = true;
        } else if (render && strcmp(a, "--no-tags") == 0) {
            ra->no_tags = true;
        } else if (render && strcmp(a, "--watch") == 0) {
            ra->watch = true;
        } else if (strcmp(a, "--quiet") == 0 || strcmp(a, "-q") == 0) {
            ra->quiet = true;
        } else if (a[0] == '-' && a[1]) {
            return help_usage_error(usage, "opción desconocida '%s'", a);
        } else if (!ra->template_path) {
            ra->template_path = a;
        } else {
            return help_usage_error(usage, "argumento de más: '%s'", a);
        }
    }
    if (!ra->template_path)
        return help_usage_error(usage, "falta la plantilla");
    if (ra->watch && ra->burst_by)
        return help_usage_error(usage,
                                "--watch no se puede usar con --burst-by");
    return EXIT_OK;
}

/* SOURCE_DATE_EPOCH when set (reproducible builds), else the clock. */
static int64_t generation_time(struct diag *d)
{
    const char *s = getenv("SOURCE_DATE_EPOCH");
    if (!s || !*s)
        return (int64_t)time(NULL);
    int64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9' || v > 253402300799) {
            diag_error(d, NULL, 0, 0,
                       "SOURCE_DATE_EPOCH debe ser un número de segundos, "
                       "no '%s'",
                       s);
            return 0;
        }
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* "informe.yaml" -> "informe.pdf" in the current folder. */
static const char *default_output(struct arena *a, const char *template_path)
{
    const char *base = strrchr(template_path, '/');
    base = base ? base + 1 : template_path;
    size_t n = strlen(base);
    const char *dot = strrchr(base, '.');
    if (dot && dot != base)
        n = (size_t)(dot - base);
    return arena_printf(a, "%.*s.pdf", (int)n, base);
}

/* Whether a text holds an expression ('{{' is a brace, not one). */
static bool has_expression(const char *s)
{
    size_t n = strlen(s), end;
    for (size_t i = 0; i < n; i++) {
        enum expr_brace k = expr_brace_at(s, n, i, &end);
        if (k == EXPR_BRACE_OPEN || k == EXPR_BRACE_UNCLOSED)
            return true;
        if (k == EXPR_BRACE_ESCAPED)
            i = end - 1;
    }
    return false;
}

/* For a burst, a pattern without any {…} gets "-{column}" before ".pdf". */
static const char *burst_pattern(struct arena *a, const char *pattern,
                                 const char *column)
{
    if (has_expression(pattern))
        return pattern;
    size_t n = strlen(pattern);
    if (n > 4 && strcmp(pattern + n - 4, ".pdf") == 0)
        n -= 4;
    return arena_printf(a, "%.*s-{%s}.pdf", (int)n, pattern, column);
}

static bool load_fonts(struct fontset *fs, const struct doc_settings *set,
                       struct diag *d)
{
    return fontset_load(fs, set->font_dir, set->font_file, d);
}

static int run(const struct render_args *ra, bool render, struct diag *d)
{
    struct arena *a = arena_new();
    struct fontset fonts;
    bool fonts_loaded = false;
    int rc = EXIT_OK;
    struct eval_options opt = {0};
    opt.data_dir = ra->data_dir;
    opt.sets = ra->sets;
    opt.nsets = ra->nsets;
    opt.allow_paths = ra->allow;
    opt.nallow_paths = ra->nallow;
    opt.now = generation_time(d);
    opt.check_only = !render;
    opt.burst_column = ra->burst_by;
    opt.pdf = ra->pdf;

    struct tnode *root =
        d->errors ? NULL : tree_load_file(a, d, ra->template_path);
    if (!root || !schema_check(d, root))
        goto done;
    if (!(opt.font_dir = fontdir_find(a, ra->font_dir, root, d)))
        goto done;
    struct report *r = eval_load(a, d, root, &opt);
    if (!r)
        goto done;
    if (!render) {
        /* check reads the fonts a render would use. */
        const struct doc_settings *set = eval_loaded_settings(r);
        if (set && load_fonts(&fonts, set, d))
            fonts_loaded = true;
        goto done;
    }

    const char *pattern = ra->output ? ra->output : eval_default_output(r);
    if (!pattern)
        pattern = default_output(a, ra->template_path);

    if (ra->burst_by) {
        const char **values;
        size_t n;
        if (!eval_burst_values(r, d, ra->burst_by, &values, &n))
            goto done;
        struct burst b = {.r = r,
                          .column = ra->burst_by,
                          .values = values,
                          .nvalues = n,
                          .shard_k = ra->shard_k,
                          .shard_n = ra->shard_n,
                          .pattern = burst_pattern(a, pattern, ra->burst_by),
                          .dump = ra->dump_layout,
                          .quiet = ra->quiet,
                          .no_tags = ra->no_tags,
                          .jobs = ra->jobs};
        /* What the loading said comes first; each report's messages are
         * told as it is done. */
        if (!ra->quiet) {
            diag_print(d, stderr);
            diag_clear(d);
        }
        rc = burst_run(&b, d);
        goto done;
    }
    struct doc doc;
    if (eval_document(r, d, NULL, NULL, &doc) &&
        load_fonts(&fonts, &doc.set, d)) {
        fonts_loaded = true;
        const char *path = eval_output_path(r, d, pattern);
        doc.set.untagged = ra->no_tags;
        if (path)
            output_doc(&doc, &fonts, path, ra->dump_layout, d, NULL);
    }
done:
    if (fonts_loaded)
        fontset_release(&fonts);
    arena_free(a);
    if (d->errors)
        return d->code ? (int)d->code : EXIT_SOFTWARE;
    return rc;
}

/* One run and its messages; the exit code. */
static int run_once(const struct render_args *ra, bool render)
{
    struct diag d;
    diag_init(&d);
    int rc = run(ra, render, &d);
    /* --quiet: silence under cron unless something went wrong. */
    if (!(ra->quiet && rc == EXIT_OK))
        diag_print(&d, stderr);
    diag_release(&d);
    return rc;
}

static int render_watched(void *ctx)
{
    return run_once(ctx, true);
}

static int command(int argc, char **argv, bool render)
{
    struct render_args ra;
    int rc = parse_args(argc, argv, render, &ra);
    if (rc == EXIT_OK) {
        if (render)
            tempfile_install_signals();
        if (ra.watch)
            watch_run(render_watched, &ra, ra.quiet);
        rc = run_once(&ra, render);
    }
    free(ra.sets);
    free(ra.allow);
    return rc;
}

int cmd_render(int argc, char **argv)
{
    return command(argc, argv, true);
}

int cmd_check(int argc, char **argv)
{
    return command(argc, argv, false);
}
