/* test_textstr: UTF-8 text as PDF text strings (pdf/textstr.h): the
 * bytes in PDFDocEncoding or UTF-16BE, literal and hexadecimal forms, and
 * the document information, bookmarks and link texts of a real file read
 * back with poppler, mutool and qpdf, plain and encrypted. */
#include "fontutil.h"
#include "testutil.h"

#include "base/arena.h"
#include "base/buf.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "pdf/pdfout.h"
#include "pdf/textstr.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* pdf_text_bytes of s: asserts the encoding chosen and the bytes. */
static void assert_bytes(const char *s, bool doc, const char *want,
                         size_t nwant)
{
    struct buf b;
    buf_init(&b);
    assert_int_equal(pdf_text_bytes(&b, s, strlen(s)), doc);
    assert_int_equal(b.len, nwant);
    assert_memory_equal(b.data, want, nwant);
    buf_release(&b);
}

#define BYTES(s, doc, want) assert_bytes(s, doc, want, sizeof want - 1)

static void ascii_should_stay_as_it_is(void **state)
{
    (void)state;
    BYTES("Plan de acción 2018 (v2) \\ fin", true,
          "Plan de acci\xF3n 2018 (v2) \\ fin");
    BYTES("", true, "");
}

static void latin1_letters_should_be_pdfdocencoding(void **state)
{
    (void)state;
    BYTES("á é í ó ú ñ ü ¿ ¡ Ñ Ü ç ° ª º «»", true,
          "\xE1 \xE9 \xED \xF3 \xFA \xF1 \xFC \xBF \xA1 \xD1 \xDC \xE7 \xB0 "
          "\xAA \xBA \xAB\xBB");
}

static void other_characters_should_be_utf16_with_a_bom(void **state)
{
    (void)state;
    /* The euro sign, a dash and curly quotes are not Latin-1. */
    BYTES("€ 5", false, "\xFE\xFF\x20\xAC\x00\x20\x00\x35");
    BYTES("a—“b”", false, "\xFE\xFF\x00\x61\x20\x14\x20\x1C\x00\x62\x20\x1D");
    /* Once one character needs UTF-16, the whole string is. */
    BYTES("ñ€", false, "\xFE\xFF\x00\xF1\x20\xAC");
    /* The soft hyphen has no place in PDFDocEncoding, nor control
     * characters. */
    BYTES("a\xC2\xAD", false, "\xFE\xFF\x00\x61\x00\xAD");
    BYTES("a\tb", false, "\xFE\xFF\x00\x61\x00\x09\x00\x62");
}

static void characters_beyond_the_bmp_should_be_surrogate_pairs(void **state)
{
    (void)state;
    /* U+1D11E (musical G clef) and U+1F600 (grinning face). */
    BYTES("\xF0\x9D\x84\x9E\xF0\x9F\x98\x80", false,
          "\xFE\xFF\xD8\x34\xDD\x1E\xD8\x3D\xDE\x00");
    BYTES("\xF4\x8F\xBF\xBF", false, "\xFE\xFF\xDB\xFF\xDF\xFF");
}

static void malformed_utf8_should_become_replacement_characters(void **state)
{
    (void)state;
    /* A stray continuation byte, a truncated sequence at the end, an
     * overlong form: U+FFFD each, as the rest of informe reads them. */
    BYTES("a\x80z", false, "\xFE\xFF\x00\x61\xFF\xFD\x00\x7A");
    BYTES("a\xC3", false, "\xFE\xFF\x00\x61\xFF\xFD");
    BYTES("\xC0\xAF", false, "\xFE\xFF\xFF\xFD\xFF\xFD");
}

static void thorn_y_first_should_not_look_like_a_bom(void **state)
{
    (void)state;
    /* "þÿ" in PDFDocEncoding is FE FF: a reader would take it for
     * UTF-16's byte-order mark. */
    BYTES("þÿ", false, "\xFE\xFF\x00\xFE\x00\xFF");
    BYTES("aþÿ", true, "a\xFE\xFF");
}

static void literal_should_escape_parentheses_and_backslashes(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b);
    pdf_text_literal(&b, "a(b)c\\d\xE1", 8);
    assert_int_equal(b.len, 13);
    assert_memory_equal(b.data, "(a\\(b\\)c\\\\d\xE1)", 13);
    buf_clear(&b);
    pdf_text_hex(&b, "\xFE\xFF\x00\x28", 4);
    assert_int_equal(b.len, 10);
    assert_memory_equal(b.data, "<FEFF0028>", 10);
    buf_release(&b);
}

