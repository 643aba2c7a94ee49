"""Every upload is a version (never overwritten or deleted from the pages); per period a
ramo's submission moves between states, each move recorded (who, when, from, to, comment)."""
from __future__ import annotations

import os

from django.conf import settings
from django.db import models

from ..periodos.models import Periodo


class Version(models.Model):
    """One uploaded workbook: the original file, its fingerprint, who and when, what the library found."""

    class Resultado:
        """Stored values (plain strings) and their Spanish labels (``choices``)."""

        SIN_ERRORES = "sin-errores"
        CON_ERRORES = "con-errores"
        ILEGIBLE = "ilegible"
        choices = [(SIN_ERRORES, "Sin errores"), (CON_ERRORES, "Con errores"), (ILEGIBLE, "No se pudo leer")]
        values = [value for value, _ in choices]

    ramo = models.CharField("ramo", max_length=20, db_index=True)
    periodo = models.ForeignKey(Periodo, null=True, blank=True, on_delete=models.PROTECT, related_name="versiones")
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="versiones")
    subido = models.DateTimeField("subido", auto_now_add=True, db_index=True)
    nombre = models.CharField("nombre del archivo", max_length=255)
    carpeta = models.CharField("carpeta", max_length=500, help_text="Relativa a la carpeta del portal.")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    tamano = models.PositiveBigIntegerField("tamaño (bytes)")
    resultado = models.CharField("resultado", max_length=20, choices=Resultado.choices)
    errores = models.PositiveIntegerField("errores", default=0)
    advertencias = models.PositiveIntegerField("advertencias", default=0)
    mensaje = models.TextField("mensaje", blank=True, help_text="Por qué no se pudo leer, si es el caso.")
    problemas = models.JSONField("problemas", default=list)
    ejercicio = models.PositiveSmallIntegerField(null=True, blank=True)
    trimestre = models.PositiveSmallIntegerField(null=True, blank=True)
    unidades = models.PositiveIntegerField(default=0)
    conteo = models.JSONField("metas por estatus", default=dict)
    salidas = models.JSONField("archivos generados", default=list)

    class Meta:
        verbose_name = "versión"
        verbose_name_plural = "versiones"
        ordering = ["-subido", "-id"]

    def __str__(self) -> str:
        return f"{self.nombre} (ramo {self.ramo}, {self.subido:%Y-%m-%d %H:%M})"

    @property
    def ok(self) -> bool:
        return self.resultado == self.Resultado.SIN_ERRORES

    def path(self, name: str) -> str:
        """Absolute path of a file of this version, inside the portal's folder."""
        return os.path.join(settings.POA_CARPETA, self.carpeta, name)

    @property
    def original(self) -> str:
        return self.path(self.nombre)


class Envio(models.Model):
    """A ramo's submission for a period: which version it sent and where it stands."""

    class Estado:
        """Stored values (plain strings) and their Spanish labels (``choices``)."""

        ENVIADO = "enviado"
        DEVUELTO = "devuelto"
        APROBADO = "aprobado"
        choices = [(ENVIADO, "Enviado"), (DEVUELTO, "Devuelto"), (APROBADO, "Aprobado")]
        values = [value for value, _ in choices]

    periodo = models.ForeignKey(Periodo, on_delete=models.PROTECT, related_name="envios")
    ramo = models.CharField("ramo", max_length=20)
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="envios")
    estado = models.CharField("estado", max_length=20, choices=Estado.choices)
    actualizado = models.DateTimeField("última acción", auto_now=True)

    class Meta:
        verbose_name = "envío"
        verbose_name_plural = "envíos"
        constraints = [models.UniqueConstraint(fields=["periodo", "ramo"], name="un_envio_por_ramo_y_periodo")]

    def __str__(self) -> str:
        return f"{self.periodo} ramo {self.ramo}: {self.get_estado_display()}"


