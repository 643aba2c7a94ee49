"""``poa-render importar``: a workbook in another layout, or a hand-made TMM-F004, into a capture workbook."""
from __future__ import annotations

import click

from poa_xlsx.cli.comun import COMMAND, DEBUG, TrimestreType, echo_lines, format_problems, handle_errors

# Where this command line takes each setting an ImportarError (``ajustes``) or a
# deduced value (``Importado.deducidos``) asks for.
OPCIONES = {"mapa": "--mapa MAPA.toml", "trimestre": "--trimestre N", "ejercicio": "--ejercicio AAAA"}


@click.command("importar", **COMMAND)
@click.argument("origen", type=click.Path(dir_okay=False), metavar="ORIGEN.xlsx")
@click.option("--mapa", type=click.Path(dir_okay=False), metavar="MAPA.toml", help="Dice dónde está cada dato en el libro de origen (vea docs/importar.md y examples/importar/).")
@click.option("--tmm-f004", "tmm_f004", is_flag=True, help="El origen es el reporte TMM-F004 hecho a mano (una hoja por unidad); no hace falta mapa.")
@click.option("-o", "--salida", type=click.Path(dir_okay=False), metavar="LIBRO.xlsx", help="El libro de captura que se escribe (predeterminado: ORIGEN_captura.xlsx junto al origen).")
@click.option("--ejercicio", type=click.IntRange(2000, 2100), metavar="AAAA", help="Año del ejercicio; sustituye al del mapa o al que se deduce del reporte.")
@click.option("--trimestre", type=TrimestreType(), help="Trimestre que se reporta (1–4); sustituye al del mapa o al que se deduce de la FECHA del reporte.")
@click.option("--ayuntamiento", metavar="TEXTO", help="Nombre del ayuntamiento como va en el título del reporte.")
@click.option("--sobrescribir", is_flag=True, help="Reemplaza el libro de salida si ya existe.")
@DEBUG
@handle_errors
def importar(origen: str, mapa: str | None, tmm_f004: bool, salida: str | None, ejercicio: int | None,
             trimestre: int | None, ayuntamiento: str | None, sobrescribir: bool, debug: bool) -> None:
    """Convierte un libro con otro formato en un libro de captura que «validar» acepta.

    \b
    Ejemplos:
      poa-render importar seguimiento.xlsx --mapa mensual.toml -o libro_2025_T2.xlsx
      poa-render importar --tmm-f004 reporte_2023_T2_a_mano.xlsx -o libro_2023_T2.xlsx

    El libro de origen no se modifica. Si alguna fila del origen no se puede acomodar
    (sin unidad, sin descripción, un número ilegible), se dice cuál y no se escribe nada.
    """
    from poa_xlsx.acciones import ArchivoExistenteError, import_workbook
    from poa_xlsx.formatting import plural
    from poa_xlsx.importar import ImportarError

    if (mapa is None) == (not tmm_f004):
        raise click.UsageError("Indique --mapa MAPA.toml (otro formato) o --tmm-f004 (el reporte hecho a mano), uno de los dos.")
    if salida is not None and not salida.lower().endswith(".xlsx"):
        raise click.BadParameter("el nombre del archivo debe terminar en .xlsx.", param_hint="'-o' / '--salida'")
    try:
        hecho = import_workbook(origen, salida, mapa=mapa, ejercicio=ejercicio, trimestre=trimestre,
                                ayuntamiento=ayuntamiento, sobrescribir=sobrescribir)
    except ArchivoExistenteError as exc:
        raise click.ClickException(f"Ya existe «{exc.path}» y no se reemplaza. Use -o para otro nombre, o --sobrescribir.") from None
    except ImportarError as exc:
        # the library says what to give in words; this command line names its options
        where = [OPCIONES[key] for key in exc.ajustes if key in OPCIONES]
        if not where:
            raise
        raise ImportarError(f"{exc} Opciones: {', '.join(where)}.", ajustes=exc.ajustes) from exc
    importado = hecho.importado
    if importado.problems:
        echo_lines(format_problems(origen, importado.problems), err=True)
    for nota in importado.notas:
        click.echo(f"Nota: {nota}", err=True)
    if importado.deducidos:
        click.echo(f"Nota: para indicar otro, use {' o '.join(OPCIONES[key] for key in importado.deducidos)}.", err=True)
    if importado.omitidas:
        filas = ", ".join(o.cell[1:] if o.cell else "?" for o in importado.omitidas[:30])
        more = "…" if len(importado.omitidas) > 30 else ""
        click.echo(f"Filas omitidas por el mapa ([origen] omitir): {filas}{more}.", err=True)
    if hecho.path is None:
        click.echo(
            f"{origen}: no se escribió el libro de captura porque hay filas o celdas que no se pueden acomodar; "
            "corrija el origen o el mapa y vuelva a intentarlo.",
            err=True,
        )
        raise SystemExit(1)
    click.echo(f"Libro de captura escrito: {hecho.path}")
    click.echo(
        f"  {plural(len(importado.unidades), 'unidad', 'unidades')} y {plural(importado.metas, 'meta')}, "
        f"ejercicio {importado.general.ejercicio}, trimestre {importado.general.trimestre}; {origen} no se modificó."
    )
    revision = hecho.revision
    if revision is not None and revision.problems:
        echo_lines(format_problems(hecho.path, revision.problems))
        click.echo(f"Complete o corrija lo que se indica en {hecho.path} y revíselo con: poa-render validar {hecho.path}")
    else:
        click.echo(f"Sin problemas: genere el reporte con «poa-render {hecho.path}».")
