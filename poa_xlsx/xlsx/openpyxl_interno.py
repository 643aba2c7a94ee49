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

The openpyxl versions these are tested with are bounded in ``setup.cfg``;
tests/test_compat.py fails if a new one changes what they rely on.
"""
from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING

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


__all__ = ["register_named_style", "set_default_font", "write_parts"]
