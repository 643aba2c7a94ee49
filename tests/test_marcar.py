"""The marked workbook (poa_xlsx.revision.marcar) and ``poa-render validar --marcar``."""
from __future__ import annotations

import hashlib
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from poa_xlsx import check_workbook
from poa_xlsx.revision.marcar import HOJA, mark_workbook, marked_name, write_marked

ROOT = Path(__file__).resolve().parent.parent
CON_ERRORES = ROOT / "examples" / "errores" / "2023-cdi-T2-con-errores.xlsx"
SHEET = "201 Promoción Industrial"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_problem_is_marked_where_it_is(tmp_path):
    book = tmp_path / "libro.xlsx"
    shutil.copy(CON_ERRORES, book)
    revision = check_workbook(str(book))
    wb = openpyxl.load_workbook(io.BytesIO(mark_workbook(str(book), revision.problems)))
    assert wb.sheetnames[0] == HOJA and wb.active.title == HOJA
    for p in revision.problems:
        cell = wb[p.origen.sheet][p.origen.cell]
        assert p.mensaje in cell.comment.text and p.code in cell.comment.text
        assert cell.fill.start_color.rgb.endswith("FFC7CE" if p.es_error else "FFD8A8")
    # the list: errors first, each with a link to its cell
    rows = [r for r in wb[HOJA].iter_rows(min_row=5, values_only=True) if r[0]]
    assert [(r[1], r[2]) for r in rows] == [("G20", "ERROR"), ("I21", "ERROR"), ("B26", "ERROR"), ("P17", "ADVERTENCIA")]
    links = {c.value: c.hyperlink.location for c in wb[HOJA]["B"][4:] if c.hyperlink}
    assert links["G20"] == f"'{SHEET}'!G20"
    assert "3 errores y 1 advertencia" in wb[HOJA]["A2"].value
    # everything else is the user's workbook as it was
    original = openpyxl.load_workbook(CON_ERRORES)
    for name in original.sheetnames:
        assert [[c.value for c in row] for row in original[name].iter_rows()] == [[c.value for c in row] for row in wb[name].iter_rows()]


def test_a_problem_inside_a_merged_range_is_marked_on_its_corner(tmp_path):
    from poa_xlsx.model import Origen
    from poa_xlsx.problems import advertencia

    book = tmp_path / "libro.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Hoja"
    wb.active.merge_cells("B2:D3")
    wb.save(book)
    data = mark_workbook(str(book), [advertencia("valor-ignorado", Origen("Hoja", "C3"), "Se ignora.")])
    marked = openpyxl.load_workbook(io.BytesIO(data))
    assert "Se ignora." in marked["Hoja"]["B2"].comment.text
    link = [c for c in marked[HOJA]["B"] if c.hyperlink][0]
    assert link.value == "C3" and link.hyperlink.location == "'Hoja'!B2"


def test_write_marked_writes_beside_and_never_touches_the_original(tmp_path):
    book = tmp_path / "libro.xlsx"
    shutil.copy(CON_ERRORES, book)
    before = _sha(book)
    target = write_marked(str(book), check_workbook(str(book)).problems)
    assert Path(target) == tmp_path / "libro_revision.xlsx"
    assert _sha(book) == before
    assert not list(tmp_path.glob(".poa-*"))  # written atomically, no temporary left


def _with_macros(src: Path, target: Path) -> bytes:
    """An .xlsm made from ``src``: a VBA project part, its relationship and content type."""
    vba = b"VBA-PROJECT-" + bytes(range(256)) * 4
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                    b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
                ).replace(b"</Types>", b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdVBA" Type="http://schemas.microsoft.com/office/2006/relationships/vbaProject" Target="vbaProject.bin"/></Relationships>',
                )
            zout.writestr(item, data)
        zout.writestr("xl/vbaProject.bin", vba)
    return vba


def test_xlsm_keeps_its_macros(tmp_path):
    book = tmp_path / "libro.xlsm"
    vba = _with_macros(CON_ERRORES, book)
    revision = check_workbook(str(book))
    assert len(revision.errores) == 3
    target = Path(write_marked(str(book), revision.problems))
    assert target.name == "libro_revision.xlsm" == marked_name(str(book))
    with zipfile.ZipFile(target) as z:
        assert z.read("xl/vbaProject.bin") == vba
        assert b"macroEnabled" in z.read("[Content_Types].xml")
    assert openpyxl.load_workbook(target, keep_vba=True).sheetnames[0] == HOJA


def test_a_marked_copy_is_never_written_over_its_source(tmp_path):
    book = tmp_path / "x.xlsx"
    shutil.copy(CON_ERRORES, book)
    marked = Path(write_marked(str(book), check_workbook(str(book)).problems))
    # marking the marked copy again writes x_revision_revision.xlsx, never over itself
    again = Path(write_marked(str(marked), check_workbook(str(marked)).problems))
    assert again.name == "x_revision_revision.xlsx"
    assert openpyxl.load_workbook(marked).sheetnames[0] == HOJA  # the first copy is intact


def test_cli_validar_marcar(run, tmp_path):
    book = tmp_path / "libro.xlsx"
    shutil.copy(CON_ERRORES, book)
    before = _sha(book)
    result = run("validar", book, "--marcar")
    assert result.exit_code == 1  # the workbook still has errors
    target = tmp_path / "libro_revision.xlsx"
    assert f"Copia marcada: {target}" in result.stdout
    assert "doce" in openpyxl.load_workbook(target)[SHEET]["G20"].comment.text
    assert _sha(book) == before


def test_cli_validar_marcar_json_names_the_copy(run, tmp_path):
    import json

    book = tmp_path / "libro.xlsx"
    shutil.copy(CON_ERRORES, book)
    result = run("validar", book, "--marcar", "--json")
    data = json.loads(result.stdout)
    assert data["libros"][0]["marcado"] == str(tmp_path / "libro_revision.xlsx")


@pytest.mark.parametrize("name", ["libro.xlsx"])
def test_cli_validar_marcar_unwritable_folder_says_so(run, tmp_path, name, monkeypatch):
    import os

    book = tmp_path / name
    shutil.copy(CON_ERRORES, book)
    if os.geteuid() == 0:
        monkeypatch.setattr("poa_xlsx.output.write_atomic", _raise_permission)
    else:
        tmp_path.chmod(0o500)
    try:
        result = run("validar", book, "--marcar")
    finally:
        tmp_path.chmod(0o700)
    assert result.exit_code == 1
    assert "No se pudo escribir la copia marcada" in result.stderr


def _raise_permission(path, data):
    raise PermissionError(13, "Permiso denegado")
