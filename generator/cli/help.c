/* help: usage lines and the help of each command (cli/help.h). */
#include "cli/help.h"
#include "base/diag.h"
#include "base/limits.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char help_render_usage[] =
    "uso: informe render PLANTILLA.yaml [-d DATOS] [-o SALIDA.pdf]\n"
    "                    [--set CLAVE=VALOR]... [--burst-by COLUMNA] "
    "[--jobs N]\n"
    "                    [--shard K/N] [--fonts DIR] [--dump-layout] "
    "[--quiet]\n"
    "                    [--limit NOMBRE=VALOR]... [--allow-path DIR]... "
    "[--no-tags]\n"
    "                    [--watch] [--pdf normal|pdf/a-1b]\n";

const char help_check_usage[] =
    "uso: informe check PLANTILLA.yaml [-d DATOS] [--set CLAVE=VALOR]... "
    "[--fonts DIR]\n"
    "                   [--limit NOMBRE=VALOR]... [--allow-path DIR]...\n"
    "                   [--pdf normal|pdf/a-1b]\n";

const char help_inspect_usage[] =
    "uso: informe inspect ARCHIVO.csv [--type COLUMNA=TIPO]... [--rows N] "
    "[--json] [--delimiter C]\n";

const char help_nuevo_usage[] =
    "uso: informe nuevo DATOS.csv... [-o PLANTILLA.yaml] [--force]\n";

const char help_usage[] =
    "uso: informe render PLANTILLA.yaml [-d DATOS] [-o SALIDA.pdf] "
    "[--set CLAVE=VALOR]...\n"
    "                    [--burst-by COLUMNA] [--shard K/N] [--jobs N] "
    "[--fonts DIR]\n"
    "                    [--dump-layout] [--quiet] [--limit NOMBRE=VALOR]...\n"
    "                    [--allow-path DIR]... [--no-tags] [--watch]\n"
    "                    [--pdf normal|pdf/a-1b]\n"
    "     informe check PLANTILLA.yaml [-d DATOS] [--set CLAVE=VALOR]... "
    "[--fonts DIR]\n"
    "                   [--limit NOMBRE=VALOR]... [--allow-path DIR]...\n"
    "                   [--pdf normal|pdf/a-1b]\n"
    "     informe inspect ARCHIVO.csv [--type COLUMNA=TIPO]... [--rows N] "
    "[--json] [--delimiter C]\n"
    "     informe nuevo DATOS.csv... [-o PLANTILLA.yaml] [--force]\n"
    "     informe --help | --version\n"
    "     informe ORDEN --help\n"
    "\n"
    "Códigos de salida: 0 listo, 64 orden mal escrita, 65 datos o plantilla "
    "con errores,\n"
    "66 falta un archivo de entrada, 70 error interno, 73 no se puede "
    "escribir la salida.\n";

static const char render_help[] =
    "\n"
    "Genera el PDF de la plantilla con sus datos. Sin -o, el PDF es el que\n"
    "dice report.output, o el nombre de la plantilla con .pdf en la carpeta\n"
    "actual.\n"
    "\n"
    "Opciones:\n"
    "  -d, --data DIR         carpeta de los datos (por omisión, la de la "
    "plantilla)\n"
    "  -o, --output RUTA      PDF que se escribe; puede llevar expresiones "
    "{...}\n"
    "  --set CLAVE=VALOR      da valor a un parámetro; repetible\n"
    "  --burst-by COLUMNA     un PDF por cada valor de la columna\n"
    "  -j, --jobs N           con --burst-by: N informes a la vez (0: uno por "
    "núcleo)\n"
    "  --shard K/N            con --burst-by: solo la parte K de N\n"
    "  --fonts DIR            carpeta de las fuentes TrueType\n"
    "  --dump-layout          escribe las páginas como texto, no el PDF\n"
    "  -q, --quiet            nada en la salida si todo sale bien\n"
    "  --limit NOMBRE=VALOR   cambia un límite en esta corrida (informe "
    "--help)\n"
    "  --allow-path DIR       permite leer archivos de otra carpeta; "
    "repetible\n"
    "  --no-tags              PDF sin etiquetas de accesibilidad\n"
    "  --pdf MODO             normal, o pdf/a-1b para archivo (PDF/A-1b); "
    "manda\n"
    "                         sobre report.pdf\n"
    "  --watch                vuelve a generar el PDF cada vez que cambian la\n"
    "                         plantilla, los datos o las imágenes\n"
    "  -h, --help             muestra esta ayuda\n";

