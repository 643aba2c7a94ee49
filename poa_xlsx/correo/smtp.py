"""Sending over SMTP: server settings, the conversation under a deadline, and
failures explained in Spanish. The only module that speaks SMTP.

Security promises, relied on by the command line and its tests:

- the password is only ever held in :class:`ServidorSMTP` (hidden from its
  ``repr``) and sent to the server; it is never part of an error message,
  and server replies quoted in messages are scrubbed of it (and of the base64
  forms AUTH sends), as are the exceptions chained to a :class:`MailError`;
- the connection is encrypted unless the caller explicitly asks for
  :attr:`Cifrado.NINGUNO`; certificates are always verified (an office CA may
  be added with ``ca_certificado``, never switched off).
"""
from __future__ import annotations

import base64
import smtplib
import socket
import ssl
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import Enum
from typing import Any, Callable, Iterator, Sequence

from poa_xlsx.correo.mensaje import MailError, destinatarios, format_tamano, message_bytes

TIMEOUT = 30.0
# The whole conversation with the server (connect, greeting, TLS, login, message,
# reply) gets this many times the timeout: the timeout alone limits each read, and a
# server sending its greeting one byte every 2 s would keep us waiting for ever (issue #12).
DEADLINE_FACTOR = 4
PUERTO_STARTTLS = 587
PUERTO_TLS_IMPLICITO = 465
PUERTO_SIN_TLS = 25


class Cifrado(str, Enum):
    """How the connection to the SMTP server is protected."""

    STARTTLS = "STARTTLS"
    TLS_IMPLICITO = "TLS implícito"
    NINGUNO = "sin cifrado"


def elegir_cifrado(puerto: int | None, *, sin_tls: bool = False, tls_implicito: bool = False) -> Cifrado:
    """STARTTLS unless port 465 (implicit TLS) or the caller asks otherwise explicitly."""
    if sin_tls:
        return Cifrado.NINGUNO
    if tls_implicito or puerto == PUERTO_TLS_IMPLICITO:
        return Cifrado.TLS_IMPLICITO
    return Cifrado.STARTTLS


def puerto_predeterminado(cifrado: Cifrado) -> int:
    return {
        Cifrado.STARTTLS: PUERTO_STARTTLS,
        Cifrado.TLS_IMPLICITO: PUERTO_TLS_IMPLICITO,
        Cifrado.NINGUNO: PUERTO_SIN_TLS,
    }[cifrado]


@dataclass(frozen=True)
class ServidorSMTP:
    """Where and how to send. ``password`` never shows in ``repr``."""

    host: str
    puerto: int
    cifrado: Cifrado = Cifrado.STARTTLS
    usuario: str | None = None
    password: str | None = field(default=None, repr=False)
    timeout: float = TIMEOUT
    ca_certificado: str | None = None

    @property
    def descripcion(self) -> str:
        """``smtp.example.org:587 (STARTTLS)``: safe to print."""
        return f"{self.host}:{self.puerto} ({self.cifrado.value})"


# --- sending -----------------------------------------------------------------------


def tls_context(ca_certificado: str | None = None) -> ssl.SSLContext:
    """The system's trusted CAs, plus the office's own CA when given."""
    context = ssl.create_default_context()
    if ca_certificado:
        try:
            context.load_verify_locations(cafile=ca_certificado)
        except (OSError, ssl.SSLError) as exc:
            raise MailError(
                f"No se pudo leer el certificado de la autoridad «{ca_certificado}»: debe ser un archivo .pem o .crt "
                "en formato PEM; pídalo a su área de sistemas.",
                ajustes=("ca_certificado",),
            ) from exc
    return context


