"""The portal's mail server settings: ``correo.ini`` in the portal's folder, or the environment.

``poa-render enviar`` takes its server from options or the ``POA_SMTP_*``
variables; the portal, a service that runs unattended, also reads them from a
file in its folder (issue #15), next to its database and ``secreto.txt``::

    [smtp]
    servidor = smtp.mexicali.gob.mx
    puerto = 587
    usuario = portal@mexicali.gob.mx
    contrasena = ...
    remitente = Portal POA <portal@mexicali.gob.mx>
    correo_tesoreria = tesoreria@mexicali.gob.mx

An environment variable, when set, wins over the file's line (so a password can
stay out of the file). A misspelt key or a bad value is an error that names the
file, the line's key and what is valid: a notice that silently never leaves is
worse than a portal that does not start.
"""
from __future__ import annotations

import configparser
import os
import stat
from dataclasses import dataclass
from typing import Any

from poa_xlsx.problems import PoaError

ARCHIVO = "correo.ini"

# key in the file -> environment variable that overrides it
CLAVES = {
    "servidor": "POA_SMTP_HOST",
    "puerto": "POA_SMTP_PORT",
    "usuario": "POA_SMTP_USUARIO",
    "contrasena": "POA_SMTP_PASSWORD",
    "remitente": "POA_SMTP_REMITENTE",
    "ca_certificado": "POA_SMTP_CA",
    "sin_tls": "POA_SMTP_SIN_TLS",
    "tls_implicito": "POA_SMTP_TLS_IMPLICITO",
    "timeout": "POA_SMTP_TIMEOUT",
    "correo_tesoreria": "POA_CORREO_TESORERIA",
}
SINONIMOS = {"contraseña": "contrasena", "password": "contrasena", "host": "servidor", "port": "puerto"}
_SI = {"1", "si", "sí", "yes", "true", "verdadero"}
_NO = {"0", "no", "false", "falso", ""}


class CorreoConfigError(PoaError):
    """The portal's mail settings cannot be used as written: says where and what to fix."""


@dataclass(frozen=True)
class CorreoPortal:
    """The mail settings the portal uses; ``servidor`` is None when no server is set."""

    servidor: Any  # poa_xlsx.correo.smtp.ServidorSMTP | None
    remitente: Any  # email.headerregistry.Address | None
    tesoreria: tuple[str, ...]
    origen: str  # where they came from, for the start-up line and the docs
    advertencia: str = ""  # e.g. a password in a file others can read


def _carpeta() -> str:
    from django.conf import settings

    return str(settings.POA_CARPETA)


def _read_file(path: str) -> dict[str, str]:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            parser.read_file(handle)
    except (configparser.Error, UnicodeDecodeError) as exc:
        raise CorreoConfigError(
            f"No se pudo leer «{path}»: {exc.__class__.__name__}. Debe ser texto UTF-8 con una sección [smtp] y "
            "líneas «clave = valor» (vea docs/portal.md, «Correos»)."
        ) from None
    except OSError as exc:
        raise CorreoConfigError(f"No se pudo abrir «{path}»: {exc.strerror or exc}.") from None
    if not parser.has_section("smtp"):
        raise CorreoConfigError(f"«{path}» no tiene la sección [smtp]. Escriba [smtp] en la primera línea y debajo "
                                "servidor = ..., puerto = ..., usuario = ... (vea docs/portal.md, «Correos»).")
    values: dict[str, str] = {}
    for key, value in parser.items("smtp"):
        key = SINONIMOS.get(key.strip().lower(), key.strip().lower())
        if key not in CLAVES:
            raise CorreoConfigError(
                f"«{path}», sección [smtp]: no se conoce la clave «{key}». Las claves válidas son: "
                f"{', '.join(CLAVES)}."
            )
        values[key] = value.strip()
    return values


def _flag(value: str, key: str, origen: str) -> bool:
    text = value.strip().lower()
    if text in _SI:
        return True
    if text in _NO:
        return False
    raise CorreoConfigError(f"{origen}: {key} = «{value}» debe ser sí o no.")


def _others_can_read(path: str) -> bool:
    if os.name != "posix":
        return False
    try:
        return bool(os.stat(path).st_mode & (stat.S_IRGRP | stat.S_IROTH))
    except OSError:
        return False


def load(carpeta: str | None = None, environ: dict[str, str] | None = None) -> CorreoPortal:
    """The settings from ``<carpeta>/correo.ini`` and the environment (which wins)."""
    from poa_xlsx.correo.mensaje import MailError, parse_remitente
    from poa_xlsx.correo.smtp import ServidorSMTP, elegir_cifrado, puerto_predeterminado

    environ = dict(os.environ if environ is None else environ)
    path = os.path.join(carpeta or _carpeta(), ARCHIVO)
    values = _read_file(path) if os.path.exists(path) else {}
    from_file = set(values)
    for key, variable in CLAVES.items():
        if environ.get(variable, "").strip():
            values[key] = environ[variable].strip()
            from_file.discard(key)
    origen = f"«{path}»" if from_file else "las variables de entorno"

    def where(key: str) -> str:
        return f"«{path}», clave {key}" if key in from_file else f"la variable {CLAVES[key]}"

    tesoreria = tuple(a.strip() for a in values.get("correo_tesoreria", "").replace(";", ",").split(",") if a.strip())
    advertencia = ""
    if "contrasena" in from_file and _others_can_read(path):
        advertencia = (f"«{path}» tiene la contraseña del correo y otros usuarios de este equipo pueden leerlo; "
                       f"quíteles el permiso: chmod 600 {path}")
    host = values.get("servidor", "")
    if not host:
        return CorreoPortal(None, None, tesoreria, origen, advertencia)
    puerto: int | None = None
    if values.get("puerto"):
        try:
            puerto = int(values["puerto"])
        except ValueError:
            raise CorreoConfigError(f"{where('puerto')}: «{values['puerto']}» no es un número de puerto (587, 465 o 25).") from None
        if not 1 <= puerto <= 65535:
            raise CorreoConfigError(f"{where('puerto')}: {puerto} no es un puerto válido (1 a 65535).")
    timeout = 30.0
    if values.get("timeout"):
        try:
            timeout = float(values["timeout"])
        except ValueError:
            raise CorreoConfigError(f"{where('timeout')}: «{values['timeout']}» no es un número de segundos.") from None
    ca = values.get("ca_certificado") or None
    if ca and not os.path.isfile(ca):
        raise CorreoConfigError(f"{where('ca_certificado')}: no existe el archivo «{ca}».")
    try:
        cifrado = elegir_cifrado(puerto, sin_tls=_flag(values.get("sin_tls", ""), "sin_tls", where("sin_tls")),
                                 tls_implicito=_flag(values.get("tls_implicito", ""), "tls_implicito", where("tls_implicito")))
        usuario = values.get("usuario") or None
        servidor = ServidorSMTP(host=host, puerto=puerto or puerto_predeterminado(cifrado), cifrado=cifrado, usuario=usuario,
                                password=values.get("contrasena") or None, timeout=timeout, ca_certificado=ca)
        remitente_texto = values.get("remitente") or usuario
        remitente = parse_remitente(remitente_texto) if remitente_texto else None
    except MailError as exc:
        raise CorreoConfigError(f"Correo del portal ({origen}): {exc}") from None
    return CorreoPortal(servidor, remitente, tesoreria, origen, advertencia)


__all__ = ["ARCHIVO", "CLAVES", "CorreoConfigError", "CorreoPortal", "load"]
