"""``poa-render ramos``: the catalogue of ramos expected each period."""
from __future__ import annotations

import click

from poa_xlsx.cli.comun import DEBUG, handle_errors
from poa_xlsx.cli.servir import _prepare, carpeta_option


@click.group("ramos", context_settings={"help_option_names": ["-h", "--help"]})
def ramos() -> None:
    """Catálogo de ramos que se esperan en cada periodo."""


@ramos.command("cargar", options_metavar="[OPCIONES]")
@click.argument("archivo", type=click.Path(exists=True, dir_okay=False))
@carpeta_option
@DEBUG
@handle_errors
def cargar(archivo: str, carpeta: str | None, debug: bool) -> None:
    """Carga o actualiza el catálogo desde ARCHIVO.csv (columnas clave, nombre, correo)."""
    _prepare(carpeta)
    from poa_xlsx.web.periodos.servicio import load_ramos_csv

    try:
        with open(archivo, encoding="utf-8-sig") as handle:
            text = handle.read()
    except UnicodeDecodeError:
        with open(archivo, encoding="cp1252") as handle:  # a CSV saved by Excel on Windows
            text = handle.read()
    carga = load_ramos_csv(text)
    click.echo(f"Catálogo de ramos: {carga.creados} nuevos, {carga.actualizados} actualizados.")
