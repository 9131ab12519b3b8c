/* main: the informe command line; dispatches to the subcommands. */
#include "cli/commands.h"
#include "cli/help.h"
#include "base/diag.h"
#include "base/heap.h"

#include <stdio.h>
#include <string.h>

#ifndef INFORME_VERSION
#define INFORME_VERSION "0.1.0"
#endif

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(help_usage, stderr);
        return EXIT_USAGE;
    }
    heap_init();
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return help_print(NULL);
    if (strcmp(cmd, "--version") == 0) {
        puts("informe " INFORME_VERSION);
        return EXIT_OK;
    }
    if (help_has(cmd) && help_asked(argc - 1, argv + 1))
        return help_print(cmd);
    if (strcmp(cmd, "render") == 0)
        return cmd_render(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "inspect") == 0)
        return cmd_inspect(argc - 1, argv + 1);
    if (strcmp(cmd, "nuevo") == 0)
        return cmd_nuevo(argc - 1, argv + 1);
    fprintf(stderr, "informe: orden desconocida '%s'\n%s", cmd, help_usage);
    return EXIT_USAGE;
}
