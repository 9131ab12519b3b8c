/* main: the informe command line; dispatches to the subcommands. */
#include "cli/commands.h"
#include "base/diag.h"
#include "base/limits.h"

#include <stdio.h>
#include <string.h>

#ifndef INFORME_VERSION
#define INFORME_VERSION "0.1.0"
#endif

static const char usage[] =
    "uso: informe render PLANTILLA.yaml [-d DATOS] [-o SALIDA.pdf] "
    "[--set CLAVE=VALOR]...\n"
    "                    [--burst-by COLUMNA] [--shard K/N] [--jobs N] "
    "[--fonts DIR]\n"
    "                    [--dump-layout] [--quiet] [--limit NOMBRE=VALOR]...\n"
    "                    [--allow-path DIR]... [--no-tags] "
    "[--pdf normal|pdf/a-1b]\n"
    "     informe check PLANTILLA.yaml [-d DATOS] [--set CLAVE=VALOR]... "
    "[--fonts DIR]\n"
    "                   [--limit NOMBRE=VALOR]... [--allow-path DIR]... "
    "[--pdf normal|pdf/a-1b]\n"
    "     informe inspect ARCHIVO.csv [--type COLUMNA=TIPO]... [--rows N] "
    "[--json] [--delimiter C]\n"
    "     informe --help | --version\n"
    "\n"
    "Códigos de salida: 0 listo, 64 orden mal escrita, 65 datos o plantilla "
    "con errores,\n"
    "66 falta un archivo de entrada, 70 error interno, 73 no se puede "
    "escribir la salida.\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return EXIT_USAGE;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        fputs(usage, stdout);
        fputs("\nLímites (--limit NOMBRE=VALOR los cambia en una corrida):\n",
              stdout);
        fputs(limits_help(), stdout);
        return EXIT_OK;
    }
    if (strcmp(cmd, "--version") == 0) {
        puts("informe " INFORME_VERSION);
        return EXIT_OK;
    }
    if (strcmp(cmd, "render") == 0)
        return cmd_render(argc - 1, argv + 1);
    if (strcmp(cmd, "check") == 0)
        return cmd_check(argc - 1, argv + 1);
    if (strcmp(cmd, "inspect") == 0)
        return cmd_inspect(argc - 1, argv + 1);
    fprintf(stderr, "informe: orden desconocida '%s'\n%s", cmd, usage);
    return EXIT_USAGE;
}
