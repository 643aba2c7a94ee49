"""Synthetic capture workbooks for benchmarks: N units x M goals.

Realistic Spanish text lengths (descriptions of 120-330 characters, a
third of the goals with an observación of 150-700 characters), codes as
text, the official three-row table header, signatures below the table.

    python benchmarks/make_workbook.py 300 40 /tmp/ayuntamiento.xlsx
"""
from __future__ import annotations

import datetime as dt
import random
import sys
from pathlib import Path

from openpyxl import Workbook

WORDS = (
    "gestionar supervisar actividades administración recursos promoción industrial fin promover "
    "Mexicali destino inversión negocios seguimiento gasto servicios personales celebrar sesiones "
    "órgano gobierno conforme establecido acuerdo creación efectuar reuniones empresas organismos "
    "membresía presentar informe gestión resultados administrar eficientemente humanos materiales "
    "financieros mediante sistema contable apego normatividad aplicable cumplimiento programas "
    "entidad mantener actualizada información interés público portal internet transparencia "
    "acceso padrón bienes muebles inmuebles levantamiento físico inventario municipio ciudadanía"
).split()
UNITS = ("INFORME", "NÓMINA", "SESIÓN", "REUNIÓN", "ACUSE", "PROGRAMA", "EVENTO", "APOYO", "GESTIÓN")
QUARTERS = ("ENE-MAR", "ABR-JUN", "JUL-SEP", "OCT-DIC")


def _text(rng: random.Random, low: int, high: int) -> str:
    target = rng.randint(low, high)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < target:
        words.append(rng.choice(WORDS))
    text = " ".join(words)
    return text[0].upper() + text[1:] + "."


def make_workbook(path: str | Path, units: int, goals: int, *, trimestre: int = 2, seed: int = 0) -> Path:
    rng = random.Random(seed)
    wb = Workbook()
    ws = wb.active
    ws.title = "GENERAL"
    for row, (label, value) in enumerate(
        (
            ("AYUNTAMIENTO", "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"),
            ("EJERCICIO", 2024),
            ("TRIMESTRE", trimestre),
            ("FECHA", dt.date(2024, 6, 30)),
            ("BASE DEL PORCENTAJE", "META ANUAL"),
            ("TOLERANCIA", "10%"),
        ),
        start=1,
    ):
        ws.cell(row, 1, label)
        ws.cell(row, 2, value)
    for u in range(units):
        ramo = f"{u // 20 + 1:02d}"
        ws = wb.create_sheet(f"{u + 1:03d} Unidad")
        header = [
            ("RAMO", ramo, f"RAMO DE PRUEBA {ramo}"),
            ("PROGRAMA", f"{500 + u % 90}", "GESTIÓN ADMINISTRATIVA"),
            ("UNIDAD EJECUTORA", f"{u + 1:03d}", f"UNIDAD {u + 1} DE {_text(rng, 20, 40).upper()}"),
            ("FINALIDAD", "3", "DESARROLLO ECONÓMICO"),
            ("FUNCIÓN", "4", "MINERÍA, MANUFACTURA Y CONSTRUCCIÓN"),
            ("SUBFUNCIÓN", "2", "MANUFACTURA"),
            ("LÍNEAS DE ACCIÓN", "4.6.1", "MESURA EN EL EJERCICIO DE LOS RECURSOS PÚBLICOS"),
            (None, "3.1.2", "PROMOCIÓN DE INVERSIONES"),
        ]
        for row, (label, code, desc) in enumerate(header, start=1):
            if label:
                ws.cell(row, 1, label)
            ws.cell(row, 2, code).number_format = "@"
            ws.cell(row, 3, desc)
        top = len(header) + 2
        labels = ["LÍNEA DE ACCIÓN P.M.D.", "NÚM.", "DESCRIPCIÓN DE METAS Y ACCIONES", "UNIDAD DE MEDIDA", "META ANUAL AUTORIZADA"]
        for col, label in enumerate(labels, start=1):
            ws.cell(top, col, label)
            ws.merge_cells(start_row=top, start_column=col, end_row=top + 2, end_column=col)
        ws.cell(top, 6, "PERIODO")
        ws.merge_cells(start_row=top, start_column=6, end_row=top, end_column=13)
        for q in range(4):
            ws.cell(top + 1, 6 + 2 * q, QUARTERS[q])
            ws.merge_cells(start_row=top + 1, start_column=6 + 2 * q, end_row=top + 1, end_column=7 + 2 * q)
            ws.cell(top + 2, 6 + 2 * q, "P")
            ws.cell(top + 2, 7 + 2 * q, "A")
        ws.cell(top, 14, "OBSERVACIONES")
        ws.merge_cells(start_row=top, start_column=14, end_row=top + 2, end_column=14)
        row = top + 3
        for g in range(goals):
            p = [rng.randint(0, 30) for _ in range(4)]
            a = [max(0, x + rng.randint(-8, 8)) if q < trimestre else None for q, x in enumerate(p)]
            values = ["4.6.1", str(100 * (u % 9 + 1) + g), _text(rng, 120, 330).upper(), rng.choice(UNITS), sum(p)]
            for q in range(4):
                values += [p[q], a[q]]
            values.append(_text(rng, 150, 700) if rng.random() < 0.6 else None)
            for col, value in enumerate(values, start=1):
                if value is not None:
                    ws.cell(row, col, value)
            row += 1
        row += 1
        for label in ("ELABORÓ", "REVISÓ", "AUTORIZÓ"):
            ws.cell(row, 1, label)
            ws.cell(row, 2, f"LIC. NOMBRE APELLIDO {label}")
            ws.cell(row, 3, "COORDINADOR ADMINISTRATIVO")
            row += 1
    path = Path(path)
    wb.save(path)
    return path


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("uso: make_workbook.py UNIDADES METAS ARCHIVO.xlsx")
    print(make_workbook(sys.argv[3], int(sys.argv[1]), int(sys.argv[2])))
