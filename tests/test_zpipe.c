/* test_zpipe: a document's content streams deflated on a second thread
 * (pdf/zpipe.c, driven by pdfout) give the same bytes as deflated on the
 * writer's own thread, and the thread is joined on every way out. */
#include "fontutil.h"
#include "testutil.h"

#include "base/arena.h"
#include "base/buf.h"
#include "base/diag.h"
#include "doc/dlist.h"
#include "doc/doc.h"
#include "media/font.h"
#include "pdf/pdfout.h"
#include "pdf/zpipe.h"

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

struct fixture {
    struct diag d;
    struct doc_settings set;
    struct fontset fonts;
    struct arena *arena;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    diag_init(&f->d);
    doc_settings_default(&f->set);
    f->set.title = "Informe de gestión";
    f->set.created = 1522540800;
    assert_true(test_fonts_load(&f->fonts, &f->d));
    f->arena = arena_new();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    pdfout_threads(PDFOUT_THREADS_AUTO);
    diag_release(&f->d);
    fontset_release(&f->fonts);
    arena_free(f->arena);
    free(f);
    return 0;
}

/* The threads of this process. */
#ifdef __SANITIZE_THREAD__
#include <pthread.h>
static void *nothing(void *unused)
{
    return unused;
}
#endif

/* ThreadSanitizer starts a thread of its own with the process's first
 * thread, and keeps it: one started and joined at once before the
 * counts are taken keeps them comparable. */
static void sanitizer_thread_first(void)
{
#ifdef __SANITIZE_THREAD__
    pthread_t t;
    if (pthread_create(&t, NULL, nothing, NULL) == 0)
        pthread_join(t, NULL);
#endif
}

