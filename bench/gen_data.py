#!/usr/bin/env python3
"""Deterministic data for informe's benchmarks (docs/performance.md).

  gen_data.py DIR [--scale S|L] [--plan-rows N] [--entities N]
                  [--compromisos N] [--seed N]
      furag.csv, plan.csv and compromisos.csv for bench/spec.yaml (and
      bench/resumen.yaml):
        furag.csv        entidad,dimension,politica,puntaje_anterior,
                         puntaje_actual (17 rows per entity)
        plan.csv         id,programa,actividad,responsable,meta,ejecutado,
                         avance,fecha_corte
        compromisos.csv  numero,compromiso,responsable,fecha_limite,estado,
                         observaciones
      S: 1 entity, 60 plan rows, 20 compromisos;
      L: 50 entities, 20,000 plan rows, 2,000 compromisos.

  gen_data.py DIR --national N [--groups G] [--seed N]
      furag_2018.csv, furag_2017.csv (the wide FURAG export of
      samples/: one row per entity, D1..D7 and POL01..POL17) and
      politicas.csv for N entities in G peer groups (default 40), for
      templates/furag.yaml and bench/grupo-par.yaml.

The same arguments give the same bytes: only random.Random(seed).random()
is used, whose sequence CPython keeps stable. Standard library only.
"""
import argparse
import csv
import os
import random
import sys

SCALES = {
    "S": {"entities": 1, "plan_rows": 60, "compromisos": 20},
    "L": {"entities": 50, "plan_rows": 20000, "compromisos": 2000},
}

# The 7 dimensions of MIPG and their 17 policies, in report order.
DIMENSIONS = [
    ("D1", "Talento Humano", ["Gestión Estratégica del\nTalento Humano",
                              "Integridad"]),
    ("D2", "Direccionamiento\nEstratégico y Planeación",
     ["Planeación Institucional",
      "Gestión Presupuestal y\nEficiencia del Gasto Público"]),
    ("D3", "Gestión con Valores para Resultados",
     ["Fortalecimiento\nOrganizacional y Simplificación de Procesos",
      "Gobierno Digital", "Seguridad Digital", "Defensa Jurídica",
      "Mejora Normativa", "Servicio al Ciudadano",
      "Racionalización de Trámites",
      "Participación Ciudadana\nen la Gestión Pública"]),
    ("D4", "Evaluación de Resultados",
     ["Seguimiento y Evaluación\ndel Desempeño Institucional"]),
    ("D5", "Información y Comunicación",
     ["Transparencia, Acceso a\nla Información y Lucha contra la "
      "Corrupción", "Gestión Documental"]),
    ("D6", "Gestión del Conocimiento y\nla Innovación",
     ["Gestión del Conocimiento\ny la Innovación"]),
    ("D7", "Control Interno", ["Control Interno"]),
]


def flat(s):
    return s.replace("\n", " ")


KINDS = [  # naturaleza jurídica, name prefix
    ("Alcaldía", "Alcaldía de"),
    ("Gobernación", "Gobernación de"),
    ("Empresa Social del Estado", "E.S.E. Hospital de"),
    ("Empresa de Servicios Públicos", "Empresas Públicas de"),
    ("Establecimiento Público", "Instituto de Deporte y Recreación de"),
    ("Instituto Descentralizado", "Instituto de Tránsito de"),
    ("Concejo", "Concejo Municipal de"),
    ("Personería", "Personería Municipal de"),
]
TIERS = ["Categoría especial y 1", "Categorías 2 y 3", "Categoría 4",
         "Categoría 5", "Categoría 6"]
PLACES = [
    ("Cauca", "Popayán"), ("Boyacá", "Tunja"), ("Huila", "Neiva"),
    ("Nariño", "Pasto"), ("Córdoba", "Montería"), ("La Guajira", "Riohacha"),
    ("Chocó", "Quibdó"), ("Caquetá", "Florencia"), ("Casanare", "Yopal"),
    ("Boyacá", "Sogamoso"), ("Antioquia", "Medellín"), ("Cesar", "Valledupar"),
    ("Santander", "Bucaramanga"), ("Tolima", "Ibagué"), ("Meta", "Granada"),
    ("Sucre", "Sincelejo"), ("Magdalena", "Ciénaga"), ("Putumayo", "Mocoa"),
    ("Arauca", "Tame"), ("Quindío", "Armenia"),
]

PROGRAMAS = ["Uso eficiente del agua", "Uso eficiente de la energía",
             "Gestión integral de residuos", "Consumo sostenible",
             "Prácticas sostenibles"]
ACCIONES = ["Realizar", "Poner en marcha", "Diseñar y ejecutar",
            "Hacer seguimiento a", "Divulgar", "Formular", "Revisar",
            "Actualizar", "Capacitar a los funcionarios en"]
