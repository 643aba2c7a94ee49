"""How figures and dates are written on the report and in messages (es-MX)."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from poa_xlsx.vocabulario import QUARTER_ORDINALS as ORDINALS

MESES_CORTOS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")


def format_cantidad(value: Decimal | None) -> str:
    """``3506`` -> ``3,506``; decimals kept as captured (``2.5`` -> ``2.5``)."""
    if value is None:
        return ""
    if value == value.to_integral_value():
        return f"{int(value):,}"
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_fecha(value: dt.date) -> str:
    """The form's date: ``31-mar-24``."""
    return f"{value.day}-{MESES_CORTOS[value.month - 1]}-{value.year % 100:02d}"


def titulo_trimestre(trimestre: int, ejercicio: int) -> str:
    """``PRIMER TRIMESTRE 2024``."""
    return f"{ORDINALS[trimestre - 1]} TRIMESTRE {ejercicio}"


def plural(n: int, singular: str, plural_: str | None = None) -> str:
    return f"{n} {singular if n == 1 else (plural_ or singular + 's')}"
