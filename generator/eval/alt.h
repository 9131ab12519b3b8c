/* alt: what a chart shows, in words, for a screen reader: the figure's
 * alternate description in the PDF, written from the chart's evaluated
 * data in es-CO:
 *
 *   Puntaje por dimensión de MIPG, vigencia anterior y actual: D1 Talento
 *   Humano 63,2 y 70,2; D2 Direccionamiento Estratégico 70,4 y 64,5; meta 80
 *
 * The subject is the caption (else the only series' label, else "Gráfico
 * de barras"); with several series, their labels follow, lower-cased and
 * with a first word they share said once. Values are formatted as the
 * chart's labels are; a missing one is "sin dato". Up to ALT_MAX_CATEGORIES
 * categories are listed (each name cut at ALT_MAX_NAME bytes); beyond
 * that, or past ALT_MAX_BYTES, the description gives the count and the
 * extremes of the last series instead ("17 categorías; el valor más alto
 * es 92,1 (Gestión Documental) y el más bajo 45,0 (Control Interno)").
 * A line chart is described by its span and, per series, its last
 * value, where it falls and its range ("Avance acumulado del plan,
 * planeado y ejecutado: de ene. 2018 a dic. 2018; planeado 100,0 % en
 * dic. 2018, entre 4,0 % y 100,0 %; ejecutado 55,0 % en ago. 2018, entre
 * 2,0 % y 55,0 %"); its subject falls back to "Gráfico de líneas".
 * A target line ends it: its label, with the value when the label has
 * none. Layout puts "Figura N. " before it. */
#ifndef INFORME_ALT_H
#define INFORME_ALT_H

#include "base/arena.h"
#include "doc/doc.h"

#define ALT_MAX_CATEGORIES 12
#define ALT_MAX_NAME 80
#define ALT_MAX_BYTES 1200

/* The description of chart c, in a. */
const char *alt_chart(struct arena *a, const struct chart_block *c);

#endif
