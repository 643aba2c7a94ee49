"""poa_xlsx.xlsx.parse reads what openpyxl's read-only mode reads (issue #8).

The reader used to get its cells from openpyxl (``load_workbook(read_only=True,
data_only=True)`` and ``iter_rows``); :mod:`poa_xlsx.xlsx.parse` replaced it to
read ten times faster. Random sheets (every cell type, styles, rich text,
gaps, cells and rows without a reference, the 1904 date system, prefixed
namespaces) must give the same values, rows and percent cells through both.
"""
from __future__ import annotations

import datetime as dt
import io
import sys
import warnings
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import corpus  # noqa: E402

from poa_xlsx.xlsx import archivo as xlsxfile
from poa_xlsx.xlsx import parse as xlsxparse  # noqa: E402

MAIN = xlsxparse.MAIN

# style 0 General, 1 date (14), 2 percent (9), 3 custom date, 4 custom duration, 5 custom percent, 6 text (49)
STYLES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    f'<styleSheet xmlns="{MAIN}"><numFmts count="3">'
    '<numFmt numFmtId="164" formatCode="dd/mm/yyyy"/><numFmt numFmtId="165" formatCode="[h]:mm:ss"/>'
    '<numFmt numFmtId="166" formatCode="0.0%"/></numFmts>'
    '<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs count="7">'
    '<xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="9"/><xf numFmtId="164"/><xf numFmtId="165"/>'
    '<xf numFmtId="166"/><xf numFmtId="49"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
).encode()

xml_text = st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r\ufffe\uffff",
                  max_codepoint=0x1FFFF).filter(lambda ch: ch >= " " or ch in "\t\n"),
    max_size=12,
)
numbers = st.one_of(
    st.integers(-10**6, 10**6).map(str),
    st.floats(allow_nan=False, allow_infinity=False, width=64).map(repr),
    st.sampled_from(["1E3", "2.5e-3", "-0", "007", "45107", "45107.75", "0.5", "59", "60", "61"]),
)


@st.composite
def cell_xml(draw: st.DrawFn, shared: int) -> str:
    """The inside of one <c> element: attributes after '|' like corpus.Raw."""
    kind = draw(st.sampled_from(["n", "s", "inline", "rich", "str", "e", "b", "empty", "formula", "formula-none",
                                 "styled", "odd"]))
    if kind == "n":
        return f"|<v>{draw(numbers)}</v>"
    if kind == "s":
        return f't="s"|<v>{draw(st.integers(0, shared - 1))}</v>'
    if kind == "inline":
        return f't="inlineStr"|<is><t xml:space="preserve">{escape(draw(xml_text))}</t></is>'
    if kind == "rich":
        runs = "".join(f"<r><rPr><b/></rPr><t>{escape(t)}</t></r>" for t in draw(st.lists(xml_text, max_size=3)))
        phonetic = "<rPh sb=\"0\" eb=\"1\"><t>フリガナ</t></rPh>" if draw(st.booleans()) else ""
        return f't="inlineStr"|<is>{runs}{phonetic}</is>'
    if kind == "str":
        return f't="str"|<f>A1</f><v>{escape(draw(xml_text))}</v>'
    if kind == "e":
        return f't="e"|<v>{draw(st.sampled_from(["#DIV/0!", "#N/A", "#VALUE!", "#REF!"]))}</v>'
    if kind == "b":
        return f't="b"|<v>{draw(st.sampled_from(["0", "1"]))}</v>'
    if kind == "empty":
        return draw(st.sampled_from(["|", "|<v></v>", "|<v/>", 's="2"|']))
    if kind == "formula":
        return f"|<f>SUM(A1:A2)</f><v>{draw(numbers)}</v>"
    if kind == "formula-none":
        return draw(st.sampled_from(["|<f>SUM(A1:A2)</f>", "|<f>A1</f><v></v>", 't="str"|<f>A1</f>']))
    if kind == "odd":  # values no spreadsheet writes: both readers must refuse them, or read them alike
        return draw(st.sampled_from(['|<v>nan</v>', '|<v>inf</v>', '|<v>1,5</v>', 't="s"|<v>99</v>', 't="s"|<v>-1</v>',
                                     't="b"|<v>x</v>', 't="b"|<v>2</v>', 's="1"|<v>1e300</v>', 's="4"|<v>-1e12</v>',
                                     't="zz"|<v>texto</v>', 't="inlineStr"|<v>7</v>', '|<v> 12 </v>']))
    style = draw(st.integers(1, 6))
    serial = draw(st.one_of(st.integers(0, 80_000).map(str),
                            st.floats(0, 80_000, allow_nan=False).map(repr), numbers))
    return f's="{style}"|<v>{serial}</v>'


