"""Benchmark poa-render as a user runs it, stage by stage, with peak memory.

    python benchmarks/run.py                 # the issues' sizes: 10x10, 250x4, 300x40, 600x40
    python benchmarks/run.py --sizes 50x40   # other sizes, UNITSxGOALS
    python benchmarks/run.py --tiny          # one small run, to check it still works (CI)

For each size it generates a synthetic workbook (benchmarks/make_workbook.py),
then times the whole command `poa-render LIBRO.xlsx -o CARPETA` in a fresh
process (median of --runs runs after one warm-up) and measures, in the
warm-up, its peak memory: the largest sum, over the command and the children
it forks (to read and to render side by side), of each process's proportional
set size (PSS, sampled every 20 ms; shared pages counted once), or the peak
RSS from wait4 where /proc is not available. It also times each stage in one process, one
after the other (read, validate, compute, layout, XLSX, PDF), and
`poa-render --help`, and `poa-render plantilla --desde LIBRO.xlsx` (the next
quarter's workbook) beside the report. Prints a Markdown table and whether
each target of issues #8 and #12 is met.

The command timed is the `poa-render` installed beside this Python when it is
the same code as this working tree, else `python -m poa_xlsx.cli` on the
working tree (the header says which).
"""
from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from make_workbook import make_workbook  # noqa: E402

TARGETS = {"help": 0.3, "ramo": 1.0, "ayuntamiento": 10.0, "ayuntamiento_mb": 500.0, "ratio": 2.2,
           "desde_vs_reporte": 1.0}


def _code_digest(package: Path) -> str:
    digest = hashlib.sha256()
    # every module, subpackages included (since the restructure most code lives in them)
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def poa_render() -> tuple[list[str], dict[str, str], str]:
    """The command, its environment, and a description for the header."""
    exe = Path(sys.executable).with_name("poa-render")
    if exe.exists():
        probe = subprocess.run([sys.executable, "-c", "import poa_xlsx, sys; sys.stdout.write(poa_xlsx.__file__)"],
                               capture_output=True, text=True, cwd=tempfile.gettempdir())
        installed = Path(probe.stdout.strip()).parent if probe.returncode == 0 else None
        here = ROOT / "poa_xlsx"
        if installed and installed.resolve() != here.resolve() and _code_digest(installed) == _code_digest(here):
            return [str(exe)], dict(os.environ), f"`{exe.name}` instalado (mismo código que este árbol)"
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return [sys.executable, "-m", "poa_xlsx.cli"], env, "`python -m poa_xlsx.cli` sobre este árbol"


