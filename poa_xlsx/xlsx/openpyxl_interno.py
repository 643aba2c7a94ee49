"""Every use of openpyxl's internals, in one place, and why.

* :func:`write_parts` runs ``openpyxl.writer.excel.ExcelWriter`` into a stand-in
  for its zip file that keeps the parts in memory, so :mod:`poa_xlsx.xlsx.paquete`
  can package them as Excel does (``Workbook.save()`` would also stamp the clock
  into the file). It also drops ``wb._colors``, the legacy 64-colour palette
  openpyxl writes with alpha 00 (transparent to strict readers such as
  Gnumeric); it is the spec's default and nothing here refers to it by index.
* :func:`register_named_style` returns the cell format index of a named style
  (``wb._cell_styles``), which the renderers' own cell grids write as ``s``:
  openpyxl's per-cell objects were five times slower.
* :func:`set_default_font` replaces ``wb._fonts`` so that column widths are
  measured in Arial 10 (7 px digits in Excel, the same in LibreOffice's
  Liberation Sans).
* :func:`style_of` and :func:`set_style` copy a cell's array of style
  indices (``cell._style``): setting font, fill, border... one by one makes
  openpyxl hash each style object against the workbook's lists, most of the
  time of a big capture workbook (issue #12); the template sets them once per
  combination and copies the indices to the other cells.
* :func:`quick_cells` swaps ``openpyxl.worksheet._writer.write_cell`` for a
  writer of plain cells (blank, number, text) that writes the same bytes
  straight to the sheet's file, while the capture workbook is written: its
  hundreds of thousands of styled input cells made the generic writer most of
  the time of a big next quarter's workbook (issue #12, benchmarks/run.py).

The openpyxl versions these are tested with are bounded in ``setup.cfg``;
tests/test_compat.py fails if a new one changes what they rely on.
"""
from __future__ import annotations

import copy
import math
import zipfile
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Callable, Iterator

if TYPE_CHECKING:  # openpyxl is imported lazily
    from openpyxl.styles import Font, NamedStyle
    from openpyxl.workbook import Workbook


class _Parts:
    """Stands in for the ZipFile openpyxl writes into: keeps every part in memory, in order."""

    def __init__(self) -> None:
        self.parts: dict[str, bytes] = {}

    def writestr(self, name: str | zipfile.ZipInfo, data: str | bytes, *args: object, **kwargs: object) -> None:
        key = name.filename if isinstance(name, zipfile.ZipInfo) else str(name)
        self.parts[key] = data.encode("utf-8") if isinstance(data, str) else data

    def write(self, filename: str, arcname: str | None = None, *args: object, **kwargs: object) -> None:
        # openpyxl writes each worksheet to a temporary file, then adds it here.
        with open(filename, "rb") as handle:
            self.parts[str(arcname or filename)] = handle.read()

    def namelist(self) -> list[str]:
        return list(self.parts)

    def close(self) -> None:
        pass


def write_parts(wb: Workbook) -> dict[str, bytes]:
    """Every part openpyxl writes for ``wb`` (name -> bytes), in openpyxl's order."""
    from openpyxl.writer.excel import ExcelWriter

    wb._colors = []
    store = _Parts()
    ExcelWriter(wb, store).save()
    return store.parts


def register_named_style(wb: Workbook, style: NamedStyle) -> int:
    """Add ``style`` to ``wb`` and return its cell format index (a cell's ``s`` attribute)."""
    wb.add_named_style(style)
    # A cell given this named style carries this array of ids; its index in
    # the workbook's cell formats is the cell's "s" attribute.
    return int(wb._cell_styles.add(style.as_tuple()))


def set_default_font(wb: Workbook, font: Font) -> None:
    """Make ``font`` the workbook's default: column widths are counted in its digit width."""
    from openpyxl.utils.indexed_list import IndexedList

    wb._fonts = IndexedList([font])
    wb._named_styles["Normal"].font = font


def style_of(cell: Any) -> Any:
    """A copy of ``cell``'s style indices, to give to other cells of the same workbook."""
    return copy.copy(cell._style)


def set_style(cell: Any, array: Any) -> None:
    """Give ``cell`` the style indices :func:`style_of` took from a cell of the same workbook."""
    cell._style = copy.copy(array)


@contextmanager
def quick_cells() -> Iterator[None]:
    """openpyxl's worksheet writer with a quicker writer for the plain cells.

    A big next quarter's workbook (300 units x 40 goals: some 240,000 styled
    cells) spent most of its time serialising each cell through a generic XML
    tree (issue #12); blank, numeric and plain-text cells are written here
    directly as the same bytes (tests/test_plantilla.py compares them with
    openpyxl's), anything else by openpyxl's own writer.
    """
    from openpyxl.worksheet import _writer

    original = _writer.write_cell
    _writer.write_cell = _quick_cell_writer(original)
    try:
        yield
    finally:
        _writer.write_cell = original


def _quick_cell_writer(fallback: Callable[..., None]) -> Callable[..., None]:
    from xml.sax.saxutils import escape

    def write_cell(xf: Any, worksheet: Any, cell: Any, styled: bool | None = None) -> None:
        raw = getattr(xf, "_file", None)
        value = cell._value
        kind = cell.data_type
        if raw is None or not getattr(xf, "_element_stack", None) or cell.hyperlink or not (
            value is None
            or (kind == "n" and type(value) in (int, float) and math.isfinite(value))
            or (kind == "s" and type(value) is str)
        ):
            fallback(xf, worksheet, cell, styled)
            return
        style = f' s="{cell.style_id}"' if styled else ""
        if value is None or value == "":
            raw(f'<c r="{cell.coordinate}"{style} t="{"inlineStr" if kind == "s" else kind}" />')
        elif kind == "n":
            raw(f'<c r="{cell.coordinate}"{style} t="n"><v>{"%.16g" % value}</v></c>')
        else:
            space = ' xml:space="preserve"' if value != value.strip() else ""
            raw(f'<c r="{cell.coordinate}"{style} t="inlineStr"><is><t{space}>{escape(value)}</t></is></c>')

    return write_cell


__all__ = ["quick_cells", "register_named_style", "set_default_font", "set_style", "style_of", "write_parts"]
