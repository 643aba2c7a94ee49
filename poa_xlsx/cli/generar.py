"""``poa-render generar`` (the default command): each workbook's TMM-F004 report."""
from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from poa_xlsx.cli.comun import (
    COMMAND,
    DATOS,
    LIBROS,
    ReadingProgress,
    calculo_options,
    handle_errors,
    reporte_options,
    show_revision,
    writing_progress,
)

if TYPE_CHECKING:
    from poa_xlsx.acciones import Calculo, Opciones
    from poa_xlsx.revision.compute import Informe


@click.command("generar", **COMMAND)
@LIBROS
@reporte_options
@DATOS
@calculo_options
@handle_errors
def generar(libros: tuple[str, ...], carpeta: str | None, opciones: Opciones, datos: str | None, calculo: Calculo, debug: bool) -> None:
    """Valida cada libro y escribe su reporte TMM-F004 en XLSX y PDF (comando predeterminado).

    Por cada LIBRO.xlsx escribe LIBRO_TMM-F004.xlsx y LIBRO_TMM-F004.pdf: primero el RESUMEN
    (metas por estatus de cada unidad, gráfica, metas que requieren atención) y luego una hoja o
    sección por unidad ejecutora. Si el libro tiene errores no escribe nada y los lista por hoja y celda.
    """
    from poa_xlsx.acciones import check_outputs, report_workbook, status_line, write_open_data
    from poa_xlsx.output import SalidaEsEntradaError
    from poa_xlsx.problems import LibroError, PoaError
    from poa_xlsx.render.reporte import report_paths

    # before anything is written: no output may be one of the workbooks (issue #11)
    check_outputs([p for libro in libros for p in report_paths(libro, carpeta, opciones)] + ([datos] if datos else []),
                  libros)
    informes: list[Informe] = []
    failed: list[str] = []
    for path in libros:  # a failure in one workbook never stops the others
        progress = ReadingProgress()
        try:
            hecho = report_workbook(path, carpeta=carpeta, opciones=opciones, calculo=calculo,
                                    reading=progress, writing=writing_progress(), entradas=libros)
        except SalidaEsEntradaError:
            raise
        except PoaError as exc:
            if debug:
                raise
            click.echo(f"Error: {exc}" if isinstance(exc, LibroError) else f"Error con {path}: {exc}", err=True)
            failed.append(path)
            continue
        except Exception as exc:
            if debug:
                raise
            click.echo(
                f"Error inesperado al generar el reporte de {path} ({type(exc).__name__}: {exc}). "
                "Los archivos ya escritos están completos. Vuelva a ejecutar con --debug y envíe lo que aparezca a soporte.",
                err=True,
            )
            failed.append(path)
            continue
        finally:
            progress.close()
        if not show_revision(hecho.revision, "no se generó ningún archivo") or hecho.revision.informe is None:
            failed.append(path)
            continue
        informes.append(hecho.revision.informe)
        for target in hecho.paths:
            click.echo(target)
        click.echo(status_line(hecho.revision.informe))
    if datos:
        if failed:
            click.echo(f"No se escribió {datos}: los datos abiertos se publican completos y faltan los libros que fallaron.", err=True)
        else:
            click.echo(write_open_data(datos, informes, entradas=libros))
    if len(libros) > 1:
        click.echo(
            f"Reportes generados de {len(libros) - len(failed)} de {len(libros)} libros."
            + (f" Fallaron: {', '.join(failed)}." if failed else ""),
            err=True,
        )
    sys.exit(1 if failed else 0)
