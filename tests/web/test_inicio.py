"""The first page after signing in, for each role."""
from __future__ import annotations

from portal_helpers import TURISMO, upload


def test_capturista_goes_to_their_ramo(as_user):
    response = as_user("c59").get("/")
    assert response.status_code == 302 and response["Location"] == "/ramos/59/"


def test_tesoreria_and_admin_see_every_ramo(as_user, usuarios):
    upload(usuarios["c58"], TURISMO)
    for role in ("teso", "admin"):
        response = as_user(role).get("/")
        assert response.status_code == 200
        html = response.content.decode()
        assert 'href="/ramos/58/"' in html and 'href="/ramos/59/"' in html  # 59 has an account, no upload yet


def test_capturista_without_ramo_is_told_what_to_do(as_user):
    response = as_user("sinramo").get("/")
    assert response.status_code == 403
    assert "Su cuenta no tiene ramo" in response.content.decode()
