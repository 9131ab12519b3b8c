/* text: per-code-point measuring and greedy line breaking of plain and rich
 * UTF-8 text, the hot path of layout (table cells, paragraphs). */
#include "layout/text.h"

#include "base/arena.h"
#include "base/utf8.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void text_ctx_init(struct text_ctx *t, const struct fontset *fonts,
                   struct diag *d)
{
    memset(t, 0, sizeof *t);
    t->fonts = fonts;
    t->d = d;
    t->warned = calloc(FACE_COUNT, 8192);
    if (!t->warned)
        arena_oom();
    t->low = xmalloc(FACE_COUNT * TEXT_LOW * sizeof *t->low);
    for (int f = 0; f < FACE_COUNT; f++) {
        const struct font_metrics *fm = &fonts->face[f];
        uint32_t *low = t->low + (size_t)f * TEXT_LOW;
        for (uint32_t cp = 0; cp < TEXT_LOW; cp++) {
            bool warn = !font_has(fm, cp) && cp != '\n' && cp != '\t';
            low[cp] = fm->width[cp] | (warn ? TEXT_NO_GLYPH : 0);
        }
    }
}

void text_ctx_release(struct text_ctx *t)
{
    if (!t)
        return;
    free(t->warned);
    free(t->low);
    t->warned = NULL;
    t->low = NULL;
}

void text_ctx_at(struct text_ctx *t, const char *file, unsigned line,
                 unsigned col)
{
    t->file = file;
    t->line = line;
    t->col = col;
}

enum face text_face(unsigned style)
{
    return (enum face)(FACE_REGULAR + (style & (SPAN_BOLD | SPAN_ITALIC)));
}

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Reports cp once per face: a report of 20,000 rows with one odd
 * character must not print 20,000 warnings. */
static void missing(struct text_ctx *t, enum face face, uint32_t cp)
{
    if (cp <= 0xFFFF) {
        uint8_t *bits = t->warned + (size_t)face * 8192;
        if (bits[cp >> 3] >> (cp & 7) & 1)
            return;
        bits[cp >> 3] |= (uint8_t)(1u << (cp & 7));
    } else {
        uint32_t key = cp | (uint32_t)face << 24;
        for (unsigned i = 0; i < t->nastral; i++)
            if (t->astral[i] == key)
                return;
        if (t->nastral < sizeof t->astral / sizeof *t->astral)
            t->astral[t->nastral++] = key;
    }
    if (!t->d)
        return;
    char enc[5] = {0};
    utf8_encode(cp, enc);
    const struct font_metrics *fm = &t->fonts->face[face];
    diag_warning(t->d, t->file, t->line, t->col,
                 "la fuente %s no tiene el carácter U+%04X «%s»: se verá "
                 "como un recuadro vacío",
                 fm->path ? base_name(fm->path) : "?", (unsigned)cp, enc);
}

/* Advance in font units of the code point at s[*i] (n bytes in all),
 * which *i moves past; *cpout receives the code point (U+FFFD for a
 * malformed sequence). Reports a character the face lacks. One and two
 * byte sequences, nearly all text, go through the face's table. */
