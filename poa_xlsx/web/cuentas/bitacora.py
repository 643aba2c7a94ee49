"""Writing the log: the database (Evento) and the ``poa.portal`` logger, with who and when."""
from __future__ import annotations

import logging
from typing import Any

from django.http import HttpRequest

from .models import Evento

log = logging.getLogger("poa.portal")


def client_address(request: HttpRequest) -> str | None:
    """The client's address as the server saw it (behind a proxy: the proxy's, unless
    waitress was told to trust X-Forwarded-For, which then sets REMOTE_ADDR)."""
    addr = request.META.get("REMOTE_ADDR") or None
    return addr


def record(tipo: str, request: HttpRequest | None = None, *, usuario: Any = None, nombre: str = "", detalle: str = "") -> Evento:
    if usuario is None and request is not None and request.user.is_authenticated:
        usuario = request.user
    if usuario is not None and not nombre:
        nombre = usuario.get_username()
    direccion = client_address(request) if request is not None else None
    evento = Evento.objects.create(tipo=tipo, usuario=usuario, nombre_usuario=nombre[:150], direccion=direccion, detalle=detalle)
    log.info("%s usuario=%s direccion=%s %s", tipo, nombre or "-", direccion or "-", detalle)
    return evento
