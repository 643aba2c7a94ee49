"""Benchmark poa-render as a user runs it, stage by stage, with peak memory.

    python benchmarks/run.py                 # the issue's sizes: 10x10, 300x40, 600x40
    python benchmarks/run.py --sizes 50x40   # other sizes, UNITSxGOALS
    python benchmarks/run.py --tiny          # one small run, to check it still works (CI)

For each size it generates a synthetic workbook (benchmarks/make_workbook.py),
then times the whole command `poa-render LIBRO.xlsx -o CARPETA` in a fresh
process (median of --runs runs after one warm-up) and reads that process's
peak memory (ru_maxrss from wait4), and times each stage in-process (read,
validate, compute, layout, XLSX, PDF). It also times `poa-render --help`.
Prints a Markdown table.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from make_workbook import make_workbook  # noqa: E402


def poa_render() -> list[str]:
    exe = Path(sys.executable).with_name("poa-render")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "poa_xlsx.cli"]


def run_process(args: list[str]) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MB, and exit status of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    return elapsed, usage.ru_maxrss / 1024, proc.returncode


def time_command(args: list[str], runs: int) -> tuple[float, float]:
    """Median seconds over ``runs`` after a warm-up, and the largest peak memory (MB)."""
    _, _, status = run_process(args)
    if status not in (0,):
        raise SystemExit(f"el comando falló (código {status}): {' '.join(args)}")
    times, peaks = [], []
    for _ in range(runs):
        elapsed, peak, _ = run_process(args)
        times.append(elapsed)
        peaks.append(peak)
    return statistics.median(times), max(peaks)


def time_stages(path: Path) -> dict[str, float]:
    """Seconds of each stage, in this process."""
    from poa_xlsx.compute import compute_figures
    from poa_xlsx.layout import layout_report
    from poa_xlsx.reader import read_workbook
    from poa_xlsx.render_pdf import render_pdf
    from poa_xlsx.render_xlsx import render_xlsx
    from poa_xlsx.validate import validate

    stages: dict[str, float] = {}
    t = time.perf_counter()
    lectura = read_workbook(str(path))
    stages["leer"] = time.perf_counter() - t
    t = time.perf_counter()
    validate(lectura)
    stages["validar"] = time.perf_counter() - t
    t = time.perf_counter()
    informe = compute_figures(lectura.libro)
    stages["calcular"] = time.perf_counter() - t
    t = time.perf_counter()
    reporte = layout_report(informe)
    stages["maquetar"] = time.perf_counter() - t
    t = time.perf_counter()
    render_xlsx(reporte)
    stages["xlsx"] = time.perf_counter() - t
    t = time.perf_counter()
    render_pdf(reporte)
    stages["pdf"] = time.perf_counter() - t
    return stages


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10x10,300x40,600x40", help="UNIDADESxMETAS separados por coma")
    parser.add_argument("--runs", type=int, default=5, help="corridas por medición (mediana), tras un calentamiento")
    parser.add_argument("--tiny", action="store_true", help="una corrida pequeña (2x3) para comprobar que funciona")
    args = parser.parse_args(argv)
    sizes = ["2x3"] if args.tiny else [s.strip() for s in args.sizes.split(",") if s.strip()]
    runs = 1 if args.tiny else args.runs

    help_time, help_mem = time_command(poa_render() + ["--help"], runs)
    rows = [f"| `poa-render --help` | — | {help_time:.2f} s | {help_mem:.0f} MB | — |"]
    totals: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            units, goals = (int(x) for x in size.lower().split("x"))
            book = make_workbook(Path(tmp) / f"bench_{units}x{goals}.xlsx", units, goals)
            out = Path(tmp) / f"out_{units}x{goals}"
            seconds, peak = time_command(poa_render() + [str(book), "-o", str(out)], runs)
            totals[size] = seconds
            stages = time_stages(book)
            detail = ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
            rows.append(f"| {units} unidades × {goals} metas | {units * goals:,} | {seconds:.2f} s | {peak:.0f} MB | {detail} |")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} núcleos; mediana de {runs} corrida(s) tras un calentamiento.\n")
    print("| caso | metas | tiempo total | memoria máxima | etapas (s, en proceso) |")
    print("|---|---|---|---|---|")
    print("\n".join(rows))
    if len(totals) >= 2:
        ordered = list(totals.items())
        for (a, ta), (b, tb) in zip(ordered, ordered[1:]):
            print(f"\n{b} / {a}: {tb / ta:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
