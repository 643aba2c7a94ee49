"""The sign-in page: fields, sessions, the log, limits on failed attempts, CSRF, safe redirects."""
from __future__ import annotations

import pytest
from django.test import Client
from portal_helpers import PASSWORD

from poa_xlsx.web.cuentas.models import Evento


def test_anonymous_root_shows_the_sign_in_page(client, db):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="username"' in html and 'name="password"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "Entrar al portal POA" in html and 'lang="es-MX"' in html


@pytest.mark.parametrize("path", ["/ramos/58/", "/versiones/1/", "/versiones/1/descargar/pdf/", "/admin/"])
def test_every_page_but_sign_in_needs_a_session(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/")
    assert response["Location"].split("?")[0] in ("/", "/entrar/")


def test_sign_in_starts_a_session_and_is_logged(client, usuarios):
    response = client.post("/entrar/", {"username": "beto59", "password": PASSWORD}, REMOTE_ADDR="127.0.0.9")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 302  # now "/" sends the capturista to their ramo
    evento = Evento.objects.get(tipo=Evento.Tipo.ACCESO)
    assert evento.nombre_usuario == "beto59" and evento.usuario == usuarios["c59"]
    assert evento.direccion == "127.0.0.9" and evento.cuando is not None


def test_wrong_password_says_so_in_spanish_and_is_logged(client, usuarios):
    response = client.post("/entrar/", {"username": "beto59", "password": "otra"})
    assert response.status_code == 200
    assert "Usuario o contraseña incorrectos" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert Evento.objects.filter(tipo=Evento.Tipo.ACCESO_FALLIDO, nombre_usuario="beto59").count() == 1


def test_failed_sign_ins_are_limited_per_account(client, usuarios, settings):
    for _ in range(settings.POA_INTENTOS_CUENTA):
        client.post("/entrar/", {"username": "beto59", "password": "mala"}, REMOTE_ADDR="10.0.0.1")
    # even the right password waits now, from any address
    response = client.post("/entrar/", {"username": "beto59", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2")
    assert response.status_code == 429
    assert "Demasiados intentos fallidos" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert Evento.objects.filter(tipo=Evento.Tipo.ACCESO_BLOQUEADO, nombre_usuario="beto59").exists()
    # another account is not affected
    assert client.post("/entrar/", {"username": "ana58", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2").status_code == 302


def test_failed_sign_ins_are_limited_per_address(client, usuarios, settings):
    settings.POA_INTENTOS_DIRECCION = 3
    for n in range(3):
        client.post("/entrar/", {"username": f"nadie{n}", "password": "x"}, REMOTE_ADDR="10.9.9.9")
    response = client.post("/entrar/", {"username": "ana58", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 429
    assert client.post("/entrar/", {"username": "ana58", "password": PASSWORD}, REMOTE_ADDR="10.9.9.8").status_code == 302


def test_deactivated_account_cannot_sign_in(client, usuarios):
    from poa_xlsx.web.cuentas.cuentas import deactivate_user

    deactivate_user("beto59")
    response = client.post("/entrar/", {"username": "beto59", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_redirect_after_sign_in_stays_on_this_site(client, usuarios):
    response = client.post("/entrar/", {"username": "beto59", "password": PASSWORD, "siguiente": "https://otro.example/robar"})
    assert response["Location"] == "/"
    client.logout()
    response = client.post("/entrar/", {"username": "beto59", "password": PASSWORD, "siguiente": "/ramos/59/"})
    assert response["Location"] == "/ramos/59/"


def test_forms_need_the_csrf_token(usuarios):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/entrar/", {"username": "beto59", "password": PASSWORD})
    assert response.status_code == 403
    html = response.content.decode()
    assert "El formulario venció" in html and "CSRF" not in html
    assert "_auth_user_id" not in client.session


def test_sign_out_is_a_post_and_is_logged(client, usuarios):
    client.force_login(usuarios["c58"])
    assert client.get("/salir/").status_code == 405
    assert client.post("/salir/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert Evento.objects.filter(tipo=Evento.Tipo.SALIDA, nombre_usuario="ana58").exists()
