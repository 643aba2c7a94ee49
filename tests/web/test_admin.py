"""Django's admin, for administrators only: users with their role and ramo, the log (read-only)."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize(("role", "allowed"), [("admin", True), ("teso", False), ("c59", False)])
def test_admin_only_for_administrators(as_user, role, allowed):
    response = as_user(role).get("/admin/", follow=True)
    if allowed:
        assert response.status_code == 200 and "Portal POA: administración" in response.content.decode()
    else:
        assert response.status_code == 403  # told so, not sent back and forth
        assert "No tiene permiso" in response.content.decode()


def test_admin_sign_in_goes_through_the_portals_limited_page(client, db):
    for path in ("/admin/", "/admin/login/?next=/admin/"):
        response = client.get(path, follow=True)
        assert response.redirect_chain[-1][0] in ("/?siguiente=%2Fadmin%2F", "/entrar/?siguiente=/admin/")
        html = response.content.decode()
        assert 'name="username"' in html and "Entrar al portal POA" in html and "Django" not in html


def test_admin_lists_users_with_role_and_ramo(as_user):
    html = as_user("admin").get("/admin/auth/user/").content.decode()
    assert "beto59" in html and "Capturista" in html and ">59<" in html


def test_log_is_read_only(as_user):
    client = as_user("admin")
    assert client.get("/admin/cuentas/evento/").status_code == 200
    assert client.get("/admin/cuentas/evento/add/").status_code == 403
