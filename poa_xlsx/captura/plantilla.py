"""The capture workbook template and its writer.

:func:`make_plantilla` writes a blank capture workbook that follows
``shared/spec/input-workbook.md``: an INSTRUCCIONES sheet, GENERAL with its
defaults, and unit sheets in the official three-row table layout. Every input
cell is shaded and carries a data validation (a rule when the value has one,
otherwise just a prompt), code cells are text, header labels carry notes, and
conditional formats point at what the reader would warn about.
:func:`write_capture_workbook` writes any :class:`GeneralData` and
:class:`UnitData` in that layout; :mod:`.siguiente` uses it for next
quarter's workbook, and the Spanish texts come from :mod:`.instrucciones`.

The data validations are deliberately no wider than :mod:`poa_xlsx.values`:
whatever the template lets a person type, the reader accepts.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import Any, Callable, Iterable

from poa_xlsx.captura.instrucciones import FECHA_NOTE, GENERAL_ROWS, INSTRUCTIONS, NOTES, NUMBER_ERROR
from poa_xlsx.formatting import titulo_trimestre
from poa_xlsx.model import Base
from poa_xlsx.problems import PoaError
from poa_xlsx.vocabulario import LEYENDAS, QUARTER_NAMES, ROLES
from poa_xlsx.xlsx.openpyxl_interno import cell_format, detached_sheet, rules_xml
from poa_xlsx.xlsx.paquete import APPLICATION, DocumentInfo, SharedStrings, SheetGrid, argb, save_workbook
from poa_xlsx.xlsx.rejilla import CellGrid

# --- what the template looks like ----------------------------------------------

DEFAULT_GOAL_ROWS = 30  # empty goal rows in a new unit sheet
MIN_FREE_GOAL_ROWS = 10  # empty goal rows kept after carried-over goals
MIN_EJE_ROWS = 2
MIN_LINEA_ROWS = 4
MAX_UNIDADES = 100

INPUT_FILL = "DDEBF7"  # light blue: "type here"
HEADER_FILL = "D9D9D9"
CURRENT_FILL = "FFE699"  # yellow: alcanzado of the reported quarter
WARN_FILL = "F8CBAD"  # orange: something the reader would warn about
ERROR_FILL = "FF8B8B"  # red: something the reader would refuse
# The colours the INSTRUCCIONES sheet explains (its ``legend:`` rows).
LEGEND_FILLS = {"input": INPUT_FILL, "current": CURRENT_FILL, "warn": WARN_FILL, "error": ERROR_FILL}

FONT = "Calibri"
GENERAL_SHEET = "GENERAL"
INSTRUCTIONS_SHEET = "INSTRUCCIONES"
TRIMESTRE_NAME = "TRIMESTRE_ACTUAL"
TOLERANCIA_NAME = "TOLERANCIA_PCT"

# Serial numbers of 01/01/2000 and 31/12/2100: the range values.parse_fecha accepts.
FIRST_DATE_SERIAL = 36526
LAST_DATE_SERIAL = 73415
TOLERANCIA_MAX = Decimal("0.99")  # the reader wants a fraction below 1

# The goals table, column by column: (field, header label, width).
TABLE_COLUMNS: tuple[tuple[str, str, float], ...] = (
    ("linea_accion", "LÍNEA DE ACCIÓN P.M.D.", 19),
    ("numero", "NÚM.", 14),
    ("descripcion", "DESCRIPCIÓN DE METAS Y ACCIONES", 46),
    ("unidad_medida", "UNIDAD DE MEDIDA", 20),
    ("meta_anual", "META ANUAL AUTORIZADA", 13),
    *((f"{k}{q}", k.upper(), 7.5) for q in range(1, 5) for k in ("p", "a")),
    ("observaciones", "OBSERVACIONES", 42),
)
COL = {name: index for index, (name, _label, _width) in enumerate(TABLE_COLUMNS, start=1)}
HEADER_DEPTH = 3

CLASSIFICATION_ROWS: tuple[tuple[str, str, bool], ...] = (
    # (model field, label, required)
    ("ramo", "RAMO", True),
    ("programa", "PROGRAMA", True),
    ("proyecto", "PROYECTO", False),
    ("unidad_ejecutora", "UNIDAD EJECUTORA", True),
    ("finalidad", "FINALIDAD", True),
    ("funcion", "FUNCIÓN", True),
    ("subfuncion", "SUBFUNCIÓN", True),
)



class PlantillaCapturaError(PoaError):
    """A capture workbook cannot be made: bad source workbook, no next quarter...

    ``ejercicio_nuevo`` is set when giving a new year would make it (a fourth
    quarter's workbook, or a year before the workbook's): the message says it in
    words and the command line adds its own option.
    """

    def __init__(self, mensaje: str, *, ejercicio_nuevo: int | None = None) -> None:
        super().__init__(mensaje)
        self.ejercicio_nuevo = ejercicio_nuevo


# --- what goes into the workbook ---------------------------------------------------


@dataclass
class GeneralData:
    ayuntamiento: str = ""
    ejercicio: int = 2024
    trimestre: int = 1
    fecha: dt.date | None = None
    base: str = Base.META_ANUAL.etiqueta
    tolerancia: Decimal = Decimal("0.1")
    clave_formato: str = "TMM-F004"
    correos: str = ""


@dataclass
class GoalData:
    linea_accion: str = ""
    numero: str = ""
    descripcion: str = ""
    unidad_medida: str = ""
    meta_anual: Decimal | None = None
    programado: tuple[Decimal | None, ...] = (None, None, None, None)
    alcanzado: tuple[Decimal | None, ...] = (None, None, None, None)
    observaciones: str = ""
    notes: dict[str, str] = field(default_factory=dict)  # field -> cell note


@dataclass
class UnitData:
    sheet: str
    clasificacion: dict[str, tuple[str, str]] = field(default_factory=dict)  # field -> (clave, descripción)
    ejes: list[tuple[str, str]] = field(default_factory=list)
    lineas: list[tuple[str, str]] = field(default_factory=list)
    metas: list[GoalData] = field(default_factory=list)
    firmas: dict[str, tuple[str, str, str]] = field(
        default_factory=lambda: {rol: ("", "", LEYENDAS[rol]) for rol in ROLES}
    )


@dataclass(frozen=True)
class Plantilla:
    """A capture workbook ready to write, and what it holds."""

    data: bytes
    ejercicio: int
    trimestre: int
    unidades: int
    metas: int

    @property
    def nombre(self) -> str:
        """The default file name: ``libro_de_captura_2024_T2.xlsx``."""
        return default_filename(self.ejercicio, self.trimestre)


def default_filename(ejercicio: int, trimestre: int) -> str:
    return f"libro_de_captura_{ejercicio}_T{trimestre}.xlsx"


@dataclass(frozen=True)
class UnitLayout:
    """Where things are on a unit sheet (1-based rows)."""

    clasificacion: dict[str, int]
    eje_rows: tuple[int, ...]
    linea_rows: tuple[int, ...]
    header_top: int
    first_goal: int
    last_goal: int
    firma_rows: dict[str, int]
    last_row: int

    @property
    def header_bottom(self) -> int:
        return self.header_top + HEADER_DEPTH - 1


def unit_layout(ejes: int = 0, lineas: int = 0, metas: int = 0) -> UnitLayout:
    """The rows of a unit sheet with room for this many ejes, líneas and goals."""
    row = 3  # row 1: title, row 2: column captions of the header block
    clasificacion = {}
    for name, _label, _required in CLASSIFICATION_ROWS:
        clasificacion[name] = row
        row += 1
    n_ejes = max(MIN_EJE_ROWS, ejes + 1)
    eje_rows = tuple(range(row, row + n_ejes))
    row += n_ejes
    n_lineas = max(MIN_LINEA_ROWS, lineas + 1)
    linea_rows = tuple(range(row, row + n_lineas))
    row += n_lineas + 1  # a blank row before the table
    header_top = row
    first_goal = header_top + HEADER_DEPTH
    n_goals = max(DEFAULT_GOAL_ROWS, metas + MIN_FREE_GOAL_ROWS)
    last_goal = first_goal + n_goals - 1
    row = last_goal + 2  # a blank row between the goals and the signatures
    firma_rows = {rol: row + i for i, rol in enumerate(ROLES)}
    return UnitLayout(clasificacion, eje_rows, linea_rows, header_top, first_goal, last_goal, firma_rows, row + 4)


GENERAL_ROW = {key: row for row, (key, _label, _help) in enumerate(GENERAL_ROWS, start=2)}



# --- public API ----------------------------------------------------------------------


def last_ended_quarter(today: dt.date) -> tuple[int, int]:
    """The (year, quarter) that most recently ended: the one usually being reported."""
    quarter = (today.month - 1) // 3  # the current quarter minus one, 0 = last year's fourth
    return (today.year, quarter) if quarter else (today.year - 1, 4)


def make_plantilla(
    *,
    unidades: int = 1,
    ejercicio: int | None = None,
    trimestre: int | None = None,
    ayuntamiento: str = "",
    today: dt.date | None = None,
) -> Plantilla:
    """A new, empty capture workbook with ``unidades`` unit sheets.

    Without ``ejercicio`` and ``trimestre`` the workbook is for the quarter
    that most recently ended (reports are made right after a quarter ends);
    with only ``ejercicio``, for that year's quarter that ended last, or its
    first quarter for a year still to come.
    """
    if not 1 <= unidades <= MAX_UNIDADES:
        raise PlantillaCapturaError(f"El número de unidades debe estar entre 1 y {MAX_UNIDADES}.")
    year, quarter = last_ended_quarter(today or dt.date.today())
    if ejercicio is None:
        ejercicio = year
    elif trimestre is None and ejercicio != year:
        quarter = 4 if ejercicio < year else 1
    trimestre = trimestre or quarter
    check_general(ejercicio, trimestre)
    # FECHA stays blank: the reader then uses the quarter's last day, and a TRIMESTRE
    # changed by hand cannot leave the date of another period behind (issue #11)
    general = GeneralData(ayuntamiento=(ayuntamiento or "").strip(), ejercicio=ejercicio, trimestre=trimestre)
    units = [UnitData(sheet=f"UNIDAD {i}") for i in range(1, unidades + 1)]
    data = write_capture_workbook(general, units)
    return Plantilla(data, ejercicio, trimestre, len(units), 0)


def build_plantilla(**kwargs: Any) -> bytes:
    """The bytes of :func:`make_plantilla`'s workbook."""
    return make_plantilla(**kwargs).data


