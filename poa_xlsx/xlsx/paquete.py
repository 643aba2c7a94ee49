"""openpyxl workbook -> XLSX bytes packaged the way Excel writes them.

openpyxl names and links some parts its own way: comments in
``xl/comments/commentN.xml``, VML in ``xl/drawings/commentsDrawingN.vml``,
relationship targets as absolute paths (``/xl/drawings/drawing1.xml``),
drawings in a default namespace and VML with ``ns0:`` prefixes. The OPC spec
allows all of that, but readers that match part names and element prefixes
literally fail on it (exceljs: "Cannot read properties of undefined (reading
'anchors' / 'comments')"). :func:`save_workbook` takes the parts openpyxl
wrote (:func:`~poa_xlsx.xlsx.openpyxl_interno.write_parts`) and packages them
as Excel does: Excel's part names, relative targets, the ``xdr:``/``a:``/
``c:`` and ``o:``/``v:``/``x:`` prefixes, ``[Content_Types].xml`` first, and

* a shared-strings part (``xl/sharedStrings.xml``) instead of openpyxl 3.1's
  inline strings (Excel rewrites an inline-string file on its first save);
  renderers that build their own cell grid fill :class:`SharedStrings`;
* ``<ignoredErrors numberStoredAsText>`` over text cells that look like
  numbers (RAMO ``58``) or are formatted as text (``@``);
* ``docProps``: a title, an author (never "openpyxl") and ``poa-xlsx`` as the
  application;
* one fixed timestamp on every member, so the same input gives the same bytes.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from typing import TYPE_CHECKING, Callable, Iterable

from poa_xlsx.xlsx.openpyxl_interno import EXCEL_VML_ROOT, write_parts

if TYPE_CHECKING:  # openpyxl is imported lazily
    from openpyxl.workbook import Workbook

APPLICATION = "poa-xlsx"

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_SHARED_STRINGS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"
_CT_SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"

# The prefixes Excel uses; readers such as exceljs match them literally.
_PREFIXES = {
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "o": "urn:schemas-microsoft-com:office:office",
    "v": "urn:schemas-microsoft-com:vml",
    "x": "urn:schemas-microsoft-com:office:excel",
}

#: ECMA-376 Part 1, 18.3.1.99 (CT_Worksheet): the order of a worksheet's top-level elements.
WORKSHEET_ORDER: tuple[str, ...] = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
    "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
    "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks",
    "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing", "legacyDrawing",
    "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems",
    "tableParts", "extLst",
)
# Where <ignoredErrors> goes: before the first of these, else before </worksheet>.
_AFTER_IGNORED = re.compile(
    rb"<(?:smartTags|drawing|legacyDrawing|legacyDrawingHF|drawingHF|picture|oleObjects|controls|"
    rb"webPublishItems|tableParts|extLst)[\s/>]|</worksheet>"
)
# Empty elements openpyxl writes that Excel leaves out (and Gnumeric warns about).
_EMPTY_HEADERS = re.compile(rb"<(?:oddHeader|oddFooter|evenHeader|evenFooter|firstHeader|firstFooter)\s*/>")
_EMPTY_PROTECTION = re.compile(rb"<workbookProtection\s*/>")
_FIRST = ("[Content_Types].xml", "_rels/.rels")  # where Excel puts them: first in the zip
_SHEETDATA = re.compile(rb"<sheetData\s*/>|<sheetData>\s*</sheetData>")
_DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
_NUMBER_TEXT = re.compile(r"\s*[-+]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?\s*%?\s*")


def argb(rgb: str) -> str:
    """An opaque ARGB colour (``FF`` alpha) for a ``RRGGBB`` one.

    openpyxl pads six hex digits with alpha ``00`` (transparent); Excel ignores
    the alpha, but Gnumeric and other strict readers draw nothing."""
    rgb = rgb.lstrip("#").upper()
    return rgb if len(rgb) == 8 else "FF" + rgb


def looks_numeric(text: str) -> bool:
    """Whether Excel would flag ``text`` in a text cell as a number stored as text."""
    return bool(text) and _NUMBER_TEXT.fullmatch(text) is not None


def sqref(refs: Iterable[tuple[int, int]]) -> str:
    """(row, column) cells (1-based) as a space-separated list of column runs (``B5:B7 C9``)."""
    by_col: dict[int, list[int]] = {}
    for row, col in refs:
        by_col.setdefault(col, []).append(row)
    parts: list[str] = []
    for col in sorted(by_col):
        rows = sorted(set(by_col[col]))
        letter = column_letter(col)
        start = prev = rows[0]
        for row in rows[1:] + [0]:
            if row == prev + 1:
                prev = row
                continue
            parts.append(f"{letter}{start}" if start == prev else f"{letter}{start}:{letter}{prev}")
            start = prev = row
    return " ".join(parts)


def column_letter(n: int) -> str:
    out = ""
    while n:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SharedStrings:
    """The workbook's shared-strings table (``xl/sharedStrings.xml``), as Excel writes it.

    ``add`` takes text already cleaned of characters XML cannot carry;
    ``add_rich`` the inner XML of a rich string (``<r>`` runs)."""

    def __init__(self) -> None:
        self._index: dict[str, int] = {}
        self._items: list[str] = []
        self.count = 0  # references, as the part's count attribute says

    def _add(self, key: str, xml: str) -> int:
        self.count += 1
        index = self._index.get(key)
        if index is None:
            index = self._index[key] = len(self._items)
            self._items.append(xml)
        return index

    def add(self, text: str) -> int:
        index = self._index.get(text)
        if index is not None:
            self.count += 1
            return index
        return self._add(text, f'<si><t xml:space="preserve">{_escape(text)}</t></si>')

    def add_rich(self, runs_xml: str) -> int:
        return self._add("\0rich\0" + runs_xml, f"<si>{runs_xml}</si>")

    def add_xml(self, inner: str) -> int:
        """A string given as the XML inside ``<is>`` (``<t>...</t>`` or runs)."""
        return self._add("\0xml\0" + inner, f"<si>{inner}</si>")

    def __len__(self) -> int:
        return len(self._items)

    def xml(self) -> bytes:
        head = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="{_NS_MAIN}" '
            f'count="{self.count}" uniqueCount="{len(self._items)}">'
        )
        return (head + "".join(self._items) + "</sst>").encode("utf-8")


@dataclass
class SheetGrid:
    """Cells a renderer wrote itself, for one worksheet: ``<sheetData>`` and
    ``<mergeCells>`` XML, the used range, and the text cells that hold codes."""

    xml: str
    dimension: str
    text_numbers: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class DocumentInfo:
    """What ``docProps`` says: Excel's File > Info."""

    title: str
    creator: str
    subject: str = ""
    keywords: str = ""
    description: str = ""
    language: str = "es-MX"
    stamp: dt.datetime | None = None  # created and modified; None: now


