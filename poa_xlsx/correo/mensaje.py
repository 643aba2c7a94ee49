"""The e-mail itself: addresses, attachments and the MIME message (or ``.eml`` draft).

The wording comes from :mod:`poa_xlsx.correo.redactar` and the sending from
:mod:`poa_xlsx.correo.smtp`; this module only builds and serialises messages.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from email import policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from typing import Iterable, Sequence

from poa_xlsx.formatting import plural
from poa_xlsx.problems import PoaError
from poa_xlsx.values import is_email

TIPOS = {
    "pdf": ("application", "pdf"),
    "xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


class MailError(PoaError):
    """The e-mail could not be composed, saved or sent (Spanish message, no secrets).

    The message names no command-line option. ``ajustes`` says which settings it
    asks to change, so that a front door can add where it takes each one (an
    option, a form field): the fields of :class:`~poa_xlsx.correo.smtp.ServidorSMTP`
    (``host``, ``puerto``, ``cifrado``, ``usuario``, ``password``, ``timeout``,
    ``ca_certificado``), ``remitente``, ``destinatarios`` and ``adjuntos``.
    """

    def __init__(self, mensaje: str, *, ajustes: Sequence[str] = ()) -> None:
        super().__init__(mensaje)
        self.ajustes = tuple(ajustes)


@dataclass(frozen=True)
class Adjunto:
    """One attached file: its name as the recipient sees it, and its bytes."""

    nombre: str
    datos: bytes

    @property
    def tipo(self) -> tuple[str, str]:
        extension = self.nombre.rsplit(".", 1)[-1].lower()
        return TIPOS.get(extension, ("application", "octet-stream"))

    @property
    def tamano(self) -> str:
        return format_tamano(len(self.datos))


def format_tamano(size: int) -> str:
    """``812 bytes``, ``85 KB``, ``1.4 MB``."""
    if size < 1024:
        return plural(size, "byte")
    if size < 1024 * 1024:
        return f"{-(-size // 1024)} KB"
    return f"{size / (1024 * 1024):.1f} MB"


# --- addresses -----------------------------------------------------------------


def parse_destinatarios(values: Iterable[str]) -> tuple[str, ...]:
    """Addresses from options that may each hold several (``a@x, b@y; c@z``).

    Every address is checked; duplicates (ignoring case) are dropped, order kept.
    Raises :class:`MailError` naming the first invalid address.
    """
    found: list[str] = []
    seen: set[str] = set()
    for value in values:
        for part in re.split(r"[,;\s]+", value or ""):
            part = part.strip().strip("<>")
            if not part:
                continue
            if not is_email(part):
                raise MailError(
                    f"«{part}» no es una dirección de correo válida; escríbala como tesoreria@mexicali.gob.mx."
                )
            if part.lower() not in seen:
                seen.add(part.lower())
                found.append(part)
    return tuple(found)


def parse_remitente(text: str) -> Address:
    """``correo@x`` or ``Nombre <correo@x>`` (the name may have accents)."""
    nombre, correo = parseaddr(text.strip())
    if not correo or not is_email(correo):
        raise MailError(
            f"El remitente «{text}» no es una dirección de correo válida; "
            "escríbalo como turismo@mexicali.gob.mx o «Dirección de Turismo <turismo@mexicali.gob.mx>»."
        )
    usuario, dominio = correo.rsplit("@", 1)
    return Address(display_name=nombre, username=usuario, domain=dominio)


# --- the message -------------------------------------------------------------------


def build_message(
    *,
    asunto: str,
    cuerpo: str,
    para: Sequence[str],
    cc: Sequence[str] = (),
    remitente: Address | str | None = None,
    adjuntos: Sequence[Adjunto] = (),
    borrador: bool = False,
) -> EmailMessage:
    """The e-mail, ready to send or to save as a draft.

    Headers are encoded (RFC 2047) so accents survive any server; attachment
    names use RFC 2231 (``filename*=utf-8''...``). A draft carries
    ``X-Unsent: 1`` and no Date/Message-ID, so the mail client opens it ready
    to send and stamps it itself.
    """
    msg = EmailMessage(policy=policy.SMTP)
    if remitente:
        msg["From"] = parse_remitente(remitente) if isinstance(remitente, str) else remitente
    msg["To"] = ", ".join(para)
    if cc:
        msg["Cc"] = ", ".join(cc)
    msg["Subject"] = asunto
    if borrador:
        msg["X-Unsent"] = "1"
    else:
        msg["Date"] = formatdate(localtime=True)
        domain = msg["From"].addresses[0].domain if msg["From"] else None
        msg["Message-ID"] = make_msgid(domain=domain or None)
    # quoted-printable: 8-bit text would be mangled by servers without 8BITMIME
    msg.set_content(cuerpo, charset="utf-8", cte="quoted-printable")
    for adjunto in adjuntos:
        maintype, subtype = adjunto.tipo
        msg.add_attachment(
            adjunto.datos,
            maintype=maintype,
            subtype=subtype,
            filename=adjunto.nombre,
            # No Content-Type ``name`` parameter: with a non-ASCII name, Python's
            # header folder mangles the long XLSX MIME type into encoded words.
            # Content-Disposition's filename is the standard place (RFC 2183).
        )
    return msg


def message_bytes(msg: EmailMessage) -> bytes:
    """The message as an ``.eml`` file (CRLF line ends, as RFC 5322 wants)."""
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def destinatarios(msg: EmailMessage) -> list[str]:
    """Envelope recipients: every address of To and Cc."""
    values = [str(v) for v in (msg.get_all("To") or []) + (msg.get_all("Cc") or [])]
    return [addr for _, addr in getaddresses(values) if addr]
