/* fuzz_render: libFuzzer target for the whole render, in memory: template
 * and CSV files -> document -> layout (display list, dumped as text) ->
 * PDF bytes. The input is the template, optionally followed by data
 * files, each after a line "#@ NAME" (a YAML comment, so the template
 * alone is still valid):
 *
 *     data: {plan: {file: datos.csv}}
 *     body: [{text: "{count(plan)}"}]
 *     #@ datos.csv
 *     a;b
 *     1;2
 *
 * A `file:` not among them is looked up among the CSV files of
 * tests/data/docs. Fonts come from fonts/ (or $INFORME_FONTS), read once;
 * a document that asks for other fonts is built but not laid out. */
#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "eval/eval.h"
#include "media/font.h"
#include "fuzz_util.h"
#include "layout/layout.h"
#include "pdf/pdfout.h"
#include "template/schema.h"
#include "template/tree.h"

#include <stdio.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct fontset fonts;
static const char *font_dir;
static struct doc_settings defaults;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    font_dir = fuzz_layout_setup(&fonts, &defaults);
    return 0;
}

/* The faces loaded at start: the default ones from font_dir. */
static bool default_fonts(const struct doc_settings *set)
{
    if (!set->font_dir || strcmp(set->font_dir, font_dir) != 0)
        return false;
    for (int i = 0; i < FACE_COUNT; i++) {
        const char *f = set->font_file[i], *g = defaults.font_file[i];
        if (f != g && (!f || !g || strcmp(f, g) != 0))
            return false;
    }
    return true;
}

struct tee {
    struct buf dump;
    struct pdfout *w;
};

/* Each page is dumped as text (the --dump-layout form) and drawn. */
static bool tee_page(void *ctx, const struct dl_page *page)
{
    struct tee *t = ctx;
    dl_dump(page, &t->dump);
    return pdfout_page(t->w, page);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* heap copy: reads past the end of any part are caught */
    char *s = malloc(size ? size : 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct fuzz_input in;
    struct tnode *root = fuzz_input_template(a, &d, s, size, &in);
    struct eval_options opt = {
        .font_dir = font_dir,
        .now = 1522540800, /* 2018-04-01 */
        .files = in.files,
        .nfiles = in.nfiles,
    };
    struct report *r =
        root && schema_check(&d, root) ? eval_load(a, &d, root, &opt) : NULL;
    struct doc doc;
    if (r && eval_document(r, &d, NULL, NULL, &doc) &&
        default_fonts(&doc.set)) {
        (void)eval_output_path(r, &d, "out/{hoy}.pdf");
        struct tee t = {.w = pdfout_open(&doc.set, &fonts, &d)};
        buf_init(&t.dump);
        if (t.w) {
            struct page_sink sink = {tee_page, &t};
            unsigned pages = 0;
            if (layout_run(&doc, &fonts, &sink, &d, &pages)) {
                struct buf pdf;
                buf_init(&pdf);
                bool ok = pdfout_save_mem(t.w, "informe.pdf", &pdf);
                if (ok && (pdf.len < 8 || memcmp(pdf.data, "%PDF-", 5) != 0)) {
                    fprintf(stderr,
                            "fuzz: the PDF does not start with %%PDF-\n");
                    abort();
                }
                buf_release(&pdf);
            } else {
                pdfout_discard(t.w);
            }
        }
        buf_release(&t.dump);
    }
    fuzz_report(&d);
    diag_release(&d);
    arena_free(a);
    free(s);
    return 0;
}
