/* font: TrueType metrics read by informe itself (no libharu), once per face
 * per process: advance widths and glyph ids for the Basic Multilingual
 * Plane, vertical metrics, which code points have a glyph, and what the
 * PDF font descriptor needs (name, box, angle, flags).
 *
 * Advance widths are kept in font units (units_per_em to the em), as the
 * font has them. libharu writes /W in thousandths truncated, but measuring
 * with those truncated values breaks about one table cell in eighty
 * differently from the exact advances the reference implementations use
 * (ReportLab, Typst), which moves page breaks in long reports; the viewer's
 * placement differs from ours by less than 1/1000 em per glyph. */
#ifndef INFORME_FONT_H
#define INFORME_FONT_H

#include "base/diag.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum face {
    FACE_REGULAR,
    FACE_BOLD,
    FACE_ITALIC,
    FACE_BOLD_ITALIC,
    FACE_COUNT
};

struct font_metrics {
    char *path; /* owned */
    uint16_t units_per_em;
    int16_t ascender, descender; /* thousandths of an em (hhea) */
    int16_t cap_height;          /* thousandths of an em (OS/2, or estimate) */
    /* The highest and lowest ink of any glyph (head's yMax and yMin),
     * thousandths of an em rounded outwards. */
    int16_t ink_top, ink_bottom;
    uint16_t *width; /* 65,536 advances in font units; owned */
    uint8_t *has;    /* 8,192-byte bitmap: code point has a glyph; owned */
    uint16_t missing_width; /* advance of .notdef, font units */
    uint16_t *glyph; /* 65,536 glyph ids by code point (0: none); owned */
    /* What the PDF font dictionaries say of the face (pdf/fonts.c), in
     * thousandths of an em truncated as above where a length: */
    char ps_name[64];    /* PostScript name (name ID 6), or "Font" */
    int16_t bbox[4];     /* head: xMin, yMin, xMax, yMax */
    int16_t x_height;    /* OS/2 sxHeight; 0 when the table has none */
    double italic_angle; /* post: degrees, counter-clockwise */
    uint32_t flags;      /* font descriptor flags (PDF 32000-1, 9.8.2) */
    uint16_t embedding;  /* OS/2 fsType: the licence's embedding bits */
    /* The whole file, kept for embedding (pdf/fonts.c subsets it from
     * here); owned: mapped when file_mapped, else from malloc. */
    const unsigned char *file;
    size_t file_len;
    bool file_mapped;
};

/* Reads the file (mapped, and kept so for embedding); on failure reports to d
 * (EXIT_NOINPUT if it cannot be read, EXIT_DATAERR if it is not a usable
 * TrueType font) and returns false with fm released. */
bool font_load(struct font_metrics *fm, const char *path, struct diag *d);
/* Parses a font already in memory (for tests and fuzzing); on success fm
 * keeps a copy of the bytes as its file. */
bool font_parse(struct font_metrics *fm, const char *name,
                const unsigned char *data, size_t len, struct diag *d);
void font_release(struct font_metrics *fm);

/* True when the font has a glyph for cp (cp above U+FFFF: never). */
bool font_has(const struct font_metrics *fm, uint32_t cp);
/* Width in font units of UTF-8 text (malformed bytes count as U+FFFD);
 * multiply by size/units_per_em for points. */
long font_text_units(const struct font_metrics *fm, const char *s, size_t n);
/* Width in points at the given size. */
double font_text_width(const struct font_metrics *fm, const char *s, size_t n,
                       double size);

/* The four faces a document uses; loaded once per process. */
struct fontset {
    struct font_metrics face[FACE_COUNT];
};

/* Loads each face from dir/file[i]; a NULL file reuses the regular face. */
bool fontset_load(struct fontset *fs, const char *dir,
                  const char *const file[FACE_COUNT], struct diag *d);
void fontset_release(struct fontset *fs);

#endif
