from __future__ import annotations

from typing import Any

from django.http import HttpRequest


def perfil(request: HttpRequest) -> dict[str, Any]:
    """``perfil`` in every template: the signed-in user's role and ramo (or None)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"perfil": None}
    return {"perfil": getattr(user, "perfil", None)}
