"""Fixtures of the portal's tests: a portal folder per test, one user per role, uploads."""
from __future__ import annotations

import pytest

pytest.importorskip("django", reason="the portal's extra is not installed: pip install '.[web]'")

from portal_helpers import CON_ERRORES, CORREGIDO, PASSWORD, TURISMO, upload  # noqa: E402


@pytest.fixture(autouse=True)
def carpeta(settings, tmp_path):
    """Each test gets its own portal folder (uploads and reports go there)."""
    folder = tmp_path / "portal"
    folder.mkdir()
    settings.POA_CARPETA = str(folder)
    # a quick hasher: the tests create accounts all the time (real ones use PBKDF2)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return folder


@pytest.fixture
def usuarios(db):
    """One account per role: capturistas of ramos 58 and 59, Tesorería, an administrator,
    and a capturista whose account has no ramo yet."""
    from poa_xlsx.web.cuentas.cuentas import create_user
    from poa_xlsx.web.cuentas.models import Perfil

    made = {
        "c58": create_user("ana58", PASSWORD, rol="capturista", ramo="58"),
        "c59": create_user("beto59", PASSWORD, rol="capturista", ramo="059"),
        "teso": create_user("tesoreria", PASSWORD, rol="tesoreria"),
        "admin": create_user("admin", PASSWORD, rol="administrador"),
    }
    sin = create_user("sinramo", PASSWORD, rol="tesoreria")
    Perfil.objects.filter(usuario=sin).update(rol="capturista", ramo="")
    made["sinramo"] = type(sin).objects.get(pk=sin.pk)
    return made


@pytest.fixture
def as_user(client, usuarios):
    """``as_user("c59")`` -> the test client signed in as that user."""

    def sign_in(key: str):
        client.force_login(usuarios[key])
        return client

    return sign_in


@pytest.fixture
def versiones(usuarios):
    """A broken and a fixed upload of ramo 59, and one of ramo 58."""
    return {
        "rota59": upload(usuarios["c59"], CON_ERRORES),
        "buena59": upload(usuarios["c59"], CORREGIDO),
        "buena58": upload(usuarios["c58"], TURISMO),
    }


@pytest.fixture
def periodo(db, monkeypatch):
    """The period 2023 T2 (deadline 10/07/2023) with ramos 58 and 59 expected; the portal's
    today is 01/07/2023."""
    import datetime as dt

    from poa_xlsx.web.entregas import servicio
    from poa_xlsx.web.periodos.models import Ramo
    from poa_xlsx.web.periodos.servicio import open_period

    monkeypatch.setattr(servicio, "today", lambda: dt.date(2023, 7, 1))
    Ramo.objects.create(clave="59", nombre="CDI")
    Ramo.objects.create(clave="58", nombre="Turismo")
    return open_period(2023, 2, dt.date(2023, 7, 10))
