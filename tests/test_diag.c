/* test_diag: the line shown under a message, from a source copied when it
 * was registered or from a data file read again only to print it once its
 * text was given up (and not shown once that file has changed). */
#include "testutil.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "data/csvfile.h"
#include "data/csvtext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A value that is no integer in a column asked to be one: an error of
 * typing, after the file is read, at line 3. */
static const char utf8_csv[] = "código,año\n1,2018\n2,dos mil\n";
/* The same in Windows-1252, with CRLF line ends. */
static const char cp1252_csv[] = "c\xF3"
                                 "digo,a\xF1o\r\n1,2018\r\n2,dos mil\r\n";
static const char want_line[] = "     3 | 2,dos mil\n"
                                "       |   ^\n";

static char *printed(const struct diag *d)
{
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);
    assert_non_null(f);
    diag_print(d, f);
    fclose(f);
    return out;
}

static void write_file(const char *path, const char *s, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(s, 1, n, f), n);
    fclose(f);
}

/* What reading and typing path prints: its one error, and its line if
 * shown. The text is given up once typed (csvfile_release), as a source
 * does, and between runs before the messages are printed; with held, the
 * file's bytes src (n) are read from memory under its name instead, so
 * that d holds their text to the end. */
static char *read_and_print(const char *path, const char *src, size_t n,
                            bool held, void (*between)(const char *))
{
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct rawcsv raw;
    struct table t;
    struct type_request req = {"año", V_INT, 0, 0, NULL};
    if (held)
        assert_true(csvfile_read_mem(a, &d, path, src, n, NULL, &raw));
    else
        assert_true(csvfile_read_file(a, &d, path, NULL, &raw));
    assert_false(csvfile_to_table(a, &d, &raw, &req, 1, &t));
    csvfile_release(&d, &raw);
    arena_free(a);
    if (between)
        between(path);
    char *out = printed(&d);
    diag_release(&d);
    return out;
}

/* The same file read with its text held, then given up: the same lines
 * printed; after between, the message alone (with_line false). */
static void expect_print(const char *src, size_t n,
                         void (*between)(const char *), bool with_line)
{
    char path[] = "/tmp/test_diag_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, src, n);
    char *held = read_and_print(path, src, n, true, NULL);
    char *got = read_and_print(path, src, n, false, between);
    unlink(path);
    /* the message, then the line */
    char *nl = strchr(held, '\n');
    assert_non_null(nl);
    assert_string_equal(nl + 1, want_line);
    if (!with_line)
        nl[1] = '\0';
    if (strcmp(got, held) != 0)
        fprintf(stderr, "got:\n%s\nexpected:\n%s\n", got, held);
    assert_string_equal(got, held);
    free(got);
    free(held);
}

static void file_source_should_show_the_line_read_again(void **state)
{
    (void)state;
    expect_print(utf8_csv, sizeof utf8_csv - 1, NULL, true);
}

static void file_source_should_decode_windows_1252_again(void **state)
{
    (void)state;
    expect_print(cp1252_csv, sizeof cp1252_csv - 1, NULL, true);
}

static void rewrite_same_size(const char *path)
{
    /* the same length, other bytes: only the file's times tell */
    char other[sizeof utf8_csv];
    memcpy(other, utf8_csv, sizeof other);
    other[sizeof other - 3] = 'M';     /* "dos mil" becomes "dos miM" */
    struct timespec t = {0, 30000000}; /* past the clock's tick */
    nanosleep(&t, NULL);
    write_file(path, other, sizeof other - 1);
}

static void rewrite_longer(const char *path)
{
    write_file(path, "a,b\n1,2\n3,4\n5,6\n", 16);
}

static void remove_file(const char *path)
{
    unlink(path);
}

static void changed_file_should_show_no_line(void **state)
{
    (void)state;
    expect_print(utf8_csv, sizeof utf8_csv - 1, rewrite_same_size, false);
    expect_print(utf8_csv, sizeof utf8_csv - 1, rewrite_longer, false);
    expect_print(utf8_csv, sizeof utf8_csv - 1, remove_file, false);
}

static void copied_source_should_show_the_line(void **state)
{
    (void)state;
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct rawcsv raw;
    struct table t;
    struct type_request req = {"año", V_INT, 0, 0, NULL};
    /* read from memory: the text is held to the end */
    assert_true(csvfile_read_mem(a, &d, "mem.csv", cp1252_csv,
                                 sizeof cp1252_csv - 1, NULL, &raw));
    assert_false(csvfile_to_table(a, &d, &raw, &req, 1, &t));
    /* held by d: the delimiters written over are put back */
    csvfile_release(&d, &raw);
    arena_free(a);
    char *got = printed(&d);
    diag_release(&d);
    char *nl = strchr(got, '\n');
    assert_non_null(nl);
    assert_string_equal(nl + 1, want_line);
    free(got);
}

/* A file whose decoding fails (a NUL byte) is read again, good or not,
 * as its first reading gave it: the NUL as U+FFFD, the same length; a
 * file gone gives nothing. */
static void file_that_fails_decoding_is_read_again_whole(void **state)
{
    (void)state;
    char path[] = "/tmp/informe-diag-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    static const char bad[] = "a,b\n1,\0\n";
    write_file(path, bad, sizeof bad - 1);
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct rawcsv raw;
    assert_false(csvfile_read_file(a, &d, path, NULL, &raw));
    size_t len;
    char *again = csvtext_reread(path, &len);
    assert_non_null(again);
    assert_int_equal(len, strlen("a,b\n1,\xEF\xBF\xBD\n"));
    assert_string_equal(again, "a,b\n1,\xEF\xBF\xBD\n");
    free(again);
    diag_release(&d);
    arena_free(a);
    unlink(path);
    assert_null(csvtext_reread(path, &len));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_source_should_show_the_line_read_again),
        cmocka_unit_test(file_source_should_decode_windows_1252_again),
        cmocka_unit_test(changed_file_should_show_no_line),
        cmocka_unit_test(copied_source_should_show_the_line),
        cmocka_unit_test(file_that_fails_decoding_is_read_again_whole),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
