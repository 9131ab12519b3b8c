/* content: page content-stream operators from display-list items (see
 * content.h); no PDF library, only the bytes of the stream. */

#include "pdf/content.h"

#include "base/utf8.h"

#include <string.h>

void content_init(struct content *c)
{
    memset(c, 0, sizeof *c);
    buf_init(&c->ops);
    buf_init(&c->scratch);
}

void content_release(struct content *c)
{
    buf_release(&c->ops);
    buf_release(&c->scratch);
}

void content_begin(struct content *c, float height)
{
    buf_clear(&c->ops);
    c->height = height;
    c->bad = 0;
    /* A new page starts with black fill and stroke and 1-point lines. */
    c->fill = c->stroke = 0;
    c->line_width = 1000;
    c->font = NULL;
    c->size = 0;
    c->in_text = false;
    c->tx = c->ty = 0;
    c->in_mark = c->in_element = c->mark_text = false;
}

static long milli(float v)
{
    double m = (double)v * 1000.0;
    return (long)(m < 0 ? m - 0.5 : m + 0.5);
}

/* Appends v/1000 and a space: "12.5 ", "-0.25 ", "3 ". */
static void put_num(struct buf *b, long v)
{
    char tmp[32], *e = tmp + sizeof tmp, *p = e;
    bool neg = v < 0;
    unsigned long u = neg ? 0UL - (unsigned long)v : (unsigned long)v;
    unsigned long ip = u / 1000, fp = u % 1000;
    *--p = ' ';
    if (fp) {
        int digits = 3;
        while (fp % 10 == 0) {
            fp /= 10;
            digits--;
        }
        for (int i = 0; i < digits; i++) {
            *--p = (char)('0' + fp % 10);
            fp /= 10;
        }
        *--p = '.';
    }
    do {
        *--p = (char)('0' + ip % 10);
        ip /= 10;
    } while (ip);
    if (neg)
        *--p = '-';
    buf_add(b, p, (size_t)(e - p));
}

static void put_color(struct buf *b, uint32_t c, const char *op)
{
    put_num(b, ((long)((c >> 16) & 0xFF) * 2000 + 255) / 510);
    put_num(b, ((long)((c >> 8) & 0xFF) * 2000 + 255) / 510);
    put_num(b, ((long)(c & 0xFF) * 2000 + 255) / 510);
    buf_adds(b, op);
}

static void set_fill(struct content *c, uint32_t color)
{
    if (c->fill != color) {
        put_color(&c->ops, color, "rg\n");
        c->fill = color;
    }
}

static void set_stroke(struct content *c, uint32_t color, float lw)
{
    if (c->stroke != color) {
        put_color(&c->ops, color, "RG\n");
        c->stroke = color;
    }
    long m = milli(lw);
    if (c->line_width != m) {
        put_num(&c->ops, m);
        buf_adds(&c->ops, "w\n");
        c->line_width = m;
    }
}

static void end_text(struct content *c)
{
    if (c->in_text) {
        buf_adds(&c->ops, "ET\n");
        c->in_text = false;
    }
}

void content_end(struct content *c)
{
    content_mark_end(c);
}

/* ---- marked content ----------------------------------------------------- */

void content_mark_end(struct content *c)
{
    end_text(c);
    if (c->in_mark) {
        buf_adds(&c->ops, "EMC\n");
        c->in_mark = c->in_element = c->mark_text = false;
    }
}

void content_mark(struct content *c, const char *tag, unsigned mcid, bool words)
{
    content_mark_end(c);
    buf_addc(&c->ops, '/');
    buf_adds(&c->ops, tag);
    buf_adds(&c->ops, "<</MCID ");
    char tmp[16], *e = tmp + sizeof tmp, *p = e;
    do {
        *--p = (char)('0' + mcid % 10);
        mcid /= 10;
    } while (mcid);
    buf_add(&c->ops, p, (size_t)(e - p));
    buf_adds(&c->ops, ">>BDC\n");
    c->in_mark = true;
    c->in_element = words;
}

void content_artifact(struct content *c, const char *props)
{
    content_mark_end(c);
    if (props)
        buf_printf(&c->ops, "/Artifact<<%s>>BDC\n", props);
    else
        buf_adds(&c->ops, "/Artifact BMC\n");
    c->in_mark = true;
}

