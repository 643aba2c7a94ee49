"""Periods, extensions and the ramos catalogue, callable without a browser (pages and commands).

Every change is written to the portal's log (``Evento``) here, whichever door it
came through: a page passes its request (who, from where); a command passes
nothing and is logged as ``terminal (<system user>)``.
"""
from __future__ import annotations

import csv
import datetime as dt
import getpass
import io
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone

from poa_xlsx.problems import PoaError

from ..cuentas.bitacora import record
from ..cuentas.models import Evento
from ..entregas.analisis import normalize_ramo
from .models import Periodo, Prorroga, Ramo


class PeriodoError(PoaError):
    """A Spanish message saying what to fix."""


def _terminal() -> str:
    try:
        return f"terminal ({getpass.getuser()})"
    except (OSError, KeyError, ImportError):  # no user name in this environment
        return "terminal"


def _log(detalle: str, usuario: Any, request: HttpRequest | None) -> None:
    if usuario is None and request is None:
        record(Evento.Tipo.CUENTA, nombre=_terminal(), detalle=detalle)
    else:
        record(Evento.Tipo.CUENTA, request, usuario=usuario, detalle=detalle)


def open_period(ejercicio: int, trimestre: int, cierre: dt.date, *, usuario: Any = None,
                request: HttpRequest | None = None) -> Periodo:
    if not 1 <= trimestre <= 4:
        raise PeriodoError(f"El trimestre debe ser 1, 2, 3 o 4 (se recibió {trimestre}).")
    if not 2000 <= ejercicio <= 2100:
        raise PeriodoError(f"El ejercicio {ejercicio} no parece un año; use por ejemplo 2024.")
    try:
        with transaction.atomic():
            periodo = Periodo.objects.create(ejercicio=ejercicio, trimestre=trimestre, cierre=cierre, creado_por=usuario)
    except IntegrityError as exc:
        raise PeriodoError(f"Ya existe el periodo {ejercicio} trimestre {trimestre}. Para dar más tiempo a un ramo use una prórroga.") from exc
    _log(f"periodo {periodo} abierto, cierre {periodo.cierre:%d/%m/%Y}", usuario, request)
    return periodo


def close_period(periodo: Periodo, *, usuario: Any = None, request: HttpRequest | None = None) -> Periodo:
    """Tesorería closes the period: no ramo uploads or sends into it any more, extensions
    included, until it is reopened. Submissions and their states stay as they are."""
    with transaction.atomic():
        periodo = Periodo.objects.select_for_update().get(pk=periodo.pk)
        if not periodo.abierto:
            raise PeriodoError(f"El periodo {periodo} ya está cerrado.")
        periodo.abierto = False
        periodo.cerrado_el = timezone.now()
        periodo.cerrado_por = usuario
        periodo.save(update_fields=["abierto", "cerrado_el", "cerrado_por"])
    _log(f"periodo {periodo} cerrado", usuario, request)
    return periodo


def reopen_period(periodo: Periodo, motivo: str, *, usuario: Any = None, request: HttpRequest | None = None) -> Periodo:
    """A closed period accepts uploads again (until its deadline or a ramo's extension);
    the reason is required and recorded."""
    if not motivo.strip():
        raise PeriodoError("Indique el motivo para reabrir el periodo (queda registrado).")
    with transaction.atomic():
        periodo = Periodo.objects.select_for_update().get(pk=periodo.pk)
        if periodo.abierto:
            raise PeriodoError(f"El periodo {periodo} ya está abierto.")
        periodo.abierto = True
        periodo.save(update_fields=["abierto"])
    _log(f"periodo {periodo} reabierto: {motivo.strip()}", usuario, request)
    return periodo


def current_period(today: dt.date | None = None) -> Periodo | None:
    """The open period with the nearest deadline that has not passed (else the latest open one)."""
    today = today or timezone.localdate()
    abiertos = Periodo.objects.filter(abierto=True)
    return abiertos.filter(cierre__gte=today).order_by("cierre").first() or abiertos.order_by("-ejercicio", "-trimestre").first()


def find_period(ejercicio: int | None, trimestre: int | None) -> Periodo | None:
    if ejercicio is None or trimestre is None:
        return None
    return Periodo.objects.filter(ejercicio=ejercicio, trimestre=trimestre).first()


def grant_extension(periodo: Periodo, ramo: str, hasta: dt.date, motivo: str, *, usuario: Any = None,
                    request: HttpRequest | None = None) -> Prorroga:
    """A new deadline for one ramo, with its reason; both recorded."""
    if not motivo.strip():
        raise PeriodoError("Indique el motivo de la prórroga.")
    if hasta <= periodo.cierre:
        raise PeriodoError(f"La prórroga debe ser posterior al cierre del periodo ({periodo.cierre:%d/%m/%Y}).")
    pr = Prorroga.objects.create(periodo=periodo, ramo=normalize_ramo(ramo), hasta=hasta, motivo=motivo.strip(), otorgada_por=usuario)
    _log(f"prórroga periodo {periodo}, ramo {pr.ramo} hasta {pr.hasta:%d/%m/%Y}: {pr.motivo}", usuario, request)
    return pr


def closed_note(periodo: Periodo) -> str:
    """What to add after granting an extension in a closed period."""
    return "" if periodo.abierto else f" El periodo {periodo} está cerrado: la prórroga vale cuando se reabra."


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