def _col(n: int) -> str:
    return corpus._col(n)


@st.composite
def sheets(draw: st.DrawFn) -> tuple[bytes, bytes, bool]:
    """(sheet XML, sharedStrings XML, date1904)."""
    strings = draw(st.lists(st.one_of(xml_text, xml_text.map(lambda t: t + "x005F_")), min_size=1, max_size=6))
    rich = draw(st.booleans())
    si = []
    for i, text in enumerate(strings):
        if rich and i % 2:
            si.append(f"<si><r><t>{escape(text)}</t></r><r><rPr/><t>.</t></r><rPh sb='0' eb='1'><t>ヨミ</t></rPh></si>")
        else:
            si.append(f'<si><t xml:space="preserve">{escape(text)}</t></si>')
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}">{"".join(si)}</sst>'.encode()
    prefix = draw(st.sampled_from(["", "x:"]))
    rows = []
    row_number = 0
    for _ in range(draw(st.integers(0, 12))):
        row_number += draw(st.sampled_from([1, 1, 1, 2, 5, 0, -1]))
        with_r = draw(st.integers(0, 9)) > 0
        cells = []
        col = 0
        for _ in range(draw(st.integers(0, 8))):
            col = max(1, col + draw(st.sampled_from([1, 1, 2, 3, -2])))
            inner = draw(cell_xml(len(strings)))
            attrs, _, body = inner.partition("|")
            ref = f' r="{_col(col)}{max(row_number, 1)}"' if draw(st.integers(0, 9)) > 0 else ""
            body = body.replace("<", f"<{prefix}").replace(f"<{prefix}/", f"</{prefix}")
            cells.append(f"<{prefix}c{ref}{' ' + attrs if attrs else ''}>{body}</{prefix}c>")
        r_attr = f' r="{row_number}"' if with_r else ""
        rows.append(f"<{prefix}row{r_attr}>{''.join(cells)}</{prefix}row>")
    ns = f'xmlns:x="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    sheet = (f'<?xml version="1.0" encoding="UTF-8"?><{prefix}worksheet {ns}><{prefix}sheetData>{"".join(rows)}'
             f"</{prefix}sheetData></{prefix}worksheet>").encode()
    return sheet, sst, draw(st.booleans())


def _package(sheet: bytes, sst: bytes, date1904: bool, name: str = "Hoja 1") -> bytes:
    parts = corpus.xlsx_parts([("GENERAL", corpus.sheet_xml([["x"]])), (name, sheet)], hidden=["GENERAL"])
    parts["xl/styles.xml"] = STYLES
    parts["xl/sharedStrings.xml"] = sst
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    if date1904:
        parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b"<sheets>", b'<workbookPr date1904="1"/><sheets>')
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    return buffer.getvalue()


def _by_openpyxl(data: bytes, name: str) -> object:
    """What the reader got from openpyxl before: rows with a cell, as (values, percent columns)."""
    from openpyxl import load_workbook

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
            ws = wb[name]
            ws.reset_dimensions()
            rows = {}
            for r, row in enumerate(ws.iter_rows(values_only=False), start=1):
                if row:
                    values = [getattr(c, "value", None) for c in row]
                    percent = [i for i, c in enumerate(row, 1) if "%" in (getattr(c, "number_format", "") or "")]
                    rows[r] = (values, percent)
            return [(s.title, s.sheet_state) for s in wb.worksheets], rows
        except (ValueError, IndexError, KeyError, OverflowError, TypeError) as exc:
            return "error", type(exc).__name__


