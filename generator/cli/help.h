/* help: the usage lines of informe and of each command, and the help that
 * -h and --help print (cli/help.c). docs/informe.1 describes the same
 * options; tests/cli_docs.sh checks that it names every one of them. */
#ifndef INFORME_HELP_H
#define INFORME_HELP_H

#include <stdbool.h>

/* Every command's usage, as printed after a usage error. */
extern const char help_usage[];
extern const char help_render_usage[];
extern const char help_check_usage[];
extern const char help_inspect_usage[];
extern const char help_nuevo_usage[];

/* Whether an argument after the command is -h or --help. */
bool help_asked(int argc, char *const *argv);

/* Whether command has a help of its own (render, check, inspect, nuevo). */
bool help_has(const char *command);

/* Prints the help of command (NULL: informe itself; else one help_has
 * knows) to standard output: its usage, what it does and each option.
 * Returns the exit code: 0, or EXIT_CANTCREAT when standard output
 * cannot be written. */
int help_print(const char *command);

/* Prints "informe: error: " and the message, then usage, to standard
 * error; returns EXIT_USAGE. */
int help_usage_error(const char *usage, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
