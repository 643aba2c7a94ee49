"""The signed PDF of a version's report: upload, verification shown per field, every file
kept, history and audit, the matrix's column, permissions, and every refusal.

The holders and their CA are made in code (tests/sat_pki.py, as tests/test_firma.py
does); they sign the report with the library (``acciones.firmar_reporte``).
"""
from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

import pytest
from builders import Unit, build_workbook
from django.core.files.uploadedfile import SimpleUploadedFile
from portal_helpers import CON_ERRORES, CORREGIDO, TURISMO, upload
from sat_pki import PASSWORD, TestCA

from poa_xlsx.web.cuentas.models import Evento
from poa_xlsx.web.entregas import servicio
from poa_xlsx.web.entregas.flujo import send_version
from poa_xlsx.web.entregas.matriz import build_matrix, counts_line
from poa_xlsx.web.entregas.models import ReporteFirmado, Version

pytest.importorskip("pyhanko", reason="the firma extra is not installed: pip install '.[firma]'")

FIRMAS = [
    ("ELABORÓ", "LIC. ANA MARÍA PÉREZ LÓPEZ", "JEFA DE DEPARTAMENTO", None),
    ("REVISÓ", "MTRA. BEATRIZ GÓMEZ RUIZ", "COORDINADORA", None),
    ("AUTORIZÓ", "ING. CARLOS DÍAZ TORRES", "DIRECTOR", None),
]
LIBRO = "firmas-59.xlsx"  # ramo 59, 2023 T2, one unit (201) whose three blocks name three people


@pytest.fixture(scope="module")
def firmas(tmp_path_factory) -> dict[str, Path]:
    """The workbook, its report as the portal writes it, and that report signed by
    one holder and by all three in turn; plus what else the tests need."""
    from poa_xlsx.acciones import Opciones, check_workbook, firmar_reporte, write_report

    folder = tmp_path_factory.mktemp("firmas")
    ca = TestCA(folder)
    holders = [
        ca.holder("ANA MARIA PEREZ LOPEZ", "PELA800101AB1", "PELA800101MBCRPN01"),
        ca.holder("BEATRIZ GOMEZ RUIZ", "GORB750505XY2", "GORB750505MBCMZT02"),
        ca.holder("CARLOS DIAZ TORRES", "DITC700303QW3", "DITC700303HBCZRR03"),
    ]
    libro = build_workbook(folder / LIBRO, units=[Unit(firmas=FIRMAS)])
    revision = check_workbook(str(libro))
    assert revision.ok, revision.problems
    (reporte,) = write_report(revision.informe, str(folder), "firmas-59", Opciones(formatos=("pdf",)))
    raices = folder / "raices"  # a folder with the CA's root only (what POA_FIRMA_RAICES may name)
    raices.mkdir()
    (raices / "AC_pruebas.cer").write_bytes(ca.cer.read_bytes())
    files = {"libro": libro, "reporte": Path(reporte), "raices": raices}
    previous = reporte
    for n, holder in enumerate(holders, start=1):
        previous = firmar_reporte(previous, password=PASSWORD.encode(), cer=holder.cer, key=holder.key,
                                  salida=folder / f"firmas-59_TMM-F004_firmado_{n}.pdf").salida
        files[f"firmado_{n}"] = Path(previous)
    # one byte the last signature covers changed (the name in its own dictionary): that signature breaks
    data = bytearray(files["firmado_3"].read_bytes())
    data[data.rindex(b"/Name (CARLOS") + len(b"/Name (CARLO")] = ord("Z")
    files["alterado"] = folder / "alterado.pdf"
    files["alterado"].write_bytes(bytes(data))
    (folder / "otra").mkdir()
    otra_ca = TestCA(folder / "otra")  # another authority: its root does not vouch for these holders
    files["otra_raiz"] = otra_ca.cer
    return files


def _pdf(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="application/pdf")


def _stored(carpeta: Path) -> list[str]:
    """Every file under a firmados/ folder of the portal."""
    return [os.path.join(d, f) for d, _, fs in os.walk(carpeta) if os.path.basename(d) == "firmados" for f in fs]


