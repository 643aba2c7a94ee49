"""The public API: each workflow a front door runs, as one function.

The command line (:mod:`poa_xlsx.cli`) and the portal (:mod:`poa_xlsx.web`) call
these and nothing below them: they parse what the user gave, call one function,
and show the result. Each function returns values, or raises one
:class:`~poa_xlsx.problems.PoaError` subclass whose Spanish message names no
command-line option (the front door adds its own hint where it has one).

=============================  ==============================================
workflow                       function
=============================  ==============================================
check a workbook               :func:`check_workbook`
write its report               :func:`report_workbook` (:func:`write_report`)
open-data CSV                  :func:`write_open_data`
summary of several workbooks   :func:`summarize_workbooks`, :func:`write_summary`
blank capture workbook         :func:`write_template`
next quarter's workbook        :func:`write_next_quarter`
import another layout          :func:`import_workbook`
e-mail the report              :func:`compose_email`, :func:`send_email`, :func:`save_draft`
sign the report's PDF          :func:`firmar_reporte` (e.firma, pyHanko: the ``firma`` extra)
verify its signatures          :func:`verificar_reporte`
=============================  ==============================================
"""
from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable, Sequence

from poa_xlsx.firma import FirmaError, require_pyhanko
from poa_xlsx.formatting import plural, titulo_trimestre
from poa_xlsx.importar import Importado, ImportarError
from poa_xlsx.lectura.reader import Lectura, read_workbook
from poa_xlsx.model import Base
from poa_xlsx.output import EscrituraError, SalidaEsEntradaError, check_outputs, make_folder, write_file, write_files
from poa_xlsx.problems import LibroError, PoaError, Problem
from poa_xlsx.render.reporte import FORMATOS, Opciones, ReporteError, default_folder, stem_of, write_report
from poa_xlsx.revision.compute import Estatus, Informe, compute_figures
from poa_xlsx.revision.validate import validate

if TYPE_CHECKING:
    from email.headerregistry import Address
    from email.message import EmailMessage

    from poa_xlsx.captura.plantilla import Plantilla
    from poa_xlsx.correo.mensaje import Adjunto
    from poa_xlsx.correo.smtp import ServidorSMTP
    from poa_xlsx.firma.credencial import Titular
    from poa_xlsx.firma.nombres import CampoReporte
    from poa_xlsx.firma.verificar import Verificacion
    from poa_xlsx.revision.resumen import Resumen

__all__ = [
    "Calculo",
    "Correo",
    "LibroNuevo",
    "Opciones",
    "PeriodosDistintosError",
    "ReporteLibro",
    "LibroEnCarpeta",
    "ResumenEscrito",
    "Revision",
    "UnidadRepetidaError",
    "is_capture_workbook",
    "read_expected_ramos",
    "workbooks_to_summarize",
    "check_workbook",
    "compose_email",
    "report_workbook",
    "save_attachments",
    "save_draft",
    "send_email",
    "status_line",
    "summarize_workbooks",
    "write_next_quarter",
    "write_open_data",
    "write_report",
    "write_summary",
    "write_template",
    "write_marked_workbook",
]


# --- one workbook checked ---------------------------------------------------------------------


@dataclass(frozen=True)
class Revision:
    """A checked workbook: its problems and, when it has no errors, its figures."""

    path: str
    lectura: Lectura
    problems: tuple[Problem, ...]
    informe: Informe | None

    @property
    def errores(self) -> list[Problem]:
        return [p for p in self.problems if p.es_error]

    @property
    def advertencias(self) -> list[Problem]:
        return [p for p in self.problems if not p.es_error]

    @property
    def ok(self) -> bool:
        return self.informe is not None


