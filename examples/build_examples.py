"""Regenerate the example capture workbooks and their expected figures.

Run from anywhere:

    python examples/build_examples.py

It (re)writes, next to this script:

* 2018-presidencia-T1.xlsx  - seed 000, ramo 01 Presidencia, 1st quarter,
  percentage against META ANUAL, three-row table header, signatures ABOVE
  the table.
* 2023-cdi-T2.xlsx          - seed 001, ramo 59 Comisión de Desarrollo
  Industrial, units 101/102/201, 2nd quarter, META ANUAL, two-row table
  header with the computed columns AVANCE ABSOLUTO / ACUMULADO RELATIVO.
* 2024-turismo-T1.xlsx      - seed 004, ramo 58 Comité de Turismo y
  Convenciones, 1st quarter, PROGRAMADO AL PERIODO, three-row header.
* expected_figures.json     - for every workbook, unit sheet and goal number,
  the AVANCE ABSOLUTO and ACUMULADO RELATIVO the tool must print.

The workbooks follow the contract in the project's input-workbook spec
(v1).  The seeds are text extracted from published PDF reports of the form
TMM-F004; the extraction lost the table grid, so the values below were read
together with the printed totals.  Output is deterministic: document
properties and zip timestamps are fixed, so rerunning the script produces
byte-identical files.

Deviations from the (garbled) seed text, and why
-------------------------------------------------
General
  * Extraction artifacts fixed: "MUNI CIPAL" -> "MUNICIPAL",
    "FRONTERIZ OS" -> "FRONTERIZOS", "MEDURA" -> "MESURA" (2023, 4.6.1),
    "6.3.L" -> "6.3.1" (2018, PY15), "GÓNZALEZ" -> "GONZÁLEZ" (2018, PY15).
    Trailing dots in codes ("8.5.2.", "8.7.2.", "6.1.1.", "6.1.3.") are
    dropped.  Staff typos inside descriptions and observations (CONDUCHIR,
    TRANCURSO, ALFUENCIA, ...) are kept as typed.
  * The goal number goes to the NÚM. column ("2.3", "100"); the description
    loses its "2.3.-" / "100.- " prefix.
  * OBSERVACIONES that were only "SE CUMPLIÓ SATISFACTORIAMENTE." are left
    blank (the tool composes that phrase); every other text is kept as typed.
  * Alcanzado of quarters after TRIMESTRE is left blank even where the seed
    printed 0.
  * Signature legends (column D) are copied as printed, including the odd
    ones (2023 unit 201 "RESPONSABLE DE LA UNIDAD EJECUTIVA"; 2024 unit
    58201 "RESPONSABLE DEL RAMO" / "RESPONSABLE DE LA META").  2018 prints no
    legend, so D is left blank there (the tool's defaults apply).  2024
    prints no cargo, so column C of its signatures is blank.
2018 (seed 000)
  * FECHA varies per unit in the seed (3-, 6- and 9-abr-18); GENERAL uses
    9-abr-18.
  * Goal 1: the seed prints meta anual 90 but 25 %; meta anual set to 360
    with 90 programmed per quarter (90 / 360 = 25 %).
  * Goal 1.1 and goal 2: no ACUMULADO RELATIVO (and for 2 no avance)
    printed; expected figures are the computed 0 / 0 %.
  * Goal 2.1: the seed prints P2..P4 = 2 and avance 2, which contradicts
    both meta 12 and the printed 25 % (A1 = 3).  P2..P4 set to 3 (sum 12)
    and the expected avance is 3 (3 / 12 = 25 %).
  * Goal 4.2: no P4 printed; P4 = 1 so that P1..P4 add up to meta 3.
  * Goals 5.3 and 5.4: the single 1 sits one column to the right (A3 and
    A2); read as P3 = 1 and P2 = 1 (alcanzado after T is not captured; the
    observations say the work falls in later quarters).
  * Unit 004 PY14: REVISÓ and AUTORIZÓ names missing in the seed; AUTORIZÓ
    missing in PY15 too, and PY15's REVISÓ reads "LIC. ALFONSO MARTÍNEZ".
    All set to "LIC. ALFONSO MARTÍNEZ MORENO", as on the other pages.
    PY15's ELABORÓ cargo "COORDINADOR" completed to "COORDINADOR DE FOMENTO
    Y DESARROLLO ECONÓMICO" as on the PY14 page.
  * The coordinator's surname is printed "BADIÑA" on one page and
    "BADILLA" on the other; each page keeps its own spelling.
2023 (seed 001)
  * Unit 101 (first page) prints no AVANCE ABSOLUTO column; the avance in
    the workbook is the computed one (A1 + A2).
  * Goal 102: the printed P values add up to 5 against meta 6; P4 set to 2.
    Avance 1 (1 / 6 = 17 %, as printed).
  * Goal 205: the seed prints only zeros (meta 1); P4 = 1, as the same
    goal is programmed in the 2024 report.
  * Goal 206: the seed prints avance 1 / 100 % but no programado; P2 = 1
    and A2 = 1 (the same goal is programmed in Abr-Jun in 2024).
  * Goal 305: read as P = 70/100/100/70, A1 = 70, A2 = 102 (avance 172,
    51 %, programado adds up to 340); the extra "100" tokens are noise.
2024 (seed 004)
  * Base PROGRAMADO AL PERIODO: goals with nothing programmed in Ene-Mar
    (100, 104, 204, 205, 206, 400, 405, 500, 505) get N/A (base 0, spec
    section 5 and the worked example in section 6); the seed printed 0 %.
  * Unit 58102: "4 GOBERNAR PARA SERVIR", printed under LÍNEAS DE ACCIÓN,
    is an eje de gobierno and goes to EJE DE GOBIERNO.
  * Unit 58201: "3 MEXICALI CRECE", "4 GOBERNAR PARA SERVIR" and "2
    BIENESTAR PARA TODOS" (printed under LÍNEAS DE ACCIÓN) go to EJE DE
    GOBIERNO; "3.2.2 ...,3.3.2 ..." printed in one row is split in two.
  * Unit 202: "4.6.1 ..." and "3.2.2 ..." printed under EJE DE GOBIERNO
    are líneas de acción.  Its PROGRAMA is kept as printed (511 with the
    description of 582).
  * Unit 58201, goals 300, 301, 302, 303, 305: only three P values are
    printed; the fourth is meta minus the others (P4 = 3, 9, 1, 3, 3).
  * Goal 304: the "5" before 100 % is P4 (2 + 9 + 5 + 5 = 21), not the
    avance; A1 = 2 and 2 / P1 2 = 100 %, so the expected avance is 2.
  * Goal 306: the seed prints only avance 1 / 100 %; P1 = 1 and A1 = 1.
  * Goals 100 and 104 keep P1 and A1 blank, as printed (spec section 6).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

HERE = Path(__file__).resolve().parent
FIXED_TIME = datetime(2024, 1, 1, 0, 0, 0)

META_ANUAL = "META ANUAL"
PROGRAMADO = "PROGRAMADO AL PERIODO"
QUARTERS = ("ENE-MAR", "ABR-JUN", "JUL-SEP", "OCT-DIC")
TEXT = "@"  # number format of code cells


# --------------------------------------------------------------------------
# Data model
# --------------------------------------------------------------------------

@dataclass
class Goal:
    la: str            # línea(s) de acción, space separated
    num: str           # goal number, text
    description: str
    unit: str          # unidad de medida
    meta: int
    p: tuple           # programado per quarter, None = blank cell
    a: tuple           # alcanzado for quarters 1..T, None = blank cell
    obs: str = ""      # staff justification (OBSERVACIONES)
    seed: tuple = (None, None)  # (avance, relativo) as printed in the seed
    note: str = ""     # why the expected figures differ from `seed`


@dataclass
class Unit:
    sheet: str
    header: list       # [(label, [(code, description), ...]), ...]
    goals: list
    signatures: list   # [(label, name, cargo, legend), ...]


@dataclass
class Example:
    filename: str
    ayuntamiento: str
    year: int
    quarter: int
    fecha: date
    base: str
    emails: str
    table_rows: int    # 3 = official PERIODO/quarter/P-A header, 2 = quarter/P-A
    la_label: str
    desc_label: str
    signatures_above: bool = False
    units: list = field(default_factory=list)


def g(la, num, desc, unit, meta, p, a, obs="", seed=(None, None), note=""):
    """Shorthand constructor for a goal."""
    return Goal(la, num, desc, unit, meta, tuple(p), tuple(a), obs, seed, note)


def header(labels, ramo, programa, ue, finalidad, funcion, subfuncion,
           proyecto=None, ejes=(), lineas=()):
    """Build a header block; `labels` maps field names to the sheet's label text."""
    rows = [(labels["ramo"], [ramo]), (labels["programa"], [programa])]
    if proyecto:
        rows.append((labels["proyecto"], [proyecto]))
    rows += [
        (labels["ue"], [ue]),
        (labels["finalidad"], [finalidad]),
        (labels["funcion"], [funcion]),
        (labels["subfuncion"], [subfuncion]),
    ]
    if ejes:
        rows.append((labels["eje"], list(ejes)))
    if lineas:
        rows.append((labels["lineas"], list(lineas)))
    return rows


def signatures(elaboro, reviso, autorizo):
    """Each argument is (name, cargo, legend)."""
    return [("ELABORÓ", *elaboro), ("REVISÓ", *reviso), ("AUTORIZÓ", *autorizo)]


