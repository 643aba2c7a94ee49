"""The whole report: document metadata, the unit pages and, optionally, the RESUMEN first.

Both renderers (:mod:`poa_xlsx.render.xlsx`, :mod:`poa_xlsx.render.pdf`) read the same
:class:`Reporte`, so the XLSX and the PDF cannot disagree on any text or figure.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Sequence

from poa_xlsx.formatting import titulo_trimestre
from poa_xlsx.layout.resumen import PaginaResumen, etiqueta_ramo, layout_resumen
from poa_xlsx.layout.textos import Plantillas
from poa_xlsx.layout.unidad import PaginaUnidad, layout_unidad
from poa_xlsx.model import General
from poa_xlsx.revision.compute import (
    Informe,
)
from poa_xlsx.revision.resumen import Resumen


@dataclass(frozen=True)
class Reporte:
    """The whole report: document metadata and one page description per unit,
    optionally preceded by the summary (``resumen``, see :mod:`poa_xlsx.layout.resumen`)."""

    titulo: str
    autor: str
    asunto: str
    ejercicio: int
    trimestre: int
    paginas: tuple[PaginaUnidad, ...]
    semaforo: bool = True
    resumen: PaginaResumen | None = None
    fecha: dt.date | None = None  # the report's FECHA: file dates come from it, never from the clock
    paginado: str | None = None  # the paper the pages' ``saltos`` were decided for


def layout_report(informe: Informe, *, semaforo: bool = True, plantillas: Plantillas | None = None) -> Reporte:
    """The page descriptions of every unit, in workbook order."""
    g = informe.general
    ramo = next((u.unidad.ramo for u in informe.unidades if u.unidad.ramo), None)
    ramo_text = f"Ramo {ramo.clave} {ramo.descripcion}" if ramo else ""
    return Reporte(
        titulo=f"{g.clave_formato} Avance físico programático {titulo_trimestre(g.trimestre, g.ejercicio).lower()}"
        + (f" — {ramo_text}" if ramo_text else ""),
        autor=g.ayuntamiento,
        asunto=f"Programa Operativo Anual {g.ejercicio}: avance físico programático, {ramo_text}".rstrip(", "),
        ejercicio=g.ejercicio,
        trimestre=g.trimestre,
        paginas=tuple(layout_unidad(informe, u, semaforo=semaforo, plantillas=plantillas) for u in informe.unidades),
        semaforo=semaforo,
        fecha=g.fecha,
    )


def reporte_resumen(resumen: Resumen, generales: Sequence[General], faltantes: Sequence[tuple[str, str]] = ()) -> Reporte:
    """A report that is only the summary (``poa-render resumen``): no unit pages.
    ``faltantes``: expected ramos (code, name) that did not report."""
    pagina = layout_resumen(resumen, generales, faltantes)
    periodo = pagina.titulos[-1].lower()
    g = generales[0]
    ramos = ", ".join(etiqueta_ramo(r.ramo, r.libro) for r in resumen.ramos)
    return Reporte(
        titulo=f"{g.clave_formato} Resumen del avance físico programático, {periodo}",
        autor=g.ayuntamiento,
        asunto=f"Resumen del avance físico programático: {ramos}"[:500],
        ejercicio=resumen.ejercicio,
        trimestre=resumen.trimestre,
        paginas=(),
        resumen=pagina,
        fecha=max(x.fecha for x in generales),
    )
