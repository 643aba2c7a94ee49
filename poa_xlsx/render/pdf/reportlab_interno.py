"""Every use of reportlab's internals by the PDF renderer (but PDF/A's), in one place, and why.

All of them are for speed: a 600-unit report is some 12,000 goals, and a
reportlab ``Table`` with a ``Paragraph`` per cell took ~26 s where the goals
table drawn by :mod:`.base` takes about 3 s of CPU (``benchmarks/pdf_quick.py``,
README «Rendimiento»). The PDF/A-2b and signature-field internals are in
:mod:`.pdfa`.

* :func:`write_ops` / :func:`page_ops` append to / read the page's content
  stream (``canv._code``): the goals table and the classification block
  write their text and rules as PDF operators in one string per row, instead
  of one ``drawString`` call (and its state bookkeeping) per line.
* :func:`encoder` turns a line into the operators that show it in the
  embedded font's subsets, through the document's subset table
  (``canv._doc``) and reportlab's string escaping (``canv._escape``),
  memoised per document: one ``str.translate`` per line instead of a Python
  loop over its bytes (a tenth of the PDF's time).
* :class:`TablaDeTextoDirecto` overrides ``Table._drawCell`` so that string
  cells go through :func:`encoder` straight into the content stream (the
  classification block above each unit's goals).
* :class:`LienzoDiferido` holds every page's state until the document is
  saved (reportlab's own "page X of Y" recipe: ``__dict__`` snapshots and
  ``Canvas._startPage``), so the footer can say how many pages there are
  without laying the document out twice.
* :func:`binary_streams` switches off ASCII85 for the page streams while one
  document is built (the global ``rl_config.useA85``): a quarter smaller and
  faster to write.

The reportlab versions these are tested with are bounded in ``setup.cfg``;
tests/test_render_pdf.py and the golden hashes (tests/test_golden.py) fail if
a new one changes what they rely on.
"""
from __future__ import annotations

from contextlib import contextmanager
from typing import Any, Iterator

from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Table


def write_ops(canv: Canvas, ops: str) -> None:
    """Append PDF operators to the current page's content stream."""
    canv._code.append(ops)


def page_ops(canv: Canvas) -> str:
    """The current page's content stream so far."""
    return "".join(canv._code)


# How reportlab's escapePDF writes each byte inside a PDF string: the same text, but
# one str.translate per line instead of a Python loop over its bytes (a tenth of the PDF's time).
_PDF_ESCAPES = tuple(
    f"\\{c:03o}" if c < 32 or c >= 127 else "\\" + chr(c) if chr(c) in "\\()" else chr(c) for c in range(256)
)


def encoder(canv: Canvas, fontname: str, fontsize: float):
    """line -> "/F1+0 7 Tf (...) Tj" for this document, memoised (subsets are per document).

    Lines whose characters all sit in the font's first subset (nearly all
    Spanish text) are encoded with one ``str.translate``; others go through
    reportlab's ``splitString``.
    """
    cache = canv.__dict__.setdefault("_poa_encoders", {})
    key = (fontname, fontsize)
    fn = cache.get(key)
    if fn is None:
        font = pdfmetrics.getFont(fontname)
        doc = canv._doc
        escape = canv._escape
        size = f"{fontsize:g}"
        memo: dict[str, str] = {}
        first: dict[int, str] = {}  # character -> its byte in subset 0, escaped as escapePDF escapes it
        others: set[str] = set()  # characters assigned to later subsets
        known: set[str] = set()
        prefix: list[str] = []

        def slow(line: str) -> str:
            return " ".join(
                f"{font.getSubsetInternalName(subset, doc)} {size} Tf ({escape(chunk)}) Tj"
                for subset, chunk in font.splitString(line, doc)
            )

        def fn(line: str) -> str:
            code = memo.get(line)
            if code is None:
                chars = set(line)
                # In reading order, never set order: string hashing differs between processes.
                for ch in dict.fromkeys(line) if not chars <= known else ():
                    if ch in known:
                        continue
                    ((subset, byte),) = font.splitString(ch, doc)
                    if subset == 0:
                        first[ord(ch)] = _PDF_ESCAPES[byte[0]]
                    else:
                        others.add(ch)
                    known.add(ch)
                if not prefix:
                    prefix.append(f"{font.getSubsetInternalName(0, doc)} {size} Tf (")
                if others and not others.isdisjoint(chars):
                    code = slow(line)
                else:
                    code = prefix[0] + line.translate(first) + ") Tj"
                memo[line] = code
            return code

        cache[key] = fn
    return fn


class TablaDeTextoDirecto(Table):
    """A ``Table`` whose string cells are drawn by :meth:`draw_text` (straight into the content
    stream); any other cell (a flowable) is drawn by reportlab as usual."""

    def draw_text(self, cellval: str, cellstyle: Any, pos: tuple[float, float], size: tuple[float, float]) -> None:
        raise NotImplementedError

    def _drawCell(self, cellval, cellstyle, pos, size):  # reportlab's signature, untyped there
        if not isinstance(cellval, str):
            self._curcellstyle = None
            return super()._drawCell(cellval, cellstyle, pos, size)
        if cellval:
            self.draw_text(cellval, cellstyle, pos, size)
        return None


class LienzoDiferido(Canvas):
    """A canvas that holds every page until :meth:`save`; there, :meth:`each_held_page`
    brings each one back so that something can still be drawn on it (the page count), and
    :meth:`write_page` writes it."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._poa_held: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._poa_held.append(dict(self.__dict__))
        self._startPage()

    def held_pages(self) -> int:
        return len(self._poa_held)

    def each_held_page(self) -> Iterator[int]:
        """Make each held page current in turn, numbered from 1."""
        for number, state in enumerate(self._poa_held, start=1):
            self.__dict__.update(state)
            yield number

    def write_page(self) -> None:
        """Write the current (held) page to the document."""
        Canvas.showPage(self)

    def page_size(self) -> tuple[float, float]:
        width, height = self._pagesize
        return width, height


@contextmanager
def binary_streams() -> Iterator[None]:
    """Binary (not ASCII85) page streams while the block runs, as before it afterwards."""
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


__all__ = ["LienzoDiferido", "TablaDeTextoDirecto", "binary_streams", "encoder", "page_ops", "write_ops"]
