"""Single cell values: numbers, codes, TRIMESTRE, FECHA, TOLERANCIA, BASE, e-mails."""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from poa_xlsx import values as V
from poa_xlsx.model import Base

# --- numbers -------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        (0, Decimal(0)),
        (3506, Decimal(3506)),
        (2.5, Decimal("2.5")),
        (0.1, Decimal("0.1")),  # the float's shortest form, not its binary expansion
        (3.0, Decimal(3)),
        ("1,234", Decimal(1234)),
        ("1,234,567", Decimal(1234567)),
        ("1,234.5", Decimal("1234.5")),
        ("3 506", Decimal(3506)),
        ("3\u00a0506", Decimal(3506)),  # no-break space, as Excel's thousands separator
        ("1 234 567", Decimal(1234567)),
        ("1234.5", Decimal("1234.5")),
        ("1234", Decimal(1234)),
        ("  72 ", Decimal(72)),
        ("0", Decimal(0)),
        ("-0", Decimal(0)),
    ],
)
def test_parse_number_accepts_numbers_and_mexican_text(raw, expected):
    result = V.parse_number(raw)
    assert result == expected
    assert isinstance(result, Decimal)


@pytest.mark.parametrize("raw", [None, "", "   ", "\u00a0"])
def test_parse_number_blank_is_none(raw):
    assert V.parse_number(raw) is None


@pytest.mark.parametrize("raw", [-1, -0.5, "-3", "-1,234", "-3 506"])
def test_parse_number_negative(raw):
    with pytest.raises(V.ValueProblemError) as info:
        V.parse_number(raw)
    assert info.value.code == "numero-negativo"


@pytest.mark.parametrize(
    "raw",
    [
        float("nan"),
        float("inf"),
        float("-inf"),
        "nan",
        "NaN",
        "inf",
        "Infinity",
        "1e309",
        "1e3",
        "tres",
        "12 metas",
        "1,23",  # not a thousands group
        "1.234,5",  # European notation is not Mexican
        "12,34,567",
        "1 23",
        "3..5",
        ".5.",
        "$100",
        True,
        False,
        dt.date(2024, 3, 31),
        dt.datetime(2024, 3, 31, 0, 0),
        dt.time(12, 0),
        "#DIV/0!",
        "#N/A",
        "#REF!",
        "#VALUE!",
        "#¡VALOR!",
        "#NAME?",
    ],
)
def test_parse_number_rejects_non_numbers(raw):
    with pytest.raises(V.ValueProblemError) as info:
        V.parse_number(raw)
    assert info.value.code == "numero-invalido"
    assert info.value.mensaje  # a Spanish reason the reader can locate


def test_parse_number_huge_float_literal_is_out_of_range():
    # 1e309 typed in Excel is stored as text; as a float it is infinity
    with pytest.raises(V.ValueProblemError):
        V.parse_number(float("1e309"))


# --- codes -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("01", "01"),
        ("005", "005"),
        ("3.7.1", "3.7.1"),
        ("PY10", "PY10"),
        (" 101 ", "101"),
        (5.0, "5"),
        (5, "5"),
        (592, "592"),
        (2.3, "2.3"),
        (None, ""),
        ("", ""),
        ("4.3.3\n4.6.1", "4.3.3 4.6.1"),
    ],
)
def test_parse_code_keeps_text(raw, expected):
    assert V.parse_code(raw) == expected


# --- TRIMESTRE ----------------------------------------------------------------------

TRIMESTRE_FORMS = {
    1: [1, 1.0, "1", "1er", "1ER", "1ro", "1er.", "primer", "PRIMERO", "Primero", "PRIMER TRIMESTRE", "primer trimestre",
        "1ER TRIMESTRE", "ENE-MAR", "ene-mar", "Ene - Mar", "T1", "t1"],
    2: [2, "2", "2do", "2DO", "SEGUNDO", "segundo", "SEGUNDO TRIMESTRE", "2DO TRIMESTRE", "ABR-JUN", "abr-jun", "T2"],
    3: [3, "3", "3er", "3ER", "3ro", "TERCERO", "tercero", "TERCER TRIMESTRE", "3ER TRIMESTRE", "JUL-SEP", "T3"],
    4: [4, "4", "4to", "4TO", "CUARTO", "cuarto", "CUARTO TRIMESTRE", "4TO TRIMESTRE", "OCT-DIC", "oct-dic", "T4"],
}


@pytest.mark.parametrize("quarter, raw", [(q, raw) for q, forms in TRIMESTRE_FORMS.items() for raw in forms])
def test_parse_trimestre_forms(quarter, raw):
    assert V.parse_trimestre(raw) == quarter


@pytest.mark.parametrize("raw", [0, 5, -1, 1.5, "5", "quinto", "T5", "ENE-JUN", "", None, True, dt.date(2024, 3, 31)])
def test_parse_trimestre_rejects(raw):
    with pytest.raises(V.ValueProblemError) as info:
        V.parse_trimestre(raw)
    assert info.value.code == "dato-general-invalido"


