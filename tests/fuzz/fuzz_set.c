/* fuzz_set: libFuzzer target for `--set KEY=VALUE`. A fixed template
 * declares a parameter of every type (text, integer, number, percent,
 * date, money, and untyped defaults inferred as number, date and text)
 * and uses each one in text, in a `where:`, in a data file name and in an
 * output path. Each line of the input is one --set string; the report is
 * loaded and its document built. */
#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"
#include "eval/eval.h"
#include "fuzz_util.h"
#include "template/schema.h"
#include "template/tree.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char template_text[] =
    "report:\n"
    "  title: \"Informe {entidad} {vigencia | plain}\"\n"
    "  output: \"out/{entidad}-{corte | date:iso}.pdf\"\n"
    "params:\n"
    "  entidad: {type: text, default: ANM}\n"
    "  vigencia: {type: integer, default: 2018}\n"
    "  umbral: {type: number, default: 80}\n"
    "  tasa: {type: percent, default: \"12,5 %\"}\n"
    "  corte: {type: date, default: 2018-03-31}\n"
    "  monto: {type: money, default: \"$ 1.500.000\"}\n"
    "  inferido: 0.5\n"
    "  dia: 2018-01-31\n"
    "  nombre: Oficina de Planeación\n"
    "  archivo: {type: text, default: plan}\n"
    "data:\n"
    "  plan:\n"
    "    file: \"{archivo}.csv\"\n"
    "    where: avance >= params.umbral or entidad = params.entidad\n"
    "    compute: {dias: params.corte - fecha_corte, "
    "plata: meta * params.monto}\n"
    "body:\n"
    "  - text: \"{entidad | upper} {vigencia} {umbral | number:2} "
    "{tasa} {corte | date:long} {monto | money} {inferido | percent:1} "
    "{dia | quarter:long} {nombre | lower} {hoy - corte} "
    "{count(plan where avance > params.tasa)} {year(corte) + vigencia}\"\n"
    "  - table:\n"
    "      data: plan\n"
    "      where: peso * params.inferido < params.umbral\n"
    "      columns: [{field: actividad}, {field: dias}, {field: plata}]\n";

static const struct eval_file *files;
static size_t nfiles;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fuzz_limits();
    files = fuzz_docs_files(&nfiles);
    return 0;
}

enum { MAX_SETS = 16 };

struct sets {
    char *s[MAX_SETS];
    size_t n;
};

static void add_set(void *ctx, const char *line, size_t len)
{
    struct sets *s = ctx;
    if (s->n == MAX_SETS)
        return;
    /* heap copies, one per string, so that overreads are caught */
    char *p = malloc(len + 1);
    if (!p)
        abort();
    memcpy(p, line, len);
    p[len] = '\0';
    s->s[s->n++] = p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sets sets = {.n = 0};
    fuzz_lines((const char *)data, size, add_set, &sets);
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct tnode *root = tree_load_mem(a, &d, "informe.yaml", template_text,
                                       sizeof template_text - 1);
    if (!root || !schema_check(&d, root)) {
        diag_print(&d, stderr);
        abort(); /* the fixed template must be valid */
    }
    struct eval_options opt = {
        .now = 1522540800, /* 2018-04-01 */
        .sets = (const char *const *)sets.s,
        .nsets = sets.n,
        .files = files,
        .nfiles = nfiles,
    };
    struct report *r = eval_load(a, &d, root, &opt);
    struct doc doc;
    if (r && eval_document(r, &d, NULL, NULL, &doc))
        (void)eval_output_path(r, &d, eval_default_output(r));
    fuzz_report(&d);
    diag_release(&d);
    arena_free(a);
    for (size_t i = 0; i < sets.n; i++)
        free(sets.s[i]);
    return 0;
}
