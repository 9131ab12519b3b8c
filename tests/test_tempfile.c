/* test_tempfile: the temporary file of a save, its removal on demand, the
 * removal of the ones a dead process left, and symbolic link targets. */
#define _DEFAULT_SOURCE /* flock(), mkdtemp() */
#include "testutil.h"
#include "tmpdir.h"

#include "base/arena.h"
#include "base/commit.h"
#include "base/tempfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

static bool exists(const char *path)
{
    return access(path, F_OK) == 0;
}

static void touch(const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    assert_true(fd >= 0);
    close(fd);
}

/* A PID that belonged to a process now gone. */
static long dead_pid(void)
{
    pid_t p = fork();
    if (p == 0)
        _exit(0);
    assert_true(p > 0);
    waitpid(p, NULL, 0);
    return (long)p;
}

static void create_names_and_removes_on_demand(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char *name = NULL;
    int fd = tempfile_create(a, tmpdir, &name);
    assert_true(fd >= 0);
    char prefix[96];
    snprintf(prefix, sizeof prefix, "%s/.informe-%ld-", tmpdir, (long)getpid());
    assert_memory_equal(name, prefix, strlen(prefix));
    assert_string_equal(name + strlen(name) - 8, ".pdf.tmp");
    assert_true(exists(name));
    /* The creator holds the lock: a second lock attempt fails. */
    int other = open(name, O_RDONLY);
    assert_true(other >= 0);
    assert_int_equal(flock(other, LOCK_EX | LOCK_NB), -1);
    close(other);
    tempfile_remove_now();
    assert_false(exists(name));
    close(fd);
    arena_free(a);
}

static void forget_keeps_the_file(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char *name = NULL;
    int fd = tempfile_create(a, tmpdir, &name);
    assert_true(fd >= 0);
    tempfile_forget(name);
    tempfile_remove_now();
    assert_true(exists(name));
    close(fd);
    unlink(name);
    arena_free(a);
}

static void stale_temporaries_of_dead_processes_removed(void **state)
{
    (void)state;
    char dead[160], live[160], locked[160], other[160];
    snprintf(dead, sizeof dead, "%s/.informe-%ld-1-0.pdf.tmp", tmpdir,
             dead_pid());
    /* The parent process is alive: its file stays. */
    snprintf(live, sizeof live, "%s/.informe-%ld-1-0.pdf.tmp", tmpdir,
             (long)getppid());
    /* A dead PID, but the file is locked (a live writer elsewhere). */
    snprintf(locked, sizeof locked, "%s/.informe-%ld-2-0.pdf.tmp", tmpdir,
             dead_pid());
    /* Not informe's name: never touched. */
    snprintf(other, sizeof other, "%s/.informe-x-1-0.pdf.tmp", tmpdir);
    touch(dead);
    touch(live);
    touch(locked);
    touch(other);
    int lfd = open(locked, O_RDONLY);
    assert_true(lfd >= 0);
    assert_int_equal(flock(lfd, LOCK_EX), 0);

    struct arena *a = arena_new();
    char *name = NULL;
    int fd = tempfile_create(a, tmpdir, &name);
    assert_true(fd >= 0);
    assert_false(exists(dead));
    assert_true(exists(live));
    assert_true(exists(locked));
    assert_true(exists(other));
    assert_true(exists(name));
    tempfile_remove_now();
    close(fd);
    close(lfd);
    arena_free(a);
}

/* The folder is swept when a process first writes there, not again for
 * each file it writes into it. */
static void folder_swept_once_in_a_row(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char *name = NULL;
    int fd = tempfile_create(a, tmpdir, &name);
    assert_true(fd >= 0);
    tempfile_remove_now();
    close(fd);
    char dead[160];
    snprintf(dead, sizeof dead, "%s/.informe-%ld-3-0.pdf.tmp", tmpdir,
             dead_pid());
    touch(dead);
    fd = tempfile_create(a, tmpdir, &name);
    assert_true(fd >= 0);
    assert_true(exists(dead));
    tempfile_remove_now();
    close(fd);
    arena_free(a);
}

/* A burst holds several temporaries at once: each is forgotten by its
 * name, and removing the registered ones removes only those still held.
 * At most TEMPFILE_MAX are held: one more is refused (EBUSY), not left
 * unguarded. */
static void several_held_at_once(void **state)
{
    (void)state;
    enum { N = TEMPFILE_MAX };
    _Static_assert(N > 2 * COMMIT_QUEUE + 1, "a burst's temporaries fit");
    struct arena *a = arena_new();
    char *name[N + 1];
    int fd[N + 1];
    for (int i = 0; i < N; i++) {
        fd[i] = tempfile_create(a, tmpdir, &name[i]);
        assert_true(fd[i] >= 0);
    }
    errno = 0;
    assert_int_equal(tempfile_create(a, tmpdir, &name[N]), -1);
    assert_int_equal(errno, EBUSY);
    tempfile_forget(name[1]);
    tempfile_forget(name[N - 2]);
    tempfile_remove_now();
    for (int i = 0; i < N; i++)
        assert_int_equal(exists(name[i]), i == 1 || i == N - 2);
    /* a forgotten slot is free again */
    fd[N] = tempfile_create(a, tmpdir, &name[N]);
    assert_true(fd[N] >= 0);
    tempfile_remove_now();
    assert_false(exists(name[N]));
    for (int i = 0; i <= N; i++)
        close(fd[i]);
    unlink(name[1]);
    unlink(name[N - 2]);
    arena_free(a);
}

static void symbolic_link_target(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    char file[128], link[128];
    snprintf(file, sizeof file, "%s/real.pdf", tmpdir);
    snprintf(link, sizeof link, "%s/link.pdf", tmpdir);
    touch(file);
    assert_int_equal(symlink("real.pdf", link), 0);
    const char *t = tempfile_target(a, link);
    assert_non_null(t);
    char *want = realpath(file, NULL);
    assert_string_equal(t, want);
    free(want);
    assert_string_equal(tempfile_target(a, file), file);
    arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(create_names_and_removes_on_demand,
                                        tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(forget_keeps_the_file, tmpdir_setup,
                                        tmpdir_teardown),
        cmocka_unit_test_setup_teardown(
            stale_temporaries_of_dead_processes_removed, tmpdir_setup,
            tmpdir_teardown),
        cmocka_unit_test_setup_teardown(folder_swept_once_in_a_row,
                                        tmpdir_setup, tmpdir_teardown),
        cmocka_unit_test_setup_teardown(several_held_at_once, tmpdir_setup,
                                        tmpdir_teardown),
        cmocka_unit_test_setup_teardown(symbolic_link_target, tmpdir_setup,
                                        tmpdir_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
