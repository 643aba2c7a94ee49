"""Cell addresses as Excel writes them: column letters and ``F14``-style coordinates.

One place for the conversions every stage needs (the sheet parser, the reader
placing values, the validator ordering problems), so they cannot disagree.
The rules are openpyxl's: columns A (1) to ZZZ (18278), letters case-insensitive.
"""
from __future__ import annotations

import re

MAX_COLUMN = 18278  # ZZZ

_LETTERS: dict[int, str] = {}
_CELL = re.compile(r"([A-Za-z]{1,3})([0-9]+)")


def column_letter(col: int) -> str:
    """The letters of column ``col``: A for 1 .. ZZZ for 18278 (openpyxl's get_column_letter)."""
    letters = _LETTERS.get(col)
    if letters is None:
        if not 1 <= col <= MAX_COLUMN:
            raise ValueError(f"columna fuera de rango: {col}")
        letters, rest = "", col
        while rest:
            rest, rem = divmod(rest - 1, 26)
            letters = chr(65 + rem) + letters
        _LETTERS[col] = letters
    return letters


def column_index(letters: str) -> int:
    """The number of column ``letters``: 1 for A .. 18278 for ZZZ (openpyxl's column_index_from_string).

    Raises ``ValueError`` for anything that is not one to three letters A-Z.
    """
    if not 1 <= len(letters) <= 3:
        raise ValueError(f"columna no válida: {letters!r}")
    number = 0
    for ch in letters.upper():
        value = ord(ch) - 64
        if not 1 <= value <= 26:
            raise ValueError(f"columna no válida: {letters!r}")
        number = number * 26 + value
    return number


def split_cell(cell: str) -> tuple[int, int]:
    """Row and column numbers of a coordinate: ``"F14"`` -> ``(14, 6)``.

    Raises ``ValueError`` when ``cell`` is not letters then a row number (``"$F$14"``,
    ``"14"``, ``"F"`` and ranges are not cells).
    """
    match = _CELL.fullmatch(cell)
    if match is None:
        raise ValueError(f"celda no válida: {cell!r}")
    return int(match[2]), column_index(match[1])


def cell_name(row: int, col: int) -> str:
    """The coordinate of row ``row`` and column ``col``: ``(14, 6)`` -> ``"F14"``."""
    return f"{column_letter(col)}{row}"
