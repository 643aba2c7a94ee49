"""Preparing the portal's folder and database, and serving it with waitress.

Used by ``poa-render servir`` and ``poa-render usuarios``; importing this
module does not import Django (the commands stay quick to start).
"""
from __future__ import annotations

import logging
import os
import secrets
import sys
from dataclasses import dataclass
from typing import Any, Callable

from poa_xlsx.problems import PoaError

CARPETA_PREDETERMINADA = "poa-portal"


class PortalError(PoaError):
    """The portal cannot start: a folder that cannot be created, a database that does not answer..."""


@dataclass(frozen=True)
class Preparado:
    carpeta: str
    base_de_datos: str  # "SQLite en ..." or "PostgreSQL en ..."
    cuentas: int


def default_folder() -> str:
    return os.environ.get("POA_CARPETA") or CARPETA_PREDETERMINADA


def prepare(carpeta: str | None = None) -> Preparado:
    """Create the folder (and its secret key) if needed, set Django up, apply migrations.

    Safe to call on every start: migrations already applied are skipped.
    """
    carpeta = os.path.abspath(carpeta or default_folder())
    try:
        os.makedirs(carpeta, exist_ok=True)
        os.makedirs(os.path.join(carpeta, "archivos"), exist_ok=True)
        secret = os.path.join(carpeta, "secreto.txt")
        if not os.path.exists(secret) and not os.environ.get("POA_SECRET_KEY"):
            fd = os.open(secret, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(50) + "\n")
    except FileExistsError:
        pass  # another process created the key at the same moment
    except OSError as exc:
        raise PortalError(f"No se pudo preparar la carpeta del portal «{carpeta}»: {exc.strerror or exc}. Elija otra con --carpeta.") from exc
    previous = os.environ.get("POA_CARPETA")
    if previous and os.path.abspath(previous) != carpeta and "django.conf" in sys.modules:
        raise PortalError("El portal ya se preparó con otra carpeta en este proceso.")
    os.environ["POA_CARPETA"] = carpeta
    os.environ.setdefault("POA_TRABAJADORES", str(os.cpu_count() or 1))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "poa_xlsx.web.settings")
    try:
        import django
    except ImportError as exc:
        raise PortalError("Falta instalar el portal: ejecute  pip install 'poa-xlsx[web]'  (o  pip install '.[web]'  desde el código).") from exc
    from django.core.exceptions import ImproperlyConfigured

    try:
        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.db import DatabaseError

        try:
            call_command("migrate", interactive=False, verbosity=0)
            from django.contrib.auth.models import User

            cuentas = User.objects.count()
        except DatabaseError as exc:
            raise PortalError(f"No se pudo usar la base de datos ({_describe(settings.DATABASES['default'])}): {str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__}. Revise POA_BASE_DE_DATOS, que el servidor esté encendido y que la base exista.") from exc
    except ImproperlyConfigured as exc:
        raise PortalError(str(exc)) from exc
    _log_to_file(carpeta)
    return Preparado(carpeta=carpeta, base_de_datos=_describe(settings.DATABASES["default"]), cuentas=cuentas)


def _describe(db: dict[str, Any]) -> str:
    if "sqlite" in db["ENGINE"]:
        return f"SQLite en {db['NAME']}"
    return f"PostgreSQL, base «{db['NAME']}» en {db.get('HOST') or 'localhost'}:{db.get('PORT') or 5432}"


def _log_to_file(carpeta: str) -> None:
    """The portal's log (sign-ins, uploads, downloads) also goes to CARPETA/portal.log."""
    logger = logging.getLogger("poa.portal")
    path = os.path.join(carpeta, "portal.log")
    if any(isinstance(h, logging.FileHandler) and h.baseFilename == path for h in logger.handlers):
        return
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def serve(anfitrion: str, puerto: int, *, hilos: int = 8, ready: Callable[[str], None] | None = None) -> None:
    """Serve the portal with waitress until interrupted; ``ready(url)`` once it listens."""
    from django.conf import settings
    from waitress.server import create_server

    from .wsgi import application

    if not os.environ.get("POA_ANFITRIONES"):
        # answer to the address it was started on (and to any, when listening on all interfaces)
        hosts = list(settings.ALLOWED_HOSTS)
        if anfitrion in ("0.0.0.0", "::", ""):
            hosts = ["*"]
        elif anfitrion not in hosts:
            hosts.append(anfitrion)
        settings.ALLOWED_HOSTS = hosts
    options: dict[str, Any] = {}
    proxy = os.environ.get("POA_PROXY", "").strip()
    if proxy:  # the reverse proxy's address: its X-Forwarded-* headers are believed
        options.update(trusted_proxy=proxy, trusted_proxy_headers={"x-forwarded-for", "x-forwarded-proto", "x-forwarded-host"})
    try:
        server = create_server(
            application,
            host=anfitrion,
            port=puerto,
            threads=hilos,
            max_request_body_size=settings.POA_MAX_SUBIDA + 1024 * 1024,
            channel_timeout=300,
            ident="poa-portal",
            **options,
        )
    except OSError as exc:
        raise PortalError(f"No se pudo escuchar en {anfitrion}:{puerto}: {exc.strerror or exc}. ¿Hay otro programa en ese puerto? Use otro con --puerto.") from exc
    host = getattr(server, "effective_host", anfitrion)
    port = getattr(server, "effective_port", puerto)
    shown = "127.0.0.1" if host in ("0.0.0.0", "") else host
    if ":" in str(shown):
        shown = f"[{shown}]"
    import signal

    def stop(signum: int, frame: Any) -> None:
        raise KeyboardInterrupt  # SIGTERM (service manager, kill) stops like Ctrl+C: cleanly

    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, stop)
    if ready:
        ready(f"http://{shown}:{port}/")
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        from .entregas.servicio import shutdown_pool

        shutdown_pool()
