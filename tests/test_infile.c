/* test_infile: the one reader of input files: regular files only, the
 * file_size limit, messages with the reason of the failing call. */
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "base/infile.h"
#include "base/limits.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static char *first(const struct diag *d)
{
    assert_true(d->n > 0);
    return diag_format(&d->msgs[0]);
}

static void expect_refusal(const char *path, const char *noun,
                           const struct infile_ref *ref, int code,
                           const char *want)
{
    struct diag d;
    diag_init(&d);
    char *data = NULL;
    size_t len = 1;
    bool ok = infile_read(&d, path, noun, ref, NULL, &data, &len);
    char *got = d.n ? first(&d) : NULL;
    int dcode = (int)d.code;
    diag_release(&d);
    assert_false(ok);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_int_equal(dcode, code);
    assert_non_null(got);
    if (strcmp(got, want) != 0) {
        fprintf(stderr, "got:      %s\nexpected: %s\n", got, want);
        free(got);
        fail();
    }
    free(got);
}

static void infile_should_read_a_regular_file_whole(void **state)
{
    (void)state;
    struct diag d;
    diag_init(&d);
    struct arena *a = arena_new();
    char *data;
    size_t len;
    assert_true(infile_read(&d, TEST_ROOT "/tests/data/eval/plan.csv",
                            "el archivo de datos", NULL, a, &data, &len));
    FILE *f = fopen(TEST_ROOT "/tests/data/eval/plan.csv", "rb");
    assert_non_null(f);
    char want[65536];
    size_t n = fread(want, 1, sizeof want, f);
    fclose(f);
    assert_int_equal(len, n);
    assert_memory_equal(data, want, n);
    assert_int_equal(data[len], '\0');
    assert_int_equal(d.n, 0);
    arena_free(a);
    diag_release(&d);
}

static void infile_should_refuse_a_device(void **state)
{
    (void)state;
    expect_refusal("/dev/zero", "la plantilla", NULL, EXIT_NOINPUT,
                   "/dev/zero: error: no se puede leer la plantilla: es un "
                   "dispositivo, no un archivo regular");
}

static void infile_should_refuse_a_folder_at_the_key_naming_it(void **state)
{
    (void)state;
    struct infile_ref ref = {"informe.yaml", 4, 11};
    expect_refusal(TEST_ROOT "/tests", "el archivo de datos", &ref,
                   EXIT_NOINPUT,
                   "informe.yaml:4:11: error: no se puede leer el archivo de "
                   "datos './tests': es una carpeta, no un archivo");
}

static void infile_should_name_the_reason_of_a_missing_file(void **state)
{
    (void)state;
    expect_refusal("no-existe/x.png", "la imagen", NULL, EXIT_NOINPUT,
                   "no-existe/x.png: error: no se puede leer la imagen: el "
                   "archivo no existe");
}

static void infile_should_refuse_a_file_over_file_size(void **state)
{
    (void)state;
    const char *why;
    assert_true(limits_set("file_size=1", &why));
    /* one byte more than one MiB */
    char path[] = "/tmp/informe-infile-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    for (int i = 0; i < (1 << 20) + 1; i++)
        fputc('a', f);
    fclose(f);
    char want[256];
    snprintf(want, sizeof want,
             "%s: error: la fuente (2 MiB) supera el límite de 1 MiB "
             "(límite 'file_size'; súbalo con --limit file_size=4)",
             path);
    expect_refusal(path, "la fuente", NULL, EXIT_DATAERR, want);
    remove(path);
    limits_reset();
}

static void touch(const char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fclose(f);
}

static void infile_should_list_the_csv_files_of_a_folder(void **state)
{
    (void)state;
    char dir[] = "/tmp/informe-list-XXXXXX";
    assert_non_null(mkdtemp(dir));
    touch(dir, "plan.csv");
    touch(dir, "metas.csv");
    touch(dir, "notas.txt");
    char sub[256];
    snprintf(sub, sizeof sub, "%s/carpeta.csv", dir);
    assert_int_equal(mkdir(sub, 0700), 0);

    struct arena *a = arena_new();
    size_t n;
    const char **names = infile_list(a, dir, ".csv", &n);
    /* sorted, regular files only, with the ending asked for */
    assert_int_equal(n, 2);
    assert_string_equal(names[0], "metas.csv");
    assert_string_equal(names[1], "plan.csv");
    assert_null(infile_list(a, "tests/data/no-existe", ".csv", &n));
    assert_int_equal(n, 0);
    arena_free(a);

    rmdir(sub);
    const char *files[] = {"plan.csv", "metas.csv", "notas.txt"};
    for (size_t i = 0; i < 3; i++) {
        char path[256];
        snprintf(path, sizeof path, "%s/%s", dir, files[i]);
        unlink(path);
    }
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(infile_should_read_a_regular_file_whole),
        cmocka_unit_test(infile_should_refuse_a_device),
        cmocka_unit_test(infile_should_refuse_a_folder_at_the_key_naming_it),
        cmocka_unit_test(infile_should_name_the_reason_of_a_missing_file),
        cmocka_unit_test(infile_should_refuse_a_file_over_file_size),
        cmocka_unit_test(infile_should_list_the_csv_files_of_a_folder),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
