/* test_flatememo: a stream deflated in one call, and the memo of a burst: the
 * bytes are always those pdf_flate gives, a recent input is found again
 * (same bytes at another address, same level), and forgetting the memo
 * frees it. */
#include "testutil.h"

#include "base/buf.h"
#include "pdf/flate.h"

#include <zlib.h>

/* A text of n bytes that differs with seed. */
static void sample(struct buf *b, size_t n, unsigned seed)
{
    buf_clear(b);
    for (size_t i = 0; i < n; i++)
        buf_addc(b, (char)('a' + (i * 7 + seed * 13 + i / 5) % 26));
}

/* Whether packed inflates to data[len]. */
static bool inflates_to(const struct buf *packed, const struct buf *data)
{
    uLongf n = (uLongf)data->len + 16;
    unsigned char *out = malloc(n);
    bool ok = uncompress(out, &n, (const Bytef *)packed->data,
                         (uLong)packed->len) == Z_OK &&
              n == data->len && memcmp(out, data->data, n) == 0;
    free(out);
    return ok;
}

static bool same_bytes(const struct buf *a, const struct buf *b)
{
    return a->len == b->len && memcmp(a->data, b->data, a->len) == 0;
}

static void without_memo_deflates_into_scratch(void **state)
{
    (void)state;
    struct buf in, scratch, want;
    buf_init(&in);
    buf_init(&scratch);
    buf_init(&want);
    sample(&in, 5000, 1);
    pdf_flate(&want, in.data, in.len, 1);
    assert_true(inflates_to(&want, &in));
    const struct buf *got = pdf_flate_kept(in.data, in.len, 1, &scratch);
    assert_ptr_equal(got, &scratch);
    assert_true(same_bytes(got, &want));
    buf_release(&in);
    buf_release(&scratch);
    buf_release(&want);
}

static void memo_finds_recent_inputs(void **state)
{
    (void)state;
    pdf_flate_memo_keep(true);
    struct buf in, copy, scratch, want;
    buf_init(&in);
    buf_init(&copy);
    buf_init(&scratch);
    buf_init(&want);
    sample(&in, 30000, 2);
    sample(&copy, 30000, 2); /* the same bytes elsewhere */
    pdf_flate(&want, in.data, in.len, 1);
    const struct buf *first = pdf_flate_kept(in.data, in.len, 1, &scratch);
    assert_ptr_not_equal(first, &scratch);
    assert_true(same_bytes(first, &want));
    const struct buf *again = pdf_flate_kept(copy.data, copy.len, 1, &scratch);
    assert_ptr_equal(again, first);
    assert_int_equal(scratch.len, 0); /* nothing deflated this time */
    /* another level is another input */
    buf_clear(&want);
    pdf_flate(&want, in.data, in.len, 9);
    const struct buf *nine = pdf_flate_kept(in.data, in.len, 9, &scratch);
    assert_ptr_not_equal(nine, first);
    assert_true(same_bytes(nine, &want));
    /* one byte more is another input too */
    buf_addc(&copy, 'z');
    const struct buf *longer = pdf_flate_kept(copy.data, copy.len, 1, &scratch);
    assert_ptr_not_equal(longer, first);
    assert_true(inflates_to(longer, &copy));
    pdf_flate_memo_keep(false);
    /* forgotten: deflated into scratch again */
    assert_ptr_equal(pdf_flate_kept(in.data, in.len, 1, &scratch), &scratch);
    buf_release(&in);
    buf_release(&copy);
    buf_release(&scratch);
    buf_release(&want);
}

/* Many distinct inputs, each asked for twice in a row and some long
 * after: every answer holds the bytes pdf_flate gives, whether it was
 * kept or pushed out by newer ones. */
static void memo_always_gives_the_bytes_of_pdf_flate(void **state)
{
    (void)state;
    pdf_flate_memo_keep(true);
    struct buf in, scratch, want;
    buf_init(&in);
    buf_init(&scratch);
    buf_init(&want);
    for (unsigned round = 0; round < 3; round++)
        for (unsigned k = 0; k < 20; k++) {
            unsigned seed = round == 2 ? 19 - k : k;
            sample(&in, 2000 + 97 * seed, seed);
            buf_clear(&want);
            pdf_flate(&want, in.data, in.len, 1);
            for (int twice = 0; twice < 2; twice++)
                assert_true(same_bytes(
                    pdf_flate_kept(in.data, in.len, 1, &scratch), &want));
        }
    pdf_flate_memo_keep(false);
    buf_release(&in);
    buf_release(&scratch);
    buf_release(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(without_memo_deflates_into_scratch),
        cmocka_unit_test(memo_finds_recent_inputs),
        cmocka_unit_test(memo_always_gives_the_bytes_of_pdf_flate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
