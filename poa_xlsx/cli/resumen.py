"""``poa-render resumen``: the whole Ayuntamiento in one summary."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from poa_xlsx.cli.comun import COMMAND, DATOS, LIBROS, calculo_options, check_book, handle_errors

if TYPE_CHECKING:
    from poa_xlsx.acciones import Calculo


@click.command("resumen", **COMMAND)
@LIBROS
@click.option("-o", "--salida", type=click.Path(dir_okay=False), metavar="ARCHIVO",
              help="Nombre de los archivos, sin extensión: escribe ARCHIVO.xlsx y ARCHIVO.pdf (predeterminado: resumen_AAAA_TN en la carpeta actual).")
@click.option("--formato", type=click.Choice(["xlsx", "pdf"]), help="Genera solo este formato (predeterminado: los dos).")
@click.option("--papel", type=click.Choice(["carta", "oficio"]), default="carta", show_default=True, help="Tamaño de papel, en horizontal.")
@DATOS
@click.option("--mezclar-periodos", is_flag=True, help="Junta libros de distinto trimestre o ejercicio (normalmente se rechazan).")
@calculo_options
@handle_errors
def resumen(libros: tuple[str, ...], salida: str | None, formato: str | None, papel: str, datos: str | None,
            mezclar_periodos: bool, calculo: Calculo, debug: bool) -> None:
    """Consolida los libros de varios ramos del mismo trimestre en un solo resumen (XLSX y PDF).

    \b
    Por ramo y por unidad: metas cumplidas, rebasadas, no alcanzadas y sin programación, con
    totales, semáforo y una gráfica por ramo; al final, las metas en rojo o naranja con su
    justificación. Ejemplo:
      poa-render resumen ramo01.xlsx ramo58.xlsx ramo59.xlsx -o resumen_2024_T1

    Si algún libro tiene errores, o los libros son de trimestres o ejercicios distintos, no escribe
    nada y dice por qué.
    """
    from poa_xlsx.acciones import PeriodosDistintosError, write_open_data, write_summary
    from poa_xlsx.formatting import plural
    from poa_xlsx.render.reporte import FORMATOS

    seen: dict[str, str] = {}
    for path in libros:
        key = os.path.normcase(os.path.realpath(path))
        if key in seen:
            raise click.UsageError(f"El libro «{path}» se indicó más de una vez (también como «{seen[key]}»).")
        seen[key] = path
    revisiones = [(path, check_book(path, calculo, debug)) for path in libros]
    fallidos = [path for path, r in revisiones if r is None]
    if fallidos:
        click.echo(
            f"No se escribió el resumen: {plural(len(fallidos), 'libro tiene', 'libros tienen')} errores "
            f"({', '.join(fallidos)}). Corríjalos y vuelva a ejecutar el comando.",
            err=True,
        )
        sys.exit(1)
    buenas = [r for _, r in revisiones if r is not None]
    try:
        hecho = write_summary(buenas, salida, formatos=(formato,) if formato else FORMATOS, papel=papel,
                              mezclar_periodos=mezclar_periodos)
    except PeriodosDistintosError as exc:
        lines = [f"  {path}: {periodo}" for path, periodo in exc.periodos]
        click.echo("\n".join(["No se escribió el resumen: los libros son de periodos distintos.", *lines,
                              "Consolide libros del mismo trimestre y ejercicio, o use --mezclar-periodos si de verdad "
                              "quiere juntarlos (cada ramo indicará su periodo)."]), err=True)
        sys.exit(1)
    for path in hecho.paths:
        click.echo(path)
    if datos:
        click.echo(write_open_data(datos, [r.informe for r in buenas if r.informe is not None]))
    click.echo(hecho.describe())
