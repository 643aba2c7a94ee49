"""Error pages: Spanish, no internals, DEBUG off by default."""
from __future__ import annotations

from django.conf import settings
from django.test import Client


def test_debug_is_off_by_default():
    assert settings.DEBUG is False


def test_404_page_is_spanish_without_internals(as_user):
    response = as_user("c59").get("/no/existe/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "No se encontró la página" in html
    assert "Traceback" not in html and "urlpatterns" not in html and "poa_xlsx" not in html


def test_500_page_is_spanish_without_internals(usuarios, monkeypatch):
    from poa_xlsx.web.entregas import views

    def boom(*args, **kwargs):
        raise RuntimeError("detalle interno secreto")

    monkeypatch.setattr(views, "group_problems", boom)
    client = Client(raise_request_exception=False)
    client.force_login(usuarios["c59"])
    from portal_helpers import CON_ERRORES, upload

    v = upload(usuarios["c59"], CON_ERRORES)
    response = client.get(f"/versiones/{v.pk}/")
    assert response.status_code == 500
    html = response.content.decode()
    assert "El portal tuvo un error" in html
    assert "secreto" not in html and "RuntimeError" not in html and "Traceback" not in html


def test_static_files_are_served_from_the_package(client, db):
    response = client.get("/static/poa/portal.css")
    assert response.status_code == 200 and b":focus-visible" in b"".join(response.streaming_content)
    assert client.get("/static/../settings.py").status_code == 404
