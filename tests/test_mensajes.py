"""docs/mensajes.md lists every code the tool can emit (issue #11), and the code can emit no other."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from poa_xlsx.problems import ADVERTENCIAS, CODES, LIBRO_CODES, LibroError, Problem, Severidad

ROOT = Path(__file__).resolve().parent.parent
CODE = re.compile(r"[a-z]+(?:-[a-z0-9.]+)+")
# calls whose string arguments are problem codes
EMITTERS = {"error", "advertencia", "Problem", "LibroError", "_fail", "ValueProblemError"}


def _emitted() -> dict[str, str]:
    """code -> file, for every code literal passed to a problem or workbook error in the package."""
    found: dict[str, str] = {}
    for path in sorted((ROOT / "poa_xlsx").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in EMITTERS:
                continue
            for arg in [*node.args, *(k.value for k in node.keywords if k.arg == "code")]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and CODE.fullmatch(arg.value):
                    found.setdefault(arg.value, str(path.relative_to(ROOT)))
    return found


def test_every_code_the_package_emits_is_registered() -> None:
    emitted = _emitted()
    assert {"numero-invalido", "archivo-danado", "xml-peligroso", "trimestre-sin-capturar"} <= emitted.keys()
    unknown = {code: where for code, where in emitted.items() if code not in CODES and code not in LIBRO_CODES}
    assert unknown == {}


def test_every_registered_code_is_in_the_catalogue() -> None:
    text = (ROOT / "docs" / "mensajes.md").read_text(encoding="utf-8")
    missing = [code for code in [*LIBRO_CODES, *CODES] if f"`{code}`" not in text]
    assert missing == [], f"add them: python tests/corpus.py --transcript docs/mensajes.md ({missing})"


def test_catalogue_says_each_codes_severity() -> None:
    text = (ROOT / "docs" / "mensajes.md").read_text(encoding="utf-8")
    for code in CODES:
        severity = "advertencia" if code in ADVERTENCIAS else "error"
        assert f"| `{code}` | {severity} |" in text, code


def test_unregistered_codes_are_refused_where_they_are_made() -> None:
    with pytest.raises(ValueError):
        LibroError("x.xlsx", "mensaje", "codigo-inventado")
    with pytest.raises(ValueError):
        Problem("codigo-inventado", Severidad.ERROR, None, "mensaje")  # type: ignore[arg-type]
    assert not (set(CODES) & set(LIBRO_CODES))
