/* inspect: what informe sees in a CSV file (being written). */
#include "commands.h"
#include "diag.h"

#include <stdio.h>

int cmd_inspect(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fputs("informe: inspect todavía no está disponible\n", stderr);
    return EXIT_SOFTWARE;
}
