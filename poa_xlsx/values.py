"""Parsing of single cell values: numbers, codes, quarters, dates, percents.

Each parser returns the value or raises :class:`ValueProblemError` with a Spanish
reason; the reader turns that into a located :class:`~poa_xlsx.problems.Problem`.
"""
from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from decimal import Decimal, InvalidOperation

from poa_xlsx.model import Base
from poa_xlsx.text import normalize_label, one_line, shorten


class ValueProblemError(ValueError):
    """A cell value that cannot be read; ``code`` is a problem code."""

    def __init__(self, code: str, mensaje: str) -> None:
        super().__init__(mensaje)
        self.code = code
        self.mensaje = mensaje


MAX_QUANTITY = Decimal(10) ** 15
_PLAIN = re.compile(r"^-?\d+(\.\d+)?$")
_COMMAS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_SPACED = re.compile(r"^-?\d{1,3}( \d{3})+(\.\d+)?$")
_SPACE_CHARS = str.maketrans({"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\t": " "})


def describe(value: object) -> str:
    """How a raw cell value is quoted back to the user in a message."""
    if isinstance(value, (dt.datetime, dt.date)):
        return f"la fecha {value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "VERDADERO" if value else "FALSO"
    if isinstance(value, (int, float)):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return f'"{shorten(str(value))}"'


def parse_number(value: object) -> Decimal | None:
    """A non-negative quantity; ``None`` for a blank cell.

    Accepts numbers and text in Mexican notation (``1,234``, ``3 506``,
    ``1234.5``). Raises :class:`ValueProblemError` otherwise.
    """
    if value is None:
        return None
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime, dt.time)):
        raise ValueProblemError("numero-invalido", f"Se esperaba un número y la celda tiene {describe(value)}.")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueProblemError("numero-invalido", "Se esperaba un número y la celda tiene un valor fuera de rango.")
        number = _decimal_of_int(value) if isinstance(value, int) else Decimal(repr(value))
    else:
        text = str(value).translate(_SPACE_CHARS).strip()
        if not text:
            return None
        if text.startswith("#"):
            raise ValueProblemError(
                "numero-invalido",
                f"La celda muestra el error de Excel {describe(text)}; corrija la fórmula o escriba el número.",
            )
        compact = re.sub(r" +", " ", text)
        if _PLAIN.match(compact):
            number = Decimal(compact)
        elif _COMMAS.match(compact):
            number = Decimal(compact.replace(",", ""))
        elif _SPACED.match(compact):
            number = Decimal(compact.replace(" ", ""))
        else:
            raise ValueProblemError(
                "numero-invalido",
                f"Se esperaba un número y la celda dice {describe(text)}. Escriba solo la cantidad, por ejemplo 3,506.",
            )
    if number < 0:
        raise ValueProblemError("numero-negativo", f"El número {describe(value)} es negativo; las cantidades deben ser 0 o mayores.")
    if number >= MAX_QUANTITY:  # beyond Excel's 15 digits: a paste error, and too big for exact sums
        raise ValueProblemError(
            "numero-invalido",
            f"El número {describe(shorten(str(value), 20))} es demasiado grande para una cantidad; revise la celda.",
        )
    if number == 0:
        return _ZERO
    return number


_ZERO = Decimal(0)
_INT_DECIMALS: dict[int, Decimal] = {}


def _decimal_of_int(value: int) -> Decimal:
    """``Decimal(value)``, one shared object per small integer: quantities repeat
    (0, 1, 12...), and a shared immutable object costs less memory and pickling."""
    number = _INT_DECIMALS.get(value)
    if number is None:
        number = Decimal(value)
        if -1 < value < 100_000:
            _INT_DECIMALS[value] = number
    return number


