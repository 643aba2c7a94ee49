"""``poa-render periodo``: Tesorería's periods from the command line (open, list, extend a
deadline, close, reopen); each change is logged in the portal's log as the terminal's user."""
from __future__ import annotations

import datetime as dt
from typing import Any

import click

from poa_xlsx.cli.comun import DEBUG, handle_errors
from poa_xlsx.cli.servir import _prepare, carpeta_option


class FechaISO(click.ParamType):
    name = "fecha"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        if isinstance(value, dt.date):
            return value
        for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
            try:
                return dt.datetime.strptime(str(value).strip(), fmt).date()
            except ValueError:
                continue
        self.fail(f"{value!r} no es una fecha; use AAAA-MM-DD (2024-04-10) o DD/MM/AAAA.", param, ctx)


@click.group("periodo", context_settings={"help_option_names": ["-h", "--help"]})
def periodo() -> None:
    """Periodos del portal: abrir, listar, dar prórroga a un ramo, cerrar, reabrir."""


@periodo.command("abrir", options_metavar="[OPCIONES]")
@click.argument("ejercicio", type=click.IntRange(2000, 2100))
@click.argument("trimestre", type=click.IntRange(1, 4))
@click.option("--cierre", type=FechaISO(), required=True, help="Fecha límite para subir y enviar (AAAA-MM-DD).")
@carpeta_option
@DEBUG
@handle_errors
def abrir(ejercicio: int, trimestre: int, cierre: dt.date, carpeta: str | None, debug: bool) -> None:
    """Abre el periodo EJERCICIO TRIMESTRE (por ejemplo: 2024 1 --cierre 2024-04-10)."""
    _prepare(carpeta)
    from poa_xlsx.web.periodos.servicio import open_period

    p = open_period(ejercicio, trimestre, cierre)
    click.echo(f"Periodo {p.ejercicio} trimestre {p.trimestre} abierto; fecha límite {p.cierre:%d/%m/%Y}.")


@periodo.command("lista", options_metavar="[OPCIONES]")
@carpeta_option
@DEBUG
@handle_errors
def lista(carpeta: str | None, debug: bool) -> None:
    """Lista los periodos con su fecha límite, prórrogas y cuántos ramos enviaron."""
    _prepare(carpeta)
    from poa_xlsx.web.entregas.matriz import build_matrix, counts_line
    from poa_xlsx.web.periodos.models import Periodo

    periodos = list(Periodo.objects.all())
    if not periodos:
        click.echo("No hay periodos. Abra uno con: poa-render periodo abrir 2024 1 --cierre 2024-04-10")
        return
    for p in periodos:
        conteo = counts_line(build_matrix(p))
        click.echo(f"{p.ejercicio} T{p.trimestre}  cierre {p.cierre:%d/%m/%Y}  {'abierto' if p.abierto else 'cerrado'}  {conteo['texto']}")
        for pr in p.prorrogas.order_by("ramo", "hasta"):
            click.echo(f"    prórroga ramo {pr.ramo} hasta {pr.hasta:%d/%m/%Y}: {pr.motivo}")


@periodo.command("prorroga", options_metavar="[OPCIONES]")
@click.argument("ramo")
@click.option("--hasta", type=FechaISO(), required=True, help="Nueva fecha límite para ese ramo (AAAA-MM-DD).")
@click.option("--motivo", required=True, help="Por qué se da la prórroga (queda registrado).")
@click.option("--periodo", "cual", metavar="AAAA-T", help="Periodo, por ejemplo 2024-1 (predeterminado: el abierto más próximo a cerrar).")
@carpeta_option
@DEBUG
@handle_errors
def prorroga(ramo: str, hasta: dt.date, motivo: str, cual: str | None, carpeta: str | None, debug: bool) -> None:
    """Da a RAMO una fecha límite posterior al cierre, con su motivo."""
    _prepare(carpeta)
    from poa_xlsx.web.periodos.models import Periodo
    from poa_xlsx.web.periodos.servicio import PeriodoError, closed_note, current_period, grant_extension

    if cual:
        try:
            ejercicio, trimestre = (int(x) for x in cual.replace("T", "").split("-"))
        except ValueError as exc:
            raise click.UsageError(f"--periodo {cual!r}: use AAAA-T, por ejemplo 2024-1.") from exc
        p = Periodo.objects.filter(ejercicio=ejercicio, trimestre=trimestre).first()
    else:
        p = current_period()
    if p is None:
        raise PeriodoError("no hay ese periodo abierto. Vea los periodos con «poa-render periodo lista».")
    pr = grant_extension(p, ramo, hasta, motivo)
    click.echo(f"Prórroga: ramo {pr.ramo}, periodo {p.ejercicio} T{p.trimestre}, hasta {pr.hasta:%d/%m/%Y}." + closed_note(p))


def _find(ejercicio: int, trimestre: int) -> Any:
    from poa_xlsx.web.periodos.servicio import PeriodoError, find_period

    p = find_period(ejercicio, trimestre)
    if p is None:
        raise PeriodoError(f"No existe el periodo {ejercicio} trimestre {trimestre}. Vea los periodos con «poa-render periodo lista».")
    return p


@periodo.command("cerrar", options_metavar="[OPCIONES]")
@click.argument("ejercicio", type=click.IntRange(2000, 2100))
@click.argument("trimestre", type=click.IntRange(1, 4))
@carpeta_option
@DEBUG
@handle_errors
def cerrar(ejercicio: int, trimestre: int, carpeta: str | None, debug: bool) -> None:
    """Cierra el periodo EJERCICIO TRIMESTRE: ningún ramo sube ni envía, aunque tenga prórroga."""
    _prepare(carpeta)
    from poa_xlsx.web.periodos.servicio import close_period

    p = close_period(_find(ejercicio, trimestre))
    click.echo(f"Periodo {p.ejercicio} trimestre {p.trimestre} cerrado: ningún ramo puede subir ni enviar. "
               f"Para reabrirlo: poa-render periodo reabrir {p.ejercicio} {p.trimestre} --motivo \"...\"")


@periodo.command("reabrir", options_metavar="[OPCIONES]")
@click.argument("ejercicio", type=click.IntRange(2000, 2100))
@click.argument("trimestre", type=click.IntRange(1, 4))
@click.option("--motivo", required=True, help="Por qué se reabre (queda registrado).")
@carpeta_option
@DEBUG
@handle_errors
def reabrir(ejercicio: int, trimestre: int, motivo: str, carpeta: str | None, debug: bool) -> None:
    """Reabre el periodo EJERCICIO TRIMESTRE, cerrado antes; los ramos suben y envían hasta su fecha límite."""
    _prepare(carpeta)
    from poa_xlsx.web.periodos.servicio import reopen_period

    p = reopen_period(_find(ejercicio, trimestre), motivo)
    click.echo(f"Periodo {p.ejercicio} trimestre {p.trimestre} reabierto; fecha límite {p.cierre:%d/%m/%Y}.")
