"""The summary (RESUMEN): per unit and per ramo counts of goals by status.

Pure, like :mod:`compute`: figures in, summary rows out. Rules where the
issue is silent (documented in docs/resumen.md):

- *rebasadas* counts both ``rebasada`` and ``adelantada`` goals (both print
  SE REBASÓ LA META and are naranja);
- *programadas* are the goals with something programmed up to the quarter
  (every status but ``sin programación``); the share of cumplidas is over
  those, ``None`` when there are none;
- the unit's semáforo applies the goal thresholds to that share: verde from
  100 % − tolerancia, amarillo from 50 %, rojo below, gris with nothing
  programmed.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Iterable

from poa_xlsx.model import Clasificacion
from poa_xlsx.revision.compute import Estatus, Informe, Semaforo, UnidadCalculada

ATENCION = (Semaforo.ROJO, Semaforo.NARANJA)


@dataclass(frozen=True)
class Conteo:
    metas: int = 0
    cumplidas: int = 0
    rebasadas: int = 0
    no_alcanzadas: int = 0
    sin_programacion: int = 0

    @property
    def programadas(self) -> int:
        return self.metas - self.sin_programacion

    @property
    def proporcion_cumplidas(self) -> Fraction | None:
        return None if self.programadas == 0 else Fraction(self.cumplidas, self.programadas)

    def __add__(self, other: Conteo) -> Conteo:
        return Conteo(
            self.metas + other.metas,
            self.cumplidas + other.cumplidas,
            self.rebasadas + other.rebasadas,
            self.no_alcanzadas + other.no_alcanzadas,
            self.sin_programacion + other.sin_programacion,
        )


def contar(unidad: UnidadCalculada) -> Conteo:
    by = unidad.conteo()
    return Conteo(
        metas=len(unidad.metas),
        cumplidas=by[Estatus.CUMPLIDA],
        rebasadas=by[Estatus.REBASADA] + by[Estatus.ADELANTADA],
        no_alcanzadas=by[Estatus.NO_ALCANZADA],
        sin_programacion=by[Estatus.SIN_PROGRAMACION],
    )


def semaforo_de(conteo: Conteo, tolerancia: Decimal) -> Semaforo:
    share = conteo.proporcion_cumplidas
    if share is None:
        return Semaforo.GRIS
    if share >= 1 - Fraction(tolerancia):
        return Semaforo.VERDE
    if share >= Fraction(1, 2):
        return Semaforo.AMARILLO
    return Semaforo.ROJO


@dataclass(frozen=True)
class FilaUnidad:
    ramo: Clasificacion | None
    programa: Clasificacion | None
    proyecto: Clasificacion | None
    unidad: Clasificacion | None
    hoja: str
    conteo: Conteo
    semaforo: Semaforo


@dataclass(frozen=True)
class MetaAtencion:
    """A goal that needs attention (rojo or naranja), with its justification."""

    ramo: str
    unidad: str
    hoja: str
    numero: str
    descripcion: str
    porcentaje: str
    semaforo: Semaforo
    estatus: Estatus
    justificacion: str


@dataclass(frozen=True)
class ResumenRamo:
    ramo: Clasificacion | None
    filas: tuple[FilaUnidad, ...]
    total: Conteo
    semaforo: Semaforo
    atencion: tuple[MetaAtencion, ...]
    libro: str = ""


@dataclass(frozen=True)
class Resumen:
    """The summary of one workbook (one ramo) or of many (the Ayuntamiento)."""

    ejercicio: int
    trimestre: int
    ayuntamiento: str
    ramos: tuple[ResumenRamo, ...]
    total: Conteo
    semaforo: Semaforo


def resumen_ramo(informe: Informe) -> ResumenRamo:
    g = informe.general
    filas = []
    atencion = []
    for u in informe.unidades:
        conteo = contar(u)
        unidad = u.unidad
        filas.append(
            FilaUnidad(unidad.ramo, unidad.programa, unidad.proyecto, unidad.unidad_ejecutora, unidad.sheet, conteo, semaforo_de(conteo, g.tolerancia))
        )
        for item in u.metas:
            if item.cifras.semaforo in ATENCION:
                atencion.append(
                    MetaAtencion(
                        ramo=unidad.ramo.clave if unidad.ramo else "",
                        unidad=unidad.unidad_ejecutora.clave if unidad.unidad_ejecutora else unidad.sheet,
                        hoja=unidad.sheet,
                        numero=item.meta.numero,
                        descripcion=item.meta.descripcion,
                        porcentaje=item.cifras.porcentaje_texto,
                        semaforo=item.cifras.semaforo,
                        estatus=item.cifras.estatus,
                        justificacion=item.meta.observaciones,
                    )
                )
    total = sum((f.conteo for f in filas), Conteo())
    ramo = next((u.unidad.ramo for u in informe.unidades if u.unidad.ramo), None)
    return ResumenRamo(ramo, tuple(filas), total, semaforo_de(total, g.tolerancia), tuple(atencion), informe.path)


def build_resumen(informes: Iterable[Informe]) -> Resumen:
    """Summary of one or more workbooks of the same quarter (the caller checks that)."""
    informes = list(informes)
    if not informes:
        raise ValueError("no workbooks to summarise")
    g = informes[0].general
    ramos = tuple(resumen_ramo(i) for i in informes)
    total = sum((r.total for r in ramos), Conteo())
    return Resumen(g.ejercicio, g.trimestre, g.ayuntamiento, ramos, total, semaforo_de(total, g.tolerancia))


# --------------------------------------------------------------------------- several workbooks (issue #11)


def _clave(text: str | None) -> str:
    """A code compared as written, but ``01`` and ``1`` alike."""
    text = (text or "").strip().upper()
    return text.lstrip("0") or text if text.isdigit() else text


def unidades_repetidas(informes: Iterable[Informe]) -> list[tuple[str, str, str]]:
    """Units (RAMO + UNIDAD EJECUTORA [+ PROYECTO]) that appear in two different workbooks,
    as (unit, first workbook, other workbook): a summary would count them twice."""
    seen: dict[tuple[str, str, str], str] = {}
    found: list[tuple[str, str, str]] = []
    for informe in informes:
        for calculada in informe.unidades:
            unidad = calculada.unidad
            if unidad.ramo is None or unidad.unidad_ejecutora is None:
                continue
            proyecto = unidad.proyecto.clave if unidad.proyecto else ""
            key = (_clave(unidad.ramo.clave), _clave(unidad.unidad_ejecutora.clave), _clave(proyecto))
            first = seen.setdefault(key, informe.path)
            if first != informe.path:
                nombre = f"ramo {unidad.ramo.clave}, unidad {unidad.unidad_ejecutora.clave}" + (
                    f", proyecto {proyecto}" if proyecto else "")
                found.append((nombre, first, informe.path))
    return found


def parse_esperados(text: str) -> list[tuple[str, str]]:
    """The ramos expected to report: one per line, its code and optionally its name
    (``12 OBRAS PÚBLICAS``); blank lines and lines starting with ``#`` are skipped."""
    ramos: list[tuple[str, str]] = []
    for line in text.splitlines():
        line = line.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        clave, _, nombre = line.replace("\t", " ").partition(" ")
        ramos.append((clave.strip(" ,;"), " ".join(nombre.split()).strip(" ,;-")))
    return ramos


def ramos_faltantes(resumen: Resumen, esperados: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The expected ramos (code, name) that are not in ``resumen``, in the expected order."""
    presentes = {_clave(r.ramo.clave) for r in resumen.ramos if r.ramo is not None}
    faltan: list[tuple[str, str]] = []
    for clave, nombre in esperados:
        if _clave(clave) not in presentes and all(_clave(clave) != _clave(c) for c, _ in faltan):
            faltan.append((clave, nombre))
    return faltan


def texto_faltantes(faltan: Iterable[tuple[str, str]]) -> str:
    """``Faltan 3 ramos: 12 OBRAS PÚBLICAS, 14 SERVICIOS, 20.`` ('' when none is missing)."""
    faltan = list(faltan)
    if not faltan:
        return ""
    nombres = ", ".join(" ".join(x for x in (clave, nombre) if x) for clave, nombre in faltan)
    return f"{'Falta 1 ramo' if len(faltan) == 1 else f'Faltan {len(faltan)} ramos'}: {nombres}."
