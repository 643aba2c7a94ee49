"""E-mail notices of the submission workflow, through the library's SMTP support (poa_xlsx.correo).

Each notice is first stored (Aviso), then sent; a failure is recorded on it
(shown on the period's page) and it is retried by the next delivery
(`poa-render recordar`, or the next action in the portal). Server settings
come from ``correo.ini`` in the portal's folder and the environment, as
`poa-render enviar` reads them (:mod:`.correo_config`).
"""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from ..cuentas.models import Rol
from ..periodos.models import Periodo, Ramo
from . import correo_config
from .models import Aviso, Envio

log = logging.getLogger("poa.portal")


def smtp_settings() -> tuple[Any, Any] | None:
    """(ServidorSMTP, remitente) from correo.ini and the environment, or None when no server is set."""
    config = correo_config.load()
    return (config.servidor, config.remitente) if config.servidor is not None else None


def tesoreria_addresses() -> list[str]:
    extra = list(correo_config.load().tesoreria)
    users = User.objects.filter(is_active=True, perfil__rol=Rol.TESORERIA).exclude(email="").values_list("email", flat=True)
    return sorted(set(extra) | set(users))


def ramo_addresses(ramo: str) -> list[str]:
    users = set(User.objects.filter(is_active=True, perfil__rol=Rol.CAPTURISTA, perfil__ramo=ramo).exclude(email="").values_list("email", flat=True))
    catalogo = Ramo.objects.filter(clave=ramo).exclude(correo="").values_list("correo", flat=True)
    return sorted(users | set(catalogo))


def _queue(tipo: str, clave: str, para: list[str], asunto: str, cuerpo: str, **refs: Any) -> Aviso | None:
    if not para:
        log.info("aviso %s sin destinatarios (nadie con correo): %s", tipo, asunto)
        return None
    try:
        with transaction.atomic():
            return Aviso.objects.create(tipo=tipo, clave=clave, para=", ".join(para), asunto=asunto, cuerpo=cuerpo, **refs)
    except IntegrityError:
        return None  # already queued (the same reminder today)


def queue_for_transition(envio: Envio) -> Aviso | None:
    """The notice a submission's last move calls for: to Tesorería when sent, to the ramo when returned or approved."""
    t = envio.transiciones.order_by("-cuando", "-id").first()
    if t is None:
        return None
    p = envio.periodo
    clave = f"transicion:{t.pk}"
    if envio.estado == Envio.Estado.ENVIADO:
        return _queue(Aviso.Tipo.ENVIADO, clave, tesoreria_addresses(),
                      f"POA {p}: el ramo {envio.ramo} envió su reporte",
                      f"El ramo {envio.ramo} envió su reporte TMM-F004 del periodo {p} ({envio.version.nombre}), "
                      f"el {timezone.localtime(t.cuando):%d/%m/%Y a las %H:%M}, por {t.usuario.get_username()}.\n\n"
                      "Revíselo en el portal POA: apruébelo o devuélvalo con un comentario.\n",
                      envio=envio, periodo=p, ramo=envio.ramo)
    if envio.estado == Envio.Estado.DEVUELTO:
        return _queue(Aviso.Tipo.DEVUELTO, clave, ramo_addresses(envio.ramo),
                      f"POA {p}: Tesorería devolvió el reporte del ramo {envio.ramo}",
                      f"Tesorería devolvió el reporte del ramo {envio.ramo} del periodo {p}.\n\nComentario: {t.comentario}\n\n"
                      f"Corrija el libro, súbalo de nuevo en el portal POA y pulse «Enviar a Tesorería» antes del "
                      f"{p.deadline_for(envio.ramo):%d/%m/%Y}.\n",
                      envio=envio, periodo=p, ramo=envio.ramo)
    if envio.estado == Envio.Estado.APROBADO:
        return _queue(Aviso.Tipo.APROBADO, clave, ramo_addresses(envio.ramo),
                      f"POA {p}: Tesorería aprobó el reporte del ramo {envio.ramo}",
                      f"Tesorería aprobó el reporte del ramo {envio.ramo} del periodo {p} ({envio.version.nombre})."
                      + (f"\n\nComentario: {t.comentario}" if t.comentario else "") + "\n",
                      envio=envio, periodo=p, ramo=envio.ramo)
    return None


def queue_reminders(dias: int, today: dt.date | None = None) -> list[Aviso]:
    """A reminder to every expected ramo *sin enviar*, *con errores* or *devuelto* whose deadline is
    within ``dias`` days; at most one per ramo, period and day."""
    from .matriz import build_matrix

    today = today or timezone.localdate()
    made = []
    for p in Periodo.objects.filter(abierto=True):
        for fila in build_matrix(p):
            if fila.estado in ("enviado", "aprobado") or not (today <= fila.cierre <= today + dt.timedelta(days=dias)):
                continue
            faltan = (fila.cierre - today).days
            cuando = "hoy" if faltan == 0 else ("mañana" if faltan == 1 else f"en {faltan} días")
            que = {"devuelto": "Tesorería le devolvió su reporte y espera la versión corregida.",
                   "con errores": "Su último libro subido tiene errores: corríjalos y súbalo de nuevo."}.get(
                       fila.estado, "Aún no ha enviado su reporte.")
            aviso = _queue(Aviso.Tipo.RECORDATORIO, f"recordatorio:{p.pk}:{fila.ramo}:{today.isoformat()}", ramo_addresses(fila.ramo),
                           f"POA {p}: la fecha límite del ramo {fila.ramo} es {cuando} ({fila.cierre:%d/%m/%Y})",
                           f"{que}\n\nLa fecha límite para el ramo {fila.ramo} en el periodo {p} es el {fila.cierre:%d/%m/%Y}. "
                           "Entre al portal POA, suba su libro y, sin errores, pulse «Enviar a Tesorería».\n",
                           periodo=p, ramo=fila.ramo)
            if aviso is not None:
                made.append(aviso)
    return made


def deliver_pending(smtp: tuple[Any, Any] | None = None) -> list[tuple[Aviso, str | None]]:
    """Send every notice not yet accepted by the server; (notice, error or None) for each tried.
    Without SMTP settings nothing is tried and the notices wait."""
    from poa_xlsx.correo.mensaje import MailError, build_message
    from poa_xlsx.correo.smtp import send_message

    smtp = smtp or smtp_settings()
    if smtp is None:
        return []
    servidor, remitente = smtp
    results: list[tuple[Aviso, str | None]] = []
    for aviso in Aviso.objects.filter(enviado__isnull=True).order_by("creado", "id"):
        aviso.intentos += 1
        try:
            msg = build_message(asunto=aviso.asunto, cuerpo=aviso.cuerpo, para=[a.strip() for a in aviso.para.split(",")], remitente=remitente)
            send_message(msg, servidor)
        except (MailError, OSError, ValueError) as exc:
            aviso.error = str(exc)[:2000]
            results.append((aviso, aviso.error))
            log.warning("aviso %s no enviado: %s", aviso.pk, aviso.error)
        else:
            aviso.enviado = timezone.now()
            aviso.error = ""
            results.append((aviso, None))
        aviso.save(update_fields=["intentos", "error", "enviado"])
    return results


def notify(envio: Envio) -> None:
    """Queue the notice of the submission's last move and try to deliver what is pending; never raises."""
    try:
        queue_for_transition(envio)
        deliver_pending()
    except Exception:  # the move itself is done; the notice stays queued for the next delivery
        log.exception("aviso por correo del envío %s pendiente", envio.pk)
