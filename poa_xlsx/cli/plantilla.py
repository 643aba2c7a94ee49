"""``poa-render plantilla``: a blank capture workbook, or next quarter's."""
from __future__ import annotations

import click

from poa_xlsx.cli.comun import COMMAND, DEBUG, TrimestreType, handle_errors


@click.command("plantilla", **COMMAND)
@click.option("-o", "--salida", type=click.Path(dir_okay=False), metavar="ARCHIVO.xlsx", help="Dónde escribir el libro (predeterminado: libro_de_captura_AAAA_TN.xlsx en la carpeta actual).")
@click.option("--unidades", type=click.IntRange(1, 100), metavar="N", help="Cuántas hojas de unidad ejecutora (predeterminado: 1). No se usa con --desde.")
@click.option("--ejercicio", type=click.IntRange(2000, 2100), metavar="AAAA", help="Año del ejercicio (predeterminado: el del trimestre que acaba de terminar). Con --desde, empieza ese ejercicio nuevo en el trimestre 1.")
@click.option("--trimestre", type=TrimestreType(), help="Trimestre que se va a reportar, 1–4 (predeterminado: el que acaba de terminar). No se usa con --desde.")
@click.option("--ayuntamiento", metavar="TEXTO", help="Nombre del ayuntamiento como va en el título del reporte.")
@click.option("--desde", type=click.Path(dir_okay=False), metavar="TRIMESTRE_ANTERIOR.xlsx", help="Prepara el trimestre siguiente a partir de este libro (que no se modifica).")
@click.option("--sobrescribir", is_flag=True, help="Reemplaza el archivo de salida si ya existe.")
@DEBUG
@handle_errors
def plantilla(salida: str | None, unidades: int | None, ejercicio: int | None, trimestre: int | None,
              ayuntamiento: str | None, desde: str | None, sobrescribir: bool, debug: bool) -> None:
    """Crea un libro de captura nuevo, listo para llenar en Excel o LibreOffice.

    \b
    Ejemplos:
      poa-render plantilla --unidades 3 --ayuntamiento "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"
      poa-render plantilla --desde libro_de_captura_2024_T1.xlsx
      poa-render plantilla --desde libro_de_captura_2024_T4.xlsx --ejercicio 2025
    """
    from poa_xlsx.acciones import ArchivoExistenteError, write_next_quarter, write_template
    from poa_xlsx.captura.instrucciones import siguientes_pasos
    from poa_xlsx.captura.plantilla import PlantillaCapturaError

    if desde is not None and (unidades is not None or trimestre is not None):
        raise click.UsageError(
            "Con --desde no se usan --unidades ni --trimestre: el libro nuevo tiene las unidades del anterior "
            "y el trimestre siguiente."
        )
    if salida is not None and not salida.lower().endswith(".xlsx"):
        raise click.BadParameter("el nombre del archivo debe terminar en .xlsx.", param_hint="'-o' / '--salida'")
    try:
        if desde:
            nuevo = write_next_quarter(desde, salida, ejercicio=ejercicio, ayuntamiento=ayuntamiento, sobrescribir=sobrescribir)
        else:
            nuevo = write_template(salida, unidades=unidades or 1, ejercicio=ejercicio, trimestre=trimestre,
                                   ayuntamiento=ayuntamiento or "", sobrescribir=sobrescribir)
    except PlantillaCapturaError as exc:
        if desde is None or exc.ejercicio_nuevo is None:
            raise
        # the library says it in words; this command line names its option
        raise PlantillaCapturaError(f"{exc} Use: poa-render plantilla --desde \"{desde}\" --ejercicio {exc.ejercicio_nuevo}",
                                    ejercicio_nuevo=exc.ejercicio_nuevo) from exc
    except ArchivoExistenteError as exc:
        raise click.ClickException(f"Ya existe «{exc.path}» y no se reemplaza. Use -o para otro nombre, o --sobrescribir.") from None
    for line in siguientes_pasos(nuevo.path, nuevo.plantilla, desde):
        click.echo(line)
