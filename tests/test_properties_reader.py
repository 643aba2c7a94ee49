"""Property: any workbook openpyxl can write yields figures or problems, never a crash.

Random workbooks start from a valid capture workbook (``tests/builders.py``)
with a random layout, then get random values in random cells, perturbed
labels, renamed or hidden sheets, random merges and deleted rows. Reading,
validating and computing must return a :class:`~poa_xlsx.acciones.Revision`:
figures when there is no error, located problems otherwise. For a file
openpyxl itself wrote, not even :class:`~poa_xlsx.problems.LibroError` is
acceptable.
"""
from __future__ import annotations

import datetime as dt
import re
import sys
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:  # the working tree, not an installed copy (conftest does this too)
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import builders  # noqa: E402
from openpyxl import load_workbook  # noqa: E402
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, MergedCell  # noqa: E402
from openpyxl.utils import get_column_letter  # noqa: E402

from poa_xlsx.acciones import check_workbook  # noqa: E402
from poa_xlsx.problems import CODES  # noqa: E402

LABELS = [
    "AYUNTAMIENTO", "EJERCICIO", "TRIMESTRE", "FECHA", "BASE DEL PORCENTAJE", "TOLERANCIA", "RAMO", "PROGRAMA",
    "PROYECTO", "UNIDAD EJECUTORA", "FINALIDAD", "FUNCIÓN", "SUBFUNCIÓN", "EJE DE GOBIERNO", "LÍNEAS DE ACCIÓN",
    "ELABORÓ", "REVISÓ", "AUTORIZÓ", "DESCRIPCIÓN DE METAS Y ACCIONES", "UNIDAD DE MEDIDA", "META ANUAL",
    "ENE-MAR", "ABR-JUN", "JUL-SEP", "OCT-DIC", "P", "A", "P1", "A4", "PERIODO", "OBSERVACIONES", "NÚM.", "L/A",
    "AVANCE ABSOLUTO", "ACUMULADO RELATIVO", "GENERAL", "T1", "1ER TRIMESTRE",
]
_CELL = re.compile(r"^[A-Z]{1,3}[1-9]\d*$")


def _perturb(label: str, how: int) -> str:
    if how == 0:
        return label.lower()
    if how == 1:
        return "".join(ch for ch in unicodedata.normalize("NFKD", label) if not unicodedata.combining(ch))
    if how == 2:
        return f"  {label.replace(' ', '   ')}: "
    if how == 3:
        return label.replace(" ", "\n")
    if how == 4:
        return label[: max(1, len(label) // 2)]
    return label + " X"


texts = st.text(max_size=40).map(lambda t: ILLEGAL_CHARACTERS_RE.sub("", t))
labels = st.builds(_perturb, st.sampled_from(LABELS), st.integers(0, 6))
numbers = st.one_of(
    st.integers(-10**6, 10**16),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6).map(float),
)
values = st.one_of(
    st.none(),
    numbers,
    texts,
    labels,
    st.sampled_from(["1,234", "3 506", "-5", "nan", "inf", "1e309", "10%", "=1+1", "=SUM(A1:A3)", "#N/A", "0", ""]),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2100, 12, 31)),
    st.booleans(),
)
sheet_names = st.one_of(
    st.sampled_from(["GENERAL", "DATOS GENERALES", "INSTRUCCIONES", "_oculta", "201 Promoción", "RESUMEN", "Hoja1"]),
    st.text(st.characters(blacklist_characters="\\/*?:[]'", blacklist_categories=("Cs", "Cc")), min_size=1,
            max_size=25).map(str.strip).filter(bool),
)


@st.composite
def goals(draw: st.DrawFn) -> builders.Goal:
    return builders.Goal(
        numero=draw(st.one_of(values, st.just("303"))),
        descripcion=draw(st.one_of(texts, st.just("REUNIONES"))),
        unidad=draw(st.one_of(texts, st.just("REUNIÓN"))),
        meta=draw(st.one_of(values, st.integers(0, 1000))),
        p=tuple(draw(st.one_of(values, st.integers(0, 100))) for _ in range(4)),
        a=tuple(draw(st.one_of(values, st.integers(0, 100))) for _ in range(4)),
        la=draw(st.one_of(values, st.just("3.1.2 4.6.1"))),
        obs=draw(st.one_of(texts, st.none())),
    )


