"""Writing outputs: Spanish reasons for the system's errors, sets of files all or nothing (issue #12)."""
from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from poa_xlsx import output
from poa_xlsx.output import EscrituraError, make_folder, razon, write_file, write_files


@pytest.mark.parametrize("code, words", [
    (errno.EROFS, "solo lectura"),
    (errno.ENOSPC, "no queda espacio en el disco"),
    (errno.EEXIST, "ya existe"),
    (errno.EACCES, "no tiene permiso"),
    (errno.ENOENT, "la carpeta no existe"),
    (errno.ENAMETOOLONG, "demasiado largos"),
])
def test_common_errno_values_are_said_in_spanish(code: int, words: str) -> None:
    text = razon(OSError(code, os.strerror(code)))
    assert words in text
    assert os.strerror(code) not in text  # not the system's English


def test_a_rare_errno_keeps_the_systems_text() -> None:
    assert "Exec format error" in razon(OSError(errno.ENOEXEC, "Exec format error"))


def _failing_fsync(monkeypatch: pytest.MonkeyPatch, fail_at: int, code: int = errno.ENOSPC) -> None:
    """os.fsync fails with ``code`` on its ``fail_at``-th call (1-based), as a disk filling up does."""
    real = os.fsync
    calls = {"n": 0}

    def fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == fail_at:
            raise OSError(code, os.strerror(code))
        real(fd)

    monkeypatch.setattr(output.os, "fsync", fsync)


def test_full_disk_on_the_second_file_writes_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old_pdf = tmp_path / "r.pdf"
    old_pdf.write_bytes(b"previous report")
    _failing_fsync(monkeypatch, fail_at=2)
    with pytest.raises(EscrituraError) as caught:
        write_files([(str(tmp_path / "r.xlsx"), b"x" * 1000), (str(old_pdf), b"p" * 1000)])
    message = str(caught.value)
    assert f"«{old_pdf}»" in message and "no queda espacio en el disco" in message
    assert "No se escribió ninguno de los 2 archivos (r.xlsx, r.pdf)" in message
    assert caught.value.escritos == ()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.pdf"]  # no new XLSX, no temporary file
    assert old_pdf.read_bytes() == b"previous report"


def test_a_rename_failing_midway_says_which_were_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace

    def replace(src: str, dst: str) -> None:
        if str(dst).endswith(".pdf"):
            raise OSError(errno.EIO, "Input/output error")
        real(src, dst)

    monkeypatch.setattr(output.os, "replace", replace)
    xlsx, pdf = str(tmp_path / "r.xlsx"), str(tmp_path / "r.pdf")
    with pytest.raises(EscrituraError) as caught:
        write_files([(xlsx, b"x"), (pdf, b"p")])
    assert caught.value.escritos == (xlsx,)
    assert f"Sí se escribieron: {xlsx}. No se escribieron: {pdf}." in str(caught.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def test_write_files_writes_every_file(tmp_path: Path) -> None:
    paths = write_files([(str(tmp_path / "a.xlsx"), b"a"), (str(tmp_path / "a.pdf"), b"b")])
    assert [Path(p).read_bytes() for p in paths] == [b"a", b"b"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "a.xlsx"]


def test_write_file_and_make_folder_in_spanish(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def read_only(*args: object, **kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(output.tempfile, "mkstemp", read_only)
    with pytest.raises(EscrituraError) as caught:
        write_file(tmp_path / "x.xlsx", b"x")
    assert str(caught.value) == (f"No se pudo escribir «{tmp_path / 'x.xlsx'}»: la carpeta está en un disco o "
                                 "unidad de solo lectura; escriba en otra carpeta.")
    (tmp_path / "archivo").write_bytes(b"")
    with pytest.raises(EscrituraError) as caught:
        make_folder(tmp_path / "archivo" / "sub")
    assert "una parte de la ruta es un archivo" in str(caught.value)


def test_report_command_with_a_full_disk_writes_no_half_set(run, tmp_path: Path, examples_dir: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #12: a full disk while writing the PDF left the complete XLSX without its PDF."""
    out = tmp_path / "salida"
    out.mkdir()
    _failing_fsync(monkeypatch, fail_at=2)  # the XLSX fits, the PDF does not
    result = run(examples_dir / "2024-turismo-T1.xlsx", "-o", out)
    assert result.exit_code == 1
    assert "no queda espacio en el disco" in result.stderr
    assert "No se escribió ninguno de los 2 archivos" in result.stderr
    assert "No space left" not in result.output and "Error inesperado" not in result.output
    assert list(out.iterdir()) == []


@pytest.mark.parametrize("code, spanish", [(errno.EROFS, "solo lectura"), (errno.ENOSPC, "no queda espacio"),
                                           (errno.EACCES, "no tiene permiso")])
@pytest.mark.parametrize("command", ["plantilla", "generar", "datos", "resumen", "borrador", "adjuntos"])
def test_every_writing_command_says_why_in_spanish(run, tmp_path: Path, examples_dir: Path, make_workbook,
                                                  monkeypatch: pytest.MonkeyPatch, command: str, code: int,
                                                  spanish: str) -> None:
    """Issue #12: `plantilla -o` into a read-only folder ended in «Error inesperado (OSError)»."""
    libro = str(examples_dir / "2024-turismo-T1.xlsx")
    out = tmp_path / "salida"
    out.mkdir()
    args = {
        "plantilla": ["plantilla", "-o", out / "nuevo.xlsx"],
        "generar": [libro, "-o", out],
        "datos": [libro, "-o", out, "--formato", "pdf", "--datos", out / "datos.csv"],
        "resumen": ["resumen", libro, "-o", out / "resumen"],
        "borrador": ["enviar", libro, "--para", "tesoreria@example.org", "--borrador", out / "correo.eml"],
        "adjuntos": ["enviar", libro, "--para", "tesoreria@example.org", "--simular", "-o", out],
    }[command]
    real = output.tempfile.mkstemp
    refuse = {"n": 0}

    def mkstemp(*a: object, **k: object):  # type: ignore[no-untyped-def]
        # with --datos, the report files are written first: the CSV is the one that fails
        refuse["n"] += 1
        if command == "datos" and refuse["n"] == 1:
            return real(*a, **k)
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(output.tempfile, "mkstemp", mkstemp)
    result = run(*args)
    assert result.exit_code == 1
    assert spanish in result.stderr and "No se pudo escribir" in result.stderr
    assert os.strerror(code) not in result.output and "Error inesperado" not in result.output
    assert [p.name for p in out.iterdir() if p.suffix != ".pdf"] == []
