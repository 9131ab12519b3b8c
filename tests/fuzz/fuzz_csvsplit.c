/* fuzz_csvsplit: libFuzzer target comparing the two ways a CSV file's
 * records are read: the same bytes through csvfile_read_mem as usual
 * (records without a quote split by informe) and with libcsv_only (every
 * record through libcsv) must give the same result, header, fields, lines,
 * offsets, empty flags, decoded text and messages; any difference aborts.
 * The first byte picks the delimiter (as fuzz_csv) and the second the
 * columns not read; the rows and cell length limits are low, so that
 * their messages are compared too. */
#include "base/arena.h"
#include "base/diag.h"
#include "base/limits.h"
#include "data/csvfile.h"
#include "data/csvtext.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct mask {
    unsigned char bits;
};

/* Column c is not read when bit c % 8 of the mask is set. */
static void unread_cols(void *ctx, const struct rawcsv *raw, bool *unread)
{
    const struct mask *m = ctx;
    for (size_t c = 0; c < raw->ncols; c++)
        unread[c] = (m->bits >> (c % 8)) & 1;
}

static void differ(const char *what, size_t i)
{
    fprintf(stderr, "fuzz_csvsplit: the two readers differ in %s (%zu)\n", what,
            i);
    abort();
}

static void same_str(const char *a, const char *b, const char *what, size_t i)
{
    if ((a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0))
        differ(what, i);
}

static void same_diag(const struct diag *a, const struct diag *b)
{
    if (a->n != b->n || a->errors != b->errors || a->warnings != b->warnings)
        differ("the number of messages", a->n);
    for (size_t i = 0; i < a->n; i++) {
        const struct diag_msg *x = &a->msgs[i], *y = &b->msgs[i];
        if (x->level != y->level || x->line != y->line || x->col != y->col)
            differ("a message's position", i);
        same_str(x->file, y->file, "a message's file", i);
        same_str(x->text, y->text, "a message", i);
    }
}

static void same_raw(const struct rawcsv *a, const struct rawcsv *b)
{
    if (a->encoding != b->encoding || a->delimiter != b->delimiter ||
        a->ncols != b->ncols || a->nrows != b->nrows ||
        a->header_line != b->header_line || a->stride != b->stride)
        differ("the file's shape", a->nrows);
    for (size_t c = 0; c < a->ncols; c++) {
        same_str(a->header[c], b->header[c], "a header name", c);
        if (a->header_lines[c] != b->header_lines[c] ||
            a->header_offsets[c] != b->header_offsets[c] ||
            (a->slot && b->slot && a->slot[c] != b->slot[c]))
            differ("a header name's position", c);
    }
    for (size_t i = 0; i < a->nrows * a->stride; i++) {
        same_str(a->fields[i], b->fields[i], "a field", i);
        if (a->lines[i] != b->lines[i] || a->offsets[i] != b->offsets[i] ||
            a->empty[i] != b->empty[i])
            differ("a field's line, offset or emptiness", i);
    }
    /* the decoded texts: the same, but where one has a NUL over the byte
     * that ends a field read in place (a delimiter or closing quote) */
    if (a->text_len != b->text_len || (a->text == NULL) != (b->text == NULL))
        differ("the text", a->text_len);
    for (size_t i = 0; a->text && i < a->text_len; i++) {
        char x = a->text[i], y = b->text[i], other = x == '\0' ? y : x;
        if (x != y && ((x != '\0' && y != '\0') ||
                       (other != a->delimiter && other != '"')))
            differ("the text", i);
    }
}

/* Both texts put back as they were read (csvfile_release): the text data
 * decodes to. */
static void same_restored(struct diag *da, struct rawcsv *a, struct diag *db,
                          struct rawcsv *b, const uint8_t *data, size_t size)
{
    csvfile_release(da, a);
    csvfile_release(db, b);
    if (!a->text)
        return; /* not read: nothing was left written */
    struct diag dc;
    diag_init(&dc);
    char *copy = malloc(size + 1);
    if (!copy)
        abort();
    memcpy(copy, data, size);
    copy[size] = '\0';
    enum csvfile_encoding enc;
    const char *text;
    size_t n;
    if (!csvtext_decode(&dc, "fuzz.csv", copy, size, &enc, &text, &n, false) ||
        n != a->text_len || memcmp(text, a->text, n) != 0 ||
        memcmp(text, b->text, n) != 0)
        differ("the text put back", n);
    diag_release(&dc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static bool limited;
    if (!limited) {
        const char *why;
        if (!limits_set("rows=40", &why) || !limits_set("cell_length=24", &why))
            abort();
        limited = true;
    }
    struct mask m = {size > 1 ? data[1] : 0};
    struct csvfile_options opt = {.unread = unread_cols, .ctx = &m};
    if (size > 0 &&
        (data[0] == ';' || data[0] == '\t' || data[0] == '|' || data[0] == ' '))
        opt.delimiter = (char)data[0];
    struct arena *a = arena_new(), *b = arena_new();
    struct diag da, db;
    diag_init(&da);
    diag_init(&db);
    struct rawcsv ra, rb;
    bool oka = csvfile_read_mem(a, &da, "fuzz.csv", (const char *)data, size,
                                &opt, &ra);
    opt.libcsv_only = true;
    bool okb = csvfile_read_mem(b, &db, "fuzz.csv", (const char *)data, size,
                                &opt, &rb);
    if (oka != okb)
        differ("the result", oka);
    same_diag(&da, &db);
    same_raw(&ra, &rb);
    same_restored(&da, &ra, &db, &rb, data, size);
    diag_release(&da);
    diag_release(&db);
    arena_free(a);
    arena_free(b);
    return 0;
}
