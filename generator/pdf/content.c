/* content: page content-stream operators from display-list items (see
 * content.h); no PDF library, only the bytes of the stream. Every
 * operator is written straight into the stream's buffer: room for it is
 * made once, then its bytes are stored (no printf, no strlen). */

#include "pdf/content.h"

#include "base/digits.h"
#include "base/utf8.h"

#include <string.h>

void content_init(struct content *c)
{
    memset(c, 0, sizeof *c);
    buf_init(&c->ops);
}

void content_release(struct content *c)
{
    buf_release(&c->ops);
}

void content_begin(struct content *c, float height)
{
    buf_clear(&c->ops);
    c->height = height;
    c->bad = 0;
    /* A new page starts with black fill and stroke, 1-point lines and no
     * leading. */
    c->fill = c->stroke = 0;
    c->line_width = 1000;
    c->font = NULL;
    c->size = 0;
    c->leading = 0;
    c->in_text = false;
    c->tx = c->ty = 0;
    c->in_mark = c->mark_in_text = c->in_element = c->mark_text = false;
    c->text_next = c->anew = c->moved = false;
}

static long milli(float v)
{
    double m = (double)v * 1000.0;
    return (long)(m < 0 ? m - 0.5 : m + 0.5);
}

/* ---- writing into the stream -------------------------------------------- */

/* Copies the string literal s to o; evaluates to the end. */
#define PUT(o, s) (memcpy((o), (s), sizeof(s) - 1), (o) + sizeof(s) - 1)

/* At most what num() writes. */
#define NUM_ROOM 32

/* Writes v/1000 and a space at o: "12.5 ", "-.25 ", ".5 ", "3 " (PDF
 * reals need no digit before the point). Returns the end. A page's
 * lengths are below 1,000 points: their integer part is written without
 * a loop, two digits at a time, and the three decimals are stored whole
 * and the end moved back over their trailing zeros (what is stored past
 * it lies inside the NUM_ROOM the caller made and is written over). */
static char *num(char *o, long v)
{
    unsigned long u = (unsigned long)v;
    if (v < 0) {
        *o++ = '-';
        u = 0UL - u;
    }
    unsigned long ip = u / 1000;
    unsigned fp = (unsigned)(u % 1000);
    if (ip >= 1000) {
        o = digits_put(o, ip);
    } else if (ip || !fp) {
        unsigned i = (unsigned)ip;
        if (i >= 100) {
            *o++ = (char)('0' + i / 100);
            memcpy(o, digits_pair(i % 100), 2);
            o += 2;
        } else if (i >= 10) {
            memcpy(o, digits_pair(i), 2);
            o += 2;
        } else {
            *o++ = (char)('0' + i);
        }
    }
    if (fp) {
        o[0] = '.';
        o[1] = (char)('0' + fp / 100);
        memcpy(o + 2, digits_pair(fp % 100), 2);
        o += fp % 100 == 0 ? 2 : fp % 10 == 0 ? 3 : 4;
    }
    *o++ = ' ';
    return o;
}

/* A colour component in thousandths: every 8-bit value keeps its own. */
static long component(uint32_t c, int shift)
{
    return ((long)((c >> shift) & 0xFF) * 2000 + 255) / 510;
}

static void put_color(struct buf *b, uint32_t c, char op)
{
    char *o = buf_room(b, 3 * NUM_ROOM + 4);
    o = num(o, component(c, 16));
    o = num(o, component(c, 8));
    o = num(o, component(c, 0));
    *o++ = op;
    *o++ = op == 'r' ? 'g' : 'G';
    *o++ = '\n';
    buf_commit(b, o);
}

static void set_fill(struct content *c, uint32_t color)
{
    if (c->fill != color) {
        put_color(&c->ops, color, 'r');
        c->fill = color;
    }
}

static void set_stroke(struct content *c, uint32_t color, float lw)
{
    if (c->stroke != color) {
        put_color(&c->ops, color, 'R');
        c->stroke = color;
    }
    long m = milli(lw);
    if (c->line_width != m) {
        char *o = buf_room(&c->ops, NUM_ROOM + 2);
        o = num(o, m);
        buf_commit(&c->ops, PUT(o, "w\n"));
        c->line_width = m;
    }
}

static void put_op(struct buf *b, const char *s, size_t n)
{
    char *o = buf_room(b, n);
    memcpy(o, s, n);
    buf_commit(b, o + n);
}

#define PUT_OP(b, s) put_op((b), (s), sizeof(s) - 1)

/* ---- text objects and marked content ------------------------------------ */

static void begin_text(struct content *c)
{
    if (!c->in_text) {
        PUT_OP(&c->ops, "BT\n");
        c->in_text = true;
        c->tx = c->ty = 0;
        c->anew = c->moved = false;
    }
}

static void close_mark(struct content *c)
{
    PUT_OP(&c->ops, "EMC\n");
    c->in_mark = c->mark_in_text = c->in_element = c->mark_text = false;
}

