/* test_pdfout: hand-built display-list pages written to real PDF files,
 * checked with qpdf and poppler (text, fonts, encryption) and for the
 * atomic-save and error paths. */
#include "fontutil.h"
#include "testutil.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "media/font.h"
#include "pdf/pdfout.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#define IMG TEST_ROOT "/tests/data/img/"

struct fixture {
    char dir[64]; /* a fresh temporary folder */
    struct diag d;
    struct doc_settings set;
    struct fontset fonts; /* loaded as informe loads them */
    struct arena *arena;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/informe-pdfout-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    diag_init(&f->d);
    doc_settings_default(&f->set);
    f->set.title = "Informe de gestión — 2018";
    f->set.author = "Oficina Asesora de Planeación";
    f->set.subject = "Comité Institucional";
    f->set.keywords = "MIPG, FURAG";
    f->set.created = 1522540800; /* 2018-04-01 00:00:00 UTC */
    assert_true(test_fonts_load(&f->fonts, &f->d));
    f->arena = arena_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    assert_int_equal(system(cmd), 0);
    diag_release(&f->d);
    fontset_release(&f->fonts);
    arena_free(f->arena);
    free(f);
    return 0;
}

static char *path_in(struct fixture *f, const char *name)
{
    return arena_printf(f->arena, "%s/%s", f->dir, name);
}

/* Runs a shell command; returns its exit status and fills *out and *err
 * (caller frees). */
static int run(struct fixture *f, const char *cmd, char **out, char **err)
{
    char *o = path_in(f, "cmd.out"), *e = path_in(f, "cmd.err");
    char *full = arena_printf(f->arena, "(%s) >'%s' 2>'%s'", cmd, o, e);
    int status = system(full);
    *out = test_read_file(o, NULL);
    *err = test_read_file(e, NULL);
    unlink(o);
    unlink(e);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static void assert_one_error(struct fixture *f, enum exit_code code,
                             const char *text)
{
    assert_int_equal(f->d.errors, 1);
    assert_int_equal(f->d.code, code);
    char *s = diag_format(&f->d.msgs[0]);
    assert_string_equal(s, text);
    free(s);
}

/* Files in the test folder whose name starts with a dot (temporaries). */
static int hidden_files(struct fixture *f)
{
    DIR *dir = opendir(f->dir);
    assert_non_null(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL)
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") != 0 &&
            strcmp(e->d_name, "..") != 0)
            n++;
    closedir(dir);
    return n;
}

/* ---- the sample document ------------------------------------------------- */

static const char *const page1_lines[] = {
    "Informe de gestión: acción, energía, índice, próximo, último, año",
    "¿Qué pasó? ¡Todo bien! Costo € 1.234,56 — “citado”",
};

/* Two letter pages: text in regular and bold, a table-like rectangle, a
 * rule, a picture with alpha, a link from page 1 forward to page 2, and
 * bookmarks on two levels. */
static bool write_sample(struct pdfout *w)
{
    struct arena *a = arena_new();
    struct dl_page p;
    bool ok = true;

    dl_page_init(&p, a, 1, 612, 792);
    dl_bookmark(&p, "1. Resultados de gestión", 1, 72);
    dl_rect(&p, 72, 60, 468, 20, 0x1F4E79, COLOR_NONE, 0);
    dl_text(&p, 76, 74, FACE_BOLD, 12, 0xFFFFFF, "Título en negrita",
            strlen("Título en negrita"), 100);
    for (size_t i = 0; i < 2; i++)
        dl_text(&p, 72, 110 + 14 * (float)i, FACE_REGULAR, 10, 0x000000,
                page1_lines[i], strlen(page1_lines[i]), 400);
    dl_line(&p, 72, 140, 540, 140, 0x808080, 0.5f);
    dl_rect(&p, 72, 150, 100, 30, COLOR_NONE, 0x000000, 1);
    dl_image(&p, 200, 150, 40, 30, IMG "rgba.png");
    dl_bookmark(&p, "1.1. Índice de desempeño", 2, 200);
    dl_text(&p, 72, 220, FACE_REGULAR, 10, 0x1F4E79, "Ir a la página 2",
            strlen("Ir a la página 2"), 80);
    dl_link(&p, 72, 210, 80, 12, 2, 72);
    ok = ok && pdfout_page(w, &p);
    arena_reset(a);

    dl_page_init(&p, a, 2, 612, 792);
    dl_bookmark(&p, "2. Plan de acción", 1, 72);
    dl_text(&p, 72, 80, FACE_REGULAR, 10, 0x404040, "Página 2 de 2",
            strlen("Página 2 de 2"), 60);
    ok = ok && pdfout_page(w, &p);
    arena_free(a);
    return ok;
}