@pytest.fixture
def version(usuarios, firmas) -> Version:
    v = upload(usuarios["c59"], firmas["libro"])
    assert v.ok
    # the portal's report is the library's, byte for byte: what the holders signed
    assert Path(servicio.output_path(v, "pdf")).read_bytes() == firmas["reporte"].read_bytes()
    return v


def test_staff_upload_signed_by_one_then_by_three(as_user, usuarios, version, firmas, carpeta):
    client = as_user("c59")
    page = client.get(f"/versiones/{version.pk}/").content.decode()
    assert "Firmas del reporte" in page and "Todavía no se ha subido el reporte firmado" in page
    assert f'action="/versiones/{version.pk}/firmado/"' in page

    response = client.post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_1"]), "volver": "version"})
    assert response.status_code == 302 and response["Location"] == f"/versiones/{version.pk}/#firmas"
    uno = ReporteFirmado.objects.get()
    assert (uno.estado, uno.campos, uno.firmas, uno.firmas_validas, uno.con_raices) == ("parcial", 3, 1, 1, False)
    assert (uno.version, uno.ramo, uno.usuario, uno.nombre) == (version, "59", usuarios["c59"], "firmas-59_TMM-F004_firmado_1.pdf")
    html = client.get(f"/versiones/{version.pk}/").content.decode()
    assert "1 de 3 firmas válidas; faltan 2 firmas." in html
    assert "ANA MARIA PEREZ LOPEZ" in html and "PELA800101AB1" in html and "Sin firmar" in html and "✔ Válida" in html
    assert "Pendiente: MTRA. BEATRIZ GÓMEZ RUIZ" in html
    assert '<a href="#firmas">1 de 3 firmas válidas; faltan 2 firmas.</a>' in html  # said above the report's pages too
    assert "Cadena no verificada" in html  # no roots configured: said, not hidden
    assert all(f'<th scope="row">{rol}</th>' in html for rol in ("ELABORÓ", "REVISÓ", "AUTORIZÓ"))

    client.post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_3"])})
    tres = ReporteFirmado.objects.order_by("-id").first()
    assert (tres.estado, tres.firmas, tres.firmas_validas) == ("completo", 3, 3)
    html = client.get(f"/versiones/{version.pk}/").content.decode()
    assert "3 de 3 firmas válidas: el reporte está firmado por completo." in html
    assert "BEATRIZ GOMEZ RUIZ" in html and "DITC700303QW3" in html and "Sin firmar" not in html
    assert "Todos los PDF firmados subidos de esta versión (2)" in html

    # nothing lost: both files kept as they came, read-only; who and when in the log
    kept = sorted(_stored(carpeta))
    assert len(kept) == 2
    assert {Path(p).read_bytes() for p in kept} == {firmas["firmado_1"].read_bytes(), firmas["firmado_3"].read_bytes()}
    assert all(os.stat(p).st_mode & 0o222 == 0 for p in kept)
    assert Evento.objects.filter(tipo=Evento.Tipo.FIRMADO, nombre_usuario="beto59").count() == 2
    # the download is the latest file, as uploaded
    body = b"".join(client.get(f"/firmados/{tres.pk}/descargar/").streaming_content)
    assert body == firmas["firmado_3"].read_bytes()


def test_tesoreria_uploads_too_and_the_submission_shows_it(as_user, usuarios, periodo, version, firmas):
    envio = send_version(version, usuarios["c59"])
    teso = as_user("teso")
    response = teso.post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_1"]), "volver": "envio"})
    assert response["Location"] == f"/envios/{envio.pk}/#firmas"
    html = teso.get(f"/envios/{envio.pk}/").content.decode()
    assert "1 de 3 firmas válidas; faltan 2 firmas." in html and 'name="volver" value="envio"' in html
    # the submission's history says who uploaded which signed PDF and what it was worth
    history = html.split("<h2>Historia</h2>")[1].split("</table>")[0]
    assert "pdf firmado</a> «firmas-59_TMM-F004_firmado_1.pdf»" in history and "tesoreria" in history
    assert "1 de 3 firmas válidas" in history
    assert ReporteFirmado.objects.get().usuario == usuarios["teso"]


