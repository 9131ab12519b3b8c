/* dlist: building display-list pages and their stable text dump. */
#include "doc/dlist.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void dl_page_init(struct dl_page *p, struct arena *arena, unsigned number,
                  float width, float height)
{
    memset(p, 0, sizeof *p);
    p->arena = arena;
    p->number = number;
    p->width = width;
    p->height = height;
}

void dl_page_use(struct dl_page *p, struct dl_store *store)
{
    p->store = store;
    p->items = store->items;
    p->cap = store->cap;
}

void dl_store_release(struct dl_store *store)
{
    if (!store)
        return;
    free(store->items);
    store->items = NULL;
    store->cap = 0;
}

/* Room for one more item: in the lent store, or in the arena. */
static void make_room(struct dl_page *p)
{
    struct dl_store *s = p->store;
    if (!s) {
        p->items =
            arena_grow(p->arena, p->items, &p->cap, p->n + 1, sizeof *p->items);
        return;
    }
    size_t cap = s->cap ? 2 * s->cap : 256;
    if (cap < s->cap || cap > SIZE_MAX / sizeof *s->items)
        arena_oom();
    s->items = xrealloc(s->items, cap * sizeof *s->items);
    s->cap = cap;
    p->items = s->items;
    p->cap = cap;
}

/* A new item of the page with its box (for a line: its start and the
 * offset to its end). */
static struct dl_item *push(struct dl_page *p, enum dl_kind kind, float x,
                            float y, float w, float h)
{
    if (p->n == p->cap)
        make_room(p);
    struct dl_item *it = &p->items[p->n++];
    memset(it, 0, sizeof *it);
    it->kind = kind;
    it->fill = COLOR_NONE;
    it->stroke = COLOR_NONE;
    it->x = x;
    it->y = y;
    it->w = w;
    it->h = h;
    return it;
}

struct dl_item *dl_text(struct dl_page *p, float x, float y, enum face face,
                        float size, uint32_t color, const char *text,
                        size_t len, float advance)
{
    struct dl_item *it = push(p, DL_TEXT, x, y, advance, size);
    it->face = face;
    it->fill = color;
    it->text = arena_strndup(p->arena, text, len);
    it->len = len;
    return it;
}

struct dl_item *dl_rect(struct dl_page *p, float x, float y, float w, float h,
                        uint32_t fill, uint32_t stroke, float line_width)
{
    struct dl_item *it = push(p, DL_RECT, x, y, w, h);
    it->fill = fill;
    it->stroke = stroke;
    it->line_width = line_width;
    return it;
}

struct dl_item *dl_line(struct dl_page *p, float x1, float y1, float x2,
                        float y2, uint32_t color, float line_width)
{
    struct dl_item *it = push(p, DL_LINE, x1, y1, x2 - x1, y2 - y1);
    it->stroke = color;
    it->line_width = line_width;
    return it;
}

struct dl_item *dl_image(struct dl_page *p, float x, float y, float w, float h,
                         const char *key)
{
    struct dl_item *it = push(p, DL_IMAGE, x, y, w, h);
    it->text = arena_strdup(p->arena, key);
    it->len = strlen(key);
    return it;
}

struct dl_item *dl_link(struct dl_page *p, float x, float y, float w, float h,
                        unsigned target_page, float target_y)
{
    struct dl_item *it = push(p, DL_LINK, x, y, w, h);
    it->target_page = target_page;
    it->target_y = target_y;
    return it;
}

void dl_bookmark(struct dl_page *p, const char *title, unsigned level, float y)
{
    if (p->nmarks == p->capmarks)
        p->marks = arena_grow(p->arena, p->marks, &p->capmarks, p->nmarks + 1,
                              sizeof *p->marks);
    struct dl_bookmark *m = &p->marks[p->nmarks++];
    m->title = arena_strdup(p->arena, title);
    m->level = level;
    m->y = y;
}

void dl_link_text(struct dl_page *p, struct dl_item *it, const char *text,
                  size_t len)
{
    it->text = arena_strndup(p->arena, text, len);
    it->len = len;
}

struct dl_item *dl_begin(struct dl_page *p, enum dl_role role, unsigned arg,
                         const char *text, size_t len)
{
    struct dl_item *it = push(p, DL_BEGIN, 0, 0, 0, 0);
    it->role = (uint8_t)role;
    it->arg = (uint16_t)(arg < 0xFFFF ? arg : 0xFFFF);
    if (text) {
        it->text = arena_strndup(p->arena, text, len);
        it->len = len;
    }
    return it;
}

struct dl_item *dl_resume(struct dl_page *p, unsigned elem)
{
    struct dl_item *it = push(p, DL_BEGIN, 0, 0, 0, 0);
    it->role = DL_ROLE_RESUME;
    it->elem = elem;
    return it;
}

struct dl_item *dl_end(struct dl_page *p)
{
    return push(p, DL_END, 0, 0, 0, 0);
}

static const char *const face_code[FACE_COUNT] = {"R", "B", "I", "BI"};

static void dump_color(struct buf *out, uint32_t c)
{
    if (c == COLOR_NONE)
        buf_adds(out, "none");
    else
        buf_printf(out, "#%06X", (unsigned)c);
}

static void dump_string(struct buf *out, const char *s, size_t n)
{
    buf_addc(out, '"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            buf_addc(out, '\\');
        buf_addc(out, s[i]);
    }
    buf_addc(out, '"');
}

void dl_dump(const struct dl_page *p, struct buf *out)
{
    buf_printf(out, "page %u %.2fx%.2f\n", p->number, (double)p->width,
               (double)p->height);
    for (size_t i = 0; i < p->n; i++) {
        const struct dl_item *it = &p->items[i];
        switch (it->kind) {
        case DL_TEXT:
            buf_printf(out, "text %.2f %.2f %s %.2f ", (double)it->x,
                       (double)it->y, face_code[it->face], (double)it->h);
            dump_color(out, it->fill);
            buf_printf(out, " w=%.2f ", (double)it->w);
            dump_string(out, it->text, it->len);
            break;
        case DL_RECT:
            buf_printf(out, "rect %.2f %.2f %.2f %.2f fill=", (double)it->x,
                       (double)it->y, (double)it->w, (double)it->h);
            dump_color(out, it->fill);
            buf_adds(out, " stroke=");
            dump_color(out, it->stroke);
            buf_printf(out, " lw=%.2f", (double)it->line_width);
            break;
        case DL_LINE:
            buf_printf(out, "line %.2f %.2f %.2f %.2f ", (double)it->x,
                       (double)it->y, (double)(it->x + it->w),
                       (double)(it->y + it->h));
            dump_color(out, it->stroke);
            buf_printf(out, " lw=%.2f", (double)it->line_width);
            break;
        case DL_IMAGE:
            buf_printf(out, "image %.2f %.2f %.2f %.2f ", (double)it->x,
                       (double)it->y, (double)it->w, (double)it->h);
            dump_string(out, it->text, it->len);
            break;
        case DL_LINK:
            buf_printf(out, "link %.2f %.2f %.2f %.2f -> %u %.2f",
                       (double)it->x, (double)it->y, (double)it->w,
                       (double)it->h, it->target_page, (double)it->target_y);
            break;
        case DL_BEGIN:
        case DL_END:
            continue;
        }
        buf_addc(out, '\n');
    }
    for (size_t i = 0; i < p->nmarks; i++) {
        buf_printf(out, "mark %u %.2f ", p->marks[i].level,
                   (double)p->marks[i].y);
        dump_string(out, p->marks[i].title, strlen(p->marks[i].title));
        buf_addc(out, '\n');
    }
}
