/* test_diag: the line shown under a message, from a source copied when it
 * was registered or from a data file read again only to print it (and
 * not shown once that file has changed). */
#include "testutil.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "data/csvfile.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* A row of three fields under a header of two: an error at line 3. */
static const char utf8_csv[] = "código,año\n1,2018\n2,Medellín,x\n";
/* The same in Windows-1252, with CRLF line ends. */
static const char cp1252_csv[] = "c\xF3"
                                 "digo,a\xF1o\r\n1,2018\r\n2,Medell\xEDn,x\r\n";
static const char want_line[] = "     3 | 2,Medellín,x\n"
                                "       |            ^\n";

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

/* What a read of path prints: its one error, and the line if shown. */
static char *read_and_print(const char *path, void (*between)(const char *))
{
    struct arena *a = arena_new();
    struct diag d;
    diag_init(&d);
    struct rawcsv raw;
    assert_false(csvfile_read_file(a, &d, path, NULL, &raw));
    arena_free(a); /* the file's text is gone: only the path is kept */
    if (between)
        between(path);
    char *out = printed(&d);
    diag_release(&d);
    return out;
}

static char *expected(const char *path, bool with_line)
{
    struct buf b;
    buf_init(&b);
    buf_printf(&b,
               "%s:3:12: error: la fila tiene 3 campos, pero el encabezado "
               "tiene 2: sobra desde el campo 3 (¿un ',' de más, o un texto "
               "con ',' sin comillas?)\n%s",
               path, with_line ? want_line : "");
    return buf_detach(&b, NULL);
}

static void expect_print(const char *src, size_t n,
                         void (*between)(const char *), bool with_line)
{
    char path[] = "/tmp/test_diag_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_file(path, src, n);
    char *got = read_and_print(path, between);
    char *want = expected(path, with_line);
    unlink(path);
    if (strcmp(got, want) != 0)
        fprintf(stderr, "got:\n%s\nexpected:\n%s\n", got, want);
    assert_string_equal(got, want);
    free(got);
    free(want);
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
    other[sizeof other - 3] = 'y';
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
    /* read from memory: the text is copied when registered */
    assert_false(csvfile_read_mem(a, &d, "mem.csv", cp1252_csv,
                                  sizeof cp1252_csv - 1, NULL, &raw));
    arena_free(a);
    char *got = printed(&d);
    diag_release(&d);
    char *want = expected("mem.csv", true);
    assert_string_equal(got, want);
    free(got);
    free(want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(file_source_should_show_the_line_read_again),
        cmocka_unit_test(file_source_should_decode_windows_1252_again),
        cmocka_unit_test(changed_file_should_show_no_line),
        cmocka_unit_test(copied_source_should_show_the_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
