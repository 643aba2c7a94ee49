"""XLSX and PDF side by side on two cores (issue #8): same bytes, and any failure of the child is absorbed."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from poa_xlsx import parallel
from poa_xlsx.acciones import check_workbook
from poa_xlsx.render.reporte import Opciones, write_report

ROOT = Path(__file__).resolve().parent.parent
needs_fork = pytest.mark.skipif(not parallel.can_fork(), reason="this machine renders in one process")


def _no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_split_balances_and_keeps_the_costliest_here() -> None:
    assert parallel.split([3, 1]) == ([1], [0])
    child, own = parallel.split([5, 1, 1, 1, 1, 1, 4])
    assert sorted(child + own) == list(range(7))
    assert abs(sum([5, 1, 1, 1, 1, 1, 4][i] for i in child) - sum([5, 1, 1, 1, 1, 1, 4][i] for i in own)) <= 1


@needs_fork
def test_results_in_order_and_some_made_by_the_child() -> None:
    parent = os.getpid()
    started: list[int] = []
    results = parallel.map_bytes(lambda n: f"{n}:{os.getpid() == parent}".encode(), [1, 2, 3, 4], [4, 3, 2, 1],
                                 started=started.append)
    assert [r.split(b":")[0] for r in results] == [b"1", b"2", b"3", b"4"]
    assert b"False" in b" ".join(results)  # at least one came from the child
    assert sorted(started) == [0, 1, 2, 3]
    assert _no_children_left()


@needs_fork
@pytest.mark.parametrize("how", ["raises", "dies"])
def test_a_failing_child_is_replaced_by_this_process(how: str) -> None:
    parent = os.getpid()

    def func(n: int) -> bytes:
        if os.getpid() != parent:
            if how == "raises":
                raise RuntimeError("only in the child")
            os._exit(3)
        return str(n * n).encode()

    assert parallel.map_bytes(func, [1, 2, 3], [1, 1, 1]) == [b"1", b"4", b"9"]
    assert _no_children_left()


@needs_fork
def test_an_error_here_stops_the_child_and_propagates() -> None:
    parent = os.getpid()

    def func(n: int) -> bytes:
        if os.getpid() == parent:
            raise ValueError("in this process")
        import time

        time.sleep(30)  # the child must not outlive the error
        return b""

    with pytest.raises(ValueError):
        parallel.map_bytes(func, [1, 2], [1, 1])
    assert _no_children_left()


def test_one_process_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("POA_PROCESOS", "1")
    assert not parallel.can_fork()
    parent = os.getpid()
    assert parallel.map_bytes(lambda n: str(os.getpid() == parent).encode(), [1, 2], [1, 1]) == [b"True", b"True"]


def test_reports_are_the_same_bytes_in_one_or_two_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    informe = check_workbook(str(ROOT / "examples" / "2023-cdi-T2.xlsx")).informe
    opciones = Opciones(por_unidad=True)
    together = write_report(informe, str(tmp_path / "dos"), "libro", opciones)
    monkeypatch.setenv("POA_PROCESOS", "1")
    alone = write_report(informe, str(tmp_path / "uno"), "libro", opciones)
    assert [Path(p).name for p in together] == [Path(p).name for p in alone]
    assert len(together) > 2
    for a, b in zip(together, alone):
        assert Path(a).read_bytes() == Path(b).read_bytes(), a


# --- reading: many unit sheets, the second half read by a child ---------------------------

def _many_units(path: Path, n: int = 40, bad: dict[int, list] | None = None) -> Path:
    import sys

    sys.path.insert(0, str(ROOT / "tests"))
    import corpus

    units = []
    for i in range(n):
        goals = [corpus.goal_row(numero=str(300 + g), obs="" if g % 3 else "Se explica.") for g in range(5)]
        if i % 7 == 3:
            goals[1][4] = "setenta"  # an error, in both halves
        if bad and i in bad:
            goals[2] = bad[i]
        units.append((f"{100 + i} Unidad", corpus.unit_rows(ue=str(100 + i), goals=goals)[0]))
    return corpus.write_zip(path, corpus.capture_parts(units))


def _read(path: Path, processes: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from poa_xlsx.lectura.reader import read_workbook

    monkeypatch.setenv("POA_PROCESOS", processes)
    forks = []
    real = parallel.fork_call

    def counted(func):  # type: ignore[no-untyped-def]
        forked = real(func)
        forks.extend([1] if forked is not None else [])
        return forked

    monkeypatch.setattr(parallel, "fork_call", counted)
    try:
        return read_workbook(str(path))
    except LibroError as exc:
        return exc.code, exc.mensaje
    finally:
        monkeypatch.setattr(parallel, "fork_call", real)
        assert len(forks) == (1 if processes != "1" else 0)  # the second half really went to a child


from poa_xlsx.problems import LibroError  # noqa: E402


@needs_fork
def test_many_sheets_read_the_same_in_one_or_two_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from poa_xlsx.lectura import reader

    path = _many_units(tmp_path / "x.xlsx")
    assert reader.PARALLEL_MIN_UNITS <= 40
    alone, together = _read(path, "1", monkeypatch), _read(path, "2", monkeypatch)
    assert together == alone
    assert together.unidades == alone.unidades and together.problems == alone.problems
    assert [p.origen.sheet for p in together.problems if p.code == "numero-invalido"][-1] == "138 Unidad"


@needs_fork
@pytest.mark.parametrize("where", [5, 35])
def test_an_unreadable_sheet_in_either_half_fails_as_in_one_process(tmp_path: Path, where: int,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import corpus

    long_text = corpus.goal_row(numero="999", obs="x" * 40_000)
    path = _many_units(tmp_path / "x.xlsx", bad={where: long_text, 38: long_text})
    alone, together = _read(path, "1", monkeypatch), _read(path, "2", monkeypatch)
    assert together == alone
    assert alone[0] == "texto-demasiado-largo" and f"«{100 + where} Unidad»" in alone[1]


@needs_fork
def test_the_slot_limit_counts_both_halves(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from poa_xlsx.xlsx import archivo as xlsxfile

    path = _many_units(tmp_path / "x.xlsx")
    with xlsxfile.open_workbook(path) as book:
        for name in book.sheet_names:
            book.sheet(name)
        total = book.slots
    monkeypatch.setattr(xlsxfile, "MAX_SLOTS", total - 50)  # only the last sheets pass it
    alone, together = _read(path, "1", monkeypatch), _read(path, "2", monkeypatch)
    assert together == alone
    assert alone[0] == "hoja-demasiado-grande" and "139 Unidad" in alone[1]
