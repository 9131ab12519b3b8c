/* plot: the parts of a chart that bars and lines share (see plot.h). */
#include "layout/plot.h"

#include <math.h>

void plot_begin_figure(struct lay *L, const struct chart_block *c,
                       struct buf *b)
{
    if (!L->emit)
        return;
    buf_clear(b);
    bool numbered = c->caption && *c->caption;
    if (numbered)
        buf_printf(b, "Figura %u. ", L->figures);
    if (c->alt && *c->alt)
        buf_adds(b, c->alt);
    else if (numbered)
        buf_adds(b, c->caption);
    else
        buf_adds(b, c->kind == CHART_LINE ? "Gráfico de líneas"
                                          : "Gráfico de barras");
    lay_begin_text(L, DL_ROLE_FIGURE, b->data, b->len);
}

double plot_caption(struct lay *L, const struct chart_block *c, bool cont,
                    double y)
{
    struct buf b, tail;
    buf_init(&b);
    buf_init(&tail);
    double ch = labels_caption(L, c, L->figures, cont, &b, &tail, &L->lines);
    double size = L->set->body_size;
    bool tag = !cont && L->lines.n > 0;
    if (tag)
        lay_begin(L, DL_ROLE_CAPTION, 0);
    lay_draw_lines(L, &L->lines, 0, L->lines.n, L->x0, L->w, y, size,
                   lay_pitch(L, size), ALIGN_LEFT, L->set->text_color);
    if (tag)
        lay_end(L);
    buf_release(&b);
    buf_release(&tail);
    return ch;
}

void plot_grid_line(struct lay *L, double x1, double y1, double x2, double y2)
{
    lay_artifact(L, DL_ART_LAYOUT);
    lay_line(L, x1, y1, x2, y2, LAY_GRID, LAY_RULE_WIDTH);
    lay_artifact(L, DL_ART_NONE);
}

double plot_axis_room(struct lay *L, const struct axis *a)
{
    struct buf b;
    buf_init(&b);
    double left = 24.0;
    for (size_t t = 0; t < a->nticks; t++) {
        axis_tick_text(&b, a, axis_tick(a, t));
        double w = labels_width(L, TICK_SIZE, &b) + 8;
        left = w > left ? w : left;
    }
    buf_release(&b);
    return left > L->w / 3 ? L->w / 3 : left;
}

double plot_value_axis(struct lay *L, const struct axis *a, double px,
                       double pw, double pbot, double plot)
{
    struct buf b;
    buf_init(&b);
    bool zero_drawn = false;
    for (size_t t = 0; t < a->nticks; t++) {
        double v = axis_tick(a, t);
        double y = pbot - plot * axis_frac(a, v);
        bool axis = fabs(v - a->zero) < a->step * 1e-6;
        zero_drawn = zero_drawn || axis;
        if (axis)
            lay_line(L, px, y, px + pw, y, L->set->muted, LAY_RULE_WIDTH);
        else
            plot_grid_line(L, px, y, px + pw, y);
        axis_tick_text(&b, a, v);
        double w = labels_width(L, TICK_SIZE, &b);
        lay_text(L, px - 4 - w, labels_mid_base(L, y, TICK_SIZE), FACE_REGULAR,
                 TICK_SIZE, L->set->muted, b.data, b.len, w);
    }
    double yz = pbot - plot * axis_frac(a, a->zero);
    if (!zero_drawn)
        lay_line(L, px, yz, px + pw, yz, L->set->muted, LAY_RULE_WIDTH);
    buf_release(&b);
    return yz;
}

/* How far the target's label moves left at a time looking for room. */
#define TARGET_STEP 4.0

/* Whether the box from (x0, y0) to (x1, y1) comes within a point of one
 * of boxes. */
static bool meets_a_box(const struct label_boxes *boxes, double x0, double y0,
                        double x1, double y1)
{
    for (size_t i = 0; i < boxes->n; i++) {
        const double *b = boxes->box[i];
        if (x0 < b[2] + 1 && b[0] - 1 < x1 && y0 < b[3] + 1 && b[1] - 1 < y1)
            return true;
    }
    return false;
}

void plot_target_across(struct lay *L, const struct chart_block *c,
                        const struct axis *a, const struct label_boxes *boxes,
                        double px, double pw, double ptop, double plot,
                        double y0)
{
    double pbot = ptop + plot;
    if (!isfinite(c->target))
        return;
    struct buf b, tail;
    struct text_lines tl = {0};
    buf_init(&b);
    buf_init(&tail);
    bool in = c->target >= a->min && c->target <= a->max;
    double y = pbot - plot * axis_frac(a, c->target);
    if (in)
        labels_target_line(L, boxes, px, y, px + pw, y, TARGET_COLOR);
    labels_target(c, a, &b);
    if (b.len) {
        size_t n = labels_break(L, FACE_REGULAR, TICK_SIZE, b.data, b.len, pw,
                                1, &tl, &tail);
        double w = n ? tl.line[0].width : 0;
        double base = in                   ? y - 2
                      : c->target > a->max ? ptop + TICK_SIZE + 1
                                           : pbot - 2;
        if (base - TICK_SIZE < y0)
            base = y0 + TICK_SIZE;
        /* Right of the plot above the line; when a value label is in the
         * way there, the free place nearest the right end, above the line
         * or below it, TARGET_STEP by TARGET_STEP to the left (a note
         * beyond the axis keeps its height); all taken: the first. */
        double below = y + TICK_SIZE + 1.5;
        if (!in || below + TICK_SIZE * 0.25 > pbot)
            below = base;
        double tx = px + pw - w, tbase = base;
        for (double x = px + pw - w; x >= px - 0.01; x -= TARGET_STEP) {
            if (!meets_a_box(boxes, x, base - TICK_SIZE, x + w,
                             base + TICK_SIZE * 0.25)) {
                tx = x, tbase = base;
                break;
            }
            if (!meets_a_box(boxes, x, below - TICK_SIZE, x + w,
                             below + TICK_SIZE * 0.25)) {
                tx = x, tbase = below;
                break;
            }
        }
        lay_draw_lines(L, &tl, 0, n, tx, w, tbase - TICK_SIZE, TICK_SIZE,
                       TICK_SIZE, ALIGN_LEFT, TARGET_COLOR);
    }
    text_lines_release(&tl);
    buf_release(&b);
    buf_release(&tail);
}
