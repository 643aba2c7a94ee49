"""Writing outputs safely: atomic replace, sets of files all or nothing, Spanish
errors, and file names that stay in their folder."""
from __future__ import annotations

import errno
import os
import re
import tempfile
import unicodedata
from typing import Iterable, Sequence

from poa_xlsx.problems import PoaError


class EscrituraError(PoaError):
    """An output could not be written. The message (Spanish) names the file, says why in
    the user's words and what to do; ``escritos`` are the files that were written anyway."""

    def __init__(self, mensaje: str, escritos: Sequence[str] = ()) -> None:
        super().__init__(mensaje)
        self.escritos = tuple(escritos)


# The operating system's reasons, in Spanish and with what to do (issue #12: "Read-only
# file system", "No space left on device" reached users as they were).
_RAZONES: dict[int, str] = {
    errno.EROFS: "la carpeta está en un disco o unidad de solo lectura; escriba en otra carpeta",
    errno.ENOSPC: "no queda espacio en el disco; libere espacio o escriba en otro disco",
    errno.EACCES: "no tiene permiso para escribir ahí, o el archivo está abierto en otro programa (por ejemplo "
    "Excel o un visor de PDF); ciérrelo o escriba en otra carpeta",
    errno.EPERM: "el sistema no permite escribir ahí; escriba en otra carpeta",
    errno.EEXIST: "ya existe un archivo o carpeta con ese nombre; use otro nombre",
    errno.ENOENT: "la carpeta no existe; créela o escriba en otra",
    errno.ENOTDIR: "una parte de la ruta es un archivo y no una carpeta; revise la ruta",
    errno.EISDIR: "ya hay una carpeta con ese nombre; use otro nombre",
    errno.ENAMETOOLONG: "el nombre o la ruta son demasiado largos; use una carpeta con una ruta más corta",
    errno.EIO: "el disco falló al escribir; revise el disco o la memoria USB y vuelva a intentarlo",
    errno.EBUSY: "el archivo o el disco están en uso por otro programa; ciérrelo y vuelva a intentarlo",
    errno.ETXTBSY: "el archivo está en uso por otro programa; ciérrelo y vuelva a intentarlo",
    errno.EFBIG: "el archivo es demasiado grande para ese disco; escriba en otro disco",
    errno.EMFILE: "hay demasiados archivos abiertos; cierre otros programas y vuelva a intentarlo",
    errno.ENFILE: "hay demasiados archivos abiertos; cierre otros programas y vuelva a intentarlo",
    errno.EINVAL: "el nombre no es válido en este sistema; use otro nombre",
}
if hasattr(errno, "EDQUOT"):
    _RAZONES[errno.EDQUOT] = "se agotó el espacio asignado a su usuario en ese disco; libere espacio o escriba en otro disco"


def razon(exc: OSError) -> str:
    """Why ``exc`` happened and what to do, in Spanish (the system's own text only for rare errors)."""
    reason = _RAZONES.get(exc.errno) if exc.errno is not None else None
    if reason:
        return reason
    detail = exc.strerror or str(exc) or type(exc).__name__
    return f"error del sistema ({detail}); revise la carpeta y vuelva a intentarlo"