# --------------------------------------------------------------------------- writing


def save_workbook(
    wb: Workbook,
    info: DocumentInfo,
    *,
    grids: dict[int, Callable[[], SheetGrid]] | None = None,
    shared: SharedStrings | None = None,
) -> bytes:
    """``wb`` as XLSX bytes, packaged as Excel does (see the module's docstring).

    ``grids`` maps a sheet's position (1-based) to a function giving the cells
    a renderer wrote itself; it is emptied as the sheets are written, so one
    sheet's cells and XML at a time are alive. Their strings go to ``shared``. Text cells of the
    other sheets that look like numbers, or are formatted as text (``@``),
    get ``<ignoredErrors numberStoredAsText>``. The same workbook and
    ``info.stamp`` give the same bytes."""
    stamp = info.stamp or dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    props = wb.properties
    props.title = info.title
    props.creator = info.creator
    props.subject = info.subject or None
    props.keywords = info.keywords or None
    props.description = info.description or None
    props.language = info.language
    props.lastModifiedBy = info.creator
    props.created = stamp
    props.modified = stamp
    grids = grids if grids is not None else {}
    shared = shared if shared is not None else SharedStrings()
    text_cells = {i: _text_number_cells(ws) for i, ws in enumerate(wb.worksheets, start=1) if i not in grids}

    parts = write_parts(wb)
    sheets = [f"xl/worksheets/sheet{i}.xml" for i in range(1, len(wb.worksheets) + 1)]
    missing = [name for name in sheets if name not in parts]  # openpyxl names the n-th sheet's part sheet<n>.xml
    if missing or set(grids) - set(range(1, len(sheets) + 1)):
        raise RuntimeError(f"openpyxl no escribió las hojas {missing or sorted(grids)}.")

    # Everything but the worksheets first: the package's small parts, as Excel
    # names and links them (the shared strings are always listed: they come last).
    _add_shared_strings(parts)
    parts["xl/workbook.xml"] = _EMPTY_PROTECTION.sub(b"", parts["xl/workbook.xml"])
    parts["docProps/app.xml"] = _app_xml(wb)
    _excel_part_names(parts)
    for name in list(parts):
        if name.endswith(".rels"):
            parts[name] = _relative_targets(name, parts[name])
        elif name.startswith(("xl/drawings/", "xl/charts/")) and (name.endswith(".xml") or name.endswith(".vml")):
            if not (name.endswith(".vml") and parts[name].startswith(EXCEL_VML_ROOT)):  # notes: already Excel's
                parts[name] = _with_prefixes(parts[name])

    buffer = BytesIO()
    with _Zip(buffer, stamp) as archive:
        for name in [n for n in _FIRST if n in parts] + [n for n in parts if n not in _FIRST and n not in sheets]:
            archive.add(name, parts.pop(name))
        # Each worksheet with its cells, compressed as soon as it is made: one
        # sheet's XML alive at a time (a whole Ayuntamiento's is tens of MB).
        for index, name in enumerate(sheets, start=1):
            data = parts.pop(name)
            grid_of = grids.pop(index, None)  # freed once its sheet is written
            if grid_of is not None:
                grid = grid_of()
                data = _insert_grid(data, grid.xml, grid.dimension)
                numbers = grid.text_numbers
                del grid, grid_of
            else:
                data = _share_inline_strings(data, shared)
                numbers = text_cells.get(index, [])
            if numbers:
                data = _insert_ignored_errors(data, sqref(numbers))
            archive.add(name, _EMPTY_HEADERS.sub(b"", data))
        archive.add("xl/sharedStrings.xml", shared.xml())
    return buffer.getvalue()


