from __future__ import annotations

from django.contrib import admin
from django.urls import path, re_path

from . import errores
from .cuentas import views as cuentas
from .entregas import views as entregas
from .periodos import views as periodos

urlpatterns = [
    path("", entregas.inicio, name="inicio"),
    path("entrar/", cuentas.entrar, name="entrar"),
    path("salir/", cuentas.salir, name="salir"),
    path("ramos/<str:ramo>/", entregas.ramo, name="ramo"),
    path("ramos/<str:ramo>/subir/", entregas.subir, name="subir"),
    path("versiones/<int:pk>/", entregas.version, name="version"),
    path("versiones/<int:pk>/descargar/<str:tipo>/", entregas.descargar, name="descargar"),
    path("versiones/<int:pk>/paginas/<int:numero>.png", entregas.pagina, name="pagina"),
    path("versiones/<int:pk>/enviar/", entregas.enviar, name="enviar"),
    path("versiones/<int:pk>/firmado/", entregas.subir_firmado, name="subir_firmado"),
    path("firmados/<int:pk>/descargar/", entregas.descargar_firmado, name="descargar_firmado"),
    path("envios/<int:pk>/", entregas.envio, name="envio"),
    path("envios/<int:pk>/revisar/", entregas.revisar, name="revisar"),
    path("periodos/", periodos.lista, name="periodos"),
    path("periodos/<int:pk>/", periodos.periodo, name="periodo"),
    path("periodos/<int:pk>/prorroga/", periodos.prorroga, name="prorroga"),
    path("periodos/<int:pk>/cerrar/", periodos.cerrar, name="cerrar_periodo"),
    path("periodos/<int:pk>/reabrir/", periodos.reabrir, name="reabrir_periodo"),
    path("periodos/<int:pk>/auditoria/", periodos.auditoria, name="auditoria"),
    path("periodos/<int:pk>/consolidado.<str:formato>", periodos.consolidado, name="consolidado"),
    # the admin signs in through the portal's own page (with its limits on failed attempts)
    path("admin/login/", cuentas.admin_login),
    path("admin/", admin.site.urls),
    re_path(r"^static/(?P<path>.+)$", errores.static_file, name="static"),
]

handler400 = "poa_xlsx.web.errores.bad_request"
handler403 = "poa_xlsx.web.errores.forbidden"
handler404 = "poa_xlsx.web.errores.not_found"
handler500 = "poa_xlsx.web.errores.server_error"
