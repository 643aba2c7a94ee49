"""Load on the portal at the deadline: N uploads of the 10-unit workbook from C concurrent clients.

Starts `poa-render servir` (this tree's code) on a free port of 127.0.0.1 with
SQLite in a temporary folder, or with PostgreSQL in a new database of the
cluster given by --postgres URL (or POA_TEST_POSTGRES); creates one capturista
per client; each client signs in and uploads the workbook again and again,
following the redirect to the result page, until N uploads are done. Prints
errors and latency (upload + result page) as a Markdown table row.

    python benchmarks/portal.py                       # SQLite, 200 uploads, 20 clients
    python benchmarks/portal.py --postgres postgres://poa:...@127.0.0.1:5432/postgres
    python benchmarks/portal.py --subidas 20 --clientes 4    # a quick look
"""
from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
PASSWORD = "clave-de-prueba-2024"


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POA_", "DJANGO_"))}
    env.update(PYTHONPATH=str(ROOT), **extra)
    return env


class Client:
    """One person's browser: a session cookie, the CSRF token, uploads."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def get(self, path: str) -> tuple[int, str, str]:
        with self.opener.open(self.base + path, timeout=120) as r:
            return r.status, r.geturl(), r.read().decode()

    def sign_in(self, user: str) -> None:
        self.get("/")
        data = urllib.parse.urlencode({"username": user, "password": PASSWORD, "csrfmiddlewaretoken": self._csrf()}).encode()
        req = urllib.request.Request(self.base + "/entrar/", data=data, headers={"Referer": self.base + "/"})
        with self.opener.open(req, timeout=120) as r:
            r.read()
            if "/ramos/" not in r.geturl():
                raise RuntimeError(f"no entró: {r.geturl()}")

    def upload(self, ramo: str, name: str, content: bytes) -> tuple[int, str]:
        boundary = uuid.uuid4().hex
        body = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\"\r\n\r\n{self._csrf()}\r\n"
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"archivo\"; filename=\"{name}\"\r\n"
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        req = urllib.request.Request(
            f"{self.base}/ramos/{ramo}/subir/", data=body,
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": self.base + f"/ramos/{ramo}/"},
        )
        with self.opener.open(req, timeout=300) as r:  # follows the redirect to the result page
            return r.status, r.read().decode()


def _new_postgres_db(url: str) -> tuple[str, str, str]:
    import psycopg
    from psycopg import sql

    name = f"poa_bench_{secrets.token_hex(4)}"
    admin = re.sub(r"^postgres(ql)?://", "postgresql://", url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return re.sub(r"/[^/?]*(\?.*)?$", f"/{name}", url), admin, name


def _drop_postgres_db(admin: str, name: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def run(subidas: int, clientes: int, postgres: str | None, hilos: int) -> dict[str, object]:
    from make_workbook import make_workbook

    work = Path(tempfile.mkdtemp(prefix="poa-bench-portal-"))
    book = make_workbook(work / "ramo-10-unidades.xlsx", 10, 10)
    content = book.read_bytes()
    extra: dict[str, str] = {}
    dropper = None
    if postgres:
        db_url, admin, name = _new_postgres_db(postgres)
        extra["POA_BASE_DE_DATOS"] = db_url
        dropper = (admin, name)
    env = _env(extra)
    carpeta = str(work / "portal")
    py = [sys.executable, "-m", "poa_xlsx.cli"]
    for n in range(clientes):
        subprocess.run([*py, "usuarios", "crear", f"cap{n}", "--ramo", "1", "--carpeta", carpeta],
                       input=PASSWORD + "\n", env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    server = subprocess.Popen([*py, "servir", "--carpeta", carpeta, "--puerto", "0", "--hilos", str(hilos)],
                              env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = None
    for line in server.stdout:  # type: ignore[union-attr]
        m = re.search(r"Portal POA en (http://\S+)/", line)
        if m:
            base = m.group(1)
            break
    if base is None:
        server.kill()
        raise SystemExit("el servidor no arrancó")
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()  # type: ignore[union-attr]

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    remaining = [subidas]

    def client(n: int) -> None:
        c = Client(base)
        try:
            c.sign_in(f"cap{n}")
        except Exception as exc:  # counted, never raised: the run goes on
            with lock:
                errors.append(f"entrar: {exc}")
            return
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            start = time.perf_counter()
            try:
                status, html = c.upload("1", book.name, content)
                ok = status == 200 and "el reporte está listo" in html
                why = "" if ok else f"estado {status}, sin el reporte"
            except (urllib.error.URLError, OSError) as exc:
                ok, why = False, str(exc)
            elapsed = time.perf_counter() - start
            with lock:
                latencies.append(elapsed)
                if not ok:
                    errors.append(why)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clientes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    total = time.perf_counter() - started
    server.terminate()
    server.wait(timeout=30)
    if dropper:
        _drop_postgres_db(*dropper)
    latencies.sort()
    q = statistics.quantiles(latencies, n=100) if len(latencies) >= 2 else latencies * 99
    return {
        "base": "PostgreSQL" if postgres else "SQLite",
        "subidas": len(latencies),
        "clientes": clientes,
        "errores": len(errors),
        "p50": statistics.median(latencies),
        "p95": q[94],
        "max": latencies[-1],
        "total": total,
        "muestras_error": errors[:3],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subidas", type=int, default=200)
    parser.add_argument("--clientes", type=int, default=20)
    parser.add_argument("--hilos", type=int, default=8, help="threads of the server (servir --hilos)")
    parser.add_argument("--postgres", default=None, help="a PostgreSQL URL (a new database is created there and dropped)")
    parser.add_argument("--solo", choices=["sqlite", "postgres"], help="run only one database")
    parser.add_argument("--sin-secuencial", action="store_true", help="skip the 1-client row (the cost of one upload alone)")
    args = parser.parse_args(argv)
    pg = args.postgres or os.environ.get("POA_TEST_POSTGRES")
    bases = []
    if args.solo != "postgres":
        bases.append(None)
    if args.solo != "sqlite":
        if pg:
            bases.append(pg)
        else:
            print("(sin --postgres ni POA_TEST_POSTGRES: solo SQLite)", file=sys.stderr)
    from run import cpu_reference

    ref_before, load_before = cpu_reference(), os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} núcleos; libro de 10 unidades × 10 metas; "
          f"latencia = subir + página de resultado; servidor con {args.hilos} hilos y un proceso de revisión por núcleo.\n")
    print("| base de datos | subidas | clientes a la vez | errores | p50 | p95 | máx | total |")
    print("|---|---|---|---|---|---|---|---|")
    worst = 0
    cases = [(url, args.subidas, args.clientes) for url in bases]
    if not args.sin_secuencial:
        cases = [(url, 20, 1) for url in bases] + cases
    for url, subidas, clientes in cases:
        r = run(subidas, clientes, url, args.hilos)
        print(f"| {r['base']} | {r['subidas']} | {r['clientes']} | {r['errores']} | {r['p50']:.2f} s | {r['p95']:.2f} s | "
              f"{r['max']:.2f} s | {r['total']:.1f} s |", flush=True)
        if r["errores"]:
            print(f"  errores, por ejemplo: {r['muestras_error']}", file=sys.stderr)
            worst = 1
    ref_after, load_after = cpu_reference(), os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"\nReferencia de CPU (bucle fijo de Python, benchmarks/run.py): {ref_before:.2f} s antes y {ref_after:.2f} s después; "
          f"carga de la máquina (load average, 1 min): {load_before:.1f} antes y {load_after:.1f} después.")
    return worst


if __name__ == "__main__":
    raise SystemExit(main())