# Label spellings: 2018 uses the canonical labels, 2023 the trailing colon and
# 2024 the unaccented spelling of their seeds (all equal under spec's matching).
LABELS_2018 = dict(ramo="RAMO", programa="PROGRAMA", proyecto="PROYECTO",
                   ue="UNIDAD EJECUTORA", finalidad="FINALIDAD",
                   funcion="FUNCIÓN", subfuncion="SUBFUNCIÓN",
                   eje="EJE DE GOBIERNO", lineas="LÍNEAS DE ACCIÓN")
LABELS_2018_UR = dict(LABELS_2018, ue="UNIDAD RESPONSABLE")
LABELS_2023 = {k: v + ":" for k, v in LABELS_2018.items()}
LABELS_2024 = dict(LABELS_2018, ramo="RAMO:", funcion="FUNCION",
                   subfuncion="SUBFUNCION", lineas="LINEAS DE ACCION")


# --------------------------------------------------------------------------
# 2018 - seed 000 - ramo 01 Presidencia, 1st quarter, base META ANUAL
# --------------------------------------------------------------------------

RAMO_01 = ("01", "PRESIDENCIA")
PROG_010 = ("010", "GESTIÓN Y CONDUCCIÓN DE LA POLÍTICA DEL PRESIDENTE MUNICIPAL")
GOBIERNO = ("1", "GOBIERNO")
PRESIDENCIA_GUB = ("1", "PRESIDENCIA / GUBERNATURA")
SERV_REGISTRALES = ("1", "SERVICIOS REGISTRALES, ADMINISTRATIVOS Y PATRIMONIALES")
LA_863 = ("8.6.3", "ADMINISTRACIÓN DE LOS RECURSOS PÚBLICOS")
SECRETARIO = "SECRETARIO PARTICULAR DEL PRESIDENTE MUNICIPAL"
ALFONSO = "LIC. ALFONSO MARTÍNEZ MORENO"
GASTO = "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES."

