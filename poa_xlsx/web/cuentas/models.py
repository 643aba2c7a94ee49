"""A user's role and ramo, and the log of sign-ins and other events."""
from __future__ import annotations

from django.conf import settings
from django.db import models

from ..entregas.analisis import normalize_ramo

__all__ = ["Evento", "Perfil", "Rol", "normalize_ramo"]


class Rol:
    """Stored values (plain strings) and their Spanish labels (``choices``)."""

    CAPTURISTA = "capturista"
    TESORERIA = "tesoreria"
    ADMINISTRADOR = "administrador"
    choices = [(CAPTURISTA, "Capturista"), (TESORERIA, "Tesorería"), (ADMINISTRADOR, "Administrador")]
    values = [value for value, _ in choices]


class Perfil(models.Model):
    """What the portal knows about a user beyond Django's account: role and ramo."""

    usuario = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="perfil")
    rol = models.CharField("rol", max_length=20, choices=Rol.choices, default=Rol.CAPTURISTA)
    ramo = models.CharField("ramo", max_length=20, blank=True, help_text="Clave del ramo (por ejemplo 58); obligatoria para capturistas.")

    class Meta:
        verbose_name = "perfil"
        verbose_name_plural = "perfiles"

    def __str__(self) -> str:
        return f"{self.usuario.get_username()} ({self.get_rol_display()}{', ramo ' + self.ramo if self.ramo else ''})"

    def save(self, *args: object, **kwargs: object) -> None:
        self.ramo = normalize_ramo(self.ramo)
        super().save(*args, **kwargs)

    @property
    def ve_todos_los_ramos(self) -> bool:
        return self.rol in (Rol.TESORERIA, Rol.ADMINISTRADOR)


class Evento(models.Model):
    """One line of the portal's log: who did what, when, from where."""

    class Tipo:
        """Stored values (plain strings) and their Spanish labels (``choices``)."""

        ACCESO = "acceso"
        ACCESO_FALLIDO = "acceso-fallido"
        ACCESO_BLOQUEADO = "acceso-bloqueado"
        SALIDA = "salida"
        SUBIDA = "subida"
        SUBIDA_RECHAZADA = "subida-rechazada"
        DESCARGA = "descarga"
        CUENTA = "cuenta"
        FIRMADO = "firmado"
        FIRMADO_RECHAZADO = "firmado-rechazado"
        choices = [(ACCESO, "Inicio de sesión"), (ACCESO_FALLIDO, "Inicio de sesión fallido"), (ACCESO_BLOQUEADO, "Inicio de sesión bloqueado"), (SALIDA, "Cierre de sesión"), (SUBIDA, "Libro subido"), (SUBIDA_RECHAZADA, "Libro rechazado"), (DESCARGA, "Descarga"), (CUENTA, "Cuenta"), (FIRMADO, "PDF firmado subido"), (FIRMADO_RECHAZADO, "PDF firmado rechazado")]
        values = [value for value, _ in choices]

    cuando = models.DateTimeField("cuándo", auto_now_add=True, db_index=True)
    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices, db_index=True)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    nombre_usuario = models.CharField("usuario", max_length=150, blank=True, db_index=True)
    direccion = models.GenericIPAddressField("dirección", null=True, blank=True, db_index=True)
    detalle = models.TextField("detalle", blank=True)

    class Meta:
        verbose_name = "evento"
        verbose_name_plural = "bitácora"
        ordering = ["-cuando", "-id"]

    def __str__(self) -> str:
        return f"{self.cuando:%Y-%m-%d %H:%M:%S} {self.get_tipo_display()} {self.nombre_usuario}"
