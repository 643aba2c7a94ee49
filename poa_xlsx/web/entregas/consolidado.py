"""The period's consolidated RESUMEN (XLSX, PDF) and open-data CSV, from the library's summary.

Approved submissions by default; with ``incluir_enviados`` also those sent and
not yet approved, each named in a note. Ramos of the catalogue with nothing
approved (or sent) are listed as missing. No browser needed.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..periodos.models import Periodo
from .matriz import build_matrix
from .models import Envio


class ConsolidadoError(Exception):
    """Nothing to consolidate; the message says why."""


@dataclass(frozen=True)
class Consolidado:
    nombre: str  # file name without extension
    datos: bytes
    incluidos: tuple[str, ...]
    pendientes: tuple[str, ...]  # included but only sent, not approved
    faltan: tuple[str, ...]


def _informes(envios: list[Envio]) -> list[Any]:
    from poa_xlsx.acciones import check_workbook

    informes = []
    for e in envios:
        revision = check_workbook(e.version.original)
        if revision.informe is None:  # the kept file is read-only: this only happens if it was tampered with
            raise ConsolidadoError(f"El libro enviado por el ramo {e.ramo} ya no se puede leer sin errores; revíselo.")
        informes.append(revision.informe)
    return informes


def build_consolidated(periodo: Periodo, formato: str, *, incluir_enviados: bool = False, papel: str = "carta") -> Consolidado:
    """``formato``: "pdf", "xlsx" or "csv"."""
    from poa_xlsx.layout.reporte import reporte_resumen
    from poa_xlsx.layout.resumen import Parrafo
    from poa_xlsx.render.datos import render_csv
    from poa_xlsx.render.reporte import render
    from poa_xlsx.revision.resumen import build_resumen

    estados = [Envio.Estado.APROBADO] + ([Envio.Estado.ENVIADO] if incluir_enviados else [])
    envios = list(Envio.objects.filter(periodo=periodo, estado__in=estados).select_related("version").order_by("ramo"))
    envios.sort(key=lambda e: (0, int(e.ramo), "") if e.ramo.isdigit() else (1, 0, e.ramo))
    incluidos = tuple(e.ramo for e in envios)
    pendientes = tuple(e.ramo for e in envios if e.estado == Envio.Estado.ENVIADO)
    faltan = tuple(f.ramo for f in build_matrix(periodo) if f.ramo not in incluidos)
    if not envios:
        raise ConsolidadoError(
            f"Aún no hay envíos {'aprobados ni enviados' if incluir_enviados else 'aprobados'} en el periodo {periodo}."
            + ("" if incluir_enviados else " Puede incluir los enviados sin aprobar.")
        )
    informes = _informes(envios)
    nombre = f"resumen_{periodo.ejercicio}_T{periodo.trimestre}"
    if formato == "csv":
        return Consolidado(nombre, render_csv(informes), incluidos, pendientes, faltan)
    reporte = reporte_resumen(build_resumen(informes), [i.general for i in informes])
    notas = []
    if pendientes:
        notas.append(Parrafo(f"INCLUYE ENVIADOS SIN APROBAR (ramos {', '.join(pendientes)}): cifras aún no revisadas por Tesorería.", "nota"))
    if faltan:
        notas.append(Parrafo(f"FALTAN LOS RAMOS {', '.join(faltan)}: no están en este resumen.", "nota"))
    if notas and reporte.resumen is not None:
        reporte = replace(reporte, resumen=replace(reporte.resumen, bloques=(*notas, *reporte.resumen.bloques)))
    return Consolidado(nombre, render(reporte, formato, papel), incluidos, pendientes, faltan)