EX_2018 = Example(
    filename="2018-presidencia-T1.xlsx",
    ayuntamiento="XXII AYUNTAMIENTO DE MEXICALI, B.C.",
    year=2018, quarter=1, fecha=date(2018, 4, 9), base=META_ANUAL,
    emails="tesoreria@example.org",
    table_rows=3, la_label="L/A", desc_label="DESCRIPCIÓN DE METAS Y ACCIONES",
    signatures_above=True,
)
EX_2018.units = [
    Unit(
        "005 Coord. Administrativa",
        header(LABELS_2018, RAMO_01, ("000", "ADMINISTRACIÓN"),
               ("005", "COORDINACIÓN ADMINISTRATIVA"), GOBIERNO,
               ("8", "OTROS SERVICIOS GENERALES"), SERV_REGISTRALES,
               lineas=[LA_863]),
        [
            g("8.6.3", "1", "INSTRUMENTAR UN PROGRAMA QUE ESTABLEZCA CONTROLES ADMINISTRATIVOS SUFICIENTES PARA OPTIMIZAR EL USO DE LOS RECURSOS DE LA INSTITUCIÓN, CONTRIBUYENDO A LA MEJORA DE LAS FINANZAS PÚBLICAS.",
              "EFICIENCIA PROGRAMÁTICA PRESUPUESTAL", 360, (90, 90, 90, 90), (90,),
              seed=("90", "25%")),
            g("8.6.3", "1.1", "ELABORAR EL ANTEPROYECTO ANUAL DEL PRESUPUESTO DE EGRESOS 2019, TOMANDO EN CUENTA LAS NECESIDADES Y DISPOSICIONES CORRESPONDIENTES.",
              "ANTEPROYECTO", 1, (0, 0, 0, 1), (0,),
              seed=("0", None), note="relativo not printed"),
            g("8.6.3", "1.2", "VIGILAR EL CUMPLIMIENTO DEL PROGRAMA OPERATIVO ANUAL A TRAVÉS DE LA PRESENTACIÓN DEL AVANCE TRIMESTRAL.",
              "AVANCE DE GESTIÓN", 4, (1, 1, 1, 1), (1,), seed=("1", "25%")),
            g("8.6.3", "1.3", GASTO, "REPORTE", 4, (1, 1, 1, 1), (1,), seed=("1", "25%")),
        ],
        signatures(("MTRA. DIANA ARRIOLA BASTIDAS", "COORDINADOR ADMINISTRATIVO", ""),
                   (ALFONSO, SECRETARIO, ""), (ALFONSO, SECRETARIO, "")),
    ),
    Unit(
        "001 Oficina del Titular",
        header(LABELS_2018, RAMO_01, PROG_010, ("001", "OFICINA DEL TITULAR"),
               GOBIERNO, ("3", "COORDINACIÓN DE POLÍTICA DE GOBIERNO"), PRESIDENCIA_GUB,
               lineas=[("8.1.3", "ATENCIÓN CIUDADANA"),
                       ("8.1.7", "IMAGEN INSTITUCIONAL"), LA_863]),
        [
            g("8.1.3", "2", "CONDUCIR LA COMPLEMENTACIÓN DE POLÍTICAS PÚBLICAS QUE GARANTICEN LA SALVAGUARDA DE LOS INTERESES DE LA CIUDADANÍA Y LA PRESTACIÓN DE LOS SERVICIOS PÚBLICOS, CONSOLIDANDO UN MUNICIPIO INCLUYENTE, COMPETITIVO Y SEGURO.",
              "INFORME DE GOBIERNO", 1, (0, 0, 0, 1), (0,),
              note="avance and relativo not printed"),
            g("8.1.3", "2.1", "IMPULSAR LAS ESTRATEGIAS Y PROGRAMAS INSTITUCIONALES MEDIANTE REUNIONES CON DIRECTORES DE LA ADMINISTRACIÓN MUNICIPAL Y OTROS ORGANISMOS.",
              "REUNIÓN", 12, (3, 3, 3, 3), (3,), seed=("2", "25%"),
              note="printed avance 2 contradicts A1 = 3 and 25 %"),
            g("8.1.7", "2.2", "REALIZAR EVENTOS ESTRATÉGICOS QUE CONTRIBUYAN A FOMENTAR EL ACERCAMIENTO ENTRE EL GOBIERNO Y LA CIUDADANÍA.",
              "EVENTO", 62, (8, 10, 20, 24), (8,), seed=("8", "13%")),
            g("8.6.3", "2.7", GASTO, "REPORTE", 4, (1, 1, 1, 1), (1,), seed=("1", "25%")),
        ],
        signatures((ALFONSO, SECRETARIO, ""), (ALFONSO, SECRETARIO, ""),
                   (ALFONSO, SECRETARIO, "")),
    ),
    Unit(
        "003 Atención Ciudadana",
        header(LABELS_2018_UR, RAMO_01, PROG_010, ("003", "ATENCIÓN CIUDADANA"),
               GOBIERNO, ("3", "COORDINACIÓN DE POLÍTICA DE GOBIERNO"), PRESIDENCIA_GUB,
               lineas=[("2.3.1", "APOYOS DE ORDEN SOCIAL"),
                       ("8.1.3", "ATENCIÓN CIUDADANA"), LA_863]),
        [
            g("2.3.1", "2.3", "ATENDER Y GESTIONAR ANTE LAS INSTANCIAS CORRESPONDIENTES LAS SOLICITUDES CIUDADANAS RECIBIDAS, POR LOS CONDUCTOS: MIÉRCOLES CIUDADANOS, DÍAS CIUDADANOS, GIRAS DEL PRESIDENTE MUNICIPAL, VÍA TELEFÓNICA Y REDES SOCIALES, CON EL FIN DE ASEGURAR EL CUMPLIMIENTO OPORTUNO DE LAS MISMAS.",
              "PETICIÓN ATENDIDA", 20000, (6000, 4500, 5000, 4500), (3506,),
              obs="NO SE ALCANZÓ LA META, DEBIDO A QUE GRÁN PORCENTAJE DE PETICIONES POR RESOLVER, SE CANALIZAN A DIVERSAS DEPENDENCIAS Y REQUIEREN UNA PROGRAMACION, CONFORME A LAS ACTIVIDADES CON LAS QUE CUENTA CADA UNA, PARA PODER DARLE EL SEGUIMIENTO CORRESPONDIENTE.",
              seed=("3,506", "18%")),
            g("2.3.1", "2.4", "ATENDER A PERSONAS EN SITUACIÓN DE VULNERABILIDAD, MEDIANTE LA ENTREGA DE APOYOS.",
              "APOYO", 320, (40, 60, 140, 80), (80,),
              obs="SE REBASÓ LA META, DEBIDO A LAS MÚLTIPLES PETICIONES DE APOYO QUE SE RECIBIERON POR INICIO DE AÑO.",
              seed=("80", "25%")),
            g("8.1.3", "2.5", 'ORGANIZAR EL PROGRAMA DE VINCULACIÓN SOCIAL, "MIÉRCOLES CIUDADANO", ASISTIR A LOS EVENTOS Y ATENDER A LOS CIUDADANOS DURANTE LAS GIRAS DEL PRESIDENTE MUNICIPAL.',
              "EVENTO", 120, (20, 20, 40, 40), (40,),
              obs="SE REBASÓ LA META, DEBIDO A LOS MÚLTIPLES EVENTOS QUE SE REALIZARON CON EL ALCALDE.",
              seed=("40", "33%")),
            g("8.6.3", "2.8", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", "REPORTE", 4,
              (1, 1, 1, 1), (1,), seed=("1", "25%")),
        ],
        signatures(("MTRA. DIANA ARRIOLA BASTIDAS", "COORDINADOR DE ATENCIÓN CIUDADANA", ""),
                   (ALFONSO, SECRETARIO, ""), (ALFONSO, SECRETARIO, "")),
    ),
    Unit(
        "004 Fomento Económico",
        header(LABELS_2018_UR, RAMO_01, PROG_010, ("004", "FOMENTO Y DESARROLLO ECONÓMICO"),
               GOBIERNO, ("3", "COORDINACIÓN DE LA POLÍTICA DE GOBIERNO"), PRESIDENCIA_GUB,
               lineas=[("6.2.1", "PROMOCIÓN DE LA INVERSIÓN"), LA_863]),
        [
            g("6.2.1", "2.6", "COORDINAR LAS ESTRATEGIAS DE PROMOCIÓN PARA FORTALECER LA ATRACCIÓN, RETENCIÓN Y CRECIMIENTO DE LA INVERSIÓN Y LOS TURISTAS QUE FOMENTAN LA GENERACIÓN DE EMPLEO EN MEXICALI.",
              "GESTIÓN", 8, (2, 2, 2, 2), (3,),
              obs="GESTIONES PARA PLAZA SENDERO, MEDLINE Y CALZADA.", seed=("3", "38%")),
            g("8.6.3", "2.9", GASTO, "REPORTE", 4, (1, 1, 1, 1), (1,), seed=("1", "25%")),
        ],
        signatures(("LIC. JOSÉ LUIS GONZÁLEZ CANALES", "COORDINADOR DE FOMENTO Y DESARROLLO ECONOMICO", ""),
                   (ALFONSO, SECRETARIO, ""), (ALFONSO, SECRETARIO, "")),
    ),
    Unit(
        "002 Coord. de Directores",
        header(LABELS_2018, RAMO_01, PROG_010, ("002", "COORDINACIÓN DE DIRECTORES"),
               GOBIERNO, ("3", "COORDINACIÓN DE LA POLÍTICA DE GOBIERNO"),
               ("1", "PRESIDENCIA/GUBERNATURA"),
               lineas=[("8.5.2", "GESTIÓN FINANCIERA DE RECURSOS ADICIONALES"), LA_863]),
        [
            g("8.5.2", "3", "INTEGRAR Y COORDINAR LA PARTICIPACIÓN DEL SECTOR PÚBLICO, PRIVADO Y SOCIAL EN MESAS DE TRABAJO ESPECÍFICAS PARA EL DESARROLLO DE PROYECTOS MUNICIPALES.",
              "PROYECTO", 4, (0, 2, 0, 2), (0,), seed=("0", "0%")),
            g("8.5.2", "3.1", "CONVOCAR Y CONDUCHIR REUNIONES DE GABINETES INTERDISCIPLINARIOS PARA LA COORDINACIÓN Y SEGUIMIENTO DE LOS PROYECTOS ESTRATÉGICOS.",
              "MINUTA DE ACUERDO", 32, (8, 8, 8, 8), (1,),
              obs="DERIVADO DE LA INTENSA AGENDA DE LAS DEPENDENCIAS Y ENTIDADES DEL MES DE MARZO, POR MOTIVO DEL ANIVERSARIO DE LA MEXICALI, LAS REUNIONES DE LOS GABINETES INTERDISCIPLINARIOS FUERON REPROGRAMADAS PARA CELEBRARSE EN EL MES DE ABRIL.",
              seed=("1", "3%")),
            g("8.5.2", "3.2", "DAR SEGUIMIENTO A LOS ACUERDOS GENERADOS EN LAS MESAS DE TRABAJO ESPECÍFICAS CON EL SECTOR PÚBLICO, PRIVADO Y SOCIAL PARA EL DESARROLLO DE PROYECTOS MUNICIPALES.",
              "REPORTE", 12, (3, 3, 3, 3), (3,), seed=("3", "25%")),
            g("8.5.2", "3.3", "COORDINAR Y DAR SEGUIMIENTO AL DESARROLLO DE LAS REUNIONES BINACIONALES ENTRE LOS GOBIERNOS MUNICIPALES Y FRONTERIZOS.",
              "INFORME EJECUTIVO", 2, (0, 1, 0, 1), (0,), seed=("0", "0%")),
            g("8.6.3", "3.4", GASTO, "REPORTE", 4, (1, 1, 1, 1), (1,), seed=("1", "25%")),
        ],
        signatures(("ING. NORA AMÉRICA BADIÑA SOTO", "COORDINADOR DE DIRECTORES", ""),
                   (ALFONSO, SECRETARIO, ""), (ALFONSO, SECRETARIO, "")),
    ),
    Unit(
        "002 PY10 Evaluación Desempeño",
        header(LABELS_2018, RAMO_01, PROG_010, ("002", "COORDINACIÓN DE DIRECTORES"),
               GOBIERNO, ("5", "ASUNTOS FINANCIEROS Y HACENDARIOS"),
               ("1", "ASUNTOS FINANCIEROS"),
               proyecto=("PY10", "SISTEMA DE EVALUACIÓN DEL DESEMPEÑO"),
               lineas=[("8.7.2", "SISTEMA PARA LA GESTIÓN DE RESULTADOS Y EL SEGUIMIENTO DEL PMD")]),
        [
            g("8.7.2", "4", "IMPLEMENTAR UN MECANISMO DE MONITOREO PARA CONOCER EL GRADO DE AVANCE DE LOS PROYECTOS ESTRATEGICOS DE LA ADMINISTRACION MUNICIPAL",
              "SISTEMA", 1, (1, 0, 0, 0), (0,),
              obs="SE CUENTA CON EL DISEÑO DEL MODELO CONCEPTUAL DEL SISTEMA DE MONITOREO, ESTÁ EN PROCESO LA INSTALACIÓN DE LOS IMPLEMENTOS TECNOLÓGICOS PARA EL FUNCIONAMIENTO DEL SISTEMA.",
              seed=("0", "0%")),
            g("8.7.2", "4.1", "DISEÑAR UN SISTEMA DE MONITOREO PARA EL SEGUIMIENTO DE LOS PROYECTOS ESTRATÉGICOS",
              "SISTEMA", 1, (1, 0, 0, 0), (1,), seed=("1", "100%")),
            g("8.7.2", "4.2", "MONITOREO Y SEGUIMIENTO DE PROYECTOS ESTRATÉGICOS",
              "INFORME", 3, (0, 1, 1, 1), (0,), seed=("0", "0%")),
        ],
        signatures(("ING. NORA BADILLA SOTO", "COORDINADORA DE DIRECTORES", ""),
                   ("LIC. ALFONSO MARTINEZ MORENO", SECRETARIO, ""),
                   ("LIC. ALFONSO MARTINEZ MORENO", SECRETARIO, "")),
    ),
    Unit(
        "004 PY14 Mejora Regulatoria",
        header(LABELS_2018, RAMO_01, PROG_010, ("004", "FOMENTO Y DESARROLLO ECONÓMICO"),
               GOBIERNO, ("8", "OTROS SERVICIOS GENERALES"), SERV_REGISTRALES,
               proyecto=("PY14", "MEJORA REGULATORIA Y SIMPLIFICACIÓN PARA LA INVERSIÓN"),
               lineas=[("6.1.1", "MEJORA REGULATORIA Y SIMPLIFICACIÓN PARA LA INVERSIÓN"),
                       ("6.1.3", "REDUCCIÓN DE INHIBIDORES")]),
        [
            g("6.1.1", "5", "IMPULSAR UN PROGRAMA DE MEJORA REGULATORIA EN EL MUNICIPIO MEDIANTE LA IMPLEMENTACIÓN DE LA LICENCIA DE FUNCIONAMIENTO PARA EMPRESAS CON LA FINALIDAD DE FACILITAR LA APERTURA DE NEGOCIOS",
              "PROGRAMA", 1, (1, 0, 0, 0), (1,),
              obs="SE ENCUENTRAN DEFINIDOS LAS ACCIONES GENERALES NECESARIAS. ESTA EN PROCESO LA CONTRATACIÓN DE SERVICIOS PARA LA INTEGRACIÓN DEL RETYSE Y PARA EL DESARROLLO DEL SISTEMA DE DIGITALIZACIÓN",
              seed=("1", "100%")),
            g("6.1.1", "5.1", "PRESENTAR UN ANTEPROYECTO DE REGLAMENTO MUNICIPAL QUE TENGA COMO PROPÓSITO ARTICULAR LOS PROCESOS DE LAS DEPENDENCIAS MUNICIPALES INVOLUCRADAS",
              "ANTEPROYECTO", 1, (1, 0, 0, 0), (0,),
              obs="LA PROPUESTA DE ANTEPROYECTO SE ENCUENTRA EN PROCESO. SE ESTÁ TRABAJANDO EN CONJUNTO CON LAS ÁREAS INVOLUCRADAS Y SE ESTIMA PRESENTAR LA PROPUESTA PARA VALORACIÓN DE COMISIONES DEL CABILDO EN EL TRANCURSO DEL SEGUNDO TRIMESTRE.",
              seed=("0", "0%")),
            g("6.1.1", "5.2", "INTEGRAR UN REGISTRO MUNICIPAL DE TRÁMITES CONFORME A LAS RECOMENDACIONES DE LA COMISIÓN FEDERAL DE MEJORA REGULATORIA",
              "REGISTRO", 1, (1, 0, 0, 0), (0,),
              obs="SE CONTRATARÁ EL SERVICIO EN EL TRANCURSO DEL SEGUNDO TRIMESTRE.",
              seed=("0", "0%")),
            g("6.1.1", "5.3", "DESARROLLAR EL PROCESO Y SISTEMA PARA LA LICENCIA DE FUNCIONAMIENTO DE EMPRESAS, QUE PERMITA HABILITAR EL PROCESO POR INTERNET",
              "SISTEMA", 1, (0, 0, 1, 0), (0,),
              obs="SE HAN VENIDO TRABAJANDO PROCESOS CON LAS ÁREAS PARA FACILITAR EL PROCESO. ESTA EN PROCESO DE CONTRATACIÓN EL SERVICIO PARA EL DESARROLLO DEL SISTEMA. SE ESTIMA QUEDE FORMALIZADO DURANTE EL PRIMER MES DEL SEGUNDO TRIMESTRE DEL AÑO.",
              seed=("0", "0%")),
            g("6.1.1", "5.4", "PRESENTAR UN PROYECTO DE NORMA TÉCNICA PARA EL FUNCIONAMIENTO DEL REGISTRO ÚNICO DE PERSONAS ACREDITADAS DEL AYUNTAMIENTO, QUE ESTABLEZCA UN PROCESO ÚNICO DE ACREDITACIÓN JURÍDICA ANTE EL AYUNTAMIENTO, QUE EVITE LA PETICIÓN REITERADA DE DOCUMENTOS ENTRE DEPENDENCIAS.",
              "NORMA", 1, (0, 1, 0, 0), (0,),
              obs="SE HA VENIDO TRABAJANDO PROCESOS CON LAS ÁREAS PARA DETERMINAR EL MEJOR FLUJO POSIBLE PARA EL FUNCIONAMIENTO DEL REGISTRO. CON ESA BASE SE ELABORARÁ LA NORMA DURANTE EL SEGUNDO TRIMESTRE DEL AÑO.",
              seed=("0", "0%")),
        ],
        signatures(("LIC. JOSÉ LUIS GONZÁLEZ CANALES", "COORDINADOR DE FOMENTO Y DESARROLLO ECONÓMICO", ""),
                   (ALFONSO, SECRETARIO, ""), (ALFONSO, SECRETARIO, "")),
    ),
    Unit(
        "004 PY15 Innovación",
        header(LABELS_2018, RAMO_01, PROG_010, ("004", "FOMENTO Y DESARROLLO ECONÓMICO"),
               GOBIERNO, ("3", "COORDINACIÓN DE LA POLÍTICA DE GOBIERNO"), PRESIDENCIA_GUB,
               proyecto=("PY15", "APOYO A LA INNOVACIÓN Y AL EMPRENDIMIENTO"),
               lineas=[("6.3.1", "ECOSISTEMA DE INNOVACIÓN Y EMPRENDIMIENTO")]),
        [
            g("6.3.1", "6", "IMPULSAR LA CULTURA EMPRENDEDORA EN MEXICALI MEDIANTE LA REALIZACIÓN DE ACCIONES QUE ESTIMULEN LA CREATIVIDAD, LA INNOVACIÓN Y EL DESARROLLO DE PROYECTOS DE NEGOCIO QUE AGREGUEN VALOR AL MUNICIPIO.",
              "PROGRAMA", 1, (1, 0, 0, 0), (1,),
              obs="SE CUENTA CON EL PROGRAMA DE ACTIVIDADES PARA EMPRENDEDORES, DE LA MANO CON LA RED DE APOYO AL EMPRENDEDOR DEL ESTADO Y DEL INSTITUTO NACIONAL DEL EMPRENDEDOR.",
              seed=("1", "100%")),
            g("6.3.1", "6.1", "REALIZAR UN ESTUDIO QUE NOS PERMITA IDENTIFICAR OPORTUNIDADES DE EMPRENDIMIENTO INNOVADOR A PARTIR DE LAS CAPACIDADES Y OPORTUNIDADES QUE TIENE EL MUNICIPIO.",
              "PROGRAMA", 1, (1, 0, 0, 0), (0,),
              obs="SE CONTRARÁ EL SERVICIO EN EL TRANCURSO DEL SEGUNDO TRIMESTRE, DEBIDO A QUE SE ESTA GESTIONANDO EN CONJUNTO CON EL COMITÉ DE VINCULACIÓN ESCUELA - EMPRESA DE MEXICALI LA PARTICIPACIÓN DE LAS UNIVERSIDADES MÁS IMPORTANTES DE LA LOCALIDAD EN EL ESTUDIO.",
              seed=("0", "0%")),
            g("6.3.1", "6.2", 'APOYAR EL TALENTO EMPRENDEDOR LOCAL MEDIANTE EL OTORGAMIENTO DE LAS BECAS "EMPRENDAMOS JUNTOS POR MEXICALI" QUE COSTEE Y RECONOZCA LA PARTICIPACIÓN DE HABITANTES DEL MUNICIPIO EN CONCURSOS Y ESTANCIAS DE EMPRENDIMIENTO.',
              "APOYO", 50, (10, 10, 20, 10), (0,),
              obs="SE ESTARÁN ENTREGANDO BECAS A PARTIR DE LA EMISIÓN DE SUS REGLAS DE OPERACIÓN, QUE SE ESTIMA PUBLICAR EN EL TRANCURSO DEL PRIMER DEL MES DEL SEGUNDO TRIMESTRE DE 2018.",
              seed=("0", "0%")),
            g("6.3.1", "6.3", 'ESTABLECER LOS TÉRMINOS Y CONDICIONES PARA OTORGAR LA BECA "EMPRENDAMOS POR MEXICALI" MEDIANTE LA GENERACIÓN DE UNAS REGLAS DE OPERACIÓN QUE ASEGUREN LA ENTREGA DE APOYOS A EMPRENDEDORES.',
              "NORMA", 1, (1, 0, 0, 0), (0,),
              obs="SE CUENTA CON PROPUESTA LA CUAL SE PUBLICARÁ EN EL TRANCURSO DEL PRIMER MES DEL SEGUNDO TRIMESTRE DE 2018.",
              seed=("0", "0%")),
            g("6.3.1", "6.4", 'IMPULSAR EL EMPRENDIMIENTO ENTRE PERSONAS Y MICROEMPRESAS LOCALES MEDIANTE LA REALIZACIÓN DEL EVENTO "RETO MEXICALI 2018", EN EL QUE SE DESARROLLEN PROPUESTAS DE PRODUCTOS Y SERVICIOS CREATIVOS E INNOVADORES QUE POSICIONES POSITIVAMENTE AL MUNICIPIO O PROCUREN LA ATENCIÓN DE PROBLEMÁTICAS LOCALES.',
              "EVENTO", 1, (0, 1, 0, 0), (1,),
              obs="EL RETO MEXICALI 2018 SE ADELANTÓ DE ABRIL A MARZO PARA INTEGRARLO A LAS ACTIVIDADES DEL 115 ANIVERSARIO DEL MUNICIPIO. DEL 15 AL 16 DE MARZO SE REALIZÓ LA ACTIVIDAD DEL HACKATÓN EN LA CASA DE LA CULTURA DE MEXICALI. DE MARZO A LA FECHA SE ESTÁ REALIZANDO EL RETO CERVEZA ARTESANAL DE ANIVERSARIO, QUE CONCLUIRÁ EN MAYO.",
              seed=("1", "100%")),
        ],
        signatures(("LIC. JOSÉ LUIS GONZÁLEZ CANALES", "COORDINADOR DE FOMENTO Y DESARROLLO ECONÓMICO", ""),
                   (ALFONSO, SECRETARIO, ""), (ALFONSO, SECRETARIO, "")),
    ),
]


