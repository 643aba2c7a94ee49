"""The summary (RESUMEN) as PDF flowables: the report's first page(s).

Reads only :class:`~poa_xlsx.layout_resumen.PaginaResumen`. The tables go
through the goals table's own machinery (:class:`render_pdf._TablaMetas`:
repeated header, rows split between pages); the chart is a vector drawing
(``reportlab.graphics``) made of rectangles and strings drawn here, so a
segment's count is printed only where it fits and labels never overlap.
"""
from __future__ import annotations

import math
from typing import Sequence

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, Spacer

from poa_xlsx.layout.base import SEMAFORO_COLORES
from poa_xlsx.layout.resumen import (
    Grafica,
    Leyenda,
    PaginaResumen,
    Parrafo,
    TablaResumen,
)
from poa_xlsx.render.pdf.base import (
    BOLD,
    REGULAR,
    TITLE_LEADING,
    TITLE_SIZE,
    Fila,
    InicioUnidad,
    LeyendaSemaforo,
    Lineas,
    PlantillaTabla,
    TablaMetas,
    clean_text,
    filas_tabla,
    text_metrics,
)
from poa_xlsx.revision.compute import Semaforo

TOTAL_FILL = "D9D9D9"
SECTION_ROOM = 90.0  # points: a heading, a paragraph, a table header and its first row
_ESTILOS = {  # font, size, leading, space before
    "seccion": (BOLD, 8.5, 10.5, 8.0),
    "texto": (REGULAR, 7.5, 9.2, 2.0),
    "nota": (REGULAR, 6.3, 7.6, 3.0),
    "derecha": (BOLD, 7.5, 9.0, 0.0),
}
# Text on a coloured bar segment: white where it reads well, black on the light colours.
_TEXT_ON = {Semaforo.AMARILLO: colors.black, Semaforo.GRIS: colors.black}


class _Parrafo(Flowable):
    """Wrapped text in one font; an optional semáforo square before it; left or right aligned."""

    SQUARE = 7.0

    def __init__(self, texto: str, estilo: str, semaforo: Semaforo | None = None, align: str = "left") -> None:
        super().__init__()
        self.font, self.size, self.leading, self.space_before = _ESTILOS[estilo]
        self.texto = clean_text(texto, self.font)
        self.semaforo = semaforo
        self.align = align
        self.lines: tuple[str, ...] = ()

    def _indent(self) -> float:
        return self.SQUARE + 4 if self.semaforo else 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = availWidth
        self.lines = text_metrics(self.font, self.size).wrap(self.texto, availWidth - self._indent())
        self.height = self.space_before + len(self.lines) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        y = self.height - self.space_before - self.size
        if self.semaforo:
            c.setStrokeColor(colors.black)
            c.setLineWidth(0.3)
            c.setFillColor(colors.HexColor("#" + SEMAFORO_COLORES[self.semaforo]))
            c.rect(0, y - 1, self.SQUARE, self.SQUARE, stroke=1, fill=1)
        c.setFillColor(colors.black)
        c.setFont(self.font, self.size)
        for line in self.lines:
            if self.align == "right":
                c.drawRightString(self.width, y, line)
            else:
                c.drawString(self._indent(), y, line)
            y -= self.leading


def _tabla(tabla: TablaResumen, width: float, frame_height: float) -> TablaMetas:
    plantilla = PlantillaTabla(tabla, width, frame_height)  # type: ignore[arg-type]  # same table attributes
    filas = filas_tabla(tabla, plantilla)  # type: ignore[arg-type]
    for i, fila in enumerate(tabla.filas):
        if fila.total:
            plain = tuple((col, TOTAL_FILL) for col, c in enumerate(fila.celdas) if c.kind != "semaforo")
            filas[i] = Fila(filas[i].cells, plain + filas[i].fills, index=i)
    return TablaMetas(plantilla, filas, ())


# --------------------------------------------------------------------------- the chart


