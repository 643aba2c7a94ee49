"""What the person who fills the capture workbook reads: the next steps after a
workbook is written (the INSTRUCCIONES sheet's text is in :mod:`.plantilla`)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from poa_xlsx.formatting import plural
from poa_xlsx.model import QUARTER_NAMES

if TYPE_CHECKING:
    from poa_xlsx.captura.plantilla import Plantilla


def siguientes_pasos(path: str, nuevo: Plantilla, desde: str | None = None) -> list[str]:
    """Lines saying what was written and what to do next, numbered."""
    shown = f'"{path}"' if " " in path else path
    periodo = f"ejercicio {nuevo.ejercicio}, trimestre {nuevo.trimestre} ({QUARTER_NAMES[nuevo.trimestre - 1]})"
    periodo = periodo[0].upper() + periodo[1:]
    copiadas = (f"{plural(nuevo.unidades, 'unidad', 'unidades')} y {plural(nuevo.metas, 'meta')} copiadas de "
                f"{desde} (que no se modificó).")
    if not desde:
        lines = [f"Libro de captura escrito: {path}", f"  {periodo}; {plural(nuevo.unidades, 'hoja', 'hojas')} de unidad."]
        pasos = [
            "Ábralo en Excel o LibreOffice y lea la hoja INSTRUCCIONES.",
            "Escriba en las celdas azules: primero la hoja GENERAL, luego cada hoja de unidad.",
        ]
    elif nuevo.trimestre == 1:
        lines = [f"Libro del ejercicio nuevo escrito: {path}", f"  {periodo}: {copiadas}"]
        pasos = [
            "Revise la clasificación y las firmas de cada hoja de unidad; borre las metas que ya no sigan y agregue las nuevas.",
            "Escriba la META ANUAL y lo programado (P) de cada meta para el ejercicio nuevo "
            "(los del año anterior quedaron como nota en la celda de la META ANUAL).",
        ]
    else:
        quarter = QUARTER_NAMES[nuevo.trimestre - 1]
        lines = [f"Libro del trimestre siguiente escrito: {path}", f"  {periodo}: {copiadas}"]
        pasos = [
            f"Escriba el alcanzado (A) de {quarter} en la columna amarilla de cada hoja de unidad (0 si no hubo avance).",
            "Escriba la justificación en las celdas de OBSERVACIONES que se pongan naranjas "
            "(la observación anterior quedó como nota en la celda, por si sigue valiendo).",
        ]
    pasos.append(f"Revíselo con: poa-render validar {shown}")
    return [*lines, "Siguientes pasos:", *(f"  {n}. {paso}" for n, paso in enumerate(pasos, start=1))]