static int threads(void)
{
    DIR *dir = opendir("/proc/self/task");
    assert_non_null(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(dir);
    return n;
}

/* Page number: a title, lines of figures that differ from page to page
 * (so that every stream deflates differently), each a paragraph of the
 * structure tree when tagged is true, a rule; bad_image names a picture
 * that does not exist. */
static bool draw_tagged(struct pdfout *w, struct arena *a, unsigned number,
                        bool bad_image, bool tagged)
{
    struct dl_page p;
    dl_page_init(&p, a, number, 612, 792);
    char *title = arena_printf(a, "Página %u: índice de gestión", number);
    dl_text(&p, 72, 60, FACE_BOLD, 14, 0x1F4E79, title, strlen(title), 300);
    for (unsigned i = 0; i < 40; i++) {
        char *line = arena_printf(a, "Meta %u.%u — avance %u,%u %%", number, i,
                                  (number * 37 + i * 11) % 100, i % 10);
        if (tagged)
            dl_begin(&p, DL_ROLE_P, 0, NULL, 0);
        dl_text(&p, 72, 90 + 16 * (float)i, FACE_REGULAR, 10, 0x000000, line,
                strlen(line), 300);
        if (tagged)
            dl_end(&p);
    }
    dl_line(&p, 72, 80, 540, 80, 0x808080, 0.5f);
    if (bad_image)
        dl_image(&p, 300, 700, 40, 30, "/nonexistent/foto.png");
    bool ok = pdfout_page(w, &p);
    arena_reset(a);
    return ok;
}

static bool draw_page(struct pdfout *w, struct arena *a, unsigned number,
                      bool bad_image)
{
    return draw_tagged(w, a, number, bad_image, false);
}

/* A document of n pages saved to out with the thread in mode; *during
 * gets the process's threads counted after its last page. */
static void render(struct fixture *f, enum pdfout_threads mode, unsigned n,
                   struct buf *out, int *during)
{
    pdfout_threads(mode);
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    for (unsigned k = 1; k <= n; k++)
        assert_true(draw_page(w, a, k, false));
    arena_free(a);
    *during = threads();
    assert_true(pdfout_save_mem(w, "x.pdf", out));
    assert_int_equal(f->d.errors, 0);
}

static void threaded_should_write_the_bytes_of_plain(void **state)
{
    struct fixture *f = *state;
    int before = threads();
    struct buf plain, threaded, small;
    buf_init(&plain);
    buf_init(&threaded);
    buf_init(&small);
    int t_plain, t_threaded, t_small;
    render(f, PDFOUT_THREADS_OFF, 25, &plain, &t_plain);
    assert_int_equal(t_plain, before);
    assert_int_equal(threads(), before);
    render(f, PDFOUT_THREADS_ON, 25, &threaded, &t_threaded);
    assert_int_equal(t_threaded, before + 1); /* the thread was there */
    assert_int_equal(threads(), before);      /* and is joined */
    assert_true(plain.len > 25 * 500);
    assert_int_equal(threaded.len, plain.len);
    assert_memory_equal(threaded.data, plain.data, plain.len);
    /* AUTO leaves a document of fewer than 8 pages alone. */
    render(f, PDFOUT_THREADS_AUTO, 7, &small, &t_small);
    assert_int_equal(t_small, before);
    buf_release(&plain);
    buf_release(&threaded);
    buf_release(&small);
}

static void discard_mid_document_should_join_the_thread(void **state)
{
    struct fixture *f = *state;
    int before = threads();
    pdfout_threads(PDFOUT_THREADS_ON);
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    for (unsigned k = 1; k <= 5; k++)
        assert_true(draw_page(w, a, k, false));
    assert_int_equal(threads(), before + 1);
    pdfout_discard(w); /* pages still in the thread's hands */
    assert_int_equal(threads(), before);
    arena_free(a);
}

static void failed_page_should_report_and_join(void **state)
{
    struct fixture *f = *state;
    int before = threads();
    pdfout_threads(PDFOUT_THREADS_ON);
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    for (unsigned k = 1; k <= 4; k++)
        assert_true(draw_page(w, a, k, false));
    assert_false(draw_page(w, a, 5, true));
    assert_false(draw_page(w, a, 6, false)); /* stays failed */
    assert_int_equal(f->d.errors, 1);
    assert_int_equal(f->d.code, EXIT_NOINPUT);
    assert_non_null(strstr(test_msg(f->arena, &f->d, 0), "foto.png"));
    struct buf out;
    buf_init(&out);
    assert_false(pdfout_save_mem(w, "x.pdf", &out)); /* frees w */
    assert_int_equal(out.len, 0);
    assert_int_equal(threads(), before);
    assert_int_equal(f->d.errors, 1);
    arena_free(a);
    buf_release(&out);
}

/* The offset of the first text in the n bytes at data from offset from
 * on, or n. */
static size_t find(const char *data, size_t n, size_t from, const char *text)
{
    size_t len = strlen(text);
    for (size_t i = from; i + len <= n; i++)
        if (memcmp(data + i, text, len) == 0)
            return i;
    return n;
}

/* Occurrences of text in the n bytes at data. */
static size_t count(const char *data, size_t n, const char *text)
{
    size_t k = 0;
    for (size_t i = find(data, n, 0, text); i < n;
         i = find(data, n, i + 1, text))
        k++;
    return k;
}

/* A tagged document of 60 pages of 40 paragraphs: 2,401 elements and
 * the three leaves of the parent tree, in three object streams. */
static void render_tagged(struct fixture *f, enum pdfout_threads mode,
                          struct buf *out)
{
    pdfout_threads(mode);
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    for (unsigned k = 1; k <= 60; k++)
        assert_true(draw_tagged(w, a, k, false, true));
    arena_free(a);
    assert_true(pdfout_save_mem(w, "x.pdf", out));
    assert_int_equal(f->d.errors, 0);
}

static void threaded_object_streams_should_be_the_bytes_of_plain(void **state)
{
    struct fixture *f = *state;
    int before = threads();
    struct buf plain, threaded;
    buf_init(&plain);
    buf_init(&threaded);
    render_tagged(f, PDFOUT_THREADS_OFF, &plain);
    render_tagged(f, PDFOUT_THREADS_ON, &threaded);
    assert_int_equal(threads(), before); /* joined */
    assert_int_equal(count(plain.data, plain.len, "/Type/ObjStm/N 1000/"), 2);
    assert_int_equal(count(plain.data, plain.len, "/Type/ObjStm/N 404/"), 1);
    assert_int_equal(count(plain.data, plain.len, "/Type/StructTreeRoot"), 1);
    assert_int_equal(threaded.len, plain.len);
    assert_memory_equal(threaded.data, plain.data, plain.len);
    buf_release(&plain);
    buf_release(&threaded);
}

/* A file that may not grow past the offset of the second object stream:
 * the save fails while streams are in the thread's hands, is reported,
 * and the thread is joined. */
static void failed_object_streams_should_report_and_join(void **state)
{
    struct fixture *f = *state;
    int before = threads();
    struct buf whole;
    buf_init(&whole);
    render_tagged(f, PDFOUT_THREADS_OFF, &whole);
    size_t first = find(whole.data, whole.len, 0, "/Type/ObjStm");
    size_t second = find(whole.data, whole.len, first + 1, "/Type/ObjStm");
    assert_true(second < whole.len);

    char dir[] = "/tmp/test_zpipe_XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = arena_printf(f->arena, "%s/x.pdf", dir);
    pdfout_threads(PDFOUT_THREADS_ON);
    struct pdfout *w = pdfout_open(&f->set, &f->fonts, &f->d);
    assert_non_null(w);
    struct arena *a = arena_new();
    for (unsigned k = 1; k <= 60; k++)
        assert_true(draw_tagged(w, a, k, false, true));
    arena_free(a);
    struct rlimit old, lim;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    lim = old;
    lim.rlim_cur = (rlim_t)second;
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
    bool ok = pdfout_save(w, path); /* frees w */
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, was);
    assert_false(ok);
    assert_int_equal(threads(), before);
    assert_int_equal(f->d.errors, 1);
    assert_int_equal(f->d.code, EXIT_CANTCREAT);
    assert_non_null(strstr(test_msg(f->arena, &f->d, 0), "File too large"));
    assert_int_equal(access(path, F_OK), -1); /* nothing left behind */
    assert_int_equal(rmdir(dir), 0);
    buf_release(&whole);
}

