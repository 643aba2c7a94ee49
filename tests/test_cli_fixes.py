"""Command-line answers of issues #11 and #12: a closed pipe, a mistyped command, an output
that would replace an input, warnings grouped by the report command."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from builders import Goal, Unit

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


# --- a closed pipe (issue #12.2) ------------------------------------------------------------


def test_closed_pipe_ends_quietly_like_a_unix_tool(make_workbook) -> None:
    """`poa-render validar LIBRO | head -1` ended with «Error inesperado (BrokenPipeError)»."""
    goals = [Goal(numero=str(n), p=("doce", 33, 19, 8)) for n in range(700)]  # far more than a pipe's buffer
    libro = make_workbook(units=[Unit(goals=goals)])
    proc = subprocess.Popen([sys.executable, "-m", "poa_xlsx.cli", "validar", str(libro)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=ENV)
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()  # what `head -1` does after its line
    err = proc.stderr.read()
    proc.wait()
    assert first.startswith(b"Libro: ")
    assert err == b""
    assert proc.returncode == (128 + signal.SIGPIPE if hasattr(signal, "SIGPIPE") else 1)


# --- a mistyped command (issue #12.1) -------------------------------------------------------


@pytest.mark.parametrize("word, suggestion", [("validr", "validar"), ("resumn", "resumen"), ("Plantila", "plantilla"),
                                              ("zzz", None)])
def test_mistyped_command_writes_nothing(run, tmp_path: Path, examples_dir: Path, word: str, suggestion: str | None,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    libro = tmp_path / "libro.xlsx"
    libro.write_bytes((examples_dir / "2024-turismo-T1.xlsx").read_bytes())
    result = run(word, libro.name)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert f"«{word}» no es un comando" in result.stderr
    if suggestion:
        assert f"¿Quiso decir «{suggestion}»?" in result.stderr
    else:
        assert "validar" in result.stderr and "poa-render LIBRO.xlsx" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["libro.xlsx"]


def test_a_workbook_in_command_position_still_runs_the_report(run, tmp_path: Path, examples_dir: Path,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "libro").write_bytes((examples_dir / "2024-turismo-T1.xlsx").read_bytes())  # exists, no extension
    assert run("libro", "-o", "salida").exit_code == 0
    assert run("-o", "salida2", "libro").exit_code == 0  # an option first: the report's
    missing = run("no-existe.XLSX")  # a workbook name that does not exist: the report's own message
    assert missing.exit_code == 1 and "No se encontró el archivo" in missing.stderr
