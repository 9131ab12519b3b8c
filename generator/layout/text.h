/* text: measuring UTF-8 text with font metrics and breaking it into lines
 * (greedy first fit at U+0020 spaces, glyph advances only, no kerning).
 *
 * A line never ends inside a UTF-8 sequence. U+00A0 does not break. A word
 * wider than the line is cut between characters. '\n' forces a break.
 * Rich text (spans of bold and italic) breaks the same way with each span
 * measured in its own face. Characters missing from a face are reported
 * once per character and face through the context's diag. */
#ifndef INFORME_TEXT_H
#define INFORME_TEXT_H

#include "base/diag.h"
#include "doc/doc.h"
#include "media/font.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Code points below TEXT_LOW (one or two bytes of UTF-8: Latin, Greek,
 * Cyrillic, Hebrew, Arabic...) are measured through a table per face
 * filled once by text_ctx_init: the advance in font units, with
 * TEXT_NO_GLYPH added when the face lacks the glyph (and the character is
 * not '\n' or '\t'), so one load and one test decide both. */
#define TEXT_LOW 0x800
#define TEXT_NO_GLYPH 0x10000u

/* What measuring needs, plus the memory of which missing characters were
 * already reported. Not thread-safe; one per layout run. */
struct text_ctx {
    const struct fontset *fonts;
    struct diag *d;      /* may be NULL: no warnings */
    const char *file;    /* position of the current block, for warnings */
    unsigned line, col;  /* 0 when unknown */
    uint8_t *warned;     /* FACE_COUNT x 8,192-byte bitmaps; owned */
    uint32_t astral[32]; /* code points above U+FFFF already reported */
    unsigned nastral;
    uint32_t *low; /* FACE_COUNT x TEXT_LOW entries (see above); owned */
    /* Per face, the advances in points of the ASCII letters at the size
     * last broken in that face (scale: points per font unit; 0 before
     * any): +infinity for a space, a control character or a letter the
     * face lacks, which the breaking loop must see one by one. */
    double ascii_scale[FACE_COUNT];
    double ascii[FACE_COUNT][128];
};

void text_ctx_init(struct text_ctx *t, const struct fontset *fonts,
                   struct diag *d);
void text_ctx_release(struct text_ctx *t);
/* Sets the template position named by later warnings. */
void text_ctx_at(struct text_ctx *t, const char *file, unsigned line,
                 unsigned col);

/* Width in font units of the face. */
long text_units(struct text_ctx *t, enum face face, const char *s, size_t n);
/* Width in points. */
double text_width(struct text_ctx *t, enum face face, double size,
                  const char *s, size_t n);

/* One piece of a line in one face: text[0..len) drawn at x (relative to
 * the line's start) with advance w, both in points. */
struct text_frag {
    enum face face;
    const char *text;
    size_t len;
    double x, w;
};

/* Line k holds frags [first, first + n) and is width points wide. */
struct text_line {
    size_t first, n;
    double width;
};

/* Lines of one text; storage is reused between calls (text_lines_clear)
 * so breaking does not allocate in steady state. Owned: release with
 * text_lines_release. */
struct text_lines {
    struct text_line *line;
    size_t n, cap;
    struct text_frag *frag;
    size_t nfrag, capfrag;
};

void text_lines_clear(struct text_lines *l);
void text_lines_release(struct text_lines *l);

/* Appends a line of text_break's kind: s[0..n) in one face, one
 * fragment at x 0 (none when n is 0); width is the line's, fw the
 * fragment's advance. */
void text_lines_add(struct text_lines *o, enum face face, const char *s,
                    size_t n, double width, double fw);

/* Breaks s (n bytes) set in one face at size into lines at most width
 * points wide, appending them to out. Empty text gives one empty line.
 * Returns the number of lines appended. */
size_t text_break(struct text_ctx *t, enum face face, double size,
                  const char *s, size_t n, double width,
                  struct text_lines *out);
/* The same for rich text; span styles add to base (SPAN_BOLD etc.). */
size_t text_break_rich(struct text_ctx *t, unsigned base, double size,
                       const struct rich *r, double width,
                       struct text_lines *out);

/* The face for a set of SPAN_ style bits. */
enum face text_face(unsigned style);

#endif
