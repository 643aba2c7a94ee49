"""benchmarks/run.py keeps working (issue #8): CI runs it once, at a tiny size; it is not a timed test."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_tiny_prints_the_table(tmp_path: Path) -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--tiny"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "| caso | metas | tiempo total | memoria máxima | etapas (s, en un proceso, una tras otra) |" in lines
    assert any(line.startswith("| `poa-render --help` |") for line in lines)
    row = next(line for line in lines if line.startswith("| 2 unidades × 3 metas | 6 |"))
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[2].endswith(" s") and float(cells[2][:-2]) > 0
    assert cells[3].endswith(" MB") and float(cells[3][:-3]) > 0
    for stage in ("leer", "validar", "calcular", "maquetar", "paginar", "xlsx", "pdf"):
        assert stage in cells[4]
    assert "Objetivos (issues #8 y #12):" in lines
    desde = next(line for line in lines if line.startswith("| `plantilla --desde`, 2 × 3 | 6 |"))
    assert "el reporte" in desde
    assert any("`plantilla --desde` 2 × 3 no más lento que el reporte" in line for line in lines)


def test_hostile_benchmark_tiny_lists_every_small_corpus_file(tmp_path: Path) -> None:
    """The time bounds that left tests/test_hostile.py (issue #12) are measured here; not a timed test."""
    sys.path.insert(0, str(ROOT / "tests"))
    import corpus

    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "hostiles.py"), "--tiny"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| `")]
    assert [row.split("`")[1] for row in rows] == [e.name for e in corpus.CORPUS if not e.big]
    expected = {e.name: e.exit_code for e in corpus.CORPUS}
    for row in rows:
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[2] == str(expected[row.split("`")[1]]) and cells[3].endswith(" s") and cells[4].endswith(" MB")
    assert any(line.startswith("Fuera de objetivo:") for line in done.stdout.splitlines())
