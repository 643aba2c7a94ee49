"""Where the PDF's pages break, decided once and written into the layout.

:func:`paginar` flows the very flowables :func:`~poa_xlsx.render.pdf.documento.render_pdf` prints
(same measurements, same ``split`` methods: a goal row never printed on two
pages unless the PDF does, the signatures kept with the last goal row) through
frames of the page's size, the way reportlab's document template does, without
drawing anything. It records what each page starts with as the layout's
``saltos`` (:data:`poa_xlsx.layout.base.Salto`), which the XLSX turns into manual
page breaks, so a person who prints either file gets the same pages.

It is called once per report, before the XLSX and the PDF are rendered side
by side (poa_xlsx.render.reporte.write_report): the text wrapping it does is
cached per process, so the PDF's own pass costs that much less.
tests/test_compat.py checks the page counts against the PDF and LibreOffice.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Sequence

from reportlab.platypus import CondPageBreak, Flowable, PageBreak

from poa_xlsx.layout.base import PARTE_FIRMAS, PARTE_LEYENDA, PARTE_METAS, Salto
from poa_xlsx.layout.reporte import Reporte
from poa_xlsx.layout.resumen import PaginaResumen
from poa_xlsx.layout.unidad import PaginaUnidad
from poa_xlsx.render.pdf.base import FOOTER_SPACE, MARGIN, PAPELES, Firmas, LeyendaSemaforo, TablaMetas, register_fonts
from poa_xlsx.render.pdf.resumen import resumen_flowables
from poa_xlsx.render.pdf.unidad import unidad_flowables

_FUZZ = 1e-6  # reportlab's rl_config._FUZZ: a flowable fits when it exceeds the room by no more


def _flow(story: Sequence[Flowable], width: float, height: float) -> list[list[Flowable]]:
    """The flowables placed on each page, as reportlab's frame and document loop place them."""
    pages: list[list[Flowable]] = [[]]
    room, at_top = height, True
    queue = list(story)
    while queue:
        f = queue.pop(0)
        if isinstance(f, PageBreak):
            pages.append([])
            room, at_top = height, True
            continue
        if isinstance(f, CondPageBreak):
            if room < f.height and not at_top:
                pages.append([])
                room, at_top = height, True
            continue
        _w, h = f.wrap(width, room) if room > 0 else (0.0, height + 1.0)
        if h <= room + _FUZZ:
            pages[-1].append(f)
            room -= h
            at_top = at_top and h == 0
            continue
        parts = f.split(width, room) if room > 0 else []
        if parts:
            first = parts[0]
            _w, h = first.wrap(width, room)
            pages[-1].append(first)
            room -= h
            at_top = at_top and h == 0
            queue[0:0] = parts[1:]
            continue
        if at_top:  # taller than a page and unsplittable: reportlab prints it clipped
            pages[-1].append(f)
            pages.append([])
            room, at_top = height, True
            continue
        queue.insert(0, f)
        pages.append([])
        room, at_top = height, True
    return [p for p in pages if p]


def _frame(papel: str) -> tuple[float, float]:
    page_w, page_h = PAPELES[papel]
    return page_w - 2 * MARGIN, page_h - 2 * MARGIN - FOOTER_SPACE


def _first_visible(page: list[Flowable]) -> Flowable | None:
    for f in page:
        if getattr(f, "height", 0) or isinstance(f, (TablaMetas, LeyendaSemaforo, Firmas)):
            return f
    return page[0] if page else None


def saltos_unidad(pagina: PaginaUnidad, papel: str = "carta") -> tuple[Salto, ...]:
    """What each of the unit's PDF pages after the first starts with."""
    width, height = _frame(papel)
    pages = _flow(unidad_flowables(pagina, width, height), width, height)
    saltos: list[Salto] = []
    for page in pages[1:]:
        f = _first_visible(page)
        if isinstance(f, TablaMetas) and f.filas:
            saltos.append((PARTE_METAS, f.filas[0].index))
        elif isinstance(f, LeyendaSemaforo):
            saltos.append((PARTE_LEYENDA, 0))
        elif isinstance(f, Firmas):
            saltos.append((PARTE_FIRMAS, 0))
    return tuple(saltos)


def saltos_resumen(pagina: PaginaResumen, papel: str = "carta") -> tuple[tuple[int, int], ...]:
    """What each of the summary's PDF pages after the first starts with: (block, table row)."""
    width, height = _frame(papel)
    pages = _flow(resumen_flowables(pagina, width, height), width, height)
    saltos: list[tuple[int, int]] = []
    for page in pages[1:]:
        for f in page:
            if isinstance(f, TablaMetas) and f.bloque >= 0 and f.filas:
                saltos.append((f.bloque, f.filas[0].index))
                break
            bloque = getattr(f, "_poa_bloque", None)
            if bloque is not None:
                saltos.append((bloque, 0))
                break
    return tuple(saltos)


def paginar(reporte: Reporte, papel: str = "carta") -> Reporte:
    """``reporte`` with the ``saltos`` of every page description filled for ``papel``."""
    if reporte.paginado == papel:
        return reporte
    register_fonts()
    paginas = tuple(replace(p, saltos=saltos_unidad(p, papel)) for p in reporte.paginas)
    resumen = reporte.resumen
    if resumen is not None:
        resumen = replace(resumen, saltos=saltos_resumen(resumen, papel))
    return replace(reporte, paginas=paginas, resumen=resumen, paginado=papel)


def contar_paginas(reporte: Reporte) -> int:
    """How many pages the PDF of a paginated ``reporte`` has (one more than its breaks per section)."""
    total = sum(1 + len(p.saltos) for p in reporte.paginas)
    if reporte.resumen is not None:
        total += 1 + len(reporte.resumen.saltos)
    return total or 1


__all__ = ["contar_paginas", "paginar", "saltos_resumen", "saltos_unidad"]
