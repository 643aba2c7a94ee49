"""Shared fixtures; the working tree (not an installed copy) is what gets tested."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"

# repo root first, so `import poa_xlsx` finds the working tree; tests/ for `builders`
for _path in (str(TESTS), str(ROOT)):
    while _path in sys.path:
        sys.path.remove(_path)
    sys.path.insert(0, _path)
for _name in [m for m in sys.modules if m == "poa_xlsx" or m.startswith("poa_xlsx.")]:
    if not str(getattr(sys.modules[_name], "__file__", "") or "").startswith(str(ROOT)):
        del sys.modules[_name]

import builders  # noqa: E402
import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

import poa_xlsx  # noqa: E402

assert Path(poa_xlsx.__file__).resolve().is_relative_to(ROOT / "poa_xlsx"), poa_xlsx.__file__

settings.register_profile(
    "poa",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.load_profile("poa")


@pytest.fixture
def make_workbook(tmp_path):
    """Factory: ``make_workbook(general=..., units=[Unit(...)], name="libro.xlsx")`` -> path.

    Same arguments as :func:`builders.build_workbook`; each call writes a new
    file in the test's temporary folder.
    """
    counter = iter(range(1, 10_000))

    def make(*, name: str | None = None, **kwargs) -> Path:
        return builders.build_workbook(tmp_path / (name or f"libro{next(counter)}.xlsx"), **kwargs)

    return make


@pytest.fixture
def run():
    """Invoke ``poa-render`` in process: ``run("validar", path)`` -> click Result.

    click >= 8.2 keeps stderr apart from stdout (result.stdout / result.stderr).
    Every call also checks the promise that nothing ends in a traceback.
    """
    from click.testing import CliRunner

    from poa_xlsx.cli import cli

    def invoke(*args):
        result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
        assert "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
        return result

    return invoke


@pytest.fixture(scope="session")
def examples_dir() -> Path:
    return ROOT / "examples"



def pytest_configure(config):
    """The portal's tests (tests/web/): Django settings for the whole session.

    SQLite always; a real PostgreSQL when POA_TEST_POSTGRES holds its URL (pytest-django
    creates and drops a test database there). Runs before pytest-django's own configure.
    """
    import os
    import tempfile

    try:
        import django  # noqa: F401
    except ImportError:  # the portal's extra is not installed: tests/web/ skip themselves
        return
    os.environ["POA_CARPETA"] = tempfile.mkdtemp(prefix="poa-portal-pruebas-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "poa_xlsx.web.settings"
    if os.environ.get("POA_TEST_POSTGRES"):
        os.environ["POA_BASE_DE_DATOS"] = os.environ["POA_TEST_POSTGRES"]
    else:
        os.environ.pop("POA_BASE_DE_DATOS", None)
    from django.conf import settings

    settings.DATABASES  # noqa: B018  (loads the settings now, so pytest-django sets Django up)
