"""The mail server's options, shared by every command that sends mail, and the
password: from POA_SMTP_PASSWORD or asked without echo, never an option."""
from __future__ import annotations

import functools
import os
import sys
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

import click

if TYPE_CHECKING:
    from email.headerregistry import Address

    from poa_xlsx.correo.smtp import ServidorSMTP


def smtp_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """How to reach the mail server; each may come from an environment variable.

    There is deliberately no password option: a password on the command line
    stays in the shell history and in the process list.
    """
    decorators = [
        click.option("--servidor", envvar="POA_SMTP_HOST", show_envvar=True, metavar="NOMBRE", help="Servidor de correo saliente (SMTP), por ejemplo smtp.mexicali.gob.mx."),
        click.option("--puerto", type=click.IntRange(1, 65535), envvar="POA_SMTP_PORT", show_envvar=True, metavar="PUERTO", help="Puerto del servidor (predeterminado: 587 con STARTTLS; 465 usa TLS implícito)."),
        click.option("--usuario", envvar="POA_SMTP_USUARIO", show_envvar=True, metavar="USUARIO", help="Usuario para iniciar sesión. La contraseña se toma de la variable POA_SMTP_PASSWORD o se pregunta."),
        click.option("--remitente", envvar="POA_SMTP_REMITENTE", show_envvar=True, metavar="CORREO", help="Dirección que envía (predeterminada: el usuario, si es una dirección)."),
        click.option("--tls-implicito", is_flag=True, help="Cifrado TLS desde el inicio (SMTPS) aunque el puerto no sea 465."),
        click.option("--sin-tls", is_flag=True, help="Sin cifrado: solo para un servidor local de confianza (relay)."),
        click.option("--ca-certificado", type=click.Path(exists=True, dir_okay=False), envvar="POA_SMTP_CA", show_envvar=True, metavar="ARCHIVO", help="Certificado (PEM) de la autoridad de su oficina, si el servidor usa uno propio."),
        click.option("--timeout", type=click.FloatRange(1, 600), default=30, show_default=True, metavar="SEGUNDOS", help="Tiempo máximo de espera del servidor."),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if kwargs.get("sin_tls") and kwargs.get("tls_implicito"):
            raise click.UsageError("Use --sin-tls o --tls-implicito, no los dos.")
        return func(*args, **kwargs)

    for decorator in reversed(decorators):
        wrapper = decorator(wrapper)
    return wrapper


# Where this command line takes each setting a library MailError asks to change (its
# ``ajustes``): the library's words name no option, the command adds them.
OPCIONES = {
    "host": ("el servidor de correo", "--servidor o POA_SMTP_HOST"),
    "puerto": ("el puerto", "--puerto o POA_SMTP_PORT"),
    "cifrado": ("el cifrado", "--tls-implicito, o --sin-tls solo para un servidor local"),
    "usuario": ("el usuario", "--usuario o POA_SMTP_USUARIO"),
    "password": ("la contraseña", "la variable POA_SMTP_PASSWORD"),
    "timeout": ("el tiempo de espera", "--timeout SEGUNDOS"),
    "ca_certificado": ("el certificado de la autoridad", "--ca-certificado ARCHIVO o la variable POA_SMTP_CA"),
    "remitente": ("el remitente", "--remitente o POA_SMTP_REMITENTE"),
    "destinatarios": ("los destinatarios", "--para y --cc"),
    "adjuntos": ("los adjuntos", "--adjuntar-xlsx y --por-unidad"),
}


@contextmanager
def option_hints() -> Iterator[None]:
    """A MailError raised inside comes out with, after the library's words, the options
    that set what it asks to change: ``... Opciones: --timeout SEGUNDOS (el tiempo de espera).``"""
    from poa_xlsx.correo.mensaje import MailError

    try:
        yield
    except MailError as exc:
        where = [f"{OPCIONES[key][1]} ({OPCIONES[key][0]})" for key in exc.ajustes if key in OPCIONES]
        if not where:
            raise
        raise MailError(f"{exc} Opciones: {'; '.join(where)}.", ajustes=exc.ajustes) from exc


def _stdin_is_interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def password(usuario: str) -> str:
    """POA_SMTP_PASSWORD, or asked without echo; never an option, never printed."""
    from poa_xlsx.correo.mensaje import MailError

    secret = os.environ.get("POA_SMTP_PASSWORD")
    if secret:
        return secret
    if not _stdin_is_interactive():
        raise MailError(
            f"Falta la contraseña del usuario «{usuario}»: defínala en la variable de entorno POA_SMTP_PASSWORD "
            "o ejecute el comando en una terminal para escribirla (véase docs/correo.md)."
        )
    secret = click.prompt(f"Contraseña de correo de {usuario}", hide_input=True, err=True, default="", show_default=False)
    if not secret:
        raise MailError("No se escribió la contraseña; no se envió nada.")
    return secret


def servidor_smtp(servidor: str | None, puerto: int | None, usuario: str | None, sin_tls: bool, tls_implicito: bool,
                  timeout: float, ca_certificado: str | None, *, con_password: bool) -> ServidorSMTP:
    from poa_xlsx.correo.mensaje import MailError
    from poa_xlsx.correo.smtp import ServidorSMTP, elegir_cifrado, puerto_predeterminado

    if not servidor:
        raise MailError(
            "Falta el servidor de correo: indíquelo con --servidor o la variable POA_SMTP_HOST (pídalo a su área "
            "de sistemas), o genere un borrador con --borrador ARCHIVO.eml para enviarlo desde su programa de correo."
        )
    cifrado = elegir_cifrado(puerto, sin_tls=sin_tls, tls_implicito=tls_implicito)
    usuario = usuario or None
    return ServidorSMTP(
        host=servidor.strip(),
        puerto=puerto or puerto_predeterminado(cifrado),
        cifrado=cifrado,
        usuario=usuario,
        password=password(usuario) if usuario and con_password else None,
        timeout=timeout,
        ca_certificado=ca_certificado,
    )


def remitente_de(remitente: str | None, usuario: str | None, required: bool) -> Address | None:
    from poa_xlsx.correo.mensaje import MailError, parse_remitente
    from poa_xlsx.values import is_email

    if remitente:
        return parse_remitente(remitente)
    if usuario and is_email(usuario.strip()):
        return parse_remitente(usuario)
    if required:
        raise MailError("Falta el remitente: indique la dirección que envía con --remitente o la variable POA_SMTP_REMITENTE.")
    return None
