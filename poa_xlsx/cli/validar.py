"""``poa-render validar``: check workbooks and list their problems by sheet and cell."""
from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

import click

from poa_xlsx.cli.comun import COMMAND, LIBROS, calculo_options, echo_lines, format_problems, handle_errors, summary_line

if TYPE_CHECKING:
    from poa_xlsx.acciones import Calculo


@click.command("validar", **COMMAND)
@LIBROS
@click.option("--json", "as_json", is_flag=True, help="Imprime los problemas en JSON, para otros programas.")
@click.option(
    "--marcar",
    is_flag=True,
    help="Escribe además, junto a cada libro, LIBRO_revision.xlsx: una copia con cada celda con problema "
    "en rojo (error) o naranja (advertencia), el mensaje como comentario y una hoja PROBLEMAS con vínculos. "
    "El libro original no se modifica.",
)
@calculo_options
@handle_errors
def validar(libros: tuple[str, ...], as_json: bool, marcar: bool, calculo: Calculo, debug: bool) -> None:
    """Revisa uno o varios libros de captura y lista sus problemas por hoja y celda.

    Termina con código 0 si no hay errores (puede haber advertencias) y 1 si hay errores.
    """
    from poa_xlsx.problems import LibroError

    results: list[dict[str, Any]] = []
    errores = advertencias = ilegibles = 0
    for path in libros:
        try:
            revision = calculo.check(path)
        except LibroError as exc:
            if debug:
                raise
            errores, ilegibles = errores + 1, ilegibles + 1
            results.append({"archivo": path, "error": exc.mensaje, "codigo": exc.code, "problemas": []})
            if not as_json:
                click.echo(f"Libro: {path}\n  ERROR [{exc.code}] {exc.mensaje}")
            continue
        e, a = len(revision.errores), len(revision.advertencias)
        errores, advertencias = errores + e, advertencias + a
        problemas = [p.as_dict() for p in revision.problems] if as_json else []  # only JSON prints them
        results.append({"archivo": path, "errores": e, "advertencias": a, "problemas": problemas})
        if not as_json:
            echo_lines(format_problems(path, revision.problems))
        if marcar:
            from poa_xlsx.acciones import write_marked_workbook
            from poa_xlsx.problems import PoaError

            try:
                marked = write_marked_workbook(path, revision)
            except PoaError as exc:
                if debug:
                    raise
                errores += 1
                click.echo(f"Error: {exc}", err=True)
            else:
                results[-1]["marcado"] = marked
                if not as_json:
                    click.echo(f"  Copia marcada: {marked}")
    if as_json:
        click.echo(json.dumps({"libros": results, "errores": errores, "advertencias": advertencias}, ensure_ascii=False, indent=2))
    elif len(libros) > 1:
        click.echo(summary_line(errores, advertencias, len(libros)))
    elif errores > ilegibles:  # an unreadable file's message already says what to do
        click.echo("Corrija los errores en las celdas indicadas y vuelva a ejecutar «poa-render validar».")
    sys.exit(1 if errores else 0)
