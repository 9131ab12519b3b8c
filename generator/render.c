/* render: the `render` and `check` commands (being written). */
#include "commands.h"
#include "diag.h"

#include <stdio.h>

int cmd_render(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("informe: render todavía no está disponible\n", stderr);
    return EXIT_SOFTWARE;
}

int cmd_check(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("informe: check todavía no está disponible\n", stderr);
    return EXIT_SOFTWARE;
}
