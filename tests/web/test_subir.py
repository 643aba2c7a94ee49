"""Uploading a workbook: kept as a version, checked by the library, report written, refusals."""
from __future__ import annotations

import hashlib
import io
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from portal_helpers import CON_ERRORES, CORREGIDO

from poa_xlsx.web.cuentas.models import Evento
from poa_xlsx.web.entregas.models import Version


def _file(path, name=None):
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="application/octet-stream")


def test_broken_workbook_is_kept_with_its_problems(as_user, usuarios, carpeta):
    before = CON_ERRORES.read_bytes()
    response = as_user("c59").post("/ramos/59/subir/", {"archivo": _file(CON_ERRORES)})
    v = Version.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/versiones/{v.pk}/"
    assert (v.ramo, v.usuario, v.resultado, v.errores, v.advertencias) == ("59", usuarios["c59"], "con-errores", 3, 1)
    assert v.sha256 == hashlib.sha256(before).hexdigest() and v.tamano == len(before)
    assert {(p["codigo"], p["hoja"], p["celda"]) for p in v.problemas} == {
        ("numero-invalido", "201 Promoción Industrial", "G20"),
        ("numero-negativo", "201 Promoción Industrial", "I21"),
        ("firma-faltante", "201 Promoción Industrial", "B26"),
        ("justificacion-faltante", "201 Promoción Industrial", "P17"),
    }
    assert v.salidas == []  # no report while there are errors
    # the original is stored, byte for byte, inside the portal's folder
    assert open(v.original, "rb").read() == before
    assert os.path.commonpath([v.original, str(carpeta)]) == str(carpeta)
    evento = Evento.objects.get(tipo=Evento.Tipo.SUBIDA)
    assert evento.usuario == usuarios["c59"] and v.sha256 in evento.detalle


def test_clean_workbook_gets_the_same_report_as_the_cli(as_user, tmp_path):
    from poa_xlsx import check_workbook
    from poa_xlsx.render.reporte import write_report

    as_user("c59").post("/ramos/59/subir/", {"archivo": _file(CORREGIDO)})
    v = Version.objects.get()
    assert v.ok and v.errores == 0 and v.ejercicio == 2023 and v.trimestre == 2 and v.unidades == 3
    assert v.salidas == ["2023-cdi-T2_TMM-F004.pdf"]  # the XLSX is written on its first download
    xlsx = as_user("c59").get(f"/versiones/{v.pk}/descargar/xlsx/")
    assert xlsx.status_code == 200
    v.refresh_from_db()
    assert v.salidas == ["2023-cdi-T2_TMM-F004.pdf", "2023-cdi-T2_TMM-F004.xlsx"]
    cli_dir = tmp_path / "cli"
    written = write_report(check_workbook(str(CORREGIDO)).informe, str(cli_dir), "2023-cdi-T2")
    assert len(written) == 2
    for path in written:
        assert open(v.path(os.path.basename(path)), "rb").read() == open(path, "rb").read()
    assert b"".join(xlsx.streaming_content) == open(written[0], "rb").read()
    assert sum(v.conteo["estatus"].values()) == sum(v.conteo["semaforo"].values()) > 0


def test_every_upload_is_a_new_version(as_user):
    client = as_user("c59")
    for _ in range(2):
        client.post("/ramos/59/subir/", {"archivo": _file(CORREGIDO)})
    a, b = Version.objects.order_by("id")
    assert a.sha256 == b.sha256 and a.carpeta != b.carpeta
    assert os.path.exists(a.original) and os.path.exists(b.original)


def test_another_ramos_workbook_is_refused_naming_its_ramo(as_user, carpeta):
    response = as_user("c58").post("/ramos/58/subir/", {"archivo": _file(CORREGIDO)}, follow=True)
    html = response.content.decode()
    assert "Este libro es del ramo 59" in html and "su cuenta es del ramo 58" in html
    assert Version.objects.count() == 0
    assert not any(files for _, _, files in os.walk(carpeta / "archivos"))  # nothing kept
    assert Evento.objects.filter(tipo=Evento.Tipo.SUBIDA_RECHAZADA, nombre_usuario="ana58").exists()


@pytest.mark.parametrize(("name", "data", "says"), [
    ("datos.csv", b"a,b\n1,2\n", "no es un libro de Excel"),
    ("vacio.xlsx", b"", "Elija el archivo"),
])
def test_files_that_are_not_workbooks_are_refused(as_user, name, data, says):
    response = as_user("c59").post("/ramos/59/subir/", {"archivo": SimpleUploadedFile(name, data)}, follow=True)
    assert says in response.content.decode()
    assert Version.objects.count() == 0


def test_unreadable_workbook_is_kept_and_says_why(as_user):
    response = as_user("c59").post("/ramos/59/subir/", {"archivo": SimpleUploadedFile("roto.xlsx", b"PK\x03\x04 no es un zip")}, follow=True)
    v = Version.objects.get()
    assert v.resultado == "ilegible" and v.mensaje
    assert "No se pudo leer el archivo" in response.content.decode()


def test_upload_bigger_than_the_limit_is_refused(as_user, settings):
    settings.POA_MAX_SUBIDA = 1000
    response = as_user("c59").post("/ramos/59/subir/", {"archivo": _file(CORREGIDO)}, follow=True)
    assert "el máximo es" in response.content.decode()
    assert Version.objects.count() == 0


@pytest.mark.parametrize(("role", "ramo"), [("teso", "59"), ("admin", "59"), ("c58", "59"), ("sinramo", "59"), ("c59", "58")])
def test_only_the_ramos_capturistas_upload(as_user, role, ramo):
    response = as_user(role).post(f"/ramos/{ramo}/subir/", {"archivo": _file(CORREGIDO)})
    assert response.status_code == 404
    assert Version.objects.count() == 0


def test_upload_is_a_post(as_user):
    assert as_user("c59").get("/ramos/59/subir/").status_code == 405


def test_xlsm_workbook_is_accepted(as_user, tmp_path):
    data = CORREGIDO.read_bytes()
    response = as_user("c59").post("/ramos/59/subir/", {"archivo": SimpleUploadedFile("libro.xlsm", data)})
    v = Version.objects.get()
    assert response.status_code == 302 and v.nombre == "libro.xlsm" and v.ok


def test_anonymous_upload_is_redirected_to_sign_in(client, db):
    response = client.post("/ramos/59/subir/", {"archivo": SimpleUploadedFile("a.xlsx", io.BytesIO(b"x").read())})
    assert response.status_code == 302 and Version.objects.count() == 0