@st.composite
def units(draw: st.DrawFn) -> builders.Unit:
    header = list(builders.DEFAULT_HEADER)
    for _ in range(draw(st.integers(0, 3))):
        i = draw(st.integers(0, len(header) - 1))
        label, clave, desc = header[i]
        header[i] = (draw(st.one_of(labels, st.just(label))), draw(st.one_of(values, st.just(clave))), desc)
    if draw(st.booleans()):
        del header[draw(st.integers(0, len(header) - 1))]
    return builders.Unit(
        sheet=draw(sheet_names),
        header=header,
        goals=draw(st.lists(goals(), max_size=4)),
        firmas=draw(st.sampled_from([builders.DEFAULT_FIRMAS, builders.DEFAULT_FIRMAS[:2], []])),
        layout=draw(st.sampled_from(["one", "two", "three"])),
        signatures_above=draw(st.booleans()),
        extra_columns=tuple(draw(st.lists(st.one_of(labels, texts.filter(bool)), max_size=2))),
        drop_columns=tuple(draw(st.lists(st.sampled_from(["meta", "p3", "a2", "obs", "la", "numero", "unidad"]),
                                         max_size=2))),
    )


@st.composite
def general_sheets(draw: st.DrawFn) -> dict:
    general = dict(builders.DEFAULT_GENERAL)
    for key in draw(st.lists(st.sampled_from(list(general)), max_size=3)):
        general[key] = draw(values)
    for key in draw(st.lists(st.sampled_from(list(general)), max_size=2)):
        general.pop(key, None)
    return general


@st.composite
def edits(draw: st.DrawFn) -> list:
    """Random changes applied after building: (kind, arguments)."""
    kinds = st.one_of(
        st.tuples(st.just("set"), st.integers(0, 5), st.integers(1, 30), st.integers(1, 20), values),
        st.tuples(st.just("label"), st.integers(0, 5), st.integers(1, 30), st.integers(1, 3), labels),
        st.tuples(st.just("merge"), st.integers(0, 5), st.integers(1, 25), st.integers(1, 15), st.integers(0, 3),
                  st.integers(0, 3)),
        st.tuples(st.just("delete_rows"), st.integers(0, 5), st.integers(1, 25), st.integers(1, 3)),
        st.tuples(st.just("insert_rows"), st.integers(0, 5), st.integers(1, 25), st.integers(1, 3)),
        st.tuples(st.just("hide"), st.integers(0, 5)),
        st.tuples(st.just("rename"), st.integers(0, 5), sheet_names),
    )
    return draw(st.lists(kinds, max_size=8))


def _apply(path: Path, changes: list) -> None:
    wb = load_workbook(path)
    for change in changes:
        ws = wb.worksheets[change[1] % len(wb.worksheets)]
        kind = change[0]
        if kind in ("set", "label"):
            _, _, row, col, value = change
            cell = ws.cell(row, col)
            if not isinstance(cell, MergedCell):  # openpyxl keeps only a merge's first cell
                cell.value = value
        elif kind == "merge":
            _, _, row, col, down, right = change
            ref = f"{get_column_letter(col)}{row}:{get_column_letter(col + right)}{row + down}"
            if down or right:
                try:
                    ws.merge_cells(ref)
                except ValueError:
                    pass
        elif kind == "delete_rows":
            ws.delete_rows(change[2], change[3])
        elif kind == "insert_rows":
            ws.insert_rows(change[2], change[3])
        elif kind == "hide":
            if sum(1 for w in wb.worksheets if w.sheet_state == "visible") > 1:
                ws.sheet_state = "hidden"
        elif kind == "rename":
            if change[2] not in wb.sheetnames:
                ws.title = change[2]
    wb.save(path)


@settings(max_examples=int(__import__("os").environ.get("POA_EXAMPLES", "40")), deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(general=general_sheets(), unit_list=st.lists(units(), min_size=0, max_size=3), changes=edits(),
       general_sheet=st.sampled_from(["GENERAL", "DATOS GENERALES", "general", "Hoja1"]))
def test_any_workbook_gives_figures_or_problems(general: dict, unit_list: list, changes: list,
                                                 general_sheet: str) -> None:
    names = {general_sheet.upper()}
    unique_units = []
    for unit in unit_list:  # openpyxl refuses two sheets with one name
        if unit.sheet.upper() not in names and unit.sheet.upper() != "INSTRUCCIONES":
            names.add(unit.sheet.upper())
            unique_units.append(unit)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "libro.xlsx"
        builders.build_workbook(path, general=general, units=unique_units, general_sheet=general_sheet)
        _apply(path, changes)
        before = path.read_bytes()
        revision = check_workbook(str(path))  # no exception of any kind, LibroError included
        assert path.read_bytes() == before
    errors = [p for p in revision.problems if p.es_error]
    assert (revision.informe is not None) != bool(errors)
    sheets = set(revision.lectura.sheet_names) | {"GENERAL"}
    for problem in revision.problems:
        assert problem.code in CODES
        assert problem.origen.sheet in sheets
        assert problem.origen.cell is None or _CELL.match(problem.origen.cell), problem
        assert problem.mensaje.strip()
    if revision.informe is not None:
        for unidad in revision.informe.unidades:
            for item in unidad.metas:
                assert item.cifras.avance_absoluto >= 0
