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

/* A page's arena: one page needed three blocks of 64 KB and a large
 * allocation; the next page, as large, is given the same memory. */
static void arena_reset_should_keep_every_block(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    enum { SMALL = 10000, N = 18, LARGE = 200000 };
    unsigned char *before[N + 1];
    for (int i = 0; i < N; i++) {
        before[i] = arena_alloc(a, SMALL);
        memset(before[i], 0xCD, SMALL);
    }
    before[N] = arena_alloc(a, LARGE);
    memset(before[N], 0xEF, LARGE);
    arena_reset(a);
    for (int i = 0; i < N; i++) {
        unsigned char *p = arena_alloc(a, SMALL);
        bool seen = false;
        for (int k = 0; k < N && !seen; k++)
            seen = p == before[k];
        assert_true(seen);
        assert_true(all_zero(p, SMALL));
    }
    unsigned char *big = arena_alloc(a, LARGE);
    assert_ptr_equal(big, before[N]);
    assert_true(all_zero(big, LARGE));
    arena_free(a);
}

static void arena_should_not_take_a_spare_too_small(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    unsigned char *p = arena_alloc(a, 100000);
    arena_reset(a);
    unsigned char *q = arena_alloc(a, 300000);
    assert_ptr_not_equal(q, p);
    assert_true(all_zero(q, 300000));
    /* the smaller spare still serves what fits it */
    unsigned char *r = arena_alloc(a, 90000);
    assert_ptr_equal(r, p);
    assert_int_equal(arena_used(a), 300000 + 90000);
    arena_free(a);
}

static void arena_recycle_should_give_its_blocks_to_another(void **state)
{
    (void)state;
    struct arena *scratch = arena_new();
    struct arena *a = arena_new();
    unsigned char *p = arena_alloc(scratch, 500000);
    memset(p, 0x5A, 500000);
    arena_recycle(scratch, a);
    arena_recycle(NULL, a);
    /* what a allocated before is untouched; the large block is reused,
     * and zeroed, for a smaller request that does not fit a's head */
    unsigned char *q = arena_alloc(a, 400000);
    assert_ptr_equal(q, p);
    assert_true(all_zero(q, 400000));
    /* its room is then the head's: small allocations follow q */
    unsigned char *r = arena_alloc(a, 32);
    assert_ptr_equal(r, q + 400000);
    assert_int_equal(arena_used(a), 400000 + 32);
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
        cmocka_unit_test(arena_reset_should_keep_every_block),
        cmocka_unit_test(arena_should_not_take_a_spare_too_small),
        cmocka_unit_test(arena_recycle_should_give_its_blocks_to_another),
        cmocka_unit_test(arena_grow_should_keep_the_elements),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
