/* tree_pos: file positions inside a scalar's text (tree_text_pos,
 * tree_cursor_pos): the scalar's source read again the way YAML reads it,
 * undoing line folding, block indentation, quotes and escapes. */
#include "template/tree.h"

#include "template/tree_int.h"

#include "base/utf8.h"

#include <stdint.h>
#include <string.h>

/* The source of a scalar read again the way YAML reads it, each byte of
 * the text it yields checked against the node's text; the source
 * character that yields byte `want` is remembered. A mismatch stops the
 * walk (the position then falls back to the node's). */
struct walk {
    const struct tnode *n;
    size_t out, want;
    const char *hit;
    size_t run;        /* bytes from hit on copied as they are */
    const char *after; /* just after the source of the last byte */
    bool bad;
};

/* The walk goes on until the wanted byte is found or the text differs. */
static bool going(const struct walk *w)
{
    return !w->bad && !w->hit;
}

/* Bytes v of the text, all produced by the source character at src. */
static void emit(struct walk *w, const char *v, size_t k, const char *src)
{
    for (size_t i = 0; i < k && going(w); i++, w->out++) {
        if (w->out >= w->n->len || w->n->text[w->out] != v[i]) {
            w->bad = true;
            return;
        }
        if (w->out == w->want) {
            w->hit = src;
            w->run = 1;
        }
        w->after = src + 1;
    }
}

/* Source bytes [p, p + k) copied as they are into the text. */
static void emit_run(struct walk *w, const char *p, size_t k)
{
    if (!going(w))
        return;
    bool here = w->want >= w->out && w->want - w->out < k;
    size_t m = here ? w->want - w->out + 1 : k;
    if (m > w->n->len - w->out || memcmp(w->n->text + w->out, p, m) != 0) {
        size_t j = 0;
        while (j < m && w->out + j < w->n->len &&
               w->n->text[w->out + j] == p[j])
            j++;
        w->out += j;
        if (j)
            w->after = p + j;
        w->bad = true;
        return;
    }
    if (here) {
        w->hit = p + (w->want - w->out);
        w->run = k - (w->want - w->out);
    }
    w->out += m;
    w->after = p + m;
}

static bool blank_char(char c)
{
    return c == ' ' || c == '\t';
}

/* The character a double-quoted escape stands for (p after the '\\'),
 * its length in the source after the backslash, or false. */
static bool unescape(const char *p, const char *end, char *out, size_t *k,
                     size_t *used)
{
    static const char from[] = "0abt\tnvfre \"/\\'";
    static const char to[] = "\0\a\b\t\t\n\v\f\r\x1b \"/\\'";
    uint32_t cp = 0;
    size_t hex = 0;
    *used = 1;
    const char *f = p < end && *p ? strchr(from, *p) : NULL;
    if (f) {
        out[0] = to[f - from];
        *k = 1;
        return true;
    }
    switch (p < end ? *p : 0) {
    case 'N':
        cp = 0x85;
        break;
    case '_':
        cp = 0xA0;
        break;
    case 'L':
        cp = 0x2028;
        break;
    case 'P':
        cp = 0x2029;
        break;
    case 'x':
        hex = 2;
        break;
    case 'u':
        hex = 4;
        break;
    case 'U':
        hex = 8;
        break;
    default:
        return false;
    }
    for (size_t i = 1; i <= hex; i++) {
        int h = p + i < end ? tree_hex_digit(p[i]) : -1;
        if (h < 0)
            return false;
        cp = cp << 4 | (uint32_t)h;
    }
    *used = 1 + hex;
    *k = utf8_encode(cp, out);
    return true;
}

/* One line of a quoted or plain scalar, [p, e): '' is a quote in single
 * quotes, escapes are decoded in double quotes. */
