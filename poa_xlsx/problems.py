"""Problems found in a workbook: located, coded, in Spanish.

Two channels, as the style guide asks: :class:`LibroError` is raised when the
file cannot be read at all; everything else is a :class:`Problem` collected in
a list so that checking goes on and the user sees every problem in one run.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from poa_xlsx.model import Origen


class Severidad(str, Enum):
    ERROR = "error"
    ADVERTENCIA = "advertencia"


# Stable codes and what each means; the docs and `--json` consumers rely on them.
CODES: dict[str, str] = {
    # the GENERAL sheet
    "hoja-general-faltante": "El libro no tiene hoja GENERAL.",
    "dato-general-faltante": "Falta un dato obligatorio de la hoja GENERAL.",
    "dato-general-invalido": "Un dato de la hoja GENERAL no tiene un valor válido.",
    "correo-invalido": "Una dirección de correo no es válida.",
    "fecha-fuera-del-periodo": "La FECHA del reporte no corresponde al ejercicio y trimestre reportados.",
    # workbook structure
    "sin-unidades": "El libro no tiene ninguna hoja de unidad ejecutora.",
    "sin-tabla": "Una hoja de unidad no tiene la tabla de metas.",
    "columna-faltante": "A la tabla le falta una columna obligatoria.",
    "columna-desconocida": "Una columna de la tabla no se reconoce y se ignora.",
    "sin-metas": "La tabla de metas de una unidad está vacía.",
    "campo-faltante": "Falta un dato obligatorio del encabezado de la unidad.",
    "firma-faltante": "Falta el nombre de quien firma.",
    "unidad-duplicada": "Dos hojas describen la misma unidad (ramo, unidad y proyecto).",
    # cell values
    "numero-invalido": "Se esperaba un número.",
    "numero-negativo": "Un número es negativo.",
    "meta-anual-faltante": "Una meta no tiene META ANUAL.",
    "formula-sin-valor": "Una fórmula no tiene valor calculado guardado.",
    # rules (warnings unless --estricto)
    "programado-distinto-meta": "La suma de lo programado no es igual a la META ANUAL.",
    "alcanzado-en-blanco": "Alcanzado en blanco en un trimestre con programado.",
    "trimestre-sin-capturar": "Ninguna meta de una unidad tiene capturado lo alcanzado en el trimestre reportado.",
    "valor-ignorado": "Un valor de un trimestre posterior al reportado se ignora.",
    "justificacion-faltante": "Falta la justificación que el estatus de la meta requiere.",
    "calculo-discrepante": "Una cifra capturada no coincide con la calculada.",
}


@dataclass(frozen=True)
class Problem:
    """One problem at one place: stable code, severity and a Spanish message."""

    code: str
    severidad: Severidad
    origen: Origen
    mensaje: str

    def __post_init__(self) -> None:
        if self.code not in CODES:
            raise ValueError(f"unknown problem code {self.code!r}")

    @property
    def es_error(self) -> bool:
        return self.severidad is Severidad.ERROR

    def __str__(self) -> str:
        return f"{self.origen} [{self.code}] {self.mensaje}"

    def as_dict(self) -> dict[str, str | None]:
        return {
            "codigo": self.code,
            "severidad": self.severidad.value,
            "hoja": self.origen.sheet,
            "celda": self.origen.cell,
            "mensaje": self.mensaje,
        }


def error(code: str, origen: Origen, mensaje: str) -> Problem:
    return Problem(code, Severidad.ERROR, origen, mensaje)


def advertencia(code: str, origen: Origen, mensaje: str) -> Problem:
    return Problem(code, Severidad.ADVERTENCIA, origen, mensaje)


class PoaError(Exception):
    """Base of every error the library raises on purpose (Spanish message)."""


class LibroError(PoaError):
    """The workbook cannot be read at all: wrong format, damaged, protected..."""

    def __init__(self, path: str, mensaje: str, code: str = "archivo-ilegible") -> None:
        self.path = path
        self.mensaje = mensaje
        self.code = code
        super().__init__(f"{path}: {mensaje}")