def _by_xlsxparse(data: bytes, name: str) -> object:
    archive = zipfile.ZipFile(io.BytesIO(data))
    info = xlsxparse.read_workbook_info(archive.read, archive.namelist())
    entry = next(s for s in info.sheets if s.name == name)
    try:
        rows = {row.number: (row.values, sorted(row.percent))
                for row in xlsxparse.iter_rows(archive.read(entry.part), info, formats=True) if row.values}
    except (ValueError, IndexError, KeyError, OverflowError, TypeError) as exc:
        return "error", type(exc).__name__
    return [(s.name, s.state) for s in info.sheets], rows


def _same(a: object, b: object) -> bool:
    if a == b:
        return True
    # openpyxl and expat agree on values; only the exception class may differ on a damaged cell
    return isinstance(a, tuple) and isinstance(b, tuple) and a[:1] == b[:1] == ("error",)


@settings(max_examples=int(__import__("os").environ.get("POA_EXAMPLES", "150")), deadline=None)
@given(sheets())
def test_same_rows_as_openpyxl(sheet: tuple[bytes, bytes, bool]) -> None:
    data = _package(*sheet)
    expected = _by_openpyxl(data, "Hoja 1")
    got = _by_xlsxparse(data, "Hoja 1")
    assert _same(expected, got), (expected, got, sheet[0].decode())


def test_values_of_each_kind() -> None:
    sheet = (
        f'<worksheet xmlns="{MAIN}"><sheetData><row r="2">'
        '<c r="A2"><v>12</v></c><c r="B2"><v>1.5</v></c><c r="C2" t="s"><v>1</v></c>'
        '<c r="D2" t="inlineStr"><is><r><t>a</t></r><r><t>b</t></r><rPh><t>z</t></rPh></is></c>'
        '<c r="E2" t="e"><v>#DIV/0!</v></c><c r="F2" t="b"><v>1</v></c><c r="G2" s="1"><v>45107</v></c>'
        '<c r="H2" s="2"><v>0.1</v></c><c r="I2"><f>A1</f></c><c r="K2" s="4"><v>1.5</v></c>'
        '<c r="L2" s="1"><v>1e308</v></c></row></sheetData></worksheet>'
    ).encode()
    sst = f'<sst xmlns="{MAIN}"><si><t>cero</t></si><si><t>uno_x005F_</t></si></sst>'.encode()
    archive = zipfile.ZipFile(io.BytesIO(_package(sheet, sst, False)))
    info = xlsxparse.read_workbook_info(archive.read, archive.namelist())
    assert [(s.name, s.state) for s in info.sheets] == [("GENERAL", "hidden"), ("Hoja 1", "visible")]
    (row,) = list(xlsxparse.iter_rows(archive.read(info.sheets[1].part), info, formats=True))
    assert row.number == 2
    assert row.values == [12, 1.5, "uno_", "ab", "#DIV/0!", True, dt.datetime(2023, 6, 30), 0.1, None, None,
                          dt.timedelta(days=1.5), "#VALUE!"]
    assert row.percent == [8]
    assert row.formulas == [(2, 9)]


def test_1904_dates() -> None:
    sheet = f'<worksheet xmlns="{MAIN}"><sheetData><row><c s="1"><v>0</v></c><c s="1"><v>1</v></c></row>' \
            "</sheetData></worksheet>"
    archive = zipfile.ZipFile(io.BytesIO(_package(sheet.encode(), f'<sst xmlns="{MAIN}"/>'.encode(), True)))
    info = xlsxparse.read_workbook_info(archive.read, archive.namelist())
    (row,) = list(xlsxparse.iter_rows(archive.read(info.sheets[1].part), info))
    assert row.values == [dt.time(0, 0), dt.datetime(1904, 1, 2)]


