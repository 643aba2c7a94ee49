"""Versions and the submissions' history are records: visible in the admin, never edited there."""
from __future__ import annotations

from typing import Any

from django.contrib import admin

from .models import Envio, ReporteFirmado, Transicion, Version


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False


@admin.register(Version)
class VersionAdmin(ReadOnly):
    list_display = ("subido", "ramo", "nombre", "usuario", "resultado", "errores", "advertencias", "periodo")
    list_filter = ("resultado", "ramo", "periodo")


@admin.register(Envio)
class EnvioAdmin(ReadOnly):
    list_display = ("periodo", "ramo", "estado", "actualizado")
    list_filter = ("periodo", "estado")


@admin.register(Transicion)
class TransicionAdmin(ReadOnly):
    list_display = ("cuando", "envio", "de", "a", "usuario", "comentario")


@admin.register(ReporteFirmado)
class ReporteFirmadoAdmin(ReadOnly):
    list_display = ("subido", "ramo", "nombre", "usuario", "estado", "firmas_validas", "campos", "con_raices")
    list_filter = ("estado", "ramo")