static inline unsigned step(struct text_ctx *t, enum face face, const char *s,
                            size_t n, size_t *i, uint32_t *cpout)
{
    const unsigned char *u = (const unsigned char *)s + *i;
    uint32_t cp;
    if (u[0] < 0x80) {
        cp = u[0];
        *i += 1;
    } else if (u[0] >= 0xC2 && u[0] <= 0xDF && n - *i >= 2 &&
               (u[1] & 0xC0) == 0x80) {
        cp = (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
        *i += 2;
    } else {
        size_t len;
        cp = utf8_decode(s + *i, n - *i, &len);
        *i += len;
        if (cp == UTF8_BAD)
            cp = 0xFFFD;
        *cpout = cp;
        const struct font_metrics *fm = &t->fonts->face[face];
        if (cp > 0xFFFF) {
            missing(t, face, cp);
            return fm->missing_width;
        }
        if (!font_has(fm, cp))
            missing(t, face, cp);
        return fm->width[cp];
    }
    *cpout = cp;
    uint32_t e = t->low[(size_t)face * TEXT_LOW + cp];
    if (e & TEXT_NO_GLYPH)
        missing(t, face, cp);
    return e & 0xFFFF;
}

long text_units(struct text_ctx *t, enum face face, const char *s, size_t n)
{
    long u = 0;
    size_t i = 0;
    uint32_t cp;
    while (i < n)
        u += step(t, face, s, n, &i, &cp);
    return u;
}

double text_width(struct text_ctx *t, enum face face, double size,
                  const char *s, size_t n)
{
    return (double)text_units(t, face, s, n) * size /
           t->fonts->face[face].units_per_em;
}

void text_lines_clear(struct text_lines *l)
{
    l->n = 0;
    l->nfrag = 0;
}

void text_lines_release(struct text_lines *l)
{
    if (!l)
        return;
    free(l->line);
    free(l->frag);
    memset(l, 0, sizeof *l);
}

/* A run of text in one face: a span, or the whole of a plain text. */
struct run {
    enum face face;
    const char *s;
    size_t n;
    double scale; /* points per font unit */
};

/* A position in a sequence of runs. */
struct pos {
    size_t run, off;
};

struct breaker {
    struct text_ctx *t;
    const struct run *runs;
    size_t nruns;
    double size, width;
    struct text_lines *out;
};

static inline void push_frag(struct text_lines *o, enum face face,
                             const char *s, size_t n, double x, double w)
{
    if (o->nfrag == o->capfrag) {
        o->capfrag = o->capfrag ? 2 * o->capfrag : 16;
        o->frag = xrealloc(o->frag, o->capfrag * sizeof *o->frag);
    }
    o->frag[o->nfrag++] = (struct text_frag){face, s, n, x, w};
}

/* Appends the line [a, e) whose width is w points. */
static void emit(struct breaker *b, struct pos a, struct pos e, double w)
{
    struct text_lines *o = b->out;
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 16;
        o->line = xrealloc(o->line, o->cap * sizeof *o->line);
    }
    struct text_line *ln = &o->line[o->n++];
    ln->first = o->nfrag;
    ln->width = w;
    if (a.run == e.run) {
        /* One face: the width is already known. */
        if (e.off > a.off)
            push_frag(o, b->runs[a.run].face, b->runs[a.run].s + a.off,
                      e.off - a.off, 0, ln->width);
    } else {
        double x = 0;
        for (size_t r = a.run; r <= e.run && r < b->nruns; r++) {
            const struct run *rn = &b->runs[r];
            size_t from = r == a.run ? a.off : 0;
            size_t to = r == e.run ? e.off : rn->n;
            if (to <= from)
                continue;
            double fw = (double)font_text_units(&b->t->fonts->face[rn->face],
                                                rn->s + from, to - from) *
                        rn->scale;
            push_frag(o, rn->face, rn->s + from, to - from, x, fw);
            x += fw;
        }
    }
    ln->n = o->nfrag - ln->first;
}

static bool at_end(const struct breaker *b, struct pos p)
{
    return p.run >= b->nruns;
}

/* Moves p past empty runs so that it points at a byte or at the end. */
static struct pos settle(const struct breaker *b, struct pos p)
{
    while (p.run < b->nruns && p.off >= b->runs[p.run].n) {
        p.run++;
        p.off = 0;
    }
    return p;
}

