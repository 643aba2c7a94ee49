"""Shared data of the portal's tests (imported by conftest.py and the test modules)."""
from __future__ import annotations

import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CON_ERRORES = EXAMPLES / "errores" / "2023-cdi-T2-con-errores.xlsx"  # ramo 59
CORREGIDO = EXAMPLES / "2023-cdi-T2.xlsx"  # ramo 59
TURISMO = EXAMPLES / "2024-turismo-T1.xlsx"  # ramo 58
PASSWORD = "una-clave-larga-2024"
ROLES = ("c58", "c59", "teso", "admin", "sinramo")


def upload(user, path: Path, ramo: str | None = None):
    """A version made the way the upload view makes it (receive_upload), for tests of other pages."""
    from poa_xlsx.web.entregas.servicio import receive_upload

    data = path.read_bytes()
    return receive_upload(user, ramo or user.perfil.ramo, path.name, [data], len(data))


def copy_example(path: Path, folder: Path, name: str | None = None) -> Path:
    target = folder / (name or path.name)
    shutil.copy(path, target)
    return target
