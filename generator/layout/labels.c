/* labels: the text of a bar chart: bounded labels, caption, legend,
 * numbered key and notes (see labels.h). */
#include "layout/labels.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CAPTION_LINES 3
#define MAX_LEGEND_ROWS 3
#define ELLIPSIS "…"
#define CONT_MARK "(continúa)"
#define NO_DATA "Sin datos"

double labels_width(struct lay *L, double size, const struct buf *b)
{
    return text_width(&L->tx, FACE_REGULAR, size, b->data, b->len);
}

double labels_str_width(struct lay *L, enum face face, double size,
                        const char *s)
{
    return text_width(&L->tx, face, size, s, strlen(s));
}

/* Baseline that centres a line of the given size on y. */
double labels_mid_base(struct lay *L, double y, double size)
{
    return y + size * L->fonts->face[FACE_REGULAR].cap_height / 2000.0;
}

/* Breaks s into at most max lines of width points; when text is left
 * over, the last line is cut to end in "…" within the width. tail keeps
 * the text of that line (drawn from tl until tail changes). */
size_t labels_break(struct lay *L, enum face face, double size, const char *s,
                    size_t n, double width, size_t max, struct text_lines *tl,
                    struct buf *tail)
{
    text_lines_clear(tl);
    size_t got = text_break(&L->tx, face, size, s, n, width, tl);
    if (got <= max)
        return got;
    struct text_line *ln = &tl->line[max - 1];
    const struct text_line *next = &tl->line[max];
    const char *from = ln->n ? tl->frag[ln->first].text : "";
    const char *to = ln->n && next->n ? tl->frag[next->first].text
                     : ln->n          ? from + tl->frag[ln->first].len
                                      : from;
    if (ln->first >= tl->capfrag) { /* an empty line at the very end */
        tl->capfrag = ln->first + 1;
        tl->frag = xrealloc(tl->frag, tl->capfrag * sizeof *tl->frag);
    }
    double ew = labels_str_width(L, face, size, ELLIPSIS);
    size_t len = (size_t)(to - from);
    while (len > 0 && (from[len - 1] == ' ' ||
                       text_width(&L->tx, face, size, from, len) + ew > width))
        do /* back to the start of a UTF-8 sequence */
            len--;
        while (len > 0 && ((unsigned char)from[len] & 0xC0) == 0x80);
    buf_clear(tail);
    buf_add(tail, from, len);
    buf_adds(tail, ELLIPSIS);
    double w = text_width(&L->tx, face, size, tail->data, tail->len);
    tl->n = max;
    tl->nfrag = ln->first + 1;
    ln->n = 1;
    ln->width = w;
    tl->frag[ln->first] = (struct text_frag){face, tail->data, tail->len, 0, w};
    return max;
}

/* --------------------------------------------------------------- legend */

bool labels_legend_on(const struct chart_block *c)
{
    /* The evaluator decides (on by default with several series). */
    return c->nseries > 0 && c->legend;
}

static double legend_label_max(struct lay *L)
{
    return L->w / 2 - 11;
}

static double entry_width(struct lay *L, const struct chart_block *c, size_t s)
{
    const char *t = c->series[s].label ? c->series[s].label : "";
    double w = labels_str_width(L, FACE_REGULAR, LABEL_SIZE, t);
    double m = legend_label_max(L);
    return 11 + (w > m ? m : w);
}

/* Entries flow into centred rows of the text width; after
 * MAX_LEGEND_ROWS rows the rest are summed up as "y N más". */
size_t labels_legend_rows(struct lay *L, const struct chart_block *c)
{
    if (!labels_legend_on(c))
        return 0;
    size_t rows = 1;
    double x = 0;
    for (size_t s = 0; s < c->nseries; s++) {
        double w = entry_width(L, c, s);
        if (x > 0 && x + 16 + w > L->w) {
            if (rows == MAX_LEGEND_ROWS)
                break;
            rows++;
            x = 0;
        }
        x += (x > 0 ? 16 : 0) + w;
    }
    return rows;
}