def check_workbook(
    path: str,
    *,
    trimestre: int | None = None,
    base: Base | None = None,
    fecha: dt.date | None = None,
    estricto: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> Revision:
    """Read, validate and, if there are no errors, compute a workbook.

    Raises :class:`~poa_xlsx.problems.LibroError` if the file cannot be read.
    """
    lectura = read_workbook(path, trimestre=trimestre, base=base, fecha=fecha, progress=progress)
    problems, cifras = validate(
        lectura.unidades, lectura.general, leidos=lectura.problems, hojas=lectura.sheet_names,
        general_valida=lectura.libro is not None, estricto=estricto, fecha_indicada=fecha is not None,
    )
    informe = None
    if lectura.libro is not None and not any(p.es_error for p in problems):
        informe = compute_figures(lectura.libro, known=cifras)  # each goal's figures, computed once by validate
    return Revision(path=str(path), lectura=lectura, problems=tuple(problems), informe=informe)


@dataclass(frozen=True)
class Calculo:
    """What changes the figures, over the workbook's own GENERAL sheet (None: the workbook's)."""

    trimestre: int | None = None
    base: Base | None = None
    fecha: dt.date | None = None
    estricto: bool = False

    def check(self, path: str, progress: Callable[[int, int], None] | None = None) -> Revision:
        return check_workbook(path, trimestre=self.trimestre, base=self.base, fecha=self.fecha,
                              estricto=self.estricto, progress=progress)


# --- one workbook's report ------------------------------------------------------------------


@dataclass(frozen=True)
class ReporteLibro:
    """A workbook checked and, when it had no errors, its report written."""

    revision: Revision
    paths: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return self.revision.ok


def report_workbook(
    path: str,
    *,
    carpeta: str | None = None,
    opciones: Opciones = Opciones(),
    calculo: Calculo = Calculo(),
    reading: Callable[[int, int], None] | None = None,
    writing: Callable[[str], None] | None = None,
    entradas: Sequence[str] = (),
) -> ReporteLibro:
    """Check the workbook at ``path`` and, if it has no errors, write its report files
    (``LIBRO_TMM-F004.xlsx`` and ``.pdf``) into ``carpeta`` (default: the workbook's folder).

    With errors nothing is written and ``paths`` is empty; the problems are in
    ``revision``. Raises :class:`~poa_xlsx.problems.LibroError` when the file cannot be
    read at all and :class:`~poa_xlsx.output.EscrituraError` (all or nothing) when a file cannot be
    written. ``reading(done, total)`` and ``writing(path)`` report progress. No file is
    written over ``path`` or any of ``entradas`` (:class:`~poa_xlsx.output.SalidaEsEntradaError`).
    """
    revision = calculo.check(path, reading)
    if revision.informe is None:
        return ReporteLibro(revision, ())
    paths = write_report(revision.informe, carpeta or default_folder(path), stem_of(path), opciones, progress=writing,
                         entradas=[path, *entradas])
    return ReporteLibro(revision, tuple(paths))


def write_open_data(path: str, informes: Sequence[Informe], entradas: Sequence[str] = ()) -> str:
    """The open-data CSV of ``informes`` (one row per goal), written atomically at ``path``
    (never over one of ``entradas``)."""
    from poa_xlsx.render.datos import render_csv

    check_outputs([path], entradas)
    return write_file(path, render_csv(list(informes)))


def status_line(informe: Informe) -> str:
    """``3 unidades, 20 metas: 14 cumplidas, 2 rebasadas, 3 no alcanzadas, 1 sin programación.``"""
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


def write_marked_workbook(path: str, revision: Revision, carpeta: str | None = None) -> str:
    """``LIBRO_revision.xlsx`` beside the workbook (or in ``carpeta``): a copy with each problem
    cell filled red (error) or orange (warning) with the message as a comment, and a first
    sheet PROBLEMAS linking to each cell; .xlsm keeps its macros. The workbook is not touched.
    Returns the path written (atomically)."""
    from poa_xlsx.revision.marcar import write_marked

    return write_marked(path, revision.problems, carpeta)


# --- the summary of several workbooks ---------------------------------------------------------


class PeriodosDistintosError(PoaError):
    """The workbooks to summarise are of different quarters or years."""

    def __init__(self, periodos: Sequence[tuple[str, str]]) -> None:
        self.periodos = tuple(periodos)
        lines = "\n".join(f"  {path}: {periodo}" for path, periodo in self.periodos)
        super().__init__(
            "No se escribió el resumen: los libros son de periodos distintos.\n"
            f"{lines}\nConsolide libros del mismo trimestre y ejercicio, o pida expresamente juntar periodos "
            "distintos (cada ramo indicará su periodo)."
        )


class UnidadRepetidaError(PoaError):
    """The same unit (ramo, unidad ejecutora, proyecto) in two workbooks: it would be counted twice."""

    def __init__(self, repetidas: Sequence[tuple[str, str, str]]) -> None:
        self.repetidas = tuple(repetidas)
        lines = "\n".join(f"  {unidad}: en «{a}» y en «{b}»" for unidad, a, b in self.repetidas)
        super().__init__(
            "No se escribió el resumen: "
            + ("una unidad aparece" if len(self.repetidas) == 1 else f"{len(self.repetidas)} unidades aparecen")
            + f" en dos libros y se contaría dos veces.\n{lines}\nDeje cada unidad en un solo libro (quite el "
            "libro repetido o corrija la clave de RAMO, UNIDAD EJECUTORA o PROYECTO) y vuelva a intentarlo."
        )


@dataclass(frozen=True)
class ResumenEscrito:
    paths: tuple[str, ...]
    resumen: Resumen
    faltantes: tuple[tuple[str, str], ...] = ()

    @property
    def faltantes_texto(self) -> str:
        """``Faltan 3 ramos: 12 OBRAS PÚBLICAS, ...`` ('' when none is missing)."""
        from poa_xlsx.revision.resumen import texto_faltantes

        return texto_faltantes(self.faltantes)

    def describe(self) -> str:
        """``3 ramos, 12 unidades, 80 metas: ...; 5 en rojo o naranja.``"""
        total = self.resumen.total
        atencion = sum(len(r.atencion) for r in self.resumen.ramos)
        unidades = sum(len(r.filas) for r in self.resumen.ramos)
        return (
            f"{plural(len(self.resumen.ramos), 'ramo')}, {plural(unidades, 'unidad', 'unidades')}, "
            f"{plural(total.metas, 'meta')}: {plural(total.cumplidas, 'cumplida')}, "
            f"{plural(total.rebasadas, 'rebasada')}, {total.no_alcanzadas} no alcanzada"
            f"{'' if total.no_alcanzadas == 1 else 's'}, {total.sin_programacion} sin programación; "
            f"{atencion} en rojo o naranja."
        )


def summarize_workbooks(revisiones: Sequence[Revision], *, mezclar_periodos: bool = False) -> Resumen:
    """The figures of the summary (by ramo and unit) of workbooks without errors.

    Raises :class:`PeriodosDistintosError` when they are of different periods,
    unless ``mezclar_periodos``, and :class:`UnidadRepetidaError` when a unit is in two
    workbooks.
    """
    from poa_xlsx.revision.resumen import build_resumen, unidades_repetidas

    informes = [_informe(r) for r in revisiones]
    if not informes:
        raise PoaError("No hay libros que resumir.")
    repetidas = unidades_repetidas(informes)
    if repetidas:
        raise UnidadRepetidaError(repetidas)
    periodos = {(i.general.ejercicio, i.general.trimestre) for i in informes}
    if len(periodos) > 1 and not mezclar_periodos:
        raise PeriodosDistintosError(
            [(r.path, titulo_trimestre(i.general.trimestre, i.general.ejercicio).lower()) for r, i in zip(revisiones, informes, strict=True)]
        )
    return build_resumen(informes)


def write_summary(
    revisiones: Sequence[Revision],
    stem: str | None = None,
    *,
    formatos: Iterable[str] = FORMATOS,
    papel: str = "carta",
    mezclar_periodos: bool = False,
    entradas: Sequence[str] = (),
    esperados: Sequence[tuple[str, str]] = (),
) -> ResumenEscrito:
    """Write ``STEM.xlsx`` and ``STEM.pdf``, the RESUMEN of several ramos' workbooks.

    ``stem`` defaults to ``resumen_AAAA_TN`` in the current folder; a ``.xlsx`` or ``.pdf``
    extension on it is dropped. Everything is rendered before anything is written, and
    nothing over a workbook read (nor ``entradas``). ``esperados`` (code, name) are the
    ramos that should be there: those missing are named on the summary and in ``faltantes``.
    """
    from poa_xlsx.layout.reporte import reporte_resumen
    from poa_xlsx.render.reporte import render
    from poa_xlsx.revision.resumen import ramos_faltantes

    resumen = summarize_workbooks(revisiones, mezclar_periodos=mezclar_periodos)
    informes = [_informe(r) for r in revisiones]
    stem = _summary_stem(stem, informes[0])
    faltantes = tuple(ramos_faltantes(resumen, esperados))
    reporte = reporte_resumen(resumen, [i.general for i in informes], faltantes)
    formatos = tuple(formatos)
    check_outputs([f"{stem}.{fmt}" for fmt in formatos], [*(r.path for r in revisiones), *entradas])
    files = [(f"{stem}.{fmt}", render(reporte, fmt, papel)) for fmt in formatos]
    make_folder(os.path.dirname(os.path.abspath(stem)))
    return ResumenEscrito(tuple(write_files(files)), resumen, faltantes)


def read_expected_ramos(path: str) -> list[tuple[str, str]]:
    """The ramos expected in a summary, from a text file: one code per line, optionally
    followed by the ramo's name (``12 OBRAS PÚBLICAS``); ``#`` starts a comment line."""
    from poa_xlsx.output import razon
    from poa_xlsx.revision.resumen import parse_esperados

    try:
        with open(path, "rb") as handle:
            raw = handle.read(1_000_000)
    except OSError as exc:
        raise PoaError(f"No se pudo leer la lista de ramos esperados «{path}»: {razon(exc)}.") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", "replace")  # saved by Notepad or Excel as «ANSI»
    ramos = parse_esperados(text)
    if not ramos:
        raise PoaError(f"La lista de ramos esperados «{path}» está vacía: escriba una clave de ramo por renglón, "
                       "por ejemplo «12 OBRAS PÚBLICAS».")
    return ramos


@dataclass(frozen=True)
class LibroEnCarpeta:
    """A workbook to summarise: its path, and whether it was found in a folder (then a
    workbook that is not a capture workbook is skipped, not an error)."""

    path: str
    de_carpeta: bool = False


def workbooks_to_summarize(paths: Iterable[str]) -> list[LibroEnCarpeta]:
    """The paths given, with each folder replaced by the ``.xlsx`` and ``.xlsm`` files in it
    (not in its subfolders; in name order), leaving out Excel's lock files (``~$…``)."""
    libros: list[LibroEnCarpeta] = []
    for path in paths:
        if not os.path.isdir(path):
            libros.append(LibroEnCarpeta(path))
            continue
        try:
            names = sorted(os.listdir(path), key=str.lower)
        except OSError as exc:
            from poa_xlsx.output import razon

            raise PoaError(f"No se pudo leer la carpeta «{path}»: {razon(exc)}.") from exc
        for name in names:
            full = os.path.join(path, name)
            if name.lower().endswith((".xlsx", ".xlsm")) and not name.startswith("~$") and os.path.isfile(full):
                libros.append(LibroEnCarpeta(full, de_carpeta=True))
    return libros


def is_capture_workbook(revision: Revision) -> bool:
    """Whether the workbook read looks like a capture workbook (it has a GENERAL sheet):
    a report or a summary left in the same folder does not."""
    return not any(p.code == "hoja-general-faltante" for p in revision.problems)


def _informe(revision: Revision) -> Informe:
    if revision.informe is None:
        raise PoaError(f"El libro «{revision.path}» tiene errores; corríjalos antes de resumirlo.")
    return revision.informe


def _summary_stem(salida: str | None, informe: Informe) -> str:
    if not salida:
        g = informe.general
        return f"resumen_{g.ejercicio}_T{g.trimestre}"
    root, ext = os.path.splitext(salida)
    return root if ext.lower() in (".xlsx", ".pdf") else salida


# --- the capture workbook ---------------------------------------------------------------------


class ArchivoExistenteError(PoaError):
    """The output file exists and replacing it was not asked for."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(f"Ya existe «{path}» y no se reemplaza: indique otro nombre o pida reemplazarlo.")


@dataclass(frozen=True)
class LibroNuevo:
    """A capture workbook written: where, and what it holds."""

    path: str
    plantilla: Plantilla


def write_template(
    path: str | None = None,
    *,
    unidades: int = 1,
    ejercicio: int | None = None,
    trimestre: int | None = None,
    ayuntamiento: str = "",
    sobrescribir: bool = False,
) -> LibroNuevo:
    """Write a blank capture workbook (default name ``libro_de_captura_AAAA_TN.xlsx``)."""
    from poa_xlsx.captura.plantilla import make_plantilla

    nuevo = make_plantilla(unidades=unidades, ejercicio=ejercicio, trimestre=trimestre, ayuntamiento=ayuntamiento)
    return LibroNuevo(_write_new_workbook(path or nuevo.nombre, nuevo.data, sobrescribir), nuevo)


def write_next_quarter(
    desde: str,
    path: str | None = None,
    *,
    ejercicio: int | None = None,
    ayuntamiento: str | None = None,
    sobrescribir: bool = False,
) -> LibroNuevo:
    """Write next quarter's capture workbook (or a new year's, with ``ejercicio``) from
    the workbook at ``desde``, which is only read."""
    from poa_xlsx.captura.siguiente import make_next_quarter

    if path:
        check_outputs([path], [desde])  # before the (slow) reading
    nuevo = make_next_quarter(desde, ejercicio=ejercicio, ayuntamiento=ayuntamiento)
    target = path or nuevo.nombre
    check_outputs([target], [desde])
    return LibroNuevo(_write_new_workbook(target, nuevo.data, sobrescribir), nuevo)


def _write_new_workbook(path: str, data: bytes, sobrescribir: bool) -> str:
    from poa_xlsx.captura.plantilla import PlantillaCapturaError

    if os.path.exists(path) and not sobrescribir:
        raise ArchivoExistenteError(path)
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise PlantillaCapturaError(f"No existe la carpeta «{folder}»; créela o indique otra.")
    return write_file(path, data)


# --- e-mail -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Correo:
    """The e-mail of one report, composed and ready to send or save."""

    mensaje: EmailMessage
    adjuntos: tuple[Adjunto, ...]
    asunto: str
    cuerpo: str
    para: tuple[str, ...]
    cc: tuple[str, ...]


def compose_email(
    informe: Informe,
    libro: str,
    *,
    opciones: Opciones = Opciones(formatos=("pdf",)),
    para: Sequence[str] = (),
    cc: Sequence[str] = (),
    remitente: Address | None = None,
    borrador: bool = False,
    progress: Callable[[str], None] | None = None,
) -> Correo:
    """The message with the report of ``informe`` attached (rendered in memory, PDF first).

    Recipients default to CORREO TESORERÍA of the GENERAL sheet; raises
    :class:`~poa_xlsx.correo.mensaje.MailError` when there are none.
    """
    from poa_xlsx.correo.mensaje import Adjunto, MailError, build_message
    from poa_xlsx.correo.redactar import redactar
    from poa_xlsx.render import reporte as report

    para_ = tuple(para) or tuple(informe.general.correos)
    if not para_:
        raise MailError(
            "No hay a quién enviar el reporte: escriba la dirección de Tesorería en CORREO TESORERÍA de la hoja "
            "GENERAL, o indique el destinatario."
        )
    cc_ = tuple(a for a in cc if a.lower() not in {p.lower() for p in para_})
    reporte = report.build_reporte(informe, opciones)
    adjuntos = []
    for name, single, fmt in report.output_names(report.stem_of(libro), reporte, opciones):
        if progress:
            progress(name)
        adjuntos.append(Adjunto(name, report.render(single, fmt, opciones.papel)))
    asunto, cuerpo = redactar(informe, adjuntos, opciones.plantillas)
    msg = build_message(asunto=asunto, cuerpo=cuerpo, para=para_, cc=cc_, remitente=remitente, adjuntos=adjuntos,
                        borrador=borrador)
    return Correo(msg, tuple(adjuntos), asunto, cuerpo, para_, cc_)


def save_attachments(correo: Correo, carpeta: str, entradas: Sequence[str] = ()) -> list[str]:
    """Write the attachments as files in ``carpeta``, all or nothing (never over one of
    ``entradas``); return their paths."""
    files = [(os.path.join(carpeta, a.nombre), a.datos) for a in correo.adjuntos]
    check_outputs([p for p, _ in files], entradas)
    make_folder(carpeta)
    return write_files(files)


def save_draft(correo: Correo, path: str, entradas: Sequence[str] = ()) -> str:
    """Save the message as a draft ``.eml`` (added when missing: Outlook and Thunderbird open
    a draft by double-click only with it); return the path written."""
    from poa_xlsx.correo.mensaje import MailError, message_bytes

    path = draft_path(path)
    check_outputs([path], entradas)
    try:
        return write_file(path, message_bytes(correo.mensaje))
    except EscrituraError as exc:
        raise MailError(str(exc).replace("No se pudo escribir «", "No se pudo escribir el borrador «", 1)) from exc


def draft_path(path: str) -> str:
    """The draft's file name: ``.eml`` added when missing."""
    return path if path.lower().endswith(".eml") else path + ".eml"


