"""Build the example sources of ``poa-render importar`` (run from anywhere).

    python examples/importar/build_importar.py

It (re)writes, next to this script:

* ``seguimiento-mensual.xlsx``   another office's follow-up: ONE flat sheet, one
  goal per row, the unit in a column, programado and realizado per MONTH, a
  TOTAL row at the end. Map: ``mensual.toml``.
* ``seguimiento-trimestral.xlsx`` one sheet per unit, the unit's ramo, programa
  and unidad in cells above the table, programado and realizado per QUARTER.
  Map: ``trimestral.toml``.
* ``reporte-a-mano-2023-T2.xlsx`` the TMM-F004 report as staff made it by hand
  in Excel (after the 2023 report): title lines, ``RAMO: 59 ...`` in one cell,
  FECHA at the right, the goal number inside the description, AVANCE ABSOLUTO
  and ACUMULADO RELATIVO typed in, signatures side by side. No map:
  ``poa-render importar --tmm-f004``.

``EXPECTED`` holds, per source, the AVANCE ABSOLUTO and ACUMULADO RELATIVO
each goal must get once imported (tests/test_importar.py checks them). The
files are deterministic (fixed document dates and zip timestamps).
"""
from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

HERE = Path(__file__).resolve().parent
FIXED_TIME = dt.datetime(2024, 1, 1)
MONTHS = ("Ene", "Feb", "Mar", "Abr", "May", "Jun", "Jul", "Ago", "Sep", "Oct", "Nov", "Dic")

# --- monthly, flat -------------------------------------------------------------------------------

# (dependencia, no., línea, actividad, unidad, meta, programado by month, realizado Jan-Jun, observaciones)
MENSUAL = [
    ("Dirección General", "100", "4.6.1", "Informe trimestral de gestión ante el Consejo Directivo", "INFORME", 4,
     (0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1), (0, 0, 1, 0, 0, 1), ""),
    ("Dirección General", "101", "4.6.1", "Seguimiento al gasto de servicios personales", "NÓMINA", 24,
     (2,) * 12, (2, 2, 2, 2, 2, 2), ""),
    ("Dirección General", "102", "4.6.1", "Sesiones del órgano de gobierno conforme al acuerdo de creación", "SESIÓN", 6,
     (0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1), (0, 1, 0, 1, 0, 0), "La sesión de junio se pospuso por falta de quórum."),
    ("Promoción Turística", "200", "3.2.2", "Participación en ferias y exposiciones turísticas", "EVENTO", 8,
     (0, 0, 2, 0, 2, 0, 0, 0, 2, 0, 2, 0), (0, 0, 2, 0, 3, 0), "Se sumó una feria regional que no estaba programada."),
    ("Promoción Turística", "201", "3.2.2", "Campañas de promoción en redes sociales", "CAMPAÑA", 12,
     (1,) * 12, (1, 1, 1, 1, 1, 1), ""),
]
EXPECTED_MENSUAL = {  # sheet -> numero -> (avance absoluto, acumulado relativo)
    "101 Dirección General": {"100": ("2", "50%"), "101": ("12", "50%"), "102": ("2", "33%")},
    "201 Promoción Turística": {"200": ("5", "63%"), "201": ("6", "50%")},
}


