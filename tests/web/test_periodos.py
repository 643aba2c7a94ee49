"""Periods: who may open them, the deadline and extension rules (fixed clock), the commands."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from portal_helpers import CORREGIDO

from poa_xlsx.web.entregas import servicio
from poa_xlsx.web.entregas.models import Version
from poa_xlsx.web.periodos.models import Periodo, Prorroga, Ramo
from poa_xlsx.web.periodos.servicio import PeriodoError, grant_extension, load_ramos_csv, open_period


@pytest.fixture
def clock(monkeypatch):
    """``clock(date)``: the portal's today for uploads and sends."""

    def set_today(day: dt.date) -> None:
        monkeypatch.setattr(servicio, "today", lambda: day)

    return set_today


def _post_upload(client, ramo="59"):
    return client.post(f"/ramos/{ramo}/subir/", {"archivo": SimpleUploadedFile(CORREGIDO.name, CORREGIDO.read_bytes())}, follow=True)


@pytest.mark.parametrize(("role", "status"), [("teso", 200), ("admin", 200), ("c59", 404), ("sinramo", 404)])
def test_who_sees_the_periods_page(as_user, role, status):
    assert as_user(role).get("/periodos/").status_code == status


def test_tesoreria_opens_a_period_on_the_page(as_user, usuarios):
    response = as_user("teso").post("/periodos/", {"ejercicio": 2023, "trimestre": 2, "cierre": "2023-07-10"}, follow=True)
    p = Periodo.objects.get()
    assert (p.ejercicio, p.trimestre, p.cierre, p.creado_por) == (2023, 2, dt.date(2023, 7, 10), usuarios["teso"])
    assert "Periodo 2023 T2 abierto" in response.content.decode()
    again = as_user("teso").post("/periodos/", {"ejercicio": 2023, "trimestre": 2, "cierre": "2023-07-10"}, follow=True)
    assert "Ya existe el periodo 2023 trimestre 2" in again.content.decode() and Periodo.objects.count() == 1


def test_capturista_cannot_open_periods_or_give_extensions(as_user, usuarios):
    assert as_user("c59").post("/periodos/", {"ejercicio": 2023, "trimestre": 2, "cierre": "2023-07-10"}).status_code == 404
    p = open_period(2023, 2, dt.date(2023, 7, 10))
    response = as_user("c59").post(f"/periodos/{p.pk}/prorroga/", {"ramo": "59", "hasta": "2023-08-01", "motivo": "x"})
    assert response.status_code == 404 and not Prorroga.objects.exists()


def test_upload_into_an_open_period_is_attached_to_it(as_user, clock, usuarios):
    p = open_period(2023, 2, dt.date(2023, 7, 10))
    clock(dt.date(2023, 7, 10))  # the last day still counts
    _post_upload(as_user("c59"))
    assert Version.objects.get().periodo == p


def test_after_the_deadline_uploads_are_refused_naming_it(as_user, clock, usuarios):
    open_period(2023, 2, dt.date(2023, 7, 10))
    clock(dt.date(2023, 7, 11))
    html = _post_upload(as_user("c59")).content.decode()
    assert "cerró el 10/07/2023" in html and "prórroga" in html
    assert not Version.objects.exists()


def test_an_extension_reopens_uploads_for_that_ramo_only(as_user, clock, usuarios):
    p = open_period(2023, 2, dt.date(2023, 7, 10))
    pr = grant_extension(p, "059", dt.date(2023, 7, 20), "Cambio de titular", usuario=usuarios["teso"])
    assert (pr.ramo, pr.otorgada_por) == ("59", usuarios["teso"])
    clock(dt.date(2023, 7, 15))
    _post_upload(as_user("c59"))
    assert Version.objects.get().periodo == p
    assert p.deadline_for("58") == dt.date(2023, 7, 10) and not p.accepts("58", dt.date(2023, 7, 15))
    clock(dt.date(2023, 7, 21))
    assert "cerró el 20/07/2023" in _post_upload(as_user("c59")).content.decode()


def test_extension_page_records_reason_and_who(as_user, usuarios):
    p = open_period(2023, 2, dt.date(2023, 7, 10))
    as_user("teso").post(f"/periodos/{p.pk}/prorroga/", {"ramo": "59", "hasta": "2023-07-20", "motivo": "Incapacidad"})
    pr = Prorroga.objects.get()
    assert (pr.ramo, pr.hasta, pr.motivo, pr.otorgada_por) == ("59", dt.date(2023, 7, 20), "Incapacidad", usuarios["teso"])
    with pytest.raises(PeriodoError):
        grant_extension(p, "59", dt.date(2023, 7, 1), "antes del cierre")
    with pytest.raises(PeriodoError):
        grant_extension(p, "59", dt.date(2023, 8, 1), "  ")


def test_ramos_catalogue_from_csv(db):
    carga = load_ramos_csv("clave;nombre;correo\n058;Turismo;t@example.org\n59;CDI;\n")
    assert (carga.creados, carga.actualizados) == (2, 0)
    assert load_ramos_csv("clave,nombre,correo\n58,Turismo municipal,t@example.org\n").actualizados == 1
    assert list(Ramo.objects.values_list("clave", "nombre")) == [("58", "Turismo municipal"), ("59", "CDI")]
    with pytest.raises(PeriodoError, match="encabezado"):
        load_ramos_csv("codigo,descripcion\n1,x\n")


def test_periodo_and_ramos_commands(tmp_path):
    from test_comandos import poa

    carpeta = str(tmp_path / "p")
    csv_path = tmp_path / "ramos.csv"
    csv_path.write_text("clave,nombre,correo\n58,Turismo,t@example.org\n59,CDI,c@example.org\n", encoding="utf-8")
    assert poa("ramos", "cargar", str(csv_path), "--carpeta", carpeta).stdout.strip() == "Catálogo de ramos: 2 nuevos, 0 actualizados."
    opened = poa("periodo", "abrir", "2024", "1", "--cierre", "2024-04-10", "--carpeta", carpeta)
    assert opened.returncode == 0 and "fecha límite 10/04/2024" in opened.stdout
    twice = poa("periodo", "abrir", "2024", "1", "--cierre", "2024-04-10", "--carpeta", carpeta)
    assert twice.returncode == 1 and "Ya existe el periodo 2024 trimestre 1" in twice.stderr
    bad = poa("periodo", "abrir", "2024", "1", "--cierre", "10 de abril", "--carpeta", carpeta)
    assert bad.returncode == 2 and "no es una fecha" in bad.stderr
    ext = poa("periodo", "prorroga", "58", "--hasta", "2024-04-20", "--motivo", "Cambio de titular", "--carpeta", carpeta)
    assert ext.returncode == 0 and "ramo 58" in ext.stdout
    listed = poa("periodo", "lista", "--carpeta", carpeta).stdout
    assert "2024 T1  cierre 10/04/2024  abierto  0 de 2 ramos enviaron; faltan: 58, 59." in listed
    assert "prórroga ramo 58 hasta 20/04/2024: Cambio de titular" in listed