def test_matrix_shows_unsigned_partial_and_full(as_user, usuarios, periodo, firmas):
    version = upload(usuarios["c59"], firmas["libro"])
    envio = send_version(version, usuarios["c59"])
    teso = as_user("teso")
    filas = {f.ramo: f for f in build_matrix(periodo)}
    assert (filas["59"].firmas_clave, filas["59"].firmas) == ("sin-pdf", "Sin PDF firmado")
    assert (filas["58"].firmas_clave, filas["58"].firmas) == ("", "")  # nothing uploaded: no report to sign

    teso.post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_1"])})
    filas = {f.ramo: f for f in build_matrix(periodo)}
    assert (filas["59"].firmas_clave, filas["59"].firmas) == ("parcial", "Faltan firmas: 1 de 3")
    html = teso.get(f"/periodos/{periodo.pk}/").content.decode()
    assert f'<a href="/envios/{envio.pk}/#firmas"><strong>Faltan firmas: 1 de 3</strong></a>' in html
    assert "0 de 1 envío con el reporte firmado por completo." in html

    as_user("c59").post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_3"])})
    teso = as_user("teso")  # the same test client, signed in again
    html = teso.get(f"/periodos/{periodo.pk}/").content.decode()
    assert "<strong>Firmado: 3 de 3</strong>" in html and "1 de 1 envío con el reporte firmado por completo." in html
    assert counts_line(build_matrix(periodo))["firmas"] == "1 de 1 envío con el reporte firmado por completo."
    # filtered by signatures, without JavaScript
    assert f'href="/envios/{envio.pk}/#firmas"' in teso.get(f"/periodos/{periodo.pk}/?firmas=completo").content.decode()
    only_partial = teso.get(f"/periodos/{periodo.pk}/?firmas=parcial").content.decode()
    assert f'href="/envios/{envio.pk}/' not in only_partial and "Ningún ramo en este estado." in only_partial
    assert 'href="/ramos/58/"' in teso.get(f"/periodos/{periodo.pk}/?firmas=").content.decode()


def test_audit_page_and_csv_list_signed_uploads(as_user, usuarios, periodo, firmas):
    version = upload(usuarios["c59"], firmas["libro"])
    send_version(version, usuarios["c59"])
    as_user("c59").post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_1"])})
    teso = as_user("teso")
    page = teso.get(f"/periodos/{periodo.pk}/auditoria/?a=pdf+firmado").content.decode()
    assert "1 de 3 firmas válidas; faltan 2 firmas." in page and "firmas-59_TMM-F004_firmado_1.pdf" in page
    assert "firmas-59_TMM-F004_firmado_1.pdf" not in teso.get(f"/periodos/{periodo.pk}/auditoria/?a=enviado").content.decode()
    rows = list(csv.reader(io.StringIO(teso.get(f"/periodos/{periodo.pk}/auditoria/?formato=csv").content.decode("utf-8-sig"))))
    firmado = ReporteFirmado.objects.get()
    assert [(r[1], r[2], r[3], r[4]) for r in rows[1:]] == [("59", "", "enviado", "beto59"), ("59", "", "pdf firmado", "beto59")]
    assert rows[2][5:] == [str(version.pk), firmado.nombre, firmado.sha256, "1 de 3 firmas válidas; faltan 2 firmas."]


