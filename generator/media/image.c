/* image: PNG decoding with libpng under our own error handling, and JPEG
 * marker validation, so that no user file can abort the process. */
#include "media/image.h"

#include "base/infile.h"

#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Larger pictures are certainly a mistake in a report, and refusing them
 * keeps a hostile header from asking for gigabytes. */
#define IMAGE_MAX_SIDE 20000u
#define IMAGE_MAX_PIXELS (64u * 1024u * 1024u)

/* ---- reading the file ---------------------------------------------------- */

static bool read_file(struct arena *arena, struct diag *d, const char *path,
                      unsigned char **data, size_t *len)
{
    char *p;
    if (!infile_read(d, path, "la imagen", NULL, arena, &p, len))
        return false;
    *data = (unsigned char *)p;
    return true;
}

/* ---- PNG ----------------------------------------------------------------- */

struct png_src {
    const unsigned char *data;
    size_t len, pos;
    bool truncated, too_large, oom;
};

/* libpng's own allocations, watched: a failed one ends in png_error like
 * a damaged file, and must be told apart from it. */
static png_voidp png_on_malloc(png_structp png, png_alloc_size_t n)
{
    void *p = malloc(n);
    if (!p) {
        struct png_src *src = png_get_mem_ptr(png);
        src->oom = true;
    }
    return p;
}

static void png_on_free(png_structp png, png_voidp p)
{
    (void)png;
    free(p);
}

static void png_on_error(png_structp png, png_const_charp msg)
{
    /* libpng's reasons are English and change between versions; the
     * message names the file and the kind of problem only. */
    (void)msg;
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg)
{
    /* Warnings (an odd sRGB profile, a bad ancillary chunk) do not stop
     * the picture from being drawn correctly. */
    (void)png;
    (void)msg;
}

static void png_on_read(png_structp png, png_bytep out, png_size_t n)
{
    struct png_src *src = png_get_io_ptr(png);
    if (n > src->len - src->pos) {
        src->truncated = true;
        png_error(png, "unexpected end of file");
    }
    memcpy(out, src->data + src->pos, n);
    src->pos += n;
}

/* Splits interleaved grey/RGB(+alpha) rows into the colour samples and an
 * alpha plane; drops the plane when every pixel is opaque. */
static void split_alpha(struct arena *arena, struct image *out,
                        const unsigned char *rows, size_t npix,
                        unsigned channels)
{
    unsigned colour = channels - 1;
    out->pixels = arena_alloc(arena, npix * colour);
    unsigned char *alpha = arena_alloc(arena, npix);
    bool opaque = true;
    for (size_t i = 0; i < npix; i++) {
        const unsigned char *px = rows + i * channels;
        memcpy(out->pixels + i * colour, px, colour);
        alpha[i] = px[colour];
        if (px[colour] != 255)
            opaque = false;
    }
    out->components = colour;
    out->alpha = opaque ? NULL : alpha;
}

static bool decode_png(struct arena *arena, struct diag *d, const char *name,
                       const unsigned char *data, size_t len, struct image *out)
{
    /* On the heap: the callbacks change it between setjmp and longjmp. */
    struct png_src *src = arena_alloc(arena, sizeof *src);
    src->data = data;
    src->len = len;
    png_structp png = png_create_read_struct_2(PNG_LIBPNG_VER_STRING, src,
                                               png_on_error, png_on_warning,
                                               src, png_on_malloc, png_on_free);
    if (!png)
        arena_oom();
    png_infop info = png_create_info_struct(png);
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        arena_oom();
    }
    /* Only arena memory and the two libpng structs are live across the
     * jump; both are released on either path below. */
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        if (src->oom)
            arena_oom();
        if (src->truncated)
            diag_error(d, NULL, 0, 0, "la imagen PNG '%s' está incompleta",
                       name);
        else if (src->too_large)
            diag_error(d, NULL, 0, 0,
                       "la imagen PNG '%s' es demasiado grande (máximo %u "
                       "píxeles de lado y %u megapíxeles)",
                       name, IMAGE_MAX_SIDE, IMAGE_MAX_PIXELS >> 20);
        else
            diag_error(d, NULL, 0, 0, "la imagen PNG '%s' está dañada", name);
        return false;
    }
    png_set_read_fn(png, src, png_on_read);
    png_read_info(png, info);
    png_uint_32 w = png_get_image_width(png, info);
    png_uint_32 h = png_get_image_height(png, info);
    if (w > IMAGE_MAX_SIDE || h > IMAGE_MAX_SIDE ||
        (uint64_t)w * h > IMAGE_MAX_PIXELS) {
        src->too_large = true;
        png_error(png, "image too large");
    }

    /* Palette to RGB, low-depth grey to 8 bits, a tRNS colour key to an
     * alpha channel, 16-bit samples to 8: PDF image XObjects then only
     * ever see 8-bit grey or RGB with an optional soft mask. */
    png_set_expand(png);
    png_set_strip_16(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    unsigned channels = png_get_channels(png, info);
    size_t rowbytes = png_get_rowbytes(png, info);
    if (png_get_bit_depth(png, info) != 8 || channels < 1 || channels > 4 ||
        rowbytes != (size_t)w * channels)
        png_error(png, "unsupported pixel layout");

    unsigned char *buf = arena_alloc(arena, rowbytes * h);
    png_bytep *rows = arena_array(arena, h, sizeof *rows);
    for (png_uint_32 y = 0; y < h; y++)
        rows[y] = buf + (size_t)y * rowbytes;
    png_read_image(png, rows);
    png_read_end(png, NULL);
    png_destroy_read_struct(&png, &info, NULL);

    out->format = IMAGE_PNG;
    out->width = w;
    out->height = h;
    out->bits = 8;
    if (channels == 2 || channels == 4) {
        split_alpha(arena, out, buf, (size_t)w * h, channels);
    } else {
        out->pixels = buf;
        out->components = channels;
        out->alpha = NULL;
    }
    return true;
}

