/* test_schema: the template checker: the documented language passes clean,
 * each kind of mistake gives its exact message at its exact place. */
#include "fixture.h"
#include "testutil.h"

#include "base/arena.h"
#include "base/diag.h"
#include "base/limits.h"
#include "template/schema.h"
#include "template/tree.h"

#include <stdlib.h>

/* Loads text (which must be valid YAML) and checks it. */
static bool check(struct fx *f, const char *text)
{
    struct tnode *r = tree_load_mem(f->a, &f->d, "t.yaml", text, strlen(text));
    assert_non_null(r);
    return schema_check(&f->d, r);
}

static void assert_msg(struct fx *f, size_t i, const char *want)
{
    if (i >= f->d.n)
        fail_msg("no message %zu (only %zu)", i, f->d.n);
    char *got = diag_format(&f->d.msgs[i]);
    assert_string_equal(got, want);
    free(got);
}

/* Every section and block of docs/templates.md, in the documented forms. */
static const char full[] =
    "report:\n"
    "  title: Informe de Gestión y Desempeño Institucional\n"
    "  subtitle: Comité Institucional de Gestión y Desempeño\n"
    "  author: Oficina Asesora de Planeación\n"
    "  subject: Seguimiento trimestral\n"
    "  keywords: MIPG, FURAG, PIGA\n"
    "  page: {size: carta, orientation: vertical, margin: 2cm}\n"
    "  fonts: {regular: LiberationSans-Regular.ttf, bold: "
    "LiberationSans-Bold.ttf,\n"
    "          italic: LiberationSans-Italic.ttf, bold_italic: "
    "LiberationSans-BoldItalic.ttf}\n"
    "  header: {left: \"{entidad}\", right: \"Informe de gestión — "
    "{periodo}\"}\n"
    "  footer: {center: \"Página {page} de {pages}\"}\n"
    "  logo: logo.png\n"
    "  password: clave-de-edicion\n"
    "  percent_space: true\n"
    "  output: \"out/informe-{periodo}.pdf\"\n"
    "params:\n"
    "  entidad: Ministerio de Minas y Energía\n"
    "  periodo: 2018-T1\n"
    "  fecha_corte: 2018-03-31\n"
    "  umbral: 80\n"
    "  vigencia: {type: integer, default: 2018}\n"
    "data:\n"
    "  plan:\n"
    "    file: plan_ambiental.csv\n"
    "    delimiter: \";\"\n"
    "    columns: {meta: number, ejecutado: number, avance: percent, "
    "fecha_corte: date}\n"
    "    where: programa != \"Prácticas sostenibles\"\n"
    "    compute:\n"
    "      avance_calc: ejecutado / meta * 100\n"
    "    sort: [programa, -avance]\n"
    "    limit: 10\n"
    "  furag:\n"
    "    file: furag.csv\n"
    "    burst: false\n"
    "    rename: {\"Código Sigep\": sigep, \"Índice de Desempeño "
    "Institucional\": idi}\n"
    "    unpivot: {columns: \"^D[0-9]\", name: dimension, value: puntaje,\n"
    "              code: \"^(D[0-9]+|POL[0-9]+)\", code_name: codigo}\n"
    "  politicas:\n"
    "    file: politicas.csv\n"
    "  furag_pol:\n"
    "    from: furag\n"
    "    join: {data: politicas, on: codigo, columns: {nuevo: columna}, "
    "prefix: pol_}\n"
    "  furag_dos:\n"
    "    from: furag\n"
    "    join: {data: politicas, on: {left: pol, right: codigo}}\n"
    "  por_programa:\n"
    "    from: plan\n"
    "    group_by: [programa]\n"
    "    aggregate:\n"
    "      actividades: count()\n"
    "      avance: mean(avance)\n"
    "      ponderado: wmean(avance, peso)\n"
    "      participacion: share(meta)\n"
    "styles:\n"
    "  semaforo:\n"
    "    - {min: 80, fill: \"#B7E1CD\", label: Satisfactorio}\n"
    "    - {min: 60, fill: \"#FCE8B2\", label: En riesgo}\n"
    "    - {fill: \"#F4C7C3\", label: Crítico}\n"
    "body:\n"
    "  - cover:\n"
    "      title: \"{report.title}\"\n"
    "      lines: [\"{entidad}\", \"Periodo: {periodo}\"]\n"
    "  - cover: {}\n"
    "  - toc: {title: Contenido}\n"
    "  - section: Plan de acción ambiental\n"
    "    new_page: false\n"
    "    content:\n"
    "      - text: \"El plan tiene {count(plan)} actividades.\"\n"
    "        align: center\n"
    "      - heading: Avance por programa\n"
    "        level: 2\n"
    "      - list: [\"primer punto\", \"segundo punto\"]\n"
    "        numbered: true\n"
    "      - section: Subcapítulo\n"
    "        number: false\n"
    "      - table:\n"
    "          data: plan\n"
    "          where: avance < 60\n"
    "          sort: [-avance]\n"
    "          limit: 20\n"
    "          caption: Actividades en riesgo\n"
    "          zebra: true\n"
    "          columns:\n"
    "            - {field: id, title: \"#\", width: 32pt, align: right}\n"
    "            - {field: actividad, title: Actividad, width: 40%}\n"
    "            - {value: \"ejecutado / meta * 100\", title: Cálculo, "
    "format: \"number:1\"}\n"
    "            - {field: avance, title: Avance, format: \"percent:1\", "
    "fill: semaforo}\n"
    "            - {field: observaciones, title: Observaciones, style: "
    "italic}\n"
    "          group_by: programa\n"
    "          subtotals: [meta, ejecutado]\n"
    "          total: Total\n"
    "      - chart:\n"
    "          type: bar\n"
    "          orientation: horizontal\n"
    "          mode: grouped\n"
    "          data: furag\n"
    "          category: dimension\n"
    "          series:\n"
    "            - {value: puntaje_anterior, label: Vigencia anterior, "
    "color: \"#A5A5A5\"}\n"
    "            - {value: puntaje_actual, label: Vigencia actual, color: "
    "\"#2E75B6\"}\n"
    "          caption: Puntaje promedio por dimensión\n"
    "          axis: {min: 0, max: 100, step: 20}\n"
    "          format: \"number:1\"\n"
    "          target: {value: 80, label: Meta}\n"
    "          fill: semaforo\n"
    "          labels: numbered\n"
    "          height: 200pt\n"
    "      - page_break: true\n"
    "      - space: 12pt\n"
    "      - image: {file: logo.png, width: 4cm}\n"
    "      - image: logo.png\n"
    "        align: right\n";