def send_email(correo: Correo, servidor: ServidorSMTP, *, progress: Callable[[str], None] | None = None) -> None:
    """Send the message through ``servidor``; raises MailError with what to do when it fails."""
    from poa_xlsx.correo.smtp import send_message

    send_message(correo.mensaje, servidor, progress=progress)


# --------------------------------------------------------------------------- e.firma signatures

COMO = ("elaboro", "reviso", "autorizo")  # the signing roles, as they are chosen


@dataclass(frozen=True)
class FirmaEscrita:
    salida: str
    titular: Titular
    campos: tuple[CampoReporte, ...]


def default_output(entrada: str | os.PathLike[str]) -> str:
    """``REPORTE.pdf`` -> ``REPORTE_firmado.pdf`` -> ``REPORTE_firmado_2.pdf`` -> ``_3`` ...:
    never the input itself, so each person's signing leaves the previous file as it was."""
    path = Path(entrada)
    m = re.fullmatch(r"(.*)_firmado(?:_(\d+))?", path.stem)
    if m:
        n = int(m.group(2) or 1) + 1
        name = f"{m.group(1)}_firmado_{n}{path.suffix or '.pdf'}"
    else:
        name = f"{path.stem}_firmado{path.suffix or '.pdf'}"
    return str(path.with_name(name))