def check_general(ejercicio: int, trimestre: int) -> None:
    """Refuse a year or quarter the reader would not accept."""
    if not 2000 <= ejercicio <= 2100:
        raise PlantillaCapturaError(f"El ejercicio debe ser un año entre 2000 y 2100, no {ejercicio}.")
    if trimestre not in (1, 2, 3, 4):
        raise PlantillaCapturaError(f"El trimestre debe ser 1, 2, 3 o 4, no {trimestre}.")


# --- writing -------------------------------------------------------------------------


def write_capture_workbook(general: GeneralData, units: list[UnitData]) -> bytes:
    """The capture workbook for ``general`` and ``units``, as .xlsx bytes.

    INSTRUCCIONES and GENERAL are written cell by cell through openpyxl; a
    unit sheet's notes, validations, conditional formats and print setup too,
    but its cells go into a :class:`~poa_xlsx.xlsx.rejilla.CellGrid` made
    while the package is written, one sheet at a time: hundreds of thousands
    of styled cells through openpyxl made a big next quarter's workbook slower
    than the whole report (issue #12)."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    wb = Workbook()
    instructions = wb.active
    instructions.title = INSTRUCTIONS_SHEET
    _write_instructions(instructions)
    _write_general(wb.create_sheet(GENERAL_SHEET), general)
    for name, key in ((TRIMESTRE_NAME, "trimestre"), (TOLERANCIA_NAME, "tolerancia")):
        wb.defined_names[name] = DefinedName(name, attr_text=f"{GENERAL_SHEET}!$B${GENERAL_ROW[key]}")
    shared = SharedStrings()
    formats = _unit_formats(_styles(wb), instructions)
    rules: dict[str, str] = {}  # sheets of the same layout (by its repr) share their rules' XML
    grids: dict[int, Callable[[], SheetGrid]] = {}
    for unit in units:
        ws = wb.create_sheet(unit.sheet)
        lay = _write_unit(ws, unit)
        key = repr(lay)
        if key not in rules:
            scratch = detached_sheet(wb)
            _add_unit_rules(scratch, lay)
            rules[key] = rules_xml(scratch)
        grids[len(wb.worksheets)] = partial(_unit_grid, unit, lay, formats, shared, rules[key])
    wb.active = 0
    periodo = titulo_trimestre(general.trimestre, general.ejercicio).lower()
    info = DocumentInfo(
        title=f"Libro de captura del Programa Operativo Anual: {periodo}",
        creator=general.ayuntamiento.strip() or APPLICATION,
        subject=f"{general.clave_formato} avance físico programático: captura",
        keywords="TMM-F004; POA; libro de captura",
    )
    return save_workbook(wb, info, grids=grids, shared=shared)


def _fill(color: str) -> Any:
    """A solid, opaque fill of ``color`` (RRGGBB)."""
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=argb(color), end_color=argb(color))


class Styles:
    """openpyxl style objects, made once per workbook write (imports are lazy)."""

    def __init__(self) -> None:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        thin = Side(style="thin", color=argb("808080"))
        self.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        self.input_fill = _fill(INPUT_FILL)
        self.header_fill = _fill(HEADER_FILL)
        self.bold = Font(name=FONT, bold=True)
        self.title = Font(name=FONT, bold=True, size=13)
        self.hint = Font(name=FONT, italic=True, color=argb("595959"))
        self.wrap_top = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.center = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.left_center = Alignment(vertical="center", wrap_text=True)
        self.Alignment = Alignment
        self.Font = Font
        self.PatternFill = PatternFill

    def input(self, *, text: bool = False, wrap: bool = False) -> dict[str, Any]:
        """The style attributes of an input cell: shaded, boxed, text-formatted for codes."""
        attributes: dict[str, Any] = {"fill": self.input_fill, "border": self.border,
                                      "alignment": self.wrap_top if wrap else self.top}
        if text:
            attributes["number_format"] = "@"
        return attributes


def _styles(wb: Any) -> Styles:
    """The workbook's :class:`Styles` (its style indices belong to that workbook)."""
    st = getattr(wb, "_poa_styles", None)
    if st is None:
        st = wb._poa_styles = Styles()
    return st


