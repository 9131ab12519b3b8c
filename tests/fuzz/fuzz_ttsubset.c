/* fuzz_ttsubset: libFuzzer target for the TrueType subsetter: any bytes
 * as a font, with every glyph it claims asked for (up to 4,096); a subset
 * that succeeds must have valid checksums and subset again to itself. */
#include "base/buf.h"
#include "media/sfnt.h"
#include "media/ttsubset.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The glyph count of maxp, or 0 when there is none to read. */
static unsigned glyph_count(const unsigned char *p, size_t len)
{
    struct sfnt f = {p, len};
    struct sfnt_table maxp;
    if (!sfnt_check(&f) || !sfnt_find(&f, "maxp", &maxp) || maxp.len < 6)
        return 0;
    return sfnt_u16(p + maxp.off + 4);
}

static void check_sums(const struct buf *b)
{
    uint32_t sum = 0;
    for (size_t i = 0; i + 4 <= b->len; i += 4)
        sum += sfnt_u32((const unsigned char *)b->data + i);
    if (b->len % 4 || sum != 0xB1B0AFBAu) {
        fprintf(stderr, "subset with a bad checksum\n");
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned n = glyph_count(data, size);
    if (n > 4096)
        n = 4096;
    uint16_t *gids = malloc((n ? n : 1) * sizeof *gids);
    for (unsigned g = 0; g < n; g++)
        gids[g] = (uint16_t)g;
    struct buf out, again;
    buf_init(&out);
    buf_init(&again);
    const char *why = NULL;
    /* Every glyph, then one of every seven (composites pull in parts). */
    for (unsigned step = 1; step <= 7; step += 6) {
        size_t k = 0;
        for (unsigned g = 0; g < n; g += step)
            gids[k++] = (uint16_t)g;
        buf_clear(&out);
        if (!ttsubset(data, size, gids, k, &out, &why)) {
            if (!why || out.len != 0)
                abort();
            continue;
        }
        check_sums(&out);
        unsigned m = glyph_count((const unsigned char *)out.data, out.len);
        for (unsigned g = 0; g < m && g < n; g++)
            gids[g] = (uint16_t)g;
        buf_clear(&again);
        if (!ttsubset((const unsigned char *)out.data, out.len, gids,
                      m < n ? m : n, &again, &why)) {
            fprintf(stderr, "a subset that cannot be subset: %s\n", why);
            abort();
        }
    }
    free(gids);
    buf_release(&out);
    buf_release(&again);
    return 0;
}
