"""Every use of openpyxl's internals, in one place, and why.

* :class:`SheetZip` is the archive ``openpyxl.writer.excel.ExcelWriter`` writes into (not
  ``Workbook.save()``, which stamps the clock into the file): it fixes every member's
  timestamp and puts our own cell grid into each worksheet part, found by the part name
  openpyxl gives the n-th sheet. openpyxl's per-cell objects were five times slower.
* :func:`set_default_font` replaces ``wb._fonts`` so that column widths are measured in
  Arial 10 (7 px digits in Excel, the same in LibreOffice's Liberation Sans).

The openpyxl versions these are tested with are bounded in ``setup.cfg``.
"""
from __future__ import annotations

import re
import zipfile
from io import BytesIO
from typing import TYPE_CHECKING, Callable

if TYPE_CHECKING:  # openpyxl is imported lazily, inside render_xlsx
    from openpyxl.workbook import Workbook
from poa_xlsx.render.xlsx.base import FONT_NAME


class SheetZip(zipfile.ZipFile):
    """The archive openpyxl writes into: every member gets one fixed timestamp
    (reproducible bytes), and each worksheet gets its cell grid."""

    def __init__(self, file: BytesIO, date_time: tuple[int, int, int, int, int, int], grids: dict[str, Callable[[], tuple[str, str]]]) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=6)
        self._date_time = date_time
        self._grids = grids

    def writestr(self, zinfo_or_arcname, data, compress_type=None, compresslevel=None):  # type: ignore[override]
        if not isinstance(zinfo_or_arcname, zipfile.ZipInfo):
            info = zipfile.ZipInfo(zinfo_or_arcname, date_time=self._date_time)
            info.compress_type = self.compression
            info.external_attr = 0o600 << 16
            zinfo_or_arcname = info
        super().writestr(zinfo_or_arcname, data, compress_type, compresslevel or self.compresslevel)

    def write(self, filename, arcname=None, compress_type=None, compresslevel=None):  # type: ignore[override]
        # openpyxl writes each worksheet to a temporary file, then adds it here.
        with open(filename, "rb") as handle:
            data = handle.read()
        name = str(arcname or filename)
        grid = self._grids.pop(name, None)
        if grid is not None:
            data = insert_grid(data, *grid())
        self.writestr(name, data, compress_type, compresslevel)


SHEETDATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')


def insert_grid(sheet_xml: bytes, sheet_data: str, dimension: str) -> bytes:
    found = SHEETDATA.search(sheet_xml)
    if found is None:  # openpyxl changed its output: fail loudly, not silently empty
        raise RuntimeError("No se encontró <sheetData> en la hoja generada por openpyxl.")
    sheet_xml = sheet_xml[: found.start()] + sheet_data.encode("utf-8") + sheet_xml[found.end():]
    return DIMENSION.sub(f'<dimension ref="{dimension}"/>'.encode(), sheet_xml, count=1)


def set_default_font(wb: Workbook) -> None:
    # Column widths are counted in the default font's digit width. With
    # openpyxl's Calibri, LibreOffice (which seldom has Calibri) falls back to
    # a wider font and every column grows; Arial 10 is 7 px in Excel and its
    # metric twin Liberation Sans is the same in LibreOffice.
    from openpyxl.styles import Font
    from openpyxl.utils.indexed_list import IndexedList

    arial = Font(name=FONT_NAME, size=10, family=2)
    wb._fonts = IndexedList([arial])
    wb._named_styles["Normal"].font = arial
