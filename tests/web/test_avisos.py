"""E-mails of the workflow, received by a real SMTP server on 127.0.0.1 (aiosmtpd); reminders."""
from __future__ import annotations

import datetime as dt
import email
import socket
from email import policy

import pytest
from django.contrib.auth.models import User
from portal_helpers import CORREGIDO, upload

from poa_xlsx.web.entregas import servicio
from poa_xlsx.web.entregas.avisos import deliver_pending, queue_reminders
from poa_xlsx.web.entregas.flujo import send_version
from poa_xlsx.web.entregas.models import Aviso
from poa_xlsx.web.periodos.models import Ramo
from poa_xlsx.web.periodos.servicio import open_period

controller_mod = pytest.importorskip("aiosmtpd.controller")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list:
        return [email.message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


@pytest.fixture
def smtp(monkeypatch):
    """A local relay (no TLS, no AUTH) on a free port, and the portal's SMTP settings pointing at it."""
    inbox = Inbox()
    port = free_port()
    controller = controller_mod.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    for k, v in {"POA_SMTP_HOST": "127.0.0.1", "POA_SMTP_PORT": str(port), "POA_SMTP_SIN_TLS": "1",
                 "POA_SMTP_REMITENTE": "Portal POA <portal@example.org>"}.items():
        monkeypatch.setenv(k, v)
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def periodo(usuarios, monkeypatch):
    monkeypatch.setattr(servicio, "today", lambda: dt.date(2023, 7, 1))
    User.objects.filter(username="beto59").update(email="beto@example.org")
    User.objects.filter(username="tesoreria").update(email="teso@example.org")
    Ramo.objects.create(clave="59", nombre="CDI", correo="cdi@example.org")
    Ramo.objects.create(clave="58", nombre="Turismo", correo="turismo@example.org")
    return open_period(2023, 2, dt.date(2023, 7, 10))


def test_send_return_approve_reach_the_right_people(as_user, usuarios, periodo, smtp):
    v = upload(usuarios["c59"], CORREGIDO)
    as_user("c59").post(f"/versiones/{v.pk}/enviar/")
    envio = v.envios.get()
    as_user("teso").post(f"/envios/{envio.pk}/revisar/", {"accion": "devolver", "comentario": "Justifique la meta 102."})
    v2 = upload(usuarios["c59"], CORREGIDO)
    as_user("c59").post(f"/versiones/{v2.pk}/enviar/")
    as_user("teso").post(f"/envios/{envio.pk}/revisar/", {"accion": "aprobar"})
    msgs = smtp.messages()
    assert [(m["To"], m["Subject"].split(": ", 1)[1]) for m in msgs] == [
        ("teso@example.org", "el ramo 59 envió su reporte"),
        ("beto@example.org, cdi@example.org", "Tesorería devolvió el reporte del ramo 59"),
        ("teso@example.org", "el ramo 59 envió su reporte"),
        ("beto@example.org, cdi@example.org", "Tesorería aprobó el reporte del ramo 59"),
    ]
    assert "Justifique la meta 102." in msgs[1].get_content()
    assert all(a.enviado and a.intentos == 1 for a in Aviso.objects.all())


def test_a_failed_send_is_shown_and_retried(as_user, usuarios, periodo, monkeypatch):
    monkeypatch.setenv("POA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("POA_SMTP_PORT", str(free_port()))  # nothing listens there
    monkeypatch.setenv("POA_SMTP_SIN_TLS", "1")
    monkeypatch.setenv("POA_SMTP_REMITENTE", "portal@example.org")
    v = upload(usuarios["c59"], CORREGIDO)
    response = as_user("c59").post(f"/versiones/{v.pk}/enviar/", follow=True)
    assert "Enviado a Tesorería" in response.content.decode()  # the action is done all the same
    aviso = Aviso.objects.get()
    assert aviso.enviado is None and aviso.intentos == 1 and aviso.error
    page = as_user("teso").get(f"/periodos/{periodo.pk}/").content.decode()
    assert "Correos pendientes" in page and "el ramo 59 envió su reporte" in page
    # the server comes back: the next delivery sends it
    inbox = Inbox()
    port = free_port()
    controller = controller_mod.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        monkeypatch.setenv("POA_SMTP_PORT", str(port))
        results = deliver_pending()
    finally:
        controller.stop()
    assert [(a.pk, error) for a, error in results] == [(aviso.pk, None)]
    aviso.refresh_from_db()
    assert aviso.enviado and aviso.intentos == 2 and len(inbox.envelopes) == 1


def test_reminders_once_a_day_to_ramos_that_have_not_sent(usuarios, periodo, smtp):
    send_version(upload(usuarios["c59"], CORREGIDO), usuarios["c59"])
    assert queue_reminders(3, today=dt.date(2023, 7, 5)) == []  # 5 days before: not yet
    made = queue_reminders(3, today=dt.date(2023, 7, 8))
    assert [(a.ramo, a.para) for a in made] == [("58", "turismo@example.org")]  # 59 already sent
    assert "en 2 días (10/07/2023)" in made[0].asunto
    assert queue_reminders(3, today=dt.date(2023, 7, 8)) == []  # never twice the same day
    assert len(queue_reminders(3, today=dt.date(2023, 7, 9))) == 1
    delivered = deliver_pending()
    reminders = [a for a, error in delivered if a.tipo == "recordatorio" and error is None]
    assert len(reminders) == 2 and all(a.para == "turismo@example.org" for a in reminders)


def test_recordar_command(tmp_path, smtp):
    from test_comandos import _env, poa

    carpeta = str(tmp_path / "p")
    env = _env()
    csv_path = tmp_path / "ramos.csv"
    csv_path.write_text("clave,nombre,correo\n58,Turismo,turismo@example.org\n", encoding="utf-8")
    assert poa("ramos", "cargar", str(csv_path), "--carpeta", carpeta, env=env).returncode == 0
    hoy = dt.date.today()
    assert poa("periodo", "abrir", str(hoy.year), "1", "--cierre", (hoy + dt.timedelta(days=2)).isoformat(), "--carpeta", carpeta, env=env).returncode == 0
    args = ["recordar", "--dias", "3", "--carpeta", carpeta, "--servidor", "127.0.0.1", "--puerto", str(smtp.port), "--sin-tls",
            "--remitente", "portal@example.org"]
    first = poa(*args, env=env)
    assert first.returncode == 0, first.stderr
    assert "Recordatorios nuevos: 1." in first.stdout and "Enviado a turismo@example.org" in first.stdout
    second = poa(*args, env=env)
    assert "Recordatorios nuevos: 0." in second.stdout and "Enviado" not in second.stdout
    assert len(smtp.envelopes) == 1
    assert smtp.messages()[0]["To"] == "turismo@example.org"
    no_server = poa("recordar", "--carpeta", carpeta, env=env)
    assert no_server.returncode == 1 and "Falta el servidor de correo" in no_server.stderr


# --- the portal's mail settings in its folder: correo.ini (#15) -----------------------------------


def _ini(folder, text: str, mode: int = 0o600):
    from pathlib import Path

    path = Path(folder) / "correo.ini"
    path.write_text(text, encoding="utf-8")
    path.chmod(mode)
    return path


@pytest.fixture
def relay():
    """A local relay with no settings in the environment."""
    inbox = Inbox()
    port = free_port()
    controller = controller_mod.Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    inbox.port = port
    yield inbox
    controller.stop()


@pytest.fixture
def no_smtp_env(monkeypatch):
    from poa_xlsx.web.entregas.correo_config import CLAVES

    for variable in CLAVES.values():
        monkeypatch.delenv(variable, raising=False)


def test_settings_from_correo_ini_in_the_portal_folder(as_user, usuarios, periodo, relay, settings, no_smtp_env):
    _ini(settings.POA_CARPETA, f"[smtp]\nservidor = 127.0.0.1\npuerto = {relay.port}\nsin_tls = sí\n"
                               "remitente = Portal POA <portal@example.org>\ncorreo_tesoreria = planeacion@example.org; teso2@example.org\n")
    v = upload(usuarios["c59"], CORREGIDO)
    as_user("c59").post(f"/versiones/{v.pk}/enviar/")
    [msg] = relay.messages()
    assert msg["To"] == "planeacion@example.org, teso2@example.org, teso@example.org"
    assert msg["From"] == "Portal POA <portal@example.org>"


def test_environment_wins_over_the_file(as_user, usuarios, periodo, relay, settings, no_smtp_env, monkeypatch):
    from poa_xlsx.web.entregas.correo_config import load

    _ini(settings.POA_CARPETA, f"[smtp]\nservidor = 127.0.0.1\npuerto = {free_port()}\nsin_tls = si\nremitente = portal@example.org\n")  # nothing listens there
    monkeypatch.setenv("POA_SMTP_PORT", str(relay.port))
    config = load()
    assert config.servidor.puerto == relay.port and "correo.ini" in config.origen
    v = upload(usuarios["c59"], CORREGIDO)
    as_user("c59").post(f"/versiones/{v.pk}/enviar/")
    assert len(relay.envelopes) == 1


@pytest.mark.parametrize(("text", "message"), [
    ("[smtp]\nservidr = smtp.example.org\n", "no se conoce la clave «servidr»"),
    ("servidor = smtp.example.org\n", "No se pudo leer"),
    ("[correo]\nservidor = smtp.example.org\n", "no tiene la sección [smtp]"),
    ("[smtp]\nservidor = smtp.example.org\npuerto = quinientos\n", "no es un número de puerto"),
    ("[smtp]\nservidor = smtp.example.org\nsin_tls = quizá\n", "debe ser sí o no"),
    ("[smtp]\nservidor = smtp.example.org\nremitente = no es un correo\n", "Correo del portal"),
])
def test_a_mistyped_correo_ini_is_an_error_that_says_where(settings, no_smtp_env, text, message):
    from poa_xlsx.web.entregas.correo_config import CorreoConfigError, load

    path = _ini(settings.POA_CARPETA, text)
    import re

    with pytest.raises(CorreoConfigError, match=re.escape(message)) as info:
        load()
    assert "correo.ini" in str(info.value) or "Correo del portal" in str(info.value)
    assert path.exists()


def test_a_password_others_can_read_is_warned_about(settings, no_smtp_env):
    from poa_xlsx.web.entregas.correo_config import load

    _ini(settings.POA_CARPETA, "[smtp]\nservidor = smtp.example.org\nusuario = portal@example.org\ncontraseña = secreta\n", mode=0o644)
    config = load()
    assert config.servidor.password == "secreta" and "chmod 600" in config.advertencia
    _ini(settings.POA_CARPETA, "[smtp]\nservidor = smtp.example.org\nusuario = portal@example.org\ncontraseña = secreta\n", mode=0o600)
    assert load().advertencia == ""


def test_recordar_and_servir_read_correo_ini(tmp_path, relay):
    from test_comandos import _env, poa

    carpeta = tmp_path / "p"
    env = _env()
    hoy = dt.date.today()
    assert poa("periodo", "abrir", str(hoy.year), "1", "--cierre", (hoy + dt.timedelta(days=2)).isoformat(), "--carpeta", str(carpeta), env=env).returncode == 0
    csv_path = tmp_path / "ramos.csv"
    csv_path.write_text("clave,nombre,correo\n58,Turismo,turismo@example.org\n", encoding="utf-8")
    assert poa("ramos", "cargar", str(csv_path), "--carpeta", str(carpeta), env=env).returncode == 0
    no_server = poa("recordar", "--carpeta", str(carpeta), env=env)
    assert no_server.returncode == 1 and "correo.ini" in no_server.stderr
    _ini(carpeta, f"[smtp]\nservidor = 127.0.0.1\npuerto = {relay.port}\nsin_tls = sí\nremitente = portal@example.org\n")
    sent = poa("recordar", "--dias", "3", "--carpeta", str(carpeta), env=env)
    assert sent.returncode == 0, sent.stderr
    assert "Enviado a turismo@example.org" in sent.stdout and len(relay.envelopes) == 1
    _ini(carpeta, "[smtp]\nservidr = 127.0.0.1\n")
    bad = poa("servir", "--carpeta", str(carpeta), "--puerto", "0", env=env)
    assert bad.returncode == 1 and "no se conoce la clave «servidr»" in bad.stderr and "Portal POA en" not in bad.stdout
