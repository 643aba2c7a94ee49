"""Layout -> XLSX bytes: one formatted sheet per unit, ready to print.

Everything printed comes from :class:`~poa_xlsx.layout.Reporte`; this module
only decides cells, merges, styles, row heights and print settings.

openpyxl builds the workbook: named styles (registered once per workbook),
column widths, merges, frozen panes, print setup, document properties and
every package part. Only the cell grid (``<sheetData>``, ``<mergeCells>``)
is written here, as XML text, and slipped into each sheet as openpyxl stores
it in the archive: openpyxl's per-cell objects and serialisation made a
300-unit × 40-goal report about five times slower. Every string is written
as an inline string, so user text that looks like a formula (``=``, ``+``,
``-``, ``@``) or an error code (``#N/A``) stays text.
"""
from __future__ import annotations

import datetime as dt
import re
import zipfile
from dataclasses import dataclass, replace
from decimal import Decimal
from io import BytesIO
from typing import TYPE_CHECKING, Callable, Iterable

from .formatting import MESES_CORTOS
from .layout import SEMAFORO_COLORES, Celda, PaginaUnidad, Reporte

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
# What XML 1.0 can't carry (tab, newline and carriage return are fine).
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
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
    text = _CONTROL.sub(" ", text or "")
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
class _StyleSpec:
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
_BASE_STYLES: dict[str, _StyleSpec] = {
    "titulo": _StyleSpec(size=12, bold=True, horizontal="center", wrap=False),
    "subtitulo": _StyleSpec(size=10, bold=True, horizontal="center", wrap=False),
    "etiqueta": _StyleSpec(bold=True, wrap=False),
    "clave": _StyleSpec(wrap=False),
    "clasificacion": _StyleSpec(),
    "formato": _StyleSpec(size=9, bold=True, horizontal="right", wrap=False),
    "encabezado": _StyleSpec(size=SIZE_HEADER, bold=True, horizontal="center", box=True, fill="D9D9D9"),
    "texto": _StyleSpec(box=True),
    "codigo": _StyleSpec(horizontal="center", box=True),
    "cantidad": _StyleSpec(horizontal="right", box=True, wrap=False, number_format="#,##0"),
    "porcentaje": _StyleSpec(horizontal="right", box=True, wrap=False, number_format="0%"),
    "semaforo": _StyleSpec(horizontal="center", box=True),
    "observaciones": _StyleSpec(box=True),
    "leyenda": _StyleSpec(),
    "firma": _StyleSpec(horizontal="center", vertical="top"),
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


class _Styles:
    """The workbook's named styles and the cell format index (``s``) of each."""

    def __init__(self, wb: Workbook) -> None:
        self._wb = wb
        self.specs: dict[str, _StyleSpec] = dict(_BASE_STYLES)
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
            thin = Side(style="thin", color="000000")
            style.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        if spec.fill:
            style.fill = PatternFill(fill_type="solid", start_color=spec.fill, end_color=spec.fill)
        style.number_format = spec.number_format
        self._wb.add_named_style(style)
        # A cell given this named style carries this array of ids; its index
        # in the workbook's cell formats is the cell's "s" attribute.
        self.ids[name] = self._wb._cell_styles.add(style.as_tuple())

    def variant(self, base: str, name: str, **changes: object) -> str:
        if name not in self.ids:
            self.specs[name] = replace(self.specs[base], **changes)  # type: ignore[arg-type]
            self._register(name)
        return name


# --------------------------------------------------------------------------
# The cell grid of one sheet, as XML
# --------------------------------------------------------------------------

def _clean_text(text: str) -> str:
    return _CONTROL.sub("", text.replace("\r\n", "\n"))[:32767]


def _escape(text: str) -> str:
    return _clean_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _letters(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


@dataclass(frozen=True)
class Run:
    """A piece of rich text with its own font."""

    text: str
    bold: bool = False
    color: str | None = None
    size: float = SIZE_BODY


class _Grid:
    """The cells and row heights of one sheet, serialised as ``<sheetData>``."""

    def __init__(self, styles: _Styles) -> None:
        self._ids = styles.ids
        self._specs = styles.specs
        self.rows: dict[int, dict[int, str]] = {}
        self.heights: dict[int, float] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self._letters = [""] + [_letters(i) for i in range(1, 200)]

    def _ref(self, row: int, col: int) -> str:
        return f"{self._letters[col]}{row}"

    def _set(self, row: int, col: int, xml: str) -> None:
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = {}
        cells[col] = xml

    def put(self, row: int, col: int, value: object, style: str) -> None:
        """A string (always stored as text, never a formula), a number, or an empty styled cell."""
        s = self._ids[style]
        ref = self._ref(row, col)
        if isinstance(value, str) and value:
            self._set(row, col, f'<c r="{ref}" s="{s}" t="inlineStr"><is><t xml:space="preserve">{_escape(value)}</t></is></c>')
        elif isinstance(value, bool) or value is None or value == "":
            self._set(row, col, f'<c r="{ref}" s="{s}"/>')
        else:
            self._set(row, col, f'<c r="{ref}" s="{s}"><v>{value!r}</v></c>')

    def rich(self, row: int, col: int, runs: list[Run], style: str) -> None:
        parts = []
        for run in runs:
            props = f'<rFont val="{FONT_NAME}"/><family val="2"/>'  # the schema fixes this order
            if run.bold:
                props += "<b/>"
            if run.color:
                props += f'<color rgb="FF{run.color}"/>'
            props += f'<sz val="{run.size:g}"/>'
            parts.append(f'<r><rPr>{props}</rPr><t xml:space="preserve">{_escape(run.text)}</t></r>')
        ref = self._ref(row, col)
        self._set(row, col, f'<c r="{ref}" s="{self._ids[style]}" t="inlineStr"><is>{"".join(parts)}</is></c>')

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

    def merge_xml(self) -> str:
        if not self.merges:
            return ""
        refs = "".join(f'<mergeCell ref="{self._ref(r1, c1)}:{self._ref(r2, c2)}"/>' for r1, c1, r2, c2 in self.merges)
        return f'<mergeCells count="{len(self.merges)}">{refs}</mergeCells>'

    def dimension(self) -> str:
        if not self.rows:
            return "A1"
        first, last = min(self.rows), max(self.rows)
        cmin = min(min(cells) for cells in self.rows.values())
        cmax = max(max(cells) for cells in self.rows.values())
        return f"{self._ref(first, cmin)}:{self._ref(last, cmax)}"

    def xml(self) -> str:
        out = ["<sheetData>"]
        for r in sorted(self.rows.keys() | self.heights.keys()):
            height = self.heights.get(r)
            attrs = f' ht="{height:g}" customHeight="1"' if height is not None else ""
            cells = self.rows.get(r)
            if cells:
                body = "".join(cells[c] for c in sorted(cells))
                out.append(f'<row r="{r}"{attrs}>{body}</row>')
            else:
                out.append(f'<row r="{r}"{attrs}/>')
        out.append("</sheetData>")
        # <mergeCells> comes right after <sheetData> in the schema's order
        # (openpyxl writes none of the optional parts in between).
        out.append(self.merge_xml())
        return "".join(out)


# --------------------------------------------------------------------------
# One unit's page
# --------------------------------------------------------------------------

def _decimals(value: Decimal) -> int:
    exponent = value.normalize().as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _body_value(celda: Celda, styles: _Styles, align: str) -> tuple[object, str]:
    """What a body cell holds (number, text or nothing) and its style name."""
    kind = celda.kind if celda.kind in _KIND_DEFAULT_ALIGN else "texto"
    style = kind
    value = celda.value
    if isinstance(value, Decimal):
        if kind == "porcentaje":
            value = float(value)
        elif value == value.to_integral_value():
            value = int(value)
        else:
            places = max(2, _decimals(value))
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


def _groups(widths: list[float], n: int) -> list[tuple[int, int]]:
    """Split the columns into ``n`` runs of about equal width (0-based, inclusive).

    Each later run leaves its first column empty, so signature lines don't touch."""
    count = len(widths)
    if n <= 0 or count == 0:
        return []
    if count < n:
        return [(min(i, count - 1), min(i, count - 1)) for i in range(n)]
    total = sum(widths)
    cum, acc = [], 0.0
    for w in widths:
        acc += w
        cum.append(acc)
    ends, prev = [], -1
    for k in range(1, n):
        target = total * k / n
        candidates = range(prev + 1, count - (n - k))
        prev = min(candidates, key=lambda i: abs(cum[i] - target))
        ends.append(prev)
    ends.append(count - 1)
    runs, start = [], 0
    for i, end in enumerate(ends):
        first = start + 1 if i > 0 and end > start else start
        runs.append((first, end))
        start = end + 1
    return runs


@dataclass(frozen=True)
class _Rows:
    """Where the parts of a page landed (1-based rows)."""

    head_first: int
    body_first: int
    last: int


def _fill_grid(grid: _Grid, styles: _Styles, pagina: PaginaUnidad) -> _Rows:
    cols = pagina.columnas
    ncols = len(cols)
    widths = [c.width for c in cols]
    last = ncols
    heights = grid.heights

    def span_width(c1: int, c2: int) -> float:
        return sum(widths[c1 - 1:c2])

    # Titles, merged across the table
    row = 1
    for i, titulo in enumerate(pagina.titulos):
        grid.merge(row, 1, last, titulo, "titulo" if i == 0 else "subtitulo")
        heights[row] = 17.0 if i == 0 else 14.0
        row += 1
    heights[row] = 6.0
    row += 1

    # Classification: label | key | description; form code and FECHA at the right
    label_end = 2 if ncols >= 6 else 1
    key_col = label_end + 1
    desc_start, desc_end = key_col + 1, max(key_col + 1, last - 1)
    right = [pagina.clave_formato, f"FECHA: {pagina.fecha}"]
    for i in range(max(len(pagina.clasificacion), len(right))):
        lines = 1
        if i < len(pagina.clasificacion):
            linea = pagina.clasificacion[i]
            grid.merge(row, 1, label_end, linea.etiqueta, "etiqueta")
            grid.put(row, key_col, linea.clave, "clave")
            grid.merge(row, desc_start, desc_end, linea.descripcion, "clasificacion")
            lines = count_lines(linea.descripcion, span_width(desc_start, desc_end))
        if i < len(right):
            grid.put(row, last, right[i], "formato")
        heights[row] = max(row_height(lines), 12.5)
        row += 1
    heights[row] = 8.0
    row += 1

    # Table header: merges exactly as the layout says
    head_first = row
    nrows = max([pagina.encabezado_filas] + [e.row + e.rowspan for e in pagina.encabezado])
    head_heights = [row_height(1, SIZE_HEADER)] * nrows
    for e in pagina.encabezado:
        r1 = head_first + e.row
        grid.merge(r1, e.col + 1, e.col + e.colspan, e.text, "encabezado", row2=r1 + e.rowspan - 1)
    for e in sorted(pagina.encabezado, key=lambda e: e.rowspan):
        lines = count_lines(e.text, span_width(e.col + 1, e.col + e.colspan), SIZE_HEADER, bold=True)
        need = row_height(lines, SIZE_HEADER)
        have = sum(head_heights[e.row:e.row + e.rowspan])
        if need > have:
            for r in range(e.row, e.row + e.rowspan):
                head_heights[r] += (need - have) / e.rowspan
    for i, h in enumerate(head_heights):
        heights[head_first + i] = round(h, 2)
    row = head_first + nrows
    body_first = row

    # Body: one row per goal
    aligns = [c.align for c in cols]
    for fila in pagina.filas:
        lines = 1
        for j, celda in enumerate(fila.celdas[:ncols]):
            value, style = _body_value(celda, styles, aligns[j])
            grid.put(row, j + 1, value, style)
            if isinstance(value, str) and len(value) > 4:
                lines = max(lines, count_lines(value, widths[j]))
        heights[row] = row_height(lines)
        row += 1

    # Legend: one line, a coloured square before each meaning
    if pagina.leyenda:
        heights[row] = 5.0
        row += 1
        runs = [Run(LEYENDA_ETIQUETA, bold=True)]
        for semaforo, texto in pagina.leyenda:
            runs += [Run("   "), Run("■", color=SEMAFORO_COLORES[semaforo], size=SIZE_BODY + 2), Run(f" {texto}")]
        grid.merges.append((row, 1, row, last))
        grid.rich(row, 1, runs, "leyenda")
        heights[row] = row_height(count_lines("".join(r.text for r in runs), span_width(1, last)))
        row += 1

    # Signatures side by side. Each block is one cell of one row because a
    # printed row is never split across pages: role, room to sign, the line,
    # legend, name and position stay together.
    if pagina.firmas:
        lines = 1
        for firma, (c1, c2) in zip(pagina.firmas, _groups(widths, len(pagina.firmas))):
            c1, c2 = c1 + 1, c2 + 1
            width = span_width(c1, c2)
            # the blank first line sets the block apart from the table
            runs = [Run("\n"), Run(firma.rol.strip() or " ", bold=True)]
            runs.append(Run("\n" * (1 + SIGN_SPACE_LINES) + "_" * _rule_length(width)))
            n = 2 + SIGN_SPACE_LINES + 1
            for text, bold in ((firma.leyenda, False), (firma.nombre, True), (firma.cargo, False)):
                text = _clean_text(text).strip()
                if text:
                    runs.append(Run("\n" + text, bold=bold))
                    n += count_lines(text, width, bold=bold)
            if c2 > c1:
                grid.merges.append((row, c1, row, c2))
            grid.rich(row, c1, runs, "firma")
            lines = max(lines, n)
        heights[row] = row_height(lines)
        row += 1
    return _Rows(head_first=head_first, body_first=body_first, last=row - 1)


def _setup_sheet(ws: Worksheet, grid: _Grid, rows: _Rows, pagina: PaginaUnidad, papel: str) -> None:
    ncols = len(pagina.columnas)
    last_col = _letters(ncols)
    for i, col in enumerate(pagina.columnas, start=1):
        ws.column_dimensions[_letters(i)].width = col.width
    ws.sheet_format.defaultRowHeight = 12.75
    ws.sheet_view.showGridLines = False
    # Keep the goal's key and description in view while scrolling right.
    ws.freeze_panes = f"{_letters(min(3, ncols))}{rows.body_first}"
    ws.print_title_rows = f"{rows.head_first}:{rows.body_first - 1}"
    ws.print_area = f"A1:{last_col}{max(rows.last, rows.body_first)}"
    print_setup(ws, papel, f"Unidad {_footer_text(pagina.clave)}", pagina.clave_formato)


def print_setup(ws: Worksheet, papel: str, footer_left: str, clave_formato: str) -> None:
    """Landscape on ``papel``, one page wide, margins, footer ``Hoja &P de &N``.

    ``footer_left`` is footer code already (escape user text with _footer_text).
    """
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    # Mexican oficio is 8.5 x 13 in: Excel's "Folio" (14), the size render_pdf uses too.
    ws.page_setup.paperSize = PAPERSIZE_OFICIO if papel == "oficio" else ws.PAPERSIZE_LETTER
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = 0.5
    ws.page_margins.bottom = 0.6
    ws.page_margins.header = 0.3
    ws.page_margins.footer = 0.3
    footer = ws.oddFooter
    footer.left.text = footer_left
    footer.center.text = "Hoja &P de &N"
    footer.right.text = _footer_text(clave_formato)
    for part in (footer.left, footer.center, footer.right):
        part.size = 8


def _footer_text(text: str) -> str:
    # "&" starts a header/footer code; "&&" prints one ampersand.
    return _clean_text(text).replace("\n", " ").replace("&", "&&")[:80]


# --------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------

def report_datetime(reporte: Reporte) -> dt.datetime:
    """A timestamp taken from the report (its FECHA, else the quarter's last day),
    so the same report always gives the same file."""
    for pagina in reporte.paginas:
        m = re.fullmatch(r"(\d{1,2})-([a-z]{3})\.?-(\d{2})", pagina.fecha.strip().lower())
        if m and m.group(2) in MESES_CORTOS:
            try:
                return dt.datetime(2000 + int(m.group(3)), MESES_CORTOS.index(m.group(2)) + 1, int(m.group(1)))
            except ValueError:
                break
    month = min(max(reporte.trimestre, 1), 4) * 3
    year = min(max(reporte.ejercicio, 1980), 9999)
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.datetime.combine(next_month - dt.timedelta(days=1), dt.time())


class _SheetZip(zipfile.ZipFile):
    """The archive openpyxl writes into: every member gets one fixed timestamp
    (reproducible bytes), and each worksheet gets its cell grid."""

    def __init__(self, file: BytesIO, date_time: tuple[int, int, int, int, int, int], grids: dict[str, Callable[[], tuple[str, str]]]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=6)
        self._date_time = date_time
        self._grids = grids

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel or self.compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        # openpyxl writes each worksheet to a temporary file, then adds it here.
        with open(filename, "rb") as handle:
            data = handle.read()
        name = str(arcname or filename)
        grid = self._grids.pop(name, None)
        if grid is not None:
            data = _insert_grid(data, *grid())
        self.writestr(name, data, compress_type, compresslevel)


_SHEETDATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def _insert_grid(sheet_xml: bytes, sheet_data: str, dimension: str) -> bytes:
    found = _SHEETDATA.search(sheet_xml)
    if found is None:  # openpyxl changed its output: fail loudly, not silently empty
        raise RuntimeError("No se encontró <sheetData> en la hoja generada por openpyxl.")
    sheet_xml = sheet_xml[: found.start()] + sheet_data.encode("utf-8") + sheet_xml[found.end():]
    return _DIMENSION.sub(f'<dimension ref="{dimension}"/>'.encode(), sheet_xml, count=1)


def _set_default_font(wb: Workbook) -> None:
    # Column widths are counted in the default font's digit width. With
    # openpyxl's Calibri, LibreOffice (which seldom has Calibri) falls back to
    # a wider font and every column grows; Arial 10 is 7 px in Excel and its
    # metric twin Liberation Sans is the same in LibreOffice.
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    arial = Font(name=FONT_NAME, size=10, family=2)
    wb._fonts = IndexedList([arial])
    wb._named_styles["Normal"].font = arial


def render_xlsx(reporte: Reporte, *, papel: str = "carta") -> bytes:
    """The report as XLSX bytes: the RESUMEN sheet first when the report has a
    summary, then one sheet per unit, in order, laid out like
    the TMM-F004 form, landscape on ``papel`` ("carta" = Letter, "oficio" =
    Mexican oficio, 8.5 x 13 in) and one page wide. Values only, no formulas; the same report gives
    the same bytes."""
    if papel not in PAPELES:
        raise ValueError(f"Papel desconocido: {papel!r}. Use «carta» u «oficio».")
    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    wb = Workbook()
    wb.remove(wb.active)
    _set_default_font(wb)
    styles = _Styles(wb)
    grids: dict[str, Callable[[], tuple[str, str]]] = {}
    taken: tuple[str, ...] = ()
    if reporte.resumen is not None:  # the summary is the first sheet (docs/resumen.md)
        from .render_xlsx_resumen import NOMBRE_HOJA, write_resumen_sheet

        ws = wb.create_sheet(title=NOMBRE_HOJA)
        grid = _Grid(styles)
        write_resumen_sheet(ws, grid, styles, reporte.resumen, papel)
        grids["xl/worksheets/sheet1.xml"] = lambda grid=grid: (grid.xml(), grid.dimension())
        taken = (NOMBRE_HOJA,)
    for index, (name, pagina) in enumerate(zip(sheet_names(reporte.paginas, taken), reporte.paginas), start=1 + len(taken)):
        ws = wb.create_sheet(title=name)
        grid = _Grid(styles)
        rows = _fill_grid(grid, styles, pagina)
        _setup_sheet(ws, grid, rows, pagina, papel)
        # openpyxl names the n-th sheet's part sheet<n>.xml when saving
        grids[f"xl/worksheets/sheet{index}.xml"] = lambda grid=grid: (grid.xml(), grid.dimension())
    if not reporte.paginas and reporte.resumen is None:
        ws = wb.create_sheet(title="Reporte")
        ws["A1"] = "El reporte no tiene unidades."

    stamp = report_datetime(reporte)
    props = wb.properties
    props.title = _clean_text(reporte.titulo)
    props.creator = _clean_text(reporte.autor)
    props.subject = _clean_text(reporte.asunto)
    props.keywords = "TMM-F004; POA; avance físico programático"
    props.language = "es-MX"
    props.lastModifiedBy = None
    props.created = stamp
    props.modified = stamp
    wb.active = 0

    buffer = BytesIO()
    archive = _SheetZip(buffer, (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0), grids)
    # ExcelWriter rather than Workbook.save(), which stamps "modified" with the clock.
    ExcelWriter(wb, archive).save()
    if grids:  # a sheet whose part name we guessed wrong would be silently empty
        raise RuntimeError(f"Hojas sin escribir: {sorted(grids)}")
    return buffer.getvalue()
