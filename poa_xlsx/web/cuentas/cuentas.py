"""Accounts as the command line manages them (``poa-render usuarios``): create, list, deactivate."""
from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from poa_xlsx.problems import PoaError

from .models import Evento, Perfil, Rol, normalize_ramo


class CuentaError(PoaError):
    """A Spanish message for the person running the command."""


@dataclass(frozen=True)
class Cuenta:
    usuario: str
    rol: str
    ramo: str
    correo: str
    activo: bool
    ultimo_acceso: str


def create_user(usuario: str, password: str, *, rol: str = Rol.CAPTURISTA, ramo: str | None = None, correo: str = "") -> User:
    """Create an account; a capturista needs a ramo. Raises CuentaError with what to fix."""
    usuario = usuario.strip()
    if not usuario:
        raise CuentaError("Indique el nombre de usuario.")
    if rol not in Rol.values:
        raise CuentaError(f"Rol desconocido «{rol}»; use capturista, tesoreria o administrador.")
    ramo_n = normalize_ramo(ramo)
    if rol == Rol.CAPTURISTA and not ramo_n:
        raise CuentaError("Un capturista necesita su ramo: agregue --ramo CLAVE (por ejemplo --ramo 58).")
    if correo:
        try:
            validate_email(correo)
        except ValidationError as exc:
            raise CuentaError(f"El correo «{correo}» no es válido.") from exc
    if User.objects.filter(username__iexact=usuario).exists():
        raise CuentaError(f"Ya existe el usuario «{usuario}». Elija otro nombre o use «usuarios lista».")
    candidate = User(username=usuario, email=correo)
    try:
        validate_password(password, candidate)
    except ValidationError as exc:
        raise CuentaError("La contraseña no sirve: " + " ".join(exc.messages)) from exc
    with transaction.atomic():
        user = User.objects.create_user(usuario, email=correo, password=password)
        if rol == Rol.ADMINISTRADOR:
            user.is_staff = True
            user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
        Perfil.objects.create(usuario=user, rol=rol, ramo=ramo_n)
        Evento.objects.create(tipo=Evento.Tipo.CUENTA, usuario=user, nombre_usuario=usuario, detalle=f"cuenta creada desde la línea de comandos: rol {rol}, ramo {ramo_n or '—'}")
    return user


def list_users() -> list[Cuenta]:
    rows = []
    for user in User.objects.select_related("perfil").order_by("username"):
        perfil = getattr(user, "perfil", None)
        rows.append(
            Cuenta(
                usuario=user.username,
                rol=perfil.rol if perfil else ("administrador" if user.is_superuser else "—"),
                ramo=perfil.ramo if perfil and perfil.ramo else "—",
                correo=user.email or "—",
                activo=user.is_active,
                ultimo_acceso=user.last_login.strftime("%Y-%m-%d %H:%M") if user.last_login else "nunca",
            )
        )
    return rows


def deactivate_user(usuario: str) -> User:
    """Deactivate (never delete: their uploads stay theirs)."""
    try:
        user = User.objects.get(username__iexact=usuario.strip())
    except User.DoesNotExist as exc:
        raise CuentaError(f"No existe el usuario «{usuario}». Vea los nombres con «poa-render usuarios lista».") from exc
    user.is_active = False
    user.save(update_fields=["is_active"])
    Evento.objects.create(tipo=Evento.Tipo.CUENTA, usuario=user, nombre_usuario=user.username, detalle="cuenta desactivada desde la línea de comandos")
    return user