def test_trusted_roots_from_the_setting(as_user, version, firmas, settings, carpeta):
    client = as_user("c59")
    settings.POA_FIRMA_RAICES = [str(firmas["raices"])]  # a folder: its certificates
    client.post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_3"])})
    ok = ReporteFirmado.objects.get()
    assert (ok.estado, ok.con_raices) == ("completo", True)
    html = client.get(f"/versiones/{version.pk}/").content.decode()
    assert "Los certificados se comprobaron contra las autoridades certificadoras" in html and "Cadena no verificada" not in html

    # roots that do not vouch for these holders: the upload is kept, the signatures are not valid
    settings.POA_FIRMA_RAICES = [str(firmas["otra_raiz"])]
    client.post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_3"])})
    otra = ReporteFirmado.objects.order_by("-id").first()
    assert (otra.estado, otra.firmas_validas) == ("invalido", 0)
    html = client.get(f"/versiones/{version.pk}/").content.decode()
    assert "3 firmas no son válidas: ELABORÓ de 59-201: el certificado de ANA MARIA PEREZ LOPEZ no se pudo validar" in html

    # a root that is not there: the administrator is told, nothing kept
    settings.POA_FIRMA_RAICES = [str(carpeta / "no-existe.cer")]
    html = client.post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_3"])}, follow=True).content.decode()
    assert "no encuentra el certificado raíz" in html and "Avise al administrador del portal" in html
    assert ReporteFirmado.objects.count() == 2 and len(_stored(carpeta)) == 2


def test_a_broken_signature_is_kept_and_said(as_user, version, firmas):
    response = as_user("c59").post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["alterado"])}, follow=True)
    html = response.content.decode()
    f = ReporteFirmado.objects.get()
    assert (f.estado, f.firmas, f.firmas_validas) == ("invalido", 3, 2)
    assert "PDF firmado recibido. Una firma no es válida: AUTORIZÓ de 59-201: el contenido firmado cambió" in html
    assert "✘ No válida" in html


