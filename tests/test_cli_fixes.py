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


# --- resumen: a unit counted twice, folders, expected ramos, mixed periods (issue #11.5) ------

from builders import DEFAULT_GENERAL, DEFAULT_HEADER, build_workbook  # noqa: E402


def _ramo(clave: str, nombre: str, ue: str = "201") -> Unit:
    header = [(label, {"RAMO": clave, "UNIDAD EJECUTORA": ue}.get(label, c), nombre if label == "RAMO" else d)
              for label, c, d in DEFAULT_HEADER]
    return Unit(sheet=f"{ue} Unidad", header=header)


def _libro(path: Path, clave: str, nombre: str, **general: object) -> Path:
    return build_workbook(path, general={**DEFAULT_GENERAL, **general}, units=[_ramo(clave, nombre)])


def _resumen_text(path: Path) -> str:
    from openpyxl import load_workbook

    ws = load_workbook(path)["RESUMEN"]
    return "\n".join(str(c.value) for row in ws.iter_rows() for c in row if c.value is not None)


def _pdf_text(path: Path) -> str:
    import pdfplumber

    with pdfplumber.open(path) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def test_resumen_refuses_a_unit_in_two_workbooks(run, tmp_path: Path) -> None:
    a = _libro(tmp_path / "desarrollo.xlsx", "59", "DESARROLLO")
    b = _libro(tmp_path / "copia.xlsx", "59", "DESARROLLO")
    c = _libro(tmp_path / "obras.xlsx", "12", "OBRAS PÚBLICAS")
    result = run("resumen", a, c, b, "-o", tmp_path / "resumen")
    assert result.exit_code == 1
    assert f"ramo 59, unidad 201: en «{a}» y en «{b}»" in result.stderr
    assert "se contaría dos veces" in result.stderr
    assert not list(tmp_path.glob("resumen*"))


def test_resumen_of_a_folder(run, tmp_path: Path) -> None:
    folder = tmp_path / "entregados"
    folder.mkdir()
    _libro(folder / "59 desarrollo.xlsx", "59", "DESARROLLO")
    _libro(folder / "12 obras.XLSM", "12", "OBRAS PÚBLICAS")
    (folder / "~$59 desarrollo.xlsx").write_bytes(b"lock file of Excel")  # not even a zip: skipped unread
    (folder / "notas.txt").write_text("no es un libro")
    (folder / "viejos").mkdir()
    _libro(folder / "viejos" / "59 anterior.xlsx", "59", "DESARROLLO")  # not recursive: not a duplicate
    report = run(folder / "59 desarrollo.xlsx", "-o", folder, "--formato", "xlsx")  # a report left beside them
    assert report.exit_code == 0
    result = run("resumen", folder, "-o", tmp_path / "resumen")
    assert result.exit_code == 0, result.output
    assert f"Se omite «{folder / '59_desarrollo_TMM-F004.xlsx'}»: no es un libro de captura" in result.stderr
    assert "~$" not in result.output and "notas" not in result.output and "viejos" not in result.output
    assert "2 ramos" in result.stdout
    text = _resumen_text(tmp_path / "resumen.xlsx")
    assert "12 OBRAS PÚBLICAS" in text and "59 DESARROLLO" in text


def test_resumen_names_the_ramos_that_did_not_report(run, tmp_path: Path) -> None:
    a = _libro(tmp_path / "desarrollo.xlsx", "59", "DESARROLLO")
    esperados = tmp_path / "ramos.txt"
    esperados.write_text("# ramos del Ayuntamiento\n59 DESARROLLO\n12 OBRAS PÚBLICAS\n\n014 SERVICIOS\n", encoding="utf-8")
    result = run("resumen", a, "--esperados", esperados, "-o", tmp_path / "resumen")
    assert result.exit_code == 0, result.output
    line = "Faltan 2 ramos: 12 OBRAS PÚBLICAS, 014 SERVICIOS."
    assert line in result.stdout.splitlines()
    assert line.upper() in _resumen_text(tmp_path / "resumen.xlsx")
    assert "FALTAN 2 RAMOS: 12 OBRAS PÚBLICAS, 014 SERVICIOS." in _pdf_text(tmp_path / "resumen.pdf")
    everyone = tmp_path / "todos.txt"
    everyone.write_text("059\n", encoding="utf-8")  # 059 and 59 are the same ramo
    again = run("resumen", a, "--esperados", everyone, "-o", tmp_path / "resumen2")
    assert again.exit_code == 0 and "Faltan" not in again.output and "Falta 1" not in again.output
    assert again.stdout.splitlines()[-1] == "Está el ramo esperado."


