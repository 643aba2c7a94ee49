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

from poa_xlsx import __version__
from poa_xlsx.cli.click_es import install as _install_spanish

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
        from poa_xlsx.values import ValueProblem, parse_trimestre

        if isinstance(value, int):
            return value
        try:
            return parse_trimestre(value.strip() if isinstance(value, str) else value)
        except ValueProblem:
            self.fail(f"{value!r} no es un trimestre; use 1, 2, 3 o 4.", param, ctx)


class FechaType(click.ParamType):
    name = "fecha"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> dt.date:
        from poa_xlsx.values import ValueProblem, parse_fecha

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
        click.option("--estricto", is_flag=True, help="Toda advertencia cuenta como error (por ejemplo, una justificación faltante): no se genera nada hasta corregirlas."),
        click.option("--debug", is_flag=True, help="Muestra el detalle técnico (traceback) si algo falla."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def handle_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Turn library errors into a Spanish message and exit code 1; no traceback unless --debug."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from poa_xlsx.problems import PoaError

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
    from poa_xlsx.model import Base

    return {"trimestre": trimestre, "base": Base(BASES[base]) if base else None, "fecha": fecha}


# --- printing ----------------------------------------------------------------


def format_problems(path: str, problems: Iterable[Any]) -> list[str]:
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


def echo_lines(lines: list[str], err: bool = False, chunk: int = 2000) -> None:
    """Print ``lines`` a few thousand at a time: a workbook with 300,000 problems
    must not need its whole report as one string (and again as bytes) in memory."""
    for start in range(0, len(lines), chunk):
        click.echo("\n".join(lines[start:start + chunk]), err=err)


def _summary_line(errores: int, advertencias: int, libros: int) -> str:
    from poa_xlsx.formatting import plural

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
    from poa_xlsx.problems import LibroError
    from poa_xlsx.revision.check import check_workbook

    results = []
    errores = advertencias = ilegibles = 0
    for path in libros:
        try:
            revision = check_workbook(path, estricto=estricto, **_overrides(trimestre, base, fecha))
        except LibroError as exc:
            if debug:
                raise
            errores += 1
            ilegibles += 1
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
                "problemas": [p.as_dict() for p in revision.problems] if as_json else [],  # only JSON prints them
            }
        )
        if not as_json:
            echo_lines(format_problems(path, revision.problems))
    if as_json:
        click.echo(json.dumps({"libros": results, "errores": errores, "advertencias": advertencias}, ensure_ascii=False, indent=2))
    else:
        if len(libros) > 1:
            click.echo(_summary_line(errores, advertencias, len(libros)))
        elif errores > ilegibles:  # an unreadable file's message already says what to do
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
        click.option("--sin-resumen", is_flag=True, help="Sin la hoja RESUMEN ni la primera página de resumen (conteo de metas por unidad, gráfica y metas que requieren atención)."),
        click.option("--plantillas", type=click.Path(exists=True, file_okay=False), help="Carpeta con plantillas propias (observaciones, correo) que sustituyen a las incluidas."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def report_options(
    formato: str | None, papel: str, sin_semaforo: bool, por_unidad: bool, plantillas: str | None, sin_resumen: bool = False
) -> Any:
    from poa_xlsx.render.reporte import FORMATOS, Opciones

    return Opciones(
        formatos=(formato,) if formato else FORMATOS,
        papel=papel,
        semaforo=not sin_semaforo,
        por_unidad=por_unidad,
        plantillas=plantillas,
        resumen=not sin_resumen,
    )


PROGRESS_MIN_UNITS = 20


def check_with_progress(path: str, estricto: bool, overrides: dict[str, Any]) -> Any:
    """check_workbook, with a progress bar on stderr when the workbook has many sheets."""
    from poa_xlsx.revision.check import check_workbook

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


def check_book(path: str, estricto: bool, overrides: dict[str, Any], debug: bool, nothing_done: str | None = None) -> Any:
    """Check one workbook and print its problems on stderr.

    Returns its Revision when it can be used (no errors), else None after
    saying why: an unreadable file, or errors (then ``nothing_done`` is added,
    e.g. "no se generó ningún archivo"). Other workbooks are not affected.
    """
    from poa_xlsx.problems import LibroError

    try:
        revision = check_with_progress(path, estricto, overrides)
    except LibroError as exc:
        if debug:
            raise
        click.echo(f"Error: {exc}", err=True)
        return None
    if revision.problems:
        echo_lines(format_problems(path, revision.problems), err=True)
    if revision.informe is None:
        if nothing_done:
            click.echo(f"{path}: {nothing_done} porque el libro tiene errores; corríjalos y vuelva a intentarlo.", err=True)
        return None
    return revision


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
    from poa_xlsx.problems import PoaError
    from poa_xlsx.render.reporte import default_folder, stem_of, write_report

    written: dict[str, list[str]] = {}
    failed: list[str] = []
    revisions: dict[str, Any] = {}
    for path in libros:
        revision = check_book(path, estricto, overrides, debug, "no se generó ningún archivo")
        if revision is None:
            failed.append(path)
            continue
        folder = carpeta or default_folder(path)
        try:
            paths = write_report(
                revision.informe,
                folder,
                stem_of(path),
                opciones,
                progress=(lambda target: click.echo(f"Generando {target} ...", err=True)) if sys.stderr.isatty() else None,
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
        click.echo(status_line(revision.informe))
    return written, failed, revisions


DATOS_HELP = (
    "Escribe además ARCHIVO.csv con una fila por meta (cada dato capturado y cada cifra calculada), "
    "UTF-8 con encabezado, para el portal de transparencia (datos abiertos)."
)


def write_datos(path: str, informes: list[Any]) -> str:
    """The open-data CSV of ``informes`` written atomically at ``path``; returns the path."""
    from poa_xlsx.output import write_atomic
    from poa_xlsx.render.datos import render_csv
    from poa_xlsx.render.reporte import ReporteError

    try:
        write_atomic(path, render_csv(informes))
    except OSError as exc:
        raise ReporteError(f"No se pudo escribir «{path}»: {exc.strerror or exc}.") from exc
    return path


def status_line(informe: Any) -> str:
    """``3 unidades, 20 metas: 14 cumplidas, 2 rebasadas, 3 no alcanzadas, 1 sin programación.``"""
    from poa_xlsx.formatting import plural
    from poa_xlsx.revision.compute import Estatus

    counts = {e: 0 for e in Estatus}
    for unidad in informe.unidades:
        for estatus, n in unidad.conteo().items():
            counts[estatus] += n
    metas = sum(counts.values())
    parts = [
        plural(counts[Estatus.CUMPLIDA], "cumplida"),
        plural(counts[Estatus.REBASADA] + counts[Estatus.ADELANTADA], "rebasada"),
        f"{counts[Estatus.NO_ALCANZADA]} no alcanzada" + ("" if counts[Estatus.NO_ALCANZADA] == 1 else "s"),
        f"{counts[Estatus.SIN_PROGRAMACION]} sin programación",
    ]
    return f"{plural(len(informe.unidades), 'unidad', 'unidades')}, {plural(metas, 'meta')}: {', '.join(parts)}."



@cli.command("generar", **COMMAND)
@click.argument("libros", nargs=-1, required=True, metavar="LIBRO.xlsx [MÁS.xlsx ...]")
@reporte_options
@click.option("--datos", type=click.Path(dir_okay=False), metavar="ARCHIVO.csv", help=DATOS_HELP)
@calculo_options
@handle_errors
def generar(
    libros: tuple[str, ...],
    carpeta: str | None,
    formato: str | None,
    papel: str,
    sin_semaforo: bool,
    por_unidad: bool,
    sin_resumen: bool,
    plantillas: str | None,
    datos: str | None,
    trimestre: int | None,
    base: str | None,
    fecha: dt.date | None,
    estricto: bool,
    debug: bool,
) -> None:
    """Valida cada libro y escribe su reporte TMM-F004 en XLSX y PDF (comando predeterminado).

    Por cada LIBRO.xlsx escribe LIBRO_TMM-F004.xlsx y LIBRO_TMM-F004.pdf: primero el RESUMEN
    (metas por estatus de cada unidad, gráfica, metas que requieren atención) y luego una hoja o
    sección por unidad ejecutora. Si el libro tiene errores no escribe nada y los lista por hoja y celda.
    """
    opciones = report_options(formato, papel, sin_semaforo, por_unidad, plantillas, sin_resumen)
    written, failed, revisions = render_books(libros, carpeta, opciones, _overrides(trimestre, base, fecha), estricto, debug)
    if datos:
        if failed:
            click.echo(f"No se escribió {datos}: los datos abiertos se publican completos y faltan los libros que fallaron.", err=True)
        else:
            click.echo(write_datos(datos, [revisions[path].informe for path in libros if path in revisions]))
    if len(libros) > 1:
        click.echo(
            f"Reportes generados de {len(written)} de {len(libros)} libros."
            + (f" Fallaron: {', '.join(failed)}." if failed else ""),
            err=True,
        )
    sys.exit(1 if failed else 0)


# --- enviar: e-mail the report ------------------------------------------------------


def smtp_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """How to reach the mail server; each may come from an environment variable.

    There is deliberately no password option: a password on the command line
    stays in the shell history and in the process list.
    """
    decorators = [
        click.option("--servidor", envvar="POA_SMTP_HOST", show_envvar=True, metavar="NOMBRE", help="Servidor de correo saliente (SMTP), por ejemplo smtp.mexicali.gob.mx."),
        click.option("--puerto", type=click.IntRange(1, 65535), envvar="POA_SMTP_PORT", show_envvar=True, metavar="PUERTO", help="Puerto del servidor (predeterminado: 587 con STARTTLS; 465 usa TLS implícito)."),
        click.option("--usuario", envvar="POA_SMTP_USUARIO", show_envvar=True, metavar="USUARIO", help="Usuario para iniciar sesión. La contraseña se toma de la variable POA_SMTP_PASSWORD o se pregunta."),
        click.option("--remitente", envvar="POA_SMTP_REMITENTE", show_envvar=True, metavar="CORREO", help="Dirección que envía (predeterminada: el usuario, si es una dirección)."),
        click.option("--tls-implicito", is_flag=True, help="Cifrado TLS desde el inicio (SMTPS) aunque el puerto no sea 465."),
        click.option("--sin-tls", is_flag=True, help="Sin cifrado: solo para un servidor local de confianza (relay)."),
        click.option("--ca-certificado", type=click.Path(exists=True, dir_okay=False), envvar="POA_SMTP_CA", show_envvar=True, metavar="ARCHIVO", help="Certificado (PEM) de la autoridad de su oficina, si el servidor usa uno propio."),
        click.option("--timeout", type=click.FloatRange(1, 600), default=30, show_default=True, metavar="SEGUNDOS", help="Tiempo máximo de espera del servidor."),
    ]
    for decorator in reversed(decorators):
        func = decorator(func)
    return func


def _stdin_is_interactive() -> bool:
    try:
        return sys.stdin.isatty()
    except (AttributeError, ValueError):
        return False


def _password(usuario: str) -> str:
    """POA_SMTP_PASSWORD, or asked without echo; never an option, never printed."""
    import os

    from poa_xlsx.correo.mensaje import MailError

    password = os.environ.get("POA_SMTP_PASSWORD")
    if password:
        return password
    if not _stdin_is_interactive():
        raise MailError(
            f"Falta la contraseña del usuario «{usuario}»: defínala en la variable de entorno POA_SMTP_PASSWORD "
            "o ejecute el comando en una terminal para escribirla (véase docs/correo.md)."
        )
    password = click.prompt(f"Contraseña de correo de {usuario}", hide_input=True, err=True, default="", show_default=False)
    if not password:
        raise MailError("No se escribió la contraseña; no se envió nada.")
    return password


def _servidor(
    servidor: str | None,
    puerto: int | None,
    usuario: str | None,
    sin_tls: bool,
    tls_implicito: bool,
    timeout: float,
    ca_certificado: str | None,
    *,
    con_password: bool,
) -> Any:
    from poa_xlsx.correo.mensaje import MailError, ServidorSMTP, elegir_cifrado, puerto_predeterminado

    if not servidor:
        raise MailError(
            "Falta el servidor de correo: indíquelo con --servidor o la variable POA_SMTP_HOST (pídalo a su área "
            "de sistemas), o genere un borrador con --borrador ARCHIVO.eml para enviarlo desde su programa de correo."
        )
    cifrado = elegir_cifrado(puerto, sin_tls=sin_tls, tls_implicito=tls_implicito)
    usuario = usuario or None
    return ServidorSMTP(
        host=servidor.strip(),
        puerto=puerto or puerto_predeterminado(cifrado),
        cifrado=cifrado,
        usuario=usuario,
        password=_password(usuario) if usuario and con_password else None,
        timeout=timeout,
        ca_certificado=ca_certificado,
    )


def _remitente(remitente: str | None, usuario: str | None, required: bool) -> Any:
    from poa_xlsx.correo.mensaje import MailError, parse_remitente
    from poa_xlsx.values import is_email

    if remitente:
        return parse_remitente(remitente)
    if usuario and is_email(usuario.strip()):
        return parse_remitente(usuario)
    if required:
        raise MailError(
            "Falta el remitente: indique la dirección que envía con --remitente o la variable POA_SMTP_REMITENTE."
        )
    return None


def _attachments(informe: Any, libro: str, opciones: Any) -> list[Any]:
    """Render the report in memory: (file name, bytes) as attachments, PDF first."""
    from poa_xlsx.correo.mensaje import Adjunto
    from poa_xlsx.render import reporte as report

    reporte = report.build_reporte(informe, opciones)
    adjuntos = []
    for name, single, fmt in report.output_names(report.stem_of(libro), reporte, opciones):
        click.echo(f"Generando {name} ...", err=True)
        adjuntos.append(Adjunto(name, report.render(single, fmt, opciones.papel)))
    return adjuntos


def _save_attachments(carpeta: str, adjuntos: list[Any]) -> list[str]:
    import os

    from poa_xlsx.output import write_atomic
    from poa_xlsx.render.reporte import ReporteError

    try:
        os.makedirs(carpeta, exist_ok=True)
    except OSError as exc:
        raise ReporteError(f"No se pudo crear la carpeta de salida «{carpeta}»: {exc.strerror}.") from exc
    paths = []
    for adjunto in adjuntos:
        path = os.path.join(carpeta, adjunto.nombre)
        try:
            write_atomic(path, adjunto.datos)
        except OSError as exc:
            raise ReporteError(f"No se pudo escribir «{path}»: {exc.strerror or exc}.") from exc
        paths.append(path)
    return paths


def _draft_path(path: str) -> str:
    # Outlook and Thunderbird open a draft by double-click only with this extension
    return path if path.lower().endswith(".eml") else path + ".eml"


def _describe_message(msg: Any, adjuntos: list[Any], cuerpo: str, servidor_texto: str) -> list[str]:
    lines = [
        f"De:        {msg['From'] or '(lo pondrá su programa de correo o el servidor)'}",
        f"Para:      {msg['To']}",
    ]
    if msg["Cc"]:
        lines.append(f"CC:        {msg['Cc']}")
    lines.append(f"Asunto:    {msg['Subject']}")
    lines.append("Adjuntos:")
    lines += [f"  {a.nombre} ({a.tamano})" for a in adjuntos]
    if servidor_texto:
        lines.append(f"Servidor:  {servidor_texto}")
    lines += ["", "--- Texto del correo ---", cuerpo.rstrip("\n"), "--- Fin del texto ---"]
    return lines


@cli.command("enviar", **COMMAND)
@click.argument("libro", metavar="LIBRO.xlsx", type=click.Path(dir_okay=False))
@click.option("--para", multiple=True, metavar="CORREO", help="Destinatario; repítala para varios (predeterminado: CORREO TESORERÍA de la hoja GENERAL).")
@click.option("--cc", multiple=True, metavar="CORREO", help="Con copia a; repítala para varios.")
@click.option("--adjuntar-xlsx", is_flag=True, help="Adjunta también el reporte en XLSX (el PDF siempre se adjunta).")
@click.option("--borrador", type=click.Path(dir_okay=False), metavar="ARCHIVO.eml", help="No envía: guarda el correo como borrador para abrirlo y enviarlo desde Outlook o Thunderbird.")
@click.option("--simular", is_flag=True, help="No envía: muestra destinatarios, asunto, adjuntos y texto del correo.")
@smtp_options
@reporte_options
@calculo_options
@handle_errors
def enviar(
    libro: str,
    para: tuple[str, ...],
    cc: tuple[str, ...],
    adjuntar_xlsx: bool,
    borrador: str | None,
    simular: bool,
    servidor: str | None,
    puerto: int | None,
    usuario: str | None,
    remitente: str | None,
    tls_implicito: bool,
    sin_tls: bool,
    ca_certificado: str | None,
    timeout: float,
    carpeta: str | None,
    formato: str | None,
    papel: str,
    sin_semaforo: bool,
    por_unidad: bool,
    sin_resumen: bool,
    plantillas: str | None,
    trimestre: int | None,
    base: str | None,
    fecha: dt.date | None,
    estricto: bool,
    debug: bool,
) -> None:
    """Genera el reporte de LIBRO.xlsx y lo envía por correo a Tesorería, con el PDF adjunto.

    \b
    Destinatarios: --para, o CORREO TESORERÍA de la hoja GENERAL.
    Servidor: opciones o variables POA_SMTP_HOST, POA_SMTP_PORT, POA_SMTP_USUARIO,
    POA_SMTP_REMITENTE; la contraseña solo en POA_SMTP_PASSWORD o escrita al preguntarla.
    Cifrado STARTTLS (puerto 587) o TLS implícito (465); --sin-tls solo para un servidor local.

    \b
    Sin servidor de correo:
      --borrador ARCHIVO.eml   guarda el correo listo para enviar desde Outlook o Thunderbird
      --simular                muestra lo que se enviaría, sin enviar nada

    Si el libro tiene errores no envía nada y los lista por hoja y celda.
    Asunto y texto salen de las plantillas correo_asunto.txt.j2 y correo_cuerpo.txt.j2 (véase --plantillas).
    """
    from dataclasses import replace

    from poa_xlsx.correo.mensaje import MailError, build_message, message_bytes, parse_destinatarios, redactar, send_message
    from poa_xlsx.output import write_atomic

    if borrador and simular:
        raise click.UsageError("Use --borrador o --simular, no los dos.")
    if sin_tls and tls_implicito:
        raise click.UsageError("Use --sin-tls o --tls-implicito, no los dos.")
    if formato == "xlsx":
        raise click.UsageError("En «enviar» el PDF siempre se adjunta; para adjuntar también el XLSX use --adjuntar-xlsx.")
    try:
        para_ = parse_destinatarios(para)
    except MailError as exc:
        raise click.BadParameter(str(exc), param_hint="'--para'") from None
    try:
        cc_ = parse_destinatarios(cc)
    except MailError as exc:
        raise click.BadParameter(str(exc), param_hint="'--cc'") from None
    enviar_de_verdad = not (borrador or simular)

    revision = check_book(libro, estricto, _overrides(trimestre, base, fecha), debug, "no se envió nada")
    if revision is None:
        sys.exit(1)
    informe = revision.informe

    para_ = para_ or informe.general.correos
    if not para_:
        raise MailError(
            "No hay a quién enviar el reporte: escriba la dirección de Tesorería en CORREO TESORERÍA de la hoja "
            "GENERAL, o indíquela con --para CORREO."
        )
    cc_ = tuple(a for a in cc_ if a.lower() not in {p.lower() for p in para_})

    # Everything that can be wrong in the settings is checked, and the password
    # asked, before the (slow) rendering.
    smtp = None
    if enviar_de_verdad or (simular and servidor):
        smtp = _servidor(servidor, puerto, usuario, sin_tls, tls_implicito, timeout, ca_certificado, con_password=enviar_de_verdad)
    de = _remitente(remitente, usuario, required=enviar_de_verdad)

    opciones = replace(
        report_options(None, papel, sin_semaforo, por_unidad, plantillas, sin_resumen),
        formatos=("pdf", "xlsx") if adjuntar_xlsx else ("pdf",),
    )
    adjuntos = _attachments(informe, libro, opciones)
    if carpeta:
        for path in _save_attachments(carpeta, adjuntos):
            click.echo(path)
    asunto, cuerpo = redactar(informe, adjuntos, plantillas)
    msg = build_message(asunto=asunto, cuerpo=cuerpo, para=para_, cc=cc_, remitente=de, adjuntos=adjuntos, borrador=not enviar_de_verdad)

    if simular:
        click.echo("Simulación: no se envió nada.")
        servidor_texto = ""
        if smtp is not None:
            servidor_texto = smtp.descripcion + (f", usuario {smtp.usuario}" if smtp.usuario else ", sin usuario")
        click.echo("\n".join(_describe_message(msg, adjuntos, cuerpo, servidor_texto)))
        return
    if borrador:
        path = _draft_path(borrador)
        try:
            write_atomic(path, message_bytes(msg))
        except OSError as exc:
            raise MailError(f"No se pudo escribir el borrador «{path}»: {exc.strerror or exc}.") from exc
        click.echo(path)
        click.echo(
            "Borrador guardado; no se envió nada. Ábralo con doble clic en Outlook (o en Thunderbird: "
            "Archivo > Abrir > Mensaje guardado y, si hace falta, «Editar como nuevo mensaje»), revíselo y envíelo.",
            err=True,
        )
        return
    send_message(msg, smtp, progress=lambda text: click.echo(text, err=True))
    click.echo(f"Reporte enviado a {', '.join(para_)}" + (f" (CC: {', '.join(cc_)})" if cc_ else "") + ".")
    click.echo(f"Asunto: {asunto}")
    click.echo("Adjuntos: " + ", ".join(a.nombre for a in adjuntos))


# reporte_options' help speaks of writing files; for enviar they mean something else
for _param in enviar.params:
    if _param.name == "carpeta":
        _param.help = "Además de enviarlos, guarda los archivos adjuntos en esta carpeta (predeterminado: no se guardan)."
    elif _param.name == "por_unidad":
        _param.help = "Adjunta además un PDF (y un XLSX con --adjuntar-xlsx) por cada unidad ejecutora."
    elif _param.name == "formato":
        _param.hidden = True  # the PDF is always attached; --adjuntar-xlsx adds the XLSX


# --- plantilla: a new capture workbook, or next quarter's ----------------------------


@cli.command("plantilla", **COMMAND)
@click.option("-o", "--salida", type=click.Path(dir_okay=False), metavar="ARCHIVO.xlsx", help="Dónde escribir el libro (predeterminado: libro_de_captura_AAAA_TN.xlsx en la carpeta actual).")
@click.option("--unidades", type=click.IntRange(1, 100), metavar="N", help="Cuántas hojas de unidad ejecutora (predeterminado: 1). No se usa con --desde.")
@click.option("--ejercicio", type=click.IntRange(2000, 2100), metavar="AAAA", help="Año del ejercicio (predeterminado: el del trimestre que acaba de terminar). Con --desde, empieza ese ejercicio nuevo en el trimestre 1.")
@click.option("--trimestre", type=TrimestreType(), help="Trimestre que se va a reportar, 1–4 (predeterminado: el que acaba de terminar). No se usa con --desde.")
@click.option("--ayuntamiento", metavar="TEXTO", help="Nombre del ayuntamiento como va en el título del reporte.")
@click.option("--desde", type=click.Path(dir_okay=False), metavar="TRIMESTRE_ANTERIOR.xlsx", help="Prepara el trimestre siguiente a partir de este libro (que no se modifica).")
@click.option("--sobrescribir", is_flag=True, help="Reemplaza el archivo de salida si ya existe.")
@click.option("--debug", is_flag=True, help="Muestra el detalle técnico (traceback) si algo falla.")
@handle_errors
def plantilla(
    salida: str | None,
    unidades: int | None,
    ejercicio: int | None,
    trimestre: int | None,
    ayuntamiento: str | None,
    desde: str | None,
    sobrescribir: bool,
    debug: bool,
) -> None:
    """Crea un libro de captura nuevo, listo para llenar en Excel o LibreOffice.

    \b
    Ejemplos:
      poa-render plantilla --unidades 3 --ayuntamiento "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"
      poa-render plantilla --desde libro_de_captura_2024_T1.xlsx
      poa-render plantilla --desde libro_de_captura_2024_T4.xlsx --ejercicio 2025
    """
    import os

    from poa_xlsx.captura.plantilla import PlantillaCapturaError, make_next_quarter, make_plantilla
    from poa_xlsx.model import QUARTER_NAMES
    from poa_xlsx.output import write_atomic

    if desde is not None and (unidades is not None or trimestre is not None):
        raise click.UsageError(
            "Con --desde no se usan --unidades ni --trimestre: el libro nuevo tiene las unidades del anterior "
            "y el trimestre siguiente."
        )
    if salida is not None and not salida.lower().endswith(".xlsx"):
        raise click.BadParameter("el nombre del archivo debe terminar en .xlsx.", param_hint="'-o' / '--salida'")
    if desde:
        nuevo = make_next_quarter(desde, ejercicio=ejercicio, ayuntamiento=ayuntamiento)
    else:
        nuevo = make_plantilla(unidades=unidades or 1, ejercicio=ejercicio, trimestre=trimestre, ayuntamiento=ayuntamiento or "")
    path = salida or nuevo.nombre
    if desde and os.path.exists(path) and os.path.samefile(path, desde):
        raise PlantillaCapturaError(f"«{path}» es el libro de origen y no se modifica; indique otro nombre con -o.")
    if os.path.exists(path) and not sobrescribir:
        raise PlantillaCapturaError(f"Ya existe «{path}» y no se reemplaza. Use -o para otro nombre, o --sobrescribir.")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise PlantillaCapturaError(f"No existe la carpeta «{folder}»; créela o indique otra con -o.")
    write_atomic(path, nuevo.data)

    from poa_xlsx.formatting import plural

    shown = f'"{path}"' if " " in path else path
    trimestre_texto = f"ejercicio {nuevo.ejercicio}, trimestre {nuevo.trimestre} ({QUARTER_NAMES[nuevo.trimestre - 1]})"
    if not desde:
        click.echo(f"Libro de captura escrito: {path}")
        click.echo(f"  {trimestre_texto[0].upper()}{trimestre_texto[1:]}; {plural(nuevo.unidades, 'hoja', 'hojas')} de unidad.")
        pasos = [
            "Ábralo en Excel o LibreOffice y lea la hoja INSTRUCCIONES.",
            "Escriba en las celdas azules: primero la hoja GENERAL, luego cada hoja de unidad.",
        ]
    elif nuevo.trimestre == 1:
        click.echo(f"Libro del ejercicio nuevo escrito: {path}")
        click.echo(
            f"  {trimestre_texto[0].upper()}{trimestre_texto[1:]}: {plural(nuevo.unidades, 'unidad', 'unidades')} y "
            f"{plural(nuevo.metas, 'meta')} copiadas de {desde} (que no se modificó)."
        )
        pasos = [
            "Revise la clasificación y las firmas de cada hoja de unidad; borre las metas que ya no sigan y agregue las nuevas.",
            "Escriba la META ANUAL y lo programado (P) de cada meta para el ejercicio nuevo "
            "(los del año anterior quedaron como nota en la celda de la META ANUAL).",
        ]
    else:
        quarter = QUARTER_NAMES[nuevo.trimestre - 1]
        click.echo(f"Libro del trimestre siguiente escrito: {path}")
        click.echo(
            f"  {trimestre_texto[0].upper()}{trimestre_texto[1:]}: {plural(nuevo.unidades, 'unidad', 'unidades')} y "
            f"{plural(nuevo.metas, 'meta')} copiadas de {desde} (que no se modificó)."
        )
        pasos = [
            f"Escriba el alcanzado (A) de {quarter} en la columna amarilla de cada hoja de unidad (0 si no hubo avance).",
            "Escriba la justificación en las celdas de OBSERVACIONES que se pongan naranjas "
            "(la observación anterior quedó como nota en la celda, por si sigue valiendo).",
        ]
    pasos.append(f"Revíselo con: poa-render validar {shown}")
    click.echo("Siguientes pasos:")
    for number, paso in enumerate(pasos, start=1):
        click.echo(f"  {number}. {paso}")


# --- resumen: the whole Ayuntamiento in one summary ----------------------------------------


def _periodos_distintos(revisiones: list[Any]) -> list[str]:
    """Lines naming each workbook's period, when they are not all the same; else []."""
    from poa_xlsx.formatting import titulo_trimestre

    periodos = {(r.informe.general.ejercicio, r.informe.general.trimestre) for r in revisiones}
    if len(periodos) <= 1:
        return []
    return [f"  {r.path}: {titulo_trimestre(r.informe.general.trimestre, r.informe.general.ejercicio).lower()}" for r in revisiones]


def _resumen_stem(salida: str | None, informe: Any) -> str:
    """ARCHIVO without a .xlsx/.pdf extension (both are written from it)."""
    import os

    if not salida:
        g = informe.general
        return f"resumen_{g.ejercicio}_T{g.trimestre}"
    root, ext = os.path.splitext(salida)
    return root if ext.lower() in (".xlsx", ".pdf") else salida


@cli.command("resumen", **COMMAND)
@click.argument("libros", nargs=-1, required=True, metavar="LIBRO.xlsx [MÁS.xlsx ...]")
@click.option(
    "-o",
    "--salida",
    type=click.Path(dir_okay=False),
    metavar="ARCHIVO",
    help="Nombre de los archivos, sin extensión: escribe ARCHIVO.xlsx y ARCHIVO.pdf (predeterminado: resumen_AAAA_TN en la carpeta actual).",
)
@click.option("--formato", type=click.Choice(["xlsx", "pdf"]), help="Genera solo este formato (predeterminado: los dos).")
@click.option("--papel", type=click.Choice(["carta", "oficio"]), default="carta", show_default=True, help="Tamaño de papel, en horizontal.")
@click.option("--datos", type=click.Path(dir_okay=False), metavar="ARCHIVO.csv", help=DATOS_HELP)
@click.option("--mezclar-periodos", is_flag=True, help="Junta libros de distinto trimestre o ejercicio (normalmente se rechazan).")
@calculo_options
@handle_errors
def resumen(
    libros: tuple[str, ...],
    salida: str | None,
    formato: str | None,
    papel: str,
    datos: str | None,
    mezclar_periodos: bool,
    trimestre: int | None,
    base: str | None,
    fecha: dt.date | None,
    estricto: bool,
    debug: bool,
) -> None:
    """Consolida los libros de varios ramos del mismo trimestre en un solo resumen (XLSX y PDF).

    \b
    Por ramo y por unidad: metas cumplidas, rebasadas, no alcanzadas y sin programación, con
    totales, semáforo y una gráfica por ramo; al final, las metas en rojo o naranja con su
    justificación. Ejemplo:
      poa-render resumen ramo01.xlsx ramo58.xlsx ramo59.xlsx -o resumen_2024_T1

    Si algún libro tiene errores, o los libros son de trimestres o ejercicios distintos, no escribe
    nada y dice por qué.
    """
    import os

    from poa_xlsx.formatting import plural
    from poa_xlsx.layout.reporte import reporte_resumen
    from poa_xlsx.output import write_atomic
    from poa_xlsx.render.reporte import FORMATOS, ReporteError, render
    from poa_xlsx.revision.resumen import build_resumen

    seen: dict[str, str] = {}
    for path in libros:
        key = os.path.normcase(os.path.realpath(path))
        if key in seen:
            raise click.UsageError(f"El libro «{path}» se indicó más de una vez (también como «{seen[key]}»).")
        seen[key] = path

    overrides = _overrides(trimestre, base, fecha)
    revisiones, fallidos = [], []
    for path in libros:
        revision = check_book(path, estricto, overrides, debug)
        if revision is None:
            fallidos.append(path)
            continue
        revisiones.append(revision)
    if fallidos:
        click.echo(
            f"No se escribió el resumen: {plural(len(fallidos), 'libro tiene', 'libros tienen')} errores "
            f"({', '.join(fallidos)}). Corríjalos y vuelva a ejecutar el comando.",
            err=True,
        )
        sys.exit(1)
    distintos = _periodos_distintos(revisiones)
    if distintos and not mezclar_periodos:
        click.echo(
            "\n".join(
                ["No se escribió el resumen: los libros son de periodos distintos.", *distintos]
                + [
                    "Consolide libros del mismo trimestre y ejercicio, o use --mezclar-periodos si de verdad "
                    "quiere juntarlos (cada ramo indicará su periodo)."
                ]
            ),
            err=True,
        )
        sys.exit(1)

    informes = [r.informe for r in revisiones]
    datos_resumen = build_resumen(informes)
    reporte = reporte_resumen(datos_resumen, [i.general for i in informes])
    stem = _resumen_stem(salida, informes[0])
    # everything rendered before anything is written: no half set of files
    files = [(f"{stem}.{fmt}", render(reporte, fmt, papel)) for fmt in ((formato,) if formato else FORMATOS)]
    folder = os.path.dirname(os.path.abspath(stem))
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise ReporteError(f"No se pudo crear la carpeta de salida «{folder}»: {exc.strerror}.") from exc
    for path, data in files:
        try:
            write_atomic(path, data)
        except OSError as exc:
            raise ReporteError(f"No se pudo escribir «{path}»: {exc.strerror or exc}.") from exc
        click.echo(path)
    if datos:
        click.echo(write_datos(datos, informes))
    total = datos_resumen.total
    atencion = sum(len(r.atencion) for r in datos_resumen.ramos)
    unidades = sum(len(r.filas) for r in datos_resumen.ramos)
    click.echo(
        f"{plural(len(datos_resumen.ramos), 'ramo')}, {plural(unidades, 'unidad', 'unidades')}, "
        f"{plural(total.metas, 'meta')}: {plural(total.cumplidas, 'cumplida')}, "
        f"{plural(total.rebasadas, 'rebasada')}, {total.no_alcanzadas} no alcanzada{'' if total.no_alcanzadas == 1 else 's'}, "
        f"{total.sin_programacion} sin programación; {atencion} en rojo o naranja."
    )


# A run builds large object graphs without reference cycles (rows, model, layout, PDF
# operators); with Python's default thresholds the garbage collector walked them over
# and over, a fifth of a whole Ayuntamiento's run (benchmarks/run.py).
GC_THRESHOLD = (100_000, 50, 100)


def main() -> None:
    """Console-script entry point."""
    import gc

    gc.set_threshold(*GC_THRESHOLD)
    cli(prog_name="poa-render")


if __name__ == "__main__":  # pragma: no cover
    main()
