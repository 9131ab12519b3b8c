/* fuzz_util: see fuzz_util.h. */
#include "fuzz_util.h"

#include "base/arena.h"
#include "data/csvfile.h"
#include "base/diag.h"
#include "base/limits.h"
#include "doc/doc.h"
#include "media/font.h"
#include "template/tree.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void fuzz_limits(void)
{
    static const char *const sets[] = {"pages=200", "rows=20000"};
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
        const char *why = NULL;
        if (!limits_set(sets[i], &why)) {
            fprintf(stderr, "fuzz: %s: %s\n", sets[i], why);
            abort();
        }
    }
}

const char *fuzz_layout_setup(struct fontset *fonts,
                              struct doc_settings *defaults)
{
    fuzz_limits();
    size_t ndocs;
    (void)fuzz_docs_files(&ndocs); /* read once, here: none aborts */
    const char *dir = getenv("INFORME_FONTS");
    if (!dir || !*dir)
        dir = "fonts";
    struct diag d;
    diag_init(&d);
    doc_settings_default(defaults);
    if (!fontset_load(fonts, dir, defaults->font_file, &d)) {
        diag_print(&d, stderr);
        abort();
    }
    diag_release(&d);
    return dir;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *p = malloc(cap);
    size_t got;
    while (p && (got = fread(p + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *q = realloc(p, cap * 2);
            if (!q) {
                free(p);
                p = NULL;
            }
            p = q;
            cap *= 2;
        }
    }
    fclose(f);
    *len = n;
    return p;
}

const struct eval_file *fuzz_docs_files(size_t *n)
{
    static const char *const names[] = {
        "plan.csv",      "furag.csv",     "politicas.csv", "metas.csv",
        "programas.csv", "ejecucion.csv", "nombres.csv",
    };
    enum { N = sizeof names / sizeof *names };
    static struct eval_file files[N];
    static size_t nfiles;
    static int done;
    if (!done) {
        const char *dir = getenv("INFORME_FUZZ_DATA");
        if (!dir || !*dir)
            dir = "tests/data/docs";
        for (size_t i = 0; i < N; i++) {
            char path[4096];
            snprintf(path, sizeof path, "%s/%s", dir, names[i]);
            size_t len;
            char *data = slurp(path, &len);
            if (data)
                files[nfiles++] = (struct eval_file){
                    .name = names[i], .data = data, .len = len};
        }
        if (nfiles == 0) {
            fprintf(stderr,
                    "fuzz: no data files in %s (run from the repository "
                    "root or set INFORME_FUZZ_DATA)\n",
                    dir);
            abort();
        }
        done = 1;
    }
    *n = nfiles;
    return files;
}

static const char plan_csv[] =
    "programa;actividad;n;meta;avance;fecha;valor\n"
    "Agua;Instalar ahorradores;1;120;90,5 %;31/03/2018;$ 1.200.000\n"
    "Agua;Medir el consumo;2;12;60 %;2018-02-28;$ 350.000,50\n"
    "Energía;Cambiar luminarias;3;300,25;;31/12/2017;\n"
    "energía;Apagar equipos;;0;95 %;;$ 0\n"
    "Ñandú;\"Ésta \"\"cita\"\"\";5;-7,5;0 %;29/02/2016;-$ 10\n"
    "Residuos;;6;;100 %;01/01/1970;$ 5\n";

const struct table *fuzz_plan_table(void)
{
    static struct table t;
    static struct arena *a; /* kept for the life of the process */
    if (a)
        return &t;
    a = arena_new();
    struct diag d;
    diag_init(&d);
    struct type_request req[] = {
        {.column = "programa", .type = V_TEXT},
        {.column = "actividad", .type = V_TEXT},
        {.column = "n", .type = V_INT},
        {.column = "meta", .type = V_NUMBER},
        {.column = "avance", .type = V_PERCENT},
        {.column = "fecha", .type = V_DATE},
        {.column = "valor", .type = V_MONEY},
    };
    struct rawcsv raw;
    struct csvfile_options opt = {.delimiter = ';'};
    if (!csvfile_read_mem(a, &d, "plan.csv", plan_csv, sizeof plan_csv - 1,
                          &opt, &raw) ||
        !csvfile_to_table(a, &d, &raw, req, sizeof req / sizeof *req, &t)) {
        diag_print(&d, stderr);
        abort();
    }
    t.name = "plan";
    diag_release(&d);
    return &t;
}

void fuzz_report(const struct diag *d)
{
    static int verbose = -1;
    if (verbose < 0) {
        const char *v = getenv("INFORME_FUZZ_VERBOSE");
        verbose = v && *v;
    }
    if (verbose)
        diag_print(d, stderr);
}

void fuzz_lines(const char *data, size_t size,
                void (*fn)(void *ctx, const char *line, size_t len), void *ctx)
{
    size_t start = 0;
    for (size_t i = 0; i <= size; i++) {
        if (i == size || data[i] == '\n') {
            if (i > start || i < size)
                fn(ctx, data + start, i - start);
            start = i + 1;
        }
    }
}

size_t fuzz_split_files(const char *s, size_t size, size_t *tlen,
                        struct eval_file *files, char names[][64])
{
    size_t n = 0;
    *tlen = size;
    struct eval_file *cur = NULL;
    for (size_t i = 0; i < size;) {
        const char *nl = memchr(s + i, '\n', size - i);
        size_t end = nl ? (size_t)(nl - s) : size;
        if (end - i >= 3 && memcmp(s + i, "#@ ", 3) == 0 &&
            n < FUZZ_MAX_FILES) {
            if (cur)
                cur->len = (size_t)(s + i - cur->data);
            else
                *tlen = i;
            size_t len = end - i - 3;
            if (len > 63)
                len = 63;
            memcpy(names[n], s + i + 3, len);
            names[n][len] = '\0';
            cur = &files[n++];
            cur->name = names[n - 1];
            cur->data = nl ? nl + 1 : s + size;
        }
        i = nl ? end + 1 : size;
    }
    if (cur)
        cur->len = (size_t)(s + size - cur->data);
    return n;
}

struct tnode *fuzz_input_template(struct arena *a, struct diag *d,
                                  const char *s, size_t size,
                                  struct fuzz_input *in)
{
    size_t ndocs, tlen;
    const struct eval_file *docs = fuzz_docs_files(&ndocs);
    in->nfiles = fuzz_split_files(s, size, &tlen, in->files, in->names);
    for (size_t i = 0; i < ndocs && in->nfiles < FUZZ_INPUT_FILES; i++)
        in->files[in->nfiles++] = docs[i];
    return tree_load_mem(a, d, "informe.yaml", s, tlen);
}