class SalidaEsEntradaError(PoaError):
    """An output path is one of the inputs: nothing is written (it would replace the input)."""

    def __init__(self, salida: str, entrada: str) -> None:
        self.salida = salida
        self.entrada = entrada
        same = "" if os.path.normpath(salida) == os.path.normpath(entrada) else f" (es el mismo archivo que «{entrada}»)"
        super().__init__(
            f"La salida «{salida}» es un archivo que se lee{same}: no se escribió nada, para no reemplazarlo. "
            "Indique otro nombre u otra carpeta para la salida."
        )


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether both paths name one existing file: through links, ``..`` and, where the
    file system ignores case (Windows, macOS), a different case."""
    try:
        return os.path.exists(a) and os.path.exists(b) and os.path.samefile(a, b)
    except OSError:
        return False


def check_outputs(outputs: Iterable[str | os.PathLike[str]], inputs: Iterable[str | os.PathLike[str]]) -> None:
    """Raise :class:`SalidaEsEntradaError` for the first output that is one of ``inputs``.

    An output that does not exist yet cannot be an existing input; one that
    exists is compared as a file, not as a name (see :func:`same_file`).
    """
    entradas = [os.fspath(i) for i in inputs]
    for output in outputs:
        salida = os.fspath(output)
        for entrada in entradas:
            if same_file(salida, entrada):
                raise SalidaEsEntradaError(salida, entrada)


def make_folder(folder: str | os.PathLike[str]) -> None:
    """Create ``folder`` (and its parents) if missing; :class:`EscrituraError` in Spanish if not possible."""
    folder = os.fspath(folder)
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise EscrituraError(f"No se pudo crear la carpeta de salida «{folder}»: {razon(exc)}.") from exc


def write_file(path: str | os.PathLike[str], data: bytes) -> str:
    """:func:`write_atomic`, with a Spanish :class:`EscrituraError` on failure; returns the path."""
    path = os.fspath(path)
    try:
        write_atomic(path, data)
    except OSError as exc:
        raise EscrituraError(f"No se pudo escribir «{path}»: {razon(exc)}.") from exc
    return path


def write_files(items: Iterable[tuple[str, bytes]]) -> list[str]:
    """Write a set of files all or nothing; return their paths.

    Every file goes first to a temporary file beside it; only when all of them
    are complete on disk are they renamed into place. A full disk or any other
    error while writing leaves none of the new files (and the previous ones,
    if any, as they were). A rename that fails after others succeeded (rare:
    same folder, same disk) raises :class:`EscrituraError` whose message and
    ``escritos`` say which files were written and which not.
    """
    items = [(os.fspath(path), data) for path, data in items]
    temps: list[tuple[str, str]] = []
    try:
        for path, data in items:
            temps.append((_write_temp(path, data), path))
    except BaseException as exc:
        for tmp, _ in temps:
            _unlink(tmp)
        if not isinstance(exc, OSError):
            raise
        failed = items[len(temps)][0]
        others = "" if len(items) == 1 else (
            f" No se escribió ninguno de los {len(items)} archivos ({', '.join(os.path.basename(p) for p, _ in items)})"
            "; los que ya existían quedaron como estaban."
        )
        raise EscrituraError(f"No se pudo escribir «{failed}»: {razon(exc)}.{others}") from exc
    written: list[str] = []
    for index, (tmp, path) in enumerate(temps):
        try:
            os.replace(tmp, path)
        except BaseException as exc:
            for rest, _ in temps[index:]:
                _unlink(rest)
            if not isinstance(exc, OSError):
                raise
            pending = [p for _, p in temps[index:]]
            done = f"Sí se escribieron: {', '.join(written)}." if written else "No se escribió ninguno."
            raise EscrituraError(
                f"No se pudo escribir «{path}»: {razon(exc)}. {done} No se escribieron: {', '.join(pending)}.",
                escritos=written,
            ) from exc
        written.append(path)
    for folder in dict.fromkeys(os.path.dirname(os.path.abspath(p)) for p in written):
        _fsync_folder(folder)
    return written


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass

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
    tmp = _write_temp(path, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        _unlink(tmp)
        raise
    _fsync_folder(os.path.dirname(os.path.abspath(path)))


def _write_temp(path: str, data: bytes) -> str:
    """``data`` complete on disk in a temporary file beside ``path``; returns its name.
    On any failure the temporary file is removed."""
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
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def remove_stale_temps(folder: str | os.PathLike[str], max_age: float = STALE_AFTER) -> list[str]:
    """Remove our temporary files (``.poa-*.tmp``) older than ``max_age`` seconds; return their names.

    Only regular files with our prefix and suffix are touched; errors are ignored.
    """
    import time

    removed: list[str] = []
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