def send_message(msg: EmailMessage, servidor: ServidorSMTP, *, progress: Callable[[str], None] | None = None) -> None:
    """Send ``msg`` to every address in To and Cc through ``servidor``.

    Returns only when the server accepted every recipient. Raises
    :class:`MailError` with a Spanish message saying what to check, and never
    the password (see the module docstring). Each read waits at most
    ``servidor.timeout`` seconds and the whole conversation at most
    ``DEADLINE_FACTOR`` times that.
    """
    remitente = msg["From"].addresses[0].addr_spec if msg["From"] else None
    if not remitente:
        raise MailError("Falta el remitente del correo: indique la dirección que envía.", ajustes=("remitente",))
    rcpts = destinatarios(msg)
    secrets = secret_forms(servidor.usuario, servidor.password)
    context = tls_context(servidor.ca_certificado) if servidor.cifrado is not Cifrado.NINGUNO else None
    limite = servidor.timeout * DEADLINE_FACTOR
    smtp: _Conversacion
    if servidor.cifrado is Cifrado.TLS_IMPLICITO:
        smtp = _ConversacionSSL(limite, timeout=servidor.timeout, context=context)
    else:
        smtp = _ConversacionSMTP(limite, timeout=servidor.timeout)
    try:
        with smtp.vigilada():
            if progress:
                progress(f"Conectando con {servidor.descripcion} ...")
            smtp.conectar(servidor.host, servidor.puerto)
            smtp.ehlo()
            if servidor.cifrado is Cifrado.STARTTLS:
                if not smtp.has_extn("starttls"):
                    raise MailError(
                        f"El servidor {servidor.descripcion} no ofrece cifrado STARTTLS. Revise el puerto con su área de "
                        "sistemas: normalmente 587 (STARTTLS) o 465 (TLS implícito). Solo con un servidor local de "
                        "confianza envíe sin cifrado.",
                        ajustes=("puerto", "cifrado"),
                    )
                smtp.starttls(context=context)
                smtp.ehlo()
            if servidor.usuario:
                _login(smtp, servidor.usuario, servidor.password or "")
            if progress:
                progress(f"Enviando a {', '.join(rcpts)} ...")
            refused = smtp.send_message(msg, from_addr=remitente, to_addrs=rcpts)
    except MailError:
        _close(smtp)
        raise
    except Exception as exc:  # every failure becomes one Spanish message
        _close(smtp)
        _scrub(exc, secrets)
        found = explain_failure(exc, servidor, rcpts, secrets, conversacion=smtp, tamano=len(message_bytes(msg)),
                                asunto=str(msg["Subject"] or "") or None)
        if found is None:
            raise
        raise MailError(found[0], ajustes=found[1]) from exc
    _quit(smtp)
    if refused:
        aceptados = [r for r in rcpts if r not in refused]
        raise MailError(
            f"El mensaje se envió a {', '.join(aceptados)}, pero el servidor rechazó "
            + "; ".join(f"«{addr}» ({_respuesta(*reply, secrets=secrets)})" for addr, reply in refused.items())
            + ". Revise esa dirección y envíe el reporte aparte a quien faltó.",
            ajustes=("destinatarios",),
        )


class _Conversacion(smtplib.SMTP):
    """smtplib.SMTP with a deadline over the whole conversation, and knowing
    whether the whole message reached the server (to say whether it may have arrived).

    At the deadline a watchdog thread shuts the socket down, which wakes any
    read or write in progress; the failure that follows is then explained as
    the deadline. Connecting waits at most the time left.
    """

    def __init__(self, limite: float, **kwargs: Any) -> None:
        self.limite = limite
        self.vencida = False  # the deadline passed
        self.mensaje_enviado = False  # DATA and the whole message went out; the reply is what remains
        self._fin = time.monotonic() + limite
        self._en_data = False
        super().__init__(**kwargs)

    @contextmanager
    def vigilada(self) -> Iterator[None]:
        """The watchdog, from now until the block ends."""
        self._fin = time.monotonic() + self.limite
        watchdog = threading.Timer(self.limite, self._vencer)
        watchdog.daemon = True
        watchdog.start()
        try:
            yield
        finally:
            watchdog.cancel()
            watchdog.join()  # no thread left behind (it would stop poa_xlsx.parallel from forking)

    def conectar(self, host: str, port: int) -> None:
        """Connect and read the greeting, as ``smtplib.SMTP(host, port)`` does."""
        self._host = host  # the name TLS checks the certificate against
        code, reply = self.connect(host, port)
        if code != 220:
            self.close()
            raise smtplib.SMTPConnectError(code, reply)

    def _vencer(self) -> None:
        self.vencida = True
        self._cortar()

    def _cortar(self) -> None:
        sock = getattr(self, "sock", None)
        if sock is not None:
            try:  # the plain socket's shutdown, also under TLS: it wakes a blocked read
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        left = self._fin - time.monotonic()
        if left <= 0:
            self.vencida = True
            raise TimeoutError("deadline")
        sock = super()._get_socket(host, port, min(timeout, left))  # type: ignore[misc]  # smtplib's, not in typeshed
        if self.vencida:  # the watchdog fired while connecting, before there was a socket to shut
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        return sock

    def data(self, msg: Any) -> tuple[int, bytes]:
        self._en_data = True
        return super().data(msg)

    def send(self, s: Any) -> None:
        super().send(s)
        if self._en_data and isinstance(s, bytes) and s.endswith(b"\r\n.\r\n"):
            self.mensaje_enviado = True