# --------------------------------------------------------------------------
# 2023 - seed 001 - ramo 59 CDI, units 101/102/201, 2nd quarter, META ANUAL
# --------------------------------------------------------------------------

RAMO_59 = ("59", "COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI")
PROG_511 = ("511", "GESTIÓN ADMINISTRATIVA")
DES_ECO = ("3", "DESARROLLO ECONÓMICO")
MINERIA = ("4", "MINERÍA, MANUFACTURA Y CONSTRUCCIÓN")
MANUFACTURA = ("2", "MANUFACTURA")
LA_461 = ("4.6.1", "MESURA EN EL EJERCICIO DE LOS RECURSOS PÚBLICOS")
AARON = "LIC. AARÓN ALEXIS ÁLVAREZ MARÍN"
ENCARGADO = "ENCARGADO DEL DESPACHO DE LA DIRECCIÓN EJECUTIVA"
LEG_UE = "RESPONSABLE DE LA UNIDAD EJECUTORA"
LEG_PROG = "RESPONSABLE DEL PROGRAMA"
LEG_RAMO = "RESPONSABLE DEL RAMO"
GASTO_2023 = "Seguimiento al gasto de servicios personales."

EX_2023 = Example(
    filename="2023-cdi-T2.xlsx",
    ayuntamiento="XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA",
    year=2023, quarter=2, fecha=date(2023, 6, 30), base=META_ANUAL,
    emails="tesoreria@example.org; poa@example.org",
    table_rows=2, la_label="LÍNEA DE ACCIÓN P.M.D.",
    desc_label="DESCRIPCIÓN DE METAS Y ACCIONES (Subprograma Gob. Y Proyecto-Proceso)",
)
EX_2023.units = [
    Unit(
        "101 Dirección",
        header(LABELS_2023, RAMO_59, PROG_511, ("101", "DIRECCIÓN"), DES_ECO, MINERIA,
               MANUFACTURA, lineas=[LA_461]),
        [
            g("4.6.1", "100", "Gestionar y supervisar las actividades de administración de recursos y de promoción industrial, con el fin de promover a Mexicali como destino de inversión y negocios.",
              "INFORME", 2, (0, 1, 0, 1), (0, 1), seed=(None, "50%"),
              note="avance not printed on this page"),
            g("4.6.1", "101", GASTO_2023, "NÓMINA", 52, (13, 13, 13, 13), (13, 13),
              seed=(None, "50%"), note="avance not printed on this page"),
            g("4.6.1", "102", "Celebrar sesiones del Órgano de Gobierno conforme a lo establecido en acuerdo de creación.",
              "SESIÓN", 6, (2, 1, 1, 2), (1, 0),
              obs="No se realizó sesión debido a falta de Quorum en las convocatorias, complicándose en ese periodo la realización para la agenda de compromisos fuera del País por los integrantes del consejo.",
              seed=(None, "17%"), note="avance not printed on this page"),
            g("4.6.1", "103", "Efectuar reuniones con empresas, organismos y membresía a fin de presentar informe de gestión de resultados.",
              "REUNIÓN", 4, (1, 1, 1, 1), (3, 3),
              obs="Se realizaron reuniones mensuales con los integrantes de la membresía para presentar los avances de cada mes.",
              seed=(None, "150%"), note="avance not printed on this page"),
        ],
        signatures((AARON, ENCARGADO, LEG_UE), (AARON, ENCARGADO, LEG_PROG),
                   (AARON, ENCARGADO, LEG_RAMO)),
    ),
    Unit(
        "102 Depto. Administrativo",
        header(LABELS_2023, RAMO_59, PROG_511, ("102", "DEPARTAMENTO ADMINISTRATIVO"),
               DES_ECO, MINERIA, MANUFACTURA,
               lineas=[("4.3.3", "TRANSICIÓN HACIA LA TRANSPARENCIA PROACTIVA Y LOS DATOS ABIERTOS"),
                       LA_461]),
        [
            g("4.3.3 4.6.1", "200", "Administrar eficientemente los recursos humanos, materiales y financieros, mediante un sistema contable y administrativo en apego a la normatividad aplicable, para dar cumplimiento a los programas y actividades de la entidad.",
              "INFORME", 4, (1, 1, 1, 1), (1, 1), seed=("2", "50%")),
            g("4.6.1", "201", GASTO_2023, "NÓMINA", 52, (13, 13, 13, 13), (13, 13),
              seed=("26", "50%")),
            g("4.6.1", "202", "Elaborar y entregar informes de avance de gestión financiera y cuenta pública conforme a lo establecido por el Consejo Nacional de Armonización contable (CONAC).",
              "INFORME DE AVANCE DE GESTIÓN FINANCIERA", 4, (1, 1, 1, 1), (1, 1),
              seed=("2", "50%")),
            g("4.3.3", "203", "Mantener actualizada información de interés público en portal de internet (micro sitio) de conformidad a lo establecido en artículos 81, 82 y 83 de la Ley de Transparencia y Acceso a la Información Pública.",
              "ACUSE", 4, (1, 1, 1, 1), (1, 1), seed=("2", "50%")),
            g("4.6.1", "204", "Actualizar el padrón de bienes muebles e inmuebles a través del levantamiento físico de inventario.",
              "PADRÓN ACTUALIZADO", 2, (0, 1, 0, 1), (0, 1), seed=("1", "50%")),
            g("4.6.1", "205", "Elaborar proyecto de estimación de ingresos y presupuesto de egresos en base a los lineamientos, emitidos por la Tesorería Municipal.",
              "PROYECTO", 1, (0, 0, 0, 1), (0, 0), seed=("0", "0%")),
            g("4.6.1", "206", "Actualizar los instrumentos normativos.",
              "DOCUMENTOS", 1, (0, 1, 0, 0), (0, 1), seed=("1", "100%")),
            g("4.6.1", "207", "Gestionar y administrar el abastecimiento de materiales, suministros, servicios y equipo necesario para el cumplimiento de las metas y objetivos de los diversos departamentos que conforman la entidad.",
              "SUMINISTROS", 12, (3, 3, 3, 3), (3, 3), seed=("6", "50%")),
        ],
        signatures(("LIC. FABIOLA LEÓN HUERTA CABRERA", "COORDINADOR ADMINISTRATIVO", LEG_UE),
                   (AARON, ENCARGADO, LEG_PROG), (AARON, ENCARGADO, LEG_RAMO)),
    ),
    Unit(
        "201 Promoción Industrial",
        header(LABELS_2023, RAMO_59, ("592", "PROMOCIÓN Y ATRACCIÓN DE INVERSIONES SOSTENIBLES"),
               ("201", "DEPARTAMENTO DE PROMOCIÓN INDUSTRIAL"), DES_ECO, MINERIA, MANUFACTURA,
               lineas=[("2.3.1", "SENSIBILIZACIÓN EN MATERIA DE GÉNERO Y DIVERSIDAD"),
                       ("3.1.1", "PROYECTO INTEGRAL PARA LA COMPETITIVIDAD"),
                       ("3.1.2", "PROMOCIÓN DE INVERSIONES"),
                       ("3.2.1", "DIVERSIFICACIÓN Y REVITALIZACIÓN ECONÓMICA"),
                       ("3.2.3", "INNOVACIÓN EN EL SECTOR SERVICIOS"),
                       ("3.3.1", "VINCULACIÓN ENTRE GOBIERNO, INICIATIVA PRIVADA, ACADEMIA Y SOCIEDAD CIVIL"),
                       ("3.3.2", "FORMACIÓN, CAPACITACIÓN E INCUBACIÓN")]),
        [
            g("2.3.1 3.1.1 3.1.2 3.2.1 3.2.3 3.3.1 3.3.2", "300", "Fomentar el establecimiento y la expansión de empresas mediante el programa de promoción de las vocaciones industriales, así como de los beneficios del compromiso de género, con el fin de crear más y mejores empleos.",
              "EMPRESA", 15, (4, 5, 4, 2), (7, 9),
              obs="Debido a que la ciudad de Mexicali cumple con los requerimientos para el desarrollo de la industria, fue mayor la respuesta favorable de la empresas interesadas en invertir en la Ciudad, por lo que en este 2do trimestre del año, se generaron 8 expansiones y 1 nueva inversión.",
              seed=("16", "107%")),
            g("3.1.2", "301", GASTO_2023, "NÓMINA", 52, (13, 13, 13, 13), (13, 13),
              seed=("26", "50%")),
            g("2.3.1", "302", "Contribuir a disminuir la brecha de desigualdad entre hombres y mujeres, fomentando la perspectiva de género en la aplicación de nuestros programas, identificando y registrando la población objetivo que atiende nuestra entidad, desagregada por sexo.",
              "INFORME", 4, (1, 1, 1, 1), (1, 1), seed=("2", "50%")),
            g("3.1.2", "303", "Promover el desarrollo económico con organismos públicos y privados afines; locales, regionales, nacionales e internacionales mediante reuniones presenciales y/o virtuales, con el fin de organizar y realizar actividades de promoción y retención para la mejora de los sectores productivos de Mexicali.",
              "REUNIÓN", 72, (12, 33, 19, 8), (12, 24),
              obs="Este trimestre no se llegó a la meta respecto a las reuniones con organismos, toda vez que la respuesta fue mayor de las empresas del sector industrial, interesadas en conocer a Mexicali para invertir, quedando rezagada la actividad con organismos.",
              seed=("36", "50%")),
            g("3.1.1 3.2.1 3.2.3 3.3.1 3.3.2", "304", "Contribuir al desarrollo económico de la industria nacional para fortalecer la cadena de valor local y generar oportunidades de negocio a las MIPYMES locales establecidas en Mexicali proveedoras de la industria, a través de sesiones con la empresa nacional, organismos públicos y privados nacionales e internacionales, instituciones educativas, comités de vinculación y organismos de innovación.",
              "SESIÓN", 20, (4, 6, 6, 4), (4, 6), seed=("10", "50%")),
            g("3.1.1 3.1.2 3.2.1", "305", "Generar actividades de prospección que fomenten inversiones, expansiones y negocios industriales, estableciendo contacto con empresas interesadas en Mexicali y/o empresas ya establecidas a través de bases de datos de prospección, creación de contenido virtual, participación en agendas, giras, eventos y webinars.",
              "PROSPECTO", 340, (70, 100, 100, 70), (70, 102),
              obs="Debido al momento de oportunidad económica que vive la región por el Nearshoring, además de los contactos generados por la búsqueda focalizada que realizan los promotores de la CDI, las empresas se contactan directamente o llegan mediante recomendación, quienes están interesadas en Mexicali y las cuales se contacta para promocionar la Ciudad.",
              seed=("172", "51%")),
            g("3.1.1 3.2.1 3.2.3", "306", "Realizar visitas de retención a las empresas de todos los sectores instaladas en la ciudad de Mexicali, en su operación local, corporativos y/o de manera virtual, para atender sus necesidades y fomentar la inversión en la ciudad.",
              "REUNIÓN", 20, (4, 6, 6, 4), (4, 6), seed=("10", "50%")),
            g("2.3.1", "307", "Promocionar y recomendar la aplicación de igualdad de género en el sector industrial.",
              "EMPRESA", 12, (3, 3, 3, 3), (2, 2),
              obs="Debido a los pocos requerimientos de seminarios durante el trimestre, no fue posible el efectuar reunión que permitiera la promoción y recomendación de la aplicación de género.",
              seed=("4", "33%")),
        ],
        signatures((AARON, "COORDINADOR DE PROMOCIÓN", "RESPONSABLE DE LA UNIDAD EJECUTIVA"),
                   (AARON, ENCARGADO, LEG_PROG), (AARON, ENCARGADO, LEG_RAMO)),
    ),
]


