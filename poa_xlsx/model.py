"""What a capture workbook says, as frozen dataclasses.

Every value keeps the sheet and cell it came from (:class:`Origen`), so any
later message can point the user at the exact place to fix.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import Enum

# the capture format's words live in vocabulario; these names stay importable from here
from poa_xlsx.vocabulario import QUARTER_NAMES  # noqa: F401
from poa_xlsx.vocabulario import QUARTER_ORDINALS as ORDINALS  # noqa: F401


@dataclass(frozen=True)
class Origen:
    """Where a value came from: sheet name and cell coordinate (``"F14"``)."""

    sheet: str
    cell: str | None = None

    def __str__(self) -> str:
        sheet = "'" + self.sheet.replace("'", "''") + "'"
        return f"{sheet}!{self.cell}" if self.cell else sheet


class Base(str, Enum):
    """What ACUMULADO RELATIVO is measured against."""

    META_ANUAL = "meta_anual"
    PROGRAMADO = "programado"

    @property
    def etiqueta(self) -> str:
        return "META ANUAL" if self is Base.META_ANUAL else "PROGRAMADO AL PERIODO"


@dataclass(frozen=True)
class Clasificacion:
    """One line of the classification block: a code and its description."""

    clave: str
    descripcion: str
    origen: Origen


@dataclass(frozen=True)
class Firma:
    """A signature block: ELABORÓ, REVISÓ or AUTORIZÓ."""

    rol: str  # "ELABORÓ", "REVISÓ", "AUTORIZÓ"
    nombre: str
    cargo: str
    leyenda: str
    origen: Origen


@dataclass(frozen=True)
class Meta:
    """One goal (meta) row of a unit's table.

    ``programado[q]`` and ``alcanzado[q]`` are indexed 0..3 for the quarters.
    A blank programado is 0; a blank alcanzado is ``None`` (the computation
    treats it as 0, but the validator needs to know it was blank).
    ``meta_anual`` is ``None`` when blank or unreadable (an error is recorded).
    """

    sheet: str
    row: int
    lineas_accion: tuple[str, ...]
    numero: str
    descripcion: str
    unidad_medida: str
    meta_anual: Decimal | None
    programado: tuple[Decimal, Decimal, Decimal, Decimal]
    alcanzado: tuple[Decimal | None, Decimal | None, Decimal | None, Decimal | None]
    observaciones: str
    columns: dict[str, str] = field(default_factory=dict, compare=False, hash=False)
    # numbers found in columns the tool computes itself (AVANCE ABSOLUTO, ...)
    declarados: dict[str, Decimal] = field(default_factory=dict, compare=False, hash=False)
    # fields whose cell could not be read (already reported as errors)
    ilegibles: frozenset[str] = frozenset()

    def origen(self, campo: str) -> Origen:
        """Cell of ``campo`` ("meta_anual", "p1", "a3", "observaciones"...)."""
        col = self.columns.get(campo)
        return Origen(self.sheet, f"{col}{self.row}" if col else f"A{self.row}")


@dataclass(frozen=True)
class Unidad:
    """One unidad ejecutora: one unit sheet of the workbook."""

    sheet: str
    ramo: Clasificacion | None
    programa: Clasificacion | None
    proyecto: Clasificacion | None
    unidad_ejecutora: Clasificacion | None
    finalidad: Clasificacion | None
    funcion: Clasificacion | None
    subfuncion: Clasificacion | None
    ejes: tuple[Clasificacion, ...]
    lineas_accion: tuple[Clasificacion, ...]
    firmas: tuple[Firma, ...]
    metas: tuple[Meta, ...]

    @property
    def clave(self) -> str:
        """Unit key as printed in footers: ``58-101`` or ``01-002-PY10``."""
        parts = [c.clave for c in (self.ramo, self.unidad_ejecutora, self.proyecto) if c and c.clave]
        return "-".join(parts) or self.sheet

    def firma(self, rol: str) -> Firma | None:
        return next((f for f in self.firmas if f.rol == rol), None)


@dataclass(frozen=True)
class General:
    """The GENERAL sheet, defaults applied."""

    ayuntamiento: str
    ejercicio: int
    trimestre: int
    fecha: dt.date
    base: Base
    tolerancia: Decimal  # a fraction: 0.1 means 10 %
    clave_formato: str
    correos: tuple[str, ...]
    origenes: dict[str, Origen] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Libro:
    """A whole capture workbook: GENERAL plus its units in sheet order."""

    path: str
    general: General
    unidades: tuple[Unidad, ...]
