"""The ``poa-render`` command line: parse -> call the library -> print -> exit code.

Exit codes: 0 fine (warnings allowed), 1 invalid data or failed job, 2 bad
usage. No traceback unless ``--debug``. Everything printed is Spanish.
Heavy libraries are imported inside the commands so ``--help`` is instant.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import sys
from typing import Any, Callable, Iterable

import click

from . import __version__
from .click_es import install as _install_spanish

_install_spanish()

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
COMMAND = {"context_settings": CONTEXT, "options_metavar": "[OPCIONES]"}


class DefaultGroup(click.Group):
    """A group whose first argument may be a workbook: then it runs ``generar``."""

    default_command = "generar"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("-h", "--help", "--version"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, "[OPCIONES] LIBRO.xlsx [MÁS.xlsx ...]  |  COMANDO [ARGUMENTOS]...")


# --- shared options, declared once ------------------------------------------


class TrimestreType(click.ParamType):
    name = "trimestre"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from .values import ValueProblem, parse_trimestre

        if isinstance(value, int):
            return value
        try:
            return parse_trimestre(value.strip() if isinstance(value, str) else value)
        except ValueProblem:
            self.fail(f"{value!r} no es un trimestre; use 1, 2, 3 o 4.", param, ctx)


class FechaType(click.ParamType):
    name = "fecha"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        from .values import ValueProblem, parse_fecha

        if isinstance(value, dt.date):
            return value
        try:
            return parse_fecha(value)
        except ValueProblem:
            self.fail(f"{value!r} no es una fecha; use DD/MM/AAAA, por ejemplo 31/03/2024.", param, ctx)


BASES = {"meta-anual": "meta_anual", "programado": "programado"}


def calculo_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options that change what is computed: shared by every command that reads workbooks."""
    decorators = [
        click.option("--trimestre", type=TrimestreType(), help="Trimestre a reportar (1–4); sustituye al de la hoja GENERAL."),
        click.option(
            "--base",
            type=click.Choice(sorted(BASES)),
            help="Base del ACUMULADO RELATIVO: meta-anual o programado (al periodo); sustituye a la de la hoja GENERAL.",
        ),
        click.option("--fecha", type=FechaType(), help="Fecha del reporte (DD/MM/AAAA); sustituye a la de la hoja GENERAL."),
        click.option("--estricto", is_flag=True, help="Las advertencias cuentan como errores (por ejemplo, una justificación faltante)."),
        click.option("--debug", is_flag=True, help="Muestra el detalle técnico (traceback) si algo falla."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a Spanish message and exit code 1; no traceback unless --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from .problems import PoaError

        debug = kwargs.get("debug", False)
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except PoaError as exc:
            if debug:
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Cancelado.", err=True)
            sys.exit(130)
        except Exception as exc:  # the promise: no traceback without --debug
            if debug:
                raise
            click.echo(
                f"Error inesperado ({type(exc).__name__}): {exc}\n"
                "Vuelva a ejecutar el comando con --debug y envíe lo que aparezca a quien le da soporte.",
                err=True,
            )
            sys.exit(1)

    return wrapper


def _overrides(trimestre: int | None, base: str | None, fecha: dt.date | None) -> dict[str, Any]:
    from .model import Base

    return {"trimestre": trimestre, "base": Base(BASES[base]) if base else None, "fecha": fecha}


# --- printing ----------------------------------------------------------------


def format_problems(path: str, problems: Iterable[Any]) -> list[str]:
    """Problems grouped by sheet, as lines for the terminal."""
    from .formatting import plural

    problems = list(problems)
    lines = [f"Libro: {path}"]
    current = None
    for p in problems:
        if p.origen.sheet != current:
            current = p.origen.sheet
            lines.append(f"  Hoja «{current}»")
        tag = "ERROR      " if p.es_error else "ADVERTENCIA"
        lines.append(f"    {p.origen.cell or '':<6} {tag} [{p.code}] {p.mensaje}")
    errores = sum(1 for p in problems if p.es_error)
    advertencias = len(problems) - errores
    if not problems:
        lines.append("  Sin problemas.")
    else:
        lines.append(f"  {plural(errores, 'error', 'errores')} y {plural(advertencias, 'advertencia')}.")
    return lines


def _summary_line(errores: int, advertencias: int, libros: int) -> str:
    from .formatting import plural

    text = f"En total: {plural(errores, 'error', 'errores')} y {plural(advertencias, 'advertencia')} en {plural(libros, 'libro')}."
    if errores:
        text += " Corrija los errores en las celdas indicadas y vuelva a ejecutar el comando."
    return text


# --- the group -----------------------------------------------------------------


@click.group(cls=DefaultGroup, context_settings=CONTEXT, invoke_without_command=False)
@click.version_option(__version__, "--version", prog_name="poa-render", message="%(prog)s %(version)s")
def cli() -> None:
    """Genera el reporte TMM-F004 «AVANCE FÍSICO PROGRAMÁTICO» a partir del libro de captura.

    \b
    Uso más común:
      poa-render LIBRO.xlsx              valida, calcula y genera el reporte
      poa-render validar LIBRO.xlsx      solo revisa el libro y lista los problemas

    Cada problema indica la hoja y la celda que hay que corregir.
    """


@cli.command("validar", **COMMAND)
@click.argument("libros", nargs=-1, required=True, metavar="LIBRO.xlsx [MÁS.xlsx ...]")
@click.option("--json", "as_json", is_flag=True, help="Imprime los problemas en JSON, para otros programas.")
@calculo_options
@handle_errors
def validar(libros: tuple[str, ...], as_json: bool, trimestre: int | None, base: str | None, fecha: dt.date | None, estricto: bool, debug: bool) -> None:
    """Revisa uno o varios libros de captura y lista sus problemas por hoja y celda.

    Termina con código 0 si no hay errores (puede haber advertencias) y 1 si hay errores.
    """
    from .check import check_workbook
    from .problems import LibroError

    results = []
    errores = advertencias = 0
    for path in libros:
        try:
            revision = check_workbook(path, estricto=estricto, **_overrides(trimestre, base, fecha))
        except LibroError as exc:
            if debug:
                raise
            errores += 1
            results.append({"archivo": path, "error": exc.mensaje, "codigo": exc.code, "problemas": []})
            if not as_json:
                click.echo(f"Libro: {path}\n  ERROR [{exc.code}] {exc.mensaje}")
            continue
        e, a = len(revision.errores), len(revision.advertencias)
        errores += e
        advertencias += a
        results.append(
            {
                "archivo": path,
                "errores": e,
                "advertencias": a,
                "problemas": [p.as_dict() for p in revision.problems],
            }
        )
        if not as_json:
            click.echo("\n".join(format_problems(path, revision.problems)))
    if as_json:
        click.echo(json.dumps({"libros": results, "errores": errores, "advertencias": advertencias}, ensure_ascii=False, indent=2))
    else:
        if len(libros) > 1:
            click.echo(_summary_line(errores, advertencias, len(libros)))
        elif errores:
            click.echo("Corrija los errores en las celdas indicadas y vuelva a ejecutar «poa-render validar».")
    sys.exit(1 if errores else 0)


def reporte_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options that shape the report files: shared by every command that writes or sends them."""
    decorators = [
        click.option("-o", "--salida", "carpeta", type=click.Path(file_okay=False), help="Carpeta donde escribir el reporte (predeterminada: la carpeta del libro)."),
        click.option("--formato", type=click.Choice(["xlsx", "pdf"]), help="Genera solo este formato (predeterminado: los dos)."),
        click.option("--papel", type=click.Choice(["carta", "oficio"]), default="carta", show_default=True, help="Tamaño de papel, en horizontal."),
        click.option("--sin-semaforo", is_flag=True, help="Sin la columna de semáforo: el formato sencillo."),
        click.option("--por-unidad", is_flag=True, help="Además, un PDF y un XLSX por cada unidad ejecutora."),
        click.option("--plantillas", type=click.Path(exists=True, file_okay=False), help="Carpeta con plantillas propias (observaciones, correo) que sustituyen a las incluidas."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def report_options(formato: str | None, papel: str, sin_semaforo: bool, por_unidad: bool, plantillas: str | None) -> Any:
    from .report import FORMATOS, Opciones

    return Opciones(
        formatos=(formato,) if formato else FORMATOS,
        papel=papel,
        semaforo=not sin_semaforo,
        por_unidad=por_unidad,
        plantillas=plantillas,
    )


PROGRESS_MIN_UNITS = 20


def check_with_progress(path: str, estricto: bool, overrides: dict[str, Any]) -> Any:
    """check_workbook, with a progress bar on stderr when the workbook has many sheets."""
    from .check import check_workbook

    state: dict[str, Any] = {}

    def progress(done: int, total: int) -> None:
        if total < PROGRESS_MIN_UNITS:
            return
        bar = state.get("bar")
        if bar is None:
            bar = state["bar"] = click.progressbar(length=total, label=f"Leyendo {total} unidades", file=sys.stderr)
            bar.__enter__()
        bar.update(done - bar.pos)

    try:
        return check_workbook(path, estricto=estricto, progress=progress, **overrides)
    finally:
        if "bar" in state:
            state["bar"].__exit__(None, None, None)


def render_books(
    libros: Iterable[str],
    carpeta: str | None,
    opciones: Any,
    overrides: dict[str, Any],
    estricto: bool,
    debug: bool,
) -> tuple[dict[str, list[str]], list[str], dict[str, Any]]:
    """Check and render each workbook on its own; a failure in one never stops the others.

    Returns the files written per workbook, the workbooks that failed, and each
    successful workbook's Revision (for commands that go on, like ``enviar``).
    """
    from .problems import LibroError, PoaError
    from .report import default_folder, stem_of, write_report

    written: dict[str, list[str]] = {}
    failed: list[str] = []
    revisions: dict[str, Any] = {}
    for path in libros:
        try:
            revision = check_with_progress(path, estricto, overrides)
        except LibroError as exc:
            if debug:
                raise
            click.echo(f"Error: {exc}", err=True)
            failed.append(path)
            continue
        if revision.problems:
            click.echo("\n".join(format_problems(path, revision.problems)), err=True)
        if revision.informe is None:
            click.echo(f"{path}: no se generó ningún archivo porque el libro tiene errores; corríjalos y vuelva a intentarlo.", err=True)
            failed.append(path)
            continue
        folder = carpeta or default_folder(path)
        try:
            paths = write_report(
                revision.informe,
                folder,
                stem_of(path),
                opciones,
                progress=lambda target: click.echo(f"Generando {target} ...", err=True),
            )
        except PoaError as exc:
            if debug:
                raise
            click.echo(f"Error con {path}: {exc}", err=True)
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
        written[path] = paths
        revisions[path] = revision
        for target in paths:
            click.echo(target)
    return written, failed, revisions


@cli.command("generar", **COMMAND)
@click.argument("libros", nargs=-1, required=True, metavar="LIBRO.xlsx [MÁS.xlsx ...]")
@reporte_options
@calculo_options
@handle_errors
def generar(
    libros: tuple[str, ...],
    carpeta: str | None,
    formato: str | None,
    papel: str,
    sin_semaforo: bool,
    por_unidad: bool,
    plantillas: str | None,
    trimestre: int | None,
    base: str | None,
    fecha: dt.date | None,
    estricto: bool,
    debug: bool,
) -> None:
    """Valida cada libro y escribe su reporte TMM-F004 en XLSX y PDF (comando predeterminado).

    Por cada LIBRO.xlsx escribe LIBRO_TMM-F004.xlsx y LIBRO_TMM-F004.pdf, con una hoja o sección
    por unidad ejecutora. Si el libro tiene errores no escribe nada y los lista por hoja y celda.
    """
    opciones = report_options(formato, papel, sin_semaforo, por_unidad, plantillas)
    written, failed, _ = render_books(libros, carpeta, opciones, _overrides(trimestre, base, fecha), estricto, debug)
    if len(libros) > 1:
        click.echo(
            f"Reportes generados de {len(written)} de {len(libros)} libros."
            + (f" Fallaron: {', '.join(failed)}." if failed else ""),
            err=True,
        )
    sys.exit(1 if failed else 0)


def format_figures(informe: Any) -> list[str]:
    """Per unit, a table of número, avance absoluto, acumulado relativo and estatus."""
    from .formatting import format_cantidad, titulo_trimestre

    g = informe.general
    lines = [f"{informe.path}: {titulo_trimestre(g.trimestre, g.ejercicio)}, ACUMULADO RELATIVO sobre {g.base.etiqueta}"]
    for u in informe.unidades:
        ue = u.unidad.unidad_ejecutora
        lines.append("")
        lines.append(f"Unidad {ue.clave} {ue.descripcion} (hoja «{u.unidad.sheet}»)" if ue else f"Hoja «{u.unidad.sheet}»")
        lines.append(f"  {'NÚM.':<8} {'AVANCE ABSOLUTO':>16} {'ACUMULADO RELATIVO':>19}  ESTATUS")
        for item in u.metas:
            c = item.cifras
            lines.append(
                f"  {item.meta.numero or '-':<8} {format_cantidad(c.avance_absoluto):>16} {c.porcentaje_texto:>19}  "
                f"{c.estatus.value} ({c.semaforo.value})"
            )
    return lines


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="poa-render")


if __name__ == "__main__":  # pragma: no cover
    main()
