"""The figures table of a submission is the library's, and the same workbook is not checked twice."""
from __future__ import annotations

import shutil
from pathlib import Path

from poa_xlsx import acciones
from poa_xlsx.web.entregas.cifras import figures_table

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "2024-turismo-T1.xlsx"


def test_the_table_is_checked_once_per_stored_file(tmp_path, monkeypatch):
    original = tmp_path / "libro.xlsx"
    shutil.copyfile(EXAMPLE, original)
    calls = []
    real = acciones.check_workbook

    def counting(path, **kwargs):
        calls.append(path)
        return real(path, **kwargs)

    monkeypatch.setattr(acciones, "check_workbook", counting)
    first = figures_table(str(original))
    assert first and len(calls) == 1
    first[0]["filas"].clear()  # what a caller does with its copy does not reach the next one
    second = figures_table(str(original))
    assert len(calls) == 1 and second[0]["filas"]
    expected = real(str(original)).informe
    assert [t["hoja"] for t in second] == [u.unidad.sheet for u in expected.unidades]
    assert sum(len(t["filas"]) for t in second) == sum(len(u.metas) for u in expected.unidades)
    # another file at the same path (another size and time) is checked again
    shutil.copyfile(Path(__file__).resolve().parents[2] / "examples" / "2023-cdi-T2.xlsx", original)
    third = figures_table(str(original))
    assert len(calls) == 2 and [t["hoja"] for t in third] != [t["hoja"] for t in second]
    assert figures_table(str(tmp_path / "no-existe.xlsx")) == []
