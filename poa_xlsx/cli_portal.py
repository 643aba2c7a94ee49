"""Portal commands: ``servir`` and ``usuarios`` (the web portal, docs/portal.md).

Django is imported only inside the commands, so ``poa-render --help`` stays instant.
"""
from __future__ import annotations

import sys
from typing import Any, Callable

import click

CARPETA_HELP = "Carpeta del portal: base de datos SQLite, archivos subidos y reportes (predeterminada: ./poa-portal, o POA_CARPETA)."


def carpeta_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--carpeta``, shared by every portal command."""
    return click.option("--carpeta", type=click.Path(file_okay=False), default=None, help=CARPETA_HELP)(func)


def _prepare(carpeta: str | None) -> Any:
    from .web.servidor import prepare

    return prepare(carpeta)


@click.command("servir", context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPCIONES]")
@carpeta_option
@click.option("--anfitrion", default="127.0.0.1", show_default=True, help="Dirección en que escucha; 0.0.0.0 para toda la red (mejor detrás de un proxy HTTPS, vea docs/portal.md).")
@click.option("--puerto", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Puerto (0: uno libre cualquiera).")
@click.option("--hilos", type=click.IntRange(1, 64), default=8, show_default=True, help="Solicitudes atendidas a la vez.")
@click.option("--debug", is_flag=True, help="Muestra el detalle técnico (traceback) si algo falla.")
def servir(carpeta: str | None, anfitrion: str, puerto: int, hilos: int, debug: bool) -> None:
    """Inicia el portal web: cada ramo sube su libro, ve qué corregir y descarga su reporte.

    La primera vez crea la carpeta del portal y su base de datos. Para detenerlo: Ctrl+C.
    """
    from .cli import handle_errors

    @handle_errors
    def run(debug: bool = False) -> None:
        from .web.servidor import serve

        listo = _prepare(carpeta)
        click.echo(f"Carpeta del portal: {listo.carpeta}")
        click.echo(f"Base de datos: {listo.base_de_datos}")

        def ready(url: str) -> None:
            click.echo(f"Portal POA en {url}  (Ctrl+C para detenerlo)")
            if listo.cuentas == 0:
                opcion = f" --carpeta {click.format_filename(listo.carpeta)}" if carpeta else ""
                click.echo(
                    "Todavía no hay cuentas. Cree la primera, de administrador, en otra terminal:\n"
                    f"  poa-render usuarios crear admin --rol administrador{opcion}\n"
                    "y las de cada ramo con --ramo CLAVE (por ejemplo: poa-render usuarios crear ana --ramo 58)."
                )
            sys.stdout.flush()

        serve(anfitrion, puerto, hilos=hilos, ready=ready)
        click.echo("Portal detenido.")

    run(debug=debug)


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
@click.option("--debug", is_flag=True, help="Muestra el detalle técnico (traceback) si algo falla.")
def crear(usuario: str, ramo: str | None, rol: str, correo: str, carpeta: str | None, debug: bool) -> None:
    """Crea una cuenta. La contraseña se pide dos veces (o se lee de la entrada estándar, una línea)."""
    from .cli import handle_errors

    @handle_errors
    def run(debug: bool = False) -> None:
        listo = _prepare(carpeta)
        from .web.cuentas.cuentas import CuentaError, create_user

        password = _read_password(usuario)
        try:
            user = create_user(usuario, password, rol=rol, ramo=ramo, correo=correo)
        except CuentaError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        perfil = user.perfil
        click.echo(f"Cuenta creada: {user.username} ({perfil.get_rol_display()}{', ramo ' + perfil.ramo if perfil.ramo else ''}) en {listo.carpeta}.")

    run(debug=debug)


@usuarios.command("lista", options_metavar="[OPCIONES]")
@carpeta_option
@click.option("--debug", is_flag=True, help="Muestra el detalle técnico (traceback) si algo falla.")
def lista(carpeta: str | None, debug: bool) -> None:
    """Lista las cuentas con su rol, ramo, correo y último acceso."""
    from .cli import handle_errors

    @handle_errors
    def run(debug: bool = False) -> None:
        _prepare(carpeta)
        from .web.cuentas.cuentas import list_users

        cuentas = list_users()
        if not cuentas:
            click.echo("No hay cuentas. Cree la primera con: poa-render usuarios crear admin --rol administrador")
            return
        click.echo(f"{'usuario':<20} {'rol':<14} {'ramo':<6} {'activa':<7} {'último acceso':<17} correo")
        for c in cuentas:
            click.echo(f"{c.usuario:<20} {c.rol:<14} {c.ramo:<6} {'sí' if c.activo else 'no':<7} {c.ultimo_acceso:<17} {c.correo}")

    run(debug=debug)


@usuarios.command("desactivar", options_metavar="[OPCIONES]")
@click.argument("usuario")
@carpeta_option
@click.option("--debug", is_flag=True, help="Muestra el detalle técnico (traceback) si algo falla.")
def desactivar(usuario: str, carpeta: str | None, debug: bool) -> None:
    """Desactiva una cuenta: ya no puede entrar; lo que subió se conserva."""
    from .cli import handle_errors

    @handle_errors
    def run(debug: bool = False) -> None:
        _prepare(carpeta)
        from .web.cuentas.cuentas import CuentaError, deactivate_user

        try:
            user = deactivate_user(usuario)
        except CuentaError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        click.echo(f"Cuenta desactivada: {user.username}. Sus libros subidos se conservan.")

    run(debug=debug)
