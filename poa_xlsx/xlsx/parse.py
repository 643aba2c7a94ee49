"""The parts of an .xlsx the reader needs, parsed with pyexpat.

This replaces openpyxl's read-only mode on the read side: openpyxl builds an
element tree (through defusedxml) and a dictionary per cell, some 20-40 µs a
cell; here expat calls a few small handlers per element and a sheet is read at
a few µs a cell. What comes out is what openpyxl's read-only mode gives with
``data_only=True``: str, int, float, bool, datetime/date/time/timedelta or
None per cell; inline and shared strings with rich-text runs joined and
phonetic runs left out; error cells as their ``#...`` text; numbers in a date
format as dates (1900 or 1904 system); rows and columns placed as openpyxl
places them. ``tests/test_xlsxparse.py`` compares both on random sheets.

Safety: :mod:`poa_xlsx.xlsxfile` inflates and checks every part before this
module sees it (sizes, CRC, no DTD). Every parser made here also refuses any
DTD, entity declaration or external entity itself (:class:`XmlForbiddenError`), so
no entity is ever expanded or fetched.
"""
from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterator, NoReturn
from xml.parsers import expat

# column letters live at the base of the package; importable from here as before
from poa_xlsx.celdas import column_index, column_letter  # noqa: F401

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
_DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

# openpyxl looks for the workbook part by content type, in this order
_WORKBOOK_TYPES = (
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
)
_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_STYLES_PART = "xl/styles.xml"  # openpyxl reads the styles from this fixed name
_CHUNK = 1 << 16  # bytes fed to expat at a time: rows come out as they end

_S = " "  # expat's namespace separator: "uri local"
_NAMES = tuple(f"{MAIN}{_S}{n}" for n in ("row", "c", "v", "f", "is", "t", "r", "rPh", "si"))
_ROW, _C, _V, _F, _IS, _T, _R, _RPH, _SI = _NAMES


class XmlForbiddenError(ValueError):
    """The XML declares a DTD or an entity: refused before anything is expanded."""


class CellDamagedError(ValueError):
    """A cell holds a value no spreadsheet writes (``ref`` and ``text`` for the message)."""

    def __init__(self, ref: str, text: str) -> None:
        super().__init__(f"{ref}: {text!r}")
        self.ref = ref
        self.text = text


def _forbid(*_args: object) -> NoReturn:
    raise XmlForbiddenError("DTD o entidades en el XML")


def make_parser() -> expat.XMLParserType:
    """An expat parser (namespaces resolved) that raises on any DTD or entity."""
    parser = expat.ParserCreate(namespace_separator=_S)
    parser.StartDoctypeDeclHandler = _forbid
    parser.EntityDeclHandler = _forbid
    parser.UnparsedEntityDeclHandler = _forbid
    parser.ExternalEntityRefHandler = _forbid
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.buffer_text = True
    parser.buffer_size = _CHUNK
    for name in _NAMES:  # expat hands back these very objects: handlers compare with `is`
        parser.intern[name] = name
    return parser


def _elements(raw: bytes) -> list[tuple[str, dict[str, str]]]:
    """(name, attributes) of every element of a small part, in document order."""
    found: list[tuple[str, dict[str, str]]] = []
    parser = make_parser()
    parser.StartElementHandler = lambda name, attrs: found.append((name, attrs))
    parser.Parse(raw, True)
    return found


# --- number formats (after openpyxl.styles.numbers, MIT licence) -------------

_BUILTIN_FORMATS = {
    0: "General", 1: "0", 2: "0.00", 3: "#,##0", 4: "#,##0.00",
    5: '"$"#,##0_);("$"#,##0)', 6: '"$"#,##0_);[Red]("$"#,##0)',
    7: '"$"#,##0.00_);("$"#,##0.00)', 8: '"$"#,##0.00_);[Red]("$"#,##0.00)',
    9: "0%", 10: "0.00%", 11: "0.00E+00", 12: "# ?/?", 13: "# ??/??",
    14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy", 18: "h:mm AM/PM", 19: "h:mm:ss AM/PM",
    20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    37: "#,##0_);(#,##0)", 38: "#,##0_);[Red](#,##0)", 39: "#,##0.00_);(#,##0.00)", 40: "#,##0.00_);[Red](#,##0.00)",
    41: r'_(* #,##0_);_(* \(#,##0\);_(* "-"_);_(@_)',
    42: r'_("$"* #,##0_);_("$"* \(#,##0\);_("$"* "-"_);_(@_)',
    43: r'_(* #,##0.00_);_(* \(#,##0.00\);_(* "-"??_);_(@_)',
    44: r'_("$"* #,##0.00_)_("$"* \(#,##0.00\)_("$"* "-"??_)_(@_)',
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0", 48: "##0.0E+0", 49: "@",
}
_STRIP = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_TIMEDELTA = re.compile(r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.I)
_DATE_LETTER = re.compile(r"(?<![_\\])[dmhysDMHYS]")