static void schema_should_accept_the_documented_language(void **state)
{
    struct fx *f = *state;
    assert_true(check(f, full));
    assert_int_equal(f->d.n, 0);
}

static void schema_should_accept_every_shipped_template(void **state)
{
    static const char *const names[] = {"compromisos", "furag",
                                        "informe-comite", "plan-ambiental",
                                        "seguimiento-mensual"};
    struct fx *f = *state;
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char path[256];
        snprintf(path, sizeof path, TEST_ROOT "/templates/%s.yaml", names[i]);
        struct tnode *r = tree_load_file(f->a, &f->d, path);
        assert_non_null(r);
        assert_true(schema_check(&f->d, r));
    }
    assert_int_equal(f->d.n, 0);
}

static void schema_should_require_body(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "report: {title: x}\n"));
    assert_int_equal(f->d.errors, 1);
    assert_msg(f, 0,
               "t.yaml:1:1: error: falta la clave 'body' en el nivel superior "
               "de la plantilla");
}

static void schema_should_suggest_a_close_key(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "report:\n"
                          "  heder: {left: x}\n"
                          "data:\n"
                          "  plan:\n"
                          "    fil: plan.csv\n"
                          "body:\n"
                          "  - table:\n"
                          "      data: plan\n"
                          "      colums: []\n"));
    assert_msg(f, 0,
               "t.yaml:2:3: error: clave desconocida 'heder' en 'report'; "
               "¿quiso decir 'header'?");
    assert_msg(f, 1,
               "t.yaml:5:5: error: clave desconocida 'fil' en 'data.plan'; "
               "¿quiso decir 'file'?");
    assert_msg(f, 2,
               "t.yaml:5:5: error: la fuente 'plan' necesita 'file' o "
               "'from'");
    assert_msg(f, 3,
               "t.yaml:9:7: error: clave desconocida 'colums' en 'table'; "
               "¿quiso decir 'columns'?");
    assert_int_equal(f->d.errors, 4);
}