@pytest.mark.parametrize("value", [0, 0.25, 1, 59, 59.5, 60, 61, 45107.75, 2958465.9999, 1e6, 1e10, -1, -0.5])
@pytest.mark.parametrize("timedelta", [False, True])
def test_from_excel_is_openpyxls(value: float, timedelta: bool) -> None:
    from openpyxl.utils.datetime import MAC_EPOCH, WINDOWS_EPOCH, from_excel

    for ours, theirs in ((xlsxparse.WINDOWS_EPOCH, WINDOWS_EPOCH), (xlsxparse.MAC_EPOCH, MAC_EPOCH)):
        try:
            expected = from_excel(value, theirs, timedelta=timedelta)
        except (OverflowError, ValueError) as exc:
            with pytest.raises(type(exc)):
                xlsxparse.from_excel(value, ours, timedelta=timedelta)
        else:
            assert xlsxparse.from_excel(value, ours, timedelta=timedelta) == expected


def test_number_formats_are_openpyxls() -> None:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    assert xlsxparse._BUILTIN_FORMATS == BUILTIN_FORMATS
    codes = [*BUILTIN_FORMATS.values(), "dd/mm/yyyy", '"Día" d', "[Red]0", "[h]:mm", "[mm]:ss", "0.0%", "yyyy;@",
             r"\d0", "_d0", "General;[Red]-d", "[$-80A]dddd, d \\de mmmm"]
    for code in codes:
        assert xlsxparse.is_date_format(code) == is_date_format(code), code
        assert xlsxparse.is_timedelta_format(code) == is_timedelta_format(code), code


# --- safety: the parser itself refuses any DTD --------------------------------


@pytest.mark.parametrize(
    "xml",
    [
        b'<?xml version="1.0"?><!DOCTYPE worksheet><worksheet/>',
        b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "b">]><w>&a;</w>',
        b'<?xml version="1.0"?><!DOCTYPE w SYSTEM "file:///etc/passwd"><w/>',
        b'<?xml version="1.0" encoding="ISO-8859-1"?><!DOCTYPE w [<!ENTITY % p SYSTEM "http://example.invalid/">%p;]><w/>',
        '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE w [<!ENTITY a "b">]><w>&a;</w>'.encode("utf-16"),
    ],
)
def test_parser_refuses_any_dtd(xml: bytes) -> None:
    info = xlsxparse.WorkbookInfo([])
    with pytest.raises(xlsxparse.XmlForbiddenError):
        list(xlsxparse.iter_rows(xml, info))
    with pytest.raises(xlsxparse.XmlForbiddenError):
        xlsxparse.parse_shared_strings(xml)
    with pytest.raises(xlsxparse.XmlForbiddenError):
        xlsxparse.parse_styles(xml)


def test_encodings_the_byte_scan_cannot_see_are_not_parsed() -> None:
    """EBCDIC has no "<!DOCTYPE" bytes for xlsxfile's scan; expat cannot read it at all."""
    from xml.parsers.expat import ExpatError

    xml = '<?xml version="1.0" encoding="cp037"?><!DOCTYPE w [<!ENTITY a "b">]><w>&a;</w>'.encode("cp037")
    with pytest.raises((xlsxparse.XmlForbiddenError, ExpatError)):
        list(xlsxparse.iter_rows(xml, xlsxparse.WorkbookInfo([])))


def test_chart_sheets_are_left_out(tmp_path: Path) -> None:
    parts = corpus.capture_parts()
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(
        b"</sheets>", b'<sheet name="Gr\xc3\xa1fica" sheetId="9" r:id="rIdChart"/></sheets>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdChart" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'chartsheet" Target="chartsheets/sheet1.xml"/></Relationships>')
    parts["xl/chartsheets/sheet1.xml"] = f'<chartsheet xmlns="{MAIN}"/>'.encode()
    corpus.write_zip(tmp_path / "x.xlsx", parts)
    with xlsxfile.open_workbook(tmp_path / "x.xlsx") as book:
        assert book.sheet_names == ["GENERAL", "201 Promoción"]