/* ---- a real document ----------------------------------------------------- */

static const char title[] = "Año ¿Qué? ¡Sí! á é í ó ú ñ ü € (2018) \\ fin";
static const char author[] = "Oficina (Planeación) \\ área única";
static const char keywords[] = "MIPG, \xF0\x9D\x84\x9E, ñandú";
static const char mark[] = "1. Gestión (año) \\ acción €";
static const char link_text[] = "Ir a la página 2 (¡ya!)";

/* Writes a two-page document with the strings above to path. */
static void write_document(const char *path, const char *password)
{
    struct diag d;
    struct fontset fonts;
    diag_init(&d);
    assert_true(test_fonts_load(&fonts, &d));
    struct doc_settings set;
    doc_settings_default(&set);
    set.title = title;
    set.author = author;
    set.subject = "Comité";
    set.keywords = keywords;
    set.created = 1522540800;
    set.owner_password = password;
    struct pdfout *w = pdfout_open(&set, &fonts, &d);
    assert_non_null(w);
    struct arena *a = arena_new();
    struct dl_page p;
    dl_page_init(&p, a, 1, 612, 792);
    dl_bookmark(&p, mark, 1, 72);
    dl_text(&p, 72, 80, FACE_REGULAR, 10, 0, "Uno", 3, 60);
    struct dl_item *l = dl_link(&p, 72, 100, 80, 12, 2, 72);
    dl_link_text(&p, l, link_text, strlen(link_text));
    assert_true(pdfout_page(w, &p));
    arena_reset(a);
    dl_page_init(&p, a, 2, 612, 792);
    dl_text(&p, 72, 80, FACE_REGULAR, 10, 0, "Dos", 3, 60);
    assert_true(pdfout_page(w, &p));
    arena_free(a);
    assert_true(pdfout_save(w, path));
    assert_int_equal(d.errors, 0);
    fontset_release(&fonts);
    diag_release(&d);
}

/* The output of a shell command (caller frees); asserts it succeeded. */
static char *output_of(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    struct buf b;
    buf_init(&b);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        buf_add(&b, chunk, n);
    assert_int_equal(pclose(p), 0);
    buf_addc(&b, '\0');
    return buf_detach(&b, NULL);
}

static void check_document(const char *password)
{
    char path[] = "/tmp/informe-textstr-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_document(path, password);
    char cmd[256];
    snprintf(cmd, sizeof cmd,
             "pdfinfo '%s' | grep -E '^(Title|Subject|Keywords|Author):'",
             path);
    char *out = output_of(cmd);
    assert_string_equal(out, "Title:           Año ¿Qué? ¡Sí! á é í ó ú ñ ü € "
                             "(2018) \\ fin\n"
                             "Subject:         Comité\n"
                             "Keywords:        MIPG, \xF0\x9D\x84\x9E, ñandú\n"
                             "Author:          Oficina (Planeación) \\ área "
                             "única\n");
    free(out);
    snprintf(cmd, sizeof cmd, "mutool show '%s' outline", path);
    out = output_of(cmd);
    /* mutool shows a backslash as two. */
    assert_non_null(strstr(out, "\"1. Gestión (año) \\\\ acción €\""));
    free(out);
    /* The link's text, as qpdf decodes (and decrypts) it. */
    snprintf(cmd, sizeof cmd,
             "qpdf --json=2 --json-key=qpdf '%s' | "
             "grep -F '\"/Contents\": \"u:' | sed 's/^ *//'",
             path);
    out = output_of(cmd);
    assert_string_equal(out, "\"/Contents\": \"u:Ir a la página 2 (¡ya!)\",\n");
    free(out);
    unlink(path);
}

static void strings_should_read_back_exactly(void **state)
{
    (void)state;
    check_document(NULL);
}

static void encrypted_strings_should_read_back_exactly(void **state)
{
    (void)state;
    check_document("s3creto");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(ascii_should_stay_as_it_is),
        cmocka_unit_test(latin1_letters_should_be_pdfdocencoding),
        cmocka_unit_test(other_characters_should_be_utf16_with_a_bom),
        cmocka_unit_test(characters_beyond_the_bmp_should_be_surrogate_pairs),
        cmocka_unit_test(malformed_utf8_should_become_replacement_characters),
        cmocka_unit_test(thorn_y_first_should_not_look_like_a_bom),
        cmocka_unit_test(literal_should_escape_parentheses_and_backslashes),
        cmocka_unit_test(strings_should_read_back_exactly),
        cmocka_unit_test(encrypted_strings_should_read_back_exactly),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
