"""Pure computation of the TMM-F004 figures (spec section 5).

No I/O, no openpyxl, no reportlab: a model goes in, figures come out. All
arithmetic is exact (:class:`~fractions.Fraction` over the workbook's
decimals); the only rounding is the whole percent shown, half up.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Mapping

from poa_xlsx.model import Base, General, Libro, Meta, Unidad


class Estatus(str, Enum):
    SIN_PROGRAMACION = "sin programación"
    ADELANTADA = "adelantada"
    CUMPLIDA = "cumplida"
    REBASADA = "rebasada"
    NO_ALCANZADA = "no alcanzada"


class Semaforo(str, Enum):
    GRIS = "gris"
    NARANJA = "naranja"
    VERDE = "verde"
    AMARILLO = "amarillo"
    ROJO = "rojo"


FRASES = {
    Estatus.SIN_PROGRAMACION: "",
    Estatus.ADELANTADA: "SE REBASÓ LA META",
    Estatus.CUMPLIDA: "SE CUMPLIÓ SATISFACTORIAMENTE.",
    Estatus.REBASADA: "SE REBASÓ LA META",
    Estatus.NO_ALCANZADA: "NO SE ALCANZÓ LA META",
}


@dataclass(frozen=True)
class Cifras:
    """The computed figures of one goal for the reported quarter."""

    programado_acumulado: Decimal
    avance_absoluto: Decimal
    base: Decimal
    acumulado_relativo: Fraction | None  # exact; None when the base is 0
    cumplimiento: Fraction | None  # AVANCE ÷ PROGRAMADO ACUMULADO; None when that is 0
    estatus: Estatus
    semaforo: Semaforo

    @property
    def porcentaje(self) -> int | None:
        """ACUMULADO RELATIVO as a whole percent rounded half up; None = N/A."""
        return None if self.acumulado_relativo is None else round_half_up(self.acumulado_relativo * 100)

    @property
    def porcentaje_texto(self) -> str:
        pct = self.porcentaje
        return "N/A" if pct is None else f"{pct}%"

    @property
    def frase(self) -> str:
        return FRASES[self.estatus]

    @property
    def requiere_justificacion(self) -> bool:
        return self.estatus in (Estatus.ADELANTADA, Estatus.REBASADA, Estatus.NO_ALCANZADA)


def round_half_up(value: Fraction) -> int:
    """Round a non-negative exact number to an integer, halves up (37.5 → 38)."""
    if value < 0:
        return -round_half_up(-value)
    whole, rest = divmod(value.numerator, value.denominator)
    return whole + (1 if 2 * rest >= value.denominator else 0)


def classify(programado_acumulado: Fraction, avance: Fraction, tolerancia: Fraction) -> tuple[Estatus, Semaforo]:
    """Status and semáforo from the spec's table, with exact comparisons."""
    if programado_acumulado == 0:
        if avance == 0:
            return Estatus.SIN_PROGRAMACION, Semaforo.GRIS
        return Estatus.ADELANTADA, Semaforo.NARANJA
    c = avance / programado_acumulado
    if 1 - tolerancia <= c <= 1 + tolerancia:
        return Estatus.CUMPLIDA, Semaforo.VERDE
    if c > 1 + tolerancia:
        return Estatus.REBASADA, Semaforo.NARANJA
    if c >= Fraction(1, 2):
        return Estatus.NO_ALCANZADA, Semaforo.AMARILLO
    return Estatus.NO_ALCANZADA, Semaforo.ROJO


def compute_meta(meta: Meta, trimestre: int, base: Base, tolerancia: Decimal) -> Cifras:
    """Figures of one goal at quarter ``trimestre`` (1–4)."""
    programado = sum((meta.programado[q] for q in range(trimestre)), Decimal(0))
    avance = sum((meta.alcanzado[q] or Decimal(0) for q in range(trimestre)), Decimal(0))
    denominator = (meta.meta_anual or Decimal(0)) if base is Base.META_ANUAL else programado
    relativo = None if denominator == 0 else Fraction(avance) / Fraction(denominator)
    cumplimiento = None if programado == 0 else Fraction(avance) / Fraction(programado)
    estatus, semaforo = classify(Fraction(programado), Fraction(avance), Fraction(tolerancia))
    return Cifras(
        programado_acumulado=programado,
        avance_absoluto=avance,
        base=denominator,
        acumulado_relativo=relativo,
        cumplimiento=cumplimiento,
        estatus=estatus,
        semaforo=semaforo,
    )


GoalKey = tuple[str, int]
"""What identifies a goal within its workbook: its sheet and row (see :func:`goal_key`)."""

CifrasPorMeta = Mapping[GoalKey, Cifras]
"""Figures already computed for some goals of a workbook, by :func:`goal_key`."""


def goal_key(meta: Meta) -> GoalKey:
    """The goal's sheet and row: stable across copies of the model, cheap to hash."""
    return meta.sheet, meta.row


@dataclass(frozen=True)
class MetaCalculada:
    meta: Meta
    cifras: Cifras


@dataclass(frozen=True)
class UnidadCalculada:
    unidad: Unidad
    metas: tuple[MetaCalculada, ...]

    def conteo(self) -> dict[Estatus, int]:
        """How many goals have each status (every status present, maybe 0)."""
        counts = {e: 0 for e in Estatus}
        for item in self.metas:
            counts[item.cifras.estatus] += 1
        return counts


@dataclass(frozen=True)
class Informe:
    """Everything the report shows: general data and every unit's figures."""

    general: General
    unidades: tuple[UnidadCalculada, ...]
    path: str = ""


def compute_figures(libro: Libro, known: CifrasPorMeta | None = None) -> Informe:
    """Figures of every goal of every unit, at the workbook's TRIMESTRE.

    ``known`` holds figures already computed for some of these goals with the
    same GENERAL, by :func:`goal_key` (what :func:`~poa_xlsx.revision.validate.validate`
    returns): they are used instead of computing them again.
    """
    g = libro.general
    known = known or {}

    def cifras(m: Meta) -> Cifras:
        found = known.get(goal_key(m))
        return found if found is not None else compute_meta(m, g.trimestre, g.base, g.tolerancia)

    return Informe(
        general=g,
        unidades=tuple(
            UnidadCalculada(unidad=u, metas=tuple(MetaCalculada(m, cifras(m)) for m in u.metas)) for u in libro.unidades
        ),
        path=libro.path,
    )
