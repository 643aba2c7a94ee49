"""The portal's commands in new processes: `usuarios crear/lista/desactivar` and `servir`."""
from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import urllib.request

import pytest
from portal_helpers import PASSWORD, ROOT


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POA_", "DJANGO_"))}
    env.update(PYTHONPATH=str(ROOT), **extra)
    return env


def poa(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "poa_xlsx.cli", *args], input=stdin, env=env or _env(), cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_help_does_not_load_django():
    code = ("import sys; from poa_xlsx.cli import cli\n"
            "try:\n    cli(['--help'], prog_name='poa-render')\nexcept SystemExit: pass\n"
            "assert 'django' not in sys.modules, 'django imported'; print('ok')")
    result = subprocess.run([sys.executable, "-c", code], env=_env(), cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip().endswith("ok"), result.stderr
    assert "servir" in result.stdout and "usuarios" in result.stdout


def test_usuarios_crear_lista_desactivar(tmp_path):
    carpeta = str(tmp_path / "portal")
    made = poa("usuarios", "crear", "ana", "--ramo", "058", "--correo", "ana@example.org", "--carpeta", carpeta, stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    assert made.stdout.strip() == f"Cuenta creada: ana (Capturista, ramo 58) en {carpeta}."
    assert poa("usuarios", "crear", "teso", "--rol", "tesoreria", "--carpeta", carpeta, stdin=PASSWORD + "\n").returncode == 0

    again = poa("usuarios", "crear", "ana", "--ramo", "58", "--carpeta", carpeta, stdin=PASSWORD + "\n")
    assert again.returncode == 1 and "Ya existe el usuario «ana»" in again.stderr
    sin_ramo = poa("usuarios", "crear", "luis", "--carpeta", carpeta, stdin=PASSWORD + "\n")
    assert sin_ramo.returncode == 1 and "--ramo" in sin_ramo.stderr
    corta = poa("usuarios", "crear", "luis", "--ramo", "1", "--carpeta", carpeta, stdin="abc\n")
    assert corta.returncode == 1 and "La contraseña no sirve" in corta.stderr
    vacia = poa("usuarios", "crear", "luis", "--ramo", "1", "--carpeta", carpeta, stdin="")
    assert vacia.returncode == 2 and "contraseña" in vacia.stderr

    lista = poa("usuarios", "lista", "--carpeta", carpeta)
    lines = lista.stdout.splitlines()
    assert re.match(r"ana\s+capturista\s+58\s+sí\s+nunca\s+ana@example.org", lines[1])
    assert re.match(r"teso\s+tesoreria\s+—\s+sí", lines[2])

    off = poa("usuarios", "desactivar", "ana", "--carpeta", carpeta)
    assert off.returncode == 0 and "Cuenta desactivada: ana" in off.stdout
    assert re.match(r"ana\s+capturista\s+58\s+no", poa("usuarios", "lista", "--carpeta", carpeta).stdout.splitlines()[1])
    missing = poa("usuarios", "desactivar", "nadie", "--carpeta", carpeta)
    assert missing.returncode == 1 and "No existe el usuario «nadie»" in missing.stderr
    for result in (made, again, sin_ramo, corta, lista, off, missing):
        assert "Traceback" not in result.stderr


def _start(carpeta: str, env: dict[str, str], *extra: str) -> tuple[subprocess.Popen[str], list[str]]:
    server = subprocess.Popen([sys.executable, "-m", "poa_xlsx.cli", "servir", "--carpeta", carpeta, *extra],
                              env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    for line in server.stdout:  # type: ignore[union-attr]
        lines.append(line)
        if "Portal POA en" in line or "Error" in line:
            break
    return server, lines


def test_servir_first_start_creates_folder_database_and_says_what_next(tmp_path):
    carpeta = tmp_path / "nuevo" / "portal"
    server, lines = _start(str(carpeta), _env(), "--puerto", "0")
    try:
        out = "".join(lines)
        url = re.search(r"Portal POA en (http://127\.0\.0\.1:\d+/)", out)
        assert url, out
        assert f"Carpeta del portal: {carpeta}" in out and "SQLite" in out
        more = server.stdout.readline() + server.stdout.readline()  # type: ignore[union-attr]
        assert "Todavía no hay cuentas" in more and "poa-render usuarios crear admin --rol administrador" in more
        html = urllib.request.urlopen(url.group(1), timeout=30).read().decode()
        assert 'name="username"' in html and 'name="password"' in html
        with sqlite3.connect(carpeta / "portal.sqlite3") as db:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert (carpeta / "secreto.txt").stat().st_mode & 0o077 == 0
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_servir_says_when_the_port_is_taken(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = poa("servir", "--carpeta", str(tmp_path / "p"), "--puerto", str(port))
    assert result.returncode == 1
    assert f"No se pudo escuchar en 127.0.0.1:{port}" in result.stderr and "Traceback" not in result.stderr


def test_servir_with_a_wrong_database_url_says_so(tmp_path):
    result = poa("servir", "--carpeta", str(tmp_path / "p"), "--puerto", "0", env=_env(POA_BASE_DE_DATOS="mysql://x@y/z"))
    assert result.returncode == 1
    assert "POA_BASE_DE_DATOS debe ser una dirección postgres://" in result.stderr and "Traceback" not in result.stderr


def test_servir_with_an_unreachable_postgres_says_so(tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens there once closed
    result = poa("servir", "--carpeta", str(tmp_path / "p"), "--puerto", "0",
                 env=_env(POA_BASE_DE_DATOS=f"postgres://poa:x@127.0.0.1:{port}/poa"))
    assert result.returncode == 1
    assert "No se pudo usar la base de datos (PostgreSQL" in result.stderr and "Traceback" not in result.stderr


def test_tests_run_on_the_database_asked_for(db):
    from django.db import connection

    expected = "postgresql" if os.environ.get("POA_TEST_POSTGRES") else "sqlite"
    assert connection.vendor == expected


def test_usuarios_on_postgres(tmp_path):
    url = os.environ.get("POA_TEST_POSTGRES")
    if not url:
        if os.environ.get("CI"):  # .ci/run starts a PostgreSQL and exports its URL
            pytest.fail("POA_TEST_POSTGRES no está definido en CI (.ci/run lo define)")
        pytest.skip("POA_TEST_POSTGRES no está definido")
    import secrets

    import psycopg
    from psycopg import sql

    name = f"poa_cmd_{secrets.token_hex(4)}"
    admin_url = re.sub(r"^postgres(ql)?://", "postgresql://", url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        env = _env(POA_BASE_DE_DATOS=re.sub(r"/[^/?]*(\?.*)?$", f"/{name}", url))
        made = poa("usuarios", "crear", "ana", "--ramo", "58", "--carpeta", str(tmp_path / "p"), stdin=PASSWORD + "\n", env=env)
        assert made.returncode == 0, made.stderr
        assert "ana" in poa("usuarios", "lista", "--carpeta", str(tmp_path / "p"), env=env).stdout
        assert not (tmp_path / "p" / "portal.sqlite3").exists()
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _children(pid: int) -> set[int]:
    """Every process whose parent is ``pid`` (Linux /proc)."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry))
    return found


def _alive(pids: set[int]) -> set[int]:
    return {p for p in pids if os.path.exists(f"/proc/{p}")}


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
@pytest.mark.parametrize("how", ["terminate", "kill"])
def test_servir_leaves_no_worker_processes_behind(tmp_path, how):
    """Stopped (SIGTERM) it shuts its workers down; killed (SIGKILL) they notice and exit."""
    import time

    from portal_helpers import CORREGIDO

    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from portal import PASSWORD as BENCH_PASSWORD
        from portal import Client  # the benchmark's little HTTP client
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    carpeta = str(tmp_path / "p")
    assert poa("usuarios", "crear", "beto", "--ramo", "59", "--carpeta", carpeta, stdin=BENCH_PASSWORD + "\n").returncode == 0
    server, lines = _start(carpeta, _env(), "--puerto", "0")
    url = re.search(r"(http://\S+)", "".join(lines)).group(1)  # type: ignore[union-attr]
    try:
        client = Client(url.rstrip("/"))
        client.sign_in("beto")
        status, html = client.upload("59", CORREGIDO.name, CORREGIDO.read_bytes())
        assert status == 200 and "el reporte está listo" in html
    except BaseException:
        server.kill()
        raise
    workers = _children(server.pid)
    assert workers, "the upload was checked in a worker process"
    server.terminate() if how == "terminate" else server.kill()
    server.wait(timeout=30)
    deadline = time.monotonic() + 30
    while _alive(workers) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not _alive(workers)
