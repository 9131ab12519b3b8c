/* test_image: PNG decoding to 8-bit samples and alpha, JPEG marker checks,
 * and the exact messages for bad pictures. */
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "media/image.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#define IMG TEST_ROOT "/tests/data/img/"

struct fixture {
    struct arena *arena;
    struct diag d;
    struct image img;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    f->arena = arena_new();
    diag_init(&f->d);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    diag_release(&f->d);
    arena_free(f->arena);
    free(f);
    return 0;
}

static bool load(struct fixture *f, const char *path)
{
    return image_load(f->arena, &f->d, path, &f->img);
}

static void assert_one_error(struct fixture *f, enum exit_code code,
                             const char *text)
{
    assert_int_equal(f->d.n, 1);
    assert_int_equal(f->d.code, code);
    char *s = diag_format(&f->d.msgs[0]);
    assert_string_equal(s, text);
    free(s);
}

/* The RGB fixtures hold pixel (x, y) = (60x, 100y, 200). */
static void assert_rgb_pixels(const struct image *img)
{
    assert_int_equal(img->width, 4);
    assert_int_equal(img->height, 3);
    assert_int_equal(img->components, 3);
    for (unsigned y = 0; y < 3; y++)
        for (unsigned x = 0; x < 4; x++) {
            const unsigned char *p = img->pixels + (y * 4 + x) * 3;
            assert_int_equal(p[0], x * 60);
            assert_int_equal(p[1], y * 100);
            assert_int_equal(p[2], 200);
        }
}

static void png_rgb_should_decode_to_8_bit_samples(void **state)
{
    struct fixture *f = *state;
    assert_true(load(f, IMG "rgb.png"));
    assert_int_equal(f->img.format, IMAGE_PNG);
    assert_int_equal(f->img.bits, 8);
    assert_rgb_pixels(&f->img);
    assert_null(f->img.alpha);
    assert_int_equal(f->d.n, 0);
}

static void png_rgba_should_split_the_alpha_plane(void **state)
{
    struct fixture *f = *state;
    assert_true(load(f, IMG "rgba.png"));
    assert_rgb_pixels(&f->img);
    assert_non_null(f->img.alpha);
    for (unsigned y = 0; y < 3; y++)
        for (unsigned x = 0; x < 4; x++)
            assert_int_equal(f->img.alpha[y * 4 + x], x * 80);
}

static void png_interlaced_should_decode_like_the_plain_file(void **state)
{
    struct fixture *f = *state;
    assert_true(load(f, IMG "interlaced.png"));
    assert_rgb_pixels(&f->img);
    assert_null(f->img.alpha);
}

static void png_16_bit_should_be_reduced_to_8_bits(void **state)
{
    struct fixture *f = *state;
    assert_true(load(f, IMG "rgb16.png"));
    assert_int_equal(f->img.bits, 8);
    assert_rgb_pixels(&f->img);
}

static void png_grey_should_have_one_component(void **state)
{
    struct fixture *f = *state;
    assert_true(load(f, IMG "grey.png"));
    assert_int_equal(f->img.components, 1);
    assert_int_equal(f->img.pixels[0], 0);
    assert_int_equal(f->img.pixels[3], 180);
    assert_int_equal(f->img.pixels[4 * 2 + 1], 62);
    assert_null(f->img.alpha);
}

static void png_grey_alpha_should_give_grey_and_alpha(void **state)
{
    struct fixture *f = *state;
    assert_true(load(f, IMG "grey_alpha.png"));
    assert_int_equal(f->img.components, 1);
    assert_int_equal(f->img.pixels[1], 60);
    assert_non_null(f->img.alpha);
    assert_int_equal(f->img.alpha[0], 255);
    assert_int_equal(f->img.alpha[3], 105);
}

static void png_palette_should_expand_to_rgb(void **state)
{
    struct fixture *f = *state;
    assert_true(load(f, IMG "palette.png"));
    assert_int_equal(f->img.components, 3);
    /* Row 1 holds indexes 1 2 0 1: green, blue, red, green. */
    const unsigned char *p = f->img.pixels + 4 * 3;
    assert_memory_equal(p, "\x00\xFF\x00\x00\x00\xFF\xFF\x00\x00", 9);
    assert_null(f->img.alpha);
}

static void png_trns_colour_key_should_become_alpha(void **state)
{
    struct fixture *f = *state;
    assert_true(load(f, IMG "trns_rgb.png"));
    assert_rgb_pixels(&f->img);
    assert_non_null(f->img.alpha);
    /* Only (0, 100, 200), pixel (0, 1), is transparent. */
    for (unsigned i = 0; i < 12; i++)
        assert_int_equal(f->img.alpha[i], i == 4 ? 0 : 255);
}

static void png_truncated_should_be_reported_as_incomplete(void **state)
{
    struct fixture *f = *state;
    assert_false(load(f, IMG "truncated.png"));
    assert_one_error(f, EXIT_DATAERR,
                     "informe: error: la imagen PNG "
                     "'./tests/data/img/truncated.png' está incompleta");
}

static void png_with_bad_crc_should_be_reported_as_damaged(void **state)
{
    struct fixture *f = *state;
    assert_false(load(f, IMG "corrupt.png"));
    assert_one_error(f, EXIT_DATAERR,
                     "informe: error: la imagen PNG "
                     "'./tests/data/img/corrupt.png' está dañada");
}

