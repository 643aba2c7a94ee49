"""``poa-render periodo``: Tesorería's periods from the command line (open, list, extend a deadline)."""
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
    """Periodos del portal: abrir, listar, dar prórroga a un ramo."""


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
    from poa_xlsx.web.periodos.servicio import PeriodoError, current_period, grant_extension

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
    click.echo(f"Prórroga: ramo {pr.ramo}, periodo {p.ejercicio} T{p.trimestre}, hasta {pr.hasta:%d/%m/%Y}.")