void labels_legend(struct lay *L, const struct chart_block *c, double top)
{
    struct buf more, tail;
    struct text_lines tl = {0};
    buf_init(&more);
    buf_init(&tail);
    size_t s = 0;
    for (size_t row = 0; row < MAX_LEGEND_ROWS && s < c->nseries; row++) {
        /* The entries of this row, and room for "y N más" on the last. */
        size_t first = s;
        double len = 0;
        while (s < c->nseries) {
            double w = entry_width(L, c, s);
            double need = (len > 0 ? 16 : 0) + w;
            if (len > 0 && len + need > L->w)
                break;
            len += need;
            s++;
        }
        size_t end = s;
        buf_clear(&more);
        if (row == MAX_LEGEND_ROWS - 1 && s < c->nseries) {
            buf_printf(&more, "y %zu más", c->nseries - s);
            double mw = labels_width(L, LABEL_SIZE, &more) + 16;
            while (end > first + 1 && len + mw > L->w) {
                end--;
                len -= entry_width(L, c, end) + 16;
            }
            s = end;
            buf_clear(&more);
            buf_printf(&more, "y %zu más", c->nseries - s);
            len += labels_width(L, LABEL_SIZE, &more) + 16;
        }
        double x = L->x0 + (L->w - len) / 2, base = top + 8 + LEGEND_H * row;
        for (size_t k = first; k < end; k++) {
            const char *t = c->series[k].label ? c->series[k].label : "";
            labels_break(L, FACE_REGULAR, LABEL_SIZE, t, strlen(t),
                         legend_label_max(L), 1, &tl, &tail);
            lay_rect(L, x, base - 7.5, 8, 8, c->series[k].color, COLOR_NONE, 0);
            const struct text_frag *f = tl.nfrag ? &tl.frag[0] : NULL;
            if (f)
                lay_text(L, x + 11, base, FACE_REGULAR, LABEL_SIZE,
                         L->set->text_color, f->text, f->len, f->w);
            x += 11 + (tl.n ? tl.line[0].width : 0) + 16;
        }
        if (more.len)
            lay_text(L, x, base, FACE_REGULAR, LABEL_SIZE, L->set->muted,
                     more.data, more.len, labels_width(L, LABEL_SIZE, &more));
    }
    text_lines_release(&tl);
    buf_release(&more);
    buf_release(&tail);
}

/* ---------------------------------------------------------- numbered key */

/* Breaks key cell k ("k+1. name") into tl; returns its line count. */
size_t labels_key_cell(struct lay *L, const struct chart_block *c, size_t k,
                       struct buf *b, struct buf *tail, struct text_lines *tl)
{
    buf_clear(b);
    buf_printf(b, "%zu. %s", k + 1, c->categories[k] ? c->categories[k] : "");
    return labels_break(L, FACE_REGULAR, LABEL_SIZE, b->data, b->len,
                        L->w / 2 - 4, MAX_KEY_LINES, tl, tail);
}

/* The key of categories [k0, k1) in two columns; lines, when known, holds
 * the line count of every key cell. Each column flows on its own, a cell
 * right under the one before it: a cell that wraps in one column leaves
 * no blank line in the other. */
double labels_key_height(struct lay *L, const struct chart_block *c, size_t k0,
                         size_t k1, double top, bool draw,
                         const unsigned char *lines)
{
    struct buf b, tail;
    struct text_lines tl = {0};
    buf_init(&b);
    buf_init(&tail);
    size_t rows = (k1 - k0 + 1) / 2;
    double most = 0;
    for (size_t col = 0; col < 2; col++) {
        double y = top;
        for (size_t r = 0; r < rows; r++) {
            size_t k = k0 + r + col * rows;
            if (k >= k1)
                break;
            size_t n = lines && !draw
                           ? lines[k]
                           : labels_key_cell(L, c, k, &b, &tail, &tl);
            if (draw)
                lay_draw_lines(L, &tl, 0, n, L->x0 + (double)col * L->w / 2,
                               L->w / 2 - 4, y, LABEL_SIZE, KEY_PITCH,
                               ALIGN_LEFT, L->set->text_color);
            y += (double)(n ? n : 1) * KEY_PITCH;
        }
        most = y - top > most ? y - top : most;
    }
    buf_release(&b);
    buf_release(&tail);
    text_lines_release(&tl);
    return most;
}

/* ------------------------------------------- categories, caption, notes */

void labels_number(struct buf *b, size_t i)
{
    buf_clear(b);
    buf_printf(b, "%zu", i + 1);
}

/* What stands under category i: its number when the chart numbers its
 * labels (the text then lives in b), else its name. */
const char *labels_category(const struct chart_block *c, size_t i,
                            struct buf *b)
{
    if (c->numbered_labels) {
        labels_number(b, i);
        return b->data;
    }
    return c->categories[i] ? c->categories[i] : "";
}

