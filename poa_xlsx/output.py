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
    text = _cut(text, limit) or fallback
    # checked last: trimming can uncover a reserved name ("PRN?/.." -> "PRN")
    if text.split(".")[0].upper() in _RESERVED:
        text = _cut("_" + text, limit)
    return text


def _cut(text: str, limit: int) -> str:
    """At most ``limit`` bytes of UTF-8, never half a character, no trailing dot or underscore."""
    return text.encode("utf-8")[:limit].decode("utf-8", "ignore").rstrip("._")


TEMP_PREFIX = ".poa-"
TEMP_SUFFIX = ".tmp"
STALE_AFTER = 3600  # seconds; a live write lasts well under this


def write_atomic(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` so that a crash leaves the old file or the new one, never half.

    The bytes go to a temporary file (``.poa-*.tmp``) in the same folder, are
    flushed to disk, and the temporary file is renamed over ``path``. A run
    that is killed mid-write (SIGKILL, power loss) cannot remove its temporary
    file; the next write into that folder removes ours older than an hour
    (a fresh one may belong to a run still writing).
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    remove_stale_temps(folder)
    fd, tmp = tempfile.mkstemp(prefix=TEMP_PREFIX, suffix=TEMP_SUFFIX, dir=folder)
    try:
        # mkstemp makes the file private (0600); a report gets the usual permissions,
        # or keeps those of the file it replaces
        try:
            mode = os.stat(path).st_mode & 0o7777
        except OSError:
            mode = 0o666 & ~_umask()
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
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
    _fsync_folder(folder)


def remove_stale_temps(folder: str | os.PathLike[str], max_age: float = STALE_AFTER) -> list[str]:
    """Remove our temporary files (``.poa-*.tmp``) older than ``max_age`` seconds; return their names.

    Only regular files with our prefix and suffix are touched; errors are ignored.
    """
    import time

    removed = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not (entry.name.startswith(TEMP_PREFIX) and entry.name.endswith(TEMP_SUFFIX)):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat(follow_symlinks=False).st_mtime > max_age:
                os.unlink(entry.path)
                removed.append(entry.name)
        except OSError:
            pass
    return removed


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: str) -> None:
    """Make the rename itself durable, where the system allows it."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
