/* fuzz_nuevo: libFuzzer target for `informe nuevo`'s input path: CSV
 * bytes -> the typed table -> the starter template's text -> that text
 * read as YAML, checked (schema_check) and loaded with the CSV as its
 * data (what `informe check` does). A CSV the reader takes must give a
 * template that checks without an error: an error, like a crash, is a
 * finding (abort, with the template and its messages on stderr). */
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "cli/starter.h"
#include "data/csvfile.h"
#include "eval/eval.h"
#include "fuzz_util.h"
#include "template/schema.h"
#include "template/tree.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_limits();
    return 0;
}

/* The template did not check clean: shows it and its messages, aborts. */
static void fail(const struct buf *tmpl, const struct diag *d)
{
    fprintf(stderr, "fuzz: the starter template does not check:\n%.*s\n",
            (int)tmpl->len, tmpl->data);
    diag_print(d, stderr);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char name[] = "datos.csv";
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct rawcsv raw;
    struct table t;
    struct csvfile_options copt = {0};
    if (!csvfile_read_mem(a, &d, name, (const char *)data, size, &copt, &raw) ||
        !csvfile_to_table(a, &d, &raw, NULL, 0, &t)) {
        /* a CSV nuevo refuses: nothing to write */
        fuzz_report(&d);
        diag_release(&d);
        arena_free(a);
        return 0;
    }
    diag_clear(&d);
    struct buf tmpl;
    buf_init(&tmpl);
    struct starter_file f = {name, &t};
    starter_write(a, &tmpl, "informe.schema.json", &f, 1);

    struct eval_file file = {name, (const char *)data, size};
    struct eval_options opt = {
        .now = 1522540800, /* 2018-04-01 */
        .check_only = true,
        .files = &file,
        .nfiles = 1,
    };
    struct tnode *root =
        tree_load_mem(a, &d, "informe.yaml", tmpl.data, tmpl.len);
    if (!root || !schema_check(&d, root) || !eval_load(a, &d, root, &opt) ||
        d.errors)
        fail(&tmpl, &d);
    fuzz_report(&d);
    buf_release(&tmpl);
    diag_release(&d);
    arena_free(a);
    return 0;
}