/* ---- text --------------------------------------------------------------- */

bool content_font_uses(const struct content_font *f, unsigned cp)
{
    return f->used[cp >> 5] >> (cp & 31) & 1;
}

unsigned content_font_last(const struct content_font *f)
{
    for (size_t i = sizeof f->used / sizeof *f->used; i-- > 0;)
        for (unsigned b = 32; f->used[i] && b-- > 0;)
            if (f->used[i] >> b & 1)
                return (unsigned)(i * 32 + b);
    return 0;
}

/* Marks a code point as drawn with f. */
static void mark_used(struct content_font *f, unsigned cp)
{
    f->used[cp >> 5] |= 1u << (cp & 31);
}

/* True when the text can be written as it is: valid UTF-8 inside the BMP
 * (code points above U+FFFF have no two-byte code). */
static bool plain_bmp(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0xF0)
            return false;
    return utf8_validate(s, n) == n;
}

/* The text to draw: the item's own string when it can be used as it is,
 * else a copy in c->scratch with U+FFFD for what cannot be shown (outside
 * the BMP, NUL, malformed), the first such code point kept in c->bad
 * (UTF8_BAD when malformed); *n the length. */
static const char *drawable_text(struct content *c, const struct dl_item *it,
                                 size_t *n)
{
    if (plain_bmp(it->text, it->len) && memchr(it->text, 0, it->len) == NULL) {
        *n = it->len;
        return it->text;
    }
    buf_clear(&c->scratch);
    for (size_t i = 0; i < it->len;) {
        size_t k;
        uint32_t cp = utf8_decode(it->text + i, it->len - i, &k);
        if (cp == UTF8_BAD || cp > 0xFFFF || cp == 0) {
            if (c->bad == 0)
                c->bad = cp == 0 ? UTF8_BAD : cp;
            buf_adds(&c->scratch, "\xEF\xBF\xBD");
        } else {
            buf_add(&c->scratch, it->text + i, k);
        }
        i += k;
    }
    *n = c->scratch.len;
    return c->scratch.data;
}

static char *put_byte(char *o, unsigned char c)
{
    if (c == '(' || c == ')' || c == '\\') {
        *o++ = '\\';
    } else if (c == '\n' || c == '\r') {
        /* A raw end of line inside a string would be read as '\n'. */
        *o++ = '\\';
        c = c == '\n' ? 'n' : 'r';
    }
    *o++ = (char)c;
    return o;
}

/* Appends code point cp (inside the BMP, not NUL) drawn with f as its
 * two-byte code. */
static void put_code(struct buf *b, struct content_font *f, unsigned cp)
{
    buf_grow(b, 4);
    char *o = b->data + b->len;
    mark_used(f, cp);
    o = put_byte(o, (unsigned char)(cp >> 8));
    o = put_byte(o, (unsigned char)cp);
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

/* Appends s (valid UTF-8 inside the BMP, no NUL) as a literal string of
 * two-byte codes, the code points themselves (Identity-H). */
static void put_text(struct buf *b, struct content_font *f, const char *s,
                     size_t n)
{
    /* At most three bytes out for each byte in, plus the parentheses. */
    buf_grow(b, 3 * n + 2);
    char *o = b->data + b->len;
    *o++ = '(';
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < n;) {
        unsigned cp = u[i];
        if (cp < 0x80) {
            i++;
        } else if (cp < 0xE0) {
            cp = (cp & 0x1Fu) << 6 | (u[i + 1] & 0x3Fu);
            i += 2;
        } else {
            cp = (cp & 0x0Fu) << 12 | (u[i + 1] & 0x3Fu) << 6 |
                 (u[i + 2] & 0x3Fu);
            i += 3;
        }
        mark_used(f, cp);
        o = put_byte(o, (unsigned char)(cp >> 8));
        o = put_byte(o, (unsigned char)cp);
    }
    *o++ = ')';
    b->len = (size_t)(o - b->data);
    b->data[b->len] = '\0';
}

bool content_text_visible(const struct dl_item *it)
{
    return it->len != 0 && it->fill != COLOR_NONE;
}

bool content_font_changes(const struct content *c, const struct content_font *f,
                          float size)
{
    return c->font != f || c->size != milli(size);
}

