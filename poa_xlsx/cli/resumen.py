"""``poa-render resumen``: the whole Ayuntamiento in one summary."""
from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

import click

from poa_xlsx.cli.comun import COMMAND, DATOS, ReadingProgress, calculo_options, handle_errors, show_revision

if TYPE_CHECKING:
    from poa_xlsx.acciones import Calculo


@click.command("resumen", **COMMAND)
@click.argument("libros", nargs=-1, required=True, metavar="LIBRO.xlsx|CARPETA [MÁS ...]")
@click.option("-o", "--salida", type=click.Path(dir_okay=False), metavar="ARCHIVO",
              help="Nombre de los archivos, sin extensión: escribe ARCHIVO.xlsx y ARCHIVO.pdf (predeterminado: resumen_AAAA_TN en la carpeta actual).")
@click.option("--formato", type=click.Choice(["xlsx", "pdf"]), help="Genera solo este formato (predeterminado: los dos).")
@click.option("--papel", type=click.Choice(["carta", "oficio"]), default="carta", show_default=True, help="Tamaño de papel, en horizontal.")
@DATOS
@click.option("--esperados", type=click.Path(exists=True, dir_okay=False), metavar="ARCHIVO",
              help="Lista de los ramos que deben entregar (un renglón por ramo: clave y, si quiere, nombre, como «12 OBRAS PÚBLICAS»): "
              "el resumen nombra los que faltan.")
@click.option("--mezclar-periodos", is_flag=True, help="Junta libros de distinto trimestre o ejercicio (normalmente se rechazan); cada ramo indica su periodo.")
@calculo_options
@handle_errors
def resumen(libros: tuple[str, ...], salida: str | None, formato: str | None, papel: str, datos: str | None,
            esperados: str | None, mezclar_periodos: bool, calculo: Calculo, debug: bool) -> None:
    """Consolida los libros de varios ramos del mismo trimestre en un solo resumen (XLSX y PDF).

    \b
    Por ramo y por unidad: metas cumplidas, rebasadas, no alcanzadas y sin programación, con
    totales, semáforo y una gráfica por ramo; al final, las metas en rojo o naranja con su
    justificación. Ejemplos:
      poa-render resumen ramo01.xlsx ramo58.xlsx ramo59.xlsx -o resumen_2024_T1
      poa-render resumen libros_T1/ --esperados ramos.txt

    Una CARPETA cuenta como todos los .xlsx y .xlsm que tiene (no los de sus subcarpetas); los
    archivos que no son libros de captura (reportes, resúmenes anteriores) se omiten con un aviso.
    Si algún libro tiene errores, una unidad está en dos libros, o los libros son de trimestres o
    ejercicios distintos, no escribe nada y dice por qué.
    """
    from poa_xlsx.acciones import (
        PeriodosDistintosError,
        check_outputs,
        is_capture_workbook,
        read_expected_ramos,
        workbooks_to_summarize,
        write_open_data,
        write_summary,
    )
    from poa_xlsx.formatting import plural
    from poa_xlsx.problems import LibroError
    from poa_xlsx.render.reporte import FORMATOS

    formatos = (formato,) if formato else FORMATOS
    candidatos = workbooks_to_summarize(libros)
    seen: dict[str, str] = {}
    for libro in candidatos:
        key = os.path.normcase(os.path.realpath(libro.path))
        if key in seen:
            raise click.UsageError(f"El libro «{libro.path}» se indicó más de una vez (también como «{seen[key]}»).")
        seen[key] = libro.path
    if not candidatos:
        raise click.UsageError(f"No hay libros .xlsx ni .xlsm en {', '.join(f'«{p}»' for p in libros)}.")
    lista = read_expected_ramos(esperados) if esperados else []
    # before reading anything: no output may be one of the workbooks given (issue #11)
    explicit = [f"{_stem(salida)}.{fmt}" for fmt in formatos] if salida else []
    check_outputs(explicit + ([datos] if datos else []), [c.path for c in candidatos if not c.de_carpeta])

    buenas, fallidos = [], []
    for libro in candidatos:
        progress = ReadingProgress()
        try:
            revision = calculo.check(libro.path, progress)
        except LibroError as exc:
            if debug:
                raise
            click.echo(f"Error: {exc}", err=True)
            fallidos.append(libro.path)
            continue
        finally:
            progress.close()
        if libro.de_carpeta and not is_capture_workbook(revision):
            click.echo(f"Se omite «{libro.path}»: no es un libro de captura (no tiene hoja GENERAL).", err=True)
            continue
        if show_revision(revision):
            buenas.append(revision)
        else:
            fallidos.append(libro.path)
    if fallidos:
        click.echo(
            f"No se escribió el resumen: {plural(len(fallidos), 'libro tiene', 'libros tienen')} errores "
            f"({', '.join(fallidos)}). Corríjalos y vuelva a ejecutar el comando.",
            err=True,
        )
        sys.exit(1)
    if not buenas:
        click.echo(f"No se escribió el resumen: no hay libros de captura en {', '.join(f'«{p}»' for p in libros)}.", err=True)
        sys.exit(1)
    entradas = [r.path for r in buenas]
    check_outputs([datos] if datos else [], entradas)
    try:
        hecho = write_summary(buenas, salida, formatos=formatos, papel=papel, mezclar_periodos=mezclar_periodos,
                              entradas=entradas, esperados=lista)
    except PeriodosDistintosError as exc:
        lines = [f"  {path}: {periodo}" for path, periodo in exc.periodos]
        click.echo("\n".join(["No se escribió el resumen: los libros son de periodos distintos.", *lines,
                              "Consolide libros del mismo trimestre y ejercicio, o use --mezclar-periodos si de verdad "
                              "quiere juntarlos (cada ramo indicará su periodo)."]), err=True)
        sys.exit(1)
    for path in hecho.paths:
        click.echo(path)
    if datos:
        click.echo(write_open_data(datos, [r.informe for r in buenas if r.informe is not None], entradas=entradas))
    click.echo(hecho.describe())
    if hecho.faltantes:
        click.echo(hecho.faltantes_texto)
    elif lista:
        click.echo("Está el ramo esperado." if len(lista) == 1 else f"Están los {len(lista)} ramos esperados.")


def _stem(salida: str) -> str:
    root, ext = os.path.splitext(salida)
    return root if ext.lower() in (".xlsx", ".pdf") else salida