/* Ends the text object; a sequence begun inside it ends first. */
static void end_text(struct content *c)
{
    if (!c->in_text)
        return;
    if (c->in_mark && c->mark_in_text)
        close_mark(c);
    PUT_OP(&c->ops, "ET\n");
    c->in_text = false;
}

void content_prepare_text(struct content *c)
{
    c->text_next = true;
}

void content_place_anew(struct content *c)
{
    /* At the start of a text object a move (Td) places by position. */
    c->anew = c->in_text && c->moved;
}

void content_prepare_graphics(struct content *c)
{
    c->text_next = false;
    end_text(c);
}

bool content_marked(const struct content *c)
{
    return c->in_mark;
}

void content_end(struct content *c)
{
    content_mark_end(c);
    end_text(c);
}

void content_mark_end(struct content *c)
{
    if (!c->in_mark)
        return;
    /* A sequence holding a whole text object ends after it. */
    if (!c->mark_in_text)
        end_text(c);
    close_mark(c);
}

/* Before a sequence's BDC: inside a text object when text comes next
 * and the sequence holds only text (words), else outside text, since
 * paths and images may follow in it (a figure's bars and labels). */
static void before_mark(struct content *c, bool words)
{
    content_mark_end(c);
    if (c->text_next && words)
        begin_text(c);
    else
        end_text(c);
}

static void open_mark(struct content *c, bool words)
{
    content_place_anew(c);
    c->in_mark = true;
    c->mark_in_text = c->in_text;
    c->in_element = words;
    c->mark_text = false;
}

void content_mark(struct content *c, const char *tag, unsigned mcid, bool words)
{
    before_mark(c, words);
    size_t n = strlen(tag);
    char *o = buf_room(&c->ops, n + 32);
    *o++ = '/';
    memcpy(o, tag, n);
    o = digits_put(PUT(o + n, "<</MCID "), mcid);
    buf_commit(&c->ops, PUT(o, ">>BDC\n"));
    open_mark(c, words);
}