static const char sample_text[] =
    "Título en negrita\n"
    "Informe de gestión: acción, energía, índice, próximo, último, año\n"
    "¿Qué pasó? ¡Todo bien! Costo € 1.234,56 — “citado”\n"
    "\n"
    "Ir a la página 2\n"
    "\n"
    "\f"
    "Página 2 de 2\n"
    "\n"
    "\f";

static bool save_sample(struct fixture *f, const char *path)
{
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    if (!write_sample(w)) {
        pdfout_discard(w);
        return false;
    }
    return pdfout_save(w, path);
}

static void assert_text(struct fixture *f, const char *pdf, const char *want)
{
    char *out, *err;
    char *cmd = arena_printf(f->arena, "pdftotext '%s' -", pdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    assert_string_equal(err, ""); /* no ToUnicode or syntax warning */
    assert_string_equal(out, want);
    free(out);
    free(err);
}

/* ---- tests --------------------------------------------------------------- */

static void sample_should_pass_qpdf_check(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "sample.pdf");
    assert_true(save_sample(f, pdf));
    assert_int_equal(f->d.n, 0);
    char *out, *err;
    char *cmd = arena_printf(f->arena, "qpdf --check '%s'", pdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    assert_non_null(strstr(out, "No syntax or stream encoding errors"));
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void sample_text_should_extract_exactly(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "sample.pdf");
    assert_true(save_sample(f, pdf));
    assert_text(f, pdf, sample_text);
}

static void only_used_faces_should_be_embedded_as_subsets(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "sample.pdf");
    assert_true(save_sample(f, pdf));
    char *out, *err;
    char *cmd = arena_printf(f->arena, "pdffonts '%s'", pdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    assert_string_equal(err, "");
    /* Two header lines, then one line a font: regular and bold only. */
    int fonts = 0;
    char *save = NULL;
    int line = 0;
    for (char *l = strtok_r(out, "\n", &save); l;
         l = strtok_r(NULL, "\n", &save), line++) {
        if (line < 2)
            continue;
        fonts++;
        assert_non_null(strstr(l, "CID TrueType"));
        assert_non_null(strstr(l, "Identity-H"));
        assert_non_null(strstr(l, "yes yes yes"));
        /* A subset tag, then the face: "MUZQSF+LiberationSans". */
        assert_true(strncmp(l + 6, "+LiberationSans", 15) == 0);
    }
    assert_int_equal(fonts, 2);
    free(out);
    free(err);
}

static void faces_sharing_a_file_should_embed_it_once(void **state)
{
    struct fixture *f = *state;
    static const char *const regular[FACE_COUNT] = {
        "LiberationSans-Regular.ttf", NULL, NULL, NULL};
    fontset_release(&f->fonts);
    assert_true(fontset_load(&f->fonts, TEST_ROOT "/fonts", regular, &f->d));
    char *pdf = path_in(f, "one.pdf");
    assert_true(save_sample(f, pdf));
    char *out, *err;
    char *cmd =
        arena_printf(f->arena, "pdffonts '%s' | tail -n +3 | wc -l", pdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    assert_string_equal(out, "1\n");
    free(out);
    free(err);
}

static void tounicode_should_be_ours_and_the_only_one(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "sample.pdf");
    assert_true(save_sample(f, pdf));
    char *out, *err;
    /* Uncompressed copy: every ToUnicode stream is an identity bfrange
     * map, and libharu's cidrange map is nowhere in the file. */
    char *qdf = path_in(f, "sample.qdf");
    char *cmd = arena_printf(f->arena,
                             "qpdf --qdf --object-streams=disable '%s' '%s' "
                             "&& grep -ac 'begincidrange' '%s'",
                             pdf, qdf, qdf);
    assert_int_equal(run(f, cmd, &out, &err), 1); /* grep found none */
    assert_string_equal(out, "0\n");
    free(out);
    free(err);
    cmd = arena_printf(f->arena,
                       "grep -ac '^<0000> <00FF> <0000>$' '%s' && "
                       "grep -ac '^<D700> <D7FF> <D700>$' '%s' && "
                       "grep -ac '^<D800>' '%s'",
                       qdf, qdf, qdf);
    assert_int_equal(run(f, cmd, &out, &err), 1);
    assert_string_equal(out, "1\n1\n0\n"); /* one map the fonts share */
    free(out);
    free(err);
}

/* The content streams are written by informe: literal strings of
 * two-byte codes, with '(' ')' '\\' and line-end bytes (č is 0x010D)
 * escaped; the fonts get widths and a glyph map for exactly the
 * characters drawn. Word boxes come from the widths: "Año" at 10 pt is
 * (666 + 556 + 556) / 100 points wide (libharu's whole thousandths of an
 * em: A is 1366/2048). */
static void drawn_characters_should_extract_and_measure_exactly(void **state)
{
    struct fixture *f = *state;
    static const char line[] = "Año (1) \\ 20 € [ok] čĊ";
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    struct dl_page p;
    dl_page_init(&p, a, 1, 612, 792);
    dl_text(&p, 72, 100, FACE_REGULAR, 10, 0x000000, line, strlen(line), 200);
    assert_true(pdfout_page(w, &p));
    arena_free(a);
    char *pdf = path_in(f, "chars.pdf");
    assert_true(pdfout_save(w, pdf));
    assert_text(f, pdf, "Año (1) \\ 20 € [ok] čĊ\n\n\f");
    char *out, *err;
    char *cmd = arena_printf(f->arena,
                             "pdftotext -bbox '%s' - | grep '>Año<' | "
                             "sed 's/.*xMin=\"\\([0-9.]*\\)\".*"
                             "xMax=\"\\([0-9.]*\\)\".*/\\1 \\2/'",
                             pdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    assert_string_equal(out, "72.000000 89.780000\n");
    free(out);
    free(err);
}

static void metadata_should_be_in_the_info_dictionary(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "sample.pdf");
    assert_true(save_sample(f, pdf));
    char *out, *err;
    char *cmd = arena_printf(f->arena,
                             "pdfinfo -isodates '%s' | grep -E "
                             "'^(Title|Subject|Keywords|Author|Creator|"
                             "CreationDate|ModDate|Pages|Encrypted):'",
                             pdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    assert_string_equal(out, "Title:           Informe de gestión — 2018\n"
                             "Subject:         Comité Institucional\n"
                             "Keywords:        MIPG, FURAG\n"
                             "Author:          Oficina Asesora de Planeación\n"
                             "Creator:         informe\n"
                             "CreationDate:    2018-04-01T00:00:00Z\n"
                             "ModDate:         2018-04-01T00:00:00Z\n"
                             "Pages:           2\n"
                             "Encrypted:       no\n");
    assert_string_equal(err, "");
    free(out);
    free(err);
}

static void same_input_should_give_identical_bytes(void **state)
{
    struct fixture *f = *state;
    char *a = path_in(f, "a.pdf"), *b = path_in(f, "b.pdf");
    assert_true(save_sample(f, a));
    assert_true(save_sample(f, b));
    size_t na, nb;
    char *da = test_read_file(a, &na), *db = test_read_file(b, &nb);
    assert_true(na > 1000);
    assert_int_equal(na, nb);
    assert_memory_equal(da, db, na);
    /* No /ID: nothing time-based in the file. */
    assert_null(strstr(da, "/ID"));
    free(da);
    free(db);
}

/* The sample as PDF/A-1b, in memory. */
static void pdfa_sample(struct fixture *f, struct buf *out)
{
    f->set.pdfa = true;
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    assert_true(write_sample(w));
    buf_init(out);
    assert_true(pdfout_save_mem(w, "informe.pdf", out));
}

/* Where s is in b's bytes (which hold NULs), or NULL. */
static const char *find(const struct buf *b, const char *s)
{
    size_t n = strlen(s);
    for (size_t i = 0; i + n <= b->len; i++)
        if (memcmp(b->data + i, s, n) == 0)
            return b->data + i;
    return NULL;
}

/* The trailer's /ID of a PDF/A file: twice the same 16 bytes. */
static char *trailer_id(struct fixture *f, const struct buf *b)
{
    const char *id = find(b, "/ID [ <");
    assert_non_null(id);
    char *hex = arena_strndup(f->arena, id + 7, 32);
    for (size_t i = 0; i < 32; i++)
        assert_non_null(strchr("0123456789ABCDEF", hex[i]));
    assert_memory_equal(id + 7 + 32, "> <", 3);
    assert_memory_equal(id + 7 + 35, hex, 32);
    return hex;
}

/* PDF/A: the same bytes twice, an /ID made of the content (another title,
 * another /ID), the picture's alpha flattened (no soft mask), an output
 * intent. */
static void pdfa_should_be_reproducible_with_a_content_id(void **state)
{
    struct fixture *f = *state;
    struct buf a, b, c;
    pdfa_sample(f, &a);
    pdfa_sample(f, &b);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    char *id = trailer_id(f, &a);
    assert_null(find(&a, "/SMask"));
    assert_non_null(find(&a, "/GTS_PDFA1"));
    f->set.title = "Otro título";
    pdfa_sample(f, &c);
    assert_string_not_equal(trailer_id(f, &c), id);
    buf_release(&a);
    buf_release(&b);
    buf_release(&c);
}

/* pdfout_save_mem gives the same bytes as pdfout_save. */
static void memory_save_should_give_the_file_bytes(void **state)
{
    struct fixture *f = *state;
    char *a = path_in(f, "a.pdf");
    assert_true(save_sample(f, a));
    size_t na;
    char *da = test_read_file(a, &na);
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    assert_true(write_sample(w));
    struct buf b;
    buf_init(&b);
    buf_adds(&b, "x"); /* appended after what is there */
    assert_true(pdfout_save_mem(w, "informe.pdf", &b));
    assert_int_equal(b.len, na + 1);
    assert_memory_equal(b.data + 1, da, na);
    buf_release(&b);
    free(da);
}

static void memory_save_of_no_page_should_fail(void **state)
{
    struct fixture *f = *state;
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct buf b;
    buf_init(&b);
    assert_false(pdfout_save_mem(w, "informe.pdf", &b));
    assert_int_equal(b.len, 0);
    buf_release(&b);
    assert_one_error(f, EXIT_SOFTWARE,
                     "informe: error: el documento 'informe.pdf' no tiene "
                     "páginas");
}

static void no_date_should_be_written_when_created_is_negative(void **state)
{
    struct fixture *f = *state;
    f->set.created = -1;
    char *pdf = path_in(f, "nodate.pdf");
    assert_true(save_sample(f, pdf));
    char *out, *err;
    char *cmd = arena_printf(f->arena, "pdfinfo '%s' | grep -c Date", pdf);
    assert_int_equal(run(f, cmd, &out, &err), 1);
    assert_string_equal(out, "0\n");
    free(out);
    free(err);
}

static void link_should_point_to_the_later_page(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "sample.pdf");
    char *qdf = path_in(f, "sample.qdf");
    assert_true(save_sample(f, pdf));
    char *out, *err;
    /* Page objects as numbered in the QDF copy, then every destination
     * array, one a line. */
    char *cmd =
        arena_printf(f->arena,
                     "qpdf --qdf --object-streams=disable '%s' '%s' && "
                     "qpdf --show-pages '%s' | sed -n 's/^page \\([12]\\): "
                     "\\([0-9]*\\) 0 R$/p\\1=\\2/p' && "
                     "tr -s ' \\n' ' ' <'%s' | "
                     "grep -ao '\\[ [0-9]* 0 R /FitH [0-9.]* \\]' | sort",
                     pdf, qdf, qdf, qdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    unsigned p1, p2;
    assert_int_equal(sscanf(out, "p1=%u\np2=%u\n", &p1, &p2), 2);
    /* Bookmarks: chapter 1 at page 1 top, 1.1 lower on page 1, chapter 2
     * at page 2 top; the link: page 2 at 792 - 72. */
    char *want = arena_printf(f->arena,
                              "p1=%u\np2=%u\n"
                              "[ %u 0 R /FitH 592 ]\n"
                              "[ %u 0 R /FitH 720 ]\n"
                              "[ %u 0 R /FitH 720 ]\n"
                              "[ %u 0 R /FitH 720 ]\n",
                              p1, p2, p1, p1, p2, p2);
    assert_string_equal(out, want);
    free(out);
    free(err);
    cmd = arena_printf(f->arena,
                       "grep -a -c '/Subtype /Link' '%s' && "
                       "grep -a -A4 '/Border' '%s' | tr -s ' \\n' ' '",
                       qdf, qdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    /* One link, with its border hidden. */
    assert_string_equal(out, "1\n /Border [ 0 0 0 ] ");
    free(out);
    free(err);
}

static void bookmarks_should_nest_by_level(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "sample.pdf");
    assert_true(save_sample(f, pdf));
    char *out, *err;
    char *cmd = arena_printf(f->arena, "mutool show '%s' outline", pdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    assert_non_null(strstr(out, "\"1. Resultados de gestión\""));
    /* The level-2 entry is indented under the first chapter. */
    char *first = strstr(out, "1. Resultados");
    char *child = strstr(out, "1.1. Índice de desempeño");
    char *second = strstr(out, "2. Plan de acción");
    assert_non_null(first);
    assert_non_null(child);
    assert_non_null(second);
    assert_true(first < child && child < second);
    /* mutool indents a child one tab further than its parent. */
    assert_non_null(strstr(out, "\t\t"));
    free(out);
    free(err);
}

static void missing_folder_should_fail_with_cantcreat(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "no-such-folder/x.pdf");
    assert_false(save_sample(f, pdf));
    char *want = arena_printf(f->arena,
                              "informe: error: no se puede escribir '%s': "
                              "No such file or directory",
                              pdf);
    assert_one_error(f, EXIT_CANTCREAT, want);
    assert_int_equal(hidden_files(f), 0);
}

static void failed_rename_should_leave_no_temporary_file(void **state)
{
    struct fixture *f = *state;
    /* The destination is a folder that is not empty: rename must fail
     * after the temporary file was written. */
    char *pdf = path_in(f, "busy");
    assert_int_equal(mkdir(pdf, 0755), 0);
    char *inside = path_in(f, "busy/keep");
    FILE *fp = fopen(inside, "w");
    assert_non_null(fp);
    fclose(fp);
    assert_false(save_sample(f, pdf));
    char *want = arena_printf(f->arena,
                              "informe: error: no se puede escribir '%s': "
                              "Is a directory",
                              pdf);
    assert_one_error(f, EXIT_CANTCREAT, want);
    assert_int_equal(hidden_files(f), 0);
    assert_int_equal(access(inside, F_OK), 0);
}

static void failed_document_should_leave_the_previous_file(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "report.pdf");
    FILE *fp = fopen(pdf, "w");
    assert_non_null(fp);
    fputs("previous", fp);
    fclose(fp);

    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    struct dl_page p;
    dl_page_init(&p, a, 1, 612, 792);
    dl_text(&p, 72, 72, FACE_REGULAR, 10, 0, "Contenido", 9, 50);
    dl_link(&p, 72, 62, 50, 12, 5, 72); /* page 5 never comes */
    assert_true(pdfout_page(w, &p));
    arena_free(a);
    assert_false(pdfout_save(w, pdf));
    assert_one_error(f, EXIT_SOFTWARE,
                     "informe: error: la página 1 enlaza a la página 5, que "
                     "no existe (el documento tiene 1)");
    size_t n;
    char *data = test_read_file(pdf, &n);
    assert_string_equal(data, "previous");
    free(data);
    assert_int_equal(hidden_files(f), 0);
}

static void new_file_should_get_the_usual_mode(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "new.pdf");
    mode_t old = umask(027);
    bool ok = save_sample(f, pdf);
    umask(old);
    assert_true(ok);
    struct stat st;
    assert_int_equal(stat(pdf, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
}

static void overwrite_should_replace_the_file_and_keep_its_mode(void **state)
{
    struct fixture *f = *state;
    char *pdf = path_in(f, "report.pdf");
    FILE *fp = fopen(pdf, "w");
    assert_non_null(fp);
    fputs("previous", fp);
    fclose(fp);
    assert_int_equal(chmod(pdf, 0640), 0);
    assert_true(save_sample(f, pdf));
    struct stat st;
    assert_int_equal(stat(pdf, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640);
    assert_true(st.st_size > 1000);
    assert_int_equal(hidden_files(f), 0);
}

static bool draw_one_image(struct fixture *f, const char *path)
{
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    struct dl_page p;
    dl_page_init(&p, a, 1, 612, 792);
    dl_image(&p, 72, 72, 100, 50, path);
    bool ok = pdfout_page(w, &p);
    arena_free(a);
    if (!ok) {
        /* A failed writer refuses further pages. */
        dl_page_init(&p, f->arena, 2, 612, 792);
        assert_false(pdfout_page(w, &p));
        pdfout_discard(w);
        return false;
    }
    return pdfout_save(w, path_in(f, "img.pdf"));
}

static void corrupt_png_should_stop_the_document(void **state)
{
    struct fixture *f = *state;
    assert_false(draw_one_image(f, IMG "corrupt.png"));
    assert_one_error(f, EXIT_DATAERR,
                     "informe: error: la imagen PNG "
                     "'./tests/data/img/corrupt.png' está dañada");
}

static void truncated_jpeg_should_stop_the_document(void **state)
{
    struct fixture *f = *state;
    assert_false(draw_one_image(f, IMG "truncated.jpg"));
    assert_one_error(f, EXIT_DATAERR,
                     "informe: error: la imagen JPEG "
                     "'./tests/data/img/truncated.jpg' está incompleta");
}

static void missing_image_should_name_the_path(void **state)
{
    struct fixture *f = *state;
    assert_false(draw_one_image(f, "logos/escudo.png"));
    assert_one_error(f, EXIT_NOINPUT,
                     "logos/escudo.png: error: no se puede leer la imagen: "
                     "el archivo no existe");
}

static void every_image_kind_should_embed(void **state)
{
    struct fixture *f = *state;
    static const char *const names[] = {
        "rgb.png",     "rgba.png",        "grey.png",     "grey_alpha.png",
        "palette.png", "rgb16.png",       "trns_rgb.png", "interlaced.png",
        "photo.jpg",   "progressive.jpg",
    };
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    struct dl_page p;
    dl_page_init(&p, a, 1, 612, 792);
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *path = arena_printf(f->arena, IMG "%s", names[i]);
        dl_image(&p, 72, 72 + 40 * (float)i, 40, 30, path);
        dl_image(&p, 150, 72 + 40 * (float)i, 40, 30, path); /* cached */
    }
    assert_true(pdfout_page(w, &p));
    arena_free(a);
    char *pdf = path_in(f, "images.pdf");
    assert_true(pdfout_save(w, pdf));
    assert_int_equal(f->d.n, 0);
    char *out, *err;
    char *cmd = arena_printf(f->arena,
                             "qpdf --check '%s' >/dev/null && "
                             "pdfimages -list '%s' | tail -n +3 | "
                             "awk '{print $3, $4, $5, $6, $7, $8, $11}' | "
                             "awk '!seen[$0]++' | cut -d' ' -f1-6",
                             pdf, pdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    assert_string_equal(err, "");
    /* Each picture once (drawn twice), alpha as an smask. */
    assert_string_equal(out, "image 4 3 rgb 3 8\n"
                             "image 4 3 rgb 3 8\n"
                             "smask 4 3 gray 1 8\n"
                             "image 4 3 gray 1 8\n"
                             "image 4 3 gray 1 8\n"
                             "smask 4 3 gray 1 8\n"
                             "image 4 3 rgb 3 8\n"
                             "image 4 3 rgb 3 8\n"
                             "image 4 3 rgb 3 8\n"
                             "smask 4 3 gray 1 8\n"
                             "image 4 3 rgb 3 8\n"
                             "image 16 8 rgb 3 8\n"
                             "image 16 8 rgb 3 8\n");
    free(out);
    free(err);
}

static void text_beyond_the_bmp_should_warn_and_show_a_replacement(void **state)
{
    struct fixture *f = *state;
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    struct dl_page p;
    dl_page_init(&p, a, 1, 612, 792);
    const char *s = "Meta \xF0\x9F\x98\x80 cumplida";
    dl_text(&p, 72, 72, FACE_REGULAR, 10, 0, s, strlen(s), 100);
    assert_true(pdfout_page(w, &p));
    arena_free(a);
    char *pdf = path_in(f, "emoji.pdf");
    assert_true(pdfout_save(w, pdf));
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.code, EXIT_OK);
    char *msg = diag_format(&f->d.msgs[0]);
    assert_string_equal(msg, "informe: aviso: la página 1 tiene caracteres "
                             "fuera del plano básico de Unicode (U+1F600); "
                             "se muestran como U+FFFD");
    free(msg);
    assert_text(f, pdf, "Meta \xEF\xBF\xBD cumplida\n\n\f");
}

static void owner_password_should_encrypt_and_keep_text_readable(void **state)
{
    struct fixture *f = *state;
    f->set.owner_password = "s3creto";
    char *pdf = path_in(f, "locked.pdf");
    assert_true(save_sample(f, pdf));
    char *out, *err;
    char *cmd = arena_printf(f->arena, "qpdf --show-encryption '%s'", pdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    assert_non_null(strstr(out, "R = 3"));
    assert_non_null(strstr(out, "User password = \n"));
    assert_non_null(strstr(out, "extract for any purpose: allowed"));
    assert_non_null(strstr(out, "print high resolution: allowed"));
    assert_non_null(strstr(out, "extract for accessibility: allowed"));
    assert_non_null(strstr(out, "modify other: not allowed"));
    free(out);
    free(err);
    cmd = arena_printf(f->arena, "qpdf --check '%s'", pdf);
    assert_int_equal(run(f, cmd, &out, &err), 0);
    free(out);
    free(err);
    assert_text(f, pdf, sample_text);
}

/* A font whose metrics are fine but whose glyphs cannot be cut out: its
 * first glyph's place in 'loca' lies beyond the 'glyf' table. */
static void font_that_cannot_be_subset_should_stop_the_save(void **state)
{
    struct fixture *f = *state;
    struct font_metrics *fm = &f->fonts.face[FACE_REGULAR];
    size_t len = fm->file_len;
    unsigned char *bad = malloc(len);
    memcpy(bad, fm->file, len);
    unsigned ntables = (unsigned)bad[4] << 8 | bad[5];
    size_t loca = 0;
    for (unsigned t = 0; t < ntables; t++)
        if (memcmp(bad + 12 + 16 * t, "loca", 4) == 0)
            loca = (size_t)bad[12 + 16 * t + 8] << 24 |
                   (size_t)bad[12 + 16 * t + 9] << 16 |
                   (size_t)bad[12 + 16 * t + 10] << 8 | bad[12 + 16 * t + 11];
    assert_true(loca > 0);
    memset(bad + loca, 0x7F, 4); /* glyph 0 starts at 2 GB */
    char *path = arena_strdup(f->arena, fm->path);
    font_release(fm);
    assert_true(font_parse(fm, path, bad, len, &f->d));
    free(bad);
    char *pdf = path_in(f, "bad.pdf");
    assert_false(save_sample(f, pdf));
    assert_one_error(f, EXIT_DATAERR,
                     "./fonts/LiberationSans-Regular.ttf: error: la fuente "
                     "no se puede incluir en el PDF: la tabla 'loca' señala "
                     "fuera de la tabla 'glyf'");
    struct stat st;
    assert_int_not_equal(stat(pdf, &st), 0); /* nothing written */
    assert_int_equal(hidden_files(f), 0);
}

static void empty_owner_password_should_be_refused(void **state)
{
    struct fixture *f = *state;
    f->set.owner_password = "";
    assert_null(pdfout_open(&f->set, &f->fonts, &f->d));
    assert_one_error(f, EXIT_DATAERR,
                     "informe: error: la contraseña de propietario no puede "
                     "estar vacía");
}

static void idle_core_should_count_the_tasks_ready_now(void **state)
{
    (void)state;
    /* the caller alone ready: the other core is idle, whatever the
     * average still says of work that has ended */
    assert_true(pdfout_idle_core("0.00 0.00 0.00 1/200 4242\n", 2));
    assert_true(pdfout_idle_core("1.98 1.40 0.90 1/200 4242\n", 2));
    /* another task ready as well, but a low average: a task of a moment */
    assert_true(pdfout_idle_core("0.10 0.10 0.10 2/200 4242\n", 2));
    /* both say busy */
    assert_false(pdfout_idle_core("1.90 1.40 0.90 2/200 4242\n", 2));
    assert_false(pdfout_idle_core("11.6 9.00 9.00 12/200 4242\n", 12));
    assert_true(pdfout_idle_core("11.6 9.00 9.00 11/200 4242\n", 12));
    assert_true(pdfout_idle_core("11.4 9.00 9.00 12/200 4242\n", 12));
    /* one core, or a text it cannot read: no thread */
    assert_false(pdfout_idle_core("0.00 0.00 0.00 1/200 4242\n", 1));
    assert_false(pdfout_idle_core("", 2));
    assert_false(pdfout_idle_core("x 0.00 0.00 1/200 1", 2));
    assert_false(pdfout_idle_core("1.90 1.40 0.90", 2));
    assert_false(pdfout_idle_core("1.90 1.40 0.90 x/200 1", 2));
    assert_false(pdfout_idle_core("1.90 1.40 0.90 1", 2));
    assert_false(pdfout_idle_core("1.90 1.40 0.90 99999999999/2 1", 2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        cmocka_unit_test(idle_core_should_count_the_tasks_ready_now),
        T(sample_should_pass_qpdf_check),
        T(sample_text_should_extract_exactly),
        T(only_used_faces_should_be_embedded_as_subsets),
        T(faces_sharing_a_file_should_embed_it_once),
        T(tounicode_should_be_ours_and_the_only_one),
        T(drawn_characters_should_extract_and_measure_exactly),
        T(metadata_should_be_in_the_info_dictionary),
        T(same_input_should_give_identical_bytes),
        T(memory_save_should_give_the_file_bytes),
        T(pdfa_should_be_reproducible_with_a_content_id),
        T(memory_save_of_no_page_should_fail),
        T(no_date_should_be_written_when_created_is_negative),
        T(link_should_point_to_the_later_page),
        T(bookmarks_should_nest_by_level),
        T(missing_folder_should_fail_with_cantcreat),
        T(failed_rename_should_leave_no_temporary_file),
        T(failed_document_should_leave_the_previous_file),
        T(new_file_should_get_the_usual_mode),
        T(overwrite_should_replace_the_file_and_keep_its_mode),
        T(corrupt_png_should_stop_the_document),
        T(truncated_jpeg_should_stop_the_document),
        T(missing_image_should_name_the_path),
        T(every_image_kind_should_embed),
        T(text_beyond_the_bmp_should_warn_and_show_a_replacement),
        T(owner_password_should_encrypt_and_keep_text_readable),
        T(font_that_cannot_be_subset_should_stop_the_save),
        T(empty_owner_password_should_be_refused),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
