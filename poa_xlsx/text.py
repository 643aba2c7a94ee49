"""Text helpers shared by the reader and the renderers."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def normalize_label(value: object) -> str:
    """Normalise a label for matching (spec: "Matching rules").

    Case, accents (Ñ counts as N), repeated or surrounding spaces, line breaks
    and a trailing ``:`` are ignored.
    """
    if value is None:
        return ""
    text = unicodedata.normalize("NFKD", str(value))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = _SPACES.sub(" ", text).strip().upper()
    while text.endswith(":"):
        text = text[:-1].rstrip()
    return text


def clean_text(value: object) -> str:
    """User text as it should be printed: trimmed, with inner lines kept."""
    if value is None:
        return ""
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    lines = [ln.strip() for ln in text.split("\n")]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def one_line(value: object) -> str:
    """User text folded to one line (codes, names, descriptions in headers)."""
    return _SPACES.sub(" ", clean_text(value)).strip()


def shorten(text: str, limit: int = 40) -> str:
    """Quote-friendly excerpt of user text for messages."""
    text = one_line(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
