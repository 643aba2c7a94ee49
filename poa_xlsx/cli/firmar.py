"""``poa-render firmar``: sign a report's PDF with the user's e.firma (SAT)."""
from __future__ import annotations

import sys

import click

from poa_xlsx.cli.comun import COMMAND, DEBUG, handle_errors


def read_password(what: str) -> bytes:
    """The password, once: one line of standard input when it is not a terminal (a pipe,
    a script), else asked without echo.  Never an option, never printed, never kept."""
    try:
        interactive = sys.stdin.isatty()
    except (AttributeError, ValueError):
        interactive = False
    if not interactive:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password[:-1] if password.endswith("\r") else password
    else:
        password = click.prompt(f"Contraseña de {what}", hide_input=True, err=True, default="", show_default=False)
    if not password:
        from poa_xlsx.firma import FirmaError

        raise FirmaError(f"No se recibió la contraseña de {what}; no se firmó nada. Escríbala cuando se le pida.")
    return password.encode("utf-8")


@click.command("firmar", **COMMAND)
@click.argument("reporte", metavar="REPORTE.pdf", type=click.Path(dir_okay=False))
@click.option("--cer", metavar="ARCHIVO.cer", help="Certificado de su e.firma (el .cer que entrega el SAT).")
@click.option("--key", metavar="ARCHIVO.key", help="Clave privada de su e.firma (el .key que entrega el SAT).")
@click.option("--pfx", metavar="ARCHIVO.pfx", help="En lugar de --cer y --key: un archivo .pfx / .p12 con ambos.")
@click.option("-o", "--salida", metavar="FIRMADO.pdf", help="Dónde escribir el PDF firmado (predeterminado: REPORTE_firmado.pdf).")
@click.option(
    "--como", type=click.Choice(["elaboro", "reviso", "autorizo"], case_sensitive=False),
    help="Firma solo el bloque de ese papel (ELABORÓ, REVISÓ o AUTORIZÓ).",
)
@click.option("--unidad", metavar="CLAVE", help="Firma solo los bloques de esa unidad (clave del pie de página, p. ej. 58-58102, o 58102).")
@click.option("--sello-tiempo", metavar="URL", help="Agrega un sello de tiempo RFC 3161 de esa autoridad (PAdES B-T).")
@DEBUG
@handle_errors
def firmar(
    reporte: str, cer: str | None, key: str | None, pfx: str | None, salida: str | None,
    como: str | None, unidad: str | None, sello_tiempo: str | None, debug: bool,
) -> None:
    """Firma el reporte PDF con su e.firma, en cada bloque que lleva su nombre.

    Pide la contraseña de la clave una vez (sin mostrarla; de la entrada estándar
    si no es una terminal). Escribe una copia firmada y deja el original como estaba.
    Código de salida 0 si firmó, 1 si no (el mensaje dice por qué), 2 si el comando
    se escribió mal.
    """
    if pfx and (cer or key):
        raise click.UsageError("Use --pfx o bien --cer y --key, no ambos.")
    if not pfx and not (cer and key):
        raise click.UsageError("Indique su e.firma: --cer ARCHIVO.cer --key ARCHIVO.key (o --pfx ARCHIVO.pfx).")
    from poa_xlsx.acciones import firmar_reporte

    password = read_password("la clave privada" if not pfx else "el archivo .pfx")
    try:
        hecho = firmar_reporte(
            reporte, password=password, cer=cer, key=key, pfx=pfx, salida=salida,
            como=como, unidad=unidad, sello_tiempo=sello_tiempo,
        )
    finally:
        del password
    click.echo(hecho.salida)
    for campo in hecho.campos:
        click.echo(f"  {campo.rol} de {campo.clave}: firmado por {hecho.titular.describe()}")
    sys.exit(0)