double labels_caption(struct lay *L, const struct chart_block *c,
                      unsigned number, bool cont, struct buf *b,
                      struct buf *tail, struct text_lines *tl)
{
    text_lines_clear(tl);
    bool has = c->caption && *c->caption;
    if (!has && !cont)
        return -LAY_CAPTION_GAP; /* no caption: no line, no gap */
    buf_clear(b);
    if (has)
        buf_printf(b, "Figura %u. %s%s", number, c->caption,
                   cont ? " " CONT_MARK : "");
    else
        buf_adds(b, CONT_MARK);
    size_t n = labels_break(L, FACE_BOLD, L->set->body_size, b->data, b->len,
                            L->w, MAX_CAPTION_LINES, tl, tail);
    return (double)n * lay_pitch(L, L->set->body_size);
}

void labels_no_data(struct lay *L, double x, double y, double w, double h)
{
    double tw0 = labels_str_width(L, FACE_ITALIC, LABEL_SIZE, NO_DATA);
    lay_text(L, x + (w - tw0) / 2, labels_mid_base(L, y + h / 2, LABEL_SIZE),
             FACE_ITALIC, LABEL_SIZE, L->set->muted, NO_DATA, strlen(NO_DATA),
             tw0);
}

/* A target beyond the axis: its label (or value) at the axis end, with
 * the note, instead of a line drawn off the plot. */
void labels_target(const struct chart_block *c, const struct axis *a,
                   struct buf *b)
{
    buf_clear(b);
    bool out = c->target < a->min || c->target > a->max;
    if (c->target_label)
        buf_adds(b, c->target_label);
    if (out) {
        struct buf v;
        buf_init(&v);
        axis_value_text(&v, c, c->target);
        buf_printf(b, "%s(%s, fuera del eje)", c->target_label ? " " : "Meta ",
                   v.data ? v.data : "");
        buf_release(&v);
    }
}

/* ------------------------------------------- value labels, target line */

void labels_value(struct lay *L, struct label_boxes *boxes, double x,
                  double base, const struct buf *b)
{
    double w = labels_width(L, LABEL_SIZE, b);
    lay_text(L, x, base, FACE_REGULAR, LABEL_SIZE, L->set->text_color, b->data,
             b->len, w);
    if (boxes->n == boxes->cap) {
        boxes->cap = boxes->cap ? 2 * boxes->cap : 16;
        boxes->box = xrealloc(boxes->box, boxes->cap * sizeof *boxes->box);
    }
    double descent = LABEL_SIZE * 0.25;
    double *bx = boxes->box[boxes->n++];
    bx[0] = x;
    bx[1] = base - LABEL_SIZE;
    bx[2] = x + w;
    bx[3] = base + descent;
}

void labels_boxes_release(struct label_boxes *boxes)
{
    free(boxes->box);
    *boxes = (struct label_boxes){0};
}

static int by_start(const void *a, const void *b)
{
    const double *p = a, *q = b;
    return (p[0] > q[0]) - (p[0] < q[0]);
}

void labels_target_line(struct lay *L, const struct label_boxes *boxes,
                        double x1, double y1, double x2, double y2,
                        uint32_t color)
{
    bool across = y1 == y2;
    double at = across ? y1 : x1, half = 0.5 + TARGET_CLEAR;
    double from = across ? fmin(x1, x2) : fmin(y1, y2);
    double to = across ? fmax(x1, x2) : fmax(y1, y2);
    /* The spans of the line that boxes cover, sorted by their start. */
    double(*cut)[2] = xrealloc(NULL, (boxes->n + 1) * sizeof *cut);
    size_t n = 0;
    for (size_t i = 0; i < boxes->n; i++) {
        const double *b = boxes->box[i];
        double lo = across ? b[1] : b[0], hi = across ? b[3] : b[2];
        if (hi < at - half || lo > at + half)
            continue;
        cut[n][0] = (across ? b[0] : b[1]) - TARGET_CLEAR;
        cut[n][1] = (across ? b[2] : b[3]) + TARGET_CLEAR;
        n++;
    }
    qsort(cut, n, sizeof *cut, by_start);
    double pos = from;
    for (size_t i = 0; i <= n && pos < to; i++) {
        double end = i < n ? fmin(cut[i][0], to) : to;
        if (end > pos) {
            if (across)
                lay_line(L, pos, at, end, at, color, 1);
            else
                lay_line(L, at, pos, at, end, color, 1);
        }
        if (i < n && cut[i][1] > pos)
            pos = cut[i][1];
    }
    free(cut);
}