def _note(cell: Any, text: str, width: int = 320) -> None:
    from openpyxl.comments import Comment

    lines = sum(max(1, math.ceil(len(part) / 48)) for part in text.split("\n"))
    cell.comment = Comment(text, "poa-render", height=max(60, 16 * lines + 20), width=width)


def _validation(sqref: Iterable[str], title: str, prompt: str, error: str = "", **rule: Any) -> Any:
    """A data validation over ``sqref`` with a Spanish prompt; with a ``type`` rule, also an error message."""
    from openpyxl.worksheet.datavalidation import DataValidation

    if len(title) > 32 or len(prompt) > 255 or len(error) > 225:
        raise ValueError(f"validation texts too long for Excel: {title!r}")
    dv = DataValidation(
        type=rule.get("type"),
        operator=rule.get("operator"),
        formula1=rule.get("formula1"),
        formula2=rule.get("formula2"),
        allow_blank=True,
        showInputMessage=True,
        promptTitle=title,
        prompt=prompt,
        showErrorMessage=bool(rule.get("type")),
        errorStyle="stop",
        errorTitle=title if rule.get("type") else None,
        error=error or None,
    )
    for ref in sqref:
        dv.add(ref)
    return dv


def _input(cell: Any, st: Styles, value: Any = None, *, text: bool = False, wrap: bool = False) -> Any:
    """Shade an input cell and, if given, set its value."""
    for name, attribute in st.input(text=text, wrap=wrap).items():
        setattr(cell, name, attribute)
    if value is not None and value != "":
        cell.value = _cell_value(value)
    return cell


