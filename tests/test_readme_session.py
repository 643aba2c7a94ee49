"""The README's session runs as written (issue #12): after activating the virtualenv, each
`$ poa-render ...` prints what the README shows and ends with its exit status."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ACTIVATE = Path(sys.prefix) / "bin" / "activate"


def _session() -> list[tuple[str, list[str], int]]:
    """(command, expected lines, exit status) of each `$ ` command of the README's session."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text.split("## Una sesión real", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    steps: list[tuple[str, list[str], int]] = []
    for chunk in block.strip().split("\n\n"):
        lines = chunk.splitlines()
        command, rest = lines[0], lines[1:]
        assert command.startswith("$ "), command
        status = 0
        expected = []
        for line in rest:
            match = re.fullmatch(r"\(código de salida: (\d+)\)", line)
            if match:
                status = int(match[1])
            elif not line.strip().startswith("(..."):  # an elision: "(... los mismos problemas ...)"
                expected.append(line)
        steps.append((command[2:], expected, status))
    return steps


@pytest.mark.skipif(sys.prefix == sys.base_prefix or not ACTIVATE.exists() or shutil.which("bash") is None
                    or not (Path(sys.prefix) / "bin" / "poa-render").exists(),
                    reason="needs the virtualenv with poa-render installed, as the README's command 1 makes it")
def test_readme_session_runs_as_written(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "examples", tmp_path / "examples")
    venv = tmp_path / ".venv"
    venv.symlink_to(Path(sys.prefix), target_is_directory=True)  # the session's relative .venv/bin/activate
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if not p.startswith(sys.prefix))
    env["PYTHONUNBUFFERED"] = "1"  # stdout and stderr in the order written, as on a terminal
    steps = _session()
    assert steps[0][0] == "source .venv/bin/activate"
    for command, expected, status in steps[1:]:
        done = subprocess.run(["bash", "-c", f"source .venv/bin/activate && {command} 2>&1"], cwd=tmp_path, env=env,
                              capture_output=True, text=True, encoding="utf-8", timeout=300)
        assert done.returncode == status, (command, done.stdout)
        actual = done.stdout.splitlines()
        position = 0
        for line in expected:  # every line shown, in order (the elided ones may come between)
            assert line in actual[position:], (command, line, done.stdout)
            position = actual.index(line, position) + 1