def firmar_reporte(
    entrada: str | os.PathLike[str],
    *,
    password: bytes,
    cer: str | os.PathLike[str] | None = None,
    key: str | os.PathLike[str] | None = None,
    pfx: str | os.PathLike[str] | None = None,
    salida: str | os.PathLike[str] | None = None,
    como: str | None = None,
    unidad: str | None = None,
    sello_tiempo: str | None = None,
    ahora: dt.datetime | None = None,
) -> FirmaEscrita:
    """Sign every empty field of ``entrada`` whose printed name is the holder's (or only
    those of role ``como`` / unit ``unidad``) and write the result atomically to ``salida``
    (default :func:`default_output`).  ``entrada`` is never changed unless ``salida`` names it."""
    require_pyhanko()
    from poa_xlsx.firma.credencial import load_credencial
    from poa_xlsx.firma.firmar import _reader, check_vigencia, choose_fields, list_fields, sign_pdf
    from poa_xlsx.firma.verificar import read_pdf
    from poa_xlsx.output import razon, write_atomic

    if como is not None and como.lower() not in COMO:
        raise FirmaError(f"«{como}» no es un papel de firma: use elaboro, reviso o autorizo.")
    nombre = os.fspath(entrada)
    data = read_pdf(entrada)
    reader = _reader(data, nombre)  # a bad PDF is said before the password is used
    credencial = load_credencial(cer=cer, key=key, pfx=pfx, password=password)
    check_vigencia(credencial, ahora or dt.datetime.now(dt.timezone.utc))
    campos = choose_fields(list_fields(reader), credencial.titular.nombre, como=como, unidad=unidad, documento=nombre)
    firmado = sign_pdf(data, credencial, campos, sello_tiempo=sello_tiempo)
    destino = os.fspath(salida) if salida is not None else default_output(entrada)
    try:
        write_atomic(destino, firmado)
    except OSError as exc:
        raise FirmaError(f"No se pudo escribir «{destino}»: {razon(exc)}.") from exc
    return FirmaEscrita(destino, credencial.titular, tuple(campos))


