"""The summary (RESUMEN) as the XLSX's first sheet: tables, legend and native charts.

Reads only :class:`~poa_xlsx.layout_resumen.PaginaResumen`. Cells go
through :mod:`render_xlsx`'s own grid (``Grid``: inline strings, so a
justification that starts with ``=`` stays text; named styles), so the sheet
looks like the unit sheets. Each chart is a native Excel bar chart
(openpyxl) whose series point at the count cells of the table above it, so
the figures a reader sees in the chart are those of the table.
"""
from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from poa_xlsx.layout.base import SEMAFORO_COLORES
from poa_xlsx.layout.resumen import Grafica, Leyenda, PaginaResumen, Parrafo, TablaResumen
from poa_xlsx.render.xlsx.base import (
    LEYENDA_ETIQUETA,
    SIZE_BODY,
    SIZE_HEADER,
    Grid,
    Impresion,
    Run,
    Styles,
    body_value,
    clean_text,
    count_lines,
    footer_text,
    print_setup,
    row_height,
)

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

NOMBRE_HOJA = "RESUMEN"
TOTAL_FILL = "D9D9D9"
CHART_ROW_HEIGHT = 15.0  # points: rows reserved under a chart all get this height
POINTS_PER_CM = 72 / 2.54
_PARRAFO = {  # estilo -> (size, bold)
    "seccion": (10.0, True),
    "texto": (9.0, False),
    "nota": (7.5, False),
}


#: The RESUMEN sheet prints at about this scale (its width and tallest page allow it):
#: a chart drawn this much taller prints as tall as the PDF's, so the same blocks fit a page.
CHART_PRINT_SCALE = 0.75
MIN_CHART_CM = 5.0  # room for the title, the axis and the legend on screen


def _chart_height_cm(grafica: Grafica) -> float:
    return max(MIN_CHART_CM, grafica.alto / CHART_PRINT_SCALE / POINTS_PER_CM)