static void schema_should_list_keys_when_nothing_is_close(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "report:\n"
                          "  page: {tamano: carta}\n"
                          "body: []\n"));
    assert_int_equal(f->d.errors, 1);
    assert_msg(f, 0,
               "t.yaml:2:10: error: clave desconocida 'tamano' en "
               "'report.page'; claves admitidas: size, orientation, margin");
}

static void schema_should_check_enumerations(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "report:\n"
                          "  page: {size: a5, orientation: diagonal}\n"
                          "body:\n"
                          "  - text: hola\n"
                          "    align: centre\n"));
    assert_msg(f, 0,
               "t.yaml:2:16: error: valor desconocido 'a5' en 'size'; "
               "¿quiso decir 'a4'?");
    assert_msg(f, 1,
               "t.yaml:2:33: error: valor desconocido 'diagonal' en "
               "'orientation'; valores admitidos: vertical, horizontal, "
               "portrait, landscape");
    assert_msg(f, 2,
               "t.yaml:5:12: error: valor desconocido 'centre' en 'align'; "
               "¿quiso decir 'center'?");
    assert_int_equal(f->d.errors, 3);
}

static void schema_should_check_value_kinds(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "report: [a]\n"
                          "styles:\n"
                          "  semaforo: {min: 1}\n"
                          "body:\n"
                          "  - table: plan\n"
                          "  - list: {numbered: quizás, items: []}\n"
                          "  - page_break: 3\n"
                          "  - toc: {levels: 9}\n"));
    assert_msg(f, 0,
               "t.yaml:1:9: error: se esperaba un mapa (clave: valor) en "
               "'report' y se encontró una lista");
    assert_msg(f, 1,
               "t.yaml:3:13: error: se esperaba una lista de umbrales en el "
               "estilo 'semaforo' y se encontró un mapa");
    assert_msg(f, 2,
               "t.yaml:5:12: error: se esperaba un mapa (clave: valor) en "
               "'table' y se encontró un texto");
    assert_msg(f, 3,
               "t.yaml:6:22: error: se esperaba true o false y se encontró "
               "'quizás'");
    assert_msg(f, 4,
               "t.yaml:7:17: error: se esperaba true o false y se encontró "
               "'3'");
    assert_msg(f, 5,
               "t.yaml:8:19: error: el valor 9 está fuera del rango (de 1 a "
               "6)");
    assert_int_equal(f->d.errors, 6);
}