def parse_code(value: object) -> str:
    """A code (clave) as text: numbers lose a spurious ``.0``; text is kept."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VERDADERO" if value else "FALSO"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value.is_integer() and math.isfinite(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return f"{value:%d/%m/%Y}"
    return one_line(value)


_ORDINAL_WORDS = {
    1: ("1", "1ER", "1RO", "1O", "1A", "PRIMER", "PRIMERO", "ENE-MAR", "T1", "I"),
    2: ("2", "2DO", "2O", "2A", "SEGUNDO", "ABR-JUN", "T2", "II"),
    3: ("3", "3ER", "3RO", "3O", "3A", "TERCER", "TERCERO", "JUL-SEP", "T3", "III"),
    4: ("4", "4TO", "4O", "4A", "CUARTO", "OCT-DIC", "T4", "IV"),
}
_QUARTER_LOOKUP = {word: q for q, words in _ORDINAL_WORDS.items() for word in words}


def quarter_token(text: str) -> int | None:
    """The quarter a normalised token names (``ENE-MAR``, ``T1``, ``1ER``...)."""
    token = re.sub(r"\s*-\s*", "-", text).replace(".", "").replace("°", "O").replace("º", "O")
    token = re.sub(r"\bTRIMESTRE\b", "", token).strip()
    return _QUARTER_LOOKUP.get(token)


def parse_trimestre(value: object) -> int:
    """TRIMESTRE: 1–4 or ``1er``, ``PRIMERO``, ``PRIMER TRIMESTRE``, ``ENE-MAR``, ``T1``..."""
    if isinstance(value, bool) or value is None:
        raise ValueProblemError("dato-general-invalido", "TRIMESTRE debe ser 1, 2, 3 o 4.")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not value.is_integer():
            raise ValueProblemError("dato-general-invalido", f"TRIMESTRE debe ser 1, 2, 3 o 4 y la celda dice {describe(value)}.")
        if int(value) in (1, 2, 3, 4):
            return int(value)
        raise ValueProblemError("dato-general-invalido", f"TRIMESTRE debe ser 1, 2, 3 o 4 y la celda dice {describe(value)}.")
    q = quarter_token(normalize_label(value))
    if q is None:
        raise ValueProblemError(
            "dato-general-invalido",
            f"TRIMESTRE debe ser 1, 2, 3 o 4 (o PRIMER TRIMESTRE, ENE-MAR, T1...) y la celda dice {describe(value)}.",
        )
    return q


def parse_ejercicio(value: object) -> int:
    """EJERCICIO: a year between 2000 and 2100."""
    try:
        number = parse_number(value)
    except ValueProblemError:
        number = None
    if number is None or number != number.to_integral_value() or not 2000 <= number <= 2100:
        raise ValueProblemError(
            "dato-general-invalido",
            f"EJERCICIO debe ser un año entre 2000 y 2100 y la celda dice {describe(value)}.",
        )
    return int(number)


def parse_base(value: object) -> Base:
    """BASE DEL PORCENTAJE: META ANUAL or PROGRAMADO AL PERIODO."""
    label = normalize_label(value)
    if label in ("META ANUAL", "META"):
        return Base.META_ANUAL
    if label in ("PROGRAMADO AL PERIODO", "PROGRAMADO", "PROGRAMADO ACUMULADO", "PROGRAMADO AL TRIMESTRE"):
        return Base.PROGRAMADO
    raise ValueProblemError(
        "dato-general-invalido",
        f"BASE DEL PORCENTAJE debe ser META ANUAL o PROGRAMADO AL PERIODO y la celda dice {describe(value)}.",
    )


def parse_tolerancia(value: object, percent_format: bool = False) -> Decimal:
    """TOLERANCIA as a fraction: ``10%``, ``0.1`` and ``10`` all mean 0.1."""
    problem = ValueProblemError(
        "dato-general-invalido",
        f"TOLERANCIA debe ser un porcentaje entre 0 % y 100 %, como 10%, y la celda dice {describe(value)}.",
    )
    if isinstance(value, str) and value.strip().endswith("%"):
        try:
            number = parse_number(value.strip()[:-1])
        except ValueProblemError:
            raise problem from None
        fraction = None if number is None else number / 100
    else:
        try:
            number = parse_number(value)
        except ValueProblemError:
            raise problem from None
        if number is None:
            fraction = None
        elif percent_format or number < 1:
            fraction = number
        else:
            fraction = number / 100
    if fraction is None or not 0 <= fraction < 1:
        raise problem
    return fraction


_MONTHS = {
    "ENE": 1, "FEB": 2, "MAR": 3, "ABR": 4, "MAY": 5, "JUN": 6,
    "JUL": 7, "AGO": 8, "SEP": 9, "SEPT": 9, "SET": 9, "OCT": 10, "NOV": 11, "DIC": 12,
}
_MONTH_NAMES = {
    "ENERO": 1, "FEBRERO": 2, "MARZO": 3, "ABRIL": 4, "MAYO": 5, "JUNIO": 6, "JULIO": 7,
    "AGOSTO": 8, "SEPTIEMBRE": 9, "SETIEMBRE": 9, "OCTUBRE": 10, "NOVIEMBRE": 11, "DICIEMBRE": 12,
}


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def parse_fecha(value: object) -> dt.date:
    """FECHA: an Excel date or text ``31/03/2024``, ``31-mar-24``, ``30-jun.-23``."""
    problem = ValueProblemError(
        "dato-general-invalido",
        f"FECHA debe ser una fecha como 31/03/2024 o 31-mar-24 y la celda dice {describe(value)}.",
    )
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # an Excel serial number in a cell without a date format
        if isinstance(value, float) and not math.isfinite(value):
            raise problem
        if 36526 <= value <= 73415:  # 2000-01-01 .. 2100-12-31
            return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
        raise problem
    text = normalize_label(value).replace(" DE ", " ").replace(".", "")
    match = re.match(r"^(\d{1,2})[/-](\d{1,2})[/-](\d{2}|\d{4})$", text)
    try:
        if match:
            return dt.date(_year(match[3]), int(match[2]), int(match[1]))
        match = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", text)
        if match:
            return dt.date(int(match[1]), int(match[2]), int(match[3]))
        match = re.match(r"^(\d{1,2})[-/ ]+([A-Z]+)[-/ ]+(\d{2}|\d{4})$", text)
        if match:
            month = _MONTHS.get(match[2]) or _MONTH_NAMES.get(match[2])
            if month:
                return dt.date(_year(match[3]), month, int(match[1]))
    except ValueError:
        raise problem from None
    raise problem


def last_day_of_quarter(year: int, trimestre: int) -> dt.date:
    month = trimestre * 3
    return dt.date(year, month, calendar.monthrange(year, month)[1])


_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def is_email(text: str) -> bool:
    return bool(_EMAIL.match(text)) and ".." not in text and len(text) <= 254


def parse_correos(value: object) -> tuple[str, ...]:
    """One or more addresses separated by ``,`` or ``;``."""
    text = "" if value is None else str(value)
    parts = [p.strip() for p in re.split(r"[,;\n]", text) if p.strip()]
    bad = [p for p in parts if not is_email(p)]
    if bad:
        raise ValueProblemError(
            "correo-invalido",
            f"La dirección de correo {describe(bad[0])} no es válida; escriba direcciones como "
            "tesoreria@mexicali.gob.mx separadas por coma o punto y coma.",
        )
    return tuple(parts)


def to_decimal_safe(value: object) -> Decimal | None:
    """Best-effort number for comparisons of computed columns; never raises."""
    try:
        if isinstance(value, str) and value.strip().endswith("%"):
            number = parse_number(value.strip()[:-1])
            return None if number is None else number / 100
        return parse_number(value)
    except (ValueProblemError, InvalidOperation):
        return None
