/* fuzz_shape: libFuzzer target for the data steps (rename, unpivot, join,
 * compute, where, group_by/aggregate, sort, limit, from). The input is a
 * template fragment (its `data:` map, and whatever else it holds) over
 * the fixed tables of tests/data/docs, held in memory: it is read,
 * checked, and every source is loaded and shaped (informe check). */
#include "base/arena.h"
#include "base/diag.h"
#include "eval/eval.h"
#include "fuzz_util.h"
#include "template/schema.h"
#include "template/tree.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct tnode *root =
        tree_load_mem(a, &d, "informe.yaml", (const char *)data, size);
    if (root && schema_check(&d, root)) {
        struct eval_options opt = {
            .now = 1522540800, /* 2018-04-01 */
            .check_only = true,
            .files = files,
            .nfiles = nfiles,
        };
        (void)eval_load(a, &d, root, &opt);
    }
    fuzz_report(&d);
    diag_release(&d);
    arena_free(a);
    return 0;
}