def is_date_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _DATE_LETTER.search(_STRIP.sub("", fmt.split(";")[0])) is not None


def is_timedelta_format(fmt: str | None) -> bool:
    if fmt is None:
        return False
    return _TIMEDELTA.search(fmt.split(";")[0]) is not None


WINDOWS_EPOCH = dt.datetime(1899, 12, 30)
MAC_EPOCH = dt.datetime(1904, 1, 1)


def from_excel(value: float, epoch: dt.datetime = WINDOWS_EPOCH, timedelta: bool = False) -> object:
    """An Excel serial number as openpyxl converts it (``openpyxl.utils.datetime.from_excel``)."""
    if timedelta:
        td = dt.timedelta(days=value)
        if td.microseconds:  # round to the millisecond
            td = dt.timedelta(seconds=td.total_seconds() // 1, microseconds=round(td.microseconds, -3))
        return td
    day, fraction = divmod(value, 1)
    diff = dt.timedelta(milliseconds=round(fraction * 86400 * 1000))
    if 0 <= value < 1 and diff.days == 0:
        mins, seconds = divmod(diff.seconds, 60)
        hours, mins = divmod(mins, 60)
        return dt.time(hours, mins, seconds, diff.microseconds)
    if 0 < value < 60 and epoch == WINDOWS_EPOCH:
        day += 1  # Excel's 29 February 1900
    return epoch + dt.timedelta(days=day) + diff


# --- the workbook: sheets, shared strings, styles -------------------------------


@dataclass(frozen=True)
class SheetEntry:
    name: str
    state: str  # "visible", "hidden" or "veryHidden"
    part: str  # archive member


@dataclass
class WorkbookInfo:
    """What every sheet's parse needs from the rest of the package."""

    sheets: list[SheetEntry]
    shared_strings: list[str] = field(default_factory=list)
    epoch: dt.datetime = WINDOWS_EPOCH
    date_styles: frozenset[int] = frozenset()
    timedelta_styles: frozenset[int] = frozenset()
    percent_styles: frozenset[int] = frozenset()


def _member(names: dict[str, str], part: str) -> str | None:
    """The archive member for ``part``: exact, or as the only case-insensitive match."""
    if part in names.values():
        return part
    return names.get(part.lower())


def _rels_targets(raw: bytes, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of a .rels part, targets made absolute as openpyxl does."""
    folder = posixpath.dirname(posixpath.dirname(part))  # the .rels file sits in _rels/ beside its part
    found: dict[str, tuple[str, str]] = {}
    for name, attrs in _elements(raw):
        if name != f"{_RELS}{_S}Relationship":
            continue
        target = attrs.get("Target", "")
        if attrs.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        found.setdefault(attrs.get("Id", ""), (attrs.get("Type", ""), target))
    return found


def workbook_part(read: Callable[[str], bytes]) -> tuple[str, str | None]:
    """The workbook part and the shared strings part (None if absent), from [Content_Types].xml."""
    overrides: dict[str, str] = {}
    defaults: set[str] = set()
    for name, attrs in _elements(read("[Content_Types].xml")):
        if name == f"{_CONTENT_TYPES}{_S}Override":
            overrides.setdefault(attrs.get("ContentType", ""), attrs.get("PartName", ""))
        elif name == f"{_CONTENT_TYPES}{_S}Default":
            defaults.add(attrs.get("ContentType", ""))
    workbook = next((overrides[t] for t in _WORKBOOK_TYPES if overrides.get(t)), None)
    if workbook is None:
        if not defaults & set(_WORKBOOK_TYPES):
            raise ValueError("no workbook part in [Content_Types].xml")
        workbook = "/xl/workbook.xml"
    strings = overrides.get(_SHARED_STRINGS_TYPE)
    return workbook[1:], (strings[1:] if strings else None)


def sheet_entries(read: Callable[[str], bytes], workbook: str) -> tuple[list[SheetEntry], bool]:
    """The workbook's worksheets in order, and whether it uses the 1904 date system.

    Chart sheets hold no cells and are left out; so are sheets whose part is
    missing (as openpyxl does).
    """
    folder, base = posixpath.split(workbook)
    rels_part = posixpath.join(folder, "_rels", base + ".rels")
    try:
        rels = _rels_targets(read(rels_part), rels_part)
    except KeyError:
        rels = {}
    sheets: list[SheetEntry] = []
    date1904 = False
    for name, attrs in _elements(read(workbook)):
        if name == f"{MAIN}{_S}workbookPr":
            flag = attrs.get("date1904")
            date1904 = flag is not None and flag not in ("false", "f", "0", "")
        elif name == f"{MAIN}{_S}sheet":
            rid = attrs.get(f"{_DOC_RELS}{_S}id")
            if not rid:
                continue
            kind, target = rels[rid]  # a sheet without its relationship: the package is damaged
            if "chartsheet" in kind:
                continue
            sheets.append(SheetEntry(attrs.get("name", ""), attrs.get("state", "visible"), target))
    return sheets, date1904


def parse_shared_strings(raw: bytes) -> list[str]:
    """Each <si>'s text: its <t> then its runs' <t>, phonetic runs left out (as openpyxl reads it)."""
    strings: list[str] = []
    append = strings.append
    plain: list[str | None] = [None]
    runs: list[str] = []
    text: list[str] = []
    state: dict[str, Any] = {"in_t": False, "depth_r": 0, "depth_rph": 0, "run_t": None}
    parser = make_parser()

    def start(name: str, attrs: dict[str, str]) -> None:
        if name is _T:
            state["in_t"] = True
            text.clear()
        elif name is _R:
            state["depth_r"] += 1
            state["run_t"] = None
        elif name is _RPH:
            state["depth_rph"] += 1
        elif name is _SI:
            plain[0] = None
            runs.clear()

    def end(name: str) -> None:
        if name is _T:
            state["in_t"] = False
            if state["depth_rph"]:
                return
            if state["depth_r"]:
                state["run_t"] = "".join(text)
            else:
                plain[0] = "".join(text)
        elif name is _R:
            state["depth_r"] -= 1
            if state["run_t"] is not None:
                runs.append(state["run_t"])
        elif name is _RPH:
            state["depth_rph"] -= 1
        elif name is _SI:
            value = "".join(([plain[0]] if plain[0] is not None else []) + runs)
            append(value.replace("x005F_", ""))

    def chars(data: str) -> None:
        if state["in_t"]:
            text.append(data)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.Parse(raw, True)
    return strings


def parse_styles(raw: bytes) -> tuple[frozenset[int], frozenset[int], frozenset[int]]:
    """Style indexes (cellXfs order) whose number format is a date, a duration, a percent."""
    custom: dict[int, str] = {}
    xf_formats: list[int] = []
    in_cell_xfs = False
    for name, attrs in _elements(raw):
        if name == f"{MAIN}{_S}numFmt":
            try:
                custom[int(attrs.get("numFmtId", ""))] = attrs.get("formatCode", "")
            except ValueError:
                continue
        elif name == f"{MAIN}{_S}cellXfs":
            in_cell_xfs = True
        elif name == f"{MAIN}{_S}cellStyles" or name == f"{MAIN}{_S}dxfs":
            in_cell_xfs = False
        elif name == f"{MAIN}{_S}xf" and in_cell_xfs:
            try:
                xf_formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                xf_formats.append(0)
    dates, durations, percents = set(), set(), set()
    for index, fmt_id in enumerate(xf_formats):
        code = custom[fmt_id] if fmt_id in custom else _BUILTIN_FORMATS.get(fmt_id)
        if is_date_format(code):
            dates.add(index)
        if is_timedelta_format(code):
            durations.add(index)
        if code is not None and "%" in code:
            percents.add(index)
    return frozenset(dates), frozenset(durations), frozenset(percents)


def read_workbook_info(read: Callable[[str], bytes], names: list[str]) -> WorkbookInfo:
    """Parse [Content_Types].xml, the workbook, its relationships, shared strings and styles.

    ``read`` returns a member's bytes (KeyError if absent). Raises
    :class:`XmlForbiddenError`, ``expat.ExpatError``, ``KeyError`` or ``ValueError``
    when the package is damaged; the caller words the message.
    """
    lower = {n.lower(): n for n in names}

    def read_part(part: str) -> bytes:
        member = _member(lower, part)
        if member is None:
            raise KeyError(part)
        return read(member)

    workbook, strings_part = workbook_part(read_part)
    sheets, date1904 = sheet_entries(read_part, workbook)
    present = set(names)
    sheets = [s for s in sheets if s.part in present or s.part.lower() in lower]
    sheets = [SheetEntry(s.name, s.state, _member(lower, s.part) or s.part) for s in sheets]
    info = WorkbookInfo(sheets, epoch=MAC_EPOCH if date1904 else WINDOWS_EPOCH)
    if strings_part:
        info.shared_strings = parse_shared_strings(read_part(strings_part))
    try:
        styles = read_part(_STYLES_PART)
    except KeyError:
        styles = b""
    if styles:
        info.date_styles, info.timedelta_styles, info.percent_styles = parse_styles(styles)
    return info


# --- one sheet --------------------------------------------------------------------


_COLUMN_CACHE: dict[str, int] = {}
_FORMULA_REF = re.compile(r"([A-Z]{1,3})(\d+)$")


def _cast_number(text: str) -> int | float:
    if "." in text or "E" in text or "e" in text:
        return float(text)
    return int(text)


@dataclass
class ParsedRow:
    """One <row> as openpyxl's read-only iter_rows gives it."""

    number: int
    values: list[object]
    percent: list[int]  # columns (1-based) whose number format is a percent
    formulas: list[tuple[int, int]]  # (row, column) of its cells with a formula and no cached value


def iter_rows(raw: bytes, info: WorkbookInfo, *, formats: bool = False) -> Iterator[ParsedRow]:
    """The sheet's rows in order, each as soon as the XML has it.

    Rows with no cells come out with empty ``values``; rows openpyxl skips
    (numbered at or below a row already given) do not come out at all.
    Raises :class:`XmlForbiddenError`, :class:`CellDamagedError`, ``expat.ExpatError``
    or ``ValueError``.
    """
    shared = info.shared_strings
    epoch = info.epoch
    date_styles = info.date_styles
    timedelta_styles = info.timedelta_styles
    percent_styles = info.percent_styles if formats else frozenset()
    columns = _COLUMN_CACHE
    done: list[ParsedRow] = []
    cells: list[tuple[int, object, int]] = []  # (column, value, style) of the current row
    formula_cols: list[tuple[int, int]] = []
    # the current cell
    ref: str | None = None
    kind = "n"
    style = 0
    value_text: list[str] | None = None  # the first <v>'s text, once seen
    in_value = False
    has_formula = has_inline = False
    inline_plain: str | None = None
    inline_runs: list[str] = []
    run_text: str | None = None
    text_parts: list[str] = []
    in_text = False
    depth_run = depth_phonetic = 0
    row_number = 0
    col_counter = 0
    next_row = 1  # openpyxl's counter: rows numbered below it are skipped

    def start(name: str, attrs: dict[str, str]) -> None:
        nonlocal ref, kind, style, value_text, in_value, has_formula, has_inline, inline_plain, run_text
        nonlocal in_text, depth_run, depth_phonetic, row_number, col_counter
        if name is _C:
            ref = attrs.get("r")
            kind = attrs.get("t", "n")
            s = attrs.get("s")
            style = int(s) if s else 0
            value_text = None
            has_formula = has_inline = False
        elif name is _V:
            if value_text is None:
                value_text = []
                in_value = True
        elif name is _F:
            has_formula = True
        elif name is _T:
            if has_inline:
                in_text = True
                text_parts.clear()
        elif name is _IS:
            has_inline = True
            inline_plain = None
            inline_runs.clear()
            depth_run = depth_phonetic = 0
        elif name is _R:
            depth_run += 1
            run_text = None
        elif name is _RPH:
            depth_phonetic += 1
        elif name is _ROW:
            r = attrs.get("r")
            if r is not None:
                try:
                    row_number = int(r)
                except ValueError:
                    number = float(r)
                    if not number.is_integer():
                        raise ValueError(f"{r} is not a valid row number") from None
                    row_number = int(number)
            else:
                row_number += 1
            col_counter = 0
            cells.clear()
            formula_cols.clear()

    def end(name: str) -> None:
        nonlocal in_value, in_text, inline_plain, run_text, depth_run, depth_phonetic, col_counter, next_row
        if name is _C:
            text = "".join(value_text) if value_text else None
            if ref:
                letters = ref.rstrip("0123456789") if ref[-1:].isdigit() else None
                column = columns.get(letters) if letters is not None else None
                if column is None:
                    column = _ref_column(ref)
                    if letters is not None and len(columns) < 20_000:
                        columns[letters] = column
                col_counter = column
            else:
                col_counter += 1
                column = col_counter
            if has_formula and not (text or has_inline) and ref:
                m = _FORMULA_REF.match(ref)
                if m:  # upper-case letters and digits: the column is the one just read
                    formula_cols.append((int(m[2]), column))
            value: object = None
            if kind == "inlineStr":
                if has_inline:
                    value = "".join(([inline_plain] if inline_plain is not None else []) + inline_runs)
            elif text:
                try:
                    if kind == "n":
                        value = _cast_number(text)
                        if style in date_styles:
                            try:
                                value = from_excel(value, epoch, timedelta=style in timedelta_styles)
                            except (OverflowError, ValueError):
                                value = "#VALUE!"
                    elif kind == "s":
                        value = shared[int(text)]
                    elif kind == "b":
                        value = bool(int(text))
                    elif kind == "d":
                        from openpyxl.utils.datetime import from_ISO8601  # no spreadsheet writes these

                        value = from_ISO8601(text)
                    else:  # "str", "e" (an error such as #DIV/0!) and anything else: the text
                        value = text
                except (ValueError, OverflowError, IndexError, TypeError):
                    raise CellDamagedError((ref or "?")[:12], text) from None
            cells.append((column, value, style))
        elif name is _V:
            in_value = False
        elif name is _T:
            if in_text:
                in_text = False
                if depth_phonetic:
                    return
                if depth_run:
                    run_text = "".join(text_parts)
                else:
                    inline_plain = "".join(text_parts)
        elif name is _R:
            depth_run -= 1
            if run_text is not None and has_inline:
                inline_runs.append(run_text)
            run_text = None
        elif name is _RPH:
            depth_phonetic -= 1
        elif name is _ROW:
            number = row_number
            if number < next_row:
                cells.clear()
                return  # openpyxl skips a row numbered at or below one already given
            next_row = number + 1
            if not cells:
                done.append(ParsedRow(number, [], [], list(formula_cols)))
                return
            width = cells[-1][0]  # openpyxl sizes the row by its last cell
            values: list[object] = [None] * width if width > 0 else []
            percent_at: dict[int, bool] = {}
            for column, value, s in cells:
                if 1 <= column <= width:
                    values[column - 1] = value
                    if percent_styles:
                        percent_at[column] = s in percent_styles
            done.append(ParsedRow(number, values, [c for c, p in percent_at.items() if p], list(formula_cols)))
            cells.clear()

    def chars(data: str) -> None:
        if in_value:
            value_text.append(data)  # type: ignore[union-attr]
        elif in_text:
            text_parts.append(data)

    parser = make_parser()
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    view = memoryview(raw)
    for offset in range(0, len(raw), _CHUNK):
        parser.Parse(view[offset:offset + _CHUNK].tobytes(), False)
        if done:
            yield from done
            done.clear()
    parser.Parse(b"", True)
    yield from done


def _ref_column(ref: str) -> int:
    """The column of a cell reference as openpyxl's coordinate_to_tuple reads it."""
    index = 0
    for index, ch in enumerate(ref):  # noqa: B007 (index is read after the loop)
        if ch in "0123456789":
            break
    letters, digits = ref[:index], ref[index:]
    int(digits)  # openpyxl fails on a reference without a row number
    return column_index(letters) if letters else 0
