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


# --- closing and reopening a period (#15: a clear locked/unlocked state) -------------------------


def test_a_closed_period_refuses_uploads_and_sends_even_with_an_extension(as_user, clock, usuarios):
    from poa_xlsx.web.entregas.flujo import TransicionError, send_version

    p = open_period(2023, 2, dt.date(2023, 7, 10))
    grant_extension(p, "59", dt.date(2023, 7, 20), "Cambio de titular")
    clock(dt.date(2023, 7, 5))
    _post_upload(as_user("c59"))
    version = Version.objects.get()
    response = as_user("teso").post(f"/periodos/{p.pk}/cerrar/", follow=True)
    assert "Periodo 2023 T2 cerrado" in response.content.decode()
    p.refresh_from_db()
    assert not p.abierto and p.cerrado_por == usuarios["teso"] and p.cerrado_el is not None
    html = _post_upload(as_user("c59")).content.decode()
    assert "Tesorería cerró el periodo 2023 trimestre 2" in html and "reabra" in html
    assert Version.objects.count() == 1  # nothing stored
    with pytest.raises(TransicionError, match="Tesorería cerró el periodo"):
        send_version(version, usuarios["c59"], today=dt.date(2023, 7, 5))
    page = as_user("teso").get(f"/periodos/{p.pk}/").content.decode()
    assert "Estado: <strong>cerrado</strong>" in page and "Reabrir el periodo" in page


def test_reopening_needs_a_reason_and_restores_the_rules(as_user, clock, usuarios):
    from poa_xlsx.web.cuentas.models import Evento

    p = open_period(2023, 2, dt.date(2023, 7, 10))
    as_user("teso").post(f"/periodos/{p.pk}/cerrar/")
    without = as_user("teso").post(f"/periodos/{p.pk}/reabrir/", {"motivo": "  "}, follow=True).content.decode()
    assert "Indique el motivo" in without
    p.refresh_from_db()
    assert not p.abierto
    as_user("teso").post(f"/periodos/{p.pk}/reabrir/", {"motivo": "Faltó el ramo 59 por falla de red"})
    p.refresh_from_db()
    assert p.abierto
    clock(dt.date(2023, 7, 10))
    _post_upload(as_user("c59"))
    assert Version.objects.get().periodo == p
    clock(dt.date(2023, 7, 11))  # the deadline still holds after reopening
    assert "cerró el 10/07/2023" in _post_upload(as_user("c59")).content.decode()
    log = list(Evento.objects.filter(detalle__contains="periodo 2023 T2").order_by("cuando", "id").values_list("nombre_usuario", "detalle"))
    teso = usuarios["teso"].get_username()
    assert log[-2:] == [(teso, "periodo 2023 T2 cerrado"), (teso, "periodo 2023 T2 reabierto: Faltó el ramo 59 por falla de red")]


@pytest.mark.parametrize("role", ["c59", "sinramo"])
def test_only_tesoreria_closes_or_reopens(as_user, usuarios, role):
    p = open_period(2023, 2, dt.date(2023, 7, 10))
    assert as_user(role).post(f"/periodos/{p.pk}/cerrar/").status_code == 404
    p.refresh_from_db()
    assert p.abierto
    as_user("teso").post(f"/periodos/{p.pk}/cerrar/")
    assert as_user(role).post(f"/periodos/{p.pk}/reabrir/", {"motivo": "x"}).status_code == 404
    p.refresh_from_db()
    assert not p.abierto


def test_close_and_reopen_commands_are_logged_as_the_terminal(tmp_path):
    from test_comandos import poa

    carpeta = str(tmp_path / "p")
    assert poa("periodo", "abrir", "2024", "1", "--cierre", "2024-04-10", "--carpeta", carpeta).returncode == 0
    closed = poa("periodo", "cerrar", "2024", "1", "--carpeta", carpeta)
    assert closed.returncode == 0 and "cerrado" in closed.stdout and "periodo reabrir 2024 1 --motivo" in closed.stdout
    again = poa("periodo", "cerrar", "2024", "1", "--carpeta", carpeta)
    assert again.returncode == 1 and "ya está cerrado" in again.stderr
    missing = poa("periodo", "cerrar", "2024", "3", "--carpeta", carpeta)
    assert missing.returncode == 1 and "No existe el periodo 2024 trimestre 3" in missing.stderr
    ext = poa("periodo", "prorroga", "58", "--hasta", "2024-04-20", "--motivo", "x", "--periodo", "2024-1", "--carpeta", carpeta)
    assert ext.returncode == 0 and "vale cuando se reabra" in ext.stdout
    no_reason = poa("periodo", "reabrir", "2024", "1", "--carpeta", carpeta)
    assert no_reason.returncode == 2 and "--motivo" in no_reason.stderr
    opened = poa("periodo", "reabrir", "2024", "1", "--motivo", "Corrección del ramo 58", "--carpeta", carpeta)
    assert opened.returncode == 0 and "reabierto" in opened.stdout
    assert "2024 T1  cierre 10/04/2024  abierto" in poa("periodo", "lista", "--carpeta", carpeta).stdout
    import sqlite3

    with sqlite3.connect(next((tmp_path / "p").glob("*.sqlite3"))) as db:
        log = db.execute("SELECT nombre_usuario, detalle FROM cuentas_evento ORDER BY id").fetchall()
    assert [d for _n, d in log] == ["periodo 2024 T1 abierto, cierre 10/04/2024", "periodo 2024 T1 cerrado",
                                    "prórroga periodo 2024 T1, ramo 58 hasta 20/04/2024: x",
                                    "periodo 2024 T1 reabierto: Corrección del ramo 58"]
    assert all(n.startswith("terminal") for n, _d in log)
