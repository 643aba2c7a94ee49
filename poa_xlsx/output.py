"""Writing outputs safely: atomic replace, and file names that stay in their folder."""
from __future__ import annotations

import os
import re
import tempfile
import unicodedata

_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}
MAX_NAME = 120


def safe_filename(text: str, fallback: str = "reporte", limit: int = MAX_NAME) -> str:
    """A file name made from user text: no separators, no ``..``, no control
    characters, no Windows reserved names, bounded length. Accents are kept."""
    text = unicodedata.normalize("NFC", str(text))
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    text = re.sub(r'[\\/:*?"<>|\[\]]+', " ", text)
    text = re.sub(r"\s+", " ", text).strip().strip(".")
    text = re.sub(r"\.{2,}", ".", text)
    text = text.replace(" ", "_")
    if not text:
        text = fallback
    if text.split(".")[0].upper() in _RESERVED:
        text = "_" + text
    encoded = text.encode("utf-8")[:limit]
    return encoded.decode("utf-8", "ignore").rstrip("._") or fallback


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new one, never half.

    The bytes go to a temporary file in the same folder, are flushed to disk,
    and the temporary file is renamed over ``path``.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".poa-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
