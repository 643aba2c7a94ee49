"""Layout -> XLSX bytes: the RESUMEN sheet first when there is one, then one formatted
sheet per unit, ready to print.

Everything printed comes from :class:`~poa_xlsx.layout.reporte.Reporte`; the sheet kinds
only decide cells, merges, styles, row heights and print settings.
"""
from __future__ import annotations

import datetime as dt
from typing import Callable

from poa_xlsx.layout.reporte import Reporte
from poa_xlsx.render.xlsx.base import FONT_NAME, PAPELES, Grid, Styles, clean_text, sheet_names
from poa_xlsx.render.xlsx.resumen import NOMBRE_HOJA, write_resumen_sheet
from poa_xlsx.render.xlsx.unidad import _fill_grid, _setup_sheet
from poa_xlsx.xlsx.openpyxl_interno import set_default_font
from poa_xlsx.xlsx.paquete import APPLICATION, DocumentInfo, SharedStrings, SheetGrid, save_workbook

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
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    # Column widths are counted in the default font's digit width. With
    # openpyxl's Calibri, LibreOffice (which seldom has Calibri) falls back to
    # a wider font and every column grows; Arial 10 is 7 px in Excel and its
    # metric twin Liberation Sans is the same in LibreOffice.
    set_default_font(wb, Font(name=FONT_NAME, size=10, family=2))
    styles = Styles(wb)
    shared = SharedStrings()
    # Page breaks and the print scale follow the PDF's pages when the report was
    # paginated for this paper (poa_xlsx.render.pdf.paginacion.paginar).
    paginado = reporte.paginado == papel
    grids: dict[int, Callable[[], SheetGrid]] = {}
    taken: tuple[str, ...] = ()
    if reporte.resumen is not None:  # the summary is the first sheet (docs/resumen.md)
        ws = wb.create_sheet(title=NOMBRE_HOJA)
        grid = Grid(styles, shared)
        write_resumen_sheet(ws, grid, styles, reporte.resumen, papel, paginado)
        grids[1] = grid.sheet_grid
        taken = (NOMBRE_HOJA,)
    for index, (name, pagina) in enumerate(zip(sheet_names(reporte.paginas, taken), reporte.paginas, strict=True), start=1 + len(taken)):
        ws = wb.create_sheet(title=name)
        grid = Grid(styles, shared)
        rows = _fill_grid(grid, styles, pagina)
        _setup_sheet(ws, grid, rows, pagina, papel, paginado)
        grids[index] = grid.sheet_grid
    if not reporte.paginas and reporte.resumen is None:
        ws = wb.create_sheet(title="Reporte")
        ws["A1"] = "El reporte no tiene unidades."
    wb.active = 0
    info = DocumentInfo(
        title=clean_text(reporte.titulo),
        creator=clean_text(reporte.autor) or APPLICATION,
        subject=clean_text(reporte.asunto),
        keywords="TMM-F004; POA; avance físico programático",
        stamp=report_datetime(reporte),
    )
    return save_workbook(wb, info, grids=grids, shared=shared)
