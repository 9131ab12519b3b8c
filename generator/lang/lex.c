/* lex: the tokenizer of the expression language: from the text of an
 * expression to its tokens, each at its file position. */
#include "lang/lex.h"

#include "base/buf.h"
#include "base/utf8.h"
#include "data/value.h"

#include <math.h>
#include <string.h>

struct lexer {
    struct arena *a;
    struct diag *d;
    const char *src, *file;
    size_t len, i;
    unsigned line, col;
    const struct expr_at *at; /* positions through at, or line/col */
    struct lex_token *toks;
    size_t n, cap;
};

static void lx_advance(struct lexer *lx)
{
    unsigned char c = (unsigned char)lx->src[lx->i++];
    if (c == '\n') {
        lx->line++;
        lx->col = 1;
    } else if ((c & 0xC0) != 0x80) {
        lx->col++;
    }
}

static bool name_char(unsigned char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
           c >= 0x80 || (!first && c >= '0' && c <= '9');
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

static void lx_error(struct lexer *lx, unsigned line, unsigned col,
                     const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void lx_error(struct lexer *lx, unsigned line, unsigned col,
                     const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    diag_verror(lx->d, EXIT_DATAERR, lx->file, line, col, fmt, ap);
    va_end(ap);
}

/* A literal date: exactly dddd-dd-dd not followed by a name character. */
static bool date_shape(const char *s, size_t n)
{
    static const char shape[] = "dddd-dd-dd";
    if (n < 10)
        return false;
    for (size_t i = 0; i < 10; i++)
        if (shape[i] == 'd' ? !digit(s[i]) : s[i] != '-')
            return false;
    return n == 10 || !name_char((unsigned char)s[10], false);
}

static bool scan(struct lexer *lx)
{
    for (;;) {
        while (lx->i < lx->len && strchr(" \t\r\n", lx->src[lx->i]) &&
               lx->src[lx->i] != '\0')
            lx_advance(lx);
        lx->toks =
            arena_grow(lx->a, lx->toks, &lx->cap, lx->n + 1, sizeof *lx->toks);
        struct lex_token *t = &lx->toks[lx->n];
        memset(t, 0, sizeof *t);
        t->s = lx->src + lx->i;
        t->line = lx->line;
        t->col = lx->col;
        if (lx->at)
            lx->at->pos(lx->at->ctx, lx->at->base + lx->i, &t->line, &t->col);
        if (lx->i >= lx->len) {
            t->kind = LEX_END;
            lx->n++;
            return true;
        }
        const char *s = lx->src + lx->i;
        size_t rest = lx->len - lx->i;
        unsigned char c = (unsigned char)*s;
        size_t start = lx->i;
        if (digit((char)c)) {
            if (date_shape(s, rest)) {
                int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 +
                        (s[2] - '0') * 10 + (s[3] - '0');
                unsigned m = (unsigned)((s[5] - '0') * 10 + (s[6] - '0'));
                unsigned dd = (unsigned)((s[8] - '0') * 10 + (s[9] - '0'));
                if (!date_valid(y, m, dd)) {
                    lx_error(lx, t->line, t->col, "fecha inválida '%.10s'", s);
                    return false;
                }
                t->kind = LEX_DATE;
                t->days = date_from_ymd(y, m, dd);
                for (int k = 0; k < 10; k++)
                    lx_advance(lx);
            } else {
                /* Digits are accumulated exactly and divided once by a
                 * power of ten: correctly rounded for up to 15 digits,
                 * with no locale involved. */
                double mant = 0;
                int frac = 0;
                while (lx->i < lx->len && digit(lx->src[lx->i])) {
                    mant = mant * 10 + (lx->src[lx->i] - '0');
                    lx_advance(lx);
                }
                if (lx->i + 1 < lx->len && lx->src[lx->i] == '.' &&
                    digit(lx->src[lx->i + 1])) {
                    t->decimal = true;
                    lx_advance(lx);
                    while (lx->i < lx->len && digit(lx->src[lx->i])) {
                        mant = mant * 10 + (lx->src[lx->i] - '0');
                        frac++;
                        lx_advance(lx);
                    }
                }
                t->kind = LEX_NUM;
                t->num = frac ? mant / pow(10, frac) : mant;
            }
        } else if (c == '"' || c == '\'') {
            struct buf b;
            buf_init(&b);
            lx_advance(lx);
            bool closed = false;
            while (lx->i < lx->len) {
                char ch = lx->src[lx->i];
                if (ch == (char)c) {
                    lx_advance(lx);
                    closed = true;
                    break;
                }
                if (ch == '\\' && lx->i + 1 < lx->len) {
                    lx_advance(lx);
                    ch = lx->src[lx->i];
                }
                buf_addc(&b, ch);
                lx_advance(lx);
            }
            if (!closed) {
                buf_release(&b);
                lx_error(lx, t->line, t->col,
                         "falta la comilla que cierra el texto");
                return false;
            }
            t->kind = LEX_STR;
            t->text = arena_strndup(lx->a, b.data, b.len);
            buf_release(&b);
        } else if (c == '`') {
            lx_advance(lx);
            size_t from = lx->i;
            while (lx->i < lx->len && lx->src[lx->i] != '`')
                lx_advance(lx);
            if (lx->i >= lx->len) {
                lx_error(lx, t->line, t->col,
                         "falta la comilla invertida que cierra el nombre");
                return false;
            }
            t->kind = LEX_QNAME;
            t->text = arena_strndup(lx->a, lx->src + from, lx->i - from);
            lx_advance(lx);
        } else if (name_char(c, true)) {
            while (lx->i < lx->len &&
                   name_char((unsigned char)lx->src[lx->i], false))
                lx_advance(lx);
            t->kind = LEX_NAME;
            t->text = arena_strndup(lx->a, s, lx->i - start);
        } else {
            static const char *const ops[] = {
                "!=", "<=", ">=", "==", "(", ")", "[", "]", ",", ".",
                "|",  ":",  "+",  "-",  "*", "/", "=", "<", ">",
            };
            size_t k = 0;
            for (; k < sizeof ops / sizeof ops[0]; k++) {
                size_t ol = strlen(ops[k]);
                if (ol <= rest && memcmp(s, ops[k], ol) == 0)
                    break;
            }
            if (k == sizeof ops / sizeof ops[0]) {
                size_t cl;
                utf8_decode(s, rest, &cl);
                lx_error(lx, t->line, t->col, "carácter inesperado '%.*s'",
                         (int)cl, s);
                return false;
            }
            size_t ol = strlen(ops[k]);
            for (size_t m = 0; m < ol; m++)
                lx_advance(lx);
            t->kind = LEX_OP;
        }
        t->len = lx->i - start;
        lx->n++;
    }
}

struct lex_token *lex_tokens(struct arena *a, struct diag *d, const char *src,
                             size_t len, const char *file, unsigned line,
                             unsigned col, const struct expr_at *at, size_t *n)
{
    struct lexer lx = {.a = a,
                       .d = d,
                       .src = src,
                       .file = file,
                       .len = len,
                       .line = line,
                       .col = col,
                       .at = at};
    if (!scan(&lx))
        return NULL;
    *n = lx.n;
    return lx.toks;
}

bool lex_is_op(const struct lex_token *t, const char *op)
{
    return t->kind == LEX_OP && t->len == strlen(op) &&
           memcmp(t->s, op, t->len) == 0;
}

bool lex_is_word(const struct lex_token *t, const char *kw)
{
    return t->kind == LEX_NAME && strcmp(t->text, kw) == 0;
}
