"""What every page kind shares: the semáforo colours and legend, columns, header and body cells.

Nothing here knows about openpyxl or reportlab.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from poa_xlsx.formatting import format_cantidad
from poa_xlsx.revision.compute import (
    Semaforo,
)

if TYPE_CHECKING:
    pass


# Semáforo colours (RGB hex), shared by both renderers and the legend.
SEMAFORO_COLORES: dict[Semaforo, str] = {
    Semaforo.VERDE: "2E9E44",
    Semaforo.AMARILLO: "F2C80F",
    Semaforo.ROJO: "D62828",
    Semaforo.NARANJA: "F28C28",
    Semaforo.GRIS: "A6A6A6",
}


#: Where a printed page starts: (part, index). On a unit's page the part is
#: :data:`PARTE_METAS` (index: the goal row), :data:`PARTE_LEYENDA` or
#: :data:`PARTE_FIRMAS`; on the summary, the block's position in ``bloques``
#: (index: the table row, 0 for other blocks). Decided once, for the PDF
#: (:func:`poa_xlsx.render.pdf.paginacion.paginar`); the XLSX's manual page
#: breaks repeat them.
Salto = tuple[int, int]
PARTE_METAS, PARTE_LEYENDA, PARTE_FIRMAS = 0, 1, 2


def leyenda_semaforo(tolerancia: Decimal) -> tuple[tuple[Semaforo, str], ...]:
    """The legend under the table: each colour and what it means."""
    low, high = format_cantidad(100 - tolerancia * 100), format_cantidad(100 + tolerancia * 100)
    return (
        (Semaforo.VERDE, f"cumplida ({low} % a {high} % de lo programado al periodo)"),
        (Semaforo.AMARILLO, f"no alcanzada (50 % a menos de {low} %)"),
        (Semaforo.ROJO, "no alcanzada (menos de 50 %)"),
        (Semaforo.NARANJA, f"rebasada (más de {high} %) o adelantada"),
        (Semaforo.GRIS, "sin programación al periodo"),
    )


@dataclass(frozen=True)
class Columna:
    """A table column: key, width in character units, alignment."""

    key: str
    width: float
    align: str = "center"  # "left", "center", "right"


@dataclass(frozen=True)
class Encabezado:
    """One header cell of the table, 0-based row/col within the header grid."""

    text: str
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Celda:
    """One body cell: what is printed, and the typed value for the XLSX.

    ``value`` is a :class:`~decimal.Decimal` for quantities, a
    :class:`~decimal.Decimal` fraction for percents (0.38 for 38 %), or the
    same string as ``text``. ``kind`` chooses the style: "texto", "codigo",
    "cantidad", "porcentaje", "semaforo", "observaciones".
    """

    text: str
    value: Decimal | str | None
    kind: str
    semaforo: Semaforo | None = None