TEMAS_PLAN = {
    "Uso eficiente del agua": [
        "la revisión mensual de fugas en las redes hidráulicas",
        "el cambio de griferías por modelos de bajo consumo",
        "la lectura semanal de los medidores de agua de cada sede",
        "el aprovechamiento de aguas lluvias en zonas verdes"],
    "Uso eficiente de la energía": [
        "la sustitución de luminarias por tecnología LED",
        "el apagado automático de equipos al final de la jornada",
        "la medición del consumo eléctrico por piso y por sede",
        "el mantenimiento de los equipos de climatización"],
    "Gestión integral de residuos": [
        "la separación de residuos en puntos ecológicos",
        "la entrega de material reciclable a organizaciones de recicladores",
        "el manejo de residuos peligrosos (tóneres, pilas y luminarias)",
        "el registro mensual de residuos generados por dependencia"],
    "Consumo sostenible": [
        "los criterios ambientales de los pliegos de contratación",
        "la reducción del papel con firma y archivo electrónicos",
        "la compra de elementos de oficina reutilizables",
        "la impresión a doble cara como opción predeterminada"],
    "Prácticas sostenibles": [
        "la semana ambiental con actividades para las familias",
        "el día sin carro y el uso de la bicicleta",
        "la siembra de árboles nativos con la comunidad",
        "el reconocimiento a la dependencia más sostenible"],
}
DETALLES = [
    "según el cronograma aprobado por el comité",
    "en todas las sedes de la entidad",
    "con apoyo de la Secretaría de Ambiente",
    "y publicar los resultados en la intranet",
    "con participación de contratistas y visitantes",
    "para responder a la pregunta ¿cuánto ahorramos?",
    "con la campaña «Cada gota cuenta»",
    "durante el primer trimestre del año",
]
RESPONSABLES = ["Grupo de Gestión Ambiental", "Oficina Asesora de Planeación",
                "Subdirección Administrativa", "Servicios Generales",
                "Almacén General", "Talento Humano",
                "Oficina de Comunicaciones"]
COMPROMISOS = ["Presentar al comité el informe de",
               "Actualizar el procedimiento de",
               "Formular el plan de mejoramiento de",
               "Publicar en la página web el avance de",
               "Revisar con Control Interno los hallazgos de",
               "Definir los indicadores de"]
TEMAS_COMP = ["la política de integridad", "gestión documental",
              "racionalización de trámites", "rendición de cuentas",
              "seguridad digital", "atención al ciudadano y PQRSD",
              "gobierno digital", "defensa jurídica"]
RESP_COMP = ["Secretaría General", "Oficina Asesora de Planeación",
             "Oficina de Control Interno", "Oficina Asesora Jurídica",
             "Subdirección de Talento Humano", "Atención al Ciudadano"]
OBSERVACIONES = ["", "Pendiente de aprobación.",
                 "Se pidió prórroga por memorando.",
                 "Evidencias cargadas en el repositorio.",
                 "Falta la publicación en la página web.",
                 "Sin avance en el trimestre."]
CORTE = "2018-03-31"
DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]


class Rng:
    """random.Random(seed), used only through .random()."""

    def __init__(self, seed):
        self.r = random.Random(seed)

    def u(self):
        return self.r.random()

    def below(self, n):
        return min(int(self.r.random() * n), n - 1)

    def pick(self, seq):
        return seq[self.below(len(seq))]

    def normal(self, mu, sigma):
        return mu + sigma * (sum(self.r.random() for _ in range(12)) - 6.0)


