"""What every sheet kind of the XLSX shares: text measuring, sheet names, named styles,
the cell grid written as XML text, typed body values and the print setup.

The cells go into a :class:`Grid`, a :class:`poa_xlsx.xlsx.rejilla.CellGrid` whose
cells name the styles registered here, written as XML text and slipped into each sheet when
the package is written (:func:`poa_xlsx.xlsx.paquete.save_workbook`): openpyxl's per-cell
objects and serialisation made a 300-unit × 40-goal report about five times slower.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Iterable

from poa_xlsx.layout.base import SEMAFORO_COLORES, Celda
from poa_xlsx.layout.unidad import PaginaUnidad
from poa_xlsx.xlsx.openpyxl_interno import register_named_style
from poa_xlsx.xlsx.paquete import SharedStrings, argb
from poa_xlsx.xlsx.rejilla import CONTROL_CHARACTERS, CellGrid, clean_text, escape_xml

if TYPE_CHECKING:  # openpyxl is imported lazily, inside render_xlsx
    from openpyxl.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet


PAPELES = ("carta", "oficio")
PAPERSIZE_OFICIO = "14"  # Excel/OOXML paper code 14: Folio, 8.5 x 13 in

FONT_NAME = "Arial"
SIZE_BODY = 8.0
SIZE_HEADER = 7.0
SIGN_SPACE_LINES = 3  # empty lines left to sign in
MAX_ROW_HEIGHT = 409.0  # Excel refuses taller rows
MAX_SHEET_NAME = 31
LEYENDA_ETIQUETA = "SEMÁFORO:"

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_RESERVED_SHEET_NAMES = {"history"}  # Excel keeps this one for itself


# --------------------------------------------------------------------------
# Text measurement: Excel and LibreOffice don't autofit wrapped rows when
# they open a file, so heights are estimated from the text and column width.
# --------------------------------------------------------------------------

def _column_pixels(width: float) -> float:
    # A width of w character units is w * 7 + 5 pixels at 96 dpi, the
    # workbook's default font being Arial 10 ("0" is 7 px); a few pixels go
    # to the cell's inner margins.
    return width * 7.0 + 5.0 - 6.0


def _chars_per_line(text: str, width: float, size: float, bold: bool = False) -> int:
    # Average advance of Arial/Liberation Sans in em, measured on the example
    # reports (upper case 0.59, at most 0.64; mixed case 0.45, at most 0.48),
    # rounded up: a row a little too tall beats a clipped line.
    em = 0.62 if text.upper() == text else 0.50
    if bold:
        em *= 1.05
    char_px = size * 96.0 / 72.0 * em
    return max(1, int(_column_pixels(width) / char_px))


def count_lines(text: str, width: float, size: float = SIZE_BODY, bold: bool = False) -> int:
    """How many lines ``text`` takes when wrapped in a column ``width`` characters wide."""
    if not text:
        return 1
    cpl = _chars_per_line(text, width, size, bold)
    total = 0
    for line in text.split("\n"):
        if len(line) <= cpl:
            total += 1
            continue
        # Greedy word wrap, as the spreadsheet does; over-long words break.
        lines, used = 1, 0
        for word in line.split():
            n = len(word)
            if used and used + 1 + n <= cpl:
                used += 1 + n
                continue
            if used:
                lines += 1
            while n > cpl:
                n -= cpl
                lines += 1
            used = n
        total += lines
    return total


def line_height(size: float) -> float:
    """Points per wrapped line for a font of ``size`` points."""
    return round(size * 1.35 + 0.5, 2)


def row_height(lines: int, size: float = SIZE_BODY) -> float:
    return min(MAX_ROW_HEIGHT, round(lines * line_height(size) + 3.0, 2))


def _rule_length(width: float) -> int:
    """Underscores for a signature line about 80 % as wide as a ``width`` column."""
    underscore_px = SIZE_BODY * 96.0 / 72.0 * 0.556
    return max(10, int(_column_pixels(width) / underscore_px * 0.8))


# --------------------------------------------------------------------------
# Sheet names
# --------------------------------------------------------------------------

def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _truncate_utf16(text: str, limit: int) -> str:
    # Excel counts a sheet name's length in UTF-16 code units.
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text


def _clean_sheet_name(text: str) -> str:
    text = CONTROL_CHARACTERS.sub(" ", text or "")
    text = _SHEET_FORBIDDEN.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.strip("'").strip()


def sheet_names(paginas: Iterable[PaginaUnidad], taken: Iterable[str] = ()) -> list[str]:
    """Valid, unique sheet names, one per page, in order.

    The capture sheet's name is used when possible (users recognise it),
    otherwise the unit's key. Names have at most 31 characters, none of
    ``[]:*?/\\``, don't start or end with an apostrophe, and are unique
    ignoring case, as Excel requires; repeats get `` (2)``, `` (3)``...
    Names in ``taken`` (other sheets of the workbook) count as used.
    """
    names: list[str] = []
    seen: set[str] = {t.lower() for t in taken}
    for i, pagina in enumerate(paginas, start=1):
        base = _clean_sheet_name(pagina.hoja) or _clean_sheet_name(pagina.clave) or f"Unidad {i}"
        if base.lower() in _RESERVED_SHEET_NAMES:
            base = f"{base} ({i})"
        base = _truncate_utf16(base, MAX_SHEET_NAME).rstrip().rstrip("'").rstrip() or f"Unidad {i}"
        name, n = base, 1
        while name.lower() in seen:
            n += 1
            suffix = f" ({n})"
            name = _truncate_utf16(base, MAX_SHEET_NAME - len(suffix)).rstrip().rstrip("'").rstrip() + suffix
        seen.add(name.lower())
        names.append(name)
    return names


# --------------------------------------------------------------------------
# Styles
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class StyleSpec:
    size: float = SIZE_BODY
    bold: bool = False
    horizontal: str = "left"
    vertical: str = "center"
    wrap: bool = True
    box: bool = False  # thin border on all four sides
    fill: str | None = None
    number_format: str = "General"


# The named styles every workbook gets; body cells may add variants (other
# alignment, decimals, semáforo colour), registered on first use.
_BASE_STYLES: dict[str, StyleSpec] = {
    "titulo": StyleSpec(size=12, bold=True, horizontal="center", wrap=False),
    "subtitulo": StyleSpec(size=10, bold=True, horizontal="center", wrap=False),
    "etiqueta": StyleSpec(bold=True, wrap=False),
    "clave": StyleSpec(wrap=False),
    "clasificacion": StyleSpec(),
    "formato": StyleSpec(size=9, bold=True, horizontal="right", wrap=False),
    "encabezado": StyleSpec(size=SIZE_HEADER, bold=True, horizontal="center", box=True, fill="D9D9D9"),
    "texto": StyleSpec(box=True),
    "codigo": StyleSpec(horizontal="center", box=True),
    "cantidad": StyleSpec(horizontal="right", box=True, wrap=False, number_format="#,##0"),
    "porcentaje": StyleSpec(horizontal="right", box=True, wrap=False, number_format="0%"),
    "semaforo": StyleSpec(horizontal="center", box=True),
    "observaciones": StyleSpec(box=True),
    "leyenda": StyleSpec(),
    "firma": StyleSpec(horizontal="center", vertical="top"),
}

_KIND_DEFAULT_ALIGN = {
    "texto": "left",
    "codigo": "center",
    "cantidad": "right",
    "porcentaje": "right",
    "semaforo": "center",
    "observaciones": "left",
}
_ALIGN_NAMES = {"left": "izquierda", "center": "centro", "right": "derecha"}


class Styles:
    """The workbook's named styles and the cell format index (``s``) of each."""

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self.specs: dict[str, StyleSpec] = dict(_BASE_STYLES)
        self.ids: dict[str, int] = {}
        for name in _BASE_STYLES:
            self._register(name)

    def _register(self, name: str) -> None:
        from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

        spec = self.specs[name]
        style = NamedStyle(name=name)
        style.font = Font(name=FONT_NAME, size=spec.size, bold=spec.bold, family=2)
        style.alignment = Alignment(horizontal=spec.horizontal, vertical=spec.vertical, wrap_text=spec.wrap)
        if spec.box:
            thin = Side(style="thin", color=argb("000000"))
            style.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        if spec.fill:
            style.fill = PatternFill(fill_type="solid", start_color=argb(spec.fill), end_color=argb(spec.fill))
        style.number_format = spec.number_format
        self.ids[name] = register_named_style(self._wb, style)

    def variant(self, base: str, name: str, **changes: object) -> str:
        if name not in self.ids:
            self.specs[name] = replace(self.specs[base], **changes)  # type: ignore[arg-type]
            self._register(name)
        return name


