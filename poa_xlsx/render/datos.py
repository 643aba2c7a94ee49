"""Open data: one CSV row per goal with every input and computed figure.

UTF-8 with a header row (and a BOM, so Excel opens accents correctly),
comma-separated, decimal point; ready for the transparency portal.
"""
from __future__ import annotations

import csv
import io
import os
from decimal import Decimal
from fractions import Fraction
from typing import Iterable

from poa_xlsx.model import Clasificacion
from poa_xlsx.revision.compute import Informe

COLUMNS = (
    "libro", "hoja", "fila", "ejercicio", "trimestre", "fecha", "base_porcentaje",
    "ramo", "ramo_descripcion", "programa", "programa_descripcion", "proyecto", "proyecto_descripcion",
    "unidad_ejecutora", "unidad_ejecutora_descripcion", "finalidad", "funcion", "subfuncion",
    "lineas_accion", "numero", "descripcion", "unidad_medida", "meta_anual",
    "p1", "a1", "p2", "a2", "p3", "a3", "p4", "a4",
    "programado_acumulado", "avance_absoluto", "acumulado_relativo", "acumulado_relativo_porcentaje",
    "cumplimiento", "estatus", "semaforo", "justificacion",
)


def _num(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _ratio(value: Fraction | None) -> str:
    if value is None:
        return ""
    return _num((Decimal(value.numerator) / Decimal(value.denominator)).quantize(Decimal("0.000001")))


def rows(informe: Informe) -> Iterable[dict[str, str]]:
    g = informe.general
    for u in informe.unidades:
        unidad = u.unidad

        def code(c: Clasificacion | None) -> tuple[str, str]:
            return (c.clave, c.descripcion) if c else ("", "")

        for item in u.metas:
            meta, cifras = item.meta, item.cifras
            row = {
                "libro": os.path.basename(informe.path),  # the file name, never the user's folders
                "hoja": meta.sheet,
                "fila": str(meta.row),
                "ejercicio": str(g.ejercicio),
                "trimestre": str(g.trimestre),
                "fecha": g.fecha.isoformat(),
                "base_porcentaje": g.base.etiqueta,
                "ramo": code(unidad.ramo)[0],
                "ramo_descripcion": code(unidad.ramo)[1],
                "programa": code(unidad.programa)[0],
                "programa_descripcion": code(unidad.programa)[1],
                "proyecto": code(unidad.proyecto)[0],
                "proyecto_descripcion": code(unidad.proyecto)[1],
                "unidad_ejecutora": code(unidad.unidad_ejecutora)[0],
                "unidad_ejecutora_descripcion": code(unidad.unidad_ejecutora)[1],
                "finalidad": code(unidad.finalidad)[0],
                "funcion": code(unidad.funcion)[0],
                "subfuncion": code(unidad.subfuncion)[0],
                "lineas_accion": " ".join(meta.lineas_accion),
                "numero": meta.numero,
                "descripcion": meta.descripcion,
                "unidad_medida": meta.unidad_medida,
                "meta_anual": _num(meta.meta_anual),
                "programado_acumulado": _num(cifras.programado_acumulado),
                "avance_absoluto": _num(cifras.avance_absoluto),
                "acumulado_relativo": _ratio(cifras.acumulado_relativo),
                "acumulado_relativo_porcentaje": cifras.porcentaje_texto,
                "cumplimiento": _ratio(cifras.cumplimiento),
                "estatus": cifras.estatus.value,
                "semaforo": cifras.semaforo.value,
                "justificacion": meta.observaciones,
            }
            for q in range(4):
                row[f"p{q + 1}"] = _num(meta.programado[q])
                row[f"a{q + 1}"] = _num(meta.alcanzado[q]) if q < g.trimestre else ""
            yield row


def render_csv(informes: Iterable[Informe]) -> bytes:
    """The CSV bytes for one or more workbooks."""
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    for informe in informes:
        writer.writerows(rows(informe))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


__all__ = ["COLUMNS", "render_csv", "rows"]
