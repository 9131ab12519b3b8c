/* fuzz_template: libFuzzer target for the template reader and checker:
 * any bytes must give a tree or messages, never a crash, hang or leak;
 * and the file positions of a scalar's characters never go backwards. */
#include "base/arena.h"
#include "base/diag.h"
#include "template/schema.h"
#include "template/tree.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_positions(const struct tnode *n)
{
    if (n->kind != TREE_SCALAR) {
        for (size_t i = 0; i < n->n; i++) {
            if (n->keys)
                check_positions(n->keys[i]);
            check_positions(n->items[i]);
        }
        return;
    }
    unsigned pl = n->line, pc = n->col;
    for (size_t off = 0; off <= n->len && off < 4096; off++) {
        unsigned l, c;
        tree_text_pos(n, off, &l, &c);
        if (l < pl || (l == pl && c < pc))
            abort();
        pl = l, pc = c;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct tnode *root =
        tree_load_mem(a, &d, "fuzz.yaml", (const char *)data, size);
    if (root) {
        check_positions(root);
        schema_check(&d, root);
    }
    diag_release(&d);
    arena_free(a);
    return 0;
}
