/* cores: whether a document may give work to a second thread, the rule
 * of pdfout_threads and of a core idle at this moment (pdfout_idle_core,
 * /proc/loadavg); asked by pdfout for the pages and by tagsave for the
 * structure tree's object streams. */
#include "pdf/internal.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static enum pdfout_threads threads_mode = PDFOUT_THREADS_AUTO;

void pdfout_threads(enum pdfout_threads mode)
{
    threads_mode = mode;
}

bool pdfout_idle_core(const char *loadavg, long cores)
{
    if (cores < 2)
        return false;
    /* "0.52 0.58 0.59 1/467 12345": the 1-minute average, then the
     * fourth field's first number */
    char *end;
    double load = strtod(loadavg, &end);
    if (end == loadavg)
        return false;
    const char *p = end;
    for (int field = 1; field < 3; field++) {
        while (*p == ' ')
            p++;
        while (*p && *p != ' ')
            p++;
    }
    while (*p == ' ')
        p++;
    long ready = 0;
    const char *digits = p;
    while (*p >= '0' && *p <= '9' && ready < 1000000)
        ready = ready * 10 + (*p++ - '0');
    bool now = p > digits && *p == '/' && ready < cores;
    return now || load < (double)cores - 0.5;
}

/* True when a core is idle now (pdfout_idle_core, /proc/loadavg read
 * without allocating): a busy machine gives the thread no core of its
 * own, and a page waiting for it would cost more than deflating it here.
 * No reading: no thread. */
bool pdf_idle_core_now(void)
{
    int fd = open("/proc/loadavg", O_RDONLY);
    if (fd < 0)
        return false;
    char text[64];
    ssize_t n = read(fd, text, sizeof text - 1);
    close(fd);
    if (n <= 0)
        return false;
    text[n] = '\0';
    /* The cores online, read once per process (glibc reads a file of
     * /sys for each call; a burst asks once per report). */
    static long cores;
    if (!cores)
        cores = sysconf(_SC_NPROCESSORS_ONLN);
    return pdfout_idle_core(text, cores);
}

bool pdf_second_thread(void)
{
    return threads_mode == PDFOUT_THREADS_ON ||
           (threads_mode == PDFOUT_THREADS_AUTO && pdf_idle_core_now());
}

enum pdfout_threads pdf_threads_mode(void)
{
    return threads_mode;
}