static void schema_should_check_lengths_widths_and_colours(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "report:\n"
                          "  page: {margin: {top: 2cm, left: -1cm}}\n"
                          "data:\n"
                          "  p: {file: p.csv}\n"
                          "styles:\n"
                          "  s:\n"
                          "    - fill: #FFF\n"
                          "body:\n"
                          "  - space: 2px\n"
                          "  - table:\n"
                          "      data: p\n"
                          "      columns:\n"
                          "        - {field: a, width: 140%}\n"
                          "        - {field: b, width: ancho}\n"
                          "        - {field: c, width: '40 %'}\n"
                          "  - chart:\n"
                          "      data: p\n"
                          "      category: c\n"
                          "      series: [{value: v, color: azul}]\n"));
    assert_msg(f, 0,
               "t.yaml:2:35: error: la longitud no puede ser negativa: "
               "'-1cm'");
    assert_msg(f, 1,
               "t.yaml:7:12: error: falta el color; escríbalo entre comillas "
               "(\"#RRGGBB\"): sin ellas, '#' empieza un comentario");
    assert_msg(f, 2,
               "t.yaml:9:12: error: unidad de longitud desconocida 'px' en "
               "'2px'; use cm, mm, pt o in");
    assert_msg(f, 3,
               "t.yaml:13:29: error: porcentaje de ancho no válido '140%' (de "
               "1% a 100%)");
    assert_msg(f, 4,
               "t.yaml:14:29: error: se esperaba una longitud (2cm, 20mm, "
               "56.7pt, 1in) y se encontró 'ancho'");
    /* The number before '%' is read as a number of the template. */
    assert_msg(f, 5,
               "t.yaml:15:29: error: se esperaba un número y se encontró "
               "'40 '");
    assert_msg(f, 6,
               "t.yaml:19:34: error: color no válido 'azul'; se esperaba "
               "\"#RRGGBB\" o \"#RGB\"");
    assert_int_equal(f->d.errors, 7);
}

static void schema_should_report_undefined_sources_and_styles(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "data:\n"
                          "  plan: {file: plan.csv}\n"
                          "  derivado: {from: plna}\n"
                          "  unido: {file: u.csv, join: {data: otra, on: k}}\n"
                          "styles:\n"
                          "  semaforo: [{min: 80, fill: \"#B7E1CD\"}]\n"
                          "body:\n"
                          "  - table:\n"
                          "      data: plam\n"
                          "      columns: [{field: a, fill: semafor}]\n"
                          "  - chart: {data: xyz, category: c, series: "
                          "[{value: v}], fill: rojo}\n"));
    assert_msg(f, 0,
               "t.yaml:3:20: error: fuente de datos 'plna' no definida; "
               "¿quiso decir 'plan'?");
    assert_msg(f, 1,
               "t.yaml:4:37: error: fuente de datos 'otra' no definida en "
               "'data'");
    assert_msg(f, 2,
               "t.yaml:9:13: error: fuente de datos 'plam' no definida; "
               "¿quiso decir 'plan'?");
    assert_msg(f, 3,
               "t.yaml:10:34: error: estilo 'semafor' no definido; ¿quiso "
               "decir 'semaforo'?");
    assert_msg(f, 4,
               "t.yaml:11:19: error: fuente de datos 'xyz' no definida en "
               "'data'");
    assert_msg(f, 5,
               "t.yaml:11:65: error: estilo 'rojo' no definido en 'styles'");
    assert_int_equal(f->d.errors, 6);
}

static void schema_should_report_missing_required_keys(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "data:\n"
                          "  a: {file: a.csv}\n"
                          "  b: {file: b.csv, from: a}\n"
                          "  c: {from: a, unpivot: {name: n}}\n"
                          "body:\n"
                          "  - chart:\n"
                          "      data: a\n"
                          "      series: [{label: x}]\n"
                          "  - table: {columns: [{title: T}]}\n"));
    assert_msg(f, 0,
               "t.yaml:3:26: error: la fuente 'b' tiene 'file' y 'from'; use "
               "solo uno");
    assert_msg(f, 1,
               "t.yaml:4:25: error: falta la clave 'columns' en "
               "'unpivot'");
    assert_msg(f, 2,
               "t.yaml:8:16: error: falta la clave 'value' en "
               "'chart.series'");
    assert_msg(f, 3, "t.yaml:7:7: error: falta la clave 'category' en 'chart'");
    assert_msg(f, 4,
               "t.yaml:9:23: error: la columna necesita 'field' o 'value'");
    assert_msg(f, 5, "t.yaml:9:12: error: falta la clave 'data' en 'table'");
    assert_int_equal(f->d.errors, 6);
}

