"""Opening a workbook file safely and getting its sheets' cells.

Everything that touches the file's bytes is here: recognising what the file
really is (an old ``.xls``, an ``.ods``, a CSV, a protected workbook...),
refusing archives that would inflate beyond reason before any XML is parsed,
and reading each sheet's cells (parsed by :mod:`poa_xlsx.xlsxparse`, which
gives what openpyxl's read-only mode gave, several times faster) with the
limits on rows, cells and text applied as they are read.
"""
from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from poa_xlsx.problems import LibroError
from poa_xlsx.xlsx.parse import (
    CellDamagedError,
    SheetEntry,
    WorkbookInfo,
    iter_rows,
    read_workbook_info,
    sheet_entries,
    workbook_part,
)

# Limits against hostile archives. A real capture workbook is far below them:
# a whole Ayuntamiento (300 units x 40 goals) has some 155,000 cells and
# inflates to 13 MB when its strings are inline, as openpyxl writes them; the
# limits leave room for twice that and more. They bound the cost of a run:
# reading costs a few µs per cell (xlsxparse) and the worst workbook they let
# through is checked within seconds (tests/test_hostile.py).
MAX_UNCOMPRESSED = 100 * 1024 * 1024  # whole archive, bytes, as really inflated
MAX_MEMBER = 25 * 1024 * 1024  # one part, bytes
MAX_RATIO = 200  # uncompressed / compressed for any sizeable member
MAX_MEMBERS = 10_000
MAX_SHEETS = 1_000  # sheets in the workbook
MAX_CELLS = 400_000  # <c> elements in all worksheets together
MAX_ROW = 10_000  # last row with data in a sheet that is read
MAX_SLOTS = 2_000_000  # rows plus cells the reader keeps, whole workbook
MAX_TEXT = 32_767  # characters in a cell: Excel's own limit

_CHUNK = 1 << 16
_OUT = 1 << 20  # most bytes one inflate step may produce
_FORBIDDEN_XML = tuple(
    token.encode(enc) for token in ("<!DOCTYPE", "<!ENTITY") for enc in ("ascii", "utf-16-le", "utf-16-be")
)
_CELL_TOKENS = (b"<c ", b"<c>", b":c ", b":c>")
_NOT_XML = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf", ".svg", ".bin")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SAVE_AS = "Ábralo en Excel y guárdelo como «Libro de Excel (.xlsx)»."


@dataclass
class SheetData:
    """One sheet's values (rows of cells, 1-based when indexed by the reader)."""

    name: str
    rows: list[list[object]]
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    formulas_sin_valor: set[tuple[int, int]] = field(default_factory=set)
    percent_cells: set[tuple[int, int]] = field(default_factory=set)


def _fail(path: str, mensaje: str, code: str) -> LibroError:
    return LibroError(path, mensaje, code)