def score(x):
    """x clamped to [0, 100], one decimal, as text."""
    t = int(max(0.0, min(100.0, x)) * 10 + 0.5)
    return "%d.%d" % (t // 10, t % 10)


def write(path, header, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for row in rows:
            w.writerow(row)


def entity_name(i):
    kind = KINDS[i % len(KINDS)][1]
    dept, town = PLACES[(i // len(KINDS)) % len(PLACES)]
    n = i // (len(KINDS) * len(PLACES))
    return "%s %s" % (kind, town) + (" %d" % (n + 1) if n else "")


def spec_furag(rng, entities):
    for i in range(entities):
        name = entity_name(i)
        bias = rng.normal(0.0, 6.0)
        for _, dim, policies in DIMENSIONS:
            for pol in policies:
                before = rng.normal(65.0 + bias, 10.0)
                yield [name, flat(dim), flat(pol), score(before),
                       score(before + rng.normal(4.0, 6.0))]


def activity(rng, programa):
    s = "%s %s" % (rng.pick(ACCIONES), rng.pick(TEMAS_PLAN[programa]))
    for _ in range(rng.below(3)):
        d = rng.pick(DETALLES)
        if d not in s:
            s += (", " if rng.u() < 0.5 else " ") + d
    return s if s[-1] in "?»" else s + "."


def plan(rng, rows):
    for i in range(rows):
        programa = PROGRAMAS[i * len(PROGRAMAS) // rows]
        meta = 5 + rng.below(300)
        r = rng.u()
        frac = (rng.u() * 0.6 if r < 0.25 else
                0.6 + rng.u() * 0.2 if r < 0.5 else 0.8 + rng.u() * 0.2)
        done = min(meta, int(meta * frac + 0.5))
        t = (done * 2000 + meta) // (2 * meta)
        yield [str(i + 1), programa, activity(rng, programa),
               rng.pick(RESPONSABLES), str(meta), str(done),
               "%d.%d" % (t // 10, t % 10), CORTE]


def compromisos(rng, n):
    for i in range(n):
        text = "%s %s." % (rng.pick(COMPROMISOS), rng.pick(TEMAS_COMP))
        month = 1 + rng.below(3) if rng.u() < 0.4 else 4 + rng.below(9)
        day = "2018-%02d-%02d" % (month, 1 + rng.below(DAYS[month - 1]))
        r = rng.u()
        if day <= CORTE:
            estado = "Cumplido" if r < 0.5 else "Vencido"
        else:
            estado = "Cumplido" if r < 0.2 else "En curso"
        yield [str(i + 1), text, rng.pick(RESP_COMP), day, estado,
               rng.pick(OBSERVACIONES)]


def national_header():
    h = ["Código Sigep", "Entidad", "Naturaleza Jurídica", "Departamento",
         "Municipio", "Grupo par", "Índice de Desempeño\nInstitucional"]
    h += ["%s %s" % (code, dim) for code, dim, _ in DIMENSIONS]
    k = 0
    for _, _, policies in DIMENSIONS:
        for pol in policies:
            k += 1
            h.append("POL%02d %s" % (k, pol))
    return h


def national(rng, entities, groups, shift):
    """Rows of both years: the same entities and groups; 2017 scores are
    2018's minus a progress, POL09 not measured in 2017."""
    cur, old = [], []
    for i in range(entities):
        kind = KINDS[i % len(KINDS)][0]
        dept, town = PLACES[(i // len(KINDS)) % len(PLACES)]
        group = "Grupo par %02d" % (1 + (i * 7919) % groups)
        bias = rng.normal(0.0, 7.0)
        dims, pols = [], []
        for _, _, policies in DIMENSIONS:
            ps = [rng.normal(66.0 + bias, 9.0) for _ in policies]
            pols += ps
            dims.append(sum(ps) / len(ps))
        idi = sum(dims) / len(dims)
        progress = rng.normal(shift, 3.0)
        head = [str(10001 + i), entity_name(i), kind, dept, town, group]
        cur.append(head + [score(idi)] + [score(x) for x in dims + pols])
        before = [score(x - progress) for x in [idi] + dims + pols]
        before[1 + len(dims) + 8] = ""  # POL09, new in 2018
        old.append(head + before)
    return cur, old


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("dir")
    ap.add_argument("--scale", choices=sorted(SCALES), default="S")
    ap.add_argument("--plan-rows", type=int)
    ap.add_argument("--entities", type=int)
    ap.add_argument("--compromisos", type=int)
    ap.add_argument("--national", type=int, metavar="N")
    ap.add_argument("--groups", type=int, default=40)
    ap.add_argument("--seed", type=int, default=2018)
    a = ap.parse_args(argv)
    os.makedirs(a.dir, exist_ok=True)
    out = lambda name: os.path.join(a.dir, name)  # noqa: E731
    if a.national is not None:
        if a.national < 1 or a.groups < 1:
            ap.error("--national and --groups must be >= 1")
        cur, old = national(Rng(a.seed), a.national, a.groups, 3.5)
        write(out("furag_2018.csv"), national_header(), cur)
        write(out("furag_2017.csv"), national_header(), old)
        rows, k = [], 0
        for code, dim, policies in DIMENSIONS:
            for pol in policies:
                k += 1
                rows.append(["POL%02d" % k, flat(pol), code, flat(dim)])
        write(out("politicas.csv"),
              ["codigo", "politica", "dimension_codigo", "dimension"], rows)
        return 0
    cfg = dict(SCALES[a.scale])
    for key in ("plan_rows", "entities", "compromisos"):
        v = getattr(a, key)
        if v is not None:
            if v < 1:
                ap.error("--%s must be >= 1" % key.replace("_", "-"))
            cfg[key] = v
    # One stream per file: --plan-rows does not change the other files.
    write(out("furag.csv"), ["entidad", "dimension", "politica",
                             "puntaje_anterior", "puntaje_actual"],
          spec_furag(Rng(a.seed * 3 + 1), cfg["entities"]))
    write(out("plan.csv"), ["id", "programa", "actividad", "responsable",
                            "meta", "ejecutado", "avance", "fecha_corte"],
          plan(Rng(a.seed * 3 + 2), cfg["plan_rows"]))
    write(out("compromisos.csv"), ["numero", "compromiso", "responsable",
                                   "fecha_limite", "estado",
                                   "observaciones"],
          compromisos(Rng(a.seed * 3 + 3), cfg["compromisos"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
