/* test_commit: a written temporary put in place, now or on a thread of
 * its own: the bytes under the destination's name, no temporary left,
 * and a failure reported with the path and the system's reason. */
#define _DEFAULT_SOURCE /* mkdtemp() in tmpdir.h */
#include "testutil.h"
#include "tmpdir.h"

#include "base/arena.h"
#include "base/commit.h"
#include "base/tempfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <unistd.h>

/* The number of entries of tmpdir (. and .. left out). */
static int entries(void)
{
    DIR *d = opendir(tmpdir);
    assert_non_null(d);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    closedir(d);
    return n;
}

/* The text of path (at most 63 bytes). */
static const char *content(struct arena *a, const char *path)
{
    char b[64];
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return "(no existe)";
    ssize_t n = read(fd, b, sizeof b - 1);
    close(fd);
    return arena_strndup(a, b, n > 0 ? (size_t)n : 0);
}

/* A temporary in tmpdir holding text, prepared to replace dest. */
static void prepared(struct arena *a, struct commit *c, const char *dest,
                     const char *text)
{
    char *tmp = NULL;
    int fd = tempfile_create(a, tmpdir, &tmp);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    commit_prepare(c, fd, tmp, dest, tmpdir, dest);
}

static void in_place_now_and_in_the_background(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    const char *dest = arena_printf(a, "%s/informe.pdf", tmpdir);
    for (int background = 0; background <= 1; background++) {
        const char *text = background ? "segundo" : "primero";
        struct commit c;
        prepared(a, &c, dest, text);
        struct diag d;
        diag_init(&d);
        commit_start(&c, background);
        assert_true(commit_finish(&c, &d));
        assert_int_equal(d.n, 0);
        assert_string_equal(content(a, dest), text);
        assert_int_equal(entries(), 1); /* the temporary is the report now */
        assert_null(c.tmp);
        diag_release(&d);
    }
    commit_flush();
    /* forgotten: removing the registered temporaries leaves the report */
    tempfile_remove_now();
    assert_string_equal(content(a, dest), "segundo");
    arena_free(a);
}

/* Two in a row, each started while the one before is finished: the
 * pattern of a burst, with the folder synced once at the end. */
static void one_after_another(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct commit c[2];
    const char *dest[2] = {arena_printf(a, "%s/a.pdf", tmpdir),
                           arena_printf(a, "%s/b.pdf", tmpdir)};
    struct diag d;
    diag_init(&d);
    prepared(a, &c[0], dest[0], "a");
    commit_start(&c[0], true);
    prepared(a, &c[1], dest[1], "b"); /* two temporaries at once */
    assert_true(commit_finish(&c[0], &d));
    commit_start(&c[1], true);
    assert_true(commit_finish(&c[1], &d));
    commit_flush();
    assert_int_equal(d.n, 0);
    assert_string_equal(content(a, dest[0]), "a");
    assert_string_equal(content(a, dest[1]), "b");
    assert_int_equal(entries(), 2);
    diag_release(&d);
    arena_free(a);
}

/* Many started before the first is finished, the way a burst runs:
 * taken by batches (three whole ones and a part), each file in place
 * with its own bytes, and one of the middle batch failing alone (its
 * destination a folder that is not empty): reported with its path, its
 * temporary removed, the files after it in place. */
