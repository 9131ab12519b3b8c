/* watch: `render --watch`. Renders, then waits until one of the files the
 * render read or looked for (the template, every data file, image and
 * font; see infile_observe) changes, and renders again, for ever: a
 * render that fails is told and waited on like any other. The files'
 * folders are watched with inotify where there is one, and the files are
 * compared (device, inode, size, modification time) every half second
 * otherwise, or when INFORME_WATCH=poll. The process ends only by a
 * signal (Ctrl-C: SIGINT), which removes a half-written temporary. */
#ifndef INFORME_WATCH_H
#define INFORME_WATCH_H

#include <stdbool.h>

/* render(ctx) renders once, prints its messages and returns its exit
 * code. quiet: no line after a render that went well. Never returns. */
_Noreturn void watch_run(int (*render)(void *ctx), void *ctx, bool quiet);

#endif
