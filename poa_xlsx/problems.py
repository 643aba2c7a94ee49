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
    "hoja-no-es-unidad": "Una hoja no parece una unidad ejecutora del libro de captura.",
    "hoja-vacia": "Una hoja está vacía y no se usa.",
    "libro-no-es-de-captura": "Ninguna hoja del libro parece una unidad ejecutora del libro de captura.",
    "campo-fuera-de-lugar": "Una etiqueta del encabezado está en una celda donde no se lee.",
    "fila-despues-de-firmas": "Una fila con datos está después de las firmas, fuera de la tabla.",
    "fila-en-encabezado": "Una fila con datos de una meta está en el encabezado, arriba de la tabla.",
    "celda-ignorada": "Una celda con un número está fuera de las columnas que se leen.",
    # importing another layout (poa-render importar)
    "fila-no-importada": "Una fila del libro de origen no se pudo acomodar en el libro de captura.",
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


# Codes of a workbook that cannot be read at all (LibroError): nothing else is checked.
LIBRO_CODES: dict[str, str] = {
    "archivo-no-encontrado": "No existe el archivo, o es una carpeta.",
    "archivo-vacio": "El archivo mide 0 bytes.",
    "archivo-danado": "El archivo está dañado, incompleto o alterado, y no se puede leer.",
    "archivo-ilegible": "El archivo no se puede leer.",
    "archivo-protegido": "El libro tiene contraseña de apertura.",
    "archivo-demasiado-grande": "El archivo se expandiría a un tamaño desmedido.",
    "formato-xls": "Es un libro de Excel 97-2003 (.xls).",
    "formato-ods": "Es una hoja de cálculo de LibreOffice (.ods).",
    "formato-texto": "Es un archivo de texto (CSV u otro).",
    "formato-desconocido": "No es un libro de Excel.",
    "xml-peligroso": "El XML del archivo declara entidades o referencias externas.",
    "demasiadas-hojas": "El libro tiene más hojas de las que admite un libro de captura.",
    "hoja-demasiado-grande": "Una hoja tiene más filas o celdas de las que admite un libro de captura.",
    "texto-demasiado-largo": "Una celda tiene más caracteres de los que Excel admite.",
}

# The usual severity of each data problem (``--estricto`` makes every warning an error).
ADVERTENCIAS = frozenset({
    "columna-desconocida", "sin-metas", "programado-distinto-meta", "alcanzado-en-blanco", "valor-ignorado",
    "justificacion-faltante", "calculo-discrepante", "hoja-vacia", "celda-ignorada",
})


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
        if code not in LIBRO_CODES:
            raise ValueError(f"unknown workbook error code {code!r}")
        self.path = path
        self.mensaje = mensaje
        self.code = code
        super().__init__(f"{path}: {mensaje}")