/* ---- JPEG ---------------------------------------------------------------- */

static bool jpeg_fail(struct diag *d, const char *name, const char *why)
{
    diag_error(d, NULL, 0, 0, "la imagen JPEG '%s' %s", name, why);
    return false;
}

/* Walks the marker segments: the frame header gives size and components;
 * each scan's entropy-coded data must end at a marker, and the file must
 * reach EOI, which a truncated download never does. */
static bool check_jpeg(struct diag *d, const char *name, const unsigned char *p,
                       size_t len, struct image *out)
{
    size_t pos = 2;
    bool frame = false, scan = false;
    for (;;) {
        if (pos >= len)
            return jpeg_fail(d, name, "está incompleta");
        if (p[pos] != 0xFF)
            return jpeg_fail(d, name, "está dañada (marcador inválido)");
        while (pos < len && p[pos] == 0xFF)
            pos++;
        if (pos >= len)
            return jpeg_fail(d, name, "está incompleta");
        unsigned m = p[pos++];
        if (m == 0xD9) {
            if (!frame || !scan)
                return jpeg_fail(d, name, "está dañada (no tiene imagen)");
            break;
        }
        if (m == 0x01 || (m >= 0xD0 && m <= 0xD7))
            continue; /* markers without a segment */
        if (m == 0xD8 || m == 0x00)
            return jpeg_fail(d, name, "está dañada (marcador inválido)");
        if (len - pos < 2)
            return jpeg_fail(d, name, "está incompleta");
        size_t seg = (size_t)p[pos] << 8 | p[pos + 1];
        if (seg < 2)
            return jpeg_fail(d, name, "está dañada (segmento inválido)");
        if (seg > len - pos)
            return jpeg_fail(d, name, "está incompleta");
        const unsigned char *s = p + pos + 2;
        bool is_sof =
            m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
        if (is_sof) {
            if (m != 0xC0 && m != 0xC1 && m != 0xC2) {
                diag_error(d, NULL, 0, 0,
                           "la imagen JPEG '%s' usa una codificación no "
                           "admitida (SOF%u); guárdela como JPEG básico o "
                           "progresivo",
                           name, m - 0xC0);
                return false;
            }
            if (seg < 8)
                return jpeg_fail(d, name, "está dañada (cabecera corta)");
            unsigned bits = s[0];
            unsigned h = (unsigned)s[1] << 8 | s[2];
            unsigned w = (unsigned)s[3] << 8 | s[4];
            unsigned nc = s[5];
            if (bits != 8)
                return jpeg_fail(d, name,
                                 "usa muestras de más de 8 bits (no "
                                 "admitidas)");
            if (w == 0 || h == 0)
                return jpeg_fail(d, name, "está dañada (tamaño cero)");
            if (nc == 4) {
                diag_error(d, NULL, 0, 0,
                           "la imagen JPEG '%s' está en CMYK; guárdela en "
                           "RGB",
                           name);
                return false;
            }
            if (nc != 1 && nc != 3) {
                diag_error(d, NULL, 0, 0,
                           "la imagen JPEG '%s' tiene %u componentes de "
                           "color (se admiten 1 o 3)",
                           name, nc);
                return false;
            }
            out->width = w;
            out->height = h;
            out->components = nc;
            frame = true;
        }
        pos += seg;
        if (m == 0xDA) {
            if (!frame)
                return jpeg_fail(d, name,
                                 "está dañada (datos antes de la "
                                 "cabecera)");
            scan = true;
            /* Entropy-coded data: 0xFF is followed by 0x00 (stuffing) or a
             * restart marker inside the scan; anything else ends it. */
            for (;;) {
                const unsigned char *ff = memchr(p + pos, 0xFF, len - pos);
                if (!ff || (size_t)(ff - p) + 1 >= len)
                    return jpeg_fail(d, name, "está incompleta");
                pos = (size_t)(ff - p);
                unsigned next = p[pos + 1];
                if (next == 0x00 || (next >= 0xD0 && next <= 0xD7) ||
                    next == 0xFF) {
                    pos += next == 0xFF ? 1 : 2;
                    continue;
                }
                break;
            }
        }
    }
    out->format = IMAGE_JPEG;
    out->bits = 8;
    out->pixels = NULL;
    out->alpha = NULL;
    out->data = p;
    out->len = len;
    return true;
}

/* ---- entry points -------------------------------------------------------- */

bool image_decode(struct arena *arena, struct diag *d, const char *name,
                  const unsigned char *data, size_t len, struct image *out)
{
    static const unsigned char png_sig[8] = {0x89, 'P',  'N',  'G',
                                             '\r', '\n', 0x1A, '\n'};
    memset(out, 0, sizeof *out);
    if (len >= 8 && memcmp(data, png_sig, 8) == 0)
        return decode_png(arena, d, name, data, len, out);
    if (len >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
        return check_jpeg(d, name, data, len, out);
    diag_error(d, NULL, 0, 0, "'%s' no es una imagen PNG ni JPEG", name);
    return false;
}

bool image_load(struct arena *arena, struct diag *d, const char *path,
                struct image *out)
{
    unsigned char *data;
    size_t len;
    memset(out, 0, sizeof *out);
    if (!read_file(arena, d, path, &data, &len))
        return false;
    return image_decode(arena, d, path, data, len, out);
}
