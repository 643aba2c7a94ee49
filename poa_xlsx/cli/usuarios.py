"""``poa-render usuarios``: the portal's accounts from the command line (create, list, deactivate)."""
from __future__ import annotations

import sys

import click

from poa_xlsx.cli.comun import DEBUG, handle_errors
from poa_xlsx.cli.servir import _prepare, carpeta_option


@click.group("usuarios", context_settings={"help_option_names": ["-h", "--help"]})
def usuarios() -> None:
    """Cuentas del portal: crear, listar, desactivar."""


def _read_password(usuario: str) -> str:
    if not sys.stdin.isatty():
        line = sys.stdin.readline()
        password = line.rstrip("\r\n")
        if not password:
            raise click.UsageError("No llegó ninguna contraseña por la entrada estándar (una línea).")
        return password
    return str(click.prompt(f"Contraseña para {usuario}", hide_input=True, confirmation_prompt="Repítala"))


@usuarios.command("crear", options_metavar="[OPCIONES]")
@click.argument("usuario")
@click.option("--ramo", help="Clave del ramo (obligatoria para capturistas), por ejemplo 58.")
@click.option("--rol", type=click.Choice(["capturista", "tesoreria", "administrador"]), default="capturista", show_default=True)
@click.option("--correo", default="", help="Correo electrónico de la persona.")
@carpeta_option
@DEBUG
@handle_errors
def crear(usuario: str, ramo: str | None, rol: str, correo: str, carpeta: str | None, debug: bool) -> None:
    """Crea una cuenta. La contraseña se pide dos veces (o se lee de la entrada estándar, una línea)."""
    listo = _prepare(carpeta)
    from poa_xlsx.web.cuentas.cuentas import create_user

    password = _read_password(usuario)
    user = create_user(usuario, password, rol=rol, ramo=ramo, correo=correo)
    perfil = user.perfil
    click.echo(f"Cuenta creada: {user.username} ({perfil.get_rol_display()}{', ramo ' + perfil.ramo if perfil.ramo else ''}) en {listo.carpeta}.")


@usuarios.command("lista", options_metavar="[OPCIONES]")
@carpeta_option
@DEBUG
@handle_errors
def lista(carpeta: str | None, debug: bool) -> None:
    """Lista las cuentas con su rol, ramo, correo y último acceso."""
    _prepare(carpeta)
    from poa_xlsx.web.cuentas.cuentas import list_users

    cuentas = list_users()
    if not cuentas:
        click.echo("No hay cuentas. Cree la primera con: poa-render usuarios crear admin --rol administrador")
        return
    click.echo(f"{'usuario':<20} {'rol':<14} {'ramo':<6} {'activa':<7} {'último acceso':<17} correo")
    for c in cuentas:
        click.echo(f"{c.usuario:<20} {c.rol:<14} {c.ramo:<6} {'sí' if c.activo else 'no':<7} {c.ultimo_acceso:<17} {c.correo}")


@usuarios.command("desactivar", options_metavar="[OPCIONES]")
@click.argument("usuario")
@carpeta_option
@DEBUG
@handle_errors
def desactivar(usuario: str, carpeta: str | None, debug: bool) -> None:
    """Desactiva una cuenta: ya no puede entrar; lo que subió se conserva."""
    _prepare(carpeta)
    from poa_xlsx.web.cuentas.cuentas import deactivate_user

    user = deactivate_user(usuario)
    click.echo(f"Cuenta desactivada: {user.username}. Sus libros subidos se conservan.")