@pytest.mark.parametrize(("archivo", "says"), [
    ("texto", "no es un PDF"),
    ("vacio", "El archivo está vacío"),
    ("sin_firmar", "es el reporte de esta versión sin ninguna firma"),
    ("otro_ramo", "no es el reporte de esta versión"),
    ("otro_trimestre", "no es el reporte de esta versión"),
    ("cifrado", "está protegido con contraseña"),
    ("truncado", "está dañado o incompleto"),
    ("sin_firmas_agregadas", "no tiene ninguna firma"),
    ("enorme", "el máximo es"),
])
def test_refused_files_leave_nothing(as_user, usuarios, version, firmas, carpeta, settings, tmp_path, archivo, says):
    reporte = firmas["reporte"].read_bytes()
    if archivo == "texto":
        upload_file = SimpleUploadedFile("reporte.pdf", b"Esto no es un PDF.\n")
    elif archivo == "vacio":
        upload_file = SimpleUploadedFile("reporte.pdf", b"")
    elif archivo == "sin_firmar":
        upload_file = _pdf(firmas["reporte"])
    elif archivo == "otro_ramo":  # ramo 58's report: refused without naming anything of ramo 58
        otra = upload(usuarios["c58"], TURISMO)
        upload_file = _pdf(Path(servicio.output_path(otra, "pdf")), "reporte_firmado.pdf")
    elif archivo == "otro_trimestre":  # a report of the same ramo that was never uploaded (another quarter)
        from poa_xlsx.acciones import Opciones, check_workbook, write_report

        libro = build_workbook(tmp_path / LIBRO, general={**_general(), "TRIMESTRE": 1}, units=[Unit(firmas=FIRMAS)])
        (otro,) = write_report(check_workbook(str(libro)).informe, str(tmp_path), "otro", Opciones(formatos=("pdf",)))
        upload_file = _pdf(Path(otro), "firmas-59_TMM-F004_firmado.pdf")
    elif archivo == "cifrado":
        import pikepdf

        with pikepdf.open(firmas["firmado_1"]) as pdf:
            out = io.BytesIO()
            pdf.save(out, encryption=pikepdf.Encryption(owner="dueño", user="clave", R=6))
        upload_file = SimpleUploadedFile("firmado.pdf", out.getvalue())
    elif archivo == "truncado":
        upload_file = SimpleUploadedFile("firmado.pdf", firmas["firmado_3"].read_bytes()[:-200])
    elif archivo == "sin_firmas_agregadas":  # the report and some bytes after it, but no signature
        upload_file = SimpleUploadedFile("firmado.pdf", reporte + b"\n% nada firmado\n")
    else:
        settings.POA_MAX_SUBIDA = 1000
        upload_file = _pdf(firmas["firmado_3"])
    response = as_user("c59").post(f"/versiones/{version.pk}/firmado/", {"archivo": upload_file}, follow=True)
    html = response.content.decode()
    assert response.status_code == 200 and says in html and "Traceback" not in html
    if archivo not in ("vacio", "enorme", "texto"):
        assert "Descargue el reporte en PDF de esta versión" in html or "Fírmelo" in html
    if archivo == "otro_ramo":
        alert = html.split('role="alert">')[1].split("</p>")[0]
        alert = re.sub(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", "", alert)  # this version's upload time may hold "58"
        assert "58" not in alert and "turismo" not in html
    assert ReporteFirmado.objects.count() == 0
    assert _stored(carpeta) == []
    if archivo != "vacio":  # an empty file is refused by the form, before the service
        assert Evento.objects.filter(tipo=Evento.Tipo.FIRMADO_RECHAZADO, nombre_usuario="beto59").exists()


def _general() -> dict:
    from builders import DEFAULT_GENERAL

    return dict(DEFAULT_GENERAL)


def test_another_versions_signed_pdf_is_refused_naming_it(as_user, usuarios, version, firmas, carpeta):
    otra = upload(usuarios["c59"], CORREGIDO)
    html = as_user("c59").post(f"/versiones/{otra.pk}/firmado/", {"archivo": _pdf(firmas["firmado_3"])}, follow=True).content.decode()
    assert "es el reporte de otra versión" in html and f"libro «{LIBRO}»" in html and "no el de esta" in html
    assert "Súbalo en la página de aquella versión" in html
    assert ReporteFirmado.objects.count() == 0 and _stored(carpeta) == []


def test_a_version_with_errors_has_no_report_to_sign(as_user, usuarios, firmas):
    rota = upload(usuarios["c59"], CON_ERRORES)
    html = as_user("c59").get(f"/versiones/{rota.pk}/").content.decode()
    assert "Firmas del reporte" not in html
    response = as_user("c59").post(f"/versiones/{rota.pk}/firmado/", {"archivo": _pdf(firmas["firmado_3"])}, follow=True)
    assert "no tiene reporte que firmar" in response.content.decode()
    assert ReporteFirmado.objects.count() == 0


@pytest.mark.parametrize("role", ["c58", "sinramo"])
def test_another_ramo_gets_404_for_page_upload_and_download(as_user, usuarios, periodo, version, firmas, role):
    envio = send_version(version, usuarios["c59"])
    as_user("c59").post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_1"])})
    f = ReporteFirmado.objects.get()
    other = as_user(role)
    assert other.get(f"/versiones/{version.pk}/").status_code == 404
    assert other.get(f"/envios/{envio.pk}/").status_code == 404
    assert other.post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_3"])}).status_code == 404
    assert other.get(f"/firmados/{f.pk}/descargar/").status_code == 404
    assert ReporteFirmado.objects.count() == 1


@pytest.mark.parametrize("role", ["c59", "teso", "admin"])
def test_those_who_see_the_ramo_download_it(as_user, usuarios, version, firmas, role):
    as_user("c59").post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_1"])})
    f = ReporteFirmado.objects.get()
    response = as_user(role).get(f"/firmados/{f.pk}/descargar/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="firmas-59_TMM-F004_firmado_1.pdf"' == response["Content-Disposition"]
    assert b"".join(response.streaming_content) == firmas["firmado_1"].read_bytes()
    assert Evento.objects.filter(tipo=Evento.Tipo.DESCARGA, detalle__contains="(firmado)").count() == 1


def test_upload_is_a_post_with_csrf(client, usuarios, version, firmas):
    from django.test import Client

    client.force_login(usuarios["c59"])
    assert client.get(f"/versiones/{version.pk}/firmado/").status_code == 405
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(usuarios["c59"])
    assert strict.post(f"/versiones/{version.pk}/firmado/", {"archivo": _pdf(firmas["firmado_1"])}).status_code == 403
    assert ReporteFirmado.objects.count() == 0


def test_migrations_match_the_models(db):
    from django.core.management import call_command

    call_command("makemigrations", "--check", "--dry-run", verbosity=0)  # SystemExit(1) if a model changed without one