static void begin_text(struct content *c)
{
    if (!c->in_text) {
        buf_adds(&c->ops, "BT\n");
        c->in_text = true;
        c->tx = c->ty = 0;
    }
}

/* Moves to (x, y) with Td, from the start of the current line. */
static void move_to(struct content *c, long x, long y)
{
    put_num(&c->ops, x - c->tx);
    put_num(&c->ops, y - c->ty);
    buf_adds(&c->ops, "Td\n");
    c->tx = x;
    c->ty = y;
}

/* A space where the previous run of the element ended, unless the run
 * at (x, y) continues it (on its baseline, within 0.1 pt of its end):
 * added to that run's string when nothing was written since (the text
 * position is then where the run ended), else drawn there. */
static void word_boundary(struct content *c, long x, long y)
{
    if (!c->in_element || !c->mark_text || !c->font ||
        (y == c->ey && x <= c->ex + 100 && x >= c->ex - 100))
        return;
    static const char tail[] = ") Tj\n";
    if (c->ops.len == c->tj_end && c->in_text) {
        c->ops.len -= sizeof tail - 1;
        put_code(&c->ops, c->font, ' ');
        buf_adds(&c->ops, tail);
    } else {
        begin_text(c);
        move_to(c, c->ex, c->ey);
        put_text(&c->ops, c->font, " ", 1);
        buf_adds(&c->ops, " Tj\n");
    }
    c->mark_text = false;
}

void content_text(struct content *c, const struct dl_item *it,
                  struct content_font *f, const char *name)
{
    struct buf *b = &c->ops;
    long x = milli(it->x), y = milli(c->height - it->y);
    word_boundary(c, x, y);
    begin_text(c);
    if (content_font_changes(c, f, it->h)) {
        long size = milli(it->h);
        buf_addc(b, '/');
        buf_adds(b, name);
        buf_addc(b, ' ');
        put_num(b, size);
        buf_adds(b, "Tf\n");
        c->font = f;
        c->size = size;
    }
    set_fill(c, it->fill);
    /* Td moves from the start of the previous line: exact differences of
     * the rounded positions, so no error accumulates. */
    move_to(c, x, y);
    size_t n;
    const char *s = drawable_text(c, it, &n);
    put_text(b, f, s, n);
    buf_adds(b, " Tj\n");
    c->mark_text = c->in_element;
    c->ex = x + milli(it->w);
    c->ey = y;
    c->tj_end = b->len;
}

/* ---- shapes and images -------------------------------------------------- */

void content_rect(struct content *c, const struct dl_item *it)
{
    bool fill = it->fill != COLOR_NONE, stroke = it->stroke != COLOR_NONE;
    if (!fill && !stroke)
        return;
    end_text(c);
    if (fill)
        set_fill(c, it->fill);
    if (stroke)
        set_stroke(c, it->stroke, it->line_width);
    struct buf *b = &c->ops;
    put_num(b, milli(it->x));
    put_num(b, milli(c->height - it->y - it->h));
    put_num(b, milli(it->w));
    put_num(b, milli(it->h));
    buf_adds(b, fill && stroke ? "re\nB\n" : fill ? "re\nf\n" : "re\nS\n");
}

void content_line(struct content *c, const struct dl_item *it)
{
    if (it->stroke == COLOR_NONE)
        return;
    end_text(c);
    set_stroke(c, it->stroke, it->line_width);
    struct buf *b = &c->ops;
    put_num(b, milli(it->x));
    put_num(b, milli(c->height - it->y));
    buf_adds(b, "m\n");
    put_num(b, milli(it->x + it->w));
    put_num(b, milli(c->height - it->y - it->h));
    buf_adds(b, "l\nS\n");
}

void content_image(struct content *c, const struct dl_item *it,
                   const char *name)
{
    struct buf *b = &c->ops;
    end_text(c);
    buf_adds(b, "q\n");
    put_num(b, milli(it->w));
    buf_adds(b, "0 0 ");
    put_num(b, milli(it->h));
    put_num(b, milli(it->x));
    put_num(b, milli(c->height - it->y - it->h));
    buf_adds(b, "cm\n/");
    buf_adds(b, name);
    buf_adds(b, " Do\nQ\n");
}