def verificar_reporte(
    path: str | os.PathLike[str], raices: Sequence[str | os.PathLike[str]] = (), *, nombre: str | None = None
) -> Verificacion:
    """Every signature field of the PDF at ``path``: who signed, when, and whether it holds.

    ``nombre`` is how messages name the document (default: ``path``), for a file kept
    under another name than the one its owner knows (the portal's uploads)."""
    require_pyhanko()
    from poa_xlsx.firma.verificar import load_roots, read_pdf, verify_pdf

    roots = load_roots(raices)
    return verify_pdf(read_pdf(path), raices=roots, documento=nombre if nombre is not None else os.fspath(path))


# Re-exported for front doors that only import this module.
__all__ += ["COMO", "FirmaEscrita", "default_output", "firmar_reporte", "verificar_reporte"]
__all__ += ["ArchivoExistenteError", "EscrituraError", "SalidaEsEntradaError", "check_outputs", "LibroError", "PoaError", "ReporteError", "draft_path"]


# --- importing other layouts (issue #18) ----------------------------------------------------------


@dataclass(frozen=True)
class Importacion:
    """An import: what was read from the source, and the capture workbook written (if it was).

    ``path`` is None when the source has problems that would lose data
    (``importado.bloqueantes``): nothing is written then. ``revision`` is the
    written workbook checked as ``validar`` would.
    """

    origen: str
    path: str | None
    importado: Importado
    revision: Revision | None