def _cell_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _write_instructions(ws: Any) -> None:
    st = _styles(ws.parent)
    ws.column_dimensions["A"].width = 92  # LibreOffice does not shrink a wider column to the page
    ws.sheet_view.showGridLines = False
    width_chars = 98  # characters per line at width 92, roughly
    for row, (kind, text) in enumerate(INSTRUCTIONS, start=1):
        cell = ws.cell(row, 1, text if kind != "item" else "•  " + text)
        cell.alignment = st.wrap_top
        lines = max(1, math.ceil(len(text) / width_chars))
        if kind == "title":
            cell.font = st.title
            ws.row_dimensions[row].height = 24
            continue
        if kind == "heading":
            cell.font = st.bold
            ws.row_dimensions[row].height = 24
            cell.alignment = st.Alignment(vertical="bottom")
            continue
        if kind.startswith("legend:"):
            cell.fill = _fill(LEGEND_FILLS[kind.split(":", 1)[1]])
        ws.row_dimensions[row].height = 15 * lines + 3
    _landscape_one_page_wide(ws)



def _landscape_one_page_wide(ws: Any) -> None:
    """Print setup every sheet of the template shares: Letter, landscape, one page wide."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True

def _write_general(ws: Any, g: GeneralData) -> None:
    st = _styles(ws.parent)
    for col, (caption, width) in enumerate((("DATO", 26), ("VALOR", 50), ("QUÉ ESCRIBIR", 90)), start=1):
        cell = ws.cell(1, col, caption)
        cell.font = st.bold
        cell.fill = st.header_fill
        cell.border = st.border
        ws.column_dimensions[cell.column_letter].width = width
    values = {
        "ayuntamiento": g.ayuntamiento,
        "ejercicio": g.ejercicio,
        "trimestre": g.trimestre,
        "fecha": g.fecha,
        "base": g.base,
        "tolerancia": g.tolerancia,
        "clave_formato": g.clave_formato,
        "correos": g.correos,
    }
    for key, label, help_text in GENERAL_ROWS:
        row = GENERAL_ROW[key]
        label_cell = ws.cell(row, 1, label)
        label_cell.font = st.bold
        label_cell.border = st.border
        label_cell.alignment = st.left_center
        _note(label_cell, help_text)
        cell = _input(ws.cell(row, 2), st, values[key])
        cell.alignment = st.Alignment(horizontal="left", vertical="center", wrap_text=True)
        if key == "fecha" and values[key] is None:
            _note(cell, FECHA_NOTE)
        help_cell = ws.cell(row, 3, help_text)
        help_cell.alignment = st.left_center
        help_cell.font = st.hint
        ws.row_dimensions[row].height = 32
    ws.cell(GENERAL_ROW["ejercicio"], 2).number_format = "0"
    ws.cell(GENERAL_ROW["fecha"], 2).number_format = "dd/mm/yyyy"
    ws.cell(GENERAL_ROW["tolerancia"], 2).number_format = "0%"
    cells = {key: f"B{row}" for key, row in GENERAL_ROW.items()}
    validations = [
        _validation([cells["ayuntamiento"]], "AYUNTAMIENTO", "Obligatorio. Por ejemplo: XXIV AYUNTAMIENTO DE "
                    "MEXICALI DE BAJA CALIFORNIA."),
        _validation([cells["ejercicio"]], "EJERCICIO", "Obligatorio. El año, por ejemplo 2024.",
                    "EJERCICIO debe ser un año entre 2000 y 2100, por ejemplo 2024.",
                    type="whole", operator="between", formula1="2000", formula2="2100"),
        _validation([cells["trimestre"]], "TRIMESTRE", "Obligatorio. Elija en la lista el trimestre que se "
                    "reporta: 1 (ene-mar), 2 (abr-jun), 3 (jul-sep) o 4 (oct-dic).",
                    "TRIMESTRE debe ser 1, 2, 3 o 4. Elíjalo en la lista.", type="list", formula1='"1,2,3,4"'),
        _validation([cells["fecha"]], "FECHA", "Normalmente en blanco: se usa el último día del trimestre. "
                    "Otra fecha, como 31/03/2024, debe caer entre el primer día del trimestre y seis meses "
                    "después de su último día.", "Escriba una fecha válida, como 31/03/2024.",
                    type="date", operator="between", formula1=str(FIRST_DATE_SERIAL), formula2=str(LAST_DATE_SERIAL)),
        _validation([cells["base"]], "BASE DEL PORCENTAJE", "Elija META ANUAL (lo usual) o PROGRAMADO AL "
                    "PERIODO: contra qué se mide el ACUMULADO RELATIVO.",
                    "Elija META ANUAL o PROGRAMADO AL PERIODO en la lista.", type="list",
                    formula1='"META ANUAL,PROGRAMADO AL PERIODO"'),
        _validation([cells["tolerancia"]], "TOLERANCIA", "Porcentaje, por ejemplo 10%. Una meta se da "
                    "por cumplida si su avance queda a esa distancia de lo programado.",
                    "TOLERANCIA debe ser un porcentaje entre 0% y 99%, por ejemplo 10%.",
                    type="decimal", operator="between", formula1="0", formula2=str(TOLERANCIA_MAX)),
        _validation([cells["clave_formato"]], "CLAVE DEL FORMATO", "Normalmente TMM-F004."),
        _validation([cells["correos"]], "CORREO TESORERÍA", "Opcional. Una o más direcciones separadas por "
                    "punto y coma, por ejemplo tesoreria@mexicali.gob.mx"),
    ]
    for dv in validations:
        ws.add_data_validation(dv)
    ws.freeze_panes = "A2"
    _landscape_one_page_wide(ws)


WRAPPED_GOAL_FIELDS = ("linea_accion", "numero", "descripcion", "unidad_medida", "observaciones")
TEXT_GOAL_FIELDS = ("linea_accion", "numero")  # codes: text-formatted cells


def _goal_values(goal: GoalData) -> list[Any]:
    """A goal's values in the order of :data:`TABLE_COLUMNS`."""
    quarters = [v for q in range(4) for v in (goal.programado[q], goal.alcanzado[q])]
    return [goal.linea_accion, goal.numero, goal.descripcion, goal.unidad_medida, goal.meta_anual,
            *quarters, goal.observaciones]


