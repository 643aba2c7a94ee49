"""What several commands share: options declared once, error handling, printing."""
from __future__ import annotations

import datetime as dt
import functools
import sys
from typing import TYPE_CHECKING, Any, Callable, Iterable, NoReturn

import click

if TYPE_CHECKING:
    from poa_xlsx.acciones import Calculo, Revision
    from poa_xlsx.problems import Problem

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
COMMAND: dict[str, Any] = {"context_settings": CONTEXT, "options_metavar": "[OPCIONES]"}
LIBROS = click.argument("libros", nargs=-1, required=True, metavar="LIBRO.xlsx [MÁS.xlsx ...]")
DEBUG = click.option("--debug", is_flag=True, help="Muestra el detalle técnico (traceback) si algo falla.")


def _apply(func: Callable[..., Any], decorators: list[Callable[..., Any]]) -> Callable[..., Any]:
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


# --- parameter types -----------------------------------------------------------------------


class TrimestreType(click.ParamType):
    name = "trimestre"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        from poa_xlsx.values import ValueProblemError, parse_trimestre

        if isinstance(value, int):
            return value
        try:
            return parse_trimestre(value.strip() if isinstance(value, str) else value)
        except ValueProblemError:
            self.fail(f"{value!r} no es un trimestre; use 1, 2, 3 o 4.", param, ctx)


class FechaType(click.ParamType):
    name = "fecha"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        from poa_xlsx.values import ValueProblemError, parse_fecha

        if isinstance(value, dt.date):
            return value
        try:
            return parse_fecha(value)
        except ValueProblemError:
            self.fail(f"{value!r} no es una fecha; use DD/MM/AAAA, por ejemplo 31/03/2024.", param, ctx)


BASES = {"meta-anual": "meta_anual", "programado": "programado"}


# --- option groups ---------------------------------------------------------------------------