# --------------------------------------------------------------------------
# The cell grid of one sheet, as XML (poa_xlsx.xlsx.rejilla), by style name
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Run:
    """A piece of rich text with its own font."""

    text: str
    bold: bool = False
    color: str | None = None
    size: float = SIZE_BODY


class Grid(CellGrid):
    """A :class:`~poa_xlsx.xlsx.rejilla.CellGrid` whose cells name the workbook's styles."""

    def __init__(self, styles: Styles, shared: SharedStrings) -> None:
        super().__init__(shared)
        self._ids = styles.ids
        self._specs = styles.specs

    def put(self, row: int, col: int, value: object, style: str) -> None:
        """A string (always stored as text, never a formula), a number, or an empty styled cell."""
        self.cell(row, col, value, self._ids[style])

    def rich(self, row: int, col: int, runs: list[Run], style: str) -> None:
        parts = []
        for run in runs:
            props = f'<rFont val="{FONT_NAME}"/><family val="2"/>'  # the schema fixes this order
            if run.bold:
                props += "<b/>"
            if run.color:
                props += f'<color rgb="FF{run.color}"/>'
            props += f'<sz val="{run.size:g}"/>'
            parts.append(f'<r><rPr>{props}</rPr><t xml:space="preserve">{escape_xml(run.text)}</t></r>')
        self.rich_cell(row, col, "".join(parts), self._ids[style])

    def merge(self, row: int, col1: int, col2: int, value: object, style: str, row2: int | None = None) -> None:
        """Merge a block (if bigger than a cell), put the value in its first cell.

        Bordered or filled blocks get the style on every cell: Excel draws a
        merged block's edges from each edge cell's own border."""
        row2 = row2 or row
        if col2 > col1 or row2 > row:
            self.merges.append((row, col1, row2, col2))
        self.put(row, col1, value, style)
        spec = self._specs[style]
        if spec.box or spec.fill:
            for r in range(row, row2 + 1):
                for c in range(col1, col2 + 1):
                    if (r, c) != (row, col1):
                        self.put(r, c, None, style)


