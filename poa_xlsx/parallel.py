"""Work split between this process and one forked child, where forking is safe.

Tesorería's machines have two cores; the XLSX and the PDF of a report are
independent, so one can be rendered in a child while this process renders the
other. The child is forked: it starts with everything already in memory (the
layout is never pickled) and sends back only bytes, through a pipe.

The child is an optimisation, never a requirement. Where there is no
``os.fork`` (Windows), where forking is unsafe (macOS, or a process with other
threads running), on a single core, or with ``POA_PROCESOS=1`` in the
environment, everything runs here, in order. If the child fails in any way
(an exception, a crash, killed), this process does the child's share itself,
so the results are always those of ``[func(item) for item in items]``.
"""
from __future__ import annotations

import gc
import os
import sys
import threading
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")

_HEADER = 8  # bytes of each result's length, little-endian
_DONE = (1 << 64) - 1  # the length that says "all results sent"


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def can_fork() -> bool:
    """Whether :func:`map_bytes` will use a child process."""
    return (
        hasattr(os, "fork")
        and sys.platform != "darwin"  # system frameworks there are not fork-safe
        and os.environ.get("POA_PROCESOS", "").strip() != "1"
        and threading.active_count() == 1  # a lock held by another thread would stay held in the child
        and _cpus() >= 2
    )


def split(costs: Sequence[float]) -> tuple[list[int], list[int]]:
    """Indexes for the child and for this process, balancing the costs (largest first).

    Ties go to this process, so with two jobs the costlier one stays here.
    """
    load = [0.0, 0.0]  # this process, child
    shares: tuple[list[int], list[int]] = ([], [])
    for index in sorted(range(len(costs)), key=lambda i: -costs[i]):
        side = 0 if load[0] <= load[1] else 1
        shares[side].append(index)
        load[side] += costs[index]
    own, child = sorted(shares[0]), sorted(shares[1])
    return child, own


def map_bytes(
    func: Callable[[T], bytes],
    items: Sequence[T],
    costs: Sequence[float],
    *,
    started: Callable[[int], None] | None = None,
) -> list[bytes]:
    """``[func(item) for item in items]``, part of it in a forked child when that can help.

    ``costs`` estimate each item's work, to share it out evenly. ``started(i)``
    is called (in this process) when item ``i`` begins; the child's items all
    begin at once.
    """
    results: list[bytes | None] = [None] * len(items)
    child_share, own_share = split(costs) if len(items) >= 2 and can_fork() else ([], list(range(len(items))))
    child = fork_call(lambda: _frames([func(items[i]) for i in child_share])) if child_share else None
    if child is None:
        own_share, child_share = list(range(len(items))), []
    with child or _Nothing():
        for i in child_share:
            if started:
                started(i)
        for i in own_share:
            if started:
                started(i)
            results[i] = func(items[i])
        received = _unframe(child.result(), len(child_share)) if child else []
    if received is None:  # the child failed: do its share here
        received = [func(items[i]) for i in child_share]
    for i, data in zip(child_share, received, strict=True):
        results[i] = data
    return results  # type: ignore[return-value]


def _frames(chunks: list[bytes]) -> bytes:
    return b"".join(len(c).to_bytes(_HEADER, "little") + c for c in chunks)


def _unframe(data: bytes | None, count: int) -> list[bytes] | None:
    if data is None:
        return None
    chunks, at = [], 0
    while at < len(data):
        size = int.from_bytes(data[at:at + _HEADER], "little")
        chunks.append(data[at + _HEADER:at + _HEADER + size])
        at += _HEADER + size
    return chunks if len(chunks) == count else None


class _Nothing:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


class Forked:
    """A call running in a forked child, seen from this process.

    Its result is read as soon as the child sends it, so the child exits and
    gives its memory back while this process works. Use it as a context
    manager: leaving the block before :meth:`result` (an error here, an
    interruption) kills the child.
    """

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.stream = os.fdopen(fd, "rb")
        self.reaped = False
        self.chunks: list[bytes] = []
        self.complete = False
        self.reader = threading.Thread(target=self._read, name="poa-hijo", daemon=True)
        self.reader.start()

    def _read(self) -> None:
        try:
            while True:
                header = self.stream.read(_HEADER)
                if len(header) != _HEADER:
                    return
                size = int.from_bytes(header, "little")
                if size == _DONE:
                    self.complete = True
                    return
                data = self.stream.read(size)
                if len(data) != size:
                    return
                self.chunks.append(data)
        except (OSError, ValueError):  # ValueError: the stream was closed after a failure here
            return

    def result(self) -> bytes | None:
        """What the call returned, or None if the child failed in any way."""
        self.reader.join()
        status = self._wait()
        return b"".join(self.chunks) if self.complete and status == 0 else None

    def _wait(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        return os.waitstatus_to_exitcode(status)

    def __enter__(self) -> "Forked":
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.reaped:  # the result is not wanted
            try:
                os.kill(self.pid, 9)
            except OSError:
                pass
            self._wait()
        self.reader.join()  # the child is gone: its end of the pipe is closed
        self.stream.close()


def fork_call(func: Callable[[], bytes]) -> Forked | None:
    """Start ``func()`` in a forked child; None where :func:`can_fork` says no or the fork fails."""
    if not can_fork():
        return None
    read_fd, write_fd = os.pipe()
    # Objects that exist now are left out of the garbage collector's passes in
    # the child: fewer pages copied on write, less time spent collecting.
    gc.freeze()
    try:
        pid = os.fork()
    except OSError:
        gc.unfreeze()
        os.close(read_fd)
        os.close(write_fd)
        return None
    if pid == 0:  # the child: compute, send, and leave without running any exit handler
        code = 1
        try:
            os.close(read_fd)
            data = func()
            with os.fdopen(write_fd, "wb") as out:
                for at in range(0, len(data), 1 << 20):
                    piece = data[at:at + (1 << 20)]
                    out.write(len(piece).to_bytes(_HEADER, "little"))
                    out.write(piece)
                out.write(_DONE.to_bytes(_HEADER, "little"))
            code = 0
        except BaseException:  # noqa: BLE001 - any failure: the parent does the work itself
            pass
        finally:
            os._exit(code)
    gc.unfreeze()
    os.close(write_fd)
    return Forked(pid, read_fd)
