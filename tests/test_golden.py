"""Output bytes of the examples and of a 40-unit workbook, against stored hashes.

A change that alters what users receive must be made on purpose: run
``python tests/test_golden.py --update`` and commit ``tests/golden/hashes.json``
with a message that says why the bytes changed.

openpyxl serialises with lxml when it is installed (the ``firma`` and ``test``
extras bring it) and with the standard library otherwise: both are valid and
each is reproducible, but their bytes differ. The hashes are those of a core
installation (``OPENPYXL_LXML=False``), computed in a child process.
"""
from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "tests" / "golden" / "hashes.json"
sys.path.insert(0, str(ROOT / "benchmarks"))

EXAMPLES = ("2018-presidencia-T1", "2023-cdi-T2", "2024-turismo-T1")


def _cases(tmp: Path) -> dict[str, list[str]]:
    from make_workbook import make_workbook

    big = make_workbook(tmp / "ayuntamiento-40.xlsx", 40, 8, seed=7)
    ex = [ROOT / "examples" / f"{name}.xlsx" for name in EXAMPLES]
    out = tmp / "out"
    cases: dict[str, list[str]] = {}
    for path in [*ex, big]:
        cases[path.stem] = [str(path), "-o", str(out / path.stem), "--por-unidad"]
    cases["resumen"] = ["resumen", str(big), str(ex[2]), "--mezclar-periodos", "-o", str(out / "resumen" / "ayuntamiento")]
    cases["oficio-sin-semaforo"] = [str(ex[1]), "-o", str(out / "oficio"), "--papel", "oficio", "--sin-semaforo", "--sin-resumen"]
    return cases


def compute_hashes(tmp: Path) -> dict[str, str]:
    from click.testing import CliRunner

    from poa_xlsx.cli import cli

    hashes: dict[str, str] = {}
    for name, args in _cases(tmp).items():
        result = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert result.exit_code == 0, (name, result.output)
    out = tmp / "out"
    for path in sorted(out.rglob("*")):
        if path.is_file():
            hashes[path.relative_to(out).as_posix()] = hashlib.sha256(path.read_bytes()).hexdigest()
    return hashes


def _child_hashes() -> dict[str, str]:
    import os
    import subprocess

    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"} | {"OPENPYXL_LXML": "False"}
    done = subprocess.run([sys.executable, __file__, "--print"], env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_output_bytes_unchanged():
    stored = json.loads(STORE.read_text(encoding="utf-8"))
    assert _child_hashes() == stored


if __name__ == "__main__":  # python tests/test_golden.py --update
    import tempfile

    sys.path.insert(0, str(ROOT))
    if "--print" in sys.argv:  # the child of test_output_bytes_unchanged
        with tempfile.TemporaryDirectory() as tmp:
            print(json.dumps(compute_hashes(Path(tmp))))
    elif "--update" in sys.argv:
        STORE.write_text(json.dumps(_child_hashes(), indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"written {STORE}")
    else:
        sys.exit("usage: python tests/test_golden.py --update")
