/* test_pdfa: the pieces of a PDF/A-1b file that need no PDF to check:
 * the sRGB ICC profile informe writes (header, tag table, tag types,
 * colorants, tone curve) and the PDF/A identification in the XMP. */
#include "testutil.h"

#include "base/buf.h"
#include "pdf/icc.h"
#include "pdf/xmp.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static uint32_t be32(const struct buf *b, size_t at)
{
    const unsigned char *p = (const unsigned char *)b->data + at;
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 |
           p[3];
}

static unsigned be16(const struct buf *b, size_t at)
{
    const unsigned char *p = (const unsigned char *)b->data + at;
    return (unsigned)p[0] << 8 | p[1];
}

static double s15f16(const struct buf *b, size_t at)
{
    return (int32_t)be32(b, at) / 65536.0;
}

/* The offset and size of tag sig, asserting it is there once. */
static size_t tag(const struct buf *b, const char *sig, size_t *size)
{
    size_t n = be32(b, 128), found = 0, at = 0;
    for (size_t i = 0; i < n; i++) {
        size_t e = 132 + 12 * i;
        if (memcmp(b->data + e, sig, 4) == 0) {
            found++;
            at = be32(b, e + 4);
            *size = be32(b, e + 8);
        }
    }
    assert_int_equal(found, 1);
    return at;
}

static void icc_profile_should_be_a_v2_srgb_display_profile(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    icc_srgb(&b);
    assert_true(b.len > 132);
    assert_int_equal(be32(&b, 0), b.len);
    assert_int_equal(be32(&b, 8), 0x02100000);
    assert_memory_equal(b.data + 12, "mntrRGB XYZ ", 12);
    assert_memory_equal(b.data + 36, "acsp", 4);
    assert_true(fabs(s15f16(&b, 68) - 0.9642) < 1e-4);
    assert_true(fabs(s15f16(&b, 72) - 1.0) < 1e-4);
    assert_true(fabs(s15f16(&b, 76) - 0.8249) < 1e-4);
    assert_int_equal(be32(&b, 128), 9);

    /* Every tag inside the profile, 4-byte aligned, of its type. */
    static const char *const sigs[] = {"desc", "cprt", "wtpt", "rXYZ", "gXYZ",
                                       "bXYZ", "rTRC", "gTRC", "bTRC"};
    static const char *const types[] = {"desc", "text", "XYZ ", "XYZ ", "XYZ ",
                                        "XYZ ", "curv", "curv", "curv"};
    size_t at[9], size[9];
    for (size_t i = 0; i < 9; i++) {
        at[i] = tag(&b, sigs[i], &size[i]);
        assert_int_equal(at[i] % 4, 0);
        assert_true(at[i] >= 132 + 12 * 9);
        assert_true(at[i] + size[i] <= b.len);
        assert_memory_equal(b.data + at[i], types[i], 4);
    }
    /* The description names the profile, NUL-terminated. */
    assert_int_equal(be32(&b, at[0] + 8), sizeof ICC_SRGB_NAME);
    assert_string_equal(b.data + at[0] + 12, ICC_SRGB_NAME);
    /* The colorants add up to the D50 white (within rounding). */
    for (int k = 0; k < 3; k++) {
        double sum = s15f16(&b, at[3] + 8 + 4 * k) +
                     s15f16(&b, at[4] + 8 + 4 * k) +
                     s15f16(&b, at[5] + 8 + 4 * k);
        assert_true(fabs(sum - s15f16(&b, at[2] + 8 + 4 * k)) < 2e-3);
    }
    /* One curve shared by the three channels: 0 to 65535, rising, and
     * sRGB's value at the middle (0.5 encoded is 0.214 linear). */
    assert_int_equal(at[6], at[7]);
    assert_int_equal(at[6], at[8]);
    size_t n = be32(&b, at[6] + 8);
    assert_int_equal(n, 1024);
    assert_int_equal(size[6], 12 + 2 * n);
    assert_int_equal(be16(&b, at[6] + 12), 0);
    assert_int_equal(be16(&b, at[6] + 12 + 2 * (n - 1)), 65535);
    for (size_t i = 1; i < n; i++)
        assert_true(be16(&b, at[6] + 12 + 2 * i) >
                    be16(&b, at[6] + 10 + 2 * i));
    double mid = be16(&b, at[6] + 12 + 2 * 511) / 65535.0;
    assert_true(fabs(mid - 0.2140) < 0.002);

    /* The same bytes on every call. */
    struct buf again;
    buf_init(&again);
    icc_srgb(&again);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.data, b.data, b.len);
    buf_release(&again);
    buf_release(&b);
}

static void xmp_should_identify_pdfa_and_describe_pdfuaid(void **state)
{
    (void)state;
    struct xmp_fields f = {
        .title = "Informe",
        .producer = "Haru Free PDF Library 2.3.0",
        .created = 1522540800,
        .ua = true,
        .pdfa = true,
    };
    struct buf b;
    buf_init(&b);
    xmp_write(&b, &f);
    assert_non_null(strstr(b.data, "<pdfaid:part>1</pdfaid:part>\n"
                                   "<pdfaid:conformance>B</pdfaid:"
                                   "conformance>\n"));
    assert_non_null(strstr(b.data, "<pdfuaid:part>1</pdfuaid:part>\n"));
    /* The extension schema comes before pdfuaid is used. */
    const char *ext = strstr(b.data, "<pdfaSchema:prefix>pdfuaid<");
    assert_non_null(ext);
    assert_true(ext < strstr(b.data, "<pdfuaid:part>"));
    /* Dates as the Info dictionary writes them with PDF/A: +00:00. */
    assert_non_null(strstr(b.data, "<xmp:CreateDate>2018-04-01T00:00:00"
                                   "+00:00</xmp:CreateDate>\n"));
    assert_non_null(strstr(b.data, "<xmp:ModifyDate>2018-04-01T00:00:00"
                                   "+00:00</xmp:ModifyDate>\n"));
    /* Untagged: PDF/A without the PDF/UA claim or its schema. */
    f.ua = false;
    buf_clear(&b);
    xmp_write(&b, &f);
    assert_non_null(strstr(b.data, "<pdfaid:part>1</pdfaid:part>"));
    assert_null(strstr(b.data, "pdfuaid"));
    assert_null(strstr(b.data, "pdfaExtension"));
    /* Not PDF/A: no identification, dates in Z. */
    f.pdfa = false;
    buf_clear(&b);
    xmp_write(&b, &f);
    assert_null(strstr(b.data, "pdfaid"));
    assert_non_null(strstr(b.data, "<xmp:CreateDate>2018-04-01T00:00:00Z<"));
    buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(icc_profile_should_be_a_v2_srgb_display_profile),
        cmocka_unit_test(xmp_should_identify_pdfa_and_describe_pdfuaid),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