class _Zip(zipfile.ZipFile):
    """The package: deflated members, all with one timestamp (reproducible bytes)."""

    def __init__(self, buffer: BytesIO, stamp: dt.datetime) -> None:
        super().__init__(buffer, "w", zipfile.ZIP_DEFLATED, allowZip64=True, compresslevel=6)
        self._date_time = (max(stamp.year, 1980), stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)

    def add(self, name: str, data: bytes) -> None:
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        self.writestr(info, data, compresslevel=6)


def _text_number_cells(ws: object) -> list[tuple[int, int]]:
    cells = []
    for row in ws.iter_rows():  # type: ignore[attr-defined]
        for cell in row:
            value = cell.value
            if (isinstance(value, str) and looks_numeric(value)) or (cell.number_format == "@" and cell.has_style):
                cells.append((cell.row, cell.column))
    return cells


_INLINE = re.compile(rb'<c ([^>]*?) ?t="inlineStr"([^>]*)><is>(.*?)</is></c>', re.DOTALL)


def _share_inline_strings(sheet_xml: bytes, shared: SharedStrings) -> bytes:
    """openpyxl's inline strings (``t="inlineStr"``) moved to the shared strings."""

    def share(m: re.Match[bytes]) -> bytes:
        inner = m.group(3).decode("utf-8")
        index = shared.add_xml(inner)
        return f'<c {m.group(1).decode()}{m.group(2).decode()} t="s"><v>{index}</v></c>'.encode("utf-8")

    return _INLINE.sub(share, sheet_xml)


def _insert_grid(sheet_xml: bytes, sheet_data: str, dimension: str) -> bytes:
    """``sheet_data`` in place of the ``<sheetData>`` openpyxl wrote: empty, or holding
    only the cells that carry notes (openpyxl collects a sheet's notes from its cells)."""
    found = _SHEETDATA.search(sheet_xml)
    if found is not None:
        start, end = found.start(), found.end()
    else:
        start, close = sheet_xml.find(b"<sheetData>"), sheet_xml.find(b"</sheetData>")
        if start < 0 or close < start:  # openpyxl changed its output: fail loudly, not silently empty
            raise RuntimeError("No se encontró <sheetData> en la hoja generada por openpyxl.")
        end = close + len(b"</sheetData>")
    sheet_xml = sheet_xml[:start] + sheet_data.encode("utf-8") + sheet_xml[end:]
    return _DIMENSION.sub(f'<dimension ref="{dimension}"/>'.encode(), sheet_xml, count=1)


def _insert_ignored_errors(sheet_xml: bytes, ref: str) -> bytes:
    found = _AFTER_IGNORED.search(sheet_xml)
    if found is None:
        raise RuntimeError("La hoja generada por openpyxl no termina en </worksheet>.")
    element = f'<ignoredErrors><ignoredError sqref="{ref}" numberStoredAsText="1"/></ignoredErrors>'.encode()
    return sheet_xml[: found.start()] + element + sheet_xml[found.start():]


def _add_shared_strings(parts: dict[str, bytes]) -> None:
    """List xl/sharedStrings.xml (written last) in the workbook's links and content types."""
    rels = parts["xl/_rels/workbook.xml.rels"]
    ids = {int(n) for n in re.findall(rb'Id="rId(\d+)"', rels)}
    rel = f'<Relationship Type="{_REL_SHARED_STRINGS}" Target="sharedStrings.xml" Id="rId{max(ids, default=0) + 1}"/>'
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(b"</Relationships>", rel.encode() + b"</Relationships>")
    types = parts["[Content_Types].xml"]
    override = f'<Override PartName="/xl/sharedStrings.xml" ContentType="{_CT_SHARED_STRINGS}"/>'
    parts["[Content_Types].xml"] = types.replace(b"</Types>", override.encode() + b"</Types>")


