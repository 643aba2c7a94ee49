"""Every use of openpyxl's internals, in one place, and why.

* :func:`write_parts` runs ``openpyxl.writer.excel.ExcelWriter`` into a stand-in
  for its zip file that keeps the parts in memory, so :mod:`poa_xlsx.xlsx.paquete`
  can package them as Excel does (``Workbook.save()`` would also stamp the clock
  into the file). It also drops ``wb._colors``, the legacy 64-colour palette
  openpyxl writes with alpha 00 (transparent to strict readers such as
  Gnumeric); it is the spec's default and nothing here refers to it by index.
  While it runs, ``CommentSheet.write_shapes`` writes the notes' VML as Excel
  does (``o:``/``v:``/``x:`` prefixes declared on the root, starting with
  :data:`EXCEL_VML_ROOT`), the same shapes openpyxl's ``ShapeWriter`` makes:
  rewriting openpyxl's ``ns0:`` prefixes element by element took a second
  for a big capture workbook's thousands of notes (issue #12).
* :func:`register_named_style` returns the cell format index of a named style
  (``wb._cell_styles``), which the renderers' own cell grids write as ``s``:
  openpyxl's per-cell objects were five times slower.
* :func:`set_default_font` replaces ``wb._fonts`` so that column widths are
  measured in Arial 10 (7 px digits in Excel, the same in LibreOffice's
  Liberation Sans).
* :func:`cell_format` returns the cell format index of a combination of
  style objects, the ``s`` a :class:`~poa_xlsx.xlsx.rejilla.CellGrid` writes
  (``cell.style_id`` registers the cell's array of style indices in
  ``wb._cell_styles``), through a cell that belongs to no sheet: the capture
  workbook's unit sheets are cell grids, not hundreds of thousands of
  openpyxl cells (issue #12).
* :func:`rules_xml` serialises a sheet's conditional formats and data
  validations as openpyxl's worksheet writer does
  (``WorksheetWriter.write_formatting`` and ``write_validations``, which
  register the formats' fills in ``wb._differential_styles``), so that unit
  sheets of the same layout share one serialisation (issue #12); the rules
  live on a :func:`detached_sheet`, a worksheet object outside the workbook's
  list of sheets.

The openpyxl versions these are tested with are bounded in ``setup.cfg``;
tests/test_compat.py and tests/test_plantilla.py (the notes' VML and the
rules against openpyxl's own writers) fail if a new one changes what they
rely on.
"""
from __future__ import annotations

import zipfile
from typing import TYPE_CHECKING, Any, Iterable

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
    from openpyxl.comments.comment_sheet import CommentSheet
    from openpyxl.writer.excel import ExcelWriter

    wb._colors = []
    store = _Parts()
    original = CommentSheet.write_shapes

    def write_shapes(sheet: Any, vml: Any = None) -> Any:
        if vml is not None:  # shapes to merge into a macro workbook's VML: openpyxl's way
            return original(sheet, vml)
        return comments_vml((c.ref, c.height, c.width) for c in sheet.commentList)

    CommentSheet.write_shapes = write_shapes
    try:
        ExcelWriter(wb, store).save()
    finally:
        CommentSheet.write_shapes = original
    return store.parts


#: How a notes VML part written by :func:`comments_vml` begins: Excel's prefixes, declared once.
EXCEL_VML_ROOT = (
    b'<xml xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:v="urn:schemas-microsoft-com:vml" '
    b'xmlns:x="urn:schemas-microsoft-com:office:excel">'
)
_SHAPE_TYPE = (
    '<o:shapelayout v:ext="edit"><o:idmap v:ext="edit" data="1"/></o:shapelayout>'
    '<v:shapetype id="_x0000_t202" coordsize="21600,21600" o:spt="202" path="m,l,21600r21600,l21600,xe">'
    '<v:stroke joinstyle="miter"/><v:path gradientshapeok="t" o:connecttype="rect"/></v:shapetype>'
)


def comments_vml(notes: Iterable[tuple[str, Any, Any]]) -> bytes:
    """The VML drawing of a sheet's notes (cell reference, height and width in pixels),
    shape for shape what openpyxl's ``ShapeWriter`` writes, with Excel's prefixes."""
    from openpyxl.utils import coordinate_to_tuple

    shapes = []
    for idx, (ref, height, width) in enumerate(notes, 1026):
        row, col = coordinate_to_tuple(ref)
        shapes.append(
            '<v:shape type="#_x0000_t202" style="position:absolute; margin-left:59.25pt;margin-top:1.5pt;'
            f'width:{width}px;height:{height}px;z-index:1;visibility:hidden" fillcolor="#ffffe1" '
            f'o:insetmode="auto" id="_x0000_s{idx:04d}"><v:fill color2="#ffffe1"/>'
            '<v:shadow color="black" obscured="t"/><v:path o:connecttype="none"/>'
            '<v:textbox style="mso-direction-alt:auto"><div style="text-align:left"/></v:textbox>'
            '<x:ClientData ObjectType="Note"><x:MoveWithCells/><x:SizeWithCells/><x:AutoFill>False</x:AutoFill>'
            f"<x:Row>{row - 1}</x:Row><x:Column>{col - 1}</x:Column></x:ClientData></v:shape>"
        )
    return EXCEL_VML_ROOT + (_SHAPE_TYPE + "".join(shapes) + "</xml>").encode("utf-8")


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


def cell_format(ws: Any, **attributes: Any) -> int:
    """The cell format index (``s``) of a cell of ``ws``'s workbook with these style
    attributes (font, fill, border, alignment, number_format, protection)."""
    from openpyxl.cell.cell import Cell

    cell = Cell(ws)  # not placed in the sheet: it only carries the style
    for name, value in attributes.items():
        setattr(cell, name, value)
    return int(cell.style_id)


def rules_xml(ws: Any) -> str:
    """``ws``'s ``<conditionalFormatting>`` and ``<dataValidations>`` elements as
    openpyxl writes them into the sheet, as text; ``ws`` may be a sheet that is not
    in its workbook (the formats' fills are registered in the workbook)."""
    from openpyxl.styles.differential import DifferentialStyle
    from openpyxl.xml.functions import tostring

    empty = DifferentialStyle()
    parts = []
    for cf in ws.conditional_formatting:
        for rule in cf.rules:
            if rule.dxf and rule.dxf != empty:
                rule.dxfId = ws.parent._differential_styles.add(rule.dxf)
        parts.append(tostring(cf.to_tree()))
    if ws.data_validations:
        parts.append(tostring(ws.data_validations.to_tree()))
    return "".join(p.decode("utf-8") if isinstance(p, bytes) else p for p in parts)


def detached_sheet(wb: Workbook) -> Any:
    """A worksheet of ``wb`` that is not among its sheets: it holds rules to serialise."""
    from openpyxl.worksheet.worksheet import Worksheet

    return Worksheet(wb, title="reglas")


__all__ = ["EXCEL_VML_ROOT", "cell_format", "comments_vml", "detached_sheet", "register_named_style", "rules_xml", "set_default_font", "write_parts"]