def _wrapped_lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes in a wrapping column of ``width``."""
    per_line = max(1, int(width * 0.9))  # capitals are wider than the "0" a width unit measures
    return sum(max(1, math.ceil(len(part) / per_line)) for part in str(text).split("\n"))


def _fit_height(heights: dict[int, float], row: int, texts: dict[str, Any], minimum: int = 1) -> None:
    """Give a row the height its wrapped texts need.

    Excel and LibreOffice do not grow rows written by a program when they open
    the file, so carried-over text would be cut without this.
    """
    widths = {name: width for name, _label, width in TABLE_COLUMNS}
    lines = max([minimum] + [_wrapped_lines(text, widths[name]) for name, text in texts.items() if text])
    if lines > 1:
        heights[row] = 15 * lines + 2


def _letter(name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(COL[name])


def _unit_formats(st: Styles, ws: Any) -> dict[str, int]:
    """The cell formats (``s``) of a unit sheet's cells, registered in ``ws``'s workbook."""
    return {
        "title": cell_format(ws, font=st.title),
        "hint": cell_format(ws, font=st.hint),
        "caption": cell_format(ws, font=st.bold, fill=st.header_fill, border=st.border),
        "label": cell_format(ws, font=st.bold, alignment=st.top),
        "table-header": cell_format(ws, font=st.bold, fill=st.header_fill, border=st.border, alignment=st.center),
        "input": cell_format(ws, **st.input()),
        "input-wrap": cell_format(ws, **st.input(wrap=True)),
        "code": cell_format(ws, **st.input(text=True)),
        "code-wrap": cell_format(ws, **st.input(text=True, wrap=True)),
    }


def _write_unit(ws: Any, unit: UnitData) -> UnitLayout:
    """What openpyxl writes of a unit sheet: column widths, notes, panes and print
    setup; its cells are :func:`_unit_grid`'s, its rules :func:`_add_unit_rules`'."""
    lay = unit_layout(len(unit.ejes), len(unit.lineas), len(unit.metas))
    from openpyxl.utils import get_column_letter

    for index, (_name, _label, width) in enumerate(TABLE_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    last_col = get_column_letter(len(TABLE_COLUMNS))

    # notes: on the labels of the classification block, the table's titles and the
    # signatures, and on goal cells that keep what the previous workbook said
    for name, label, _required in CLASSIFICATION_ROWS:
        _note(ws.cell(lay.clasificacion[name], 1), NOTES[label])
    for label, rows in (("EJE DE GOBIERNO", lay.eje_rows), ("LÍNEAS DE ACCIÓN", lay.linea_rows)):
        _note(ws.cell(rows[0], 1), NOTES[label])
    top, bottom = lay.header_top, lay.header_bottom
    for name, _label, _width in TABLE_COLUMNS:
        if not _is_quarter_column(name):
            _note(ws.cell(top, COL[name]), NOTES[name])
    _note(ws.cell(top, COL["p1"]), NOTES["periodo"], width=380)
    first = lay.first_goal
    for offset, goal in enumerate(unit.metas):
        for name, text in goal.notes.items():
            _note(ws.cell(first + offset, COL[name]), text, width=360)
    for rol in ROLES:
        _note(ws.cell(lay.firma_rows[rol], 1), NOTES[rol])

    ws.freeze_panes = ws.cell(first, COL["unidad_medida"]).coordinate
    ws.print_title_rows = f"{top}:{bottom}"
    ws.print_area = f"A1:{last_col}{lay.last_row}"
    _landscape_one_page_wide(ws)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    return lay


def _add_unit_rules(ws: Any, lay: UnitLayout) -> None:
    """A unit sheet's data validations (a prompt on every input cell, a rule where the
    value has one) and conditional formats, for the rows of ``lay``."""
    code_cells = [f"B{lay.clasificacion[name]}" for name, _label, _required in CLASSIFICATION_ROWS]
    desc_cells = [f"C{lay.clasificacion[name]}" for name, _label, _required in CLASSIFICATION_ROWS]
    for rows in (lay.eje_rows, lay.linea_rows):
        code_cells.append(f"B{rows[0]}:B{rows[-1]}")
        desc_cells.append(f"C{rows[0]}:C{rows[-1]}")
    firma_cells = {field: [f"{col}{lay.firma_rows[rol]}" for rol in ROLES]
                   for field, col in (("nombre", "B"), ("cargo", "C"), ("leyenda", "D"))}
    first, last = lay.first_goal, lay.last_goal
    goal_ref = {name: f"{_letter(name)}{first}:{_letter(name)}{last}" for name in COL}
    validations = [
        _validation(code_cells, "CLAVE", "Escriba la clave tal como aparece en el POA (por ejemplo 005 o "
                    "3.7.1). Se guarda como texto para conservar ceros y puntos."),
        _validation(desc_cells, "DESCRIPCIÓN", "Escriba el nombre o descripción que corresponde a la clave."),
        _validation([goal_ref["linea_accion"]], "LÍNEA DE ACCIÓN", "Opcional. Clave(s) de la línea de acción, "
                    "por ejemplo 3.1.2; si son varias, sepárelas con un espacio."),
        _validation([goal_ref["numero"]], "NÚM.", "Opcional. Número de la meta, por ejemplo 2.3 o 101."),
        _validation([goal_ref["descripcion"]], "DESCRIPCIÓN DE LA META", "Obligatorio. Qué se va a hacer, "
                    "como dice el POA. Una meta por fila."),
        _validation([goal_ref["unidad_medida"]], "UNIDAD DE MEDIDA", "Obligatorio. En qué se mide: REUNIÓN, "
                    "INFORME, PERSONA ATENDIDA..."),
        _validation([goal_ref["meta_anual"]], "META ANUAL", "Obligatorio. Cantidad autorizada para todo "
                    "el año; debe ser igual a la suma de los cuatro P.", NUMBER_ERROR,
                    type="decimal", operator="greaterThanOrEqual", formula1="0"),
        _validation([goal_ref[f"p{q}"] for q in range(1, 5)], "P = PROGRAMADO", "Cantidad que se "
                    "planeó hacer en este trimestre. En blanco cuenta como 0.", NUMBER_ERROR,
                    type="decimal", operator="greaterThanOrEqual", formula1="0"),
        _validation([goal_ref[f"a{q}"] for q in range(1, 5)], "A = ALCANZADO", "Cantidad que de verdad "
                    "se hizo en este trimestre. Escriba 0 si no hubo avance. Se captura al terminar el trimestre.",
                    NUMBER_ERROR, type="decimal", operator="greaterThanOrEqual", formula1="0"),
        _validation([goal_ref["observaciones"]], "OBSERVACIONES", "Justificación: obligatoria si la meta no "
                    "se cumplió o se rebasó (la celda se pone naranja). Explique por qué."),
        _validation(firma_cells["nombre"], "NOMBRE", "Obligatorio. Nombre de quien firma, por ejemplo "
                    "LIC. AARÓN ALEXIS ÁLVAREZ MARÍN."),
        _validation(firma_cells["cargo"], "CARGO", "Cargo de quien firma, por ejemplo COORDINADOR "
                    "ADMINISTRATIVO."),
        _validation(firma_cells["leyenda"], "LEYENDA", "Opcional. Se imprime arriba del nombre; si la borra "
                    "se usa la leyenda de siempre."),
    ]
    for dv in validations:
        ws.add_data_validation(dv)
    _add_conditional_formats(ws, lay)


def _is_quarter_column(name: str) -> bool:
    """P1..A4: the columns under PERIODO."""
    return name[0] in "pa" and name[1:].isdigit()


def _unit_grid(unit: UnitData, lay: UnitLayout, formats: dict[str, int], shared: SharedStrings,
               rules: str) -> SheetGrid:
    """A unit sheet's cells, row heights and merged blocks, and the XML of its
    validations and conditional formats (the rest is :func:`_write_unit`'s)."""
    grid = CellGrid(shared)
    grid.after_merges = rules
    heights = grid.heights
    put = grid.cell

    def entry(row: int, col: int, value: Any, *, text: bool = False, wrap: bool = False) -> None:
        put(row, col, _cell_value(value), formats[("code" if text else "input") + ("-wrap" if wrap else "")])
        if text:  # typed codes stay text: Excel must not flag them (ignoredErrors)
            grid.text_numbers.append((row, col))

    # title and captions of the header block
    put(1, 1, "AVANCE FÍSICO PROGRAMÁTICO · DATOS DE LA UNIDAD EJECUTORA", formats["title"])
    put(1, COL["unidad_medida"], "Escriba solo en las celdas azules. Los títulos con triángulo rojo tienen una "
        "nota que explica qué va en cada dato.", formats["hint"])
    for col, caption in ((1, "DATO"), (2, "CLAVE"), (3, "DESCRIPCIÓN")):
        put(2, col, caption, formats["caption"])

    # classification block
    for name, label, _required in CLASSIFICATION_ROWS:
        row = lay.clasificacion[name]
        put(row, 1, label, formats["label"])
        clave, descripcion = unit.clasificacion.get(name, ("", ""))
        entry(row, 2, clave, text=True)
        entry(row, 3, descripcion, wrap=True)
        _fit_height(heights, row, {"numero": clave, "descripcion": descripcion})
    for label, rows, entries in (("EJE DE GOBIERNO", lay.eje_rows, unit.ejes), ("LÍNEAS DE ACCIÓN", lay.linea_rows, unit.lineas)):
        put(rows[0], 1, label, formats["label"])
        for i, row in enumerate(rows):
            clave, descripcion = entries[i] if i < len(entries) else ("", "")
            entry(row, 2, clave, text=True)
            entry(row, 3, descripcion, wrap=True)
            _fit_height(heights, row, {"numero": clave, "descripcion": descripcion})

    # the goals table: three header rows as on the official form, every cell boxed
    top, bottom = lay.header_top, lay.header_bottom
    header = formats["table-header"]
    for row in range(top, bottom + 1):
        heights[row] = 18 if row != top else 30
        for col in range(1, len(TABLE_COLUMNS) + 1):
            put(row, col, None, header)
    for name, label, _width in TABLE_COLUMNS:
        if not _is_quarter_column(name):
            put(top, COL[name], label, header)
            grid.merges.append((top, COL[name], bottom, COL[name]))
    p1, a4 = COL["p1"], COL["a4"]
    put(top, p1, "PERIODO", header)
    grid.merges.append((top, p1, top, a4))
    for q in range(1, 5):
        col = COL[f"p{q}"]
        put(top + 1, col, QUARTER_NAMES[q - 1], header)
        grid.merges.append((top + 1, col, top + 1, col + 1))
        put(bottom, col, "P", header)
        put(bottom, col + 1, "A", header)

    # the goals, then empty rows to type more: shaded input cells, codes as text
    columns = []
    for name, _label, _width in TABLE_COLUMNS:
        text, wrap = name in TEXT_GOAL_FIELDS, name in WRAPPED_GOAL_FIELDS
        columns.append((COL[name], formats[("code" if text else "input") + ("-wrap" if wrap else "")], text))
    text_columns = [col for col, _s, text in columns if text]
    for row, goal in enumerate(unit.metas, start=lay.first_goal):
        for (col, s, _text), value in zip(columns, _goal_values(goal), strict=True):
            put(row, col, _cell_value(value), s)
        grid.text_numbers.extend((row, col) for col in text_columns)
        _fit_height(heights, row, {name: getattr(goal, name) for name in WRAPPED_GOAL_FIELDS})
    empty = [(col, s) for col, s, _text in columns]
    for row in range(lay.first_goal + len(unit.metas), lay.last_goal + 1):
        grid.empty_cells(row, empty)
        grid.text_numbers.extend((row, col) for col in text_columns)

    # signatures, right after the goals: the reader ends the table at ELABORÓ
    for rol in ROLES:
        row = lay.firma_rows[rol]
        put(row, 1, rol, formats["label"])
        nombre, cargo, leyenda = unit.firmas.get(rol, ("", "", LEYENDAS[rol]))
        for col, value in ((2, nombre), (3, cargo), (4, leyenda)):
            entry(row, col, value, wrap=True)
        _fit_height(heights, row, {"numero": nombre, "descripcion": cargo, "unidad_medida": leyenda}, minimum=2)
    put(lay.last_row, 1, "Firmas: en la columna B el nombre (obligatorio), en la C el cargo y en la D, si quiere, "
        "la leyenda que se imprime arriba del nombre.", formats["hint"])
    return grid.sheet_grid()


def _add_conditional_formats(ws: Any, lay: UnitLayout) -> None:
    """Colours that show, while typing, what the reader would warn about."""
    from openpyxl.formatting.rule import FormulaRule

    fill = _fill

    first, last = lay.first_goal, lay.last_goal
    r = str(first)
    c = {name: _letter(name) for name in COL}
    t = f"VALUE({TRIMESTRE_NAME})"
    row_used = f'COUNTA(${c["linea_accion"]}{r}:${c["observaciones"]}{r})>0'

    def col_range(name: str, start: int = first) -> str:
        return f"{c[name]}{start}:{c[name]}{last}"

    for q in range(1, 5):
        a = f"a{q}"
        # the reported quarter's alcanzado: where to type now (header cell too)
        ws.conditional_formatting.add(
            f"{c[a]}{lay.header_bottom}:{c[a]}{last}",
            FormulaRule(formula=[f"{t}={q}"], fill=fill(CURRENT_FILL)),
        )
        if q > 1:
            # an alcanzado after the reported quarter: the reader ignores it
            ws.conditional_formatting.add(
                col_range(a),
                FormulaRule(formula=[f'AND({c[a]}{r}<>"",{t}<{q})'], fill=fill(WARN_FILL)),
            )
    meta = f'${c["meta_anual"]}{r}'
    ws.conditional_formatting.add(
        col_range("meta_anual"),
        FormulaRule(formula=[f'AND({meta}="",{row_used})'], fill=fill(ERROR_FILL)),
    )
    p_sum = "+".join(f'N(${c[f"p{q}"]}{r})' for q in range(1, 5))
    ws.conditional_formatting.add(
        col_range("meta_anual"),
        FormulaRule(formula=[f"AND(ISNUMBER({meta}),ROUND({p_sum}-{meta},6)<>0)"], fill=fill(WARN_FILL)),
    )
    # Justification required (spec section 5), with the workbook's TOLERANCIA.
    prog = "+".join(f'N(${c[f"p{q}"]}{r})*({t}>={q})' for q in range(1, 5))
    avance = "+".join(f'N(${c[f"a{q}"]}{r})*({t}>={q})' for q in range(1, 5))
    tol = f"IF(ISNUMBER({TOLERANCIA_NAME}),IF({TOLERANCIA_NAME}>=1,{TOLERANCIA_NAME}/100,{TOLERANCIA_NAME}),0.1)"
    prog_x, av_x = f"({prog})", f"({avance})"
    needs = (
        f"OR(AND({prog_x}=0,{av_x}>0),AND({prog_x}>0,OR({av_x}<{prog_x}*(1-{tol})-1E-9,"
        f"{av_x}>{prog_x}*(1+{tol})+1E-9)))"
    )
    obs = f'${c["observaciones"]}{r}'
    ws.conditional_formatting.add(
        col_range("observaciones"),
        FormulaRule(formula=[f'AND({obs}="",{row_used},{needs})'], fill=fill(WARN_FILL)),
    )
