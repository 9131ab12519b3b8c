/* fuzz_burst: libFuzzer target for a burst, in memory: a template and its
 * CSV files (as fuzz_render takes them: "#@ NAME" lines) loaded for
 * --burst-by, its values collected, and the reports of the first values
 * evaluated and laid out, each in an arena of its own freed before the
 * next (so that a pointer the run kept into one is caught). The burst's
 * column is "entidad", or the rest of a first line "#% COLUMN". What a
 * burst shares (sources computed once, the indexes of `column = key`
 * conditions and of the burst's cut) is used by every report. */
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "eval/eval.h"
#include "fuzz_util.h"
#include "layout/layout.h"
#include "media/font.h"
#include "template/schema.h"
#include "template/tree.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { MAX_REPORTS = 6 };

static struct fontset fonts;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct doc_settings set;
    (void)fuzz_layout_setup(&fonts, &set);
    return 0;
}

static bool dump_page(void *ctx, const struct dl_page *page)
{
    dl_dump(page, ctx);
    return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* heap copy: reads past the end of any part are caught */
    char *s = malloc(size ? size : 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    char column[64] = "entidad";
    if (size > 3 && memcmp(s, "#% ", 3) == 0) {
        const char *nl = memchr(s, '\n', size);
        size_t len = (size_t)((nl ? nl : s + size) - s) - 3;
        if (len > 0 && len < sizeof column) {
            memcpy(column, s + 3, len);
            column[len] = '\0';
        }
    }
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct fuzz_input in;
    struct tnode *root = fuzz_input_template(a, &d, s, size, &in);
    struct eval_options opt = {
        .now = 1522540800, /* 2018-04-01 */
        .burst_column = column,
        .files = in.files,
        .nfiles = in.nfiles,
    };
    struct report *r =
        root && schema_check(&d, root) ? eval_load(a, &d, root, &opt) : NULL;
    const char **values = NULL;
    size_t nvalues = 0;
    char pattern[80];
    snprintf(pattern, sizeof pattern, "out/{%s}.pdf", column);
    if (r && eval_burst_values(r, &d, column, &values, &nvalues)) {
        struct arena *own = arena_new();
        for (size_t i = 0; i < nvalues && i < MAX_REPORTS; i++) {
            struct diag rd;
            diag_init(&rd);
            eval_open_report(r, own);
            struct doc doc;
            if (eval_document(r, &rd, column, values[i], &doc) &&
                eval_output_path(r, &rd, pattern)) {
                struct buf dump;
                buf_init(&dump);
                struct page_sink sink = {dump_page, &dump};
                layout_run(&doc, &fonts, &sink, &rd, NULL);
                buf_release(&dump);
            }
            eval_close_report(r);
            arena_reset(own);
            fuzz_report(&rd);
            diag_release(&rd);
        }
        arena_free(own);
    }
    fuzz_report(&d);
    diag_release(&d);
    arena_free(a);
    free(s);
    return 0;
}
