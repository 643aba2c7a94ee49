"""`poa-render plantilla`: the capture workbook template and next quarter's workbook."""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import builders
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from poa_xlsx import values as V
from poa_xlsx.acciones import check_workbook
from poa_xlsx.captura.plantilla import (
    COL,
    CURRENT_FILL,
    GENERAL_ROW,
    INPUT_FILL,
    TOLERANCIA_NAME,
    TRIMESTRE_NAME,
    PlantillaCapturaError,
    build_plantilla,
    default_filename,
    last_ended_quarter,
    make_plantilla,
    unit_layout,
)
from poa_xlsx.captura.siguiente import make_next_quarter, next_quarter
from poa_xlsx.cli import cli

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.xlsx"))
TODAY = dt.date(2024, 4, 9)  # the first quarter of 2024 has just ended
LAYOUT = unit_layout()
FILL_IN_CODES = {"dato-general-faltante", "campo-faltante", "firma-faltante", "sin-metas"}


def letter(name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(COL[name])


def save(data: bytes, path: Path) -> Path:
    path.write_bytes(data)
    return path


def is_input(cell) -> bool:
    return (cell.fill.fgColor.rgb or "").endswith(INPUT_FILL)


def validation_of(ws, ref: str):
    found = [dv for dv in ws.data_validations.dataValidation if ref in dv.sqref]
    assert len(found) <= 1, f"{ws.title}!{ref} has {len(found)} validations"
    return found[0] if found else None


def dv_accepts(dv, value) -> bool:
    """What Excel's data validation would let a person type (blank is allowed)."""
    if value is None or dv is None or dv.type is None:
        return True
    if dv.type == "list":
        items = dv.formula1.strip('"').split(",")
        return str(value) in items
    if dv.type == "date":
        if not isinstance(value, (dt.date, dt.datetime)):
            return False
        day = value.date() if isinstance(value, dt.datetime) else value
        number = (day - dt.date(1899, 12, 30)).days
    elif dv.type in ("decimal", "whole"):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if dv.type == "whole" and value != int(value):
            return False
        number = value
    else:
        raise AssertionError(f"unexpected validation type {dv.type}")
    low = float(dv.formula1)
    if dv.operator == "between":
        return low <= number <= float(dv.formula2)
    if dv.operator == "greaterThanOrEqual":
        return number >= low
    raise AssertionError(f"unexpected operator {dv.operator}")


def type_into(ws, ref: str, value) -> None:
    """Type like a person: only in shaded cells, only what the cell's validation lets through."""
    cell = ws[ref]
    assert is_input(cell), f"{ws.title}!{ref} is not an input cell"
    assert dv_accepts(validation_of(ws, ref), value), f"{ws.title}!{ref} would refuse {value!r}"
    cell.value = value


def key_of(problem) -> tuple[str, str, str | None]:
    return (problem.code, problem.origen.sheet, problem.origen.cell)


# --- a fresh template -----------------------------------------------------------------


def test_fresh_template_reports_only_what_is_left_to_fill(tmp_path):
    path = save(build_plantilla(unidades=2, today=TODAY), tmp_path / "nuevo.xlsx")
    revision = check_workbook(str(path))
    assert {p.code for p in revision.problems} <= FILL_IN_CODES
    expected = {("dato-general-faltante", "GENERAL", "B2")}
    for sheet in ("UNIDAD 1", "UNIDAD 2"):
        for name in ("ramo", "programa", "unidad_ejecutora", "finalidad", "funcion", "subfuncion"):
            row = LAYOUT.clasificacion[name]
            expected |= {("campo-faltante", sheet, f"B{row}"), ("campo-faltante", sheet, f"C{row}")}
        expected |= {("firma-faltante", sheet, f"B{row}") for row in LAYOUT.firma_rows.values()}
        expected.add(("sin-metas", sheet, f"C{LAYOUT.first_goal}"))
    assert {key_of(p) for p in revision.problems} == expected
    assert len(revision.problems) == len(expected)  # each once
    # every problem points at a cell the person can type into
    wb = load_workbook(path)
    for p in revision.problems:
        assert is_input(wb[p.origen.sheet][p.origen.cell]), p


def test_fresh_template_with_ayuntamiento_has_a_complete_general_sheet(tmp_path):
    path = save(build_plantilla(ayuntamiento="XXIV AYUNTAMIENTO DE MEXICALI", today=TODAY), tmp_path / "n.xlsx")
    revision = check_workbook(str(path))
    assert not [p for p in revision.problems if p.origen.sheet == "GENERAL"]
    general = revision.lectura.libro.general
    assert (general.ayuntamiento, general.ejercicio, general.trimestre) == ("XXIV AYUNTAMIENTO DE MEXICALI", 2024, 1)
    assert general.fecha == dt.date(2024, 3, 31)
    assert general.tolerancia == Decimal("0.1")
    assert general.base.etiqueta == "META ANUAL"
    assert general.clave_formato == "TMM-F004"


def test_goal_rows_are_truly_empty_until_the_signatures(tmp_path):
    wb = load_workbook(io.BytesIO(build_plantilla(today=TODAY)))
    ws = wb["UNIDAD 1"]
    for row in range(LAYOUT.first_goal, LAYOUT.firma_rows["ELABORÓ"]):
        assert all(ws.cell(row, col).value is None for col in range(1, len(COL) + 1)), row
    assert [ws.cell(r, 1).value for r in LAYOUT.firma_rows.values()] == ["ELABORÓ", "REVISÓ", "AUTORIZÓ"]
    assert LAYOUT.last_goal - LAYOUT.first_goal + 1 == 30


def test_sheets_instructions_first_and_active():
    wb = load_workbook(io.BytesIO(build_plantilla(unidades=3, today=TODAY)))
    assert wb.sheetnames == ["INSTRUCCIONES", "GENERAL", "UNIDAD 1", "UNIDAD 2", "UNIDAD 3"]
    assert wb.active.title == "INSTRUCCIONES"
    text = "\n".join(str(c.value) for c in wb["INSTRUCCIONES"]["A"] if c.value)
    for topic in ("GENERAL", "Crear una copia", "P = PROGRAMADO", "A = ALCANZADO", "OBSERVACIONES", "por qué",
                  "poa-render validar", "poa-render plantilla --help", "libro anterior"):
        assert topic in text, topic


@pytest.mark.parametrize(
    "today, expected",
    [(dt.date(2024, 4, 9), (2024, 1)), (dt.date(2024, 1, 15), (2023, 4)), (dt.date(2024, 12, 31), (2024, 3))],
)
def test_default_quarter_is_the_one_that_just_ended(today, expected):
    assert last_ended_quarter(today) == expected
    result = make_plantilla(today=today)
    assert (result.ejercicio, result.trimestre) == expected
    assert result.nombre == default_filename(*expected) == f"libro_de_captura_{expected[0]}_T{expected[1]}.xlsx"


def test_explicit_year_and_quarter():
    assert (make_plantilla(ejercicio=2025, today=TODAY).trimestre) == 1  # a year still to come starts at T1
    assert (make_plantilla(ejercicio=2023, today=TODAY).trimestre) == 4
    result = make_plantilla(ejercicio=2024, trimestre=3, today=TODAY)
    ws = load_workbook(io.BytesIO(result.data))["GENERAL"]
    assert ws[f"B{GENERAL_ROW['trimestre']}"].value == 3
    # FECHA is left blank (the reader's default: the quarter's last day), with a note saying so
    fecha = ws[f"B{GENERAL_ROW['fecha']}"]
    assert fecha.value is None and "último día del TRIMESTRE" in fecha.comment.text
    with pytest.raises(PlantillaCapturaError):
        make_plantilla(unidades=0)


# --- filling it in like a person ----------------------------------------------------------


def fill_unit(ws, unit_code: str, goals: list[dict]) -> None:
    rows = LAYOUT.clasificacion
    header = {
        "ramo": ("59", "COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI"),
        "programa": ("592", "PROMOCIÓN Y ATRACCIÓN DE INVERSIONES"),
        "unidad_ejecutora": (unit_code, "DEPARTAMENTO DE PROMOCIÓN INDUSTRIAL"),
        "finalidad": ("3", "DESARROLLO ECONÓMICO"),
        "funcion": ("3.1", "ASUNTOS ECONÓMICOS"),
        "subfuncion": ("3.1.2", "ASUNTOS LABORALES"),
    }
    for name, (clave, descripcion) in header.items():
        type_into(ws, f"B{rows[name]}", clave)
        type_into(ws, f"C{rows[name]}", descripcion)
    type_into(ws, f"B{LAYOUT.linea_rows[0]}", "3.1.2")
    type_into(ws, f"C{LAYOUT.linea_rows[0]}", "PROMOCIÓN DE INVERSIONES")
    type_into(ws, f"B{LAYOUT.linea_rows[1]}", "2.3.10")  # a code that would lose its zero as a number
    type_into(ws, f"C{LAYOUT.linea_rows[1]}", "SENSIBILIZACIÓN")
    for offset, goal in enumerate(goals):
        row = LAYOUT.first_goal + offset
        for name, value in goal.items():
            type_into(ws, f"{letter(name)}{row}", value)
    for rol, row in LAYOUT.firma_rows.items():
        type_into(ws, f"B{row}", "LIC. AARÓN ALEXIS ÁLVAREZ MARÍN")
        type_into(ws, f"C{row}", "ENCARGADO DEL DESPACHO")


# spec section 6, the 2023 seed: quarter 2, base META ANUAL
GOALS_2023 = [
    dict(linea_accion="3.1.2", numero="303", descripcion="Promover el desarrollo económico.", unidad_medida="REUNIÓN",
         meta_anual=72, p1=12, a1=12, p2=33, a2=24, p3=19, p4=8,
         observaciones="Algunas reuniones se reprogramaron."),
    dict(linea_accion="3.1.2 2.3.10", numero="300", descripcion="Atraer empresas.", unidad_medida="EMPRESA",
         meta_anual=15, p1=4, a1=7, p2=5, a2=9, p3=3, p4=3, observaciones="Llegaron más empresas de lo previsto."),
    dict(numero="010", descripcion="Informe trimestral.", unidad_medida="INFORME", meta_anual=4,
         p1=1, a1=1, p2=1, a2=1, p3=1, p4=1),
    dict(numero="011", descripcion="Meta con decimales.", unidad_medida="KILÓMETRO", meta_anual=2.5,
         p1=0.5, a1=0.5, p2=1, a2=1.0, p3=1),
]


def test_fill_in_like_a_person_then_render(tmp_path):
    wb = load_workbook(io.BytesIO(build_plantilla(today=TODAY)))
    general = wb["GENERAL"]
    type_into(general, "B2", "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA")
    type_into(general, f"B{GENERAL_ROW['ejercicio']}", 2023)
    type_into(general, f"B{GENERAL_ROW['trimestre']}", 2)  # picked from the drop-down list
    type_into(general, f"B{GENERAL_ROW['fecha']}", dt.datetime(2023, 6, 30))
    fill_unit(wb["UNIDAD 1"], "201", GOALS_2023)
    # a second unit, added the way INSTRUCCIONES says: copy the sheet and change it
    copy = wb.copy_worksheet(wb["UNIDAD 1"])
    copy.title = "202 Otra unidad"
    copy[f"B{LAYOUT.clasificacion['unidad_ejecutora']}"] = "202"
    path = tmp_path / "lleno.xlsx"
    wb.save(path)

    revision = check_workbook(str(path))
    assert revision.problems == ()
    assert revision.informe is not None
    figures = {
        (u.unidad.sheet, m.meta.numero): (m.cifras.avance_absoluto, m.cifras.porcentaje_texto, m.cifras.estatus.value)
        for u in revision.informe.unidades
        for m in u.metas
    }
    for sheet in ("UNIDAD 1", "202 Otra unidad"):
        assert figures[(sheet, "303")] == (36, "50%", "no alcanzada")
        assert figures[(sheet, "300")] == (16, "107%", "rebasada")
        assert figures[(sheet, "010")] == (2, "50%", "cumplida")
        assert figures[(sheet, "011")] == (Decimal("1.5"), "60%", "cumplida")
    unidad = revision.informe.unidades[0].unidad
    assert unidad.ramo.clave == "59" and unidad.subfuncion.clave == "3.1.2"
    assert [c.clave for c in unidad.lineas_accion] == ["3.1.2", "2.3.10"]
    assert unidad.metas[1].lineas_accion == ("3.1.2", "2.3.10")
    assert unidad.firma("ELABORÓ").leyenda == "RESPONSABLE DE LA UNIDAD EJECUTORA"


# --- what the template checks while typing ---------------------------------------------------


def test_data_validations_are_on_the_right_ranges():
    wb = load_workbook(io.BytesIO(build_plantilla(unidades=2, today=TODAY)))
    general = wb["GENERAL"]

    def rule(ws, ref):
        dv = validation_of(ws, ref)
        assert dv is not None, f"{ws.title}!{ref} has no validation"
        return dv.type, dv.operator, dv.formula1, dv.formula2

    g = {key: f"B{row}" for key, row in GENERAL_ROW.items()}
    assert rule(general, g["ejercicio"]) == ("whole", "between", "2000", "2100")
    assert rule(general, g["trimestre"])[:3] == ("list", None, '"1,2,3,4"')
    assert rule(general, g["base"])[:3] == ("list", None, '"META ANUAL,PROGRAMADO AL PERIODO"')
    assert rule(general, g["fecha"]) == ("date", "between", "36526", "73415")
    assert rule(general, g["tolerancia"]) == ("decimal", "between", "0", "0.99")
    assert "%" in general[g["tolerancia"]].number_format
    for key in ("ayuntamiento", "clave_formato", "correos"):
        assert rule(general, g[key])[0] is None  # a prompt, no restriction

    first, last = LAYOUT.first_goal, LAYOUT.last_goal
    for sheet in ("UNIDAD 1", "UNIDAD 2"):
        ws = wb[sheet]
        for name in ("meta_anual", *(f"{k}{q}" for q in range(1, 5) for k in "pa")):
            dv = validation_of(ws, f"{letter(name)}{first}")
            assert (dv.type, dv.operator, dv.formula1) == ("decimal", "greaterThanOrEqual", "0"), name
            assert f"{letter(name)}{first}:{letter(name)}{last}" in str(dv.sqref).split()
            assert dv.showErrorMessage and dv.error and dv.prompt
            assert validation_of(ws, f"{letter(name)}{LAYOUT.header_bottom}") is None
            assert validation_of(ws, f"{letter(name)}{last + 1}") is None
        for name in ("linea_accion", "numero", "descripcion", "unidad_medida", "observaciones"):
            dv = validation_of(ws, f"{letter(name)}{last}")
            assert dv is not None and dv.type is None and dv.prompt, name
        assert validation_of(ws, f"B{LAYOUT.clasificacion['ramo']}").prompt


def test_every_input_cell_has_a_validation_with_a_prompt():
    wb = load_workbook(io.BytesIO(build_plantilla(today=TODAY)))
    count = 0
    for ws in wb.worksheets[1:]:
        for row in ws.iter_rows():
            for cell in row:
                if is_input(cell):
                    count += 1
                    dv = validation_of(ws, cell.coordinate)
                    assert dv is not None and dv.showInputMessage and dv.prompt, f"{ws.title}!{cell.coordinate}"
                    assert len(dv.prompt) <= 255 and len(dv.promptTitle or "") <= 32
                    assert len(dv.error or "") <= 225
                    if dv.type:
                        assert dv.showErrorMessage and dv.errorStyle == "stop" and dv.error and dv.errorTitle
    assert count > 30 * 14


def test_code_cells_are_text():
    ws = load_workbook(io.BytesIO(build_plantilla(today=TODAY)))["UNIDAD 1"]
    for row in [*LAYOUT.clasificacion.values(), *LAYOUT.eje_rows, *LAYOUT.linea_rows]:
        assert ws[f"B{row}"].number_format == "@", row
    for row in (LAYOUT.first_goal, LAYOUT.last_goal):
        assert ws[f"{letter('linea_accion')}{row}"].number_format == "@"
        assert ws[f"{letter('numero')}{row}"].number_format == "@"
        assert ws[f"{letter('meta_anual')}{row}"].number_format == "General"


def test_table_header_notes_panes_widths_and_print_setup():
    wb = load_workbook(io.BytesIO(build_plantilla(today=TODAY)))
    ws = wb["UNIDAD 1"]
    top = LAYOUT.header_top
    assert [ws.cell(top, c).value for c in (1, 2, 3, 4, 5)] == [
        "LÍNEA DE ACCIÓN P.M.D.", "NÚM.", "DESCRIPCIÓN DE METAS Y ACCIONES", "UNIDAD DE MEDIDA", "META ANUAL AUTORIZADA"]
    assert ws.cell(top, COL["p1"]).value == "PERIODO"
    assert [ws.cell(top + 1, COL[f"p{q}"]).value for q in range(1, 5)] == ["Ene-Mar", "Abr-Jun", "Jul-Sep", "Oct-Dic"]
    assert [ws.cell(top + 2, c).value for c in range(COL["p1"], COL["a4"] + 1)] == ["P", "A"] * 4
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert f"{letter('p1')}{top}:{letter('a4')}{top}" in merged
    assert f"{letter('p1')}{top + 1}:{letter('a1')}{top + 1}" in merged
    # notes on every header label
    for row in [*LAYOUT.clasificacion.values(), LAYOUT.eje_rows[0], LAYOUT.linea_rows[0], *LAYOUT.firma_rows.values()]:
        assert ws.cell(row, 1).comment is not None, row
    for name in ("linea_accion", "numero", "descripcion", "unidad_medida", "meta_anual", "p1", "observaciones"):
        assert ws.cell(top, COL[name]).comment is not None, name
    assert all(wb["GENERAL"].cell(row, 1).comment for row in GENERAL_ROW.values())
    # widths, panes, print
    assert ws.column_dimensions[letter("descripcion")].width >= 40
    assert ws.column_dimensions[letter("p1")].width < ws.column_dimensions[letter("meta_anual")].width
    assert ws.freeze_panes == f"{letter('unidad_medida')}{LAYOUT.first_goal}"
    assert wb["GENERAL"].freeze_panes == "A2"
    for sheet in wb.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == f"${top}:${LAYOUT.header_bottom}"


def test_conditional_formats_follow_trimestre_and_tolerancia():
    wb = load_workbook(io.BytesIO(build_plantilla(today=TODAY)))
    assert wb.defined_names[TRIMESTRE_NAME].attr_text == f"GENERAL!$B${GENERAL_ROW['trimestre']}"
    assert wb.defined_names[TOLERANCIA_NAME].attr_text == f"GENERAL!$B${GENERAL_ROW['tolerancia']}"
    ws = wb["UNIDAD 1"]
    rules = {
        (str(cf.sqref), rule.formula[0], rule.dxf.fill.fgColor.rgb[-6:] if rule.dxf and rule.dxf.fill else None)
        for cf in ws.conditional_formatting
        for rule in cf.rules
    }
    for q in range(1, 5):
        a = letter(f"a{q}")
        assert (f"{a}{LAYOUT.header_bottom}:{a}{LAYOUT.last_goal}", f"VALUE({TRIMESTRE_NAME})={q}", CURRENT_FILL) in rules
    formulas = " ".join(f for _, f, _ in rules)
    assert TOLERANCIA_NAME in formulas and f'${letter("observaciones")}{LAYOUT.first_goal}=""' in formulas


# --- the template's rules never accept what the reader refuses ---------------------------------


def _domain(dv):
    """A strategy of values the validation ``dv`` lets a person enter."""
    if dv.type == "list":
        items = dv.formula1.strip('"').split(",")
        # Excel stores a picked "2" as the number 2
        return st.sampled_from(items + [int(i) for i in items if i.isdigit()])
    low = float(dv.formula1)
    high = float(dv.formula2) if dv.operator == "between" else 1e12
    if dv.type == "whole":
        return st.integers(int(low), int(high))
    if dv.type == "decimal":
        return st.one_of(
            st.floats(low, high, allow_nan=False, allow_infinity=False),
            st.integers(int(low), int(high)) if high - low >= 1 else st.just(low),
        )
    if dv.type == "date":
        start = dt.date(1899, 12, 30)
        return st.dates(start + dt.timedelta(days=int(low)), start + dt.timedelta(days=int(high))).map(
            lambda d: dt.datetime(d.year, d.month, d.day)
        )
    raise AssertionError(dv.type)


_TEMPLATE = load_workbook(io.BytesIO(build_plantilla(today=TODAY)))
_GENERAL_PARSERS = {
    "ejercicio": V.parse_ejercicio,
    "trimestre": V.parse_trimestre,
    "fecha": V.parse_fecha,
    "base": V.parse_base,
    "tolerancia": lambda v: V.parse_tolerancia(v, percent_format=True),  # the cell is formatted as %
}
_CASES = [("GENERAL", f"B{GENERAL_ROW[k]}", parser) for k, parser in _GENERAL_PARSERS.items()] + [
    ("UNIDAD 1", f"{letter(name)}{LAYOUT.first_goal}", V.parse_number)
    for name in ("meta_anual", "p1", "a1", "p4", "a4")
]


@pytest.mark.parametrize("sheet, ref, parser", _CASES, ids=[f"{s}!{r}" for s, r, _ in _CASES])
def test_what_the_template_accepts_the_reader_accepts(sheet, ref, parser):
    dv = validation_of(_TEMPLATE[sheet], ref)
    assert dv is not None and dv.type

    @settings(max_examples=200)
    @given(_domain(dv))
    def check(value):
        assert dv_accepts(dv, value)
        parser(value)  # raises ValueProblemError if the reader would refuse it

    check()


def test_boundary_values_read_back_without_errors(tmp_path):
    wb = load_workbook(io.BytesIO(build_plantilla(ayuntamiento="AYUNTAMIENTO", today=TODAY)))
    general = wb["GENERAL"]
    type_into(general, f"B{GENERAL_ROW['ejercicio']}", 2100)
    type_into(general, f"B{GENERAL_ROW['trimestre']}", "4")
    type_into(general, f"B{GENERAL_ROW['fecha']}", dt.datetime(2100, 12, 31))  # the last date, in its period
    type_into(general, f"B{GENERAL_ROW['base']}", "PROGRAMADO AL PERIODO")
    type_into(general, f"B{GENERAL_ROW['tolerancia']}", 0.99)
    ws = wb["UNIDAD 1"]
    row = LAYOUT.first_goal
    type_into(ws, f"{letter('descripcion')}{row}", "Meta")
    type_into(ws, f"{letter('unidad_medida')}{row}", "PIEZA")
    for name, value in (("meta_anual", 0), ("p1", 0), ("a1", 0.001), ("p2", 1e9), ("a4", 12345.678)):
        type_into(ws, f"{letter(name)}{row}", value)
    path = tmp_path / "bordes.xlsx"
    wb.save(path)
    revision = check_workbook(str(path))
    assert not [p for p in revision.problems if p.origen.sheet == "GENERAL"]
    value_codes = {"numero-invalido", "numero-negativo", "meta-anual-faltante", "dato-general-invalido"}
    assert not [p for p in revision.problems if p.code in value_codes]
    g = revision.lectura.general
    assert (g.ejercicio, g.trimestre, g.tolerancia, g.base.etiqueta) == (2100, 4, Decimal("0.99"), "PROGRAMADO AL PERIODO")


# --- next quarter: --desde -----------------------------------------------------------------


def _figures(revision):
    return [
        (u.unidad.sheet, m.meta.numero, m.meta.descripcion, m.cifras.programado_acumulado, m.cifras.avance_absoluto,
         m.cifras.porcentaje_texto, m.cifras.estatus)
        for u in revision.informe.unidades
        for m in u.metas
    ]


@pytest.mark.parametrize("example", EXAMPLE_FILES, ids=[p.name for p in EXAMPLE_FILES])
def test_desde_keeps_the_earlier_quarters_figures(example, tmp_path):
    before = check_workbook(str(example))
    assert before.informe is not None
    old = before.lectura.libro
    t = old.general.trimestre
    result = make_next_quarter(example)
    path = save(result.data, tmp_path / result.nombre)
    assert (result.ejercicio, result.trimestre) == (old.general.ejercicio, t + 1)
    assert result.unidades == len(old.unidades) and result.metas == sum(len(u.metas) for u in old.unidades)

    # read at the old quarter, the new workbook gives exactly the old figures
    again = check_workbook(str(path), trimestre=t)
    assert not again.errores
    assert _figures(again) == _figures(before)
    new = again.lectura.libro
    g0, g1 = old.general, new.general
    assert (g1.ayuntamiento, g1.ejercicio, g1.base, g1.tolerancia, g1.clave_formato, g1.correos) == (
        g0.ayuntamiento, g0.ejercicio, g0.base, g0.tolerancia, g0.clave_formato, g0.correos)
    for u0, u1 in zip(old.unidades, new.unidades, strict=True):
        assert u0.sheet == u1.sheet
        for name in ("ramo", "programa", "proyecto", "unidad_ejecutora", "finalidad", "funcion", "subfuncion"):
            c0, c1 = getattr(u0, name), getattr(u1, name)
            assert (c0 and (c0.clave, c0.descripcion)) == (c1 and (c1.clave, c1.descripcion)), name
        assert [(c.clave, c.descripcion) for c in u0.ejes] == [(c.clave, c.descripcion) for c in u1.ejes]
        assert [(c.clave, c.descripcion) for c in u0.lineas_accion] == [(c.clave, c.descripcion) for c in u1.lineas_accion]
        assert [(f.rol, f.nombre, f.cargo, f.leyenda) for f in u0.firmas] == [(f.rol, f.nombre, f.cargo, f.leyenda) for f in u1.firmas]
        for m0, m1 in zip(u0.metas, u1.metas, strict=True):
            assert (m0.lineas_accion, m0.numero, m0.descripcion, m0.unidad_medida, m0.meta_anual, m0.programado) == (
                m1.lineas_accion, m1.numero, m1.descripcion, m1.unidad_medida, m1.meta_anual, m1.programado)
            assert m1.alcanzado[:t] == m0.alcanzado[:t]
            assert m1.alcanzado[t:] == (None,) * (4 - t)  # the new quarter starts blank

    # as the new quarter: TRIMESTRE advanced, FECHA its last day, its A column highlighted and blank;
    # left as it came, the quarter is not captured: one error per unit with something programmed (issue #11)
    current = check_workbook(str(path))
    expected = {u.sheet for u in old.unidades if sum(m.programado[t] for m in u.metas) > 0}
    assert {p.origen.sheet for p in current.errores} == expected
    assert {p.code for p in current.errores} <= {"trimestre-sin-capturar"}
    assert current.informe is None or not expected
    assert current.lectura.libro.general.trimestre == t + 1
    assert current.lectura.libro.general.fecha == V.last_day_of_quarter(g0.ejercicio, t + 1)
    assert {p.code for p in current.problems} <= {"alcanzado-en-blanco", "justificacion-faltante", "valor-ignorado",
                                                  "trimestre-sin-capturar"}
    wb = load_workbook(path)
    assert wb["GENERAL"][f"B{GENERAL_ROW['trimestre']}"].value == t + 1
    for u in old.unidades:
        ws = wb[u.sheet]
        a = letter(f"a{t + 1}")
        rules = [r.formula[0] for cf in ws.conditional_formatting if a in str(cf.sqref) for r in cf.rules]
        assert f"VALUE({TRIMESTRE_NAME})={t + 1}" in rules
        lay = unit_layout(len(u.ejes), len(u.lineas_accion), len(u.metas))
        for row in range(lay.first_goal, lay.first_goal + len(u.metas)):
            assert ws[f"{a}{row}"].value is None and is_input(ws[f"{a}{row}"])


def test_desde_matches_the_expected_figures_of_the_examples(tmp_path):
    expected = json.loads((EXAMPLES / "expected_figures.json").read_text(encoding="utf-8"))
    for example in EXAMPLE_FILES:
        t = check_workbook(str(example)).lectura.libro.general.trimestre
        path = save(next_quarter(example), tmp_path / example.name)
        informe = check_workbook(str(path), trimestre=t).informe
        got = {
            u.unidad.sheet: {
                m.meta.numero: {"avance_absoluto": str(m.cifras.avance_absoluto), "acumulado_relativo": m.cifras.porcentaje_texto}
                for m in u.metas
            }
            for u in informe.unidades
        }
        assert got == expected[example.name]


def test_desde_keeps_observaciones_as_a_note_not_as_text(tmp_path):
    unit = builders.Unit(goals=[builders.Goal(obs="Se reprogramaron reuniones.")])
    source = builders.build_workbook(tmp_path / "t2.xlsx", units=[unit])
    wb = load_workbook(io.BytesIO(next_quarter(source)))
    ws = wb[unit.sheet]
    cell = ws[f"{letter('observaciones')}{LAYOUT.first_goal}"]
    assert cell.value is None
    assert "Se reprogramaron reuniones." in cell.comment.text


def test_desde_refuses_a_fourth_quarter_workbook_and_suggests_a_new_year(tmp_path):
    source = builders.build_workbook(tmp_path / "t4.xlsx", general={**builders.DEFAULT_GENERAL, "TRIMESTRE": 4})
    with pytest.raises(PlantillaCapturaError, match="indique el ejercicio nuevo, por ejemplo 2024") as raised:
        make_next_quarter(source)
    assert raised.value.ejercicio_nuevo == 2024 and "--" not in str(raised.value)


def test_desde_with_a_new_ejercicio_starts_the_year(tmp_path):
    source = builders.build_workbook(tmp_path / "t4.xlsx", general={**builders.DEFAULT_GENERAL, "TRIMESTRE": 4})
    before = check_workbook(str(source)).lectura.libro
    result = make_next_quarter(source, ejercicio=2024)
    assert (result.ejercicio, result.trimestre) == (2024, 1)
    path = save(result.data, tmp_path / result.nombre)
    revision = check_workbook(str(path))
    libro = revision.lectura.unidades
    g = revision.lectura.general
    assert (g.ejercicio, g.trimestre, g.fecha) == (2024, 1, dt.date(2024, 3, 31))
    m0, m1 = before.unidades[0].metas[0], libro[0].metas[0]
    assert (m1.numero, m1.descripcion, m1.unidad_medida, m1.lineas_accion) == (
        m0.numero, m0.descripcion, m0.unidad_medida, m0.lineas_accion)
    assert m1.meta_anual is None and m1.programado == (0, 0, 0, 0) and m1.alcanzado == (None,) * 4
    assert m1.observaciones == ""
    assert [f.nombre for f in libro[0].firmas] == [f.nombre for f in before.unidades[0].firmas]
    # the only errors are the plan still to be written, at the META ANUAL cells
    assert {p.code for p in revision.errores} == {"meta-anual-faltante"}
    ws = load_workbook(path)[before.unidades[0].sheet]
    assert "72" in ws[f"{letter('meta_anual')}{LAYOUT.first_goal}"].comment.text
    with pytest.raises(PlantillaCapturaError, match="posterior"):
        make_next_quarter(source, ejercicio=2022)


def test_desde_refuses_a_workbook_whose_values_cannot_be_carried(tmp_path):
    unit = builders.Unit(goals=[builders.Goal(a=("doce", None, None, None))])
    source = builders.build_workbook(tmp_path / "malo.xlsx", units=[unit])
    with pytest.raises(PlantillaCapturaError, match="numero-invalido"):
        make_next_quarter(source)
    no_general = builders.build_workbook(tmp_path / "sin.xlsx", general={"EJERCICIO": 2023})
    with pytest.raises(PlantillaCapturaError, match="AYUNTAMIENTO"):
        make_next_quarter(no_general)


def test_desde_carries_blanks_the_reader_only_warned_about(tmp_path):
    # a missing signature name is carried over blank and reported again in the new workbook
    unit = builders.Unit(firmas=[("ELABORÓ", None, "CARGO", None), *builders.DEFAULT_FIRMAS[1:]])
    source = builders.build_workbook(tmp_path / "t2.xlsx", units=[unit])
    path = save(next_quarter(source), tmp_path / "t3.xlsx")
    problems = check_workbook(str(path)).problems
    assert ("firma-faltante", unit.sheet, f"B{LAYOUT.firma_rows['ELABORÓ']}") in {key_of(p) for p in problems}


def test_desde_makes_room_for_many_goals_ejes_and_lineas(tmp_path):
    header = [*builders.DEFAULT_HEADER, *[("", f"9.{i}", f"LÍNEA {i}") for i in range(6)]]
    goals = [builders.Goal(numero=str(i), obs="") for i in range(40)]
    unit = builders.Unit(header=header, goals=goals)
    source = builders.build_workbook(tmp_path / "t2.xlsx", units=[unit])
    path = save(next_quarter(source), tmp_path / "t3.xlsx")
    unidad = check_workbook(str(path), trimestre=2).lectura.libro.unidades[0]
    assert [m.numero for m in unidad.metas] == [str(i) for i in range(40)]
    assert len(unidad.lineas_accion) == 8
    ws = load_workbook(path)[unit.sheet]
    lay = unit_layout(1, 8, 40)
    assert lay.last_goal - lay.first_goal + 1 == 50  # ten empty rows left after the goals
    assert is_input(ws[f"C{lay.last_goal}"]) and ws[f"A{lay.firma_rows['ELABORÓ']}"].value == "ELABORÓ"


# --- the command ----------------------------------------------------------------------------


def run(args):
    """Run ``poa-render`` in-process; stdout and stderr stay apart (click >= 8.2)."""
    return CliRunner().invoke(cli, args)


def test_cli_writes_the_default_name_and_says_what_to_do(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(["plantilla", "--unidades", "2", "--ejercicio", "2024", "--trimestre", "2",
                  "--ayuntamiento", "XXIV AYUNTAMIENTO DE MEXICALI"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "libro_de_captura_2024_T2.xlsx"
    assert path.exists()
    assert str(path.name) in result.stdout and "INSTRUCCIONES" in result.stdout and "poa-render validar" in result.stdout
    assert result.stderr == ""
    assert load_workbook(path).sheetnames == ["INSTRUCCIONES", "GENERAL", "UNIDAD 1", "UNIDAD 2"]

    again = run(["plantilla", "--ejercicio", "2024", "--trimestre", "2"])
    assert again.exit_code == 1
    assert "--sobrescribir" in again.stderr and again.stdout == ""
    assert len(load_workbook(path).sheetnames) == 4  # untouched
    forced = run(["plantilla", "--ejercicio", "2024", "--trimestre", "2", "--sobrescribir"])
    assert forced.exit_code == 0
    assert len(load_workbook(path).sheetnames) == 3


def test_cli_output_option(tmp_path):
    out = tmp_path / "mi libro.xlsx"
    result = run(["plantilla", "-o", str(out)])
    assert result.exit_code == 0 and out.exists()
    assert f'"{out}"' in result.stdout  # quoted in the suggested command because of the space


@pytest.mark.parametrize(
    "args",
    [
        ["plantilla", "--unidades", "0"],
        ["plantilla", "--trimestre", "5"],
        ["plantilla", "--ejercicio", "1999"],
        ["plantilla", "-o", "libro.xls"],
        ["plantilla", "--desde", "x.xlsx", "--unidades", "2"],
        ["plantilla", "--desde", "x.xlsx", "--trimestre", "2"],
        ["plantilla", "--opcion-que-no-existe"],
    ],
)
def test_cli_bad_usage_exits_2(args, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(args)
    assert result.exit_code == 2, result.output
    assert list(tmp_path.iterdir()) == []


def test_cli_desde_leaves_the_input_untouched(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "anterior.xlsx"
    shutil.copyfile(EXAMPLE_FILES[0], source)
    os.utime(source, (1_600_000_000, 1_600_000_000))
    data, mtime = source.read_bytes(), source.stat().st_mtime_ns
    result = run(["plantilla", "--desde", str(source)])
    assert result.exit_code == 0, result.output
    assert source.read_bytes() == data and source.stat().st_mtime_ns == mtime
    written = [p for p in tmp_path.iterdir() if p != source]
    assert [p.name for p in written] == ["libro_de_captura_2018_T2.xlsx"]
    assert "anterior.xlsx" in result.stdout and "Abr-Jun" in result.stdout
    # writing over the source is refused even with --sobrescribir
    refused = run(["plantilla", "--desde", str(source), "-o", str(source), "--sobrescribir"])
    assert refused.exit_code == 2 and f"«{source}»" in refused.stderr  # an output over an input: bad usage (issue #11)
    assert source.read_bytes() == data and source.stat().st_mtime_ns == mtime


def test_cli_refusals_exit_1(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    q4 = builders.build_workbook(tmp_path / "t4.xlsx", general={**builders.DEFAULT_GENERAL, "TRIMESTRE": 4})
    result = run(["plantilla", "--desde", str(q4)])
    assert result.exit_code == 1
    assert "--ejercicio 2024" in result.stderr and "Traceback" not in result.stderr
    assert run(["plantilla", "--desde", "no-existe.xlsx"]).exit_code == 1
    assert run(["plantilla", "-o", str(tmp_path / "no" / "hay" / "carpeta.xlsx")]).exit_code == 1
    new_year = run(["plantilla", "--desde", str(q4), "--ejercicio", "2024"])
    assert new_year.exit_code == 0 and (tmp_path / "libro_de_captura_2024_T1.xlsx").exists()


# --- LibreOffice opens it, and what it saves still reads the same --------------------------------


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_opens_the_template_and_its_copy_reads_the_same(tmp_path):
    path = save(build_plantilla(unidades=2, today=TODAY), tmp_path / "plantilla.xlsx")
    out = tmp_path / "lo"
    out.mkdir()
    profile = (tmp_path / "profile").as_uri()
    command = ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML",
               "--outdir", str(out), str(path)]
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    saved = out / "plantilla.xlsx"
    assert saved.exists()
    before = {key_of(p) for p in check_workbook(str(path)).problems}
    after = {key_of(p) for p in check_workbook(str(saved)).problems}
    assert after == before
    wb = load_workbook(saved)
    assert validation_of(wb["UNIDAD 1"], f"{letter('a1')}{LAYOUT.first_goal}").type == "decimal"
    assert wb["UNIDAD 1"][f"B{LAYOUT.clasificacion['ramo']}"].number_format == "@"


def test_next_quarter_refuses_a_workbook_with_a_goal_after_the_signatures(tmp_path):
    # issue #11: the goal below AUTORIZÓ must not vanish from next quarter's workbook
    import shutil

    from openpyxl import load_workbook

    from poa_xlsx.captura.plantilla import PlantillaCapturaError
    from poa_xlsx.captura.siguiente import make_next_quarter

    path = tmp_path / "turismo.xlsx"
    shutil.copy(Path(__file__).resolve().parent.parent / "examples" / "2024-turismo-T1.xlsx", path)
    wb = load_workbook(path)
    ws = wb.worksheets[-1]
    ws.cell(ws.max_row + 3, 3, "UNA META MÁS, ESCRITA DEBAJO DE LAS FIRMAS")
    wb.save(path)
    with pytest.raises(PlantillaCapturaError, match="fila-despues-de-firmas"):
        make_next_quarter(path)

def test_cli_untouched_next_quarter_is_neither_reported_nor_sent(tmp_path, monkeypatch):
    """Issue #11: ``plantilla --desde`` then the report on the workbook as it came wrote a report
    of «no alcanzadas», and ``enviar`` sent it."""
    monkeypatch.chdir(tmp_path)
    source = tmp_path / "t1.xlsx"
    shutil.copyfile(EXAMPLES / "2024-turismo-T1.xlsx", source)
    assert run(["plantilla", "--desde", str(source), "-o", "t2.xlsx"]).exit_code == 0
    before = sorted(p.name for p in tmp_path.iterdir())
    report = run(["t2.xlsx", "-o", "salida"])
    assert report.exit_code == 1
    assert "[trimestre-sin-capturar]" in report.stderr and "escriba 0 donde no hubo avance" in report.stderr
    sent = run(["enviar", "t2.xlsx", "--simular", "--para", "tesoreria@example.org"])
    assert sent.exit_code == 1 and "no se envió nada" in sent.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


# --- unit sheets written as cell grids (issue #12: a big --desde was slow) -----------------------
# What the workbooks hold is checked aspect by aspect in tests/test_plantilla_contenido.py; here,
# the pieces that replace openpyxl's own writing are checked against openpyxl's.


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def test_notes_vml_is_openpyxls_with_excels_prefixes():
    from openpyxl.comments import Comment
    from openpyxl.comments.comment_sheet import CommentRecord
    from openpyxl.comments.shape_writer import ShapeWriter

    from poa_xlsx.xlsx.openpyxl_interno import comments_vml
    from poa_xlsx.xlsx.paquete import _with_prefixes

    notes = [("A3", 60, 320), ("N17", 124, 380), ("AB1048", 76, 360)]
    theirs = ShapeWriter([(ref, Comment("x", "y", height=h, width=w)) for ref, h, w in notes]).write(None)
    assert comments_vml(notes) == _with_prefixes(theirs)
    records = [CommentRecord(ref=ref, height=h, width=w) for ref, h, w in notes]
    assert comments_vml((r.ref, r.height, r.width) for r in records) == _with_prefixes(theirs)


def test_unit_sheet_rules_are_what_openpyxl_writes_in_the_sheet():
    from openpyxl import Workbook

    from poa_xlsx.captura import plantilla
    from poa_xlsx.xlsx.openpyxl_interno import detached_sheet, rules_xml, write_parts

    lay = unit_layout(ejes=3, lineas=5, metas=44)
    wb = Workbook()
    plantilla._add_unit_rules(wb.active, lay)
    sheet = write_parts(wb)["xl/worksheets/sheet1.xml"].decode("utf-8")
    theirs = sheet[sheet.index("<conditionalFormatting"):sheet.index("</dataValidations>") + len("</dataValidations>")]
    other = Workbook()
    scratch = detached_sheet(other)
    plantilla._add_unit_rules(scratch, lay)
    ours = rules_xml(scratch)
    assert ours.count("<cfRule") == theirs.count("<cfRule") >= 8
    assert ours.count("<dataValidation ") == theirs.count("<dataValidation ") == 13
    # the same XML, up to how characters outside ASCII are written (UTF-8 or &#NNN;)
    import html

    assert html.unescape(ours) == html.unescape(theirs)
    assert len(other._differential_styles.dxf) == 3 and scratch not in other.worksheets


def test_carried_over_text_that_looks_like_a_formula_stays_text(tmp_path):
    """openpyxl turned a carried-over "=..." into a formula without a value (issue #12 rewrite)."""
    goals = [builders.Goal(descripcion="=SUMA DE ESFUERZOS", obs="+ apoyo de otras áreas", numero="-3", meta=4, p=(1, 1, 1, 1), a=(1, 1, None, None)),
             builders.Goal(descripcion="@cuenta oficial", obs="#N/A por ahora", meta=2, p=(1, 1, 0, 0), a=(0, 0, None, None))]
    source = builders.build_workbook(tmp_path / "t1.xlsx", units=[builders.Unit(goals=goals)])
    book = load_workbook(source)  # as typed in Excel with a leading apostrophe: text, not formulas
    for cell in (c for row in book.worksheets[-1].iter_rows() for c in row if c.data_type == "f"):
        cell.data_type = "s"
    book.save(source)
    assert [p for p in check_workbook(source).problems if p.es_error] == []
    nxt = save(next_quarter(source), tmp_path / "t2.xlsx")
    wb = load_workbook(nxt)
    ws = wb.worksheets[2]
    first = unit_layout(metas=2).first_goal
    assert ws.cell(first, COL["descripcion"]).value == "=SUMA DE ESFUERZOS"
    assert ws.cell(first, COL["descripcion"]).data_type == "s"
    assert ws.cell(first, COL["numero"]).value == "-3"
    assert ws.cell(first + 1, COL["descripcion"]).value == "@cuenta oficial"
    assert all(ws.cell(first + i, COL[k]).data_type == "s" for i in (0, 1) for k in ("descripcion", "numero"))
    # the observaciones become notes (the quarter changed), and the reader sees the texts
    result = check_workbook(nxt)
    assert not [p for p in result.problems if p.code == "formula-sin-valor"]
    metas = result.lectura.libro.unidades[0].metas
    assert [m.descripcion for m in metas] == ["=SUMA DE ESFUERZOS", "@cuenta oficial"]