static void schema_should_check_block_shapes(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "body:\n"
                          "  - tabel: {data: x}\n"
                          "  - text: hola\n"
                          "    table: {}\n"
                          "  - table:\n"
                          "    data: x\n"
                          "  - section: Plan\n"
                          "    contnt: []\n"
                          "  - {foo: 1}\n"
                          "  - solo un texto\n"));
    assert_msg(f, 0,
               "t.yaml:2:5: error: tipo de bloque desconocido 'tabel'; "
               "¿quiso decir 'table'?");
    assert_msg(f, 1,
               "t.yaml:4:5: error: el bloque ya es 'text' (línea 3); ¿falta "
               "un '-' antes de 'table'?");
    assert_msg(f, 2,
               "t.yaml:5:11: error: se esperaba un mapa (clave: valor) en "
               "'table' pero el valor está vacío");
    assert_msg(f, 3,
               "t.yaml:6:5: error: 'data' es una opción de 'table': "
               "escríbala dentro de 'table', con más sangría");
    assert_msg(f, 4,
               "t.yaml:8:5: error: clave desconocida 'contnt' en el bloque "
               "'section'; ¿quiso decir 'content'?");
    assert_msg(f, 5,
               "t.yaml:9:5: error: el bloque no tiene tipo; use uno de: "
               "cover, toc, section, heading, text, list, table, chart, "
               "page_break, space, image");
    assert_msg(f, 6,
               "t.yaml:10:5: error: se esperaba un bloque (por ejemplo "
               "'text: ...') y se encontró un texto");
    assert_int_equal(f->d.errors, 7);
}

static void schema_should_check_nested_section_content(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "body:\n"
                          "  - section: A\n"
                          "    content:\n"
                          "      - section: {title: B, content: [{txt: x}]}\n"
                          "  - section: {number: false}\n"));
    assert_msg(f, 0,
               "t.yaml:4:40: error: tipo de bloque desconocido 'txt'; ¿quiso "
               "decir 'text'?");
    assert_msg(f, 1, "t.yaml:5:14: error: falta la clave 'title' en 'section'");
    assert_int_equal(f->d.errors, 2);
}

static void schema_should_stop_at_absurd_nesting(void **state)
{
    struct fx *f = *state;
    char text[4096] = "body: ";
    for (int i = 0; i < 40; i++)
        strcat(text, "[{section: s, content: ");
    strcat(text, "[]");
    for (int i = 0; i < 40; i++)
        strcat(text, "}]");
    strcat(text, "\n");
    /* 81 levels of YAML: past the default yaml_depth, which would stop
     * the reading before the schema sees the sections */
    const char *why;
    assert_true(limits_set("yaml_depth=200", &why));
    bool ok = check(f, text);
    limits_reset();
    assert_false(ok);
    assert_int_equal(f->d.errors, 1);
    char *got = diag_format(&f->d.msgs[0]);
    assert_non_null(strstr(got, "demasiados niveles de secciones anidadas "
                                "(más de 32)"));
    free(got);
}

