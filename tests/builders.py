"""Build capture workbooks in code, so each test shows its input.

``build_workbook(path, general=..., units=[...])`` writes a workbook that
follows the spec; every piece can be overridden or broken on purpose.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

QUARTERS = ("ENE-MAR", "ABR-JUN", "JUL-SEP", "OCT-DIC")

DEFAULT_GENERAL: dict[str, Any] = {
    "AYUNTAMIENTO": "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA",
    "EJERCICIO": 2023,
    "TRIMESTRE": 2,
    "FECHA": dt.date(2023, 6, 30),
    "BASE DEL PORCENTAJE": "META ANUAL",
    "TOLERANCIA": "10%",
    "CLAVE DEL FORMATO": "TMM-F004",
    "CORREO TESORERÍA": "tesoreria@example.org",
}

DEFAULT_HEADER: list[tuple[str, Any, Any]] = [
    ("RAMO", "59", "COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI"),
    ("PROGRAMA", "592", "PROMOCIÓN Y ATRACCIÓN DE INVERSIONES SOSTENIBLES"),
    ("UNIDAD EJECUTORA", "201", "DEPARTAMENTO DE PROMOCIÓN INDUSTRIAL"),
    ("FINALIDAD", "3", "DESARROLLO ECONÓMICO"),
    ("FUNCIÓN", "4", "MINERÍA, MANUFACTURA Y CONSTRUCCIÓN"),
    ("SUBFUNCIÓN", "2", "MANUFACTURA"),
    ("EJE DE GOBIERNO", "3", "MEXICALI CRECE"),
    ("LÍNEAS DE ACCIÓN", "3.1.2", "PROMOCIÓN DE INVERSIONES"),
    ("", "2.3.1", "SENSIBILIZACIÓN EN MATERIA DE GÉNERO Y DIVERSIDAD"),
]

DEFAULT_FIRMAS: list[tuple[str, Any, Any, Any]] = [
    ("ELABORÓ", "LIC. AARÓN ALEXIS ÁLVAREZ MARÍN", "COORDINADOR DE PROMOCIÓN", None),
    ("REVISÓ", "LIC. AARÓN ALEXIS ÁLVAREZ MARÍN", "ENCARGADO DEL DESPACHO DE LA DIRECCIÓN EJECUTIVA", None),
    ("AUTORIZÓ", "LIC. AARÓN ALEXIS ÁLVAREZ MARÍN", "ENCARGADO DEL DESPACHO DE LA DIRECCIÓN EJECUTIVA", None),
]


@dataclass
class Goal:
    """One goal row; p and a are per quarter (None = blank cell)."""

    numero: Any = "303"
    descripcion: Any = "Promover el desarrollo económico con organismos públicos y privados."
    unidad: Any = "REUNIÓN"
    meta: Any = 72
    p: tuple = (12, 33, 19, 8)
    a: tuple = (12, 24, None, None)
    la: Any = "3.1.2"
    obs: Any = "Este trimestre no se llegó a la meta respecto a las reuniones con organismos."
    extra: dict = field(default_factory=dict)  # column label -> value for extra columns


@dataclass
class Unit:
    sheet: str = "201 Promoción"
    header: list = field(default_factory=lambda: list(DEFAULT_HEADER))
    goals: list = field(default_factory=lambda: [Goal()])
    firmas: list = field(default_factory=lambda: list(DEFAULT_FIRMAS))
    layout: str = "three"  # "one", "two" or "three" header rows
    signatures_above: bool = False
    extra_columns: tuple = ()  # labels of extra columns after the A4 column
    drop_columns: tuple = ()  # field names to leave out: "meta", "p3", "obs"...
    # optional: other header labels, to test the spec's synonyms
    labels: dict = field(default_factory=dict)  # field -> label ("meta": "META ANUAL"; "p1": "P1" in layout "one")
    quarter_labels: tuple = QUARTERS  # quarter names of the two- and three-row layouts
    pa_labels: tuple = ("P", "A")  # bottom header cells of the two- and three-row layouts
    table: bool = True  # False: no goals table at all


def _columns(unit: Unit) -> list[tuple[str, str | None]]:
    """(field, label) pairs in sheet order; a field of "pq"/"aq" is a quarter column."""
    cols: list[tuple[str, str | None]] = [
        ("la", "LÍNEA DE ACCIÓN P.M.D."),
        ("numero", "NÚM."),
        ("descripcion", "DESCRIPCIÓN DE METAS Y ACCIONES"),
        ("unidad", "UNIDAD DE MEDIDA"),
        ("meta", "META ANUAL AUTORIZADA"),
    ]
    for q in range(1, 5):
        cols += [(f"p{q}", None), (f"a{q}", None)]
    cols += [(f"extra:{label}", label) for label in unit.extra_columns]
    cols.append(("obs", "OBSERVACIONES"))
    cols = [(name, unit.labels.get(name, label)) for name, label in cols]
    return [c for c in cols if c[0] not in unit.drop_columns]


def _write_table_header(ws, row: int, unit: Unit) -> int:
    """Write the header; return the first data row."""
    cols = _columns(unit)
    depth = {"one": 1, "two": 2, "three": 3}[unit.layout]
    for index, (name, label) in enumerate(cols, start=1):
        letter = get_column_letter(index)
        if name[0] in "pa" and name[1:].isdigit():
            q, kind = int(name[1]), name[0].upper()
            if depth == 1:
                ws.cell(row, index, label or f"{kind}{q}")
            else:
                ws.cell(row + depth - 1, index, unit.pa_labels[0 if kind == "P" else 1])
                if kind == "P":
                    ws.cell(row + depth - 2, index, unit.quarter_labels[q - 1])
                    next_name = cols[index][0] if index < len(cols) else ""
                    if next_name == f"a{q}":
                        ws.merge_cells(start_row=row + depth - 2, start_column=index, end_row=row + depth - 2, end_column=index + 1)
                if depth == 3 and name == "p1":
                    ws.cell(row, index, "PERIODO")
        else:
            ws.cell(row, index, label)
            if depth > 1:
                ws.merge_cells(f"{letter}{row}:{letter}{row + depth - 1}")
    if depth == 3:
        first = next((i for i, (n, _) in enumerate(cols, start=1) if n == "p1"), None)
        last = max((i for i, (n, _) in enumerate(cols, start=1) if n[0] in "pa" and n[1:].isdigit()), default=None)
        if first and last and last > first:
            ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return row + depth


def _write_goal(ws, row: int, unit: Unit, goal: Goal) -> None:
    for index, (name, _label) in enumerate(_columns(unit), start=1):
        if name == "la":
            value = goal.la
        elif name == "numero":
            value = goal.numero
        elif name == "descripcion":
            value = goal.descripcion
        elif name == "unidad":
            value = goal.unidad
        elif name == "meta":
            value = goal.meta
        elif name == "obs":
            value = goal.obs
        elif name.startswith("extra:"):
            value = goal.extra.get(name[6:])
        else:
            q = int(name[1]) - 1
            value = (goal.p if name[0] == "p" else goal.a)[q]
        if value is not None:
            cell = ws.cell(row, index, value)
            if name in ("la", "numero") and isinstance(value, str):
                cell.number_format = "@"


def _write_firmas(ws, row: int, firmas: list) -> int:
    for label, nombre, cargo, leyenda in firmas:
        ws.cell(row, 1, label)
        if nombre is not None:
            ws.cell(row, 2, nombre)
        if cargo is not None:
            ws.cell(row, 3, cargo)
        if leyenda is not None:
            ws.cell(row, 4, leyenda)
        row += 1
    return row


def write_unit(ws, unit: Unit) -> dict[str, int]:
    """Write one unit sheet; return where things went (row numbers)."""
    where: dict[str, int] = {}
    row = 1
    for label, clave, descripcion, *more in unit.header:
        for letter, value in (more[0] if more else {}).items():  # other cells of the row: {"E": 72}
            ws[f"{letter}{row}"] = value
        if label:
            ws.cell(row, 1, label)
            where.setdefault(label, row)
        if clave is not None:
            c = ws.cell(row, 2, clave)
            c.number_format = "@"
        if descripcion is not None:
            ws.cell(row, 3, descripcion)
        row += 1
    if unit.signatures_above:
        where["firmas"] = row
        row = _write_firmas(ws, row, unit.firmas)
    if not unit.table:
        where["firmas"] = row + 1
        _write_firmas(ws, row + 1, unit.firmas)
        return where
    row += 1
    where["header"] = row
    row = _write_table_header(ws, row, unit)
    where["first_goal"] = row
    for goal in unit.goals:
        _write_goal(ws, row, unit, goal)
        row += 1
    if not unit.signatures_above:
        row += 1
        where["firmas"] = row
        row = _write_firmas(ws, row, unit.firmas)
    return where


def build_workbook(
    path: str | Path,
    general: dict[str, Any] | None = None,
    units: list[Unit] | None = None,
    *,
    general_sheet: str = "GENERAL",
    extra_sheets: tuple[str, ...] = ("INSTRUCCIONES",),
) -> Path:
    """Write a capture workbook at ``path`` and return the path."""
    wb = Workbook()
    ws = wb.active
    ws.title = general_sheet
    values = dict(DEFAULT_GENERAL if general is None else general)
    for row, (label, value) in enumerate(values.items(), start=1):
        ws.cell(row, 1, label)
        if value is not None:
            ws.cell(row, 2, value)
    for name in extra_sheets:
        wb.create_sheet(name).cell(1, 1, "Texto de ayuda que el programa ignora.")
    for unit in units if units is not None else [Unit()]:
        write_unit(wb.create_sheet(unit.sheet), unit)
    path = Path(path)
    wb.save(path)
    return path


def cache_formula_values(path: str | Path, sheet: str, values: dict[str, Any]) -> Path:
    """Give formula cells of ``sheet`` a cached value, as Excel would on saving.

    openpyxl writes formulas without a cached value; this rewrites the saved
    sheet XML so that cell ``"E14"`` (a formula) also holds ``values["E14"]``.
    """
    import re
    import zipfile

    from openpyxl import load_workbook

    path = Path(path)
    index = load_workbook(path, read_only=True).sheetnames.index(sheet) + 1
    member = f"xl/worksheets/sheet{index}.xml"
    with zipfile.ZipFile(path) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    xml = parts[member].decode("utf-8")
    for ref, value in values.items():
        pattern = re.compile(rf'<c r="{ref}"([^>]*)><f>(.*?)</f><v\s*/>|<c r="{ref}"([^>]*)><f>(.*?)</f><v></v>')
        match = pattern.search(xml)
        if not match:
            raise ValueError(f"no formula without value at {sheet}!{ref}")
        attrs, formula = (match[1], match[2]) if match[2] is not None else (match[3], match[4])
        kind = ' t="str"' if isinstance(value, str) else ""
        xml = xml[: match.start()] + f'<c r="{ref}"{attrs}{kind}><f>{formula}</f><v>{value}</v>' + xml[match.end():]
    parts[member] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path
