"""A ramo's page: its uploads newest first; every role against own and other ramos."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    ("role", "ramo", "status"),
    [
        ("c59", "59", 200), ("c59", "059", 200), ("c59", "58", 404), ("c59", "999", 404),
        ("c58", "58", 200), ("c58", "59", 404),
        ("teso", "58", 200), ("teso", "59", 200),
        ("admin", "58", 200), ("admin", "59", 200),
        ("sinramo", "58", 404), ("sinramo", "59", 404),
    ],
)
def test_who_sees_which_ramo(as_user, versiones, role, ramo, status):
    response = as_user(role).get(f"/ramos/{ramo}/")
    assert response.status_code == status
    html = response.content.decode()
    if status == 404:
        assert "No se encontró la página" in html
        assert "2023-cdi-T2" not in html and "2024-turismo" not in html


def test_uploads_newest_first_and_only_this_ramos(as_user, versiones):
    html = as_user("c59").get("/ramos/59/").content.decode()
    assert html.index("2023-cdi-T2.xlsx") < html.index("2023-cdi-T2-con-errores.xlsx")
    assert "2024-turismo-T1" not in html
    assert "3 errores" in html and "Sin errores" in html


def test_upload_form_only_for_the_ramos_capturistas(as_user, versiones):
    assert 'enctype="multipart/form-data"' in as_user("c59").get("/ramos/59/").content.decode()
    assert 'enctype="multipart/form-data"' not in as_user("teso").get("/ramos/59/").content.decode()
    assert 'enctype="multipart/form-data"' not in as_user("admin").get("/ramos/59/").content.decode()


def test_page_is_accessible_without_javascript(as_user, versiones):
    html = as_user("c59").get("/ramos/59/").content.decode()
    assert 'href="#contenido"' in html  # skip link
    assert '<label for="id_archivo"' in html and 'id="id_archivo"' in html
    assert 'type="submit"' in html
    assert "http://" not in html and "https://" not in html  # no external assets
