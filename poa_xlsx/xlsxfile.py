"""Opening a workbook file safely and getting its sheets' cells.

Everything that touches the file's bytes is here: recognising what the file
really is (an old ``.xls``, an ``.ods``, a CSV, a protected workbook...),
refusing archives that would inflate beyond reason before any XML is parsed,
and reading each sheet's cells through openpyxl's read-only mode. Read-only
mode does not expose merged ranges nor which cells hold a formula with no
cached value, so those come from a light pass over the sheet's XML.
"""
from __future__ import annotations

import io
import os
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterator

from .problems import LibroError

# Limits against hostile archives; a real capture workbook is far below them.
MAX_UNCOMPRESSED = 400 * 1024 * 1024  # whole archive, bytes
MAX_MEMBER = 200 * 1024 * 1024  # one XML part, bytes
MAX_RATIO = 200  # uncompressed / compressed for any sizeable member
MAX_MEMBERS = 20_000

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
    name = os.path.basename(path)
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
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
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
                mimetype = archive.read("mimetype")[:100]
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
            raise _fail(path, "El archivo tiene demasiadas partes internas para ser un libro de captura.", "archivo-demasiado-grande")
        total = 0
        for info in infos:
            total += info.file_size
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > MAX_MEMBER or (info.file_size > 10 * 1024 * 1024 and ratio > MAX_RATIO):
                raise _fail(
                    path,
                    f"El archivo se expandiría a un tamaño desmedido ({info.file_size // (1024 * 1024)} MB en "
                    f"«{info.filename}»); no se procesa. Revise su origen.",
                    "archivo-demasiado-grande",
                )
        if total > MAX_UNCOMPRESSED:
            raise _fail(
                path,
                f"El archivo se expandiría a {total // (1024 * 1024)} MB; es demasiado grande para un libro de "
                "captura y no se procesa.",
                "archivo-demasiado-grande",
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
    """An open workbook in read-only mode; use :func:`open_workbook`."""

    def __init__(self, path: str, workbook) -> None:  # type: ignore[no-untyped-def]
        self.path = path
        self._wb = workbook

    @property
    def sheet_names(self) -> list[str]:
        return list(self._wb.sheetnames)

    def is_hidden(self, name: str) -> bool:
        return self._wb[name].sheet_state != "visible"

    def sheet(self, name: str) -> SheetData:
        ws = self._wb[name]
        try:
            ws.reset_dimensions()
            rows: list[list[object]] = []
            percent: set[tuple[int, int]] = set()
            want_formats = name.strip().upper() in ("GENERAL", "DATOS GENERALES")
            if want_formats:
                for r, row in enumerate(ws.iter_rows(), start=1):
                    cells = []
                    for c, cell in enumerate(row, start=1):
                        cells.append(getattr(cell, "value", None))
                        if "%" in (getattr(cell, "number_format", "") or ""):
                            percent.add((r, c))
                    rows.append(cells)
            else:
                rows = [list(row) for row in ws.iter_rows(values_only=True)]
            merges, formulas = _scan_xml(self._wb._archive.read(ws._worksheet_path))
        except LibroError:
            raise
        except Exception as exc:  # openpyxl and the XML parsers raise many kinds
            raise _translate(self.path, exc, name) from exc
        return SheetData(name, rows, merges, formulas, percent)


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*?\bref=\"([A-Z]{1,3})(\d+)(?::([A-Z]{1,3})(\d+))?\"")


def _col_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + (ch - 64)
    return number


def _scan_xml(raw: bytes) -> tuple[list[tuple[int, int, int, int]], set[tuple[int, int]]]:
    """Merged ranges and formula cells without a cached value, from sheet XML."""
    merges = []
    for m in _MERGE.finditer(raw):
        c1, r1 = _col_number(m[1]), int(m[2])
        c2, r2 = (_col_number(m[3]), int(m[4])) if m[3] else (c1, r1)
        merges.append((min(r1, r2), min(c1, c2), max(r1, r2), max(c1, c2)))
    formulas: set[tuple[int, int]] = set()
    if b"<f" in raw or b":f>" in raw or b":f " in raw:
        from defusedxml.ElementTree import iterparse

        for _event, element in iterparse(io.BytesIO(raw), events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "c":
                has_f = has_v = False
                for child in element:
                    child_tag = child.tag.rsplit("}", 1)[-1]
                    if child_tag == "f":
                        has_f = True
                    elif child_tag == "v" and (child.text or "") != "":
                        has_v = True
                    elif child_tag == "is":
                        has_v = True
                if has_f and not has_v:
                    ref = element.get("r") or ""
                    m = re.match(r"([A-Z]{1,3})(\d+)$", ref)
                    if m:
                        formulas.add((int(m[2]), _col_number(m[1].encode())))
                element.clear()
            elif tag == "row":
                element.clear()
    return merges, formulas


def _translate(path: str, exc: BaseException, sheet: str | None = None) -> LibroError:
    kind = type(exc).__name__
    where = f" (hoja «{sheet}»)" if sheet else ""
    if kind in ("EntitiesForbidden", "DTDForbidden", "ExternalReferenceForbidden", "NotSupportedError"):
        return _fail(
            path,
            f"El archivo contiene XML con entidades o referencias externas{where}, que no se aceptan por seguridad. "
            f"{_SAVE_AS}",
            "xml-peligroso",
        )
    if isinstance(exc, MemoryError):
        return _fail(path, "El archivo es demasiado grande para procesarlo.", "archivo-demasiado-grande")
    return _fail(
        path,
        f"El archivo está dañado{where} y no se puede leer. Ábralo en Excel, guárdelo de nuevo como .xlsx "
        "y vuelva a intentarlo.",
        "archivo-danado",
    )


@contextmanager
def open_workbook(path: str | os.PathLike[str]) -> Iterator[Book]:
    """Open ``path`` read-only after :func:`check_file`; closes it afterwards."""
    path = os.fspath(path)
    check_file(path)
    import warnings

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            workbook = load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except LibroError:
        raise
    except Exception as exc:
        raise _translate(path, exc) from exc
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield Book(path, workbook)
    finally:
        workbook.close()
