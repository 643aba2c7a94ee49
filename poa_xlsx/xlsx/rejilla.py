"""A sheet's cells written as XML text: ``<sheetData>``, ``<mergeCells>`` and what follows.

openpyxl's per-cell objects and serialisation made a 300-unit × 40-goal
report about five times slower, and a next quarter's capture workbook of that
size slower than the report (issue #12). Renderers and the capture workbook
writer put their cells in a :class:`CellGrid` instead, with cell format
indices (``s``) they got from openpyxl once per style
(:mod:`poa_xlsx.xlsx.openpyxl_interno`), and
:func:`poa_xlsx.xlsx.paquete.save_workbook` slips each grid into its sheet.

Every string goes to the workbook's shared strings as text (``t="s"``), so
user text that looks like a formula (``=``, ``+``, ``-``, ``@``) or an error
code (``#N/A``) stays text; text that looks like a number (RAMO ``58``) is
listed in :attr:`CellGrid.text_numbers`, for the sheet's ``ignoredErrors``.
"""
from __future__ import annotations

import re
from typing import Iterable

from poa_xlsx.xlsx.paquete import SharedStrings, SheetGrid, column_letter, looks_numeric

# What XML 1.0 can't carry (tab, newline and carriage return are fine).
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_NUMERIC_START = frozenset("0123456789+-. ")
MAX_CELL_TEXT = 32767  # Excel's limit on a cell's characters


def clean_text(text: str) -> str:
    """``text`` without the characters XML cannot carry, cut to what a cell holds."""
    return CONTROL_CHARACTERS.sub("", text.replace("\r\n", "\n"))[:MAX_CELL_TEXT]


def escape_xml(text: str) -> str:
    return clean_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def letters(n: int) -> str:
    """The column letters of column ``n`` (1-based): ``A``, ..., ``Z``, ``AA``..."""
    return column_letter(n)


class CellGrid:
    """The cells, row heights and merged blocks of one sheet, serialised as
    ``<sheetData>`` and ``<mergeCells>``; its strings go to ``shared``."""

    def __init__(self, shared: SharedStrings) -> None:
        self._shared = shared
        self.rows: dict[int, dict[int, str]] = {}
        self.heights: dict[int, float] = {}
        self.merges: list[tuple[int, int, int, int]] = []
        self.text_numbers: list[tuple[int, int]] = []  # text cells Excel would take for numbers
        # XML of the elements that follow <mergeCells> in the schema's order and that
        # the sheet's openpyxl object does not hold (conditional formats, validations)
        self.after_merges = ""
        self._letters = [""] + [letters(i) for i in range(1, 200)]

    def _ref(self, row: int, col: int) -> str:
        return f"{self._letters[col]}{row}"

    def _set(self, row: int, col: int, xml: str) -> None:
        cells = self.rows.get(row)
        if cells is None:
            cells = self.rows[row] = {}
        cells[col] = xml

    def cell(self, row: int, col: int, value: object, s: int) -> None:
        """A string (always stored as text, never a formula), a number, or an empty
        cell, with cell format ``s``."""
        ref = self._ref(row, col)
        if isinstance(value, str) and value:
            text = clean_text(value)
            if text[:1] in _NUMERIC_START and looks_numeric(text):
                self.text_numbers.append((row, col))
            self._set(row, col, f'<c r="{ref}" s="{s}" t="s"><v>{self._shared.add(text)}</v></c>')
        elif isinstance(value, bool) or value is None or value == "":
            self._set(row, col, f'<c r="{ref}" s="{s}"/>')
        else:
            self._set(row, col, f'<c r="{ref}" s="{s}"><v>{value!r}</v></c>')

    def empty_cells(self, row: int, cells: Iterable[tuple[int, int]]) -> None:
        """Empty cells of ``row`` with a format each: (column, ``s``) pairs."""
        row_cells = self.rows.setdefault(row, {})
        for col, s in cells:
            row_cells[col] = f'<c r="{self._letters[col]}{row}" s="{s}"/>'

    def rich_cell(self, row: int, col: int, runs_xml: str, s: int) -> None:
        """A rich-text cell: ``runs_xml`` is the ``<r>`` runs of its shared string."""
        ref = self._ref(row, col)
        self._set(row, col, f'<c r="{ref}" s="{s}" t="s"><v>{self._shared.add_rich(runs_xml)}</v></c>')

    def sheet_grid(self) -> SheetGrid:
        """What the package writer puts into this sheet's part."""
        return SheetGrid(self.xml(), self.dimension(), self.text_numbers)

    def merge_xml(self) -> str:
        if not self.merges:
            return ""
        refs = "".join(f'<mergeCell ref="{self._ref(r1, c1)}:{self._ref(r2, c2)}"/>' for r1, c1, r2, c2 in self.merges)
        return f'<mergeCells count="{len(self.merges)}">{refs}</mergeCells>'

    def dimension(self) -> str:
        if not self.rows:
            return "A1"
        first, last = min(self.rows), max(self.rows)
        cmin = min(min(cells) for cells in self.rows.values())
        cmax = max(max(cells) for cells in self.rows.values())
        return f"{self._ref(first, cmin)}:{self._ref(last, cmax)}"

    def xml(self) -> str:
        out = ["<sheetData>"]
        for r in sorted(self.rows.keys() | self.heights.keys()):
            height = self.heights.get(r)
            attrs = f' ht="{height:g}" customHeight="1"' if height is not None else ""
            cells = self.rows.get(r)
            if cells:
                body = "".join(cells[c] for c in sorted(cells))
                out.append(f'<row r="{r}"{attrs}>{body}</row>')
            else:
                out.append(f'<row r="{r}"{attrs}/>')
        out.append("</sheetData>")
        # <mergeCells> comes right after <sheetData> in the schema's order
        # (openpyxl writes none of the optional parts in between).
        out.append(self.merge_xml())
        out.append(self.after_merges)
        return "".join(out)


__all__ = ["CONTROL_CHARACTERS", "MAX_CELL_TEXT", "CellGrid", "clean_text", "escape_xml", "letters"]
