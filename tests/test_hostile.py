"""Broken and hostile workbooks (issue #7): one clear Spanish message, no harm.

The corpus is made by ``tests/corpus.py``. For every file ``poa-render validar``
must exit 1 with a message that names the file (and the sheet and cell where
there is one), print no traceback, and leave the file as it was.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path[:1]:  # the working tree, not an installed copy (conftest does this too)
    sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import corpus  # noqa: E402

from poa_xlsx.acciones import check_workbook  # noqa: E402
from poa_xlsx.cli import cli  # noqa: E402
from poa_xlsx.lectura.reader import read_workbook  # noqa: E402
from poa_xlsx.output import remove_stale_temps, safe_filename, write_atomic  # noqa: E402
from poa_xlsx.problems import LibroError  # noqa: E402
from poa_xlsx.xlsx import archivo as xlsxfile  # noqa: E402

SMALL = [e for e in corpus.CORPUS if not e.big]
BIG = [e for e in corpus.CORPUS if e.big]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
# Bounds on memory only: bounds on time are in benchmarks/hostiles.py (issue #12: a busy
# machine made a timed test fail).
LIMIT_MB = 500


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("corpus")
    corpus.write_corpus(path, include_big=False)
    return path


def _snapshot(path: Path) -> tuple[bytes, int]:
    return path.read_bytes(), path.stat().st_mtime_ns


def _validar(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["validar", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout, result.stderr


def _measured(args: list[str], cwd: Path) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run ``args`` in a wrapper that reports the child's peak memory (MB)."""
    wrapper = textwrap.dedent(
        """
        import json, resource, subprocess, sys
        done = subprocess.run(sys.argv[1:], capture_output=True, text=True, encoding="utf-8")
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(json.dumps({"rc": done.returncode, "out": done.stdout, "err": done.stderr, "mb": peak}))
        """
    )
    raw = subprocess.run([sys.executable, "-c", wrapper, *args], cwd=cwd, env=ENV, capture_output=True, text=True,
                         encoding="utf-8", check=True)
    data = json.loads(raw.stdout)
    done = subprocess.CompletedProcess(args, data["rc"], data["out"], data["err"])
    return done, data["mb"]


# --- every corpus file through validar ---------------------------------------


@pytest.mark.parametrize("entry", SMALL, ids=lambda e: e.name)
def test_validar_answers_every_corpus_file(folder: Path, entry: corpus.Entry) -> None:
    path = folder / entry.name
    before = _snapshot(path)
    code, out, err = _validar(str(path))
    assert code == entry.exit_code
    assert "Traceback" not in out + err
    assert str(path) in out
    if entry.fatal:
        assert f"ERROR [{entry.fatal}]" in out
        assert len([ln for ln in out.splitlines() if "ERROR [" in ln]) == 1  # one clear message
    code, out, _ = _validar("--json", str(path))
    libro = json.loads(out)["libros"][0]
    if entry.fatal:
        assert libro["codigo"] == entry.fatal
    else:
        found = {(p["codigo"], p["hoja"], p["celda"]) for p in libro["problemas"] if p["severidad"] == "error"}
        for code_, sheet, cell in entry.problems:
            assert any(f[0] == code_ and f[1] == sheet and (cell is None or f[2] == cell) for f in found), (
                code_, sheet, cell, sorted(found))
    assert _snapshot(path) == before, "the input file changed"


@pytest.mark.parametrize(
    "name, words",
    [
        ("celdas-50000-caracteres.xlsx", ["«201 Promoción»", "C1", "32,767"]),
        ("nan-como-numero.xlsx", ["«201 Promoción»", "G9", "nan"]),
        ("fila-lejana.xlsx", ["«201 Promoción»", "A1048576"]),
        ("bomba-zip.xlsx", ["xl/media/relleno.bin", "1,024 MB"]),
        ("parte-danada.xlsx", ["xl/worksheets/sheet2.xml"]),
        ("xml-entidad-externa.xlsx", ["xl/worksheets/sheet2.xml"]),
        ("antiguo.xls", ["guárdelo como «Libro de Excel (.xlsx)»"]),
        ("protegido.xlsx", ["contraseña"]),
        ("libreoffice.ods", ["LibreOffice", ".xlsx"]),
    ],
)
def test_fatal_messages_say_where_and_what_to_do(folder: Path, name: str, words: list[str]) -> None:
    _code, out, _ = _validar(str(folder / name))
    for word in words:
        assert word in out