def _step(maximum: int) -> int:
    """A round tick step giving at most 10 ticks."""
    for base in (1, 2, 5, 10, 20, 25, 50):
        for scale in (1, 10, 100, 1000, 10000):
            step = base * scale
            if maximum / step <= 10:
                return step
    return 10 ** (len(str(maximum)) - 1)


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` on one line, cut with "…" to fit ``width`` (uncached: labels are few)."""
    text = " ".join(text.split())
    if stringWidth(text, font, size) <= width:
        return text
    text = text[: int(width / (size * 0.25)) + 1]  # no label this long fits: never measure 50,000 characters
    while text and stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def grafica_drawing(grafica: Grafica, width: float) -> Drawing:
    """The stacked horizontal bar chart: one bar per category, one colour per series, a legend."""
    n = len(grafica.categorias)
    pitch = grafica.paso
    bar = pitch * 0.72
    label_size, value_size, legend_size, title_size = 6.5, 6.0, 6.5, 7.5
    title_h, axis_h, legend_h = grafica.MARCO
    plot_h = n * pitch
    height = grafica.alto
    d = Drawing(width, height)
    d.initialFontName = REGULAR  # else reportlab.graphics sets (and the page references) an unembedded Helvetica

    label_w = width * 0.34
    labels = [_fit(clean_text(c), REGULAR, label_size, label_w - 6) for c in grafica.categorias]
    label_w = min(max((stringWidth(t, REGULAR, label_size) for t in labels), default=0.0) + 6, label_w)
    right = 24.0
    x0 = label_w
    plot_w = max(width - label_w - right, 50.0)
    totals = [sum(s.valores[i] for s in grafica.series) for i in range(n)]
    step = _step(max(max(totals, default=0), 1))
    vmax = max(step * math.ceil(max(max(totals, default=0), 1) / step), step)
    scale = plot_w / vmax
    top = height - title_h
    bottom = top - plot_h

    d.add(String(0, height - title_size - 1, _fit(clean_text(grafica.titulo, BOLD), BOLD, title_size, width), fontName=BOLD, fontSize=title_size))
    grid = colors.HexColor("#BFBFBF")
    for k in range(0, vmax + 1, step):
        x = x0 + k * scale
        d.add(Line(x, bottom, x, top, strokeColor=grid, strokeWidth=0.3))
        d.add(String(x, bottom - 8, str(k), fontName=REGULAR, fontSize=value_size, textAnchor="middle"))
    d.add(String(x0 + plot_w / 2, bottom - 15.5, clean_text(grafica.eje), fontName=REGULAR, fontSize=value_size, textAnchor="middle"))
    d.add(Line(x0, bottom, x0, top, strokeColor=colors.black, strokeWidth=0.5))

    value_metrics = text_metrics(REGULAR, value_size)
    for i, label in enumerate(labels):
        y = top - (i + 0.5) * pitch  # centre line of bar i, the first at the top
        d.add(String(x0 - 4, y - label_size * 0.35, label, fontName=REGULAR, fontSize=label_size, textAnchor="end"))
        x = x0
        for serie in grafica.series:
            v = serie.valores[i]
            if v <= 0:
                continue
            w = v * scale
            fill = colors.HexColor("#" + SEMAFORO_COLORES[serie.semaforo])
            d.add(Rect(x, y - bar / 2, w, bar, fillColor=fill, strokeColor=colors.white, strokeWidth=0.4))
            text = str(v)
            if value_metrics.width(text) + 3 <= w:
                d.add(String(x + w / 2, y - value_size * 0.35, text, fontName=REGULAR, fontSize=value_size, textAnchor="middle", fillColor=_TEXT_ON.get(serie.semaforo, colors.white)))
            x += w
        d.add(String(x + 3, y - value_size * 0.35, str(totals[i]), fontName=BOLD, fontSize=value_size))

    # Legend: a square and the series name, on one line under the axis.
    x, y = x0, 2.0
    legend = text_metrics(REGULAR, legend_size)
    for serie in grafica.series:
        text = clean_text(serie.nombre)
        d.add(Rect(x, y, 6, 6, fillColor=colors.HexColor("#" + SEMAFORO_COLORES[serie.semaforo]), strokeColor=colors.black, strokeWidth=0.3))
        d.add(String(x + 9, y + 0.8, text, fontName=REGULAR, fontSize=legend_size))
        x += 9 + legend.width(text) + 14
    d.hAlign = "LEFT"
    return d


# --------------------------------------------------------------------------- the page


def resumen_flowables(pagina: PaginaResumen, width: float, frame_height: float) -> list[Flowable]:
    """Everything the summary prints, in reading order; the caller adds the page break after it."""
    story: list[Flowable] = [
        InicioUnidad(pagina.pie),
        Lineas(pagina.titulos, BOLD, TITLE_SIZE, TITLE_LEADING),
        Spacer(1, 2),
        _Parrafo(f"{pagina.clave_formato}    FECHA: {pagina.fecha}", "derecha", align="right"),
    ]
    for index, bloque in enumerate(pagina.bloques):
        parts: list[Flowable] = []
        if isinstance(bloque, Parrafo):
            if bloque.estilo == "seccion":
                story.append(CondPageBreak(SECTION_ROOM))  # a heading never ends a page without what it heads
            parts.append(_Parrafo(bloque.texto, bloque.estilo, bloque.semaforo))
        elif isinstance(bloque, TablaResumen):
            tabla = _tabla(bloque, width, frame_height)
            tabla.bloque = index
            parts += [Spacer(1, 4), tabla]
        elif isinstance(bloque, Leyenda):
            parts.append(LeyendaSemaforo([(SEMAFORO_COLORES[s], text) for s, text in bloque.items], space_before=3.0))
        elif isinstance(bloque, Grafica):
            parts += [Spacer(1, 8), grafica_drawing(bloque, width)]
        for part in parts:
            part._poa_bloque = index  # the block a page starts with (paginacion)
        story += parts
    return story


__all__: Sequence[str] = ["resumen_flowables", "grafica_drawing"]
