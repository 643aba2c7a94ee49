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
    child = _fork(func, [items[i] for i in child_share]) if child_share else None
    if child is None:
        own_share = list(range(len(items)))
        child_share = []
    try:
        for i in child_share:
            if started:
                started(i)
        for i in own_share:
            if started:
                started(i)
            results[i] = func(items[i])
        received = child.receive(len(child_share)) if child else []
    finally:
        if child:
            child.close()
    if received is None:  # the child failed: do its share here
        received = [func(items[i]) for i in child_share]
    for i, data in zip(child_share, received):
        results[i] = data
    return results  # type: ignore[return-value]


class _Child:
    """The forked child, seen from this process: its results are read as soon as it
    sends them, so that it can exit and give its memory back while this process works."""

    def __init__(self, pid: int, fd: int) -> None:
        self.pid = pid
        self.stream = os.fdopen(fd, "rb")
        self.reaped = False
        self.results: list[bytes] = []
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
                self.results.append(data)
        except (OSError, ValueError):  # ValueError: the stream was closed after a failure here
            return

    def receive(self, count: int) -> list[bytes] | None:
        """The child's results, or None if it did not send them all."""
        self.reader.join()
        status = self._wait()
        ok = self.complete and len(self.results) == count and status == 0
        return self.results if ok else None

    def _wait(self) -> int:
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        return os.waitstatus_to_exitcode(status)

    def close(self) -> None:
        if not self.reaped:  # this process failed or was interrupted: the child's work is not wanted
            try:
                os.kill(self.pid, 9)
            except OSError:
                pass
            self._wait()
        self.reader.join()  # the child is gone: its end of the pipe is closed
        self.stream.close()


def _fork(func: Callable[[T], bytes], items: list[T]) -> _Child | None:
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
            with os.fdopen(write_fd, "wb") as out:
                for item in items:
                    data = func(item)
                    out.write(len(data).to_bytes(_HEADER, "little"))
                    out.write(data)
                out.write(_DONE.to_bytes(_HEADER, "little"))
            code = 0
        except BaseException:  # noqa: BLE001 - any failure: the parent does the work itself
            pass
        finally:
            os._exit(code)
    gc.unfreeze()
    os.close(write_fd)
    return _Child(pid, read_fd)
