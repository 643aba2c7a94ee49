"""The figures table of a submission: per unit, one row per goal, as the library computes them.

The figures are not stored with the version: they come from the library's check of the
stored original (the same call that made the report), so they are always the report's.
A stored original never changes (it is read-only), so the last tables made are kept in
memory, keyed by the file's path, size and modification time: Tesorería going back and
forth between submissions does not check the same workbook again.
"""
from __future__ import annotations

import copy
import os
from functools import lru_cache
from typing import Any

from poa_xlsx.formatting import format_cantidad

DESCRIPCION_MAX = 90  # characters of a goal's description shown in the table

ESTATUS = {
    "sin programación": "Sin programación",
    "adelantada": "Adelantada",
    "cumplida": "Cumplida",
    "rebasada": "Rebasada",
    "no alcanzada": "No alcanzada",
}


def shorten(text: str, limit: int = DESCRIPCION_MAX) -> str:
    """The text on one line, cut at a word with "…" when longer than ``limit``."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1].rsplit(" ", 1)[0] if " " in flat[: limit - 1] else flat[: limit - 1]
    return cut.rstrip(" ,;.-") + "…"


def figures_table(original: str) -> list[dict[str, Any]]:
    """Per unit sheet (``hoja``, ``clave``) its goals' rows, formatted as the report writes them.

    Empty when the workbook has no report (errors) or cannot be read.
    """
    try:
        st = os.stat(original)
    except OSError:
        return []
    return copy.deepcopy(_figures_table(original, st.st_size, st.st_mtime_ns))


@lru_cache(maxsize=32)
def _figures_table(original: str, _size: int, _mtime_ns: int) -> list[dict[str, Any]]:
    from poa_xlsx.acciones import check_workbook
    from poa_xlsx.problems import LibroError

    try:
        informe = check_workbook(original).informe
    except LibroError:
        return []
    if informe is None:
        return []
    tablas = []
    for unidad in informe.unidades:
        filas = []
        for item in unidad.metas:
            meta, cifras = item.meta, item.cifras
            filas.append({
                "numero": meta.numero,
                "descripcion": shorten(meta.descripcion),
                "descripcion_completa": " ".join(meta.descripcion.split()),
                "unidad_medida": meta.unidad_medida,
                "meta_anual": format_cantidad(meta.meta_anual),
                "programado": format_cantidad(cifras.programado_acumulado),
                "avance": format_cantidad(cifras.avance_absoluto),
                "relativo": cifras.porcentaje_texto,
                "estatus": ESTATUS.get(cifras.estatus.value, cifras.estatus.value),
                "semaforo": cifras.semaforo.value,
            })
        tablas.append({"hoja": unidad.unidad.sheet, "clave": unidad.unidad.clave, "filas": filas})
    return tablas