# --------------------------------------------------------------------------
# 2024 - seed 004 - ramo 58 Turismo, 1st quarter, PROGRAMADO AL PERIODO
# --------------------------------------------------------------------------

RAMO_58 = ("58", "COMITE DE TURISMO Y CONVENCIONES DEL MUNICIPIO DE MEXICALI, BAJA CALIFORNIA")
PROG_511_24 = ("511", "GESTION ADMINISTRATIVA")
PROG_582 = ("582", "PROMOCIÓN Y CONSERVACIÓN DE LOS RECURSOS TURÍSTICOS")
TURISMO_FIN = ("3.7.1", "TURISMO")
TURISMO_FUN = ("3.7", "TURISMO")
TURISMO_SUB = ("3.7.1", "TURISMO")
EJE_3 = ("3", "MEXICALI CRECE")
EJE_4 = ("4", "GOBERNAR PARA SERVIR")
LA_322 = ("3.2.2", "PROMOCION DE VOCACIONES TURISTICAS ALTERNATIVAS")
LA_461_24 = ("4.6.1", "MESURA EN EL EJERCICIO DE LOS RECURSOS PUBLICOS")
NANCY = "NANCY PAOLA MINOR IBARRA"
NA_NOTE = "nothing programmed in Ene-Mar: base 0 gives N/A (seed printed 0%)"