class _ConversacionSMTP(_Conversacion):
    pass


class _ConversacionSSL(_Conversacion, smtplib.SMTP_SSL):
    pass


def _login(smtp: smtplib.SMTP, usuario: str, password: str) -> None:
    """AUTH; smtplib only encodes ASCII credentials, so UTF-8 ones (ñ, á) go by hand."""
    if (usuario + password).isascii():
        smtp.login(usuario, password)
        return
    smtp.ehlo_or_helo_if_needed()
    if not smtp.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    mechanisms = smtp.esmtp_features["auth"].upper().split()

    def b64(text: str) -> str:
        return base64.b64encode(text.encode("utf-8")).decode("ascii")

    if "PLAIN" in mechanisms:
        code, reply = smtp.docmd("AUTH", "PLAIN " + b64(f"\0{usuario}\0{password}"))
    elif "LOGIN" in mechanisms:
        code, reply = smtp.docmd("AUTH", "LOGIN " + b64(usuario))
        if code == 334:
            code, reply = smtp.docmd(b64(password))
    else:
        raise smtplib.SMTPException("No suitable authentication method found.")
    if code not in (235, 503):
        raise smtplib.SMTPAuthenticationError(code, reply)


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is not None:
        try:
            smtp.close()
        except Exception:
            pass


def _quit(smtp: smtplib.SMTP | None) -> None:
    # the message is already accepted: a server that answers QUIT badly changes nothing
    if smtp is None:
        return
    try:
        smtp.quit()
    except Exception:
        pass
    finally:
        _close(smtp)


# --- secrets -----------------------------------------------------------------------


def secret_forms(usuario: str | None, password: str | None) -> list[str]:
    """The password and the base64 forms in which AUTH PLAIN/LOGIN carry it."""
    if not password:
        return []
    usuario = usuario or ""
    forms = {password}
    for raw in (password, f"\0{usuario}\0{password}", f"{usuario}\0{usuario}\0{password}"):
        for encoding in ("utf-8", "latin-1"):
            try:
                forms.add(base64.b64encode(raw.encode(encoding)).decode("ascii"))
            except UnicodeEncodeError:
                pass
    return sorted(forms, key=len, reverse=True)


def sanitize(text: str, secrets: Sequence[str]) -> str:
    for secret in secrets:
        text = text.replace(secret, "****")
    return text


def _scrub_value(value: Any, secrets: Sequence[str]) -> Any:
    if isinstance(value, str):
        return sanitize(value, secrets)
    if isinstance(value, bytes):
        return sanitize(value.decode("utf-8", "replace"), secrets).encode("utf-8")
    if isinstance(value, tuple):
        return tuple(_scrub_value(v, secrets) for v in value)
    if isinstance(value, dict):
        return {k: _scrub_value(v, secrets) for k, v in value.items()}
    return value


def _scrub(exc: BaseException, secrets: Sequence[str]) -> None:
    """Remove secrets from an exception (and those it chains), in case a server echoed them.

    Done in place so that ``--debug`` still shows a real traceback.
    """
    if not secrets:
        return
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        try:
            current.args = _scrub_value(current.args, secrets)
            for name in ("smtp_error", "recipients", "strerror"):
                if hasattr(current, name):
                    setattr(current, name, _scrub_value(getattr(current, name), secrets))
        except (AttributeError, TypeError):
            pass
        current = current.__cause__ or current.__context__


# --- Spanish messages ----------------------------------------------------------------


def _respuesta(code: int, reply: bytes | str, *, secrets: Sequence[str] = ()) -> str:
    """A server reply as a short, safe detail: ``550 5.1.1 User unknown``."""
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    text = " ".join(sanitize(text, secrets).split())
    if len(text) > 200:
        text = text[:197] + "..."
    return f"{code} {text}".strip()


