"""Failed sign-ins are limited per account and per address, counted in the log (Evento).

The log is the database, so the limit holds across restarts and across the
threads of the server, on SQLite and PostgreSQL alike.
"""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from .models import Evento


def _since() -> dt.datetime:
    return timezone.now() - dt.timedelta(seconds=settings.POA_VENTANA_INTENTOS)


def blocked(nombre: str, direccion: str | None) -> bool:
    """True if ``nombre`` or ``direccion`` had too many failed sign-ins in the window."""
    recent = Evento.objects.filter(tipo=Evento.Tipo.ACCESO_FALLIDO, cuando__gte=_since())
    if nombre and recent.filter(nombre_usuario__iexact=nombre).count() >= settings.POA_INTENTOS_CUENTA:
        return True
    return bool(direccion) and recent.filter(direccion=direccion).count() >= settings.POA_INTENTOS_DIRECCION


def minutes_to_wait() -> int:
    return max(1, settings.POA_VENTANA_INTENTOS // 60)
