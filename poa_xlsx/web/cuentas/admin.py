"""User management in Django's admin: each user with their role and ramo."""
from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User

from .models import Evento, Perfil


class PerfilInline(admin.StackedInline):
    model = Perfil
    can_delete = False
    verbose_name_plural = "rol y ramo"


class UsuarioAdmin(UserAdmin):
    inlines = [PerfilInline]
    list_display = ("username", "email", "first_name", "last_name", "is_active", "rol", "ramo")

    @admin.display(description="rol")
    def rol(self, obj: User) -> str:
        perfil = getattr(obj, "perfil", None)
        return perfil.get_rol_display() if perfil else "—"

    @admin.display(description="ramo")
    def ramo(self, obj: User) -> str:
        perfil = getattr(obj, "perfil", None)
        return perfil.ramo if perfil and perfil.ramo else "—"


@admin.register(Evento)
class EventoAdmin(admin.ModelAdmin):
    list_display = ("cuando", "tipo", "nombre_usuario", "direccion", "detalle")
    list_filter = ("tipo",)
    search_fields = ("nombre_usuario", "detalle")
    date_hierarchy = "cuando"

    # the log is a record: nobody edits or deletes it from the admin
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


admin.site.unregister(User)
admin.site.register(User, UsuarioAdmin)
admin.site.site_header = "Portal POA: administración"
admin.site.site_title = "Portal POA"
admin.site.index_title = "Usuarios, bitácora y catálogos"