def _sin_respuesta(exc: BaseException) -> bool:
    """A read that timed out: smtplib reports it as a closed connection, the timeout chained."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return False
        if isinstance(seen, TimeoutError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def explain_failure(
    exc: BaseException,
    servidor: ServidorSMTP,
    rcpts: Sequence[str],
    secrets: Sequence[str] = (),
    *,
    conversacion: Any = None,
    tamano: int | None = None,
    asunto: str | None = None,
) -> tuple[str, tuple[str, ...]] | None:
    """What went wrong and what to do, in Spanish, and the settings the message asks to
    change (:attr:`MailError.ajustes`); None for an unexpected error.

    ``conversacion`` (the SMTP object) tells whether the deadline passed and whether
    the whole message had been sent; ``tamano`` is the message's size in bytes and
    ``asunto`` its subject.
    """
    donde = servidor.descripcion
    servidor_puerto = "Revise el servidor de correo y el puerto con su área de sistemas"
    vencida = bool(getattr(conversacion, "vencida", False))
    enviado = bool(getattr(conversacion, "mensaje_enviado", False))
    sin_respuesta = _sin_respuesta(exc)
    # the server's own answer (SMTPResponseException) says what happened; silence or a cut does not
    if enviado and not isinstance(exc, smtplib.SMTPResponseException) and isinstance(exc, OSError):
        que_paso = (
            f"no confirmó la recepción en {getattr(conversacion, 'limite', servidor.timeout):g} segundos" if vencida
            else f"no respondió en {servidor.timeout:g} segundos" if sin_respuesta
            else "cortó la conexión"
        )
        return (
            f"El mensaje completo llegó al servidor {donde}, pero el servidor {que_paso} después de recibirlo, así "
            "que no se sabe si lo entregó: puede haber llegado. Antes de volver a enviarlo, pregunte a "
            f"{', '.join(rcpts)} si recibió el correo{f' «{asunto}»' if asunto else ''} (o pida a su área de "
            "sistemas que lo busque en el registro del servidor); si no llegó, envíelo de nuevo. "
            "Reenviarlo sin revisar puede duplicar el reporte."
        ), ()
    if vencida:
        return (
            f"El servidor {donde} no completó el envío en {getattr(conversacion, 'limite', 0):g} segundos, el tiempo "
            f"máximo de toda la conversación ({DEADLINE_FACTOR} veces el tiempo de espera): responde, pero demasiado "
            "despacio. No se envió el mensaje. Revise con su área de sistemas el servidor y la red; si el servidor es "
            "lento, aumente el tiempo de espera."
        ), ("timeout",)
    if sin_respuesta:
        return (
            f"El servidor {donde} no respondió en {servidor.timeout:g} segundos. {servidor_puerto}; algunas redes "
            "bloquean el correo saliente. Puede darle más tiempo aumentando el tiempo de espera. No se envió el mensaje."
        ), ("host", "puerto", "timeout")
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        detalles = "; ".join(
            f"«{addr}» ({_respuesta(*reply, secrets=secrets)})" for addr, reply in exc.recipients.items()
        )
        return (
            f"El servidor rechazó {'la dirección' if len(exc.recipients) == 1 else 'las direcciones'} {detalles}. "
            "Revise que esté bien escrita (en los destinatarios indicados o en CORREO TESORERÍA de la hoja GENERAL). "
            "No se envió el mensaje."
        ), ("destinatarios",)
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return (
            f"El servidor {donde} rechazó el usuario «{servidor.usuario}» o su contraseña "
            f"({_respuesta(exc.smtp_code, exc.smtp_error, secrets=secrets)}). Revise el usuario y la contraseña. Si "
            "su cuenta usa verificación en dos pasos, pida a su área de sistemas una contraseña de aplicación."
        ), ("usuario", "password")
    if isinstance(exc, smtplib.SMTPSenderRefused):
        if exc.smtp_code == 552:  # at MAIL FROM: the declared SIZE is above the server's limit
            peso = f" ({format_tamano(tamano)})" if tamano else ""
            return (
                f"El servidor {donde} no acepta un mensaje de este tamaño{peso} "
                f"({_respuesta(exc.smtp_code, exc.smtp_error, secrets=secrets)}). Envíe solo el PDF del reporte "
                "(sin el XLSX ni los archivos por unidad) o pregunte a su área de sistemas el tamaño máximo que "
                "acepta. No se envió el mensaje."
            ), ("adjuntos",)
        if exc.smtp_code == 530:
            return (
                f"El servidor {donde} exige iniciar sesión o cifrar la conexión antes de enviar "
                f"({_respuesta(exc.smtp_code, exc.smtp_error, secrets=secrets)}). Indique el usuario y use una "
                "conexión cifrada."
            ), ("usuario", "cifrado")
        return (
            f"El servidor {donde} no aceptó el remitente «{exc.sender}» "
            f"({_respuesta(exc.smtp_code, exc.smtp_error, secrets=secrets)}). Muchos servidores solo aceptan la "
            "dirección de la cuenta con que se inicia sesión: revise el remitente."
        ), ("remitente",)
    if isinstance(exc, smtplib.SMTPDataError):
        return (
            f"El servidor {donde} rechazó el mensaje ({_respuesta(exc.smtp_code, exc.smtp_error, secrets=secrets)}). "
            "Si menciona el tamaño, envíe sin el XLSX o sin los archivos por unidad; si no, consulte a su área de "
            "sistemas."
        ), ("adjuntos",)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return (
            f"El servidor {donde} no permite iniciar sesión en esta conexión. Si es un servidor local que no pide "
            "usuario, no indique usuario; si no, revise el puerto y el cifrado con su área de sistemas."
        ), ("usuario", "puerto", "cifrado")
    if isinstance(exc, smtplib.SMTPConnectError):
        return (
            f"El servidor {donde} no aceptó la conexión ({_respuesta(exc.smtp_code, exc.smtp_error, secrets=secrets)}). "
            f"{servidor_puerto}."
        ), ("host", "puerto")
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return (
            f"El servidor {donde} cerró la conexión inesperadamente. Revise el puerto y el cifrado: el puerto 587 usa "
            "STARTTLS y el 465 usa TLS implícito. Si persiste, consulte a su área de sistemas."
        ), ("puerto", "cifrado")
    if isinstance(exc, smtplib.SMTPResponseException):
        return (
            f"El servidor {donde} respondió con un error ({_respuesta(exc.smtp_code, exc.smtp_error, secrets=secrets)}). "
            "Consulte a su área de sistemas; no se envió el mensaje."
        ), ()
    if isinstance(exc, smtplib.SMTPException):
        return (
            f"No se pudo completar el envío con {donde}: {sanitize(str(exc), secrets)}. "
            "Consulte a su área de sistemas; no se envió el mensaje."
        ), ()
    if isinstance(exc, ssl.SSLCertVerificationError):
        motivo = sanitize(str(exc.verify_message or exc.reason or exc), secrets)
        return (
            f"No se pudo verificar el certificado de seguridad del servidor {servidor.host}, así que no se envió nada "
            f"(detalle técnico: {motivo}). Su equipo no confía en ese certificado: pida a su área de sistemas (TI) el "
            "certificado de la autoridad que lo emitió y agréguelo a los ajustes del correo como «certificado de la "
            "autoridad». Revise también que el nombre del servidor sea el que aparece en el certificado."
        ), ("ca_certificado",)
    if isinstance(exc, ssl.SSLError):
        return (
            f"No se pudo establecer la conexión cifrada (TLS) con {donde} (detalle técnico: "
            f"{sanitize(str(exc.reason or exc), secrets)}). Revise el puerto y el cifrado: el 587 usa STARTTLS y el "
            "465 usa TLS implícito. Si persiste, consulte a su área de sistemas."
        ), ("puerto", "cifrado")
    if isinstance(exc, ConnectionRefusedError):
        return (
            f"El equipo {servidor.host} rechazó la conexión en el puerto {servidor.puerto}: ahí no hay un servidor de "
            f"correo escuchando. {servidor_puerto}."
        ), ("host", "puerto")
    if isinstance(exc, socket.gaierror):
        return (
            f"No se encontró el servidor de correo «{servidor.host}». Revise que el nombre esté bien escrito y que "
            "el equipo tenga conexión a la red."
        ), ("host",)
    if isinstance(exc, TimeoutError):
        return (
            f"El servidor {donde} no respondió en {servidor.timeout:g} segundos. {servidor_puerto}; algunas redes "
            "bloquean el correo saliente. Puede darle más tiempo aumentando el tiempo de espera."
        ), ("host", "puerto", "timeout")
    if isinstance(exc, OSError):
        motivo = sanitize(exc.strerror or str(exc), secrets)
        return f"No se pudo comunicar con el servidor {donde} ({motivo}). {servidor_puerto}.", ("host", "puerto")
    return None
