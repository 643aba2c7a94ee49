"""The README's Python examples run as written (in a folder with ramo.xlsx and otro.xlsx)."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _examples() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Uso desde Python"):]
    section = section[: section.index("\n## ", 5)]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_readme_has_an_example_of_each_workflow():
    code = "\n".join(_examples())
    for name in ("check_workbook", "report_workbook", "write_open_data", "write_summary", "write_template",
                 "write_next_quarter", "compose_email", "save_draft"):
        assert name in code, name


@pytest.mark.parametrize("index", range(len(_examples())))
def test_readme_python_example_runs(index, tmp_path, monkeypatch, capsys):
    shutil.copy(ROOT / "examples" / "2024-turismo-T1.xlsx", tmp_path / "ramo.xlsx")
    shutil.copy(ROOT / "examples" / "2023-cdi-T2.xlsx", tmp_path / "otro.xlsx")
    (tmp_path / "salida").mkdir()
    monkeypatch.chdir(tmp_path)
    exec(compile(_examples()[index], f"README.md example {index + 1}", "exec"), {})
    out = capsys.readouterr().out
    assert out.strip(), "each example prints what it made"
    if "report_workbook" in _examples()[index]:
        assert "salida/ramo_TMM-F004.pdf" in out and (tmp_path / "salida" / "datos.csv").stat().st_size > 100
    if "save_draft" in _examples()[index]:
        eml = (tmp_path / "salida" / "correo.eml").read_bytes()
        assert b"To: tesoreria@example.org" in eml and b"ramo_TMM-F004.pdf" in eml
    if "write_next_quarter" in _examples()[index]:
        assert out.split() == ["captura.xlsx", "2"]