static size_t break_runs(struct breaker *b)
{
    size_t before = b->out->n;
    /* Exact fits must fit: a hair of tolerance for the summation. */
    double limit = b->width + 1e-7;
    struct pos pos = settle(b, (struct pos){0, 0});
    if (at_end(b, pos)) {
        emit(b, pos, pos, 0);
        return 1;
    }
    while (!at_end(b, pos)) {
        struct pos start = pos, cur = pos;
        struct pos brk_end = pos, brk_next = pos, sp_start = pos;
        double units = 0, brk_units = 0, sp_units = 0;
        bool content = false, in_space = false, have_brk = false;
        for (;;) {
            cur = settle(b, cur);
            if (at_end(b, cur)) {
                if (in_space && content)
                    emit(b, start, sp_start, sp_units);
                else
                    emit(b, start, cur, units);
                pos = cur;
                break;
            }
            const struct run *rn = &b->runs[cur.run];
            size_t next = cur.off;
            uint32_t cp;
            double w =
                step(b->t, rn->face, rn->s, rn->n, &next, &cp) * rn->scale;
            size_t l = next - cur.off;
            if (cp == '\n') {
                emit(b, start, in_space && content ? sp_start : cur,
                     in_space && content ? sp_units : units);
                cur.off += l;
                pos = settle(b, cur);
                break;
            }
            if (cp == ' ') {
                if (!in_space && content) {
                    sp_start = cur;
                    sp_units = units;
                }
                in_space = true;
                units += w;
                cur.off += l;
                continue;
            }
            if (in_space && content) {
                have_brk = true;
                brk_end = sp_start;
                brk_units = sp_units;
                brk_next = cur;
            }
            in_space = false;
            if (units + w > limit && content) {
                if (have_brk) {
                    emit(b, start, brk_end, brk_units);
                    pos = brk_next;
                } else {
                    emit(b, start, cur, units);
                    pos = cur;
                }
                break;
            }
            content = true;
            units += w;
            cur.off += l;
        }
    }
    return b->out->n - before;
}

void text_lines_add(struct text_lines *o, enum face face, const char *s,
                    size_t n, double width, double fw)
{
    if (o->n == o->cap) {
        o->cap = o->cap ? 2 * o->cap : 16;
        o->line = xrealloc(o->line, o->cap * sizeof *o->line);
    }
    o->line[o->n++] = (struct text_line){o->nfrag, n > 0, width};
    if (n > 0)
        push_frag(o, face, s, n, 0, fw);
}

/* The face's ASCII advances in points at scale (see text_ctx). The same
 * product as the breaking loop's, so the same double. */
static const double *ascii_points(struct text_ctx *t, enum face face,
                                  double scale)
{
    double *pt = t->ascii[face];
    if (t->ascii_scale[face] == scale)
        return pt;
    const uint32_t *low = t->low + (size_t)face * TEXT_LOW;
    for (unsigned c = 0; c < 128; c++)
        pt[c] =
            c <= ' ' || (low[c] & TEXT_NO_GLYPH) ? HUGE_VAL : low[c] * scale;
    t->ascii_scale[face] = scale;
    return pt;
}

/* Takes the letters that follow a word's first character while they fit
 * on the line: what text_break's loop would do with each of them (no
 * break opportunity, no warning, the width added), done without its
 * state. Stops at a space, a control character, a sequence of three or
 * more bytes, a malformed one, a character the face lacks, or one that
 * does not fit, and leaves it to the loop. Returns the index reached;
 * *units and *whole grow as the loop would grow them. */
static inline size_t word_rest(const uint32_t *low, const double *pt,
                               const char *s, size_t n, size_t i, double scale,
                               double limit, double *units, long *whole)
{
    const unsigned char *u = (const unsigned char *)s;
    double sum = *units;
    long w = *whole;
    while (i < n) {
        double adv;
        uint32_t e;
        size_t len;
        if (u[i] < 0x80) {
            adv = pt[u[i]];
            e = low[u[i]];
            len = 1;
        } else if (u[i] >= 0xC2 && u[i] <= 0xDF && n - i >= 2 &&
                   (u[i + 1] & 0xC0) == 0x80) {
            e = low[(uint32_t)(u[i] & 0x1F) << 6 | (u[i + 1] & 0x3F)];
            adv = e & TEXT_NO_GLYPH ? HUGE_VAL : e * scale;
            len = 2;
        } else {
            break;
        }
        if (sum + adv > limit)
            break;
        sum += adv;
        w += (long)e;
        i += len;
    }
    *units = sum;
    *whole = w;
    return i;
}

