"""The marked workbook: a copy of the user's workbook that shows every problem in place.

Each problem cell is filled (red for an error, orange for a warning) and gets a
cell comment with the message; a first sheet PROBLEMAS lists every problem
with a link to its cell. The original file is never changed: the copy is
returned as bytes and the caller writes it (atomically) where it wants.
A macro-enabled workbook (.xlsm) keeps its macros.
"""
from __future__ import annotations

import io
import os
from collections.abc import Iterable
from typing import Any

from poa_xlsx.problems import LibroError, PoaError, Problem


class MarcaError(PoaError):
    """The marked copy could not be written (folder not writable, disk full...)."""


HOJA = "PROBLEMAS"
SUFIJO = "revision"
RED = "FFC7CE"  # fills chosen to keep black text readable
ORANGE = "FFD8A8"
RED_TEXT = "9C0006"
ORANGE_TEXT = "8A4B00"
COMMENT_AUTHOR = "poa-render"


def marked_name(path: str) -> str:
    """``LIBRO_revision.xlsx`` for ``LIBRO.xlsx`` (``.xlsm`` stays ``.xlsm``)."""
    stem, ext = os.path.splitext(os.path.basename(path))
    ext = ext.lower() if ext.lower() in (".xlsx", ".xlsm") else ".xlsx"
    return f"{stem}_{SUFIJO}{ext}"


def mark_workbook(path: str, problems: Iterable[Problem]) -> bytes:
    """The bytes of a copy of ``path`` with ``problems`` marked in place.

    ``problems`` are those :func:`~poa_xlsx.check_workbook` found in this very
    file (so the reader's limits and defences have already been applied).
    Raises :class:`LibroError` if openpyxl cannot load the workbook.
    """
    from openpyxl import load_workbook

    problems = list(problems)
    keep_vba = path.lower().endswith(".xlsm")
    try:
        wb = load_workbook(path, keep_vba=keep_vba, rich_text=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise LibroError(path, f"No se pudo preparar la copia marcada del libro ({type(exc).__name__}).") from exc

    by_cell: dict[tuple[str, str], list[Problem]] = {}
    anchors: dict[tuple[str, str], str] = {}  # (sheet, cell named by the problem) -> cell marked
    for p in problems:
        if p.origen.sheet in wb.sheetnames:
            key = (p.origen.sheet, p.origen.cell or "A1")
            if key not in anchors:
                anchors[key] = _anchor(wb[key[0]], key[1])
            by_cell.setdefault((key[0], anchors[key]), []).append(p)
    for (sheet, cell), found in by_cell.items():
        _mark_cell(wb[sheet][cell], found)

    if HOJA in wb.sheetnames:  # a previous marked copy uploaded again: replace its list
        del wb[HOJA]
    ws = wb.create_sheet(HOJA, 0)
    _write_list(ws, problems, wb.sheetnames, anchors)
    wb.active = 0
    for other in wb.worksheets[1:]:
        other.sheet_view.tabSelected = False

    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _anchor(ws: Any, coordinate: str) -> str:
    """The cell that can hold a comment: the top-left cell of a merged range."""
    for merged in ws.merged_cells.ranges:
        if coordinate in merged:
            return str(merged.start_cell.coordinate)
    return coordinate


def _mark_cell(cell: Any, found: list[Problem]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill

    error = any(p.es_error for p in found)
    color = RED if error else ORANGE
    cell.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
    lines = [f"{'ERROR' if p.es_error else 'ADVERTENCIA'} [{p.code}]: {p.mensaje}" for p in found]
    if cell.comment is not None and cell.comment.text:
        lines.append(f"(Comentario anterior) {cell.comment.text}")
    text = "\n\n".join(lines)
    comment = Comment(text, COMMENT_AUTHOR)
    comment.width = 320
    comment.height = min(60 + 18 * (len(text) // 40 + len(lines)), 600)
    cell.comment = comment


def _write_list(ws: Any, problems: list[Problem], sheetnames: list[str], anchors: dict[tuple[str, str], str]) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.hyperlink import Hyperlink

    from poa_xlsx.formatting import plural

    errores = sum(1 for p in problems if p.es_error)
    advertencias = len(problems) - errores
    ws["A1"] = "Problemas encontrados en el libro"
    ws["A1"].font = Font(bold=True, size=14)
    if problems:
        ws["A2"] = (
            f"{plural(errores, 'error', 'errores')} y {plural(advertencias, 'advertencia')}. Corrija cada celda en su libro original "
            "(no en esta copia) y vuelva a revisarlo. Haga clic en la celda de la columna B para ir a ella."
        )
    else:
        ws["A2"] = "Sin problemas: el libro se puede usar para generar el reporte."
    header = ("Hoja", "Celda", "Severidad", "Código", "Qué hacer")
    for col, title in enumerate(header, start=1):
        c = ws.cell(row=4, column=col, value=title)
        c.font = Font(bold=True)
    ordered = sorted(problems, key=lambda p: (not p.es_error,))  # errors first, order kept within
    for row, p in enumerate(ordered, start=5):
        sheet = p.origen.sheet
        cell_ref = p.origen.cell or ""
        ws.cell(row=row, column=1, value=sheet)
        link = ws.cell(row=row, column=2, value=cell_ref or "(hoja)")
        if sheet in sheetnames and sheet != HOJA:
            target = anchors.get((sheet, cell_ref or "A1"), cell_ref or "A1")
            quoted = "'" + sheet.replace("'", "''") + "'"
            link.hyperlink = Hyperlink(ref=link.coordinate, location=f"{quoted}!{target}")
            link.font = Font(color="0000EE", underline="single")
        sev = ws.cell(row=row, column=3, value="ERROR" if p.es_error else "ADVERTENCIA")
        color, text = (RED, RED_TEXT) if p.es_error else (ORANGE, ORANGE_TEXT)
        sev.fill = PatternFill(fill_type="solid", start_color=color, end_color=color)
        sev.font = Font(bold=True, color=text)
        ws.cell(row=row, column=4, value=p.code)
        msg = ws.cell(row=row, column=5, value=p.mensaje)
        msg.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDE", (28, 10, 14, 26, 90), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A5"
    # printed, the list fits the page's width (landscape), as many pages long as needed
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "4:4"


def write_marked(path: str, problems: Iterable[Problem], carpeta: str | None = None) -> str:
    """Write the marked copy of ``path`` as ``LIBRO_revision.xlsx`` beside it (or in
    ``carpeta``), atomically; return its path. The workbook itself is not touched."""
    from poa_xlsx.output import write_atomic

    data = mark_workbook(path, problems)
    target = os.path.join(carpeta or os.path.dirname(os.path.abspath(path)), marked_name(path))
    if os.path.abspath(target) == os.path.abspath(path):  # "X_revision.xlsx" marked again must not overwrite itself
        raise MarcaError(f"{path}: el libro ya es una copia marcada; revise el libro original.")
    try:
        write_atomic(target, data)
    except OSError as exc:
        raise MarcaError(f"No se pudo escribir la copia marcada «{target}»: {exc.strerror or exc}.") from exc
    return target