static void png_too_large_should_be_refused_before_decoding(void **state)
{
    struct fixture *f = *state;
    /* The signature, IHDR (30000 x 1, RGB) with its CRC, and the head of
     * an IDAT chunk, which is where libpng stops reading the header. */
    unsigned char p[41] = {0};
    memcpy(p, "\x89PNG\r\n\x1A\n\0\0\0\x0DIHDR", 16);
    memcpy(p + 16, "\0\0\x75\x30\0\0\0\x01\x08\x02\0\0\0", 13);
    unsigned long crc = crc32(0, p + 12, 17);
    for (int i = 0; i < 4; i++)
        p[29 + i] = (unsigned char)(crc >> (24 - 8 * i));
    memcpy(p + 37, "IDAT", 4);
    assert_false(
        image_decode(f->arena, &f->d, "big.png", p, sizeof p, &f->img));
    assert_one_error(f, EXIT_DATAERR,
                     "informe: error: la imagen PNG 'big.png' es demasiado "
                     "grande (máximo 20000 píxeles de lado y 64 "
                     "megapíxeles)");
}

static void jpeg_baseline_should_give_size_and_components(void **state)
{
    struct fixture *f = *state;
    assert_true(load(f, IMG "photo.jpg"));
    assert_int_equal(f->img.format, IMAGE_JPEG);
    assert_int_equal(f->img.width, 16);
    assert_int_equal(f->img.height, 8);
    assert_int_equal(f->img.components, 3);
    assert_int_equal(f->img.len, 656);
    assert_null(f->img.pixels);
}

static void jpeg_progressive_should_be_accepted(void **state)
{
    struct fixture *f = *state;
    assert_true(load(f, IMG "progressive.jpg"));
    assert_int_equal(f->img.width, 16);
    assert_int_equal(f->img.height, 8);
}

static void jpeg_truncated_should_be_reported_as_incomplete(void **state)
{
    struct fixture *f = *state;
    assert_false(load(f, IMG "truncated.jpg"));
    assert_one_error(f, EXIT_DATAERR,
                     "informe: error: la imagen JPEG "
                     "'./tests/data/img/truncated.jpg' está incompleta");
}

/* Reads photo.jpg into memory for tests that patch it. */
static unsigned char *read_photo(size_t *len)
{
    FILE *fp = fopen(IMG "photo.jpg", "rb");
    assert_non_null(fp);
    unsigned char *p = malloc(4096);
    *len = fread(p, 1, 4096, fp);
    fclose(fp);
    return p;
}

static size_t find_sof(const unsigned char *p, size_t len)
{
    for (size_t i = 0; i + 1 < len; i++)
        if (p[i] == 0xFF && p[i + 1] == 0xC0)
            return i;
    fail();
    return 0;
}

static void jpeg_cmyk_should_be_rejected(void **state)
{
    struct fixture *f = *state;
    size_t len;
    unsigned char *p = read_photo(&len);
    p[find_sof(p, len) + 9] = 4; /* component count */
    assert_false(image_decode(f->arena, &f->d, "cmyk.jpg", p, len, &f->img));
    assert_one_error(f, EXIT_DATAERR,
                     "informe: error: la imagen JPEG 'cmyk.jpg' está en "
                     "CMYK; guárdela en RGB");
    free(p);
}

static void jpeg_lossless_should_be_rejected(void **state)
{
    struct fixture *f = *state;
    size_t len;
    unsigned char *p = read_photo(&len);
    p[find_sof(p, len) + 1] = 0xC3;
    assert_false(image_decode(f->arena, &f->d, "x.jpg", p, len, &f->img));
    assert_one_error(f, EXIT_DATAERR,
                     "informe: error: la imagen JPEG 'x.jpg' usa una "
                     "codificación no admitida (SOF3); guárdela como JPEG "
                     "básico o progresivo");
    free(p);
}

static void unknown_format_should_be_rejected(void **state)
{
    struct fixture *f = *state;
    assert_false(image_decode(f->arena, &f->d, "logo.gif",
                              (const unsigned char *)"GIF89a", 6, &f->img));
    assert_one_error(f, EXIT_DATAERR,
                     "informe: error: 'logo.gif' no es una imagen PNG ni "
                     "JPEG");
}

static void missing_file_should_be_a_missing_input(void **state)
{
    struct fixture *f = *state;
    assert_false(load(f, "no-such-dir/logo.png"));
    assert_one_error(f, EXIT_NOINPUT,
                     "no-such-dir/logo.png: error: no se puede leer la "
                     "imagen: el archivo no existe");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(png_rgb_should_decode_to_8_bit_samples),
        T(png_rgba_should_split_the_alpha_plane),
        T(png_interlaced_should_decode_like_the_plain_file),
        T(png_16_bit_should_be_reduced_to_8_bits),
        T(png_grey_should_have_one_component),
        T(png_grey_alpha_should_give_grey_and_alpha),
        T(png_palette_should_expand_to_rgb),
        T(png_trns_colour_key_should_become_alpha),
        T(png_truncated_should_be_reported_as_incomplete),
        T(png_with_bad_crc_should_be_reported_as_damaged),
        T(png_too_large_should_be_refused_before_decoding),
        T(jpeg_baseline_should_give_size_and_components),
        T(jpeg_progressive_should_be_accepted),
        T(jpeg_truncated_should_be_reported_as_incomplete),
        T(jpeg_cmyk_should_be_rejected),
        T(jpeg_lossless_should_be_rejected),
        T(unknown_format_should_be_rejected),
        T(missing_file_should_be_a_missing_input),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
