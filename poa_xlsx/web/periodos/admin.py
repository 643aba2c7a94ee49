from __future__ import annotations

from django.contrib import admin

from .models import Periodo, Prorroga, Ramo


@admin.register(Ramo)
class RamoAdmin(admin.ModelAdmin):
    list_display = ("clave", "nombre", "correo", "activo")
    search_fields = ("clave", "nombre")
    list_filter = ("activo",)


class ProrrogaInline(admin.TabularInline):
    model = Prorroga
    extra = 0
    readonly_fields = ("otorgada", "otorgada_por")


@admin.register(Periodo)
class PeriodoAdmin(admin.ModelAdmin):
    list_display = ("ejercicio", "trimestre", "cierre", "abierto")
    inlines = [ProrrogaInline]