void content_artifact(struct content *c, const char *props)
{
    before_mark(c, true);
    if (props) {
        size_t n = strlen(props);
        char *o = buf_room(&c->ops, n + 20);
        o = PUT(o, "/Artifact<<");
        memcpy(o, props, n);
        buf_commit(&c->ops, PUT(o + n, ">>BDC\n"));
    } else {
        PUT_OP(&c->ops, "/Artifact BMC\n");
    }
    open_mark(c, false);
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

/* Marks the ASCII code points of a run (one bit each in lo, for 0 to
 * 63, and hi, for 64 to 127): one operation per word instead of one per
 * character. */
static void mark_ascii(struct content_font *f, uint64_t lo, uint64_t hi)
{
    f->used[0] |= (uint32_t)lo;
    f->used[1] |= (uint32_t)(lo >> 32);
    f->used[2] |= (uint32_t)hi;
    f->used[3] |= (uint32_t)(hi >> 32);
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

/* The ASCII bytes put_byte escapes, as bits of 0 to 63 ('\n', '\r', '(',
 * ')') and of 64 to 127 ('\\'). */
#define ESC_LO                                                                 \
    (UINT64_C(1) << '\n' | UINT64_C(1) << '\r' | UINT64_C(1) << '(' |          \
     UINT64_C(1) << ')')
#define ESC_HI (UINT64_C(1) << ('\\' - 64))

/* Appends the literal string of s (n bytes of UTF-8) drawn with f: the
 * two-byte code of each code point, the code point itself (Identity-H).
 * What cannot be shown (above U+FFFF, NUL, malformed) is drawn as U+FFFD
 * and recorded in c->bad (the first of the page; UTF8_BAD when
 * malformed). ASCII, most of a report, takes no decoding: NUL then the
 * byte, escaped when it is a delimiter. */
static void put_text(struct content *c, struct content_font *f, const char *s,
                     size_t n)
{
    struct buf *b = &c->ops;
    /* At most three bytes out for each byte in, plus the parentheses. */
    char *o = buf_room(b, 3 * n + 2);
    *o++ = '(';
    const unsigned char *u = (const unsigned char *)s;
    /* The ASCII code points seen, one bit each in two registers (0 to
     * 63, 64 to 127): bits set one by one in an array on the stack and
     * then read whole stall the store buffer on every run. The same bit
     * tells the bytes that are escaped (ESC_LO, ESC_HI). */
    uint64_t lo = 0, hi = 0;
    for (size_t i = 0; i < n;) {
        unsigned ch = u[i];
        if (ch - 1u < 0x7Fu) {
            uint64_t bit = UINT64_C(1) << (ch & 63);
            bool esc;
            if (ch < 64) {
                lo |= bit;
                esc = bit & ESC_LO;
            } else {
                hi |= bit;
                esc = bit & ESC_HI;
            }
            if (esc) {
                *o++ = '\0';
                o = put_byte(o, (unsigned char)ch);
            } else {
                o[0] = '\0';
                o[1] = (char)ch;
                o += 2;
            }
            i++;
            continue;
        }
        size_t k;
        uint32_t cp = utf8_decode(s + i, n - i, &k);
        if (cp == UTF8_BAD || cp > 0xFFFF || cp == 0) {
            if (c->bad == 0)
                c->bad = cp == 0 ? UTF8_BAD : cp;
            cp = 0xFFFD;
        }
        mark_used(f, cp);
        o = put_byte(o, (unsigned char)(cp >> 8));
        o = put_byte(o, (unsigned char)cp);
        i += k;
    }
    *o++ = ')';
    buf_commit(b, o);
    mark_ascii(f, lo, hi);
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

/* Moves to (x, y) with Td, from the start of the current line. */
static void move_to(struct content *c, long x, long y)
{
    char *o = buf_room(&c->ops, 2 * NUM_ROOM + 3);
    o = num(o, x - c->tx);
    o = num(o, y - c->ty);
    buf_commit(&c->ops, PUT(o, "Td\n"));
    c->tx = x;
    c->ty = y;
    c->moved = true;
}

/* What ends a run's string: Tj, or ' when it went to the next line. */
static void put_show(struct content *c, bool next_line)
{
    if (next_line)
        PUT_OP(&c->ops, "'\n");
    else
        PUT_OP(&c->ops, "Tj\n");
    c->next_line = next_line;
    c->tj_end = c->ops.len;
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
    if (c->ops.len == c->tj_end && c->in_text) {
        /* Reopen the string: drop ")Tj\n" or ")'\n". */
        c->ops.len -= c->next_line ? 3 : 4;
        mark_used(c->font, ' ');
        char *o = buf_room(&c->ops, 8);
        buf_commit(&c->ops, PUT(o, "\0 )"));
        put_show(c, c->next_line);
    } else {
        begin_text(c);
        move_to(c, c->ex, c->ey);
        put_text(c, c->font, " ", 1);
        put_show(c, false);
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
        size_t n = strlen(name);
        char *o = buf_room(b, n + NUM_ROOM + 6);
        *o++ = '/';
        memcpy(o, name, n);
        o += n;
        *o++ = ' ';
        o = num(o, size);
        buf_commit(b, PUT(o, "Tf\n"));
        c->font = f;
        c->size = size;
    }
    set_fill(c, it->fill);
    /* Td moves from the start of the previous line: exact differences of
     * the rounded positions, so no error accumulates. A line straight
     * below it is the next line (') at the leading (TL), set when it
     * differs. */
    bool next_line = !c->anew && x == c->tx && y < c->ty;
    if (c->anew) {
        /* Placed as at the start of a text object: the position itself,
         * not a sum of moves that a viewer may round otherwise. */
        char *o = buf_room(b, 2 * NUM_ROOM + 12);
        o = PUT(o, "1 0 0 1 ");
        o = num(o, x);
        o = num(o, y);
        buf_commit(b, PUT(o, "Tm\n"));
        c->tx = x;
        c->ty = y;
        c->anew = false;
        c->moved = true;
    } else if (next_line) {
        long lead = c->ty - y;
        if (c->leading != lead) {
            char *o = buf_room(b, NUM_ROOM + 3);
            o = num(o, lead);
            buf_commit(b, PUT(o, "TL\n"));
            c->leading = lead;
        }
        c->ty = y;
    } else {
        move_to(c, x, y);
    }
    put_text(c, f, it->text, it->len);
    put_show(c, next_line);
    c->mark_text = c->in_element;
    c->ex = x + milli(it->w);
    c->ey = y;
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
    char *o = buf_room(&c->ops, 4 * NUM_ROOM + 6);
    o = num(o, milli(it->x));
    o = num(o, milli(c->height - it->y - it->h));
    o = num(o, milli(it->w));
    o = num(o, milli(it->h));
    o = PUT(o, "re\n");
    *o++ = fill && stroke ? 'B' : fill ? 'f' : 'S';
    *o++ = '\n';
    buf_commit(&c->ops, o);
}

void content_line(struct content *c, const struct dl_item *it)
{
    if (it->stroke == COLOR_NONE)
        return;
    end_text(c);
    set_stroke(c, it->stroke, it->line_width);
    char *o = buf_room(&c->ops, 4 * NUM_ROOM + 8);
    o = num(o, milli(it->x));
    o = num(o, milli(c->height - it->y));
    o = PUT(o, "m\n");
    o = num(o, milli(it->x + it->w));
    o = num(o, milli(c->height - it->y - it->h));
    buf_commit(&c->ops, PUT(o, "l\nS\n"));
}

void content_image(struct content *c, const struct dl_item *it,
                   const char *name)
{
    end_text(c);
    size_t n = strlen(name);
    char *o = buf_room(&c->ops, 4 * NUM_ROOM + n + 24);
    o = PUT(o, "q\n");
    o = num(o, milli(it->w));
    o = PUT(o, "0 0 ");
    o = num(o, milli(it->h));
    o = num(o, milli(it->x));
    o = num(o, milli(c->height - it->y - it->h));
    o = PUT(o, "cm\n/");
    memcpy(o, name, n);
    buf_commit(&c->ops, PUT(o + n, " Do\nQ\n"));
}