def test_resumen_of_mixed_periods_shows_each_ramos_own(run, tmp_path: Path) -> None:
    import datetime as dt

    a = _libro(tmp_path / "a.xlsx", "59", "DESARROLLO", AYUNTAMIENTO="AYUNTAMIENTO UNO")
    b = _libro(tmp_path / "b.xlsx", "12", "OBRAS PÚBLICAS", AYUNTAMIENTO="AYUNTAMIENTO DOS", EJERCICIO=2024,
               TRIMESTRE=1, FECHA=dt.date(2024, 3, 31))
    refused = run("resumen", a, b, "-o", tmp_path / "r")
    assert refused.exit_code == 1 and "periodos distintos" in refused.stderr
    result = run("resumen", a, b, "--mezclar-periodos", "-o", tmp_path / "r")
    assert result.exit_code == 0, result.output
    from openpyxl import load_workbook

    ws = load_workbook(tmp_path / "r.xlsx")["RESUMEN"]
    head = [str(ws.cell(row, 1).value) for row in range(1, 6)]
    assert "AYUNTAMIENTO UNO" not in head and "SEGUNDO TRIMESTRE 2023" not in head  # no book stands for the whole
    assert any("VARIOS AYUNTAMIENTOS" in h for h in head) and any("VARIOS PERIODOS" in h for h in head)
    text = _resumen_text(tmp_path / "r.xlsx")
    assert "30-jun-23" not in head[-1]
    assert "59 DESARROLLO (SEGUNDO TRIMESTRE 2023)" in text and "12 OBRAS PÚBLICAS (PRIMER TRIMESTRE 2024)" in text
    assert "FECHA: LA DE CADA RAMO" in text


# --- an output that would replace an input (issue #11.6) ------------------------------------


@pytest.fixture
def libro(tmp_path: Path, examples_dir: Path) -> Path:
    path = tmp_path / "libro.xlsx"
    path.write_bytes((examples_dir / "2024-turismo-T1.xlsx").read_bytes())
    return path


def _refused(result, salida: str, entrada: Path) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code == 2, result.output
    assert f"«{salida}»" in result.stderr and str(entrada) in result.stderr
    assert "no se escribió nada" in result.stderr


@pytest.mark.parametrize("salida", ["libro.xlsx", "libro", "./sub/../libro.xlsx", "enlace.xlsx"])
def test_resumen_output_over_its_input(run, libro: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       salida: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    os.symlink(libro, tmp_path / "enlace.xlsx")
    before = libro.read_bytes()
    result = run("resumen", "libro.xlsx", "-o", salida)
    _refused(result, salida if salida.endswith(".xlsx") else salida + ".xlsx", Path("libro.xlsx"))
    assert libro.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["enlace.xlsx", "libro.xlsx", "sub"]


def test_report_command_outputs_over_its_inputs(run, libro: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = libro.read_bytes()
    _refused(run("libro.xlsx", "-o", "out", "--datos", "libro.xlsx"), "libro.xlsx", Path("libro.xlsx"))
    second = tmp_path / "libro_TMM-F004.xlsx"
    second.write_bytes(before)  # the second input is named like the first one's report
    result = run("libro.xlsx", "libro_TMM-F004.xlsx")
    _refused(result, str(tmp_path / "libro_TMM-F004.xlsx"), Path("libro_TMM-F004.xlsx"))
    assert second.read_bytes() == before and libro.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["libro.xlsx", "libro_TMM-F004.xlsx"]


def test_plantilla_and_enviar_outputs_over_their_input(run, libro: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    before = libro.read_bytes()
    _refused(run("plantilla", "--desde", "libro.xlsx", "-o", "libro.xlsx", "--sobrescribir"), "libro.xlsx",
             Path("libro.xlsx"))
    eml = tmp_path / "libro.eml"
    eml.write_bytes(before)
    _refused(run("enviar", "libro.eml", "--para", "t@example.org", "--borrador", "libro.eml"), "libro.eml",
             Path("libro.eml"))
    os.symlink(libro, tmp_path / "libro_TMM-F004.pdf")
    _refused(run("enviar", "libro.xlsx", "--para", "t@example.org", "--simular", "-o", "."),
             "./libro_TMM-F004.pdf", Path("libro.xlsx"))
    assert libro.read_bytes() == before and eml.read_bytes() == before


# --- warnings grouped by the report command (issue #12.3) ------------------------------------


def test_report_command_groups_warnings_validar_lists_them_all(run, make_workbook, tmp_path: Path) -> None:
    units = []
    for n in range(40):  # 40 units, four warnings each: no justification where one is needed
        header = [(label, str(100 + n) if label == "UNIDAD EJECUTORA" else c, d) for label, c, d in DEFAULT_HEADER]
        units.append(Unit(sheet=f"{100 + n} U", header=header,
                          goals=[Goal(numero=str(g), obs=None) for g in range(4)]))
    libro = make_workbook(units=units)
    todas = run("validar", libro)
    assert todas.exit_code == 0
    assert todas.stdout.count("[justificacion-faltante]") == 160
    result = run(libro, "-o", tmp_path / "salida", "--formato", "xlsx")
    assert result.exit_code == 0
    err = result.stderr
    assert err.count("[justificacion-faltante]") == 5  # the first few in full
    assert "160 advertencias; las primeras 5:" in err
    assert "«100 U»: 4 (justificacion-faltante 4)" in err
    assert "y 120 advertencias más en otras 30 hojas" in err
    assert "Por código: justificacion-faltante 160." in err
    assert f"poa-render validar {libro}" in err
    assert len(err.splitlines()) < 30
    assert result.stdout.splitlines()[0].endswith("_TMM-F004.xlsx")


def test_report_command_lists_a_few_warnings_in_full(run, make_workbook, tmp_path: Path) -> None:
    libro = make_workbook(units=[Unit(goals=[Goal(numero=str(g), obs=None) for g in range(3)])])
    result = run(libro, "-o", tmp_path / "salida", "--formato", "xlsx")
    assert result.stderr.count("ADVERTENCIA [justificacion-faltante]") == 3 and "Por código" not in result.stderr