static void batches_with_one_failure(void **state)
{
    (void)state;
    enum { N = 3 * COMMIT_BATCH + 3, BAD = COMMIT_BATCH + 2 };
    struct arena *a = arena_new();
    struct commit c[N];
    const char *dest[N];
    for (int i = 0; i < N; i++) {
        dest[i] = arena_printf(a, "%s/r%02d.pdf", tmpdir, i);
        if (i == BAD) {
            assert_int_equal(mkdir(dest[i], 0777), 0);
            assert_int_equal(mkdir(arena_printf(a, "%s/x", dest[i]), 0777), 0);
        }
        prepared(a, &c[i], dest[i], arena_printf(a, "informe %d", i));
        commit_start(&c[i], true); /* waits for room when it must */
    }
    for (int i = 0; i < N; i++) {
        struct diag d;
        diag_init(&d);
        assert_int_equal(commit_finish(&c[i], &d), i != BAD);
        if (i == BAD) {
            assert_int_equal(d.code, EXIT_CANTCREAT);
            assert_string_equal(
                test_msg(a, &d, 0),
                arena_printf(a, "informe: error: no se puede escribir '%s': %s",
                             dest[i], strerror(EISDIR)));
        } else {
            assert_int_equal(d.n, 0);
            assert_string_equal(content(a, dest[i]),
                                arena_printf(a, "informe %d", i));
        }
        diag_release(&d);
    }
    commit_flush();
    assert_int_equal(entries(), N); /* no temporary left */
    arena_free(a);
}

/* One background commit that nobody waits for, in a batch that does not
 * fill: in place once it has waited COMMIT_WAIT_MS (polled for up to
 * five seconds), and commit_done says so before commit_finish. */
static void a_batch_that_does_not_fill_goes_in_time(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    const char *dest = arena_printf(a, "%s/solo.pdf", tmpdir);
    struct commit c;
    prepared(a, &c, dest, "solo");
    commit_start(&c, true);
    int polls = 0;
    while (!commit_done(&c) && polls < 5000) {
        usleep(1000);
        polls++;
    }
    assert_true(commit_done(&c));
    assert_string_equal(content(a, dest), "solo");
    assert_int_equal(entries(), 1);
    struct diag d;
    diag_init(&d);
    assert_true(commit_finish(&c, &d));
    assert_int_equal(d.n, 0);
    diag_release(&d);
    commit_flush();
    arena_free(a);
}

/* A rename that fails (the destination is a folder that is not empty):
 * the message names the path and the reason, the code is EXIT_CANTCREAT,
 * and the temporary is gone, whichever way it ran. */
static void failure_reported_and_temporary_removed(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    const char *dest = arena_printf(a, "%s/carpeta", tmpdir);
    assert_int_equal(mkdir(dest, 0777), 0);
    const char *inside = arena_printf(a, "%s/x", dest);
    assert_int_equal(mkdir(inside, 0777), 0);
    for (int background = 0; background <= 1; background++) {
        struct commit c;
        prepared(a, &c, dest, "nada");
        struct diag d;
        diag_init(&d);
        commit_start(&c, background);
        assert_false(commit_finish(&c, &d));
        assert_int_equal(d.code, EXIT_CANTCREAT);
        assert_string_equal(
            test_msg(a, &d, 0),
            arena_printf(a, "informe: error: no se puede escribir '%s': %s",
                         dest, strerror(EISDIR)));
        assert_int_equal(entries(), 1); /* the folder only */
        diag_release(&d);
    }
    arena_free(a);
}

/* A commit never prepared (the report failed before its file, or went to
 * a pipe) starts and finishes as done, with nothing to say. */
static void nothing_to_put_in_place(void **state)
{
    (void)state;
    for (int background = 0; background <= 1; background++) {
        struct commit c = {.fd = -1};
        struct diag d;
        diag_init(&d);
        commit_start(&c, background);
        assert_true(commit_finish(&c, &d));
        assert_int_equal(d.n, 0);
        diag_release(&d);
    }
    assert_int_equal(entries(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(in_place_now_and_in_the_background,
                                        tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(one_after_another, tmpdir_setup,
                                        tmpdir_teardown),
        cmocka_unit_test_setup_teardown(batches_with_one_failure, tmpdir_setup,
                                        tmpdir_teardown),
        cmocka_unit_test_setup_teardown(a_batch_that_does_not_fill_goes_in_time,
                                        tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(failure_reported_and_temporary_removed,
                                        tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(nothing_to_put_in_place, tmpdir_setup,
                                        tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