/* in[len] deflated by zlib itself as a zlib stream on z (wrapped, made
 * by deflateInit2) into out; the length. */
static size_t zlib_deflate(z_stream *z, const char *in, size_t len,
                           struct buf *out)
{
    buf_grow(out, deflateBound(z, (uLong)len));
    assert_int_equal(deflateReset(z), Z_OK);
    z->next_in = (Bytef *)in;
    z->avail_in = (uInt)len;
    z->next_out = (Bytef *)out->data;
    z->avail_out = (uInt)out->cap;
    assert_int_equal(deflate(z, Z_FINISH), Z_STREAM_END);
    return out->cap - z->avail_out;
}

/* zpipe_deflate wraps a raw stream itself (header, Adler-32): the bytes
 * of zlib's own zlib stream at every level and memory level informe
 * uses and more, empty input included. */
static void deflate_should_write_the_bytes_of_zlib(void **state)
{
    (void)state;
    struct buf in, want, got;
    buf_init(&in);
    buf_init(&want);
    buf_init(&got);
    static const int levels[] = {1, 3, 6, 9, Z_DEFAULT_COMPRESSION};
    static const int memlevels[] = {7, 8, 9};
    static const size_t lens[] = {0, 1, 15, 16, 17, 5000, 70000};
    for (size_t li = 0; li < sizeof levels / sizeof *levels; li++)
        for (size_t mi = 0; mi < sizeof memlevels / sizeof *memlevels; mi++) {
            z_stream zz, raw;
            memset(&zz, 0, sizeof zz);
            assert_int_equal(deflateInit2(&zz, levels[li], Z_DEFLATED, 15,
                                          memlevels[mi], Z_DEFAULT_STRATEGY),
                             Z_OK);
            zpipe_zinit(&raw, levels[li], memlevels[mi]);
            for (size_t k = 0; k < sizeof lens / sizeof *lens; k++) {
                buf_clear(&in);
                for (size_t i = 0; i < lens[k]; i++)
                    buf_addc(&in, (char)("0 1 Td (x) Tj\n"[i % 14] + i % 3));
                buf_clear(&want);
                size_t n = zlib_deflate(&zz, in.data, in.len, &want);
                size_t bound = zpipe_bound(&raw, in.len);
                buf_clear(&got);
                buf_grow(&got, bound);
                size_t m;
                assert_true(zpipe_deflate(&raw, levels[li], in.data, in.len,
                                          got.data, bound, &m));
                assert_int_equal(m, n);
                assert_memory_equal(got.data, want.data, n);
                /* Too little room: refused, not written past. */
                assert_false(zpipe_deflate(&raw, levels[li], in.data, in.len,
                                           got.data, 5, &m));
            }
            deflateEnd(&zz);
            deflateEnd(&raw);
        }
    buf_release(&in);
    buf_release(&want);
    buf_release(&got);
}