EX_2024 = Example(
    filename="2024-turismo-T1.xlsx",
    ayuntamiento="XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA",
    year=2024, quarter=1, fecha=date(2024, 3, 31), base=PROGRAMADO,
    emails="tesoreria@example.org",
    table_rows=3, la_label="LÍNEA DE ACCIÓN P.M.D.",
    desc_label="DESCRIPCIÓN DE METAS Y ACCIONES (Subprograma Gob. Y Proyecto-Proceso)",
)
EX_2024.units = [
    Unit(
        "101 Dirección General",
        header(LABELS_2024, RAMO_58, PROG_511_24, ("101", "DIRECCION GENERAL"),
               TURISMO_FIN, TURISMO_FUN, TURISMO_SUB,
               ejes=[EJE_3, EJE_4], lineas=[LA_322, LA_461_24]),
        [
            g("3.2", "100", "FOMENTAR LA ALFUENCIA Y DERRAMA TURÍSTICA DEL MUNICIPIO A TRAVÉS DE LA GESTIÓN DE PROYECTOS E INVERSIONES PÚBLICAS Y PRIVADAS, CONTRIBUYENDO ASÍ AL DESARROLLO ECONÓMICO DE LA REGIÓN.",
              "INFORME", 2, (None, 1, None, 1), (None,), seed=("0", "0%"), note=NA_NOTE),
            g("4.6.1", "101", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES.", "NÓMINA", 30,
              (7, 7, 7, 9), (7,), seed=("7", "100%")),
            g("3.2.2", "102", "CELEBRAR SESIONES DEL ÓRGANO DE GOBIERNO CONFORME A LO ESTABLECIDO EN ACUERDO DE CREACIÓN.",
              "SESIÓN", 4, (1, 1, 1, 1), (1,), seed=("1", "100%")),
            g("3.2.2", "103", "REALIZAR REUNIONES ANTE LAS DEPENDENCIAS DE GOBIERNO E INICIATIVA PRIVADA PARA GESTIONAR PROYECTOS QUE INCREMENTEN EL DESARROLLO ECONOMICO DEL SECTOR TURÍSTICO DEL MUNICIPIO.",
              "REUNIÓN", 36, (9, 9, 9, 9), (9,), seed=("9", "100%")),
            g("3.2.2", "104", "IMPLEMENTAR UN PROGRAMA DE LA OFERTA Y DESARROLLO DE PRODUCTOS TURÍSTICOS DEL MUNICIPIO.",
              "PROGRAMA", 1, (None, None, 1, None), (None,), seed=("0", "0%"), note=NA_NOTE),
            g("3.2.2", "105", "LLEVAR A CABO REUNIONES DE TRABAJO CON LAS JEFATURAS DE DEPARTAMENTO DE MANERA TRIMESTRAL PARA VIGILAR EL CUMPLIMIENTO DEL PROGRAMA ANUAL DE TRABAJO.",
              "MINUTA", 4, (1, 1, 1, 1), (1,), seed=("1", "100%")),
        ],
        signatures((NANCY, "", LEG_UE), (NANCY, "", LEG_PROG), (NANCY, "", LEG_RAMO)),
    ),
    Unit(
        "58102 Gerencia Administrativa",
        header(LABELS_2024, RAMO_58, PROG_511_24, ("58102", "GERENCIA ADMINISTRATIVA"),
               ("3", "DESARROLLO ECONOMICO"), TURISMO_FUN, TURISMO_SUB,
               ejes=[EJE_4], lineas=[LA_461_24]),
        [
            g("4.6", "200", "ADMINISTRAR EFICIENTEMENTE LOS RECURSOS HUMANOS, MATERIALES Y FINANCIEROS, MEDIANTE UN SISTEMA CONTABLE Y ADMINISTRATIVO EN APEGO A LA NORMATIVIDAD APLICABLE, PARA DAR CUMPLIMIENTO A LOS PROGRAMAS Y ACTIVIDADES DE LA ENTIDAD.",
              "INFORME", 5, (1, 1, 1, 2), (1,), seed=("1", "100%")),
            g("4.6.1", "201", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", "NOMINA", 30,
              (7, 7, 7, 9), (7,), seed=("7", "100%")),
            g("4.6.1", "202", "ELABORAR Y ENTREGAR INFORMES DE AVANCE DE GESTIÓN FINANCIERA Y CUENTA PÚBLICA CONFORME A LO ESTABLECIDO POR EL CONSEJO NACIONAL DE ARMONIZACIÓN CONTABLE (CONAC).",
              "INFORME DE AVANCE DE GESTION FINANCIERA", 4, (1, 1, 1, 1), (1,),
              seed=("1", "100%")),
            g("4.6.1", "203", "MANTENER ACTUALIZADA INFORMACIÓN DE INTERÉS PÚBLICO EN PORTAL DE INTERNET (MICRO SITIO) DE CONFORMIDAD A LO ESTABLECIDO EN ARTÍCULOS 81, 82 Y 83 DE LA LEY DE TRANSPARENCIA Y ACCESO A LA INFORMACIÓN PÚBLICA.",
              "ACUSE", 4, (1, 1, 1, 1), (1,), seed=("1", "100%")),
            g("4.6.1", "204", "ACTUALIZAR EL PADRÓN DE BIENES MUEBLES E INMUEBLES A TRAVÉS DEL LEVANTAMIENTO FÍSICO DE INVENTARIO.",
              "PADRÓN ACTUALIZADO", 2, (0, 1, 0, 1), (0,), seed=("0", "0%"), note=NA_NOTE),
            g("4.6.1", "205", "ELABORAR PROYECTO DE ESTIMACIÓN DE INGRESOS Y PRESUPUESTO DE EGRESOS EN BASE A LOS LINEAMIENTOS, EMITIDOS POR LA TESORERÍA MUNICIPAL.",
              "PROYECTO", 1, (0, 0, 0, 1), (0,), seed=("0", "0%"), note=NA_NOTE),
            g("4.6.1", "206", "ACTUALIZAR LOS INSTRUMENTOS NORMATIVOS", "DOCUMENTOS", 1,
              (0, 1, 0, 0), (0,), seed=("0", "0%"), note=NA_NOTE),
            g("4.6.1", "207", "GESTIONAR Y ADMINISTRAR EL ABASTECIMIENTO DE MATERIALES, SUMINISTROS, SERVICIOS Y EQUIPO NECESARIO PARA EL CUMPLIMIENTO DE LAS METAS Y OBJETIVOS DE LOS DIVERSOS DEPARTAMENTOS QUE CONFORMAN LA ENTIDAD.",
              "SUMINISTROS", 12, (3, 3, 3, 3), (3,), seed=("3", "100%")),
        ],
        signatures(("KAREN LIZBETH LIZARRAGA RODRIGUEZ", "", LEG_UE),
                   (NANCY, "", LEG_PROG), (NANCY, "", LEG_RAMO)),
    ),
    Unit(
        "58201 Promoción e Información",
        header(LABELS_2024, RAMO_58, PROG_582, ("58201", "GERENCIA DE PROMOCION E INFORMACIÓN"),
               TURISMO_FIN, TURISMO_FUN, TURISMO_SUB,
               ejes=[EJE_3, EJE_4, ("2", "BIENESTAR PARA TODOS")],
               lineas=[LA_322, ("3.3.2", "FORMACION,CAPACITACION E INCUBACION"), LA_461_24,
                       ("2.3.1", "SENSIBILIZACION EN MATERIA DE GENERO Y DIVERSIDAD")]),
        [
            g("3.2", "300", "INCREMENTAR LA AFLUENCIA TURÍSTICA DE MEXICALI, A TRAVÉS DE UN PLAN INTEGRAL PROMOCIONAL, QUE BRINDE UNA MAYOR DIFUSIÓN, DE LOS ATRACTIVOS Y SERVICIOS TURÍSTICOS DEL MUNICIPIO",
              "ACCION DE PROMOCION", 12, (3, 3, 3, 3), (3,), seed=("3", "100%")),
            g("4.6.1", "301", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", "NOMINA", 30,
              (7, 7, 7, 9), (7,), seed=("7", "100%")),
            g("2.3.1", "302", "FOMENTAR EL EMPODERAMIENTO DE LAS MUJERES, A TRAVÉS DE LA ACCIÓN DE PROMOCIÓN Y PARTICIPACION EN EVENTOS, PARA QUE ALIENTE LA EXPANSION Y DIVERSIFICACION DE LOS PRODUCTOS Y SERVICIOS TURISTICOS QUE OFRECEN.",
              "INFORME", 4, (1, 1, 1, 1), (1,), seed=("1", "100%")),
            g("3.2.2", "303", "PROPICIAR LA AFLUENCIA Y DERRAMA TURÍSTICA, A TRAVÉS DE UN PROGRAMA INTEGRAL DE PROMOCIÓN DE EVENTOS Y ACTIVIDADES TURÍSTICAS.",
              "ACCION DE PROMOCION", 12, (3, 3, 3, 3), (3,), seed=("3", "100%")),
            g("3.2.2", "304", "PROPICIAR LA AFLUENCIA DE VISITANTES LOCALES ,MEDIANTE EL FOMENTO DE LA CULTURA TURISTICA DEL MUNICIPIO DE MEXICALI.",
              "CURSOS", 21, (2, 9, 5, 5), (2,), seed=("5", "100%"),
              note="the printed 5 is P4; avance is A1 = 2 (2 / 2 = 100%)"),
            g("3.2.2", "305", "INTEGRAR INFORMACIÓN ESTADÍSTICA MENSUAL EN MATERIA DE OCUPACIÓN HOTELERA, CRUCES FRONTERIZOS, ETC",
              "INFORME", 12, (3, 3, 3, 3), (3,), seed=("3", "100%")),
            g("3.2.2", "306", "ACTUALIZAR EL PADRÓN DE ATRACTIVOS Y SERVICIOS TURÍSTICOS CON LOS QUE CUENTA EL MUNICIPIO DE MEXICALI MEDIANTE LA INVESTIGACIÓN DE CAMPO.",
              "PADRON ACTUALIZADO", 1, (1, None, None, None), (1,), seed=("1", "100%")),
        ],
        signatures(("PATRICIA HERNANDEZ MOTA", "", "RESPONSABLE DEL RAMO"),
                   (NANCY, "", "RESPONSABLE DE LA META"),
                   (NANCY, "", "RESPONSABLE DEL RAMO")),
    ),
    Unit(
        "202 Relaciones Públicas",
        header(LABELS_2024, RAMO_58, ("511", "PROMOCIÓN Y CONSERVACIÓN DE LOS RECURSOS TURÍSTICOS"),
               ("202", "GERENCIA DE RELACIONES PUBLICAS"),
               TURISMO_FIN, TURISMO_FUN, TURISMO_SUB,
               ejes=[EJE_4, EJE_3],
               lineas=[LA_461_24, ("3.2.2", "PROMOCION DE LAS VOCACIONES TURISTICAS ALTERNATIVAS")]),
        [
            g("3.2", "400", "DESARROLLAR UN PROGRAMA DE ESTRATEGIAS DE RELACIONES PÚBLICAS, CON EL FIN DE POSICIONAR AL MUNICIPIO DE MEXICALI COMO UN DESTINO TURÍSTICO",
              "PROGRAMA", 1, (0, 0, 1, 0), (0,), seed=("0", "0%"), note=NA_NOTE),
            g("4.6.1", "401", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", "NÓMINA", 30,
              (7, 7, 7, 9), (7,), seed=("7", "100%")),
            g("3.2.2", "402", "COORDINAR LOS VIAJES DE FAMILIARIZACION, GIRAS DE MEDIO Y RUEDAS DE PRENSA PARA EL FORTALECIMIENTO Y POSICIONAMIENTO DE NUESTROS DESTINOS TURISTICOS",
              "EVENTO", 12, (3, 3, 3, 3), (3,), seed=("3", "100%")),
            g("3.2.2", "403", "BRINDAR ASESORIA A PROMOTORES, EN MATERIA DE CONTRIBUCIONES PARA LA REALIZACION DE EVENTOS, FORTALECIMIENTO LA DERRAMA TURISTICA",
              "ASESORIA", 12, (3, 3, 3, 3), (3,), seed=("3", "100%")),
            g("3.2.2", "404", "ATRAER NUEVOS EVENTOS MEDIANTE LA BUSQUEDA Y NEGOCIACIONES CON PROMOTORES",
              "GESTIÓN", 4, (1, 1, 1, 1), (1,), seed=("1", "100%")),
            g("3.3.2", "405", "FOMENTAR LA CONSERVACIÓN Y EL MEJORAMIENTO DE LOS RECURSOS TURÍSTICOS DEL MUNICIPIO DE MEXICALI.",
              "GESTION", 1, (0, 1, 0, 0), (0,), seed=("0", "0%"), note=NA_NOTE),
        ],
        signatures((NANCY, "", LEG_UE), (NANCY, "", LEG_PROG), (NANCY, "", LEG_RAMO)),
    ),
    Unit(
        "58203 Mercadotecnia",
        header(LABELS_2024, RAMO_58, PROG_582, ("58203", "GERENCIA DE MERCADOTECNIA"),
               TURISMO_FIN, TURISMO_FUN, TURISMO_SUB,
               ejes=[EJE_3], lineas=[LA_322, LA_461_24]),
        [
            g("3.2", "500", "POTENCIALIZAR Y FORTALECER LA IMAGEN DE LOS DESTINOS DEL MUNICIPIO MEDIANTE ESTRATEGIAS DIRIGIDAS A DIFERENTES SEGMENTOS Y NUEVOS MERCADOS PARA INCREMENTAR LA AFLUENCIA Y DERRAMA TURÍSTICA",
              "PROGRAMA", 1, (0, 0, 1, 0), (0,), seed=("0", "0%"), note=NA_NOTE),
            g("4.6.1", "501", "SEGUIMIENTO AL GASTO DE SERVICIOS PERSONALES", "NÓMINA", 30,
              (7, 7, 7, 9), (7,), seed=("7", "100%")),
            g("3.2.2", "502", "DESARROLLAR LAS HERRAMIENTAS DE PROMOCION TURISTICA PARA SU COMERCIALIZACION.",
              "HERRAMIENTA TURISTICA", 49, (14, 12, 11, 12), (14,), seed=("14", "100%")),
            g("3.2.2", "503", "ELABORAR CAMPAÑAS DE PROMOCION Y PUBLICIDAD, ANTE LOS MERCADOS POTENCIALES NACIONALES Y EXTRANJEROS.",
              "CAMPAÑA", 12, (3, 3, 3, 3), (3,), seed=("3", "100%")),
            g("3.2.2", "504", "PROMOVER LOS DIFERENTES DESTINOS DEL MUNICIPIO DE MEXICALI, A TRAVES DE ACCIONES DE E-MARKETING.",
              "ACCIÓN DE PROMOCIÓN", 28, (7, 6, 9, 6), (7,), seed=("7", "100%")),
            g("3.2.2", "505", "DIRIGIR Y EJECUTAR UN PROGRAMA PROMOCIONAL DIRIGIDO AL MERCADO NACIONAL Y EXTRANJERO DE INVERSIONISTAS TURÍSTICOS POTENCIALES.",
              "PROGRAMA", 1, (0, 0, 0, 1), (0,), seed=("0", "0%"), note=NA_NOTE),
        ],
        signatures((NANCY, "", LEG_UE), (NANCY, "", LEG_PROG), (NANCY, "", LEG_RAMO)),
    ),
]