def _pss_kb(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        try:
            with open(f"/proc/{current}/task/{current}/children") as handle:
                kids = [int(k) for k in handle.read().split()]
        except (OSError, ValueError):
            kids = []
        found += kids
        todo += kids
    return found


def run_process(args: list[str], env: dict[str, str], sample: bool = False) -> tuple[float, float, int]:
    """Wall seconds, peak memory in MB (see the module's docstring), and exit status of one command.

    Sampling memory slows the command (reading a process's PSS walks its page
    tables under its memory lock), so only runs made for the memory column sample.
    """
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    peak_kb = 0
    sampled = sample and os.path.exists(f"/proc/{proc.pid}/smaps_rollup")
    done = threading.Event()

    def sample() -> None:
        nonlocal peak_kb
        while not done.is_set():
            total = 0
            for pid in [proc.pid, *_descendants(proc.pid)]:
                total += _pss_kb(pid) or 0
            peak_kb = max(peak_kb, total)
            done.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    if sampled:
        sampler.start()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    done.set()
    if sampled:
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    mb = peak_kb / 1024 if sampled and peak_kb else usage.ru_maxrss / 1024
    return elapsed, mb, proc.returncode


def time_command(args: list[str], env: dict[str, str], runs: int) -> tuple[float, float]:
    """Median seconds over ``runs`` after a warm-up (which measures the peak memory, MB)."""
    _, peak, status = run_process(args, env, sample=True)
    if status not in (0,):
        raise SystemExit(f"el comando falló (código {status}): {' '.join(args)}")
    times = [run_process(args, env)[0] for _ in range(runs)]
    return statistics.median(times), peak


def time_stages(path: Path) -> dict[str, float]:
    """Seconds of each stage of `poa-render LIBRO.xlsx`, one after the other in this process."""
    import gc

    from poa_xlsx.cli import GC_THRESHOLD
    from poa_xlsx.lectura.reader import read_workbook
    from poa_xlsx.render.pdf.documento import render_pdf
    from poa_xlsx.render.pdf.paginacion import paginar
    from poa_xlsx.render.reporte import Opciones, build_reporte
    from poa_xlsx.render.xlsx.documento import render_xlsx
    from poa_xlsx.revision.compute import compute_figures
    from poa_xlsx.revision.validate import validate

    gc.set_threshold(*GC_THRESHOLD)
    stages: dict[str, float] = {}
    saved = os.environ.get("POA_PROCESOS")
    os.environ["POA_PROCESOS"] = "1"  # one process: the reader would otherwise fork for half the sheets
    try:
        t = time.perf_counter()
        lectura = read_workbook(str(path))
        stages["leer"] = time.perf_counter() - t
    finally:
        if saved is None:
            del os.environ["POA_PROCESOS"]
        else:
            os.environ["POA_PROCESOS"] = saved
    t = time.perf_counter()
    _, cifras = validate(lectura.unidades, lectura.general, leidos=lectura.problems, hojas=lectura.sheet_names,
                         general_valida=lectura.libro is not None)
    stages["validar"] = time.perf_counter() - t
    t = time.perf_counter()
    informe = compute_figures(lectura.libro, known=cifras)
    stages["calcular"] = time.perf_counter() - t
    t = time.perf_counter()
    reporte = build_reporte(informe, Opciones())
    stages["maquetar"] = time.perf_counter() - t
    t = time.perf_counter()
    reporte = paginar(reporte, "carta")  # the PDF's page breaks, for the XLSX (issue #17)
    stages["paginar"] = time.perf_counter() - t
    t = time.perf_counter()
    render_xlsx(reporte)
    stages["xlsx"] = time.perf_counter() - t
    t = time.perf_counter()
    render_pdf(reporte)
    stages["pdf"] = time.perf_counter() - t
    return stages


def cpu_reference() -> float:
    """Seconds of a fixed pure-Python loop: how fast this machine is right now.

    Shared or virtual machines change speed from one minute to the next; this
    figure, taken before and after, says how much to trust the table."""
    start = time.perf_counter()
    total = 0
    for i in range(5_000_000):
        total += i
    return time.perf_counter() - start


def _mark(ok: bool) -> str:
    return "sí" if ok else "**NO**"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10x10,250x4,300x40,600x40", help="UNIDADESxMETAS separados por coma")
    parser.add_argument("--runs", type=int, default=5, help="corridas por medición (mediana), tras un calentamiento")
    parser.add_argument("--tiny", action="store_true", help="una corrida pequeña (2x3) para comprobar que funciona")
    args = parser.parse_args(argv)
    sizes = ["2x3"] if args.tiny else [s.strip() for s in args.sizes.split(",") if s.strip()]
    runs = 1 if args.tiny else args.runs
    command, env, described = poa_render()
    reference_before = cpu_reference()

    help_time, help_mem = time_command(command + ["--help"], env, runs)
    rows = [f"| `poa-render --help` | — | {help_time:.2f} s | {help_mem:.0f} MB | — |"]
    totals: dict[str, tuple[float, float]] = {}
    desde: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            units, goals = (int(x) for x in size.lower().split("x"))
            book = make_workbook(Path(tmp) / f"bench_{units}x{goals}.xlsx", units, goals)
            out = Path(tmp) / f"out_{units}x{goals}"
            seconds, peak = time_command(command + [str(book), "-o", str(out)], env, runs)
            totals[f"{units}x{goals}"] = (seconds, peak)
            stages = time_stages(book)
            detail = ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
            rows.append(f"| {units} unidades × {goals} metas | {units * goals:,} | {seconds:.2f} s | {peak:.0f} MB | {detail} |")
            # the next quarter's workbook from the same book (issue #12: it took 4x the report)
            nxt = Path(tmp) / f"next_{units}x{goals}.xlsx"
            d_seconds, d_peak = time_command(command + ["plantilla", "--desde", str(book), "-o", str(nxt),
                                                        "--sobrescribir"], env, runs)
            desde[f"{units}x{goals}"] = (d_seconds, d_peak)
            rows.append(f"| `plantilla --desde`, {units} × {goals} | {units * goals:,} | {d_seconds:.2f} s | "
                        f"{d_peak:.0f} MB | {d_seconds / seconds:.2f}× el reporte |")
    reference_after = cpu_reference()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"Python {sys.version.split()[0]}, {cores} núcleos; {described}; "
          f"mediana de {runs} corrida(s) tras un calentamiento; referencia de CPU (bucle fijo de Python) "
          f"{reference_before:.2f} s antes y {reference_after:.2f} s después.\n")
    print("| caso | metas | tiempo total | memoria máxima | etapas (s, en un proceso, una tras otra) |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    ordered = list(totals.items())
    for (a, (ta, _)), (b, (tb, _)) in zip(ordered, ordered[1:]):
        if a.split("x")[1] == b.split("x")[1]:  # same goals per unit: how time grows with the units
            print(f"\n{b} / {a}: {tb / ta:.2f}×")
    checks = [f"- `--help` ≤ {TARGETS['help']} s: {help_time:.2f} s, {_mark(help_time <= TARGETS['help'])}"]
    if "10x10" in totals:
        t = totals["10x10"][0]
        checks.append(f"- 10 × 10 ≤ {TARGETS['ramo']} s: {t:.2f} s, {_mark(t <= TARGETS['ramo'])}")
    if "300x40" in totals:
        t, mb = totals["300x40"]
        checks.append(f"- 300 × 40 ≤ {TARGETS['ayuntamiento']:.0f} s y ≤ {TARGETS['ayuntamiento_mb']:.0f} MB: "
                      f"{t:.2f} s y {mb:.0f} MB, {_mark(t <= TARGETS['ayuntamiento'] and mb <= TARGETS['ayuntamiento_mb'])}")
    if "300x40" in totals and "600x40" in totals:
        ratio = totals["600x40"][0] / totals["300x40"][0]
        checks.append(f"- 600 × 40 / 300 × 40 ≤ {TARGETS['ratio']}×: {ratio:.2f}×, {_mark(ratio <= TARGETS['ratio'])}")
    for size, (d_seconds, _) in desde.items():
        ratio = d_seconds / totals[size][0]
        checks.append(f"- `plantilla --desde` {size.replace('x', ' × ')} no más lento que el reporte (issue #12): "
                      f"{d_seconds:.2f} s contra {totals[size][0]:.2f} s, {_mark(ratio <= TARGETS['desde_vs_reporte'])}")
    print("\nObjetivos (issues #8 y #12):\n" + "\n".join(checks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