static void emit_line(struct walk *w, char style, const char *p, const char *e)
{
    while (p < e && going(w)) {
        const char *q = p;
        while (q < e && !(style == '\'' && *q == '\'') &&
               !(style == '"' && *q == '\\'))
            q++;
        if (q > p) {
            emit_run(w, p, (size_t)(q - p));
            p = q;
            continue;
        }
        if (style == '\'' && *p == '\'' && p + 1 < e && p[1] == '\'') {
            emit(w, p, 1, p);
            p += 2;
        } else if (style == '"' && *p == '\\') {
            char v[4];
            size_t k, used;
            if (!unescape(p + 1, e, v, &k, &used)) {
                w->bad = true;
                return;
            }
            emit(w, v, k, p);
            p += 1 + used;
        } else {
            emit(w, p, 1, p);
            p++;
        }
    }
}

/* Plain and quoted scalars, [p, e) without the quotes: each line loses
 * its leading (but the first) and trailing (but the last) blanks; one
 * line break becomes a space, n+1 breaks become n newlines, and in
 * double quotes a '\\' at the end of a line joins it to the next. */
static void walk_flow(struct walk *w, char style, const char *p, const char *e)
{
    bool first = true, joined = false;
    size_t breaks = 0;
    const char *brk = NULL;
    while (p <= e && going(w)) {
        const char *eol = memchr(p, '\n', (size_t)(e - p));
        bool last = !eol;
        if (!eol)
            eol = e;
        const char *lo = p, *hi = eol;
        if (!first)
            while (lo < hi && blank_char(*lo))
                lo++;
        bool escaped_break = false;
        if (!last) {
            if (hi > lo && hi[-1] == '\r')
                hi--;
            size_t bs = 0;
            while (style == '"' && hi - bs > lo && *(hi - bs - 1) == '\\')
                bs++;
            if (bs % 2) {
                escaped_break = true;
                hi--;
            } else {
                while (hi > lo && blank_char(hi[-1]) &&
                       !(style == '"' && hi - 1 > lo && hi[-2] == '\\'))
                    hi--;
            }
        }
        if (!first && !last && lo == hi && !escaped_break) {
            breaks++;
        } else {
            if (!first) {
                if (joined || breaks > 0) {
                    for (size_t i = 0; i < breaks; i++)
                        emit(w, "\n", 1, brk);
                } else {
                    emit(w, " ", 1, brk);
                }
            }
            emit_line(w, style, lo, hi);
            first = false;
            breaks = 0;
            joined = escaped_break;
            brk = eol;
        }
        if (last)
            break;
        p = eol + 1;
    }
}

static size_t spaces(const char *p, const char *e)
{
    size_t k = 0;
    while (p + k < e && p[k] == ' ')
        k++;
    return k;
}

/* Literal and folded block scalars: the header line, then lines that lose
 * the block's indentation. The indentation is what the first line with
 * a non-blank character has more than the same line in the text (this
 * covers both an explicit indicator and the detected one). Folding
 * follows libyaml: a single break between two lines that do not start
 * with a blank becomes a space. */
