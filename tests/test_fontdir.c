/* test_fontdir: which folder the fonts are read from (cli/fontdir.h):
 * --fonts and INFORME_FONTS alone when given, else the search in order,
 * the first folder holding the template's regular face, and the message
 * naming every folder searched. */
#include "testutil.h"
#include "fixture.h"

#include "base/infile.h"
#include "cli/fontdir.h"
#include "template/tree.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct tnode *template(struct fx *f, const char *text)
{
    const struct tnode *root =
        tree_load_mem(f->a, &f->d, "t.yaml", text, strlen(text));
    assert_non_null(root);
    return root;
}

static void fontdir_should_take_the_folder_given_alone(void **state)
{
    struct fx *f = *state;
    struct fontdir_place p[FONTDIR_MAX];
    setenv("INFORME_FONTS", "desde-el-entorno", 1);
    assert_int_equal(fontdir_places(f->a, "dada", p), 1);
    assert_string_equal(p[0].dir, "dada");
    assert_string_equal(p[0].why, "--fonts");
    assert_int_equal(fontdir_places(f->a, NULL, p), 1);
    assert_string_equal(p[0].dir, "desde-el-entorno");
    assert_string_equal(p[0].why, "INFORME_FONTS");
    unsetenv("INFORME_FONTS");
}

static void fontdir_should_search_in_order_from_the_binary(void **state)
{
    struct fx *f = *state;
    struct fontdir_place p[FONTDIR_MAX];
    unsetenv("INFORME_FONTS");
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    assert_true(n > 0);
    exe[n] = '\0';
    *strrchr(exe, '/') = '\0'; /* .../build/san */
    char beside[PATH_MAX + 8], up[PATH_MAX + 32];
    snprintf(beside, sizeof beside, "%s/fonts", exe);
    *strrchr(exe, '/') = '\0'; /* .../build */
    snprintf(up, sizeof up, "%s/share/informe/fonts", exe);

    assert_int_equal(fontdir_places(f->a, NULL, p), 4);
    assert_string_equal(p[0].dir, "fonts");
    assert_string_equal(p[1].dir, beside);
    assert_string_equal(p[2].dir, up);
    assert_string_equal(p[2].why, "relativa al programa");
    assert_string_equal(p[3].why, "prefijo de instalación");
    assert_non_null(strstr(p[3].dir, "/share/informe/fonts"));
}

static void fontdir_should_choose_the_first_holding_the_face(void **state)
{
    struct fx *f = *state;
    unsetenv("INFORME_FONTS");
    char cwd[PATH_MAX], tmpl[] = "/tmp/test_fontdir-XXXXXX";
    assert_non_null(getcwd(cwd, sizeof cwd));
    assert_non_null(mkdtemp(tmpl));
    assert_int_equal(chdir(tmpl), 0);
    assert_int_equal(mkdir("fonts", 0777), 0);
    FILE *fp = fopen("fonts/Propia-Regular.ttf", "w");
    assert_non_null(fp);
    fclose(fp);

    /* The current folder's fonts/ holds the face the template names. */
    const struct tnode *own = template(
        f, "report:\n  fonts:\n    regular: Propia-Regular.ttf\nbody: []\n");
    const char *dir = fontdir_find(f->a, NULL, own, &f->d);
    assert_non_null(dir);
    assert_string_equal(dir, "fonts");
    assert_int_equal(f->d.n, 0);

    /* A face nowhere: the error at the key, then one note a folder. */
    const struct tnode *none = template(
        f, "report:\n  fonts:\n    regular: Nada-Regular.ttf\nbody: []\n");
    assert_null(fontdir_find(f->a, "fonts", none, &f->d));
    assert_int_equal(f->d.code, EXIT_NOINPUT);
    assert_int_equal(f->d.n, 2);
    assert_string_equal(
        test_msg(f->a, &f->d, 0),
        "t.yaml:3:14: error: no se encuentra la fuente 'Nada-Regular.ttf' en "
        "ninguna carpeta de fuentes; dé la carpeta con --fonts DIR o con la "
        "variable INFORME_FONTS");
    assert_string_equal(test_msg(f->a, &f->d, 1),
                        "informe: nota: se buscó en 'fonts' (--fonts)");

    remove("fonts/Propia-Regular.ttf");
    rmdir("fonts");
    assert_int_equal(chdir(cwd), 0);
    rmdir(tmpl);
}

/* The observer render --watch uses sees every path opened, even one that
 * does not exist. */
static void seen(void *ctx, const char *path)
{
    size_t *n = ctx;
    if (strcmp(path, "no-existe.csv") == 0)
        ++*n;
}

static void infile_should_tell_the_observer_every_path(void **state)
{
    struct fx *f = *state;
    size_t n = 0;
    size_t size;
    infile_observe(seen, &n);
    assert_int_equal(
        infile_open(&f->d, "no-existe.csv", "el archivo", NULL, &size), -1);
    infile_observe(NULL, NULL);
    assert_int_equal(
        infile_open(&f->d, "no-existe.csv", "el archivo", NULL, &size), -1);
    assert_int_equal(n, 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            fontdir_should_take_the_folder_given_alone, setup, teardown),
        cmocka_unit_test_setup_teardown(
            fontdir_should_search_in_order_from_the_binary, setup, teardown),
        cmocka_unit_test_setup_teardown(
            fontdir_should_choose_the_first_holding_the_face, setup, teardown),
        cmocka_unit_test_setup_teardown(
            infile_should_tell_the_observer_every_path, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
