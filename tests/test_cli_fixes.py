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
