/* rx: informe's own regular expressions (POSIX extended syntax), for the
 * unpivot step. A pattern is parsed and compiled into a Thompson NFA
 * (counted repetitions expanded) and run as a Pike VM: matching takes
 * O(instructions x code points) time and no memory at all (everything is
 * allocated from the arena when the pattern is compiled), so it neither
 * blows up on patterns such as (a*)*b nor fails halfway.
 *
 * Syntax: literals; '.' (one code point); bracket expressions with
 * ranges, negation, the classes [:alpha:] [:digit:] [:alnum:] [:upper:]
 * [:lower:] [:space:] [:blank:] [:punct:] [:print:] [:graph:] [:cntrl:]
 * [:xdigit:] and one-character [.x.] and [=x=]; anchors ^ and $ (anywhere);
 * alternation |; groups ( ); repetitions * + ? {m} {m,} {m,n} {,n}, also
 * one after another; '\' before any other character makes it literal, and
 * the GNU escapes \w \W \s \S \b \B \< \> \` \' keep their meaning.
 * Back-references (\1 to \9) are refused. Subjects and patterns are
 * UTF-8: '.', bracket expressions and ranges work on whole code points
 * (ranges by code point value; the letter classes include the accented
 * Latin-1 letters). A malformed byte is one character of its own.
 *
 * Which match: the leftmost one and, of those starting there, the longest
 * (POSIX). Its group 1 comes from the way of matching that span preferred
 * by trying alternatives from left to right and repeating as many times as
 * possible before fewer; a group inside a repetition holds its last
 * iteration; a group that took no part is unset. */
#ifndef INFORME_RX_H
#define INFORME_RX_H

#include <stdbool.h>
#include <stddef.h>

#include "base/arena.h"

struct rx;

/* A refused pattern: what (Spanish, no pattern in it) and the byte of the
 * pattern it is about. too_deep: the nesting of repetitions passed the
 * expr_depth limit (reported as that limit). */
struct rx_error {
    const char *msg;
    size_t off;
    bool too_deep;
};

/* Compiles pattern; NULL after filling *err. The patterns are expected to
 * have passed the size limits (shape_regex_check) already; a pattern
 * whose expansion still comes out too big is refused all the same. */
struct rx *rx_compile(struct arena *a, const char *pattern,
                      struct rx_error *err);

/* A span of the subject in bytes; RX_UNSET when the group took no part. */
#define RX_UNSET ((size_t)-1)
struct rx_span {
    size_t start, end;
};

/* Searches s (n bytes). true when it matches; m (may be NULL) receives
 * m[0] the whole match and m[1] group 1. Uses the buffers of re: one
 * match at a time per compiled pattern. */
bool rx_match(struct rx *re, const char *s, size_t n, struct rx_span m[2]);

#endif
