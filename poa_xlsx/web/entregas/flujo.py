"""A ramo's submission for a period: send, return, approve, reopen; every move recorded.

States: *enviado* -> *aprobado* (Tesorería approves) or *devuelto* (Tesorería returns,
with a comment); *devuelto* -> *enviado* (the ramo sends a corrected version);
*aprobado* -> *devuelto* only by reopening, with a reason. Each move is a
Transicion (who, when, from, to, comment). Callable without a browser.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from .. import autorizacion
from ..cuentas.models import Rol
from . import servicio
from .models import Envio, Transicion, Version

E = Envio.Estado


class TransicionError(Exception):
    """The move is not allowed; the Spanish message says why and what to do."""


def _reviewer(usuario: Any) -> None:
    if autorizacion.role_of(usuario) not in (Rol.TESORERIA, Rol.ADMINISTRADOR):
        raise TransicionError("Solo Tesorería o un administrador revisa los envíos.")


def _move(envio: Envio, a: str, usuario: Any, comentario: str = "", version: Version | None = None) -> Envio:
    de = envio.estado if envio.pk else ""
    envio.estado = a
    if version is not None:
        envio.version = version
    envio.save()
    Transicion.objects.create(envio=envio, version=envio.version, de=de, a=a, usuario=usuario, comentario=comentario)
    return envio


def send_version(version: Version, usuario: Any, *, today: dt.date | None = None) -> Envio:
    """The ramo's capturista sends a version without errors as the ramo's submission for its period."""
    if not autorizacion.can_upload(usuario, version.ramo):
        raise TransicionError("Solo los capturistas del ramo envían su libro a Tesorería.")
    if not version.ok:
        raise TransicionError("Esta versión tiene errores; corríjalos, suba el libro de nuevo y envíe esa versión.")
    periodo = version.periodo
    if periodo is None:
        raise TransicionError(
            f"No hay un periodo abierto para el ejercicio {version.ejercicio}, trimestre {version.trimestre}. "
            "Revise el EJERCICIO y el TRIMESTRE de la hoja GENERAL, o pida a Tesorería que abra el periodo."
        )
    refusal = periodo.refusal(version.ramo, today or servicio.today())
    if refusal is not None:
        raise TransicionError(refusal)
    with transaction.atomic():
        envio = Envio.objects.select_for_update().filter(periodo=periodo, ramo=version.ramo).first()
        if envio is None:
            return _move(Envio(periodo=periodo, ramo=version.ramo, version=version), E.ENVIADO, usuario)
        if envio.estado == E.APROBADO:
            raise TransicionError("El envío de su ramo ya fue aprobado. Si hay que corregirlo, pida a Tesorería que lo reabra.")
        return _move(envio, E.ENVIADO, usuario, version=version)


def return_envio(envio: Envio, usuario: Any, comentario: str) -> Envio:
    """Tesorería sends the submission back to the ramo, saying what to correct."""
    _reviewer(usuario)
    if not comentario.strip():
        raise TransicionError("Para devolver un envío escriba qué debe corregir el ramo.")
    with transaction.atomic():
        envio = Envio.objects.select_for_update().get(pk=envio.pk)
        if envio.estado != E.ENVIADO:
            raise TransicionError(f"Solo se devuelve un envío «enviado»; este está «{envio.get_estado_display().lower()}».")
        return _move(envio, E.DEVUELTO, usuario, comentario.strip())


def approve_envio(envio: Envio, usuario: Any, comentario: str = "") -> Envio:
    """Tesorería approves: the submission is frozen (only a reopening, with a reason, changes it)."""
    _reviewer(usuario)
    with transaction.atomic():
        envio = Envio.objects.select_for_update().get(pk=envio.pk)
        if envio.estado != E.ENVIADO:
            raise TransicionError(f"Solo se aprueba un envío «enviado»; este está «{envio.get_estado_display().lower()}».")
        return _move(envio, E.APROBADO, usuario, comentario.strip())


def reopen_envio(envio: Envio, usuario: Any, motivo: str) -> Envio:
    """Tesorería reopens an approved submission; the ramo may then send a corrected version."""
    _reviewer(usuario)
    if not motivo.strip():
        raise TransicionError("Para reabrir un envío aprobado escriba el motivo.")
    with transaction.atomic():
        envio = Envio.objects.select_for_update().get(pk=envio.pk)
        if envio.estado != E.APROBADO:
            raise TransicionError("Solo se reabre un envío aprobado.")
        return _move(envio, E.DEVUELTO, usuario, f"Reabierto: {motivo.strip()}")