EXAMPLES = (EX_2018, EX_2023, EX_2024)

INSTRUCTIONS = (
    "INSTRUCCIONES PARA LLENAR ESTE LIBRO (esta hoja no se lee).",
    "1. En la hoja GENERAL capture el ayuntamiento, el ejercicio, el trimestre y la fecha del informe.",
    "2. Cada hoja adicional es una unidad ejecutora; el orden de las hojas es el orden del informe.",
    "3. En la tabla de metas capture lo programado (P) y lo alcanzado (A) de cada trimestre; el avance y el porcentaje los calcula el sistema.",
    "4. Justifique en OBSERVACIONES las metas no alcanzadas o rebasadas. Guía completa: docs/formato.md.",
)


# --------------------------------------------------------------------------
# Expected figures (independent of the tool's own code)
# --------------------------------------------------------------------------

def avance_and_base(goal: Goal, quarter: int, base: str) -> tuple[Decimal, Decimal]:
    """AVANCE ABSOLUTO (A1 + ... + AT) and the percentage's denominator."""
    avance = sum(Decimal(v or 0) for v in goal.a[:quarter])
    if base == META_ANUAL:
        return avance, Decimal(goal.meta)
    return avance, sum(Decimal(v or 0) for v in goal.p[:quarter])


def expected_figures(goal: Goal, quarter: int, base: str) -> tuple[str, str]:
    """AVANCE ABSOLUTO and ACUMULADO RELATIVO as the report must print them."""
    avance, denominator = avance_and_base(goal, quarter, base)
    if denominator == 0:
        relative = "N/A"
    else:
        percent = (avance * 100 / denominator).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        relative = f"{percent}%"
    return str(avance), relative


