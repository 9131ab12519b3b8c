/* test_flate: bytes deflated by informe handed to libharu as a stream's
 * data: held in an arena and read by libharu as it writes the stream
 * (pdf_flate_hold), to the byte, from the start every time, marked
 * /FlateDecode. */
#include "testutil.h"

#include "base/arena.h"
#include "pdf/flate.h"

#include <hpdf.h>
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>

/* What libharu writes of src's data into a new memory stream, read back
 * into out (n bytes at most); the length. */
static size_t written(HPDF_Doc pdf, HPDF_Stream src, unsigned char *out,
                      size_t n)
{
    HPDF_Stream dst = HPDF_MemStream_New(pdf->mmgr, 4096);
    assert_non_null(dst);
    assert_int_equal(
        HPDF_Stream_WriteToStream(src, dst, HPDF_STREAM_FILTER_NONE, NULL),
        HPDF_OK);
    size_t len = HPDF_Stream_Size(dst);
    assert_true(len <= n);
    assert_int_equal(HPDF_Stream_Seek(dst, 0, HPDF_SEEK_SET), HPDF_OK);
    HPDF_UINT got = (HPDF_UINT)len;
    HPDF_STATUS st = HPDF_Stream_Read(dst, out, &got);
    assert_true(st == HPDF_OK || st == HPDF_STREAM_EOF);
    assert_int_equal(got, len);
    HPDF_Stream_Free(dst);
    return len;
}

static void held_bytes_should_be_what_libharu_writes(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    assert_non_null(pdf);
    HPDF_Dict st = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    assert_non_null(st);
    struct arena *a = arena_new();
    /* Longer than libharu's blocks of 4 KB, not a multiple of them. */
    enum { N = 10000 };
    static unsigned char data[N], want[N], out[N];
    for (size_t i = 0; i < N; i++)
        want[i] = data[i] = (unsigned char)(i * 31 + i / 7);
    HPDF_Stream s = pdf_flate_hold(st, a, data, N);
    assert_non_null(s);
    assert_ptr_equal(st->stream, s);
    assert_int_equal(HPDF_Stream_Size(s), N);
    /* Nothing of libharu's own deflating; the filter said by write_fn. */
    assert_int_equal(st->filter, HPDF_STREAM_FILTER_NONE);
    assert_non_null(st->write_fn);
    /* The bytes are a copy: the caller's buffer may change. */
    memset(data, 0, N);
    assert_int_equal(written(pdf, s, out, N), N);
    assert_memory_equal(out, want, N);
    /* Read again from the start, as a second save would. */
    memset(out, 0, N);
    assert_int_equal(written(pdf, s, out, N), N);
    assert_memory_equal(out, want, N);
    /* The dictionary's entry that names the filter. */
    HPDF_Stream dict = HPDF_MemStream_New(pdf->mmgr, 256);
    assert_int_equal(st->write_fn(st, dict), HPDF_OK);
    char text[64] = {0};
    HPDF_UINT n = HPDF_Stream_Size(dict);
    assert_int_equal(HPDF_Stream_Seek(dict, 0, HPDF_SEEK_SET), HPDF_OK);
    HPDF_Stream_Read(dict, (HPDF_BYTE *)text, &n);
    assert_string_equal(text, "/Filter /FlateDecode\n");
    HPDF_Stream_Free(dict);
    HPDF_Free(pdf);
    arena_free(a);
}

static void an_empty_hold_should_write_nothing(void **state)
{
    (void)state;
    HPDF_Doc pdf = HPDF_New(NULL, NULL);
    HPDF_Dict st = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    struct arena *a = arena_new();
    HPDF_Stream s = pdf_flate_hold(st, a, "", 0);
    assert_non_null(s);
    assert_int_equal(HPDF_Stream_Size(s), 0);
    unsigned char out[4];
    assert_int_equal(written(pdf, s, out, sizeof out), 0);
    HPDF_Free(pdf);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(held_bytes_should_be_what_libharu_writes),
        cmocka_unit_test(an_empty_hold_should_write_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