static const char check_help[] =
    "\n"
    "Revisa la plantilla, los datos y las fuentes como lo haría render, sin\n"
    "escribir nada: solo imprime los problemas.\n"
    "\n"
    "Opciones:\n"
    "  -d, --data DIR         carpeta de los datos (por omisión, la de la "
    "plantilla)\n"
    "  --set CLAVE=VALOR      da valor a un parámetro; repetible\n"
    "  --fonts DIR            carpeta de las fuentes TrueType\n"
    "  -q, --quiet            sin avisos si no hay errores\n"
    "  --limit NOMBRE=VALOR   cambia un límite en esta corrida (informe "
    "--help)\n"
    "  --allow-path DIR       permite leer archivos de otra carpeta; "
    "repetible\n"
    "  --pdf MODO             normal, o pdf/a-1b para archivo (PDF/A-1b); "
    "manda\n"
    "                         sobre report.pdf\n"
    "  -h, --help             muestra esta ayuda\n";

static const char inspect_help[] =
    "\n"
    "Muestra lo que informe ve en un CSV: codificación, separador, columnas,\n"
    "tipos y las primeras filas.\n"
    "\n"
    "Opciones:\n"
    "  --type COLUMNA=TIPO    fija el tipo de una columna (text, integer, "
    "number,\n"
    "                         percent, date o money); repetible\n"
    "  --rows N               cuántas filas de muestra (por omisión, 5)\n"
    "  --json                 un objeto JSON en vez del resumen\n"
    "  --delimiter C          el separador (',', ';' o 'tab'), sin adivinarlo\n"
    "  -h, --help             muestra esta ayuda\n";

static const char nuevo_help[] =
    "\n"
    "Escribe una plantilla inicial para esos CSV: portada, contenido, pie con\n"
    "«Página X de Y» y, por archivo, una sección con un gráfico de barras y "
    "la\n"
    "tabla de todas sus columnas, lista para check y render. Sin -o, la\n"
    "escribe en la salida estándar.\n"
    "\n"
    "Opciones:\n"
    "  -o, --output RUTA      archivo de la plantilla; no reemplaza uno que "
    "exista\n"
    "  --force                reemplaza el archivo si ya existe\n"
    "  -h, --help             muestra esta ayuda\n";

bool help_asked(int argc, char *const *argv)
{
    for (int i = 1; i < argc; i++)
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return true;
    return false;
}

/* Each command's help: its usage, then what it does and its options. */
static const struct {
    const char *name, *usage, *text;
} commands[] = {
    {"render", help_render_usage, render_help},
    {"check", help_check_usage, check_help},
    {"inspect", help_inspect_usage, inspect_help},
    {"nuevo", help_nuevo_usage, nuevo_help},
};

bool help_has(const char *command)
{
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, command) == 0)
            return true;
    return false;
}

int help_print(const char *command)
{
    if (!command) {
        fputs(help_usage, stdout);
        fputs("\nLímites (--limit NOMBRE=VALOR los cambia en una corrida):\n",
              stdout);
        fputs(limits_help(), stdout);
    }
    for (size_t i = 0; command && i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(commands[i].name, command) == 0) {
            fputs(commands[i].usage, stdout);
            fputs(commands[i].text, stdout);
        }
    return fflush(stdout) == 0 && !ferror(stdout) ? EXIT_OK : EXIT_CANTCREAT;
}

int help_usage_error(const char *usage, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("informe: error: ", stderr);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fputs(usage, stderr);
    return EXIT_USAGE;
}