def test_real_subprocess_for_a_few(folder: Path) -> None:
    names = ["no-es-zip.xlsx", "protegido.xlsx", "xml-billion-laughs.xlsx", "numeros-invalidos.xlsx"]
    for name in names:
        before = _snapshot(folder / name)
        done, mb = _measured([sys.executable, "-m", "poa_xlsx.cli", "validar", name], folder)
        assert done.returncode == 1, done
        assert name in done.stdout
        assert "Traceback" not in done.stdout + done.stderr
        assert mb < LIMIT_MB
        assert _snapshot(folder / name) == before


def test_several_workbooks_in_one_call_say_which_failed(folder: Path, tmp_path: Path) -> None:
    good = tmp_path / "bueno.xlsx"
    corpus.write_zip(good, corpus.capture_parts())
    code, out, _ = _validar(str(good), str(folder / "truncado.xlsx"), str(folder / "unidades-duplicadas.xlsx"))
    assert code == 1
    blocks = out.split("Libro: ")
    assert "Sin problemas." in blocks[1] and str(good) in blocks[1]
    assert "[archivo-danado]" in blocks[2] and "truncado.xlsx" in blocks[2]
    assert "[unidad-duplicada]" in blocks[3]
    assert "En total:" in out


def test_a_workbook_zipfile_cannot_open_does_not_stop_the_others(folder: Path, tmp_path: Path) -> None:
    """Issue #12: NotImplementedError ("zip file version 14.8") went past the per-workbook handling."""
    bad = folder / "zip-version-14.8.xlsx"
    good = tmp_path / "bueno.xlsx"
    corpus.write_zip(good, corpus.capture_parts())
    code, out, _ = _validar(str(bad), str(good))
    assert code == 1
    assert f"Libro: {bad}\n  ERROR [archivo-danado]" in out and "14.8" in out
    assert f"Libro: {good}\n  Sin problemas." in out
    code, out, _ = _validar("--json", str(bad), str(good))
    libros = json.loads(out)["libros"]
    assert [(b["archivo"], b.get("codigo"), b.get("errores")) for b in libros] == [
        (str(bad), "archivo-danado", None), (str(good), None, 0)]
    result = CliRunner().invoke(cli, [str(bad), str(good), "-o", str(tmp_path / "salida")])
    assert result.exit_code == 1
    assert sorted(p.name for p in (tmp_path / "salida").iterdir()) == ["bueno_TMM-F004.pdf", "bueno_TMM-F004.xlsx"]
    assert "variante del formato .zip" in result.stderr and "Error inesperado" not in result.output


