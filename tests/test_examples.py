"""The example workbooks give exactly the figures in examples/expected_figures.json."""
from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from poa_xlsx.acciones import check_workbook

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
EXPECTED = json.loads((EXAMPLES / "expected_figures.json").read_text(encoding="utf-8"))


def test_every_example_workbook_has_expected_figures(examples_dir):
    assert sorted(p.name for p in examples_dir.glob("*.xlsx")) == sorted(EXPECTED)
    assert len(EXPECTED) == 3


@pytest.fixture(scope="module")
def revisions():
    return {name: check_workbook(str(EXAMPLES / name)) for name in EXPECTED}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_has_no_errors(revisions, name):
    revision = revisions[name]
    assert revision.errores == [], [str(p) for p in revision.errores]
    assert revision.informe is not None


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_figures(revisions, name):
    informe = revisions[name].informe
    expected = EXPECTED[name]
    got = {
        u.unidad.sheet: {
            m.meta.numero: {"avance_absoluto": m.cifras.avance_absoluto, "acumulado_relativo": m.cifras.porcentaje_texto}
            for m in u.metas
        }
        for u in informe.unidades
    }
    # same units in the same (sheet) order, same goals
    assert list(got) == list(expected)
    for sheet, goals in expected.items():
        assert sorted(got[sheet]) == sorted(goals), sheet
        for numero, figures in goals.items():
            where = f"{name} / {sheet} / {numero}"
            assert got[sheet][numero]["avance_absoluto"] == Decimal(figures["avance_absoluto"]), where
            assert got[sheet][numero]["acumulado_relativo"] == figures["acumulado_relativo"], where