def build_mensual(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Seguimiento 2025"
    ws["A1"] = "SEGUIMIENTO MENSUAL DEL PROGRAMA OPERATIVO ANUAL 2025"
    titles = ["Dependencia", "No.", "Línea PMD", "Actividad", "Unidad de medida", "Meta anual",
              *(f"Prog. {m}" for m in MONTHS), *(f"Real {m}" for m in MONTHS), "Observaciones"]
    ws.append([])
    ws.append(titles)
    for dep, num, linea, act, unidad, meta, prog, real, obs in MENSUAL:
        ws.append([dep, num, linea, act, unidad, meta, *prog, *real, *([None] * 6), obs or None])
    total = ["TOTAL", None, None, None, None, sum(r[5] for r in MENSUAL)]
    total += [sum(r[6][m] for r in MENSUAL) for m in range(12)] + [sum(r[7][m] for r in MENSUAL) for m in range(6)]
    ws.append(total)
    return save_deterministic(wb, path)


# --- quarterly, one unit per sheet -----------------------------------------------------------------

TRIMESTRAL = {
    "Dirección": {
        "celdas": ("12 OBRAS PÚBLICAS", "310 INFRAESTRUCTURA URBANA", "101 DIRECCIÓN DE OBRAS PÚBLICAS"),
        "metas": [
            ("1", "Supervisión de obras en proceso", "SUPERVISIÓN", 40, (10, 10, 10, 10), (10, 12, 9), ""),
            ("2", "Licitaciones públicas publicadas", "LICITACIÓN", 6, (2, 2, 2, 0), (1, 2, 1),
             "Dos licitaciones se declararon desiertas y se publicarán de nuevo."),
        ],
    },
    "Operación": {
        "celdas": ("12 OBRAS PÚBLICAS", "320 MANTENIMIENTO URBANO", "201 DEPARTAMENTO DE OPERACIÓN"),
        "metas": [
            ("1", "Bacheo de vialidades primarias y secundarias", "M2", 12000, (3000, 3000, 3000, 3000),
             (2800, 3100, 3050), ""),
            ("2", "Mantenimiento de luminarias", "LUMINARIA", 800, (200, 200, 200, 200), (180, 0, 0),
             "Falta de material eléctrico en el segundo y tercer trimestre."),
        ],
    },
}
EXPECTED_TRIMESTRAL = {  # base: PROGRAMADO AL PERIODO, third quarter
    "101 Dirección": {"1": ("31", "103%"), "2": ("4", "67%")},
    "201 Operación": {"1": ("8950", "99%"), "2": ("180", "30%")},
}


def build_trimestral(path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, unit in TRIMESTRAL.items():
        ws = wb.create_sheet(name)
        ws["A1"] = "SEGUIMIENTO TRIMESTRAL 2024"
        for row, (label, value) in enumerate(zip(("Ramo", "Programa", "Unidad"), unit["celdas"], strict=True), start=2):
            ws.cell(row, 1, label)
            ws.cell(row, 2, value)
        ws.append([])
        ws.append(["Clave", "Actividad", "Unidad de medida", "Meta anual",
                   *(f"{k} T{q}" for q in range(1, 5) for k in ("Prog.", "Real")), "Comentarios"])
        for clave, act, unidad, meta, prog, real, obs in unit["metas"]:
            quarters = []
            for q in range(4):
                quarters += [prog[q], real[q] if q < len(real) else None]
            ws.append([clave, act, unidad, meta, *quarters, obs or None])
    return save_deterministic(wb, path)


# --- the TMM-F004 report made by hand ----------------------------------------------------------------

FIRMAS_2023 = (
    ("ELABORÓ", "RESPONSABLE DE LA UNIDAD EJECUTORA", "LIC. AARÓN ALEXIS ÁLVAREZ MARÍN", "ENCARGADO DEL DESPACHO DE LA DIRECCIÓN EJECUTIVA"),
    ("REVISÓ", "RESPONSABLE DEL PROGRAMA", "LIC. AARÓN ALEXIS ÁLVAREZ MARÍN", "ENCARGADO DEL DESPACHO DE LA DIRECCIÓN EJECUTIVA"),
    ("AUTORIZÓ", "RESPONSABLE DEL RAMO", "LIC. AARÓN ALEXIS ÁLVAREZ MARÍN", "ENCARGADO DEL DESPACHO DE LA DIRECCIÓN EJECUTIVA"),
)
A_MANO = {
    "101 Dirección": {
        "ue": "101 DIRECCIÓN",
        "metas": [  # línea, description with its number, unidad, meta, P1..P4, A1, A2, avance, relativo, observaciones
            ("4.6.1", "100.- Gestionar y supervisar las actividades de administración de recursos y de promoción "
             "industrial.", "INFORME", 2, (0, 1, 0, 1), (0, 1), 1, 0.5, ""),
            ("4.6.1", "101.- Seguimiento al gasto de servicios personales.", "NÓMINA", 52, (13, 13, 13, 13), (13, 13),
             26, 0.5, "SE CUMPLIÓ SATISFACTORIAMENTE."),
            ("4.6.1", "102.- Celebrar sesiones del Órgano de Gobierno conforme a lo establecido en acuerdo de creación.",
             "SESIÓN", 6, (2, 1, 1, 2), (1, 0), 1, 0.17,
             "No se realizó sesión debido a falta de Quórum en las convocatorias."),
            ("4.6.1", "103.- Efectuar reuniones con empresas, organismos y membresía a fin de presentar informe de "
             "gestión de resultados.", "REUNIÓN", 4, (1, 1, 1, 1), (3, 3), 6, 1.5,
             "Se realizaron reuniones mensuales con los integrantes de la membresía."),
        ],
    },
    "102 Administración": {
        "ue": "102 DEPARTAMENTO ADMINISTRATIVO",
        "metas": [
            ("4.6.1", "200.- Elaborar y entregar los estados financieros mensuales.", "ACUSE", 12, (3, 3, 3, 3), (3, 3),
             6, 0.5, ""),
            ("4.6.1", "201.- Integrar el reporte trimestral de avance programático.", "REPORTE", 4, (1, 1, 1, 1), (1, 1),
             2, 0.5, ""),
        ],
    },
}
EXPECTED_A_MANO = {
    sheet: {d.split(".-")[0]: (str(av), f"{round(rel * 100)}%") for _l, d, _u, _m, _p, _a, av, rel, _o in unit["metas"]}
    for sheet, unit in A_MANO.items()
}


def build_a_mano(path: Path) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for name, unit in A_MANO.items():
        ws = wb.create_sheet(name)
        ws["A1"] = "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"
        ws["A2"] = "PROGRAMA OPERATIVO ANUAL 2023"
        ws["A3"] = "AVANCE FÍSICO PROGRAMÁTICO"
        header = ["RAMO: 59 COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI", "PROGRAMA: 511 GESTIÓN ADMINISTRATIVA",
                  f"UNIDAD EJECUTORA: {unit['ue']}", "FINALIDAD: 3 DESARROLLO ECONÓMICO",
                  "FUNCIÓN: 4 MINERÍA, MANUFACTURA Y CONSTRUCCIÓN", "SUBFUNCIÓN: 2 MANUFACTURA",
                  "LÍNEAS DE ACCIÓN: 4.6.1 MESURA EN EL EJERCICIO DE LOS RECURSOS PÚBLICOS"]
        for row, text in enumerate(header, start=5):
            ws.cell(row, 1, text)
        ws["M6"] = "TMM-F004"
        ws["L8"] = "FECHA:"
        ws["M8"] = dt.datetime(2023, 6, 30)
        ws["M8"].number_format = "d-mmm-yy"
        top = 13
        labels = ["LÍNEA DE ACCIÓN P.M.D.", "DESCRIPCIÓN DE METAS Y ACCIONES (Subprograma Gob. Y Proyecto-Proceso)",
                  "UNIDAD DE MEDIDA", "META ANUAL AUTORIZADA"]
        for col, label in enumerate(labels, start=1):
            ws.cell(top, col, label)
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 2, end_column=col)
        ws.cell(top, 5, "PERIODO")
        ws.merge_cells(start_row=top, start_column=5, end_row=top, end_column=12)
        for q, quarter in enumerate(("Ene-Mar", "Abr-Jun", "Jul-Sep", "Oct-Dic")):
            col = 5 + 2 * q
            ws.cell(top + 1, col, quarter)
            ws.merge_cells(start_row=top + 1, start_column=col, end_row=top + 1, end_column=col + 1)
            ws.cell(top + 2, col, "P")
            ws.cell(top + 2, col + 1, "A")
        for col, label in ((13, "AVANCE ABSOLUTO"), (14, "ACUMULADO RELATIVO"), (15, "OBSERVACIONES")):
            ws.cell(top, col, label)
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 2, end_column=col)
        row = top + 3
        for linea, desc, unidad, meta, p, a, avance, relativo, obs in unit["metas"]:
            values = [linea, desc, unidad, meta]
            for q in range(4):
                values += [p[q], a[q] if q < len(a) else None]
            values += [avance, relativo, obs or None]
            for col, value in enumerate(values, start=1):
                if value is not None:
                    ws.cell(row, col, value)
            ws.cell(row, 14).number_format = "0%"
            row += 1
        row += 2
        for (label, legend, name, cargo), col in zip(FIRMAS_2023, (1, 6, 11), strict=True):
            ws.cell(row, col, label)
            ws.merge_cells(start_row=row, start_column=col, end_row=row, end_column=col + 4)
            for offset, text in enumerate(("_" * 40, legend, name, cargo), start=3):
                ws.cell(row + offset, col, text)
                ws.merge_cells(start_row=row + offset, start_column=col, end_row=row + offset, end_column=col + 4)
    return save_deterministic(wb, path)


EXAMPLES = {
    "seguimiento-mensual.xlsx": (build_mensual, "mensual.toml", EXPECTED_MENSUAL),
    "seguimiento-trimestral.xlsx": (build_trimestral, "trimestral.toml", EXPECTED_TRIMESTRAL),
    "reporte-a-mano-2023-T2.xlsx": (build_a_mano, None, EXPECTED_A_MANO),
}


def save_deterministic(wb: Workbook, path: Path) -> Path:
    """Save ``wb`` with fixed document properties and zip timestamps (same bytes every run)."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    raw = io.BytesIO()
    ExcelWriter(wb, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = info.external_attr
            dst.writestr(member, src.read(info.filename))
    path = Path(path)
    path.write_bytes(out.getvalue())
    return path


def main() -> None:
    for name, (build, _mapa, _expected) in EXAMPLES.items():
        print(build(HERE / name))


if __name__ == "__main__":
    main()