def _app_xml(wb: Workbook) -> bytes:
    names = "".join(f"<vt:lpstr>{_escape(ws.title)}</vt:lpstr>" for ws in wb.worksheets)
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Hojas de cálculo</vt:lpstr>'
        f'</vt:variant><vt:variant><vt:i4>{len(wb.worksheets)}</vt:i4></vt:variant></vt:vector></HeadingPairs>'
        f'<TitlesOfParts><vt:vector size="{len(wb.worksheets)}" baseType="lpstr">{names}</vt:vector></TitlesOfParts>'
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
        "<HyperlinksChanged>false</HyperlinksChanged></Properties>"
    ).encode("utf-8")


_COMMENTS_PART = re.compile(r"xl/comments/comment(\d+)\.xml")
_VML_PART = re.compile(r"xl/drawings/commentsDrawing(\d+)\.vml")


def _excel_part_names(parts: dict[str, bytes]) -> None:
    """Comments and their VML under the names Excel gives them, links and content types updated."""
    renames: dict[str, str] = {}
    for name in parts:
        m = _COMMENTS_PART.fullmatch(name)
        if m:
            renames[name] = f"xl/comments{m.group(1)}.xml"
        m = _VML_PART.fullmatch(name)
        if m:
            renames[name] = f"xl/drawings/vmlDrawing{m.group(1)}.vml"
    if not renames:
        return
    for old, new in renames.items():
        parts[new] = parts.pop(old)
    # Relationship targets and content-type overrides name parts by absolute path.
    for name in list(parts):
        if name.endswith(".rels") or name == "[Content_Types].xml":
            data = parts[name]
            for old, new in renames.items():
                data = data.replace(f'"/{old}"'.encode(), f'"/{new}"'.encode())
            parts[name] = data


def _rels_source(rels_name: str) -> str:
    """The folder a .rels part's relative targets start from (``xl/worksheets`` for
    ``xl/worksheets/_rels/sheet1.xml.rels``; the package root for ``_rels/.rels``)."""
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return folder


_TARGET = re.compile(rb'Target="(/[^"]*)"')


def _relative_targets(name: str, data: bytes) -> bytes:
    base = _rels_source(name)

    def relative(m: re.Match[bytes]) -> bytes:
        target = m.group(1).decode("utf-8")[1:]
        rel = posixpath.relpath(target, base or ".")
        return f'Target="{rel}"'.encode("utf-8")

    if b'TargetMode="External"' in data:
        return data  # hyperlinks to other files: leave them as they are
    return _TARGET.sub(relative, data)


def _with_prefixes(data: bytes) -> bytes:
    """The same XML with Excel's namespace prefixes (xdr:, a:, c:, r:, o:, v:, x:), all
    declared on the root. Serialised here: ElementTree's prefixes are process-wide
    state that openpyxl sets too."""
    root = ET.fromstring(data)
    used: dict[str, str] = {}  # uri -> prefix
    body = _serialize(root, used, root=True)
    if root.tag == "xml":  # VML: no XML declaration, as Excel writes it
        return body.encode("utf-8")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode("utf-8")


_BY_URI = {uri: prefix for prefix, uri in _PREFIXES.items()}


def _qname(name: str, used: dict[str, str]) -> str:
    if not name.startswith("{"):
        return name
    uri, local = name[1:].split("}", 1)
    prefix = used.get(uri)
    if prefix is None:
        # not one of Excel's namespaces: a prefix of its own
        prefix = used[uri] = _BY_URI.get(uri, f"ns{len(used)}")
    return f"{prefix}:{local}"


def _attr(text: str) -> str:
    return _escape(text).replace('"', "&quot;").replace("\n", "&#10;")


def _serialize(elem: ET.Element, used: dict[str, str], root: bool = False) -> str:
    tag = _qname(elem.tag, used)
    attrs = "".join(f' {_qname(k, used)}="{_attr(v)}"' for k, v in elem.attrib.items())
    children = "".join(_serialize(child, used) + _escape(child.tail or "") for child in elem)
    if root:  # every namespace the document uses, declared once
        attrs = "".join(f' xmlns:{prefix}="{uri}"' for uri, prefix in sorted(used.items(), key=lambda i: i[1])) + attrs
    text = _escape(elem.text or "")
    if not children and not text:
        return f"<{tag}{attrs}/>"
    return f"<{tag}{attrs}>{text}{children}</{tag}>"


__all__ = [
    "APPLICATION",
    "WORKSHEET_ORDER",
    "DocumentInfo",
    "SharedStrings",
    "SheetGrid",
    "argb",
    "column_letter",
    "looks_numeric",
    "save_workbook",
    "sqref",
]
