"""The installed package works on its own: console script, templates and fonts.

The rest of the suite imports the working tree; this test runs the
``poa-render`` that ``pip install .`` put next to the interpreter, from a
folder outside the repository, so package data missing from setup.cfg
(templates, fonts) would fail here.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("poa-render")


@pytest.fixture
def installed() -> Path:
    if not SCRIPT.exists():
        if os.environ.get("CI"):
            pytest.fail("poa-render is not installed next to the interpreter (README's test command installs it)")
        pytest.skip("poa-render is not installed in this environment")
    return SCRIPT


def test_installed_package_is_not_the_working_tree(installed, tmp_path):
    code = "import poa_xlsx, poa_xlsx.layout.textos as t; print(poa_xlsx.__file__); print(t.shipped_templates_dir())"
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, check=True,
                         env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"}).stdout.splitlines()
    # the venv may live inside the checkout (.venv/): compare with the working tree's package itself
    assert Path(out[0]).resolve().parent != (ROOT / "poa_xlsx").resolve(), "the test must exercise the installed copy"
    assert "site-packages" in out[0]
    assert (Path(out[1]) / "observaciones.txt.j2").is_file()
    assert (Path(out[0]).parent / "fonts" / "DejaVuSans.ttf").is_file()


def test_installed_command_writes_the_report(installed, tmp_path):
    book = tmp_path / "2024-turismo-T1.xlsx"
    shutil.copy(ROOT / "examples" / "2024-turismo-T1.xlsx", book)
    result = subprocess.run([str(installed), book.name, "-o", "salida"], cwd=tmp_path, capture_output=True, text=True,
                            env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"}, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for ext in ("xlsx", "pdf"):
        target = tmp_path / "salida" / f"2024-turismo-T1_TMM-F004.{ext}"
        assert target.stat().st_size > 1000
        assert str(Path("salida") / target.name) in result.stdout


def test_help_is_spanish(installed, tmp_path):
    result = subprocess.run([str(installed), "--help"], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert result.stdout.startswith("Uso: poa-render")
    assert "validar" in result.stdout and "plantilla" in result.stdout


def test_every_package_is_declared_in_setup_cfg():
    """setup.cfg lists packages one by one (templates/ is mapped into the package),
    so a new folder of code must be added there or `pip install .` leaves it out."""
    import configparser

    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "setup.cfg", encoding="utf-8")
    declared = set(cfg["options"]["packages"].split())
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "poa_xlsx").rglob("__init__.py")}
    assert on_disk - declared == set()


def test_installed_portal_serves_its_pages(installed, tmp_path):
    """The portal's templates, static files and migrations are in the installed package."""
    import re
    import urllib.request

    pytest.importorskip("django")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith(("POA_", "DJANGO_"))}
    server = subprocess.Popen([str(installed), "servir", "--carpeta", "portal", "--puerto", "0"], cwd=tmp_path, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        lines = []
        for line in server.stdout:
            lines.append(line)
            if "Portal POA en" in line or "Error" in line:
                break
        match = re.search(r"(http://\S+)", "".join(lines))
        assert match, "".join(lines)
        html = urllib.request.urlopen(match.group(1), timeout=30).read().decode()
        assert 'name="username"' in html and "Entrar al portal POA" in html
        css = urllib.request.urlopen(match.group(1) + "static/poa/portal.css", timeout=30).read()
        assert b":focus-visible" in css
        assert (tmp_path / "portal" / "portal.sqlite3").is_file()
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_source_tree_finds_its_templates_without_the_installed_package(monkeypatch):
    """From a checkout whose package is not installed (or installed elsewhere), the
    templates are ROOT/templates, not a folder beside or above it."""
    from poa_xlsx.layout import textos

    def missing(name):
        raise ModuleNotFoundError(name)

    monkeypatch.setattr(textos.resources, "files", missing)
    assert Path(textos.shipped_templates_dir()) == ROOT / "templates"
    assert (ROOT / "templates" / "observaciones.txt.j2").is_file()