def test_any_exception_while_reading_is_that_workbooks_problem(folder: Path, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    from poa_xlsx.lectura import reader

    good = tmp_path / "bueno.xlsx"
    corpus.write_zip(good, corpus.capture_parts())
    odd = tmp_path / "raro.xlsx"
    corpus.write_zip(odd, corpus.capture_parts())
    original = reader._read_units

    def fails_for_one(book, *args):  # type: ignore[no-untyped-def]
        if book.path == str(odd):
            raise IndexError("list index out of range")  # a reader bug this workbook's cells reveal
        return original(book, *args)

    monkeypatch.setattr(reader, "_read_units", fails_for_one)
    with pytest.raises(LibroError) as caught:
        read_workbook(str(odd))
    assert caught.value.code == "archivo-danado" and "IndexError" in caught.value.mensaje
    assert isinstance(caught.value.__cause__, IndexError)  # --debug shows the real traceback
    code, out, _ = _validar(str(odd), str(good))
    assert code == 1 and "[archivo-danado]" in out and f"Libro: {good}\n  Sin problemas." in out


# --- XML entities: our byte scan and our parser ----------------------------------

XML_ATTACKS = ["xml-billion-laughs.xlsx", "xml-entidad-externa.xlsx", "xml-entidad-externa-cadenas.xlsx",
               "xml-entidad-externa-libro.xlsx"]


@pytest.mark.parametrize("name", XML_ATTACKS)
def test_entities_fail_fast_and_leak_nothing(folder: Path, name: str) -> None:
    assert (folder / corpus.SECRET_NAME).read_text(encoding="utf-8").strip() == corpus.SECRET_MARKER
    with pytest.raises(LibroError) as caught:
        read_workbook(str(folder / name))
    assert caught.value.code == "xml-peligroso"
    for args in (["validar", str(folder / name)], ["validar", "--json", str(folder / name)], [str(folder / name)]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 1
        assert corpus.SECRET_MARKER not in result.output
        assert "no se aceptan por seguridad" in result.output


def test_input_xml_is_parsed_only_by_our_guarded_parser() -> None:
    """Reading and checking a workbook imports neither openpyxl nor any other XML parser of the input."""
    code = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from poa_xlsx.acciones import check_workbook
        assert check_workbook({str(ROOT / "examples" / "2023-cdi-T2.xlsx")!r}).ok
        loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("openpyxl", "defusedxml", "lxml", "xml"))
        print(" ".join(loaded))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert set(done.stdout.split()) <= {"xml", "xml.parsers", "xml.parsers.expat", "xml.parsers.expat.errors",
                                        "xml.parsers.expat.model"}, done.stdout


@pytest.mark.parametrize("name", XML_ATTACKS)
def test_our_parser_alone_stops_entities(folder: Path, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With our DTD byte scan switched off, the parser still refuses, and we say so."""
    monkeypatch.setattr(xlsxfile, "_FORBIDDEN_XML", ())
    with pytest.raises(LibroError) as caught:
        read_workbook(str(folder / name))
    assert caught.value.code == "xml-peligroso"
    assert corpus.SECRET_MARKER not in caught.value.mensaje


def test_our_sheet_parser_refuses_entities(folder: Path) -> None:
    from poa_xlsx.xlsx import parse as xlsxparse

    raw = corpus.sheet_xml([["x", corpus.Raw("<f>A1</f>"), corpus.Raw('t="inlineStr"|<is><t>&xxe;</t></is>')]],
                           prolog=corpus._xxe_prolog(folder, "worksheet"))
    with pytest.raises(xlsxparse.XmlForbiddenError):
        list(xlsxparse.iter_rows(raw, xlsxparse.WorkbookInfo([])))


def test_dtd_scan_finds_utf16_and_split_tokens(tmp_path: Path) -> None:
    parts = corpus.capture_parts()
    xml = '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE sst [<!ENTITY a "b">]><sst/>'
    parts["xl/sharedStrings.xml"] = xml.encode("utf-16")
    corpus.write_zip(tmp_path / "utf16.xlsx", parts)
    with pytest.raises(LibroError) as caught:
        xlsxfile.check_file(str(tmp_path / "utf16.xlsx"))
    assert caught.value.code == "xml-peligroso"
    # a token across the boundary of two inflated pieces
    filler = " " * (xlsxfile._OUT - 4)
    parts["xl/sharedStrings.xml"] = f'<?xml version="1.0"?>{filler}<!DOCTYPE sst><sst/>'.encode()
    corpus.write_zip(tmp_path / "split.xlsx", parts)
    with pytest.raises(LibroError) as caught:
        xlsxfile.check_file(str(tmp_path / "split.xlsx"))
    assert caught.value.code == "xml-peligroso"


# --- zip bombs -------------------------------------------------------------------


def test_lying_header_is_caught_before_zipfile_inflates(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = folder / "bomba-zip-tamano-falso.xlsx"
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("xl/media/relleno.bin").file_size == 4096  # what the header claims
    inflate = xlsxfile._inflate
    inflated: list[int] = []

    def counted(handle, info):  # type: ignore[no-untyped-def]
        for piece in inflate(handle, info):
            inflated.append(len(piece))
            yield piece

    monkeypatch.setattr(xlsxfile, "_inflate", counted)
    with pytest.raises(LibroError) as caught:
        xlsxfile.check_file(str(path))
    assert caught.value.code == "archivo-demasiado-grande"
    # stopped at the limit, not after inflating the whole GiB (its time is in benchmarks/hostiles.py)
    assert sum(inflated) < 2 * xlsxfile.MAX_MEMBER < (1 << 30)


def test_bombs_cost_little(folder: Path) -> None:
    for name in ("bomba-zip.xlsx", "bomba-zip-tamano-falso.xlsx", "bomba-zip-partes.xlsx"):
        done, mb = _measured([sys.executable, "-m", "poa_xlsx.cli", "validar", name], folder)
        assert done.returncode == 1 and "archivo-demasiado-grande" in done.stdout
        assert mb < 200, (name, mb)


# --- size: the big inputs and the limits themselves ----------------------------


@pytest.mark.parametrize("entry", BIG, ids=lambda e: e.name)
def test_big_inputs_within_bounds(tmp_path: Path, entry: corpus.Entry) -> None:
    path = entry.write(tmp_path)
    before = _snapshot(path)
    done, mb = _measured([sys.executable, "-m", "poa_xlsx.cli", "validar", entry.name], tmp_path)
    print(f"{entry.name}: {mb:.0f} MB")
    assert done.returncode == 1
    assert f"[{entry.fatal}]" in done.stdout and entry.name in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
    assert mb < LIMIT_MB
    assert _snapshot(path) == before


@pytest.mark.parametrize("limit", corpus.AT_THE_LIMITS, ids=lambda e: e.name)
def test_workbooks_at_the_limits_within_bounds(tmp_path: Path, limit: corpus.Entry) -> None:
    limit.write(tmp_path)
    done, mb = _measured([sys.executable, "-m", "poa_xlsx.cli", "validar", limit.name], tmp_path)
    print(f"{limit.name}: {mb:.0f} MB")
    assert done.returncode in (0, 1) and "Traceback" not in done.stdout + done.stderr
    assert "demasiad" not in done.stdout  # read, not refused
    assert mb < LIMIT_MB


def test_one_cell_past_the_cell_limit_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsxfile, "MAX_CELLS", 30)
    corpus.write_zip(tmp_path / "x.xlsx", corpus.capture_parts())
    with pytest.raises(LibroError) as caught:
        read_workbook(str(tmp_path / "x.xlsx"))
    assert caught.value.code == "hoja-demasiado-grande"
    assert "«201 Promoción»" in caught.value.mensaje


def test_sparse_rows_share_one_empty_row(tmp_path: Path) -> None:
    rows, _ = corpus.unit_rows()
    rows += [[]] * 5000 + [["x"]]
    corpus.write_zip(tmp_path / "x.xlsx", corpus.capture_parts([("201 Promoción", rows)]))
    with xlsxfile.open_workbook(tmp_path / "x.xlsx") as book:
        data = book.sheet("201 Promoción")
    assert len(data.rows) == len(rows)
    blanks = {id(r) for r in data.rows if not r}
    assert len(blanks) == 1


def test_trailing_formula_without_value_is_kept(tmp_path: Path) -> None:
    rows, first = corpus.unit_rows()
    rows[first - 1][13] = corpus.Raw("<f>A1</f>")  # last cell of the row
    rows.insert(first, [None, None, corpus.Raw("<f>A1</f>")])  # a goal row of nothing but such a formula
    corpus.write_zip(tmp_path / "x.xlsx", corpus.capture_parts([("201 Promoción", rows)]))
    lectura = read_workbook(str(tmp_path / "x.xlsx"))
    cells = {p.origen.cell for p in lectura.problems if p.code == "formula-sin-valor"}
    assert {f"N{first}", f"C{first + 1}"} <= cells


# --- text that must stay text ---------------------------------------------------


def test_control_characters_dropped_unicode_kept(tmp_path: Path) -> None:
    rows, first = corpus.unit_rows()
    rows[first - 1][2] = corpus.UNICODE_TEXT
    rows[first - 1][13] = corpus.CONTROL_TEXT
    corpus.write_zip(tmp_path / "x.xlsx", corpus.capture_parts([("201 Promoción", rows)]))
    lectura = read_workbook(str(tmp_path / "x.xlsx"))
    meta = lectura.libro.unidades[0].metas[0]
    assert meta.descripcion == corpus.UNICODE_TEXT  # emoji, CJK, Arabic, bidi marks untouched
    assert meta.observaciones == "Avancecon31mcontrol y \u200bancho-cero"  # C1 and DEL gone
    assert not any(0x80 <= ord(ch) <= 0x9F or ord(ch) < 0x20 for ch in meta.observaciones)


def test_formula_looking_text_is_read_as_text(folder: Path) -> None:
    lectura = read_workbook(str(folder / "inyeccion-formulas.xlsx"))
    observaciones = [m.observaciones for m in lectura.libro.unidades[0].metas]
    for text in corpus.INJECTIONS:
        assert text.strip() in observaciones


def test_weird_sheet_names_are_read_and_reported(folder: Path) -> None:
    lectura = read_workbook(str(folder / "nombres-de-hoja.xlsx"))
    assert [u.sheet for u in lectura.libro.unidades] == [*corpus.WEIRD_SHEETS, "PRN?/.."]


# --- file names ------------------------------------------------------------------


@pytest.mark.parametrize("text", [*corpus.WEIRD_SHEETS, "PRN?/..", "", "\x00\x1b[2J", "CON.txt", "lpt9", "nul .pdf",
                                  "a" * 500, "é" * 300, "..\\..\\windows", "/etc/passwd", "201 Promoción 🎉 会议"])
def test_safe_filename_stays_in_its_folder(text: str, tmp_path: Path) -> None:
    name = safe_filename(text)
    assert name and len(name.encode("utf-8")) <= 121
    assert not set(name) & set('/\\:*?"<>|[]')
    assert ".." not in name and not name.startswith(".")
    assert all(ch.isprintable() for ch in name)
    assert name.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)),
                                              *(f"LPT{i}" for i in range(10))}
    assert (tmp_path / name).resolve().parent == tmp_path.resolve()
    (tmp_path / name).write_bytes(b"x")  # a name the system accepts


# --- write_atomic: nothing half-written ------------------------------------------

_CHILD = textwrap.dedent(
    """
    import os, sys, time
    sys.path.insert(0, sys.argv[3])
    from poa_xlsx.output import write_atomic
    mode, target = sys.argv[1], sys.argv[2]
    data = bytes(range(256)) * (64 * 1024 * 4)  # 64 MiB
    if mode == "half":
        real = os.fdopen
        class Slow:
            def __init__(self, handle): self.handle = handle
            def __enter__(self): return self
            def __exit__(self, *exc): return self.handle.__exit__(*exc)
            def write(self, chunk):
                self.handle.write(chunk[: len(chunk) // 2]); self.handle.flush()
                print("half", flush=True); time.sleep(60)
            def __getattr__(self, name): return getattr(self.handle, name)
        os.fdopen = lambda fd, *a, **k: Slow(real(fd, *a, **k))
    print("start", flush=True)
    write_atomic(target, data)
    print("done", flush=True)
    """
)


def _child(mode: str, target: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", _CHILD, mode, str(target), str(ROOT)], stdout=subprocess.PIPE,
                            text=True)


def test_killed_mid_write_leaves_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "reporte.xlsx"
    target.write_bytes(b"old complete report")
    child = _child("half", target)
    assert child.stdout.readline().strip() == "start"
    assert child.stdout.readline().strip() == "half"
    temps = list(tmp_path.glob(".poa-*.tmp"))
    assert len(temps) == 1 and temps[0].stat().st_size == 32 * 1024 * 1024
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert target.read_bytes() == b"old complete report"
    # the killed run could not clean up; the next write removes its temporary file once it is stale
    old = time.time() - 2 * 3600
    os.utime(temps[0], (old, old))
    write_atomic(target, b"new complete report")
    assert target.read_bytes() == b"new complete report"
    assert list(tmp_path.glob(".poa-*.tmp")) == []


def test_killed_at_any_moment_leaves_old_or_new(tmp_path: Path) -> None:
    expected = bytes(range(256)) * (64 * 1024 * 4)
    for delay in (0.0, 0.05, 0.2, 0.5):
        target = tmp_path / "reporte.pdf"
        target.write_bytes(b"old")
        child = _child("fast", target)
        assert child.stdout.readline().strip() == "start"
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait()
        content = target.read_bytes()
        assert content == b"old" or content == expected, (delay, len(content))
        remove_stale_temps(tmp_path, max_age=-1)
        assert list(tmp_path.glob(".poa-*.tmp")) == []


def test_fresh_temporary_files_of_a_live_run_are_left_alone(tmp_path: Path) -> None:
    live = tmp_path / ".poa-live.tmp"
    live.write_bytes(b"being written")
    other = tmp_path / "notas.tmp"
    other.write_bytes(b"not ours")
    old = time.time() - 2 * 3600
    os.utime(other, (old, old))
    write_atomic(tmp_path / "r.pdf", b"x")
    assert live.exists() and other.exists()


def test_failed_write_leaves_no_temporary_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "r.xlsx"
    target.write_bytes(b"old")

    def broken(src: str, dst: str) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken)
    with pytest.raises(OSError):
        write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert list(tmp_path.glob(".poa-*.tmp")) == []


# --- the report command: text stays text, failures stay local, nothing half-written ----


def _valid_with(goals: list[list[object]], path: Path, ue: str = "201") -> Path:
    return corpus.write_zip(path, corpus.capture_parts([("201 Promoción", corpus.unit_rows(ue=ue, goals=goals)[0])]))


def _report_cells(path: Path) -> list:
    from openpyxl import load_workbook

    wb = load_workbook(path)
    return [cell for ws in wb for row in ws.iter_rows() for cell in row if cell.value is not None]


def test_report_keeps_formula_looking_text_as_text(tmp_path: Path) -> None:
    goals = [corpus.goal_row(numero=str(300 + i), obs=text) for i, text in enumerate(corpus.INJECTIONS)]
    # sin programación: no phrase before the staff's text, so the cell starts with "="
    goals.append(corpus.goal_row(numero="=1+1", descripcion="=2+2", meta=0, p=(0, 0, 0, 0), a=(0, 0, None, None),
                                 obs='=HYPERLINK("http://example.invalid","clic")'))
    book = _valid_with(goals, tmp_path / "inyeccion.xlsx")
    result = CliRunner().invoke(cli, [str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    cells = _report_cells(tmp_path / "out" / "inyeccion_TMM-F004.xlsx")
    texts = [c.value for c in cells if isinstance(c.value, str)]
    for text in [*corpus.INJECTIONS, '=HYPERLINK("http://example.invalid","clic")', "=2+2"]:
        assert any(text.strip() in t for t in texts), text
    assert all(c.data_type != "f" for c in cells), [c.coordinate for c in cells if c.data_type == "f"]
    with zipfile.ZipFile(tmp_path / "out" / "inyeccion_TMM-F004.xlsx") as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                data = archive.read(name)
                assert b"<f>" not in data and b"<f " not in data, name


def test_report_failure_in_one_workbook_leaves_the_others_complete(folder: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    uno = _valid_with([corpus.goal_row()], tmp_path / "uno.xlsx")
    dos = _valid_with([corpus.goal_row()], tmp_path / "dos.xlsx", ue="202")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, [str(uno), str(folder / "truncado.xlsx"), str(dos), "-o", str(out)])
    assert result.exit_code == 1
    assert "truncado.xlsx" in result.stderr and "Traceback" not in result.output
    for stem in ("uno", "dos"):
        load_workbook(out / f"{stem}_TMM-F004.xlsx")  # complete: it opens
        pdf = (out / f"{stem}_TMM-F004.pdf").read_bytes()
        assert pdf.startswith(b"%PDF") and pdf.rstrip().endswith(b"%%EOF")
    assert sorted(p.name for p in out.iterdir()) == ["dos_TMM-F004.pdf", "dos_TMM-F004.xlsx",
                                                     "uno_TMM-F004.pdf", "uno_TMM-F004.xlsx"]


def test_report_names_from_user_text_stay_in_the_output_folder(tmp_path: Path) -> None:
    src = tmp_path / "src"
    src.mkdir()
    book = _valid_with([corpus.goal_row()], src / "CON.xlsx", ue="../../../escape")
    out = tmp_path / "out"
    before = {p for p in tmp_path.rglob("*")}
    result = CliRunner().invoke(cli, [str(book), "-o", str(out), "--por-unidad"])
    assert result.exit_code == 0, result.output
    created = {p for p in tmp_path.rglob("*")} - before - {out}
    assert created and all(p.parent == out for p in created), created
    for p in created:
        assert not p.name.upper().startswith(("CON.", "CON_")) and ".." not in p.name


def test_report_killed_mid_write_leaves_no_partial_file(tmp_path: Path) -> None:
    book = _valid_with([corpus.goal_row()], tmp_path / "libro.xlsx")
    out = tmp_path / "out"
    out.mkdir()
    stalled = textwrap.dedent(
        """
        import os, sys, time
        sys.path.insert(0, sys.argv[1])
        def stall(fd):
            print("fsync", flush=True)
            time.sleep(60)
        os.fsync = stall  # the bytes are in the temporary file, not yet renamed
        from poa_xlsx.cli import main
        sys.argv = ["poa-render", sys.argv[2], "-o", sys.argv[3]]
        main()
        """
    )
    child = subprocess.Popen([sys.executable, "-c", stalled, str(ROOT), str(book), str(out)], stdout=subprocess.PIPE,
                             text=True, env=ENV)
    while (line := child.stdout.readline()) and line.strip() != "fsync":
        pass
    child.send_signal(signal.SIGKILL)
    child.wait()
    leftovers = list(out.iterdir())
    assert all(p.name.startswith(".poa-") and p.name.endswith(".tmp") for p in leftovers), leftovers
    old = time.time() - 2 * 3600
    for p in leftovers:
        os.utime(p, (old, old))
    result = CliRunner().invoke(cli, [str(book), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["libro_TMM-F004.pdf", "libro_TMM-F004.xlsx"]


def test_written_reports_get_ordinary_permissions(tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    write_atomic(target, b"x")
    mask = os.umask(0o022)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask
    target.chmod(0o600)
    write_atomic(target, b"y")
    assert target.stat().st_mode & 0o777 == 0o600  # the replaced file's permissions are kept


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice (soffice) is not installed")
def test_real_libreoffice_files(tmp_path: Path) -> None:
    """What LibreOffice really writes: an .ods is recognised, its .xlsx passes every check."""
    source = tmp_path / "libro.xlsx"
    corpus.write_zip(source, corpus.capture_parts())
    for target, origin in (("ods", source), ("xlsx:Calc MS Excel 2007 XML", tmp_path / "lo" / "libro.ods")):
        subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/perfil", "--convert-to",
                        target, "--outdir", str(tmp_path / "lo"), str(origin)],
                       check=True, capture_output=True, timeout=180)
    with pytest.raises(LibroError) as caught:
        read_workbook(str(tmp_path / "lo" / "libro.ods"))
    assert caught.value.code == "formato-ods"
    revision = check_workbook(str(tmp_path / "lo" / "libro.xlsx"))
    assert revision.informe is not None, [str(p) for p in revision.problems]
