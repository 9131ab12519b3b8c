/* layoututil: what the layout tests share: a sink keeping the dump of
 * every page, counting and golden comparison of dumps, and the box of one
 * dump line. */
#ifndef INFORME_LAYOUTUTIL_H
#define INFORME_LAYOUTUTIL_H

#include "testutil.h"

#include "base/buf.h"
#include "doc/dlist.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* What the sink saw: the dump of every page and the largest page (items
 * drawn, not counting structure). */
struct seen {
    char **page;
    size_t n;
    size_t max_items, max_all, max_arena;
    bool keep; /* store dumps */
};

static inline bool collect(void *ctx, const struct dl_page *p)
{
    struct seen *s = ctx;
    size_t drawn = 0;
    for (size_t i = 0; i < p->n; i++)
        drawn += p->items[i].kind != DL_BEGIN && p->items[i].kind != DL_END;
    if (drawn > s->max_items)
        s->max_items = drawn;
    if (p->n > s->max_all)
        s->max_all = p->n;
    if (arena_used(p->arena) > s->max_arena)
        s->max_arena = arena_used(p->arena);
    s->n++;
    if (!s->keep)
        return true;
    struct buf b;
    buf_init(&b);
    dl_dump(p, &b);
    s->page = realloc(s->page, s->n * sizeof *s->page);
    s->page[s->n - 1] = buf_detach(&b, NULL);
    return true;
}

static inline void seen_release(struct seen *s)
{
    for (size_t i = 0; i < s->n && s->page; i++)
        free(s->page[i]);
    free(s->page);
}

static inline size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

/* Compares text with tests/golden/name; UPDATE_GOLDEN=1 rewrites it. */
static inline void golden(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, TEST_ROOT "/tests/golden/%s", name);
    const char *up = getenv("UPDATE_GOLDEN");
    if (up && strcmp(up, "1") == 0) {
        FILE *f = fopen(path, "wb");
        assert_non_null(f);
        fputs(text, f);
        fclose(f);
        return;
    }
    char *want = test_read_file(path, NULL);
    if (!want)
        fail_msg("falta %s (UPDATE_GOLDEN=1 lo crea)", path);
    assert_string_equal(want, text);
    free(want);
}

/* One item of a dump line: its box (text: from baseline - size to the
 * baseline). Returns false for lines that are not drawing items. */
struct box {
    char kind;
    double x0, y0, x1, y1;
    char color[8];
    const char *text;
};

static inline bool item_box(const char *line, struct box *b)
{
    double x, y, w, h, size, x2, y2;
    char face[4], color[8];
    memset(b, 0, sizeof *b);
    if (sscanf(line, "text %lf %lf %3s %lf %7s w=%lf", &x, &y, face, &size,
               color, &w) == 6) {
        *b = (struct box){'t', x, y - size, x + w, y, {0}, strchr(line, '"')};
    } else if (sscanf(line, "rect %lf %lf %lf %lf fill=%7s", &x, &y, &w, &h,
                      color) == 5) {
        *b = (struct box){'r', x, y, x + w, y + h, {0}, NULL};
    } else if (sscanf(line, "line %lf %lf %lf %lf %7s", &x, &y, &x2, &y2,
                      color) == 5) {
        *b = (struct box){'l',         fmin(x, x2), fmin(y, y2), fmax(x, x2),
                          fmax(y, y2), {0},         NULL};
    } else {
        return false;
    }
    memcpy(b->color, color, sizeof b->color);
    return true;
}

/* Every item of every page lies in the text area (US Letter, 2 cm
 * margins); the items of each figure (from its caption to the next caption
 * or "FIN" paragraph) lie below the caption's top and above the next
 * block. Returns the number of items seen. */
static inline size_t assert_charts_in_their_boxes(const struct seen *s)
{
    const double L = 56.69, R = 555.31, T = 56.69, B = 735.31, eps = 0.02;
    size_t items = 0;
    for (size_t p = 0; p < s->n; p++) {
        double seg_top = T, seg_bottom = T;
        const char *line = s->page[p];
        while (line && *line) {
            const char *end = strchr(line, '\n');
            size_t len = end ? (size_t)(end - line) : strlen(line);
            char one[512];
            snprintf(one, sizeof one, "%.*s", (int)(len < 511 ? len : 511),
                     line);
            struct box b;
            if (item_box(one, &b)) {
                items++;
                if (strstr(one, "nan") || strstr(one, "inf"))
                    fail_msg("page %zu: not a number: %s", p + 1, one);
                if (b.x0 < L - eps || b.x1 > R + eps || b.y0 < T - eps ||
                    b.y1 > B + eps)
                    fail_msg("page %zu: off the text area: %s", p + 1, one);
                bool block = b.text && (strncmp(b.text, "\"Figura", 7) == 0 ||
                                        strncmp(b.text, "\"(contin", 8) == 0 ||
                                        strncmp(b.text, "\"FIN", 4) == 0);
                if (block) {
                    if (b.y0 < seg_bottom - eps)
                        fail_msg("page %zu: %s overlaps the figure above "
                                 "(its bottom at %.2f)",
                                 p + 1, one, seg_bottom);
                    seg_top = b.y0;
                }
                if (b.y0 < seg_top - eps)
                    fail_msg("page %zu: above its figure's caption (%.2f): %s",
                             p + 1, seg_top, one);
                if (b.y1 > seg_bottom)
                    seg_bottom = b.y1;
            }
            line = end ? end + 1 : NULL;
        }
    }
    return items;
}

#endif
