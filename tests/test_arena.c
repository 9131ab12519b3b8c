/* test_arena: memory an arena already holds is filled again before new
 * memory is asked for (arena_reset, arena_recycle), always zeroed. */
#include "testutil.h"

#include "base/arena.h"

static bool all_zero(const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static void arena_reset_should_reuse_its_block(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    unsigned char *p = arena_alloc(a, 100);
    memset(p, 0xAB, 100);
    arena_reset(a);
    assert_int_equal(arena_used(a), 0);
    unsigned char *q = arena_alloc(a, 100);
    assert_ptr_equal(q, p);
    assert_true(all_zero(q, 100));
    assert_int_equal(arena_used(a), 112); /* 100 rounded up to 16 */
    arena_free(a);
}

/* A scratch arena whose one large block, 500,000 bytes, was written. */
static unsigned char *scratch_with_block(struct arena **scratch)
{
    *scratch = arena_new();
    unsigned char *p = arena_alloc(*scratch, 500000);
    memset(p, 0x5A, 500000);
    return p;
}

static void arena_recycle_should_give_its_large_block_to_another(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    unsigned char *first = arena_alloc(a, 16);
    struct arena *scratch;
    unsigned char *p = scratch_with_block(&scratch);
    arena_recycle(scratch, a);
    arena_recycle(NULL, a);
    /* a's first block has room for 4 more of 16,000 bytes */
    for (int i = 0; i < 4; i++) {
        unsigned char *q = arena_alloc(a, 16000);
        assert_ptr_equal(q, first + 16 + 16000 * i);
    }
    /* the fifth fills the given block (zeroed), not fresh memory */
    unsigned char *q = arena_alloc(a, 16000);
    assert_ptr_equal(q, p);
    assert_true(all_zero(q, 16000));
    unsigned char *r = arena_alloc(a, 32);
    assert_ptr_equal(r, q + 16000);
    assert_int_equal(arena_used(a), 16 + 5 * 16000 + 32);
    arena_free(a);
}

/* A large request gets a block of its own from calloc (zero pages that
 * cost nothing until written), not the given block. */
static void arena_should_keep_a_given_block_for_small_requests(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct arena *scratch;
    unsigned char *p = scratch_with_block(&scratch);
    arena_recycle(scratch, a);
    unsigned char *big = arena_alloc(a, 300000);
    assert_true(big < p || big >= p + 500000);
    assert_true(all_zero(big, 300000));
    arena_alloc(a, 60000); /* fills the first block */
    unsigned char *q = arena_alloc(a, 10000);
    assert_ptr_equal(q, p);
    assert_true(all_zero(q, 10000));
    arena_free(a);
}

/* A large request the caller writes whole (arena_array_uninit) fills a
 * given block with room for it, pages already touched; the rest of the
 * block serves the next requests. */
static void arena_should_give_a_large_uninit_request_a_given_block(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct arena *scratch;
    unsigned char *p = scratch_with_block(&scratch);
    arena_recycle(scratch, a);
    /* too large for the given block: a block of its own */
    unsigned char *huge = arena_array_uninit(a, 600000, 1);
    assert_true(huge < p || huge >= p + 500000);
    unsigned char *big = arena_array_uninit(a, 300000, 1);
    assert_ptr_equal(big, p);
    unsigned char *next = arena_array_uninit(a, 100000, 1);
    assert_ptr_equal(next, p + 300000);
    /* a zeroed one still gets fresh zero pages */
    unsigned char *zeroed = arena_array(a, 150000, 1);
    assert_true(zeroed < p || zeroed >= p + 500000);
    assert_true(all_zero(zeroed, 150000));
    arena_free(a);
}

static void arena_reset_should_start_again_at_the_first_block(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    unsigned char *first = arena_alloc(a, 64);
    struct arena *scratch;
    scratch_with_block(&scratch);
    arena_recycle(scratch, a);
    for (int i = 0; i < 20; i++)
        arena_alloc(a, 10000);
    arena_reset(a);
    assert_int_equal(arena_used(a), 0);
    unsigned char *q = arena_alloc(a, 64);
    assert_ptr_equal(q, first);
    assert_true(all_zero(q, 64));
    arena_free(a);
}

static void arena_grow_should_keep_the_elements(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    arena_alloc(a, 64);
    arena_reset(a);
    size_t cap = 0;
    int *v = NULL;
    for (int i = 0; i < 50000; i++) {
        v = arena_grow(a, v, &cap, (size_t)i + 1, sizeof *v);
        v[i] = i * 3;
    }
    assert_int_equal(cap, 65536);
    for (int i = 0; i < 50000; i++)
        assert_int_equal(v[i], i * 3);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_reset_should_reuse_its_block),
        cmocka_unit_test(arena_recycle_should_give_its_large_block_to_another),
        cmocka_unit_test(arena_should_keep_a_given_block_for_small_requests),
        cmocka_unit_test(
            arena_should_give_a_large_uninit_request_a_given_block),
        cmocka_unit_test(arena_reset_should_start_again_at_the_first_block),
        cmocka_unit_test(arena_grow_should_keep_the_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
