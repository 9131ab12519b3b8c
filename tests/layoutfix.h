/* layoutfix: the fixture of the layout tests that build documents in C:
 * the real fonts and an arena (setup, teardown), and blocks appended to a
 * document with a position of their own. */
#ifndef INFORME_LAYOUTFIX_H
#define INFORME_LAYOUTFIX_H

#include "fontutil.h"
#include "layoututil.h"
#include "testutil.h"

#include "base/arena.h"
#include "doc/doc.h"
#include "layout/layout.h"

#include <string.h>

static struct fontset fonts;
static struct arena *A;

static int setup(void **state)
{
    (void)state;
    struct diag d;
    diag_init(&d);
    bool ok = test_fonts_load(&fonts, &d);
    diag_release(&d);
    A = arena_new();
    return ok ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    fontset_release(&fonts);
    arena_free(A);
    return 0;
}

/* The next block of doc, at line (its number), column 3. */
static inline struct block *add(struct doc *doc, enum block_kind kind)
{
    struct block *b = &doc->blocks[doc->nblocks++];
    b->kind = kind;
    b->file = "prueba.yaml";
    b->line = (unsigned)doc->nblocks;
    b->col = 3;
    return b;
}

/* A document of the default settings, no header nor footer, room for cap
 * blocks. */
static inline struct doc *plain_doc(size_t cap)
{
    struct doc *doc = arena_alloc(A, sizeof *doc);
    doc_settings_default(&doc->set);
    doc->blocks = arena_array(A, cap, sizeof *doc->blocks);
    return doc;
}

/* A paragraph "FIN i": what follows a block under test. */
static inline void add_fin(struct doc *doc, size_t i)
{
    struct paragraph_block *p = &add(doc, BLK_PARAGRAPH)->u.para;
    p->text.spans = arena_alloc(A, sizeof *p->text.spans);
    const char *t = arena_printf(A, "FIN %zu", i);
    p->text.spans[0] = (struct span){t, strlen(t), 0};
    p->text.n = 1;
}

/* Lays doc out into s with no error; returns the page count, which is
 * the number of pages the sink saw. */
static inline unsigned run(const struct doc *doc, struct seen *s)
{
    struct diag d;
    diag_init(&d);
    struct page_sink sink = {collect, s};
    unsigned pages = 0;
    assert_true(layout_run(doc, &fonts, &sink, &d, &pages));
    assert_int_equal(d.errors, 0);
    diag_release(&d);
    assert_int_equal(pages, s->n);
    return pages;
}

#endif
