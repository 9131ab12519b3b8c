/* breakmemo: the lines text_break gave a text, kept so that the same text
 * broken again in the same face, size and width is not measured again.
 *
 * A table's cells are broken twice, once per pass of the layout, and a
 * column of categories repeats a few texts over thousands of rows; the
 * lines are a function of the text's bytes, its face, size and width
 * (and of the font metrics, the same for the whole run), so a memo gives
 * the very lines, widths to the last bit, that breaking again would. The
 * missing characters a text has were reported when it was first broken
 * (text_ctx reports each once per face anyway).
 *
 * Texts shorter than BREAKMEMO_MIN bytes are broken each time (a number
 * breaks about as fast as it is looked up); the memo stops taking new
 * texts once its own arrays (entries, lines, slots) take
 * BREAKMEMO_MAX_BYTES. The memo keeps the
 * texts it is given, not copies: they must live as long as it does (a
 * table's cells live in the document, which outlives its layout). Not
 * thread-safe; one per layout run. */
#ifndef INFORME_BREAKMEMO_H
#define INFORME_BREAKMEMO_H

#include "layout/text.h"

#include <stddef.h>
#include <stdint.h>

#define BREAKMEMO_MIN 16
#define BREAKMEMO_MAX_BYTES ((size_t)4 << 20)

/* One line of a text kept: text[off, off + len) with the line's width
 * and its fragment's advance (see text_lines_add). */
struct breakmemo_line {
    uint32_t off, len;
    double width, fw;
};

/* A text kept: its len bytes at text, its lines [first, first + n) in
 * breakmemo.line. */
struct breakmemo_entry {
    uint64_t hash;
    const char *text;
    double size, width;
    uint32_t len, first, n;
    enum face face;
};

/* Owned arrays; release with breakmemo_release. slot holds entry indices
 * + 1 (0: empty), an open-addressed table of cap slots (a power of two,
 * at most half full). */
struct breakmemo {
    struct breakmemo_entry *entry;
    size_t nentry, capentry;
    struct breakmemo_line *line;
    size_t nline, capline;
    uint32_t *slot;
    size_t cap;
    size_t hits; /* texts given from the memo (for tests) */
};

void breakmemo_init(struct breakmemo *m);
void breakmemo_release(struct breakmemo *m);

/* What text_break(t, face, size, s, n, width, out) does, from the memo
 * when the same bytes were broken before with the same face, size and
 * width (the fragments then point into s, as text_break's would). */
size_t breakmemo_break(struct breakmemo *m, struct text_ctx *t, enum face face,
                       double size, const char *s, size_t n, double width,
                       struct text_lines *out);

#endif