/* The pipe alone: jobs come back in order, each the bytes deflate gives
 * here, and a pipe stopped with jobs pending frees them. */
static void pipe_should_return_jobs_in_order(void **state)
{
    (void)state;
    struct zpipe p;
    zpipe_init(&p, 3, 7);
    assert_true(zpipe_start(&p));
    z_stream z;
    memset(&z, 0, sizeof z);
    assert_int_equal(deflateInit2(&z, 3, Z_DEFLATED, 15, 7, Z_DEFAULT_STRATEGY),
                     Z_OK);
    struct buf want;
    buf_init(&want);
    for (size_t k = 0; k < 10; k++) {
        while (zpipe_full(&p)) {
            struct zjob *j = zpipe_wait(&p);
            assert_non_null(j);
            zpipe_release(&p);
        }
        struct zjob *j = zpipe_slot(&p);
        buf_clear(&j->in);
        for (size_t i = 0; i < 2000 + k * 100; i++)
            buf_printf(&j->in, "%zu %zu Td ", i % (k + 3), k);
        zpipe_prepare(j);
        j->tag = k;
        zpipe_submit(&p);
    }
    /* What is left comes back in order and as deflate makes it. */
    size_t next = 10 - ZPIPE_SLOTS;
    struct zjob *j;
    while ((j = zpipe_wait(&p)) != NULL) {
        assert_int_equal(j->tag, next);
        assert_true(j->ok);
        buf_clear(&want);
        size_t n = zlib_deflate(&z, j->in.data, j->in.len, &want);
        assert_int_equal(j->len, n);
        assert_memory_equal(j->out.data, want.data, n);
        zpipe_release(&p);
        next++;
    }
    assert_int_equal(next, 10);
    /* Stopped with a job pending. */
    j = zpipe_slot(&p);
    buf_adds(&j->in, "0 0 m 10 10 l S");
    zpipe_prepare(j);
    zpipe_submit(&p);
    zpipe_stop(&p);
    assert_false(p.running);
    deflateEnd(&z);
    buf_release(&want);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
    sanitizer_thread_first();
    const struct CMUnitTest tests[] = {
        T(threaded_should_write_the_bytes_of_plain),
        T(discard_mid_document_should_join_the_thread),
        T(failed_page_should_report_and_join),
        T(threaded_object_streams_should_be_the_bytes_of_plain),
        T(failed_object_streams_should_report_and_join),
        cmocka_unit_test(pipe_should_return_jobs_in_order),
        cmocka_unit_test(deflate_should_write_the_bytes_of_zlib),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
