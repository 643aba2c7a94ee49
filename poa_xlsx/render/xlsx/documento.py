"""Layout -> XLSX bytes: the RESUMEN sheet first when there is one, then one formatted
sheet per unit, ready to print.

Everything printed comes from :class:`~poa_xlsx.layout.reporte.Reporte`; the sheet kinds
only decide cells, merges, styles, row heights and print settings.
"""
from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import TYPE_CHECKING, Callable

from poa_xlsx.layout.reporte import Reporte
from poa_xlsx.render.xlsx.resumen import NOMBRE_HOJA, write_resumen_sheet

if TYPE_CHECKING:  # openpyxl is imported lazily, inside render_xlsx
    pass
from poa_xlsx.render.xlsx.base import PAPELES, Grid, Styles, clean_text, sheet_names
from poa_xlsx.render.xlsx.openpyxl_interno import SheetZip, set_default_font
from poa_xlsx.render.xlsx.unidad import _fill_grid, _setup_sheet

# --------------------------------------------------------------------------
# Workbook
# --------------------------------------------------------------------------

def report_datetime(reporte: Reporte) -> dt.datetime:
    """A timestamp taken from the report (its FECHA, else the quarter's last day),
    so the same report always gives the same file."""
    if reporte.fecha is not None and reporte.fecha.year >= 1980:  # zip timestamps start in 1980
        return dt.datetime.combine(reporte.fecha, dt.time())
    month = min(max(reporte.trimestre, 1), 4) * 3
    year = min(max(reporte.ejercicio, 1980), 9999)
    next_month = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.datetime.combine(next_month - dt.timedelta(days=1), dt.time())


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
    set_default_font(wb)
    styles = Styles(wb)
    grids: dict[str, Callable[[], tuple[str, str]]] = {}
    taken: tuple[str, ...] = ()
    if reporte.resumen is not None:  # the summary is the first sheet (docs/resumen.md)
        ws = wb.create_sheet(title=NOMBRE_HOJA)
        grid = Grid(styles)
        write_resumen_sheet(ws, grid, styles, reporte.resumen, papel)
        grids["xl/worksheets/sheet1.xml"] = lambda grid=grid: (grid.xml(), grid.dimension())
        taken = (NOMBRE_HOJA,)
    for index, (name, pagina) in enumerate(zip(sheet_names(reporte.paginas, taken), reporte.paginas), start=1 + len(taken)):
        ws = wb.create_sheet(title=name)
        grid = Grid(styles)
        rows = _fill_grid(grid, styles, pagina)
        _setup_sheet(ws, grid, rows, pagina, papel)
        # openpyxl names the n-th sheet's part sheet<n>.xml when saving
        grids[f"xl/worksheets/sheet{index}.xml"] = lambda grid=grid: (grid.xml(), grid.dimension())
    if not reporte.paginas and reporte.resumen is None:
        ws = wb.create_sheet(title="Reporte")
        ws["A1"] = "El reporte no tiene unidades."

    stamp = report_datetime(reporte)
    props = wb.properties
    props.title = clean_text(reporte.titulo)
    props.creator = clean_text(reporte.autor)
    props.subject = clean_text(reporte.asunto)
    props.keywords = "TMM-F004; POA; avance físico programático"
    props.language = "es-MX"
    props.lastModifiedBy = None
    props.created = stamp
    props.modified = stamp
    wb.active = 0

    buffer = BytesIO()
    archive = SheetZip(buffer, (max(stamp.year, 1980), stamp.month, stamp.day, 0, 0, 0), grids)
    # ExcelWriter rather than Workbook.save(), which stamps "modified" with the clock.
    ExcelWriter(wb, archive).save()
    if grids:  # a sheet whose part name we guessed wrong would be silently empty
        raise RuntimeError(f"Hojas sin escribir: {sorted(grids)}")
    return buffer.getvalue()