def check_file(path: str) -> None:
    """Raise :class:`LibroError` unless ``path`` looks like a readable .xlsx/.xlsm."""
    if not os.path.exists(path):
        raise _fail(path, "No se encontró el archivo. Revise el nombre y la carpeta.", "archivo-no-encontrado")
    if os.path.isdir(path):
        raise _fail(path, "Es una carpeta, no un archivo de Excel. Indique el archivo .xlsx.", "archivo-no-encontrado")
    size = os.path.getsize(path)
    if size == 0:
        raise _fail(path, "El archivo está vacío (0 bytes). Vuelva a guardarlo desde Excel o pida que se lo reenvíen.", "archivo-vacio")
    with open(path, "rb") as handle:
        head = handle.read(8)
        if head.startswith(_OLE2):
            handle.seek(0)
            data = handle.read(min(size, 4 * 1024 * 1024))
            if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
                raise _fail(
                    path,
                    "El libro está protegido con contraseña. Ábralo en Excel, quite la contraseña "
                    "(Archivo > Información > Proteger libro) y guárdelo de nuevo.",
                    "archivo-protegido",
                )
            raise _fail(path, f"Es un libro de Excel antiguo (.xls), que no se puede leer. {_SAVE_AS}", "formato-xls")
        if not head.startswith(b"PK"):
            handle.seek(0)
            sample = handle.read(4096)
            if _looks_like_text(sample):
                raise _fail(
                    path,
                    f"Es un archivo de texto (CSV u otro), no un libro de Excel. {_SAVE_AS}",
                    "formato-texto",
                )
            raise _fail(path, f"No es un libro de Excel (.xlsx). {_SAVE_AS}", "formato-desconocido")
    try:
        archive = zipfile.ZipFile(path)
    except NotImplementedError as exc:  # "zip file version 14.8": a feature zipfile lacks, never written by Excel
        raise _fail(
            path,
            f"El archivo usa una variante del formato .zip que Excel no escribe ({exc}), así que está dañado o lo "
            f"generó otro programa. {_SAVE_AS} O pida que se lo reenvíen.",
            "archivo-danado",
        ) from exc
    except Exception as exc:  # BadZipFile, OSError, ValueError, EOFError... each a damaged archive
        raise _fail(
            path,
            "El archivo está dañado o incompleto (no se puede abrir como .xlsx). Pida que se lo reenvíen o "
            "vuelva a guardarlo desde Excel.",
            "archivo-danado",
        ) from exc
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "mimetype" in names:
            try:
                with archive.open("mimetype") as member:  # a bounded read: sizes are not checked yet
                    mimetype = member.read(100)
            except (zipfile.BadZipFile, OSError, ValueError, KeyError):
                mimetype = b""
            if b"opendocument" in mimetype:
                raise _fail(
                    path,
                    "Es una hoja de cálculo de LibreOffice (.ods). En LibreOffice use Archivo > Guardar como > "
                    "«Libro de Excel 2007-365 (.xlsx)».",
                    "formato-ods",
                )
        if "xl/workbook.xml" not in names and not any(n.lower() == "xl/workbook.xml" for n in names):
            raise _fail(path, f"Es un archivo comprimido (.zip) pero no un libro de Excel. {_SAVE_AS}", "formato-desconocido")
        if len(infos) > MAX_MEMBERS:
            raise _fail(
                path,
                f"El archivo tiene {len(infos):,} partes internas; un libro de captura tiene unas pocas decenas. "
                "No se procesa: revise su origen.",
                "archivo-demasiado-grande",
            )
        for info in infos:
            if info.flag_bits & 0x1:
                raise _fail(
                    path,
                    f"La parte «{info.filename}» está cifrada dentro del .zip, cosa que Excel no hace. {_SAVE_AS}",
                    "archivo-danado",
                )
            if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise _fail(
                    path,
                    f"La parte «{info.filename}» usa una compresión que Excel no usa; el archivo no lo generó Excel "
                    f"o está alterado. {_SAVE_AS}",
                    "archivo-danado",
                )
        # the workbook part and its relationships first: they name the sheets in the messages
        lead_names = ("xl/workbook.xml", "xl/_rels/workbook.xml.rels")
        inspector = _Inspector(path)
        for info in infos:
            if info.filename.lower() in lead_names:
                inspector.inspect(info)
        sheet_of = _sheet_names_or_nothing(archive)
        inspector.sheet_of = sheet_of
        _check_declared(path, infos, sheet_of)
        for info in infos:
            if info.filename.lower() not in lead_names:
                inspector.inspect(info)
        _check_sheets(path, archive, inspector.cells)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.0f} MB" if size >= 1024 * 1024 else f"{max(size // 1024, 1):,} KB"


def _too_big(path: str, member: str, size: int, more: bool = False, sheet: str | None = None) -> LibroError:
    amount = f"más de {_mb(size)}" if more else _mb(size)
    if sheet is not None:
        return _fail(
            path,
            f"La hoja «{sheet}» ocupa {amount} sin comprimir y el máximo es {_mb(MAX_MEMBER)}: tiene demasiadas "
            "filas o celdas para un libro de captura. Borre las filas y columnas sobrantes (también las que solo "
            "tienen formato) o reparta las unidades en varios libros.",
            "hoja-demasiado-grande",
        )
    return _fail(
        path,
        f"El archivo se expandiría a un tamaño desmedido ({amount} en «{member}»; el máximo es "
        f"{_mb(MAX_MEMBER)}); no se procesa. Revise su origen.",
        "archivo-demasiado-grande",
    )


def _check_declared(path: str, infos: list[zipfile.ZipInfo], sheet_of: dict[str, str]) -> None:
    """Sizes as the headers declare them: cheap, and enough for an honest bomb."""
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > MAX_MEMBER or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO):
            raise _too_big(path, info.filename, info.file_size, sheet=sheet_of.get(info.filename))
    if total > MAX_UNCOMPRESSED:
        raise _fail(
            path,
            f"El archivo se expandiría a {_mb(total)}; es demasiado grande para un libro de captura "
            f"(máximo {_mb(MAX_UNCOMPRESSED)}) y no se procesa.",
            "archivo-demasiado-grande",
        )


def _damaged(path: str, member: str) -> LibroError:
    return _fail(
        path,
        f"El archivo está dañado o incompleto (la parte «{member}» no se puede descomprimir). Pida que se lo "
        "reenvíen o vuelva a guardarlo desde Excel.",
        "archivo-danado",
    )


def _inflate(handle: io.BufferedReader, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """A member's bytes in bounded pieces, inflated from its raw data.

    zipfile trusts the sizes in the headers and may inflate up to 1 GiB in
    one call; here no step produces more than ``_OUT`` bytes, so the real
    size is known before anything else reads the member.
    """
    handle.seek(info.header_offset)
    local = handle.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise zlib.error("bad local header")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    handle.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    if info.compress_type == zipfile.ZIP_STORED:
        while left > 0:
            chunk = handle.read(min(left, _CHUNK))
            if not chunk:
                raise zlib.error("truncated")
            left -= len(chunk)
            yield chunk
        return
    if left == 0 and info.file_size == 0:
        return  # an empty member some writers store without a deflate stream
    inflater = zlib.decompressobj(-15)
    while left > 0 and not inflater.eof:
        chunk = handle.read(min(left, _CHUNK))
        if not chunk:
            raise zlib.error("truncated")
        left -= len(chunk)
        yield inflater.decompress(chunk, _OUT)
        while inflater.unconsumed_tail and not inflater.eof:
            yield inflater.decompress(inflater.unconsumed_tail, _OUT)
    if not inflater.eof:
        raise zlib.error("truncated")


class _Inspector:
    """Inflates every member once, before any parser sees it.

    Checks real sizes against the limits and the headers, CRCs, and that no
    XML part declares a DTD (the door to entity expansion and external
    entities; OOXML never uses one). Counts each member's cells.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.cells: dict[str, int] = {}
        self.sheet_of: dict[str, str] = {}
        self.total = 0

    def inspect(self, info: zipfile.ZipInfo) -> None:
        if info.is_dir():
            return
        path = self.path
        size = crc = count = 0
        tail = b""
        scan = not info.filename.lower().endswith(_NOT_XML)
        try:
            with open(path, "rb") as handle:
                for piece in _inflate(handle, info):
                    size += len(piece)
                    self.total += len(piece)
                    if size > MAX_MEMBER:
                        raise _too_big(path, info.filename, MAX_MEMBER, more=True, sheet=self.sheet_of.get(info.filename))
                    if self.total > MAX_UNCOMPRESSED:
                        raise _fail(
                            path,
                            f"El archivo se expandiría a más de {_mb(MAX_UNCOMPRESSED)}; es demasiado grande para un "
                            "libro de captura y no se procesa.",
                            "archivo-demasiado-grande",
                        )
                    crc = zlib.crc32(piece, crc)
                    if scan:
                        window = tail + piece
                        if any(token in window for token in _FORBIDDEN_XML):
                            raise _xml_danger(path, info.filename)
                        count += sum(window.count(t) for t in _CELL_TOKENS) - sum(tail.count(t) for t in _CELL_TOKENS)
                        tail = window[-32:]
        except LibroError:
            raise
        except Exception as exc:  # zlib.error, OSError, ValueError, struct.error...
            raise _damaged(path, info.filename) from exc
        if size > info.file_size:
            raise _fail(
                path,
                f"La parte «{info.filename}» dice medir {_mb(info.file_size)} pero se expande a {_mb(size)}: "
                "el archivo está alterado y no se procesa. Revise su origen.",
                "archivo-danado",
            )
        if size != info.file_size or crc != info.CRC:
            raise _damaged(path, info.filename)
        self.cells[info.filename] = count


def _xml_danger(path: str, where: str | None = None) -> LibroError:
    place = f" (en «{where}»)" if where else ""
    return _fail(
        path,
        f"El archivo contiene XML con declaraciones de entidades o referencias externas{place}, que no se aceptan "
        f"por seguridad; Excel nunca las escribe. No lo abra y revise su origen.",
        "xml-peligroso",
    )


def _sheet_names_or_nothing(archive: zipfile.ZipFile) -> dict[str, str]:
    """Part name -> sheet name, when workbook.xml can be read (it was inspected already)."""
    try:
        return {part: name for name, part in _sheet_parts(archive)}
    except Exception:  # a malformed workbook.xml: open_workbook will say it is damaged
        return {}


def _sheet_parts(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(sheet name, part name) for each worksheet, from the content types, workbook.xml and its relationships."""
    lower = {n.lower(): n for n in archive.namelist()}

    def read(part: str) -> bytes:
        return archive.read(lower.get(part.lower(), part))

    workbook, _strings = workbook_part(read)
    sheets, _date1904 = sheet_entries(read, workbook)
    return [(s.name, lower.get(s.part.lower(), s.part)) for s in sheets]


def _check_sheets(path: str, archive: zipfile.ZipFile, cells: dict[str, int]) -> None:
    """Refuse workbooks with too many sheets or cells before their XML is parsed."""
    try:
        sheets = _sheet_parts(archive)
    except Exception:  # a malformed workbook.xml: open_workbook will say it is damaged
        return
    if len(sheets) > MAX_SHEETS:
        raise _fail(
            path,
            f"El libro tiene {len(sheets):,} hojas; un libro de captura admite hasta {MAX_SHEETS:,}. "
            "Reparta las unidades en varios libros.",
            "demasiadas-hojas",
        )
    counted = [(cells.get(part, 0), name) for name, part in sheets]
    total = sum(n for n, _ in counted)
    if total > MAX_CELLS:
        biggest, name = max(counted)
        raise _fail(
            path,
            f"El libro tiene {total:,} celdas y un libro de captura admite hasta {MAX_CELLS:,}; la hoja «{name}» "
            f"tiene {biggest:,}. Borre las filas y columnas sobrantes (también las que solo tienen formato) o "
            "reparta las unidades en varios libros.",
            "hoja-demasiado-grande",
        )


def _looks_like_text(sample: bytes) -> bool:
    if b"\x00" in sample:
        return False
    try:
        sample.decode("utf-8")
    except UnicodeDecodeError:
        try:
            sample.decode("latin-1")
        except UnicodeDecodeError:
            return False
    printable = sum(1 for b in sample if b >= 32 or b in b"\r\n\t")
    return printable >= 0.95 * len(sample)


class Book:
    """An open workbook, read with :mod:`poa_xlsx.xlsxparse`; use :func:`open_workbook`."""

    def __init__(self, path: str, archive: zipfile.ZipFile, info: WorkbookInfo) -> None:
        self.path = path
        self._archive = archive
        self._info = info
        self._entries: dict[str, SheetEntry] = {}
        for entry in info.sheets:
            self._entries.setdefault(entry.name, entry)  # a repeated name: the first sheet, as openpyxl
        self._slots = 0  # rows and cells kept so far, for MAX_SLOTS

    @property
    def sheet_names(self) -> list[str]:
        return [entry.name for entry in self._info.sheets]

    @property
    def slots(self) -> int:
        """Rows and cells kept so far (the reader's memory, bounded by MAX_SLOTS)."""
        return self._slots

    def add_slots(self, slots: int) -> bool:
        """Count rows and cells kept by another reader of this workbook (a forked child),
        unless that would pass MAX_SLOTS: then say so and count nothing."""
        if self._slots + slots > MAX_SLOTS:
            return False
        self._slots += slots
        return True

    def sheet_size(self, name: str) -> int:
        """The sheet's XML size in bytes, inflated: a measure of the work of reading it."""
        return self._archive.getinfo(self._entries[name].part).file_size

    @contextmanager
    def reopened(self, slots: int = 0) -> Iterator["Book"]:
        """The same checked workbook through a file handle of its own (for a forked
        process: a shared handle's position would be shared too), counting
        ``slots`` as already kept."""
        with zipfile.ZipFile(self.path) as archive:
            book = Book(self.path, archive, self._info)
            book._slots = slots
            yield book

    def is_hidden(self, name: str) -> bool:
        return self._entries[name].state != "visible"

    def sheet(self, name: str, formats: bool = False) -> SheetData:
        """The sheet's values, row by row, with trailing blanks dropped; with ``formats``,
        also which cells are formatted as percents (reading number formats costs time,
        so the caller asks for them only where it needs them).

        Raises :class:`LibroError` naming the sheet (and the cell, where there
        is one) when the sheet cannot be read or passes the limits.
        """
        try:
            raw = self._archive.read(self._entries[name].part)
            merges = _scan_merges(raw)
            rows, percent, formulas = self._rows(raw, name, formats)
        except LibroError:
            raise
        except CellDamagedError as exc:
            raise _translate(self.path, exc, name, (exc.ref, exc.text)) from exc
        except Exception as exc:  # expat and the value casts raise several kinds
            raise _translate(self.path, exc, name) from exc
        return SheetData(name, rows, merges, formulas, percent)

    def _rows(self, raw: bytes, name: str, want_formats: bool) -> tuple[list[list[object]], set[tuple[int, int]], set[tuple[int, int]]]:
        rows: list[list[object]] = []
        percent: set[tuple[int, int]] = set()
        formulas: set[tuple[int, int]] = set()
        empty: list[object] = []  # shared by every blank row; the reader never changes rows
        last = 0  # rows up to the last one with a value
        # a formula without a cached value reads as None but is not blank: keep it
        formula_end: dict[int, int] = {}
        for row in iter_rows(raw, self._info, formats=want_formats):
            r = row.number
            for c in row.percent:
                percent.add((r, c))
            for fr, fc in row.formulas:
                formulas.add((fr, fc))
                formula_end[fr] = max(fc, formula_end.get(fr, 0))
            cells = row.values
            for c, value in enumerate(cells, start=1):
                if isinstance(value, str):
                    cells[c - 1] = self._text(value, name, r, c)
            keep = formula_end.get(r, 0)
            while len(cells) > keep and cells[-1] is None:
                cells.pop()
            if not cells:
                continue  # blank rows are filled in below, when a later row has a value
            if r > MAX_ROW:
                c = next((i for i, v in enumerate(cells, start=1) if v is not None), len(cells))
                raise _fail(
                    self.path,
                    f"La hoja «{name}» tiene datos en la fila {r:,} (celda {_ref(r, c)}); un libro de captura admite "
                    f"hasta {MAX_ROW:,} filas por hoja. Borre las filas sobrantes o reparta la unidad en varias hojas.",
                    "hoja-demasiado-grande",
                )
            self._slots += len(cells) + r - last
            if self._slots > MAX_SLOTS:
                raise _fail(
                    self.path,
                    f"El libro es demasiado grande para un libro de captura: al llegar a la celda {_ref(r, len(cells))} "
                    f"de la hoja «{name}» pasa de {MAX_SLOTS:,} celdas por revisar. Borre las filas y columnas "
                    "sobrantes o reparta las unidades en varios libros.",
                    "hoja-demasiado-grande",
                )
            if len(rows) < r - 1:
                rows.extend([empty] * (r - 1 - len(rows)))
            rows.append(cells)
            last = r
        return rows, percent, formulas

    def _text(self, value: str, name: str, r: int, c: int) -> str:
        if len(value) > MAX_TEXT:
            raise _fail(
                self.path,
                f"La celda {_ref(r, c)} de la hoja «{name}» tiene {len(value):,} caracteres y Excel admite hasta "
                f"{MAX_TEXT:,}; el archivo no lo generó Excel. Acorte ese texto.",
                "texto-demasiado-largo",
            )
        # control characters (C0 but tab and line breaks, DEL, C1) print as garbage
        # or as terminal commands, and XLSX cannot hold most of them
        return _CONTROL.sub("", value) if _CONTROL.search(value) else value


def _ref(row: int, col: int) -> str:
    letters = ""
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{row}"


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")


def _col_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def _scan_merges(raw: bytes) -> list[tuple[int, int, int, int]]:
    """Merged ranges (min row, min col, max row, max col) from sheet XML."""
    merges = []
    for m in _MERGE.finditer(raw):
        c1, r1 = _col_number(m[1]), int(m[2])
        c2, r2 = (_col_number(m[3]), int(m[4])) if m[3] else (c1, r1)
        merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    return merges


_XML_DANGER = ("XmlForbiddenError",)


def _translate(path: str, exc: BaseException, sheet: str | None = None, cell: tuple[str, str] | None = None) -> LibroError:
    chain: list[BaseException] = []
    seen: BaseException | None = exc
    while seen is not None and len(chain) < 10:  # the cause may be wrapped
        chain.append(seen)
        seen = seen.__cause__ or seen.__context__
    where = f" (hoja «{sheet}»)" if sheet else ""
    if any(type(e).__name__ in _XML_DANGER for e in chain):
        return _xml_danger(path, f"hoja «{sheet}»" if sheet else None)
    if any(isinstance(e, MemoryError) for e in chain):
        return _fail(path, "El archivo es demasiado grande para procesarlo.", "archivo-demasiado-grande")
    if sheet and cell:
        from poa_xlsx.text import shorten

        return _fail(
            path,
            f"El archivo está dañado: la celda {cell[0]} de la hoja «{sheet}» guarda un valor que Excel no escribe "
            f"(«{shorten(cell[1])}»). Corríjala en el programa que generó el archivo, o ábralo en Excel, "
            "escriba el valor y guárdelo de nuevo.",
            "archivo-danado",
        )
    return _fail(
        path,
        f"El archivo está dañado{where} y no se puede leer. Ábralo en Excel, guárdelo de nuevo como .xlsx "
        "y vuelva a intentarlo.",
        "archivo-danado",
    )


@contextmanager
def open_workbook(path: str | os.PathLike[str]) -> Iterator[Book]:
    """Open ``path`` after :func:`check_file`; closes it afterwards."""
    path = os.fspath(path)
    check_file(path)
    try:
        archive = zipfile.ZipFile(path)
    except Exception as exc:  # the file changed since check_file, or zipfile refuses what it let pass
        raise _translate(path, exc) from exc
    with archive:
        try:
            info = read_workbook_info(archive.read, archive.namelist())
        except Exception as exc:  # a damaged package: expat, missing parts, bad relationships
            raise _translate(path, exc) from exc
        yield Book(path, archive, info)
