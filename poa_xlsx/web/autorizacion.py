"""The one authorization rule for a ramo's data, used by every view that touches it.

A capturista sees only their own ramo; Tesorería and administrators see every
ramo. Whatever a user may not see does not exist for them: 404, never 403,
so that another ramo's uploads cannot even be counted.
"""
from __future__ import annotations

from typing import Any

from django.http import Http404

from .cuentas.models import Rol, normalize_ramo


def role_of(user: Any) -> str | None:
    """The user's role: their profile's, or administrador for a superuser without one."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    perfil = getattr(user, "perfil", None)
    if perfil is not None:
        return str(perfil.rol)
    return Rol.ADMINISTRADOR if user.is_superuser else None


def own_ramo(user: Any) -> str | None:
    """The ramo a capturista works for (None for other roles or without one)."""
    perfil = getattr(user, "perfil", None)
    if role_of(user) == Rol.CAPTURISTA and perfil is not None and perfil.ramo:
        return str(perfil.ramo)
    return None


def sees_all(user: Any) -> bool:
    return role_of(user) in (Rol.TESORERIA, Rol.ADMINISTRADOR)


def can_see_ramo(user: Any, ramo: str) -> bool:
    if sees_all(user):
        return True
    mine = own_ramo(user)
    return mine is not None and mine == normalize_ramo(ramo)


def can_upload(user: Any, ramo: str) -> bool:
    """Only the ramo's own capturistas upload its workbooks (Tesorería reviews, it does not capture)."""
    mine = own_ramo(user)
    return mine is not None and mine == normalize_ramo(ramo)


def can_upload_signed(user: Any, ramo: str) -> bool:
    """The signed PDF of a report: the ramo's own capturistas (their holders sign it) and
    Tesorería (a signed report may reach it by other means) upload it."""
    return sees_all(user) or can_upload(user, ramo)


def require_ramo(user: Any, ramo: str) -> str:
    """The normalized ramo if ``user`` may see it; else 404."""
    if not can_see_ramo(user, ramo):
        raise Http404("No existe ese ramo o no tiene acceso a él.")
    return normalize_ramo(ramo)


def visible(user: Any, queryset: Any) -> Any:
    """``queryset`` (of objects with a ``ramo`` field) narrowed to what ``user`` may see."""
    if sees_all(user):
        return queryset
    mine = own_ramo(user)
    return queryset.filter(ramo=mine) if mine else queryset.none()


def get_visible(user: Any, queryset: Any, **lookup: Any) -> Any:
    """One object of ``queryset`` that ``user`` may see; else 404 (also when it exists for others)."""
    try:
        return visible(user, queryset).get(**lookup)
    except queryset.model.DoesNotExist as exc:
        raise Http404("No existe o no tiene acceso.") from exc