def default_import_path(origen: str) -> str:
    """``ORIGEN_captura.xlsx`` next to the source."""
    root, _ext = os.path.splitext(origen)
    return f"{root}_captura.xlsx"


def import_workbook(
    origen: str,
    path: str | None = None,
    *,
    mapa: str | None = None,
    ejercicio: int | None = None,
    trimestre: int | None = None,
    ayuntamiento: str | None = None,
    sobrescribir: bool = False,
) -> Importacion:
    """Turn a workbook in another layout into a capture workbook at ``path``.

    With ``mapa`` (a MAPA.toml path) the source is read as the map says; without
    it, as a hand-made TMM-F004 report. The source is only read. Raises
    :class:`~poa_xlsx.importar.mapa.MapaError` for a map that does not fit,
    :class:`~poa_xlsx.importar.ImportarError` when nothing can be imported.
    """
    from poa_xlsx.captura.siguiente import make_libro

    target = path or default_import_path(origen)
    if not target.lower().endswith(".xlsx"):
        raise ImportarError(f"El libro de captura debe terminar en .xlsx, no «{target}».")
    if os.path.exists(target) and os.path.exists(origen) and os.path.samefile(target, origen):
        raise ImportarError(f"«{target}» es el libro de origen y no se modifica; indique otro nombre para el libro nuevo.")
    if mapa is not None:
        from poa_xlsx.importar.mapa import load_mapa
        from poa_xlsx.importar.plano import import_with_map

        importado = import_with_map(origen, load_mapa(mapa))
        overrides = {k: v for k, v in (("ejercicio", ejercicio), ("trimestre", trimestre)) if v is not None}
        if ayuntamiento is not None:
            overrides["ayuntamiento"] = ayuntamiento.strip()  # type: ignore[assignment]
        if overrides:
            from dataclasses import replace

            from poa_xlsx.values import last_day_of_quarter

            general = replace(importado.general, **overrides)  # type: ignore[arg-type]
            if ejercicio or trimestre:  # the map's FECHA was for its own period
                general = replace(general, fecha=last_day_of_quarter(general.ejercicio, general.trimestre))
            importado = replace(importado, general=general)
    else:
        from poa_xlsx.importar.tmm_f004 import import_tmm_f004

        importado = import_tmm_f004(origen, ejercicio=ejercicio, trimestre=trimestre, ayuntamiento=ayuntamiento)
    if importado.bloqueantes or not importado.unidades:
        return Importacion(origen, None, importado, None)
    try:
        nuevo = make_libro(importado.general, list(importado.unidades))
    except PoaError as exc:
        raise ImportarError(str(exc)) from exc
    written = _write_new_workbook(target, nuevo.data, sobrescribir)
    return Importacion(origen, written, importado, check_workbook(written))


__all__ += ["Importacion", "Importado", "ImportarError", "default_import_path", "import_workbook"]
