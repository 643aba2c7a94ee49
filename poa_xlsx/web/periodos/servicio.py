"""Periods, extensions and the ramos catalogue, callable without a browser (pages and commands)."""
from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from poa_xlsx.problems import PoaError

from ..entregas.analisis import normalize_ramo
from .models import Periodo, Prorroga, Ramo


class PeriodoError(PoaError):
    """A Spanish message saying what to fix."""


def open_period(ejercicio: int, trimestre: int, cierre: dt.date, *, usuario: Any = None) -> Periodo:
    if not 1 <= trimestre <= 4:
        raise PeriodoError(f"El trimestre debe ser 1, 2, 3 o 4 (se recibió {trimestre}).")
    if not 2000 <= ejercicio <= 2100:
        raise PeriodoError(f"El ejercicio {ejercicio} no parece un año; use por ejemplo 2024.")
    try:
        with transaction.atomic():
            return Periodo.objects.create(ejercicio=ejercicio, trimestre=trimestre, cierre=cierre, creado_por=usuario)
    except IntegrityError as exc:
        raise PeriodoError(f"Ya existe el periodo {ejercicio} trimestre {trimestre}. Para dar más tiempo a un ramo use una prórroga.") from exc


def current_period(today: dt.date | None = None) -> Periodo | None:
    """The open period with the nearest deadline that has not passed (else the latest open one)."""
    today = today or timezone.localdate()
    abiertos = Periodo.objects.filter(abierto=True)
    return abiertos.filter(cierre__gte=today).order_by("cierre").first() or abiertos.order_by("-ejercicio", "-trimestre").first()


def find_period(ejercicio: int | None, trimestre: int | None) -> Periodo | None:
    if ejercicio is None or trimestre is None:
        return None
    return Periodo.objects.filter(ejercicio=ejercicio, trimestre=trimestre).first()


def grant_extension(periodo: Periodo, ramo: str, hasta: dt.date, motivo: str, *, usuario: Any = None) -> Prorroga:
    """A new deadline for one ramo, with its reason; both recorded."""
    if not motivo.strip():
        raise PeriodoError("Indique el motivo de la prórroga.")
    if hasta <= periodo.cierre:
        raise PeriodoError(f"La prórroga debe ser posterior al cierre del periodo ({periodo.cierre:%d/%m/%Y}).")
    return Prorroga.objects.create(periodo=periodo, ramo=normalize_ramo(ramo), hasta=hasta, motivo=motivo.strip(), otorgada_por=usuario)


@dataclass(frozen=True)
class Carga:
    creados: int
    actualizados: int


def load_ramos_csv(text: str) -> Carga:
    """The catalogue from a CSV with columns clave, nombre, correo (header row; comma or semicolon)."""
    sample = text[:2048]
    dialect = csv.Sniffer().sniff(sample, delimiters=",;") if sample.strip() else csv.excel
    rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    if not rows:
        raise PeriodoError("El archivo no tiene filas. Debe tener encabezado: clave,nombre,correo.")
    fields = {(k or "").strip().lower() for k in rows[0]}
    if not {"clave", "nombre"} <= fields:
        raise PeriodoError(f"Faltan columnas: el encabezado debe ser clave,nombre,correo (se encontró: {', '.join(sorted(fields))}).")
    creados = actualizados = 0
    with transaction.atomic():
        for n, row in enumerate(rows, start=2):
            data = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items()}
            clave = normalize_ramo(data.get("clave"))
            if not clave:
                raise PeriodoError(f"Fila {n}: falta la clave del ramo.")
            _, created = Ramo.objects.update_or_create(
                clave=clave, defaults={"nombre": data.get("nombre") or f"Ramo {clave}", "correo": data.get("correo", ""), "activo": True}
            )
            creados += created
            actualizados += not created
    return Carga(creados, actualizados)