def check_goal(example: Example, unit: Unit, goal: Goal) -> tuple[str, str]:
    """Compute a goal's figures and cross-check them against the seed."""
    where = f"{example.filename} / {unit.sheet} / {goal.num}"
    assert len(goal.p) == 4 and len(goal.a) == example.quarter, where
    assert sum(v or 0 for v in goal.p) == goal.meta, f"{where}: P1..P4 != meta anual"
    figures = expected_figures(goal, example.quarter, example.base)
    printed = tuple(None if v is None else v.replace(",", "") for v in goal.seed)
    if figures != printed and not goal.note:
        raise AssertionError(f"{where}: computed {figures} but the seed printed {printed}")
    if figures == printed and goal.note:
        raise AssertionError(f"{where}: noted deviation but figures agree")
    return figures


# --------------------------------------------------------------------------
# Workbook writing
# --------------------------------------------------------------------------

BOLD = Font(bold=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def put(ws, row, col, value, *, text=False, fmt=None, style=None):
    """Write one cell; codes are written as text with the '@' format."""
    if value is None or value == "":
        return None
    cell = ws.cell(row=row, column=col, value=str(value) if text else value)
    if text:
        cell.number_format = TEXT
    elif fmt:
        cell.number_format = fmt
    if style:
        cell.alignment = style
    return cell


def write_general(wb: Workbook, ex: Example) -> None:
    ws = wb.create_sheet("GENERAL")
    rows = [
        ("AYUNTAMIENTO", ex.ayuntamiento, None),
        ("EJERCICIO", ex.year, "0"),
        ("TRIMESTRE", ex.quarter, "0"),
        ("FECHA", ex.fecha, "dd/mm/yyyy"),
        ("BASE DEL PORCENTAJE", ex.base, None),
        ("TOLERANCIA", 0.1, "0%"),
        ("CLAVE DEL FORMATO", "TMM-F004", None),
        ("CORREO TESORERÍA", ex.emails, None),
    ]
    for r, (label, value, fmt) in enumerate(rows, start=1):
        ws.cell(row=r, column=1, value=label).font = BOLD
        put(ws, r, 2, value, fmt=fmt)
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 60


def write_instructions(wb: Workbook) -> None:
    ws = wb.create_sheet("INSTRUCCIONES")
    for r, line in enumerate(INSTRUCTIONS, start=1):
        ws.cell(row=r, column=1, value=line)
    ws["A1"].font = BOLD


def write_header_block(ws, unit: Unit, row: int) -> int:
    for label, entries in unit.header:
        for i, (code, description) in enumerate(entries):
            if i == 0:
                ws.cell(row=row, column=1, value=label).font = BOLD
            put(ws, row, 2, code, text=True)
            put(ws, row, 3, description)
            row += 1
    return row


def write_signatures(ws, unit: Unit, row: int) -> int:
    for label, name, cargo, legend in unit.signatures:
        ws.cell(row=row, column=1, value=label).font = BOLD
        put(ws, row, 2, name, style=WRAP)
        put(ws, row, 3, cargo, style=WRAP)
        put(ws, row, 4, legend, style=WRAP)
        row += 1
    return row


def header_cell(ws, row, col, value, last_row=None, last_col=None):
    cell = ws.cell(row=row, column=col, value=value)
    cell.font = BOLD
    cell.alignment = CENTER
    if last_row or last_col:
        ws.merge_cells(start_row=row, start_column=col,
                       end_row=last_row or row, end_column=last_col or col)


def write_table(ws, ex: Example, unit: Unit, row: int, figures: dict) -> int:
    """Write the goals table starting at `row`; return the first row after it."""
    n = ex.table_rows
    bottom = row + n - 1
    computed_cols = ex.table_rows == 2  # the 2023 example carries them
    labels = [ex.la_label, "NÚM.", ex.desc_label, "UNIDAD DE MEDIDA", "META ANUAL AUTORIZADA"]
    for col, label in enumerate(labels, start=1):
        header_cell(ws, row, col, label, last_row=bottom)
    first_q = 6
    quarter_row = row
    if n == 3:
        header_cell(ws, row, first_q, "PERIODO", last_col=first_q + 7)
        quarter_row = row + 1
    for q, name in enumerate(QUARTERS):
        col = first_q + 2 * q
        header_cell(ws, quarter_row, col, name, last_col=col + 1)
        header_cell(ws, bottom, col, "P")
        header_cell(ws, bottom, col + 1, "A")
    col = first_q + 8
    if computed_cols:
        header_cell(ws, row, col, "AVANCE ABSOLUTO", last_row=bottom)
        header_cell(ws, row, col + 1, "ACUMULADO RELATIVO", last_row=bottom)
        col += 2
    obs_col = col
    header_cell(ws, row, obs_col, "OBSERVACIONES", last_row=bottom)

    row = bottom + 1
    for goal in unit.goals:
        put(ws, row, 1, goal.la, text=True)
        put(ws, row, 2, goal.num, text=True)
        put(ws, row, 3, goal.description, style=WRAP)
        put(ws, row, 4, goal.unit)
        put(ws, row, 5, goal.meta, fmt="#,##0")
        for q in range(4):
            put(ws, row, first_q + 2 * q, goal.p[q], fmt="#,##0")
            if q < ex.quarter:  # alcanzado after TRIMESTRE stays blank
                put(ws, row, first_q + 2 * q + 1, goal.a[q], fmt="#,##0")
        if computed_cols:
            # What the staff's own formulas would hold: the exact fraction,
            # which the '0%' format displays as the printed whole percent.
            avance, denominator = avance_and_base(goal, ex.quarter, ex.base)
            assert str(avance) == figures[goal.num][0]
            put(ws, row, first_q + 8, int(avance), fmt="#,##0")
            if denominator:
                put(ws, row, first_q + 9, float(avance / denominator), fmt="0%")
        put(ws, row, obs_col, goal.obs, style=WRAP)
        for c in range(1, obs_col + 1):
            ws.cell(row=row, column=c).border = BOX
        row += 1

    widths = {1: 14, 2: 26, 3: 60, 4: 18, 5: 12}
    widths.update({c: 7 for c in range(first_q, first_q + 8)})
    if computed_cols:
        widths.update({first_q + 8: 11, first_q + 9: 11})
    widths[obs_col] = 50
    for c, w in widths.items():
        ws.column_dimensions[get_column_letter(c)].width = w
    return row


def write_unit(wb: Workbook, ex: Example, unit: Unit, figures: dict) -> None:
    ws = wb.create_sheet(unit.sheet)
    row = write_header_block(ws, unit, 1)
    if ex.signatures_above:
        row = write_signatures(ws, unit, row)
        write_table(ws, ex, unit, row + 1, figures)
    else:
        row = write_table(ws, ex, unit, row + 1, figures)
        write_signatures(ws, unit, row + 1)


def save_deterministic(wb: Workbook, path: Path) -> None:
    """Save `wb` with fixed document properties and zip timestamps."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    # ExcelWriter directly: Workbook.save() would stamp properties.modified = now.
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            dst.writestr(member, src.read(info.filename))
    path.write_bytes(out.getvalue())


def build(ex: Example) -> dict:
    """Write one example workbook; return its expected figures."""
    assert len({u.sheet for u in ex.units}) == len(ex.units)
    wb = Workbook()
    wb.remove(wb.active)
    write_instructions(wb)
    write_general(wb, ex)
    expected = {}
    for unit in ex.units:
        assert len(unit.sheet) <= 31 and not set(unit.sheet) & set("[]:*?/\\"), unit.sheet
        figures = {goal.num: check_goal(ex, unit, goal) for goal in unit.goals}
        assert len(figures) == len(unit.goals), f"duplicate goal number in {unit.sheet}"
        write_unit(wb, ex, unit, figures)
        expected[unit.sheet] = {
            num: {"avance_absoluto": avance, "acumulado_relativo": relative}
            for num, (avance, relative) in figures.items()
        }
    wb.active = 0  # open on INSTRUCCIONES
    wb.active.sheet_view.tabSelected = True
    save_deterministic(wb, HERE / ex.filename)
    return expected


def main() -> None:
    expected = {ex.filename: build(ex) for ex in EXAMPLES}
    text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    (HERE / "expected_figures.json").write_text(text, encoding="utf-8")
    for ex in EXAMPLES:
        print(f"wrote {ex.filename}")
    print("wrote expected_figures.json")


if __name__ == "__main__":
    main()