static void walk_block(struct walk *w, const char *p, const char *e)
{
    bool folded = w->n->style == '>';
    const char *nl = memchr(p, '\n', (size_t)(e - p));
    if (!nl)
        return;
    p = nl + 1;
    const char *q = p;
    size_t src_sp = 0;
    for (; q < e; q++) {
        const char *eol = memchr(q, '\n', (size_t)(e - q));
        eol = eol ? eol : e;
        size_t k = spaces(q, eol);
        if (q + k < eol && q[k] != '\r') {
            src_sp = k;
            break;
        }
        q = eol;
    }
    const char *t = w->n->text, *te = t + w->n->len;
    while (t < te) {
        const char *eol = memchr(t, '\n', (size_t)(te - t));
        eol = eol ? eol : te;
        size_t k = spaces(t, eol);
        if (t + k < eol)
            break;
        t = eol < te ? eol + 1 : te;
    }
    if (t >= te)
        return;
    size_t val_sp = spaces(t, te);
    if (val_sp > src_sp)
        return;
    size_t indent = src_sp - val_sp;
    const char *lead = NULL, *trail = NULL;
    size_t trailing = 0;
    bool lead_blank = false;
    while (p < e && going(w)) {
        const char *eol = memchr(p, '\n', (size_t)(e - p));
        bool has_break = eol != NULL;
        eol = eol ? eol : e;
        size_t k = spaces(p, eol);
        if (k > indent)
            k = indent;
        const char *c = p + k;
        if (k < indent || c == eol || (*c == '\r' && c + 1 == eol)) {
            if (has_break && trailing++ == 0)
                trail = eol;
        } else {
            bool tblank = blank_char(*c);
            if (folded && lead && !lead_blank && !tblank) {
                if (trailing == 0)
                    emit(w, " ", 1, lead);
            } else if (lead) {
                emit(w, "\n", 1, lead);
            }
            for (size_t i = 0; i < trailing; i++)
                emit(w, "\n", 1, trail);
            trailing = 0;
            lead_blank = tblank;
            const char *hi = eol > c && eol[-1] == '\r' ? eol - 1 : eol;
            emit_run(w, c, (size_t)(hi - c));
            lead = has_break ? eol : NULL;
        }
        if (!has_break)
            break;
        p = eol + 1;
    }
}

/* Characters that start in s[0..n) (an offset inside a character counts
 * as that character). */
static unsigned chars_in(const char *s, size_t n)
{
    unsigned k = 0;
    for (size_t i = 0; i < n; i++)
        k += ((unsigned char)s[i] & 0xC0) != 0x80;
    return k;
}

/* tree_text_pos, also giving how many bytes from off on are copied as
 * they are from the same source line (0 when unknown). */
static size_t text_pos(const struct tnode *n, size_t off, unsigned *line,
                       unsigned *col)
{
    *line = n ? n->line : 0;
    *col = n ? n->col : 0;
    if (!n || n->kind != TREE_SCALAR)
        return 0;
    if (off > n->len)
        off = n->len;
    if (!n->raw) {
        *col += chars_in(n->text, off);
        return n->len - off;
    }
    struct walk w = {.n = n, .want = off};
    const char *p = n->raw, *e = n->raw + n->rawlen;
    switch (n->style) {
    case '\'':
    case '"':
        if (e - p >= 2)
            walk_flow(&w, n->style, p + 1, e - 1);
        break;
    case '|':
    case '>':
        walk_block(&w, p, e);
        break;
    default:
        walk_flow(&w, 0, p, e);
        break;
    }
    /* The end of the text, or line breaks kept after it (`|+`): just
     * after the last character read. */
    if (!w.hit && !w.bad && off >= w.out && w.after)
        w.hit = w.after, w.run = 0;
    /* Past what the source accounts for (a lone '\r' as a line break,
     * say): the last place known. */
    if (!w.hit && w.bad && w.after)
        w.hit = w.after, w.run = 0;
    if (!w.hit)
        return 0;
    unsigned ln = n->line, c = n->col;
    const char *s = n->raw, *nl;
    while ((nl = memchr(s, '\n', (size_t)(w.hit - s))) != NULL) {
        ln++;
        c = 1;
        s = nl + 1;
    }
    *line = ln;
    *col = c + chars_in(s, (size_t)(w.hit - s));
    return w.run;
}

void tree_text_pos(const struct tnode *n, size_t off, unsigned *line,
                   unsigned *col)
{
    text_pos(n, off, line, col);
}

void tree_cursor_pos(struct tree_cursor *c, size_t off, unsigned *line,
                     unsigned *col)
{
    if (c->run && off >= c->off && off - c->off < c->run) {
        /* Step the cursor forward, so a long line costs one pass in all
         * (chars_in is additive), not one pass per token. */
        size_t step = off - c->off;
        c->col += chars_in(c->n->text + c->off, step);
        c->off = off;
        c->run -= step;
        *line = c->line;
        *col = c->col;
        return;
    }
    c->run = text_pos(c->n, off, line, col);
    c->off = off;
    c->line = *line;
    c->col = *col;
}
