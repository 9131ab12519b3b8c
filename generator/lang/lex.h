/* lex: the tokens of an expression (docs/templates.md), each with the
 * file position of its first character.
 *
 * Numbers are read without any locale (digits accumulated exactly, one
 * division by a power of ten); a literal date is exactly dddd-dd-dd and
 * must be a valid day; texts ("…" or '…', a backslash keeping the next
 * character) and quoted names (`…`) are unescaped into the arena.
 * Keywords are ordinary LEX_NAME tokens: the parser tells them apart. */
#ifndef INFORME_LEX_H
#define INFORME_LEX_H

#include "base/arena.h"
#include "base/diag.h"
#include "lang/expr.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum lex_kind {
    LEX_END,   /* after the last token: always the last one */
    LEX_NUM,   /* num; decimal when written with a point */
    LEX_STR,   /* text */
    LEX_DATE,  /* days */
    LEX_NAME,  /* text: a name or a keyword */
    LEX_QNAME, /* text: a name in backquotes */
    LEX_OP,    /* an operator or punctuation: s[0 .. len) */
};

struct lex_token {
    enum lex_kind kind;
    const char *s; /* source text */
    size_t len;
    unsigned line, col;
    double num;
    bool decimal;
    int32_t days;
    const char *text; /* LEX_STR, LEX_NAME, LEX_QNAME: NUL-terminated */
};

/* The tokens of src[0 .. len), ending with one LEX_END, in a; *n counts
 * them (LEX_END included). src[0] sits at file:line:col, or, when at is
 * not NULL, every position is taken through at (file still names the
 * file for messages). NULL after reporting an unclosed quote, an invalid
 * date or an unexpected character at its position. */
struct lex_token *lex_tokens(struct arena *a, struct diag *d, const char *src,
                             size_t len, const char *file, unsigned line,
                             unsigned col, const struct expr_at *at, size_t *n);

/* Whether t is the operator op ("<=" is not "<"). */
bool lex_is_op(const struct lex_token *t, const char *op);
/* Whether t is the bare word kw (a quoted name never is). */
bool lex_is_word(const struct lex_token *t, const char *kw);

#endif
