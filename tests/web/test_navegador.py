"""End to end in a real browser: `poa-render servir` (waitress), Debian's chromium via Playwright.

A person signs in, uploads the broken example, reads its located problems,
downloads the marked workbook, uploads the fixed example (dragging it onto the
page), sees the report and downloads the PDF, which is the CLI's very report.
On SQLite, and on PostgreSQL when POA_TEST_POSTGRES is set. With
POA_CAPTURAS=1 the screenshots are saved to docs/img/ (the docs show them).
"""
from __future__ import annotations

import base64
import os
import re
import secrets
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import openpyxl
import pytest
from portal_helpers import CON_ERRORES, CORREGIDO, PASSWORD, ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
DATABASES = ["sqlite", "postgres"]


def _need(condition: bool, why: str) -> None:
    if not condition:
        if os.environ.get("CI"):
            pytest.fail(why)
        pytest.skip(why)


def _env(extra: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("POA_", "DJANGO_"))}
    env.update(PYTHONPATH=str(ROOT), **extra)
    return env


def poa(args: list[str], env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The working tree's poa-render in a new process."""
    return subprocess.run([sys.executable, "-m", "poa_xlsx.cli", *args], input=stdin, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=180)


@pytest.fixture
def database(request, tmp_path):
    """{} for SQLite in the portal folder, or POA_BASE_DE_DATOS for a new PostgreSQL database."""
    if request.param == "sqlite":
        yield {}
        return
    url = os.environ.get("POA_TEST_POSTGRES")
    if not url:
        if os.environ.get("CI"):  # .ci/run starts a PostgreSQL and exports its URL
            pytest.fail("POA_TEST_POSTGRES no está definido en CI (.ci/run lo define)")
        pytest.skip("POA_TEST_POSTGRES no está definido: la prueba en PostgreSQL se omite")
    import psycopg
    from psycopg import sql

    name = f"poa_e2e_{secrets.token_hex(4)}"
    admin_url = re.sub(r"^postgres(ql)?://", "postgresql://", url)
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield {"POA_BASE_DE_DATOS": re.sub(r"/[^/?]*(\?.*)?$", f"/{name}", url)}
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def _serve(carpeta, env):
    """Start `poa-render servir` on a free port; (process, url, log lines)."""
    server = subprocess.Popen([sys.executable, "-m", "poa_xlsx.cli", "servir", "--carpeta", str(carpeta), "--puerto", "0"],
                              env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    url = None
    for line in server.stdout:  # type: ignore[union-attr]
        lines.append(line)
        match = re.search(r"Portal POA en (http://\S+)", line)
        if match:
            url = match.group(1)
            break
    if not url:
        server.kill()
        raise AssertionError("".join(lines))
    threading.Thread(target=lambda: [lines.append(x) for x in server.stdout], daemon=True).start()  # type: ignore[union-attr]
    return server, url, lines


def _stop(server) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


@pytest.fixture
def portal(tmp_path, database):
    """A running `poa-render servir` on a free port, with one capturista of ramo 59."""
    carpeta = tmp_path / "portal"
    env = _env({**database})
    made = poa(["usuarios", "crear", "beto", "--ramo", "59", "--carpeta", str(carpeta)], env, stdin=PASSWORD + "\n")
    assert made.returncode == 0, made.stderr
    server, url, lines = _serve(carpeta, env)
    try:
        yield {"url": url, "carpeta": carpeta, "env": env, "log": lines}
    finally:
        _stop(server)


@pytest.fixture
def browser():
    _need(os.path.exists(CHROMIUM), "chromium no está instalado (apt-get install chromium)")
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


def _screenshot(page, tmp_path: Path, name: str, part: str | None = None) -> Path:
    """The visible page, or only the element ``part`` (a CSS selector) when given."""
    target = (ROOT / "docs" / "img" / name) if os.environ.get("POA_CAPTURAS") == "1" else tmp_path / name
    if part:
        page.locator(part).screenshot(path=str(target))
    else:
        page.screenshot(path=str(target), full_page=False)
    assert target.read_bytes().startswith(b"\x89PNG")
    return target


def _drop_file(page, path: Path) -> None:
    """Drag a file onto the upload zone as a person would (dispatching the browser's drop event)."""
    data = base64.b64encode(path.read_bytes()).decode()
    page.evaluate(
        """([name, data]) => {
            const bytes = Uint8Array.from(atob(data), c => c.charCodeAt(0));
            const dt = new DataTransfer();
            dt.items.add(new File([bytes], name));
            const zona = document.querySelector('[data-zona-subida]');
            zona.dispatchEvent(new DragEvent('dragover', {dataTransfer: dt, bubbles: true, cancelable: true}));
            zona.dispatchEvent(new DragEvent('drop', {dataTransfer: dt, bubbles: true, cancelable: true}));
        }""",
        [path.name, data],
    )


@pytest.mark.parametrize("database", DATABASES, indirect=True)
def test_from_a_broken_workbook_to_the_reports_pdf(portal, browser, tmp_path, database):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="es-MX")
    page = context.new_page()
    page.set_default_timeout(60_000)

    # sign in
    page.goto(portal["url"])
    page.get_by_label("Usuario").fill("beto")
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_url(re.compile(r"/ramos/59/$"))
    assert page.get_by_role("heading", name="Ramo 59").is_visible()

    # the broken workbook: its problems, located
    page.get_by_label("Libro de captura (.xlsx o .xlsm)").set_input_files(str(CON_ERRORES))
    page.get_by_role("button", name="Subir y revisar").click()
    page.wait_for_url(re.compile(r"/versiones/\d+/$"))
    status = page.get_by_role("status")
    assert "3 errores y 1 advertencia" in status.inner_text()
    rows = page.locator("tr.fila-error, tr.fila-adv").all_inner_texts()
    assert [r.split("\t")[0].strip() for r in rows] == ["G20", "I21", "B26", "P17"]
    assert "doce" in rows[0] and "Error" in rows[0] and "Advertencia" in rows[3]
    _screenshot(page, tmp_path, "portal-problemas.png")

    # the marked workbook, with the messages as comments
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Descargar el libro marcado")).click()
    download = info.value
    assert download.suggested_filename == "2023-cdi-T2-con-errores_revision.xlsx"
    marked = tmp_path / download.suggested_filename
    download.save_as(str(marked))
    wb = openpyxl.load_workbook(marked)
    assert wb.sheetnames[0] == "PROBLEMAS"
    sheet = wb["201 Promoción Industrial"]
    assert "doce" in sheet["G20"].comment.text and "numero-negativo" in sheet["I21"].comment.text
    assert "ELABORÓ" in sheet["B26"].comment.text and "justificación" in sheet["P17"].comment.text

    # the fixed workbook, dragged onto the page
    _drop_file(page, CORREGIDO)
    page.wait_for_url(re.compile(r"/versiones/\d+/$"))
    page.get_by_text("Sin errores").first.wait_for()
    assert "el reporte está listo" in page.get_by_role("status").inner_text()
    if shutil.which("pdftoppm"):
        first = page.get_by_role("img", name="Página 1 del reporte TMM-F004")
        first.wait_for()
        page.wait_for_function("img => img.complete && img.naturalWidth > 500", arg=first.element_handle())
    _screenshot(page, tmp_path, "portal-reporte.png")

    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar el reporte en PDF").click()
    pdf = tmp_path / "portal.pdf"
    info.value.save_as(str(pdf))

    # the same report the CLI writes, byte for byte
    book = tmp_path / "cli" / CORREGIDO.name
    book.parent.mkdir()
    shutil.copy(CORREGIDO, book)
    cli = poa([str(book)], _env({}))
    assert cli.returncode == 0, cli.stderr
    assert pdf.read_bytes() == (book.parent / "2023-cdi-T2_TMM-F004.pdf").read_bytes()
    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar el reporte en Excel (XLSX)").click()
    assert info.value.suggested_filename == "2023-cdi-T2_TMM-F004.xlsx"
    xlsx = tmp_path / "portal.xlsx"
    info.value.save_as(str(xlsx))
    assert xlsx.read_bytes() == (book.parent / "2023-cdi-T2_TMM-F004.xlsx").read_bytes()

    # keyboard: the skip link is the first stop, shown when focused, and moves focus to the content
    page.reload()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Saltar al contenido"
    assert page.evaluate("document.activeElement.getBoundingClientRect().left") >= 0
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "contenido"
    context.close()
    log = "".join(portal["log"])
    assert "Traceback" not in log
    # the workbooks were checked in worker processes (servir: one per core), not in the server's threads
    assert f"libros revisados en {os.cpu_count()} procesos de trabajo" in log


def _sign_in(browser, url: str, usuario: str):
    context = browser.new_context(accept_downloads=True, viewport={"width": 1280, "height": 900}, locale="es-MX")
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(url)
    page.get_by_label("Usuario").fill(usuario)
    page.get_by_label("Contraseña").fill(PASSWORD)
    page.get_by_role("button", name="Entrar").click()
    page.wait_for_load_state()
    return page


def _sign_and_upload(page, tmp_path: Path, holders: list, name: str) -> None:
    """On a submission's page: download the report's PDF, have ``holders`` sign it in turn
    with `poa-render firmar` (in a new process, as staff do), upload the signed file."""
    from sat_pki import PASSWORD

    with page.expect_download() as info:
        page.get_by_role("link", name="Descargar el reporte en PDF").click()
    signed = tmp_path / name
    info.value.save_as(str(signed))
    for n, holder in enumerate(holders, start=1):
        target = signed.with_name(f"{signed.stem}_{n}.pdf")
        done = poa(["firmar", str(signed), "--cer", str(holder.cer), "--key", str(holder.key), "-o", str(target)], _env({}),
                   stdin=PASSWORD + "\n")
        assert done.returncode == 0, done.stderr
        signed = target
    page.get_by_label("Reporte firmado (.pdf)").set_input_files(str(signed))
    page.get_by_role("button", name="Subir el PDF firmado").click()
    page.wait_for_url(re.compile(r"/envios/\d+/#firmas$"))


def _upload_and_send(page, path: Path) -> None:
    page.get_by_label("Libro de captura (.xlsx o .xlsm)").set_input_files(str(path))
    page.get_by_role("button", name="Subir y revisar").click()
    page.wait_for_url(re.compile(r"/versiones/\d+/$"))
    page.get_by_role("button", name="Enviar a Tesorería").click()
    page.wait_for_url(re.compile(r"/envios/\d+/$"))
    assert "Estado: Enviado" in page.get_by_role("status").inner_text()


@pytest.mark.parametrize("database", DATABASES, indirect=True)
def test_a_whole_quarter(tmp_path, database, browser):
    """Two ramos send; one is returned and sends again; both approved; the consolidated PDF."""
    import datetime as dt

    import pdfplumber

    carpeta = tmp_path / "portal"
    # the holders named in the examples' signature blocks, with e.firmas of a test CA the portal trusts
    from sat_pki import TestCA

    (tmp_path / "pki").mkdir()
    ca = TestCA(tmp_path / "pki")
    raices = tmp_path / "raices"
    raices.mkdir()
    shutil.copy(ca.cer, raices / "AC_pruebas.cer")
    aaron = ca.holder("AARON ALEXIS ALVAREZ MARIN", "AAMA800101AA1", "AAMA800101HBCLRR01")
    turismo_holders = [ca.holder("NANCY PAOLA MINOR IBARRA", "MIIN850505NN2", "MIIN850505MBCNBN02"),
                       ca.holder("KAREN LIZBETH LIZARRAGA RODRIGUEZ", "LIRK900909KK3", "LIRK900909MBCZDR03"),
                       ca.holder("PATRICIA HERNANDEZ MOTA", "HEMP770707PP4", "HEMP770707MBCRTT04")]
    env = _env({**database, "POA_FIRMA_RAICES": str(raices)})
    for args in (["beto", "--ramo", "59"], ["ana", "--ramo", "58"], ["teso", "--rol", "tesoreria"]):
        made = poa(["usuarios", "crear", *args, "--carpeta", str(carpeta)], env, stdin=PASSWORD + "\n")
        assert made.returncode == 0, made.stderr
    catalogo = tmp_path / "ramos.csv"
    catalogo.write_text("clave,nombre,correo\n58,Turismo,\n59,CDI,\n", encoding="utf-8")
    assert poa(["ramos", "cargar", str(catalogo), "--carpeta", str(carpeta)], env).returncode == 0
    cierre = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert poa(["periodo", "abrir", "2024", "1", "--cierre", cierre, "--carpeta", str(carpeta)], env).returncode == 0
    # ramo 59's workbook, moved to the same quarter as ramo 58's example (its later quarter's figures are then ignored)
    cdi = tmp_path / "cdi-2024-T1.xlsx"
    wb = openpyxl.load_workbook(CORREGIDO)
    wb["GENERAL"]["B2"], wb["GENERAL"]["B3"], wb["GENERAL"]["B4"] = 2024, 1, dt.datetime(2024, 3, 31)
    wb.save(cdi)
    turismo = ROOT / "examples" / "2024-turismo-T1.xlsx"

    server, url, log = _serve(carpeta, env)
    try:
        beto, ana, teso = (_sign_in(browser, url, u) for u in ("beto", "ana", "teso"))
        _upload_and_send(beto, cdi)
        _upload_and_send(ana, turismo)
        # ramo 58's three holders sign its report in turn; the ramo uploads the signed PDF
        _sign_and_upload(ana, tmp_path, turismo_holders, "turismo.pdf")
        assert ana.locator("[data-firmas-resumen]").inner_text() == "15 de 15 firmas válidas: el reporte está firmado por completo."

        teso.goto(url + "periodos/")
        teso.get_by_role("link", name="2024 trimestre 1").click()
        assert "2 de 2 ramos enviaron." in teso.get_by_role("status").inner_text()
        assert teso.locator("td.firmas-completo").inner_text() == "Firmado: 15 de 15"
        assert teso.locator("td.firmas-sin-pdf").inner_text() == "Sin PDF firmado"
        teso.get_by_role("link", name="59", exact=True).click()
        teso.get_by_label("Qué debe corregir el ramo (obligatorio para devolver)").fill("Justifique la meta 102.")
        teso.get_by_role("button", name="Devolver al ramo").click()
        assert "Estado: Devuelto" in teso.get_by_role("status").inner_text()
        teso.get_by_role("link", name=re.compile("Periodo 2024")).click()
        teso.get_by_role("link", name="58", exact=True).click()
        teso.get_by_role("button", name="Aprobar").click()
        assert "Estado: Aprobado" in teso.get_by_role("status").inner_text()

        beto.goto(url)
        assert "Justifique la meta 102." in beto.content()
        _upload_and_send(beto, cdi)
        # only one of ramo 59's two holders has signed so far: the page says what is missing
        _sign_and_upload(beto, tmp_path, [aaron], "cdi.pdf")
        assert beto.locator("[data-firmas-resumen]").inner_text() == "8 de 9 firmas válidas; falta 1 firma."
        rows = beto.locator("table.firmas tbody tr").all_inner_texts()
        assert len(rows) == 9 and sum("✔ Válida" in r for r in rows) == 8
        assert "AARON ALEXIS ALVAREZ MARIN" in rows[0] and "AAMA800101AA1" in rows[0]
        assert "Los certificados se comprobaron contra las autoridades certificadoras" in beto.locator("#firmas").inner_text()
        assert any("Pendiente: LIC. FABIOLA LEÓN HUERTA CABRERA" in r and "Sin firmar" in r for r in rows)
        _screenshot(beto, tmp_path, "portal-firmas.png", part="#firmas")

        teso.goto(url + "periodos/")
        teso.get_by_role("link", name="2024 trimestre 1").click()
        teso.get_by_role("link", name="59", exact=True).click()
        teso.get_by_role("button", name="Aprobar").click()
        assert "Estado: Aprobado" in teso.get_by_role("status").inner_text()
        history = teso.locator("table").last.inner_text()
        assert history.count("enviado") >= 3 and "Justifique la meta 102." in history

        assert "pdf firmado" in history and "8 de 9 firmas válidas" in history

        teso.get_by_role("link", name=re.compile("Periodo 2024")).click()
        assert "2 de 2 ramos enviaron." in teso.get_by_role("status").inner_text()
        assert teso.locator("td.estado-aprobado").count() == 2
        assert teso.locator("td.firmas-parcial").inner_text() == "Faltan firmas: 8 de 9"
        assert "1 de 2 envíos con el reporte firmado por completo." in teso.content()
        _screenshot(teso, tmp_path, "portal-periodo.png")
        # with the keyboard: filter the fully signed ones, then follow a row's signatures link
        teso.get_by_label("Firmas", exact=True).select_option("completo")
        teso.get_by_role("button", name="Aplicar").press("Enter")
        teso.wait_for_url(re.compile(r"firmas=completo"))
        assert teso.locator("table").first.locator("tbody tr").count() == 1
        teso.get_by_role("link", name="Firmado: 15 de 15").focus()
        teso.keyboard.press("Enter")
        teso.wait_for_url(re.compile(r"/envios/\d+/#firmas$"))
        assert "15 de 15 firmas válidas" in teso.locator("[data-firmas-resumen]").inner_text()
        teso.get_by_role("link", name=re.compile("Periodo 2024")).click()
        with teso.expect_download() as info:
            teso.get_by_role("link", name="Resumen en PDF").click()
        pdf = tmp_path / info.value.suggested_filename
        info.value.save_as(str(pdf))
        assert pdf.name == "resumen_2024_T1.pdf"
        with pdfplumber.open(pdf) as doc:
            text = "\n".join(page.extract_text() or "" for page in doc.pages)
        assert "RESUMEN DEL AYUNTAMIENTO" in text and "FALTAN" not in text and "SIN APROBAR" not in text
        assert "RAMO 58" in text.upper() and "RAMO 59" in text.upper()
    finally:
        _stop(server)
    assert "Traceback" not in "".join(log)