# --------------------------------------------------------------------------
# One unit's page
# --------------------------------------------------------------------------

def decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def body_value(celda: Celda, styles: Styles, align: str) -> tuple[object, str]:
    """What a body cell holds (number, text or nothing) and its style name."""
    kind = celda.kind if celda.kind in _KIND_DEFAULT_ALIGN else "texto"
    style = kind
    value: object = celda.value
    if isinstance(value, Decimal):
        if kind == "porcentaje":
            value = float(value)
        elif value == value.to_integral_value():
            value = int(value)
        else:
            places = max(2, decimals(value))
            value = float(value)
            if kind == "cantidad":
                style = styles.variant("cantidad", f"cantidad_{places}_decimales", number_format="#,##0." + "#" * places)
    elif kind == "semaforo":
        value = celda.text or None
        if celda.semaforo is not None:
            style = f"semaforo_{celda.semaforo.value}"
            if style not in styles.ids:
                styles.variant("semaforo", style, fill=SEMAFORO_COLORES[celda.semaforo])
    elif value is None:
        value = celda.text or None
    if align != _KIND_DEFAULT_ALIGN[kind] and align in _ALIGN_NAMES:
        style = styles.variant(style, f"{style}_{_ALIGN_NAMES[align]}", horizontal=align)
    return value, style