class _Hoja:
    """Writes the blocks of the summary one under the other, from row 1."""

    def __init__(self, ws: Worksheet, grid: Grid, styles: Styles, pagina: PaginaResumen) -> None:
        self.ws, self.grid, self.styles, self.pagina = ws, grid, styles, pagina
        self.widths = list(pagina.rejilla)
        self.last = len(self.widths)
        self.row = 1
        # the preceding table, for the chart that follows it: grid column of
        # each table column and the first body row
        self.previa: tuple[TablaResumen, list[int], int] | None = None
        # where each block starts, and each table's first body row (page breaks)
        self.inicios: dict[int, int] = {}
        self.cuerpos: dict[int, int] = {}

    def width(self, c1: int, c2: int) -> float:
        return sum(self.widths[c1 - 1:c2])

    def gap(self, height: float) -> None:
        self.grid.heights[self.row] = height
        self.row += 1

    def titulos(self) -> None:
        p = self.pagina
        for i, titulo in enumerate(p.titulos):
            self.grid.merge(self.row, 1, self.last, titulo, "titulo" if i == 0 else "subtitulo")
            self.grid.heights[self.row] = 17.0 if i == 0 else 14.0
            self.row += 1
        self.grid.merge(self.row, 1, self.last, f"{p.clave_formato}    FECHA: {p.fecha}", "formato")
        self.grid.heights[self.row] = 13.0
        self.row += 1

    def parrafo(self, bloque: Parrafo) -> None:
        size, bold = _PARRAFO.get(bloque.estilo, _PARRAFO["texto"])
        if bloque.estilo == "seccion":
            self.gap(6.0)
        style = self.styles.variant("clasificacion", f"resumen_{bloque.estilo}", size=size, bold=bold, vertical="top")
        runs = []
        if bloque.semaforo is not None:
            runs.append(Run("■ ", color=SEMAFORO_COLORES[bloque.semaforo], size=size + 2))
        runs.append(Run(bloque.texto, bold=bold, size=size))
        self.grid.merges.append((self.row, 1, self.row, self.last))
        self.grid.rich(self.row, 1, runs, style)
        lines = count_lines(bloque.texto, self.width(1, self.last), size, bold)
        self.grid.heights[self.row] = row_height(lines, size)
        self.row += 1

    def leyenda(self, bloque: Leyenda) -> None:
        runs = [Run(LEYENDA_ETIQUETA, bold=True)]
        for semaforo, texto in bloque.items:
            runs += [Run("   "), Run("■", color=SEMAFORO_COLORES[semaforo], size=SIZE_BODY + 2), Run(f" {texto}")]
        self.grid.merges.append((self.row, 1, self.row, self.last))
        self.grid.rich(self.row, 1, runs, "leyenda")
        self.grid.heights[self.row] = row_height(count_lines("".join(r.text for r in runs), self.width(1, self.last)))
        self.row += 1

    def tabla(self, tabla: TablaResumen) -> None:
        grid, styles = self.grid, self.styles
        self.gap(4.0)
        starts, col = [], 1
        for span in tabla.spans:
            starts.append(col)
            col += span
        ends = [s + span - 1 for s, span in zip(starts, tabla.spans, strict=True)]
        first = self.row
        nrows = max([tabla.encabezado_filas] + [e.row + e.rowspan for e in tabla.encabezado])
        heights = [row_height(1, SIZE_HEADER)] * nrows
        for e in tabla.encabezado:
            c1, c2 = starts[e.col], ends[e.col + e.colspan - 1]
            grid.merge(first + e.row, c1, c2, e.text, "encabezado", row2=first + e.row + e.rowspan - 1)
        for e in sorted(tabla.encabezado, key=lambda e: e.rowspan):
            c1, c2 = starts[e.col], ends[e.col + e.colspan - 1]
            need = row_height(count_lines(e.text, self.width(c1, c2), SIZE_HEADER, bold=True), SIZE_HEADER)
            have = sum(heights[e.row:e.row + e.rowspan])
            if need > have:
                for r in range(e.row, e.row + e.rowspan):
                    heights[r] += (need - have) / e.rowspan
        for i, h in enumerate(heights):
            grid.heights[first + i] = round(h, 2)
        row = body = first + nrows
        aligns = [c.align for c in tabla.columnas]
        for fila in tabla.filas:
            lines = 1
            for j, celda in enumerate(fila.celdas):
                value, style = body_value(celda, styles, aligns[j])
                if fila.total and celda.kind != "semaforo":
                    style = styles.variant(style, f"{style}_total", bold=True, fill=TOTAL_FILL)
                grid.merge(row, starts[j], ends[j], value, style)
                if isinstance(value, str) and len(value) > 4:
                    lines = max(lines, count_lines(value, self.width(starts[j], ends[j])))
            grid.heights[row] = row_height(lines)
            row += 1
        self.row = row
        self.previa = (tabla, starts, body)

    def grafica(self, grafica: Grafica) -> None:
        from openpyxl.chart import BarChart, Reference, Series
        from openpyxl.chart.data_source import AxDataSource, StrRef

        if self.previa is None:
            raise ValueError("a chart needs the table it draws above it")
        tabla, starts, body = self.previa
        r0 = body + grafica.desde
        r1 = r0 + len(grafica.categorias) - 1
        self._check(tabla, grafica)
        chart = BarChart()
        chart.type = "bar"  # horizontal bars: long unit names read well on the left
        chart.grouping = "stacked"
        chart.overlap = 100
        chart.gapWidth = 50
        chart.title = _title(grafica.titulo)
        for serie in grafica.series:
            data = Reference(self.ws, min_col=starts[serie.columna], min_row=r0, max_row=r1)
            s = Series(data, title=serie.nombre)
            s.graphicalProperties.solidFill = SEMAFORO_COLORES[serie.semaforo]
            s.graphicalProperties.line.solidFill = "FFFFFF"
            chart.series.append(s)
        # unit names are text: a string reference (openpyxl's set_categories makes a numeric one)
        labels = Reference(self.ws, min_col=starts[grafica.columna_categorias], min_row=r0, max_row=r1)
        for s in chart.series:
            s.cat = AxDataSource(strRef=StrRef(f=str(labels)))
        chart.x_axis.scaling.orientation = "maxMin"  # first unit at the top, as in the table
        chart.x_axis.delete = False
        chart.x_axis.tickLblSkip = 1  # every unit's name, never every other one
        # the unit names in the PDF's size when the bars are close together (more than 15),
        # or LibreOffice leaves every other one out
        chart.x_axis.txPr = _text_properties(800 if len(grafica.categorias) <= 15 else 650)
        chart.y_axis.delete = False
        chart.y_axis.crosses = "max"  # with the categories reversed, keeps the value axis at the bottom
        chart.y_axis.title = _title(grafica.eje, 800, bold=False)
        chart.y_axis.majorUnit = _major_unit(grafica)
        chart.y_axis.scaling.min = 0
        chart.y_axis.numFmt = "0"
        chart.y_axis.txPr = _text_properties(800)
        chart.legend.position = "b"
        chart.legend.txPr = _text_properties(800)
        height_cm = _chart_height_cm(grafica)
        chart.height = height_cm
        chart.width = min(self.width(1, self.last) * 0.19, 30.0)  # about the table's width
        self.gap(6.0)
        self.ws.add_chart(chart, f"A{self.row}")
        rows = math.ceil(height_cm * POINTS_PER_CM / CHART_ROW_HEIGHT) + 1
        for _ in range(rows):
            self.gap(CHART_ROW_HEIGHT)

    @staticmethod
    def _check(tabla: TablaResumen, grafica: Grafica) -> None:
        # The chart reads cells: they must hold the figures the layout charted.
        filas = tabla.filas[grafica.desde: grafica.desde + len(grafica.categorias)]
        for serie in grafica.series:
            cells = tuple(int(f.celdas[serie.columna].value) for f in filas)  # type: ignore[arg-type]
            if cells != serie.valores:
                raise AssertionError(f"chart series {serie.nombre!r} does not match its table column")