def calculo_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options that change what is computed: every command that reads workbooks has them.
    The command receives one ``calculo`` (:class:`~poa_xlsx.acciones.Calculo`) and ``debug``."""
    decorators = [
        click.option("--trimestre", type=TrimestreType(), help="Trimestre a reportar (1–4); sustituye al de la hoja GENERAL."),
        click.option(
            "--base",
            type=click.Choice(sorted(BASES)),
            help="Base del ACUMULADO RELATIVO: meta-anual o programado (al periodo); sustituye a la de la hoja GENERAL.",
        ),
        click.option("--fecha", type=FechaType(), help="Fecha del reporte (DD/MM/AAAA); sustituye a la de la hoja GENERAL."),
        click.option("--estricto", is_flag=True, help="Toda advertencia cuenta como error (por ejemplo, una justificación faltante): no se genera nada hasta corregirlas."),
        DEBUG,
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, trimestre: int | None, base: str | None, fecha: dt.date | None, estricto: bool, **kwargs: Any) -> Any:
        from poa_xlsx.acciones import Calculo
        from poa_xlsx.model import Base

        calculo = Calculo(trimestre=trimestre, base=Base(BASES[base]) if base else None, fecha=fecha, estricto=estricto)
        return func(*args, calculo=calculo, **kwargs)

    return _apply(wrapper, decorators)


def reporte_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """Options that shape the report files; the command receives ``carpeta`` and one
    ``opciones`` (:class:`~poa_xlsx.render.reporte.Opciones`)."""
    decorators = [
        click.option("-o", "--salida", "carpeta", type=click.Path(file_okay=False), help="Carpeta donde escribir el reporte (predeterminada: la carpeta del libro)."),
        click.option("--formato", type=click.Choice(["xlsx", "pdf"]), help="Genera solo este formato (predeterminado: los dos)."),
        click.option("--papel", type=click.Choice(["carta", "oficio"]), default="carta", show_default=True, help="Tamaño de papel, en horizontal."),
        click.option("--sin-semaforo", is_flag=True, help="Sin la columna de semáforo: el formato sencillo."),
        click.option("--por-unidad", is_flag=True, help="Además, un PDF y un XLSX por cada unidad ejecutora."),
        click.option("--sin-resumen", is_flag=True, help="Sin la hoja RESUMEN ni la primera página de resumen (conteo de metas por unidad, gráfica y metas que requieren atención)."),
        click.option("--plantillas", type=click.Path(exists=True, file_okay=False), help="Carpeta con plantillas propias (observaciones, correo) que sustituyen a las incluidas."),
    ]

    @functools.wraps(func)
    def wrapper(*args: Any, formato: str | None, papel: str, sin_semaforo: bool, por_unidad: bool, sin_resumen: bool,
                plantillas: str | None, **kwargs: Any) -> Any:
        from poa_xlsx.render.reporte import FORMATOS, Opciones

        opciones = Opciones(formatos=(formato,) if formato else FORMATOS, papel=papel, semaforo=not sin_semaforo,
                            por_unidad=por_unidad, plantillas=plantillas, resumen=not sin_resumen)
        return func(*args, opciones=opciones, **kwargs)

    return _apply(wrapper, decorators)


DATOS = click.option(
    "--datos",
    type=click.Path(dir_okay=False),
    metavar="ARCHIVO.csv",
    help="Escribe además ARCHIVO.csv con una fila por meta (cada dato capturado y cada cifra calculada), "
    "UTF-8 con encabezado, para el portal de transparencia (datos abiertos).",
)


# --- errors ----------------------------------------------------------------------------------


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a Spanish message and exit code 1; no traceback unless --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from poa_xlsx.output import SalidaEsEntradaError
        from poa_xlsx.problems import PoaError

        debug = kwargs.get("debug", False)
        try:
            return func(*args, **kwargs)
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except SalidaEsEntradaError as exc:  # bad usage: an output named like an input
            if debug:
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)
        except PoaError as exc:
            if debug:
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(1)
        except KeyboardInterrupt:
            click.echo("Cancelado.", err=True)
            sys.exit(130)
        except BrokenPipeError:
            pipe_closed()
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


def pipe_closed() -> NoReturn:
    """The reader of our output went away (``poa-render validar LIBRO | head -1``): end
    quietly with the status of a Unix tool killed by SIGPIPE (141), 1 where there is none."""
    import os
    import signal

    try:  # nothing more reaches the closed pipe, not even Python's flush at exit
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
    sigpipe = getattr(signal, "SIGPIPE", None)
    sys.exit(128 + sigpipe if sigpipe is not None else 1)


# --- printing --------------------------------------------------------------------------------


def format_problems(path: str, problems: Iterable[Problem]) -> list[str]:
    """Problems grouped by sheet, as lines for the terminal."""
    from poa_xlsx.formatting import plural

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


WARNINGS_IN_FULL = 5  # the report command prints this many warnings in full; validar prints them all
SHEETS_LISTED = 10  # and the counts of this many sheets, those with most warnings


def format_problems_grouped(path: str, problems: Iterable[Problem]) -> list[str]:
    """Like :func:`format_problems`, but warnings beyond the first few are counted, not
    listed: per sheet and per code, with the command that lists them all (issue #12:
    a 40-unit workbook printed 165 warnings before the names of the files written)."""
    from collections import Counter

    from poa_xlsx.formatting import plural

    problems = list(problems)
    warnings = [p for p in problems if not p.es_error]
    if len(warnings) <= WARNINGS_IN_FULL:
        return format_problems(path, problems)
    errors = [p for p in problems if p.es_error]
    lines = format_problems(path, errors)[:-1] if errors else [f"Libro: {path}"]
    lines.append(f"  {plural(len(warnings), 'advertencia')}; las primeras {WARNINGS_IN_FULL}:")
    lines += [f"    {p.origen} [{p.code}] {p.mensaje}" for p in warnings[:WARNINGS_IN_FULL]]
    by_sheet: dict[str, Counter[str]] = {}
    for p in warnings:
        by_sheet.setdefault(p.origen.sheet, Counter())[p.code] += 1
    lines.append("  Por hoja:")
    busiest = sorted(by_sheet.items(), key=lambda item: -sum(item[1].values()))[:SHEETS_LISTED]
    for sheet, codes in sorted(busiest, key=lambda item: list(by_sheet).index(item[0])):
        detail = ", ".join(f"{code} {n}" for code, n in codes.most_common())
        lines.append(f"    «{sheet}»: {sum(codes.values())} ({detail})")
    if len(by_sheet) > SHEETS_LISTED:
        rest = len(warnings) - sum(sum(c.values()) for _, c in busiest)
        lines.append(f"    y {plural(rest, 'advertencia')} más en otras {len(by_sheet) - SHEETS_LISTED} hojas")
    per_code = Counter(p.code for p in warnings)
    lines.append("  Por código: " + ", ".join(f"{code} {n}" for code, n in per_code.most_common()) + ".")
    shown = f'"{path}"' if " " in path else path
    lines.append(f"  Véalas todas, con su celda, con: poa-render validar {shown}")
    lines.append(f"  {plural(len(errors), 'error', 'errores')} y {plural(len(warnings), 'advertencia')}.")
    return lines


def echo_lines(lines: list[str], err: bool = False, chunk: int = 2000) -> None:
    """Print ``lines`` a few thousand at a time: a workbook with 300,000 problems
    must not need its whole report as one string (and again as bytes) in memory."""
    for start in range(0, len(lines), chunk):
        click.echo("\n".join(lines[start:start + chunk]), err=err)


def summary_line(errores: int, advertencias: int, libros: int) -> str:
    from poa_xlsx.formatting import plural

    text = f"En total: {plural(errores, 'error', 'errores')} y {plural(advertencias, 'advertencia')} en {plural(libros, 'libro')}."
    if errores:
        text += " Corrija los errores en las celdas indicadas y vuelva a ejecutar el comando."
    return text


PROGRESS_MIN_UNITS = 20


class ReadingProgress:
    """A progress bar on stderr while a workbook with many unit sheets is read."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if total < PROGRESS_MIN_UNITS:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label=f"Leyendo {total} unidades", file=sys.stderr)
            self.bar.__enter__()
        self.bar.update(done - self.bar.pos)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def writing_progress() -> Callable[[str], None] | None:
    """``Generando ARCHIVO ...`` on stderr, when a person watches the terminal."""
    return (lambda target: click.echo(f"Generando {target} ...", err=True)) if sys.stderr.isatty() else None


def show_revision(revision: Revision, nothing_done: str | None = None) -> bool:
    """Print a workbook's problems on stderr; True when it can be used (no errors)."""
    if revision.problems:
        echo_lines(format_problems_grouped(revision.path, revision.problems), err=True)
    if revision.informe is None:
        if nothing_done:
            click.echo(f"{revision.path}: {nothing_done} porque el libro tiene errores; corríjalos y vuelva a intentarlo.", err=True)
        return False
    return True


def check_book(path: str, calculo: Calculo, debug: bool, nothing_done: str | None = None) -> Revision | None:
    """Check one workbook and print its problems on stderr.

    Returns its Revision when it can be used (no errors), else None after
    saying why: an unreadable file, or errors (then ``nothing_done`` is added,
    e.g. "no se generó ningún archivo"). Other workbooks are not affected.
    """
    from poa_xlsx.problems import LibroError

    progress = ReadingProgress()
    try:
        revision = calculo.check(path, progress)
    except LibroError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc}", err=True)
        return None
    finally:
        progress.close()
    return revision if show_revision(revision, nothing_done) else None
