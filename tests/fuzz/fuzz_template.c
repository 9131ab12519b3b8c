/* fuzz_template: libFuzzer target for the template reader and checker:
 * any bytes must give a tree or messages, never a crash, hang or leak. */
#include "arena.h"
#include "diag.h"
#include "schema.h"
#include "tree.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct tnode *root =
        tree_load_mem(a, &d, "fuzz.yaml", (const char *)data, size);
    if (root)
        schema_check(&d, root);
    diag_release(&d);
    arena_free(a);
    return 0;
}