/* The loop of break_runs for a single run, with the position a plain
 * index. Widths are summed exactly as there, so both break any text the
 * same way: points per character, added in order, for the decisions and
 * the line widths; the fragment of a last line that reaches the end of
 * the text gets its advance from the sum of its font units, as
 * font_text_units would give it (that sum is kept along, so the line is
 * not measured a second time). */
size_t text_break(struct text_ctx *t, enum face face, double size,
                  const char *s, size_t n, double width, struct text_lines *out)
{
    if (!s)
        n = 0;
    if (n == 0) {
        text_lines_add(out, face, "", 0, 0, 0);
        return 1;
    }
    size_t before = out->n;
    double scale = size / t->fonts->face[face].units_per_em;
    /* Exact fits must fit: a hair of tolerance for the summation. */
    double limit = width + 1e-7;
    const uint32_t *low = t->low + (size_t)face * TEXT_LOW;
    const double *pt = ascii_points(t, face, scale);
    size_t pos = 0;
    while (pos < n) {
        size_t start = pos, i = pos, sp_start = pos, brk_end = pos;
        size_t brk_next = pos;
        double units = 0, sp_units = 0, brk_units = 0;
        long whole = 0; /* font units of [start, i) */
        bool content = false, in_space = false, have_brk = false;
        for (;;) {
            if (i >= n) {
                if (in_space && content)
                    text_lines_add(out, face, s + start, sp_start - start,
                                   sp_units, sp_units);
                else
                    text_lines_add(out, face, s + start, n - start, units,
                                   (double)whole * scale);
                pos = n;
                break;
            }
            size_t at = i;
            uint32_t cp;
            unsigned a = step(t, face, s, n, &i, &cp);
            double w = a * scale;
            if (cp == '\n') {
                size_t end = in_space && content ? sp_start : at;
                double lw = in_space && content ? sp_units : units;
                text_lines_add(out, face, s + start, end - start, lw, lw);
                pos = i;
                break;
            }
            if (cp == ' ') {
                if (!in_space && content) {
                    sp_start = at;
                    sp_units = units;
                }
                in_space = true;
                units += w;
                whole += a;
                continue;
            }
            if (in_space && content) {
                have_brk = true;
                brk_end = sp_start;
                brk_units = sp_units;
                brk_next = at;
            }
            in_space = false;
            if (units + w > limit && content) {
                if (have_brk) {
                    text_lines_add(out, face, s + start, brk_end - start,
                                   brk_units, brk_units);
                    pos = brk_next;
                } else {
                    text_lines_add(out, face, s + start, at - start, units,
                                   units);
                    pos = at;
                }
                break;
            }
            content = true;
            units += w;
            whole += a;
            i = word_rest(low, pt, s, n, i, scale, limit, &units, &whole);
        }
    }
    return out->n - before;
}

size_t text_break_rich(struct text_ctx *t, unsigned base, double size,
                       const struct rich *r, double width,
                       struct text_lines *out)
{
    struct run one[8];
    struct run *runs = r->n <= 8 ? one : xmalloc(r->n * sizeof *runs);
    for (size_t i = 0; i < r->n; i++) {
        enum face f = text_face(base | r->spans[i].style);
        runs[i] = (struct run){f, r->spans[i].text ? r->spans[i].text : "",
                               r->spans[i].text ? r->spans[i].len : 0,
                               size / t->fonts->face[f].units_per_em};
    }
    struct breaker b = {t, runs, r->n, size, width, out};
    size_t k = break_runs(&b);
    if (runs != one)
        free(runs);
    return k;
}
