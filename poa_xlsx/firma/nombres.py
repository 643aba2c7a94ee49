"""Names as printed in the signature blocks, and as the SAT writes them in a certificate.

Comparison ignores accents, case, punctuation and the titles people put
before their names (LIC., MTRA., ING., DR., C.P. ...): ``Lic. José Pérez`` in
a block is ``JOSE PEREZ`` in an e.firma.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

__all__ = ["normalize_name", "same_person", "CampoReporte", "parse_field_name", "ROLES"]

#: Field role (as in the field name) -> role as printed in the block.
ROLES: dict[str, str] = {"ELABORO": "ELABORÓ", "REVISO": "REVISÓ", "AUTORIZO": "AUTORIZÓ"}

# Titles and honorifics written before a name in Mexican offices, without their periods.
_TITULOS = {
    "LIC", "LICDA", "LICDO", "LICENCIADO", "LICENCIADA", "MTRO", "MTRA", "MAESTRO", "MAESTRA",
    "ING", "INGENIERO", "INGENIERA", "DR", "DRA", "DOCTOR", "DOCTORA", "CP", "LCP", "CPC", "LAE",
    "ARQ", "ARQUITECTO", "ARQUITECTA", "PROF", "PROFR", "PROFRA", "PROFA", "PROFESOR", "PROFESORA",
    "C", "CC", "SR", "SRA", "SRTA", "MC", "MTI", "MVZ", "QFB", "TEC", "TSU", "ABOG", "ENF", "PSIC", "ACT",
}


def _plain(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.upper()


def normalize_name(name: str) -> str:
    """``Lic. José  Pérez-López`` -> ``JOSE PEREZ LOPEZ``: no accents, titles or punctuation."""
    text = _plain(name)
    # "C.P." and "M.C." are one title each: join letters separated only by periods first
    text = re.sub(r"\b([A-Z])\.\s?(?=[A-Z]\.)", r"\1", text)
    words = re.sub(r"[^A-Z0-9Ñ]+", " ", text.replace(".", " ")).split()
    while len(words) > 1 and words[0] in _TITULOS:
        words.pop(0)
    return " ".join(words)


def same_person(printed: str, holder: str) -> bool:
    """True when the name printed in a block and the certificate holder's name are the same."""
    a, b = normalize_name(printed), normalize_name(holder)
    return bool(a) and a == b


@dataclass(frozen=True)
class CampoReporte:
    """A signature field of the report: ``UE-58-58102.ELABORO``."""

    nombre: str  # full name of the field
    clave: str  # unit key as printed in the footer: 58-58102
    rol: str  # ELABORÓ, REVISÓ, AUTORIZÓ (or the field's own last part)
    nombre_impreso: str  # the name printed in the block (the field's tooltip), "" if unknown

    def es_de_unidad(self, clave: str) -> bool:
        """The footer key (``58-58102``) or the unit's own key (``58102``) names this field's unit."""
        clave = clave.strip().upper()
        mine = self.clave.upper()
        return mine == clave or mine.endswith("-" + clave)

    @property
    def rol_clave(self) -> str:
        """``elaboro``, ``reviso``, ``autorizo``: as ``--como`` spells it."""
        return _plain(self.rol).lower()


def parse_field_name(nombre: str, ayuda: str = "") -> CampoReporte:
    """A field as this tool names it (``UE-<clave>.<ROL>``, tooltip ``ROL: NAME``); other
    names are kept whole, with no unit and the last part as role."""
    grupo, _, hoja = nombre.rpartition(".")
    clave = grupo[3:] if grupo.upper().startswith("UE-") else grupo
    rol = ROLES.get(hoja.upper(), hoja)
    impreso = ayuda.split(":", 1)[1].strip() if ":" in ayuda else ayuda.strip()
    return CampoReporte(nombre, clave, rol, impreso)
