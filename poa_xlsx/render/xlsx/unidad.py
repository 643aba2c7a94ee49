"""One unit's sheet: titles, classification, goals table, legend and signatures.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from poa_xlsx.layout.base import PARTE_FIRMAS, PARTE_LEYENDA, PARTE_METAS, SEMAFORO_COLORES
from poa_xlsx.layout.unidad import PaginaUnidad

if TYPE_CHECKING:  # openpyxl is imported lazily, inside render_xlsx
    from openpyxl.worksheet.worksheet import Worksheet
from poa_xlsx.render.xlsx.base import (
    LEYENDA_ETIQUETA,
    SIGN_SPACE_LINES,
    SIZE_BODY,
    SIZE_HEADER,
    Grid,
    Impresion,
    Run,
    Styles,
    _rule_length,
    body_value,
    clean_text,
    count_lines,
    footer_text,
    print_setup,
    row_height,
)
from poa_xlsx.xlsx.rejilla import letters


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
    leyenda: int | None = None  # first row of the legend (its gap), if any
    firmas: int | None = None


def _fill_grid(grid: Grid, styles: Styles, pagina: PaginaUnidad) -> _Rows:
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
            value, style = body_value(celda, styles, aligns[j])
            grid.put(row, j + 1, value, style)
            if isinstance(value, str) and len(value) > 4:
                lines = max(lines, count_lines(value, widths[j]))
        heights[row] = row_height(lines)
        row += 1

    # Legend: one line, a coloured square before each meaning
    leyenda_row = firmas_row = None
    if pagina.leyenda:
        leyenda_row = row
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
        firmas_row = row
        lines = 1
        for firma, (c1, c2) in zip(pagina.firmas, _groups(widths, len(pagina.firmas)), strict=True):
            c1, c2 = c1 + 1, c2 + 1
            width = span_width(c1, c2)
            # the blank first line sets the block apart from the table
            runs = [Run("\n"), Run(firma.rol.strip() or " ", bold=True)]
            runs.append(Run("\n" * (1 + SIGN_SPACE_LINES) + "_" * _rule_length(width)))
            n = 2 + SIGN_SPACE_LINES + 1
            for text, bold in ((firma.leyenda, False), (firma.nombre, True), (firma.cargo, False)):
                text = clean_text(text).strip()
                if text:
                    runs.append(Run("\n" + text, bold=bold))
                    n += count_lines(text, width, bold=bold)
            if c2 > c1:
                grid.merges.append((row, c1, row, c2))
            grid.rich(row, c1, runs, "firma")
            lines = max(lines, n)
        heights[row] = row_height(lines)
        row += 1
    return _Rows(head_first=head_first, body_first=body_first, last=row - 1, leyenda=leyenda_row, firmas=firmas_row)


def _setup_sheet(ws: Worksheet, grid: Grid, rows: _Rows, pagina: PaginaUnidad, papel: str, paginado: bool = True) -> None:
    ncols = len(pagina.columnas)
    last_col = letters(ncols)
    for i, col in enumerate(pagina.columnas, start=1):
        ws.column_dimensions[letters(i)].width = col.width
    ws.sheet_format.defaultRowHeight = 12.75
    ws.sheet_view.showGridLines = False
    # Keep the goal's key and description in view while scrolling right.
    ws.freeze_panes = f"{letters(min(3, ncols))}{rows.body_first}"
    ws.print_title_rows = f"{rows.head_first}:{rows.body_first - 1}"
    last = max(rows.last, rows.body_first)
    ws.print_area = f"A1:{last_col}{last}"
    # Printed pages start where the PDF's do (the layout's saltos).
    starts = {PARTE_LEYENDA: rows.leyenda, PARTE_FIRMAS: rows.firmas}
    first_rows = [rows.body_first + index if parte == PARTE_METAS else starts.get(parte) for parte, index in pagina.saltos]
    impresion = Impresion([c.width for c in pagina.columnas], grid.heights, first_rows, last, (rows.head_first, rows.body_first - 1), paginado)
    print_setup(ws, papel, f"Unidad {footer_text(pagina.clave)}", pagina.clave_formato, impresion)
