/* tempfile: see tempfile.h. */
#define _DEFAULT_SOURCE /* flock(), realpath() */
#include "base/tempfile.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define TEMP_PREFIX ".informe-"
#define TEMP_SUFFIX ".pdf.tmp"

/* The registered paths: a slot's path is written only while its flag is
 * 0, and read (by the signal handler, or by tempfile_forget on another
 * thread) only while it is 1. A burst has up to 2 * COMMIT_QUEUE + 1
 * temporaries at once: one being written, the others waiting to be
 * synced and renamed (base/commit.h). The flags are lock-free atomics,
 * safe in a signal handler. */
#define TEMP_SLOTS TEMPFILE_MAX
static char temp_path[TEMP_SLOTS][4096];
static atomic_int armed[TEMP_SLOTS];
/* Held by the threads that name or forget a temporary (the signal handler
 * reads the flags only): a slot's path is never read while written. */
static pthread_mutex_t slots_lock = PTHREAD_MUTEX_INITIALIZER;
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a signal handler reads the flags");
/* The folder swept last: a burst writing thousands of PDFs into one
 * folder reads it once, not once per file. */
static char swept[4096];

void tempfile_remove_now(void)
{
    for (int i = 0; i < TEMP_SLOTS; i++)
        if (atomic_exchange(&armed[i], 0))
            unlink(temp_path[i]);
}

void tempfile_forget(const char *name)
{
    pthread_mutex_lock(&slots_lock);
    for (int i = 0; i < TEMP_SLOTS; i++)
        if (atomic_load(&armed[i]) && strcmp(temp_path[i], name) == 0) {
            atomic_store(&armed[i], 0);
            break;
        }
    pthread_mutex_unlock(&slots_lock);
}

static void on_signal(int sig)
{
    int saved = errno;
    tempfile_remove_now();
    /* SA_RESETHAND restored the default action; the signal is blocked
     * until the handler returns, then delivered again. */
    raise(sig);
    errno = saved;
}

void tempfile_install_signals(void)
{
    /* The crashes too: libharu 2.3.0 can crash inside its save after a
     * failed allocation, and the temporary file should not stay. */
    static const int sigs[] = {SIGTERM, SIGINT,  SIGHUP, SIGSEGV,
                               SIGBUS,  SIGABRT, SIGFPE, SIGILL};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) != 0 || old.sa_handler == SIG_IGN)
            continue;
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sa.sa_flags = SA_RESETHAND;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

/* The PID in ".informe-PID-...", or 0 when name is not a temporary. */
static long temp_owner(const char *name)
{
    size_t np = strlen(TEMP_PREFIX), ns = strlen(TEMP_SUFFIX);
    size_t n = strlen(name);
    if (n <= np + ns || strncmp(name, TEMP_PREFIX, np) != 0 ||
        strcmp(name + n - ns, TEMP_SUFFIX) != 0)
        return 0;
    long pid = 0;
    const char *p = name + np;
    while (*p >= '0' && *p <= '9' && pid < 100000000)
        pid = pid * 10 + (*p++ - '0');
    return *p == '-' ? pid : 0;
}

static void remove_stale(const char *dir)
{
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd < 0)
        return;
    DIR *dp = fdopendir(dfd);
    if (!dp) {
        close(dfd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(dp))) {
        long pid = temp_owner(e->d_name);
        if (pid <= 0 || pid == (long)getpid())
            continue;
        if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        int fd = openat(dfd, e->d_name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        if (flock(fd, LOCK_EX | LOCK_NB) == 0)
            unlinkat(dfd, e->d_name, 0);
        close(fd);
    }
    closedir(dp);
}

/* tempfile_create's naming, in a free slot, under slots_lock. open() with
 * 0666 lets the kernel apply the umask, as for any new file (mkstemp
 * would make it 0600, and reading the umask is not thread-safe). The name
 * is unique by process, time and a counter; O_EXCL settles any remaining
 * race. */
static int create_in_slot(struct arena *a, const char *dir, struct timespec ts,
                          char **name)
{
    static atomic_ulong counter;
    int slot = 0;
    while (slot < TEMP_SLOTS && atomic_load(&armed[slot]))
        slot++;
    if (slot == TEMP_SLOTS) {
        errno = EBUSY; /* every slot holds a live temporary */
        return -1;
    }
    for (int attempt = 0; attempt < 100; attempt++) {
        unsigned long n = atomic_fetch_add(&counter, 1);
        *name = arena_printf(a, "%s/" TEMP_PREFIX "%ld-%lx-%lx" TEMP_SUFFIX,
                             dir, (long)getpid(), (unsigned long)ts.tv_nsec, n);
        size_t len = strlen(*name);
        if (len >= sizeof temp_path[slot]) {
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(temp_path[slot], *name, len + 1);
        arena_on_oom(tempfile_remove_now);
        atomic_store(&armed[slot], 1);
        int fd = open(*name, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd >= 0) {
            /* Not locking is harmless: a later run still sees the PID. */
            flock(fd, LOCK_EX | LOCK_NB);
            return fd;
        }
        atomic_store(&armed[slot], 0);
        if (errno != EEXIST)
            return -1;
    }
    errno = EEXIST;
    return -1;
}

int tempfile_create(struct arena *a, const char *dir, char **name)
{
    if (strcmp(dir, swept) != 0) {
        remove_stale(dir);
        if (strlen(dir) < sizeof swept)
            memcpy(swept, dir, strlen(dir) + 1);
    }
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    pthread_mutex_lock(&slots_lock);
    int fd = create_in_slot(a, dir, ts, name);
    int err = errno;
    pthread_mutex_unlock(&slots_lock);
    errno = err;
    return fd;
}

const char *tempfile_target(struct arena *a, const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode))
        return path;
    char *real = realpath(path, NULL);
    if (!real)
        return NULL;
    const char *r = arena_strdup(a, real);
    free(real);
    return r;
}
