"""What Tesorería collects each quarter: the ramos expected, the period and its deadline."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone

from ..cuentas.models import normalize_ramo


class Ramo(models.Model):
    """One entry of the ramos catalogue Tesorería keeps: the ramos expected each period."""

    clave = models.CharField("clave", max_length=20, unique=True)
    nombre = models.CharField("nombre", max_length=200)
    correo = models.EmailField("correo de contacto", blank=True)
    activo = models.BooleanField("se espera cada periodo", default=True)

    class Meta:
        verbose_name = "ramo"
        verbose_name_plural = "ramos"
        ordering = ["clave"]

    def __str__(self) -> str:
        return f"{self.clave} {self.nombre}"

    def save(self, *args: object, **kwargs: object) -> None:
        self.clave = normalize_ramo(self.clave)
        super().save(*args, **kwargs)


class Periodo(models.Model):
    """A quarter Tesorería opened: staff upload and send into it until its deadline."""

    ejercicio = models.PositiveSmallIntegerField("ejercicio")
    trimestre = models.PositiveSmallIntegerField("trimestre", choices=[(1, "1"), (2, "2"), (3, "3"), (4, "4")])
    cierre = models.DateField("fecha límite", help_text="Último día en que los ramos pueden subir y enviar.")
    abierto = models.BooleanField("abierto", default=True)
    creado = models.DateTimeField("abierto el", auto_now_add=True)
    creado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    cerrado_el = models.DateTimeField("cerrado el", null=True, blank=True)
    cerrado_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name="cerrado por")

    class Meta:
        verbose_name = "periodo"
        verbose_name_plural = "periodos"
        ordering = ["-ejercicio", "-trimestre"]
        constraints = [models.UniqueConstraint(fields=["ejercicio", "trimestre"], name="periodo_unico")]

    def __str__(self) -> str:
        return f"{self.ejercicio} T{self.trimestre}"

    def deadline_for(self, ramo: str) -> dt.date:
        """The last day ``ramo`` may upload: the deadline, or its latest extension."""
        prorroga = self.prorrogas.filter(ramo=normalize_ramo(ramo)).order_by("-hasta").first()
        return max(self.cierre, prorroga.hasta) if prorroga else self.cierre

    def refusal(self, ramo: str, today: dt.date | None = None) -> str | None:
        """Why ``ramo`` may not upload or send into this period now (in Spanish, saying
        what to do), or None while it may."""
        if not self.abierto:
            cuando = f" el {timezone.localtime(self.cerrado_el):%d/%m/%Y}" if self.cerrado_el else ""
            return (f"Tesorería cerró el periodo {self.ejercicio} trimestre {self.trimestre}{cuando} y ya no recibe "
                    "libros ni envíos. Si necesita corregir algo, pida a Tesorería que reabra el periodo.")
        limite = self.deadline_for(ramo)
        if (today or timezone.localdate()) > limite:
            return (f"El periodo {self.ejercicio} trimestre {self.trimestre} cerró el {limite:%d/%m/%Y} y ya no recibe "
                    "libros ni envíos. Si necesita más tiempo, pida a Tesorería una prórroga para su ramo.")
        return None

    def accepts(self, ramo: str, today: dt.date | None = None) -> bool:
        """True while ``ramo`` may upload and send into this period."""
        return self.refusal(ramo, today) is None


class Prorroga(models.Model):
    """An extension of the deadline for one ramo, with its reason; both recorded."""

    periodo = models.ForeignKey(Periodo, on_delete=models.PROTECT, related_name="prorrogas")
    ramo = models.CharField("ramo", max_length=20)
    hasta = models.DateField("nueva fecha límite")
    motivo = models.TextField("motivo")
    otorgada = models.DateTimeField("otorgada el", auto_now_add=True)
    otorgada_por = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "prórroga"
        verbose_name_plural = "prórrogas"
        ordering = ["-otorgada"]

    def save(self, *args: object, **kwargs: object) -> None:
        self.ramo = normalize_ramo(self.ramo)
        super().save(*args, **kwargs)