#: Printable area of a landscape page (inches): the paper less the margins print_setup sets.
_PRINTABLE = {"carta": (11.0 - 0.8, 8.5 - 1.1), "oficio": (13.0 - 0.8, 8.5 - 1.1)}
MIN_SCALE = 40  # percent: smaller would be unreadable; a page that needs less overflows instead


@dataclass(frozen=True)
class Impresion:
    """What the print scale and the manual page breaks of a sheet are worked out from."""

    widths: list[float]  # column widths, character units
    heights: dict[int, float]  # row heights, points (rows not given: the default 12.75)
    first_rows: list[int | None]  # where the PDF's pages after the first start (the layout's saltos)
    last_row: int
    title_rows: tuple[int, int] | None = None  # repeated at the top of every printed page
    paginado: bool = True  # False: the layout has no saltos (not paginated); the scale fits the width only


def print_scale(papel: str, impresion: Impresion) -> int:
    """The print scale (percent) at which the sheet is one page wide and each of
    the PDF's pages, as the rows between two manual breaks, fits on one printed page.

    A fixed scale rather than Excel's "fit to 1 page wide": Excel ignores manual
    page breaks in a sheet fitted to pages."""
    page_w, page_h = (x * 72.0 for x in _PRINTABLE[papel])
    # A column w characters wide is 7w pixels of Arial 10 (the default font) in
    # Excel, 0.75 pt each (5.25w pt); LibreOffice draws it 5.55w points wide
    # (Liberation Sans, measured): the wider, so it is one page wide in both.
    width = sum(w * 5.55 for w in impresion.widths)
    scale = page_w / width if width else 1.0
    if not impresion.paginado:
        return max(MIN_SCALE, min(100, int(scale * 100) - 2))
    heights = impresion.heights
    starts = sorted({r for r in impresion.first_rows if r is not None and r > 1} | {1})
    titles = 0.0
    if impresion.title_rows:
        titles = sum(heights.get(r, 12.75) for r in range(impresion.title_rows[0], impresion.title_rows[1] + 1))
    for i, first in enumerate(starts):
        end = starts[i + 1] - 1 if i + 1 < len(starts) else impresion.last_row
        tall = sum(heights.get(r, 12.75) for r in range(first, end + 1)) + (titles if i else 0.0)
        if tall:
            scale = min(scale, page_h / tall)
    # Excel and LibreOffice round row and column edges to pixels: 2 % to spare.
    return max(MIN_SCALE, min(100, int(scale * 100) - 2))


def print_setup(ws: Worksheet, papel: str, footer_left: str, clave_formato: str, impresion: Impresion) -> None:
    """Landscape on ``papel`` at :func:`print_scale`, manual page breaks where the
    PDF's pages break, margins, footer ``Hoja &P de &N``.

    ``footer_left`` is footer code already (escape user text with footer_text).
    """
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    # Mexican oficio is 8.5 x 13 in: Excel's "Folio" (14), the size render_pdf uses too.
    ws.page_setup.paperSize = PAPERSIZE_OFICIO if papel == "oficio" else ws.PAPERSIZE_LETTER
    ws.page_setup.scale = print_scale(papel, impresion)
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.5
    ws.page_margins.bottom = 0.6
    ws.page_margins.header = 0.3
    ws.page_margins.footer = 0.3
    footer = ws.oddFooter
    footer.left.text = footer_left
    footer.center.text = "Hoja &P de &N"
    footer.right.text = footer_text(clave_formato)
    for part in (footer.left, footer.center, footer.right):
        part.size = 8
    if impresion.paginado:
        page_breaks(ws, impresion.first_rows)


def page_breaks(ws: Worksheet, first_rows: Iterable[int | None]) -> None:
    """Manual page breaks so that a printed page starts at each of ``first_rows``."""
    from openpyxl.worksheet.pagebreak import Break

    for row in sorted({r for r in first_rows if r is not None and r > 1}):
        ws.row_breaks.append(Break(id=row - 1))  # a break's id is the last row before it


def footer_text(text: str) -> str:
    # "&" starts a header/footer code; "&&" prints one ampersand.
    return clean_text(text).replace("\n", " ").replace("&", "&&")[:80]
