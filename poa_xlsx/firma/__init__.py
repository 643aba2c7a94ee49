"""e.firma signatures on the report's PDF: load the SAT's files, sign the empty
signature fields, verify every field (pyHanko and pyhanko-certvalidator).

Nothing here writes PDF signing or ASN.1 by hand: pyHanko signs (PAdES
baseline B-B, or B-T with an RFC 3161 time stamp) as incremental updates and
validates; ``cryptography`` reads the certificate and decrypts the key.
pyHanko is an optional dependency (the ``firma`` extra), imported only by the
modules that need it, so the rest of the package works without it.
"""
from __future__ import annotations

from poa_xlsx.problems import PoaError

__all__ = ["FirmaError", "FirmaNoDisponibleError"]


class FirmaError(PoaError):
    """Signing or verifying could not be done; the message says why and what to do, in Spanish."""


class FirmaNoDisponibleError(FirmaError):
    """pyHanko (the ``firma`` extra) is not installed."""


def quiet_pyhanko() -> None:
    """pyHanko and its validator log every failed check with a traceback; what matters is
    reported in Spanish by this package, so their records go nowhere unless the application
    configures logging itself."""
    import logging

    for name in ("pyhanko", "pyhanko_certvalidator", "fontTools"):
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


def require_pyhanko() -> None:
    """Raise :class:`FirmaNoDisponibleError` with the install command when pyHanko is missing."""
    from importlib.util import find_spec

    if find_spec("pyhanko") is None or find_spec("pyhanko_certvalidator") is None:
        raise FirmaNoDisponibleError(
            "Para firmar o verificar hace falta pyHanko. Instálelo con: pip install 'poa-xlsx[firma]' "
            "(o, desde la carpeta del proyecto: pip install '.[firma]')."
        )
    quiet_pyhanko()