class Transicion(models.Model):
    """One recorded move of a submission: who, when, from which state, to which, and why."""

    envio = models.ForeignKey(Envio, on_delete=models.PROTECT, related_name="transiciones")
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="+")
    de = models.CharField("de", max_length=20, blank=True)
    a = models.CharField("a", max_length=20)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cuando = models.DateTimeField("cuándo", auto_now_add=True, db_index=True)
    comentario = models.TextField("comentario", blank=True)

    class Meta:
        verbose_name = "transición"
        verbose_name_plural = "transiciones"
        ordering = ["cuando", "id"]


class Aviso(models.Model):
    """An e-mail the portal owes someone: kept until the server accepts it, retried, never lost."""

    class Tipo:
        """Stored values (plain strings) and their Spanish labels (``choices``)."""

        ENVIADO = "enviado"
        DEVUELTO = "devuelto"
        APROBADO = "aprobado"
        RECORDATORIO = "recordatorio"
        choices = [(ENVIADO, "Un ramo envió"), (DEVUELTO, "Envío devuelto"), (APROBADO, "Envío aprobado"), (RECORDATORIO, "Recordatorio")]
        values = [value for value, _ in choices]

    tipo = models.CharField("tipo", max_length=20, choices=Tipo.choices)
    clave = models.CharField("clave", max_length=200, unique=True, help_text="Evita repetir un aviso (un recordatorio al día).")
    ramo = models.CharField("ramo", max_length=20, blank=True)
    envio = models.ForeignKey(Envio, null=True, blank=True, on_delete=models.PROTECT, related_name="avisos")
    periodo = models.ForeignKey(Periodo, null=True, blank=True, on_delete=models.PROTECT, related_name="avisos")
    para = models.TextField("para", help_text="Direcciones separadas por comas.")
    asunto = models.CharField("asunto", max_length=300)
    cuerpo = models.TextField("texto")
    creado = models.DateTimeField("creado", auto_now_add=True)
    enviado = models.DateTimeField("enviado", null=True, blank=True)
    intentos = models.PositiveIntegerField("intentos", default=0)
    error = models.TextField("último error", blank=True)

    class Meta:
        verbose_name = "aviso por correo"
        verbose_name_plural = "avisos por correo"
        ordering = ["-creado", "-id"]

    def __str__(self) -> str:
        return f"{self.asunto} → {self.para}"


class ReporteFirmado(models.Model):
    """A signed PDF of a version's report, as uploaded, and what verifying it found then.

    Each holder signs in turn and the file may be uploaded after each signature: every
    upload is kept (never overwritten or deleted from the pages); the latest one counts.
    """

    class Estado:
        """Stored values (plain strings) and their Spanish labels (``choices``)."""

        COMPLETO = "completo"
        PARCIAL = "parcial"
        INVALIDO = "invalido"
        choices = [(COMPLETO, "Firmado por completo"), (PARCIAL, "Faltan firmas"), (INVALIDO, "Alguna firma no es válida")]
        values = [value for value, _ in choices]

    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="firmados")
    ramo = models.CharField("ramo", max_length=20, db_index=True)
    usuario = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    subido = models.DateTimeField("subido", auto_now_add=True, db_index=True)
    nombre = models.CharField("nombre del archivo", max_length=255)
    archivo = models.CharField("archivo guardado", max_length=255, help_text="Relativo a la carpeta de la versión.")
    sha256 = models.CharField("SHA-256", max_length=64)
    tamano = models.PositiveBigIntegerField("tamaño (bytes)")
    estado = models.CharField("estado", max_length=20, choices=Estado.choices)
    campos = models.PositiveIntegerField("campos de firma")
    firmas = models.PositiveIntegerField("firmas")
    firmas_validas = models.PositiveIntegerField("firmas válidas")
    con_raices = models.BooleanField("cadena comprobada con las raíces del portal")
    verificacion = models.JSONField("resultado de verificar", default=dict)

    class Meta:
        verbose_name = "reporte firmado"
        verbose_name_plural = "reportes firmados"
        ordering = ["-subido", "-id"]

    def __str__(self) -> str:
        return f"{self.nombre} (ramo {self.ramo}, versión {self.version_id}, {self.subido:%Y-%m-%d %H:%M})"

    @property
    def completo(self) -> bool:
        return self.estado == self.Estado.COMPLETO

    def path(self) -> str:
        return self.version.path(self.archivo)