def _text_properties(size: int, bold: bool = False) -> Any:
    """Font size (hundredths of a point) for an axis's labels."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties

    props = CharacterProperties(sz=size, b=bold)
    # r=[]: openpyxl would add an empty run, which text properties have none of (Gnumeric warns)
    return RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), endParaRPr=props, r=[])])


def _title(text: str, size: int = 1000, bold: bool = True) -> Any:
    """A chart or axis title in a set size (Excel's default, 14 pt, dwarfs the table)."""
    from openpyxl.chart.text import RichText, Text
    from openpyxl.chart.title import Title
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RegularTextRun

    props = CharacterProperties(sz=size, b=bold)
    run = RegularTextRun(rPr=props, t=clean_text(text).replace("\n", " ")[:255])
    return Title(tx=Text(rich=RichText(p=[Paragraph(pPr=ParagraphProperties(defRPr=props), r=[run])])), overlay=False)


def _major_unit(grafica: Grafica) -> int:
    top = max((sum(s.valores[i] for s in grafica.series) for i in range(len(grafica.categorias))), default=1)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 10:
            return step
    return 10 ** (len(str(top)) - 1)


def write_resumen_sheet(ws: Worksheet, grid: Grid, styles: Styles, pagina: PaginaResumen, papel: str, paginado: bool = True) -> None:
    """Fill ``grid`` (the sheet's cells, written by the caller) and ``ws`` (charts, print setup)."""
    from poa_xlsx.xlsx.rejilla import letters

    hoja = _Hoja(ws, grid, styles, pagina)
    hoja.titulos()
    for index, bloque in enumerate(pagina.bloques):
        hoja.inicios[index] = hoja.row
        if isinstance(bloque, Parrafo):
            hoja.parrafo(bloque)
        elif isinstance(bloque, TablaResumen):
            hoja.tabla(bloque)
            assert hoja.previa is not None
            hoja.cuerpos[index] = hoja.previa[2]
        elif isinstance(bloque, Leyenda):
            hoja.leyenda(bloque)
        elif isinstance(bloque, Grafica):
            hoja.grafica(bloque)
    for i, width in enumerate(pagina.rejilla, start=1):
        ws.column_dimensions[letters(i)].width = width
    ws.sheet_format.defaultRowHeight = 12.75
    ws.sheet_view.showGridLines = False
    last = max(hoja.row - 1, 1)
    ws.print_area = f"A1:{letters(hoja.last)}{last}"
    # Printed pages start where the PDF's do (the layout's saltos): a table continued on
    # the next page at its row there, any other block at its first row (a gap before it).
    first_rows = [hoja.cuerpos[b] + fila if fila and b in hoja.cuerpos else hoja.inicios.get(b) for b, fila in pagina.saltos]
    print_setup(ws, papel, footer_text(pagina.pie), pagina.clave_formato, Impresion(list(pagina.rejilla), grid.heights, first_rows, last, paginado=paginado))


__all__ = ["NOMBRE_HOJA", "write_resumen_sheet"]
