/* icc: the sRGB profile (see icc.h). Numbers are big-endian; XYZ values
 * are s15Fixed16Number (ICC.1:2001-04, 5.3). */
#include "pdf/icc.h"

#include <math.h>
#include <string.h>

#define CURVE_POINTS 1024

/* The D50 connection space's white, and the sRGB primaries adapted to it
 * (Bradford), each X, Y, Z. */
static const double d50[3] = {0.9642, 1.0, 0.8249};
static const double primary[3][3] = {
    {0.4360747, 0.2225045, 0.0139322},
    {0.3850649, 0.7168786, 0.0971045},
    {0.1430804, 0.0606169, 0.7141733},
};

static void put32(struct buf *b, unsigned long v)
{
    char c[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
    buf_add(b, c, 4);
}

static void put16(struct buf *b, unsigned v)
{
    char c[2] = {(char)(v >> 8), (char)v};
    buf_add(b, c, 2);
}

static void sig(struct buf *b, const char *s)
{
    buf_add(b, s, 4);
}

static void zeros(struct buf *b, size_t n)
{
    while (n--)
        buf_addc(b, 0);
}

static void xyz_number(struct buf *b, const double v[3])
{
    for (int i = 0; i < 3; i++)
        put32(b, (unsigned long)lround(v[i] * 65536.0));
}

/* The sRGB transfer function (IEC 61966-2-1), from encoded to linear. */
static double srgb_linear(double x)
{
    return x <= 0.04045 ? x / 12.92 : pow((x + 0.055) / 1.055, 2.4);
}

/* Which tag's data a tag has (the curves share one). */
struct tag {
    const char *sig;
    size_t data; /* index in tags[] of the tag whose data it shares */
};

static void tag_data(struct buf *b, size_t i)
{
    static const char desc[] = ICC_SRGB_NAME;
    static const char cprt[] = "No copyright, use freely";
    switch (i) {
    case 0: /* textDescriptionType */
        sig(b, "desc");
        zeros(b, 4);
        put32(b, sizeof desc);
        buf_add(b, desc, sizeof desc);
        zeros(b, 4 + 4 + 2 + 1 + 67); /* no Unicode, no ScriptCode */
        break;
    case 1: /* textType */
        sig(b, "text");
        zeros(b, 4);
        buf_add(b, cprt, sizeof cprt);
        break;
    case 2:
        sig(b, "XYZ ");
        zeros(b, 4);
        xyz_number(b, d50);
        break;
    case 3:
    case 4:
    case 5: /* a colorant: X, Y, Z of red, green or blue */
        sig(b, "XYZ ");
        zeros(b, 4);
        xyz_number(b, primary[i - 3]);
        break;
    default: /* curveType */
        sig(b, "curv");
        zeros(b, 4);
        put32(b, CURVE_POINTS);
        for (unsigned k = 0; k < CURVE_POINTS; k++) {
            double y = srgb_linear((double)k / (CURVE_POINTS - 1));
            put16(b, (unsigned)lround(y * 65535.0));
        }
        break;
    }
}

void icc_srgb(struct buf *out)
{
    static const struct tag tags[] = {
        {"desc", 0}, {"cprt", 1}, {"wtpt", 2}, {"rXYZ", 3}, {"gXYZ", 4},
        {"bXYZ", 5}, {"rTRC", 6}, {"gTRC", 6}, {"bTRC", 6},
    };
    enum { NTAGS = sizeof tags / sizeof *tags };
    size_t table = 128 + 4 + 12 * (size_t)NTAGS;

    /* The tags' data first, to know the offsets. */
    struct buf data;
    buf_init(&data);
    size_t at[NTAGS], size[NTAGS];
    for (size_t i = 0; i < NTAGS; i++) {
        if (tags[i].data != i) {
            at[i] = at[tags[i].data];
            size[i] = size[tags[i].data];
            continue;
        }
        at[i] = table + data.len;
        tag_data(&data, i);
        size[i] = table + data.len - at[i];
        while (data.len % 4) /* each tag starts 4-byte aligned */
            buf_addc(&data, 0);
    }

    size_t start = out->len;
    put32(out, (unsigned long)(table + data.len)); /* profile size */
    zeros(out, 4);                                 /* preferred CMM */
    put32(out, 0x02100000);                        /* version 2.1.0 */
    sig(out, "mntr");                              /* display device */
    sig(out, "RGB ");
    sig(out, "XYZ ");
    /* Creation date, fixed: 2000-01-01 00:00:00 (the bytes never vary). */
    put16(out, 2000);
    put16(out, 1);
    put16(out, 1);
    zeros(out, 6);
    sig(out, "acsp");
    zeros(out, 4 + 4 + 4 + 4 + 8); /* platform, flags, maker, model, attrs */
    put32(out, 0);                 /* perceptual rendering intent */
    xyz_number(out, d50);          /* the connection space's illuminant */
    zeros(out, 4);                 /* creator */
    zeros(out, 128 - (out->len - start));
    put32(out, NTAGS);
    for (size_t i = 0; i < NTAGS; i++) {
        sig(out, tags[i].sig);
        put32(out, (unsigned long)at[i]);
        put32(out, (unsigned long)size[i]);
    }
    buf_add(out, data.data, data.len);
    buf_release(&data);
}