static void schema_should_check_params_and_data_details(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "params:\n"
                          "  vigencia: {type: entero, default: 2018}\n"
                          "  lista: [1, 2]\n"
                          "data:\n"
                          "  a:\n"
                          "    file: a.csv\n"
                          "    delimiter: \"/\"\n"
                          "    columns: {meta: numero}\n"
                          "    limit: -1\n"
                          "  b: {from: c}\n"
                          "  c: {from: b}\n"
                          "styles:\n"
                          "  s:\n"
                          "    - {fill: \"#FFFFFF\"}\n"
                          "    - {min: 1, fill: \"#000000\"}\n"
                          "body: []\n"));
    assert_msg(f, 0,
               "t.yaml:2:20: error: valor desconocido 'entero' en 'type'; "
               "valores admitidos: text, integer, number, percent, date, "
               "money");
    assert_msg(f, 1,
               "t.yaml:3:10: error: se esperaba un valor o un mapa {type, "
               "default} en 'params.lista' y se encontró una lista");
    assert_msg(f, 2,
               "t.yaml:8:21: error: valor desconocido 'numero' como tipo de "
               "la columna 'meta'; ¿quiso decir 'number'?");
    assert_msg(f, 3,
               "t.yaml:9:12: error: el valor -1 está fuera del rango (de 0 a "
               "1000000000)");
    assert_msg(f, 4,
               "t.yaml:7:16: error: separador no admitido '/'; use \",\", "
               "\";\", \"|\" o tab");
    assert_msg(f, 5,
               "t.yaml:10:13: error: la fuente 'b' se deriva de sí misma");
    assert_msg(f, 6,
               "t.yaml:11:13: error: la fuente 'c' se deriva de sí misma");
    assert_int_equal(f->d.errors, 7);
    assert_int_equal(f->d.warnings, 1);
    assert_msg(f, 7,
               "t.yaml:15:7: aviso: este umbral nunca se usa: el anterior no "
               "tiene 'min' y acepta todos los valores");
}

static void schema_should_check_axis_and_target(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "data: {p: {file: p.csv}}\n"
                          "body:\n"
                          "  - chart:\n"
                          "      data: p\n"
                          "      category: c\n"
                          "      series: [{value: v}]\n"
                          "      axis: {min: 100, max: 0, step: 0, unit: x}\n"
                          "      target: {label: Meta}\n"
                          "      mode: apilado\n"));
    assert_msg(f, 0,
               "t.yaml:7:41: error: clave desconocida 'unit' en 'chart.axis'; "
               "claves admitidas: min, max, step");
    assert_msg(f, 1,
               "t.yaml:7:29: error: 'max' debe ser mayor que 'min' en "
               "'chart.axis'");
    assert_msg(f, 2,
               "t.yaml:7:38: error: 'step' debe ser mayor que cero en "
               "'chart.axis'");
    assert_msg(f, 3,
               "t.yaml:8:15: error: falta la clave 'value' en "
               "'chart.target'");
    assert_msg(f, 4,
               "t.yaml:9:13: error: valor desconocido 'apilado' en 'mode'; "
               "valores admitidos: grouped, stacked");
    assert_int_equal(f->d.errors, 5);
}

static void schema_should_stop_at_the_error_limit(void **state)
{
    struct fx *f = *state;
    char text[4096] = "body:\n";
    for (int i = 0; i < 50; i++)
        strcat(text, "  - {xx: 1}\n");
    assert_false(check(f, text));
    assert_true(diag_full(&f->d));
    assert_int_equal(f->d.errors, DIAG_MAX_ERRORS);
}

static void schema_should_reject_a_root_that_is_not_a_map(void **state)
{
    struct fx *f = *state;
    assert_false(check(f, "- text: hola\n"));
    assert_msg(f, 0,
               "t.yaml:1:1: error: la plantilla debe ser un mapa con las "
               "secciones report, params, data, styles y body y se encontró "
               "una lista");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
        T(schema_should_accept_the_documented_language),
        T(schema_should_accept_every_shipped_template),
        T(schema_should_require_body),
        T(schema_should_suggest_a_close_key),
        T(schema_should_list_keys_when_nothing_is_close),
        T(schema_should_check_enumerations),
        T(schema_should_check_value_kinds),
        T(schema_should_check_lengths_widths_and_colours),
        T(schema_should_report_undefined_sources_and_styles),
        T(schema_should_report_missing_required_keys),
        T(schema_should_check_block_shapes),
        T(schema_should_check_nested_section_content),
        T(schema_should_stop_at_absurd_nesting),
        T(schema_should_check_params_and_data_details),
        T(schema_should_check_axis_and_target),
        T(schema_should_stop_at_the_error_limit),
        T(schema_should_reject_a_root_that_is_not_a_map),
#undef T
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
