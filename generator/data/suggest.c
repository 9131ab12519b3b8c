/* suggest: edit distance and the closest name; one rule for every
 * suggestion informe makes, so they all feel the same. */
#include "data/suggest.h"

#include <string.h>

static char lower(char ch)
{
    return ch >= 'A' && ch <= 'Z' ? (char)(ch + 32) : ch;
}

size_t suggest_distance(const char *a, const char *b)
{
    enum { N = 64 };
    size_t la = strlen(a), lb = strlen(b);
    if (la >= N || lb >= N)
        return (size_t)-1;
    /* Three rows suffice for the adjacent-swap recurrence. */
    size_t r0[N], r1[N], r2[N];
    size_t *pp = r0, *p = r1, *c = r2;
    for (size_t j = 0; j <= lb; j++)
        p[j] = j;
    for (size_t i = 1; i <= la; i++) {
        c[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = lower(a[i - 1]) != lower(b[j - 1]);
            size_t v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (p[j - 1] + cost < v)
                v = p[j - 1] + cost;
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) &&
                lower(a[i - 2]) == lower(b[j - 1]) && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
        }
        size_t *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[lb];
}

const char *suggest_closest(const char *word, const char *const *candidates,
                            size_t n)
{
    size_t len = strlen(word);
    size_t limit = len / 3 > 1 ? len / 3 : 1;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i])
            continue;
        size_t dist = suggest_distance(word, candidates[i]);
        if (dist < best_d) {
            best_d = dist;
            best = candidates[i];
        }
    }
    return best;
}

const char *suggest_column(const struct table *t, const char *word)
{
    if (!t)
        return NULL;
    const char *best = NULL;
    size_t len = strlen(word);
    size_t best_d = (len / 3 > 1 ? len / 3 : 1) + 1;
    for (size_t i = 0; i < t->ncols; i++) {
        size_t dist = suggest_distance(word, t->cols[i].name);
        if (dist < best_d) {
            best_d = dist;
            best = t->cols[i].name;
        }
    }
    return best;
}
