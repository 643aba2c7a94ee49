"""``poa-render servir``: the web portal (docs/portal.md), and the ``--carpeta`` every portal command takes.

Django is imported only inside the commands, so ``poa-render --help`` stays instant.
"""
from __future__ import annotations

import sys
from typing import Any, Callable

import click

from poa_xlsx.cli.comun import DEBUG, handle_errors

CARPETA_HELP = "Carpeta del portal: base de datos SQLite, archivos subidos y reportes (predeterminada: ./poa-portal, o POA_CARPETA)."


def carpeta_option(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--carpeta``, shared by every portal command."""
    return click.option("--carpeta", type=click.Path(file_okay=False), default=None, help=CARPETA_HELP)(func)


def _prepare(carpeta: str | None) -> Any:
    from poa_xlsx.web.servidor import prepare

    return prepare(carpeta)


@click.command("servir", context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPCIONES]")
@carpeta_option
@click.option("--anfitrion", default="127.0.0.1", show_default=True, help="Dirección en que escucha; 0.0.0.0 para toda la red (mejor detrás de un proxy HTTPS, vea docs/portal.md).")
@click.option("--puerto", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Puerto (0: uno libre cualquiera).")
@click.option("--hilos", type=click.IntRange(1, 64), default=8, show_default=True, help="Solicitudes atendidas a la vez.")
@DEBUG
@handle_errors
def servir(carpeta: str | None, anfitrion: str, puerto: int, hilos: int, debug: bool) -> None:
    """Inicia el portal web: cada ramo sube su libro, ve qué corregir y descarga su reporte.

    La primera vez crea la carpeta del portal y su base de datos. Para detenerlo: Ctrl+C.
    """
    from poa_xlsx.web.servidor import serve

    listo = _prepare(carpeta)
    click.echo(f"Carpeta del portal: {listo.carpeta}")
    click.echo(f"Base de datos: {listo.base_de_datos}")
    from poa_xlsx.web.entregas import correo_config

    correo = correo_config.load()  # a mistyped correo.ini stops here, not at the first notice
    if correo.servidor is not None:
        click.echo(f"Correo: {correo.servidor.host}:{correo.servidor.puerto} (de {correo.origen})")
    else:
        click.echo(f"Correo: sin servidor; los avisos esperan en la página del periodo (vea «{correo_config.ARCHIVO}» "
                   "en docs/portal.md)")
    if correo.advertencia:
        click.echo(f"Aviso: {correo.advertencia}", err=True)

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