# --- FECHA ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        (dt.datetime(2024, 3, 31, 0, 0), dt.date(2024, 3, 31)),
        (dt.date(2024, 3, 31), dt.date(2024, 3, 31)),
        (45382, dt.date(2024, 3, 31)),  # an Excel serial in a cell without date format
        ("31/03/2024", dt.date(2024, 3, 31)),
        ("31/3/2024", dt.date(2024, 3, 31)),
        ("31/03/24", dt.date(2024, 3, 31)),
        ("31-mar-24", dt.date(2024, 3, 31)),
        ("31-MAR-24", dt.date(2024, 3, 31)),
        ("9-abr-18", dt.date(2018, 4, 9)),
        ("30-jun.-23", dt.date(2023, 6, 30)),
        ("30-Jun.-23", dt.date(2023, 6, 30)),
        ("30-sep.-23", dt.date(2023, 9, 30)),
        ("31-dic-2023", dt.date(2023, 12, 31)),
        (" 31 de marzo de 2024 ", dt.date(2024, 3, 31)),
        ("2024-03-31", dt.date(2024, 3, 31)),
    ],
)
def test_parse_fecha_forms(raw, expected):
    assert V.parse_fecha(raw) == expected


@pytest.mark.parametrize("raw", ["31/02/2024", "32/01/2024", "31-xyz-24", "mañana", "", 12, float("nan"), True])
def test_parse_fecha_rejects(raw):
    with pytest.raises(V.ValueProblemError) as info:
        V.parse_fecha(raw)
    assert info.value.code == "dato-general-invalido"


@pytest.mark.parametrize(
    "year, quarter, expected",
    [(2024, 1, dt.date(2024, 3, 31)), (2024, 2, dt.date(2024, 6, 30)), (2023, 3, dt.date(2023, 9, 30)), (2023, 4, dt.date(2023, 12, 31))],
)
def test_last_day_of_quarter(year, quarter, expected):
    assert V.last_day_of_quarter(year, quarter) == expected


# --- TOLERANCIA ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, percent_format, expected",
    [
        ("10%", False, Decimal("0.1")),
        ("10 %", False, Decimal("0.1")),
        (" 10% ", False, Decimal("0.1")),
        ("12.5%", False, Decimal("0.125")),
        (0.1, False, Decimal("0.1")),
        ("0.1", False, Decimal("0.1")),
        (10, False, Decimal("0.1")),
        ("10", False, Decimal("0.1")),
        (0.1, True, Decimal("0.1")),  # a percent-formatted cell showing 10%
        (0.05, True, Decimal("0.05")),
        (0, False, Decimal(0)),
        ("0%", False, Decimal(0)),
    ],
)
def test_parse_tolerancia(raw, percent_format, expected):
    assert V.parse_tolerancia(raw, percent_format) == expected


def test_parse_tolerancia_percent_cell_is_read_as_displayed():
    # 150 % in a percent-formatted cell is out of range; the plain number 1.5 is 1.5 %
    with pytest.raises(V.ValueProblemError):
        V.parse_tolerancia(1.5, True)
    assert V.parse_tolerancia(1.5, False) == Decimal("0.015")


@pytest.mark.parametrize("raw", ["diez", "100%", 100, "-10%", -5, "%", "10%%", True])
def test_parse_tolerancia_rejects(raw):
    with pytest.raises(V.ValueProblemError) as info:
        V.parse_tolerancia(raw)
    assert info.value.code == "dato-general-invalido"


# --- BASE, EJERCICIO ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("META ANUAL", Base.META_ANUAL),
        ("meta anual", Base.META_ANUAL),
        (" Meta  Anual ", Base.META_ANUAL),
        ("PROGRAMADO AL PERIODO", Base.PROGRAMADO),
        ("Programado al período", Base.PROGRAMADO),
        ("programado al periodo:", Base.PROGRAMADO),
    ],
)
def test_parse_base(raw, expected):
    assert V.parse_base(raw) is expected


@pytest.mark.parametrize("raw", ["AVANCE", "", None, 1])
def test_parse_base_rejects(raw):
    with pytest.raises(V.ValueProblemError) as info:
        V.parse_base(raw)
    assert info.value.code == "dato-general-invalido"


@pytest.mark.parametrize("raw, expected", [(2023, 2023), (2023.0, 2023), ("2024", 2024), (2000, 2000), (2100, 2100)])
def test_parse_ejercicio(raw, expected):
    assert V.parse_ejercicio(raw) == expected


@pytest.mark.parametrize("raw", [1999, 2101, 2023.5, "dos mil", None, -2023, True])
def test_parse_ejercicio_rejects(raw):
    with pytest.raises(V.ValueProblemError) as info:
        V.parse_ejercicio(raw)
    assert info.value.code == "dato-general-invalido"


# --- e-mail lists -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("tesoreria@mexicali.gob.mx", ("tesoreria@mexicali.gob.mx",)),
        ("a@b.mx, c@d.gob.mx", ("a@b.mx", "c@d.gob.mx")),
        ("a@b.mx;c@d.gob.mx", ("a@b.mx", "c@d.gob.mx")),
        ("a@b.mx ; c@d.gob.mx , e.f+g@h-i.org", ("a@b.mx", "c@d.gob.mx", "e.f+g@h-i.org")),
        ("a@b.mx;", ("a@b.mx",)),
        ("", ()),
        (None, ()),
    ],
)
def test_parse_correos(raw, expected):
    assert V.parse_correos(raw) == expected


@pytest.mark.parametrize("raw", ["tesoreria", "a@b", "a@b.mx c@d.mx", "@b.mx", "a@@b.mx", "a..b@c.mx", "a@b.mx, nadie"])
def test_parse_correos_rejects(raw):
    with pytest.raises(V.ValueProblemError) as info:
        V.parse_correos(raw)
    assert info.value.code == "correo-invalido"
