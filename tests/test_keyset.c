/* test_keyset: the set of grouping and joining keys: keys found by their
 * bytes whatever their length (the hash reads them a word at a time), the
 * set growing past the room it was made with, and the canonical key of
 * a value. */
#include "testutil.h"

#include "base/arena.h"
#include "base/hash.h"
#include "lang/keyset.h"

#include <stdio.h>
#include <string.h>

/* Keys of every length from 0 to 40 bytes, and keys that differ in one
 * byte only (first, middle, last), added to a set made for one key. */
static void keyset_should_grow_and_find_every_key(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    enum { N = 3000 };
    static const char base[] = "Grupo par 0000000000000000000000000000000";
    const char *key[N];
    size_t len[N];
    for (size_t i = 0; i < N; i++) {
        char *k = arena_strdup(a, base);
        len[i] = i % 41;
        /* the i-th key: its length, and one byte moved from the base */
        if (len[i] > 0)
            k[(i / 41) % len[i]] = (char)('A' + (i / 41) / len[i] % 26);
        k[len[i]] = '\0';
        key[i] = k;
    }
    struct keyset ks;
    keyset_init(&ks, 1);
    size_t distinct = 0;
    for (size_t i = 0; i < N; i++) {
        bool added;
        size_t idx = keyset_get(&ks, key[i], len[i], true, &added);
        if (added)
            assert_int_equal(idx, distinct++);
        else
            assert_true(idx < distinct);
        /* as many keys as there are distinct texts among them */
        size_t same = 0;
        while (same < i &&
               !(len[same] == len[i] && memcmp(key[same], key[i], len[i]) == 0))
            same++;
        assert_int_equal(added, same == i);
    }
    assert_int_equal(ks.n, distinct);
    assert_true(distinct > 1000);
    for (size_t i = 0; i < N; i++) {
        bool added;
        size_t idx = keyset_get(&ks, key[i], len[i], false, &added);
        assert_false(added);
        assert_true(idx < distinct);
        assert_int_equal(ks.lens[idx], len[i]);
        assert_memory_equal(ks.keys[idx], key[i], len[i]);
    }
    bool added;
    assert_int_equal(keyset_get(&ks, "Grupo par 99", 12, false, &added),
                     (size_t)-1);
    assert_int_equal(keyset_get(&ks, base, 41, false, &added), (size_t)-1);
    keyset_release(&ks);
    arena_free(a);
}

static void hash_equal_should_compare_every_byte(void **state)
{
    (void)state;
    char x[40], y[40];
    for (size_t n = 0; n <= sizeof x; n++)
        for (size_t at = 0; at < n; at++) {
            memset(x, 'a', sizeof x);
            memset(y, 'a', sizeof y);
            assert_true(hash_equal(x, y, n));
            assert_true(hash_bytes(x, n) == hash_bytes(y, n));
            y[at] = 'b';
            if (hash_equal(x, y, n))
                fail_msg("%zu bytes equal with byte %zu changed", n, at);
        }
}

static void keyset_key_should_meet_the_number_and_its_digits(void **state)
{
    (void)state;
    struct buf b, c;
    buf_init(&b);
    buf_init(&c);
    keyset_key(&b, &(struct value){.type = V_INT, .num = 5});
    keyset_key(&c, &(struct value){.type = V_TEXT, .text = "5"});
    assert_string_equal(b.data, c.data);
    buf_clear(&b);
    keyset_key(&b, &(struct value){.type = V_MISSING});
    assert_string_equal(b.data, "\x01\x1f");
    buf_release(&b);
    buf_release(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(keyset_should_grow_and_find_every_key),
        cmocka_unit_test(hash_equal_should_compare_every_byte),
        cmocka_unit_test(keyset_key_should_meet_the_number_and_its_digits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
