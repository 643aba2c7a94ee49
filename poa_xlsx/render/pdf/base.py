"""What every page kind of the PDF shares: fonts, text measuring and wrapping, small
flowables (titles, legend, signatures), the fast goals table and the numbered canvas.

Design notes
------------
* The goals table is one flowable per unit (:class:`TablaMetas`) that this
  module lays out and draws itself: text wrapped here with cached word
  widths, rows written straight into the page's content stream.  A reportlab
  ``Table`` with a ``Paragraph`` per cell needs ~26 s for 12,000 goals; this
  needs about 3 s of CPU (``benchmarks/pdf_quick.py``).
* Pages: the table splits between goals and repeats its three header rows on
  every page it continues onto.  A goal taller than the room on a page is
  split between lines (at least two lines on each side), so nothing is ever
  clipped, whatever the length of an observación.
* Keep-together: the semáforo legend and the signature block belong to the
  table part that holds the last row.  When they do not fit on the page, the
  last goal row moves to the next page with them (under the repeated
  header), so the signatures are never split and never open a page alone.
* Fonts: DejaVu Sans (regular and bold) shipped in ``poa_xlsx/fonts`` and
  embedded as subsets.  A character the font has no glyph for (CJK, some
  emoji) is printed as ``□`` (U+25A1, :data:`REPLACEMENT`) instead of failing
  or vanishing; control and zero-width characters are dropped, tabs become
  spaces.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from reportlab.lib import colors
from reportlab.lib.units import inch, mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from poa_xlsx.layout.base import SEMAFORO_COLORES
from poa_xlsx.layout.unidad import BloqueFirma, PaginaUnidad
from poa_xlsx.render.pdf import pdfa
from poa_xlsx.render.pdf.reportlab_interno import LienzoDiferido, TablaDeTextoDirecto, encoder, page_ops, write_ops

FONT_DIR = Path(__file__).resolve().parents[2] / "fonts"
REGULAR = "PoaDejaVuSans"
BOLD = "PoaDejaVuSans-Bold"

#: Printed in place of a character the embedded font cannot draw.
REPLACEMENT = "\u25a1"  # □ WHITE SQUARE

#: Landscape page sizes in points.
PAPELES: dict[str, tuple[float, float]] = {
    "carta": (11 * inch, 8.5 * inch),  # Letter
    "oficio": (330.2 * mm, 215.9 * mm),  # Mexican oficio, 8.5 x 13 in
}

MARGIN = 10 * mm
FOOTER_SPACE = 5 * mm  # between the frame and the bottom margin, for "Hoja X de Y"

BODY_SIZE, BODY_LEADING = 7.0, 8.4
HEAD_SIZE, HEAD_LEADING = 6.5, 7.6
CLAS_SIZE, CLAS_LEADING = 7.5, 9.0
TITLE_SIZE, TITLE_LEADING = 10.0, 12.5
LEGEND_SIZE = 6.5
FOOTER_SIZE = 7.0
PAD_X, PAD_Y = 2.0, 1.8
RULE = 0.5
HEADER_FILL = colors.HexColor("#D9D9D9")
BLACK = colors.black

# Control characters become nothing, or a line break / space where that is what they mean.
_TRANSLATE: dict[int, str | None] = {i: None for i in (*range(0x00, 0x20), *range(0x7F, 0xA0))}
_TRANSLATE.update({0x09: " ", 0x0A: "\n", 0x0B: "\n", 0x0C: "\n", 0x2028: "\n", 0x2029: "\n", 0x00A0: " "})
# Invisible format characters (soft hyphen, zero-width space/joiners, BOM) would print as boxes or dashes.
_TRANSLATE.update({c: None for c in (0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)})
_CACHE_LIMIT = 200_000  # entries per cache before it is emptied (long-running processes)
# The characters _TRANSLATE changes: most texts have none, and a search costs a fraction
# of a translate through a dict (the longest observaciones are hundreds of characters).
_CHANGED = re.compile("[" + "".join(re.escape(chr(c)) for c, v in sorted(_TRANSLATE.items()) if v != chr(c)) + "]")


# --------------------------------------------------------------------------- fonts and text


@lru_cache(maxsize=None)
def register_fonts() -> dict[str, frozenset[str]]:
    """Register the shipped fonts once; return each font's characters (its cmap)."""
    cmaps = {}
    for name, file in ((REGULAR, "DejaVuSans.ttf"), (BOLD, "DejaVuSans-Bold.ttf")):
        font = TTFont(name, str(FONT_DIR / file))
        pdfmetrics.registerFont(font)
        cmaps[name] = frozenset(chr(c) for c in font.face.charToGlyph)
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD)
    return cmaps


@lru_cache(maxsize=1 << 16)
def clean_text(text: str | None, font: str = REGULAR) -> str:
    """What will be printed for ``text``: NFC, ``\\n`` line breaks, no control characters,
    and :data:`REPLACEMENT` for every character ``font`` has no glyph for."""
    if not text:
        return ""
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _CHANGED.search(text):
        text = text.translate(_TRANSLATE)
    missing = set(text).difference(register_fonts()[font])
    missing.discard("\n")
    if missing:
        text = "".join(REPLACEMENT if ch in missing else ch for ch in text)
    return text


class _Metrics:
    """Word widths and greedy line wrapping for one font and size, with caches."""

    def __init__(self, font: str, size: float) -> None:
        self.font, self.size = font, size
        self._widths: dict[str, float] = {}
        self._wrapped: dict[tuple[str, float], tuple[str, ...]] = {}
        self.space = self.width(" ")

    def width(self, s: str) -> float:
        w = self._widths.get(s)
        if w is None:
            if len(self._widths) > _CACHE_LIMIT:
                self._widths.clear()
            w = self._widths[s] = pdfmetrics.stringWidth(s, self.font, self.size)
        return w

    def longest_word(self, text: str) -> float:
        return max((self.width(w) for w in text.split()), default=0.0)

    def wrap(self, text: str, width: float) -> tuple[str, ...]:
        """Lines of ``text`` (already cleaned) that fit ``width``; words longer than a line are broken."""
        key = (text, width)
        lines = self._wrapped.get(key)
        if lines is None:
            if len(self._wrapped) > _CACHE_LIMIT:
                self._wrapped.clear()
            lines = self._wrapped[key] = tuple(self._wrap(text, width))
        return lines

    def _wrap(self, text: str, width: float) -> Iterable[str]:
        space = self.space
        for para in text.split("\n"):
            words = para.split()
            if not words:
                yield ""
                continue
            line: list[str] = []
            used = 0.0
            for word in words:
                w = self.width(word)
                if line and used + space + w <= width:
                    line.append(word)
                    used += space + w
                    continue
                if line:
                    yield " ".join(line)
                if w <= width:
                    line, used = [word], w
                    continue
                # A word wider than the column (a URL, a long code): break it between characters.
                pieces = self._break_word(word, width)
                yield from pieces[:-1]
                line, used = [pieces[-1]], self.width(pieces[-1])
            yield " ".join(line)

    def _break_word(self, word: str, width: float) -> list[str]:
        pieces, current, used = [], "", 0.0
        for ch in word:
            w = self.width(ch)
            if current and used + w > width:
                pieces.append(current)
                current, used = "", 0.0
            current += ch
            used += w
        pieces.append(current)
        return pieces


@lru_cache(maxsize=None)
def text_metrics(font: str, size: float) -> _Metrics:
    register_fonts()
    return _Metrics(font, size)


# --------------------------------------------------------------------------- small flowables


class InicioUnidad(Flowable):
    """Zero-size marker: tells the canvas which unit the following pages belong to (for the footer)."""

    def __init__(self, clave: str) -> None:
        super().__init__()
        self.clave = clave

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0.0, 0.0

    def draw(self) -> None:
        self.canv._poa_clave = self.clave


class Lineas(Flowable):
    """Centred lines of one font and size (the four title lines), wrapped to the frame."""

    def __init__(self, texts: Sequence[str], font: str, size: float, leading: float) -> None:
        super().__init__()
        self.texts, self.font, self.size, self.leading = texts, font, size, leading
        self.lines: tuple[str, ...] = ()

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        m = text_metrics(self.font, self.size)
        self.width = availWidth
        self.lines = tuple(line for t in self.texts for line in m.wrap(clean_text(t, self.font), availWidth))
        self.height = len(self.lines) * self.leading
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(self.font, self.size)
        y = self.height - self.size
        for line in self.lines:
            c.drawCentredString(self.width / 2, y, line)
            y -= self.leading


class LeyendaSemaforo(Flowable):
    """The semáforo legend: a small coloured square before each meaning, on one line if it fits."""

    SQUARE = 5.5
    GAP = 12.0
    LINE = 8.5

    def __init__(self, items: Sequence[tuple[str, str]], space_before: float = 4.0) -> None:
        super().__init__()
        self.items = [(color, clean_text(text)) for color, text in items]
        self.space_before = space_before
        self.placed: list[tuple[float, int, str, tuple[str, ...]]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        m = text_metrics(REGULAR, LEGEND_SIZE)
        self.width = availWidth
        self.placed = []
        x, row = 0.0, 0
        lead = self.SQUARE + 3
        for color, text in self.items:
            lines = m.wrap(text, max(availWidth - lead, 20))
            w = lead + max(m.width(line) for line in lines)
            if x > 0 and x + w > availWidth:
                x, row = 0.0, row + 1
            self.placed.append((x, row, color, lines))
            x += w + self.GAP
            row += len(lines) - 1
        rows = row + 1
        self.height = self.space_before + rows * self.LINE
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.setFont(REGULAR, LEGEND_SIZE)
        c.setLineWidth(0.3)
        c.setStrokeColor(BLACK)
        top = self.height - self.space_before
        for x, row, color, lines in self.placed:
            base = top - (row + 1) * self.LINE + 2
            c.setFillColor(colors.HexColor("#" + color))
            c.rect(x, base - 0.5, self.SQUARE, self.SQUARE, stroke=1, fill=1)
            c.setFillColor(BLACK)
            for i, line in enumerate(lines):
                c.drawString(x + self.SQUARE + 3, base - i * self.LINE, line)


class Firmas(Flowable):
    """ELABORÓ / REVISÓ / AUTORIZÓ side by side: role, space to sign, a rule, legend, name, position.

    Laid out once as a list of marks (text lines and signing rules) measured
    from the top, so that a block taller than a whole page (absurdly long
    names or positions) can still be split between lines instead of failing.
    """

    SIGN_SPACE = 30.0
    GUTTER = 14.0
    ROLE = (BOLD, 7.5, 9.0)
    LEGEND = (REGULAR, 6.5, 8.0)
    NAME = (BOLD, 7.5, 9.0)
    POSITION = (REGULAR, 7.0, 8.4)

    def __init__(self, firmas: Sequence[BloqueFirma], width: float, page_height: float, space_before: float = 14.0) -> None:
        super().__init__()
        self.page_height = page_height
        n = max(len(firmas), 1)
        col = width / n
        inner = col - self.GUTTER
        tops, bottoms = [], []
        for f in firmas:
            tops.append(self._lines(self.ROLE, f.rol, inner))
            bottoms.append(
                self._lines(self.LEGEND, f.leyenda, inner) + self._lines(self.NAME, f.nombre, inner) + self._lines(self.POSITION, f.cargo, inner)
            )
        top_h = max((sum(l[2] for l in t) for t in tops), default=0.0)
        # marks: (y of the top, height, x of the centre, what) where what is a text line or a rule's half width
        marks: list[tuple[float, float, float, object]] = []
        for i, (top, bottom, bloque) in enumerate(zip(tops, bottoms, firmas, strict=True)):
            mid = col * (i + 0.5)
            y = space_before
            for line in top:
                marks.append((y, line[2], mid, line))
                y += line[2]
            y = space_before + top_h + self.SIGN_SPACE
            marks.append((y - 1, 2.0, mid, _Raya(inner * 0.42, inner / 2, self.SIGN_SPACE, bloque)))
            y += 2
            for line in bottom:
                marks.append((y, line[2], mid, line))
                y += line[2]
        self._init(width, marks)

    def _init(self, width: float, marks: list) -> None:
        self.width = width
        self.marks = marks
        self.height = max((y + h for y, h, _x, _w in marks), default=0.0)

    @staticmethod
    def _lines(spec: tuple[str, float, float], text: str, width: float) -> list[tuple[str, float, float, str]]:
        font, size, leading = spec
        return [(font, size, leading, line) for line in text_metrics(font, size).wrap(clean_text(text, font), width)] if text else []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        if self.height <= self.page_height:
            return []  # never split: it moves to the next page whole
        first = [m for m in self.marks if m[0] + m[1] <= availHeight]
        rest = [m for m in self.marks if m[0] + m[1] > availHeight]
        if not first or not rest:
            return []
        shift = min(m[0] for m in rest)
        parts = []
        for marks in (first, [(y - shift, h, x, w) for y, h, x, w in rest]):
            part = Firmas.__new__(Firmas)
            Flowable.__init__(part)
            part.page_height = self.page_height
            part._init(self.width, marks)
            parts.append(part)
        return parts

    def draw(self) -> None:
        c = self.canv
        c.setFillColor(BLACK)
        c.setStrokeColor(BLACK)
        c.setLineWidth(0.6)
        for y, _h, mid, what in self.marks:
            if isinstance(what, tuple):
                font, size, leading, text = what
                c.setFont(font, size)
                c.drawCentredString(mid, self.height - y - leading + (leading - size) * 0.6, text)
            else:
                base = self.height - y - 1
                c.line(mid - what.half, base, mid + what.half, base)
                if what.bloque.campo:
                    # the signing space above the rule becomes the block's empty signature field
                    x1, y1 = c.absolutePosition(mid - what.area, base)
                    x2, y2 = c.absolutePosition(mid + what.area, base + what.height)
                    grupo, _, nombre = what.bloque.campo.rpartition(".")
                    ayuda = f"{what.bloque.rol}: {what.bloque.nombre}"
                    c.__dict__.setdefault("_poa_campos", []).append(pdfa.CampoFirma(grupo, nombre, ayuda, (x1, y1, x2, y2)))


class _Raya:
    """A signing rule: its half width, and the signature field above it (half width, height)."""

    __slots__ = ("half", "area", "height", "bloque")

    def __init__(self, half: float, area: float, height: float, bloque: BloqueFirma) -> None:
        self.half, self.area, self.height, self.bloque = half, area, height, bloque


# --------------------------------------------------------------------------- fast table


class TablaRapida(TablaDeTextoDirecto):
    """A Table (the classification block) whose string cells go straight into the content stream,
    through the same per-document line encoder as the goals table."""

    def draw_text(self, cellval: str, cellstyle, pos, size) -> None:
        canv = self.canv
        fontname, fontsize, leading = cellstyle.fontname, cellstyle.fontsize, cellstyle.leading
        lines = cellval.split("\n")
        x0, y0 = pos
        width, height = size
        valign = cellstyle.valign
        if valign == "TOP":
            y = y0 + height - cellstyle.topPadding - fontsize
        elif valign == "BOTTOM":
            y = y0 + cellstyle.bottomPadding + len(lines) * leading - fontsize
        else:
            y = y0 + (cellstyle.bottomPadding + height - cellstyle.topPadding + len(lines) * leading) / 2 - fontsize
        just = cellstyle.alignment
        metrics = text_metrics(fontname, fontsize)
        encode = encoder(canv, fontname, fontsize)
        out = ["BT 0 g"]
        for line in lines:
            if line:
                if just == "LEFT":
                    x = x0 + cellstyle.leftPadding
                elif just == "RIGHT":
                    x = x0 + width - cellstyle.rightPadding - metrics.width(line)
                else:
                    x = x0 + (width + cellstyle.leftPadding - cellstyle.rightPadding - metrics.width(line)) / 2
                out.append(f"1 0 0 1 {x:.2f} {y:.2f} Tm {encode(line)}")
            y -= leading
        out.append("ET")
        write_ops(canv, " ".join(out))


# --------------------------------------------------------------------------- page furniture


class NumberedCanvas(LienzoDiferido):
    """Holds every page until the end, then writes "Hoja X de Y" and the unit's key on each."""

    def __init__(self, *args, metadatos: pdfa.Metadatos, **kwargs) -> None:
        kwargs["initialFontName"] = kwargs.get("initialFontName") or REGULAR  # else an unembedded Helvetica is referenced
        super().__init__(*args, **kwargs)
        self._poa_clave = ""
        self._poa_campos: list[pdfa.CampoFirma] = []
        pdfa.prepare(self, metadatos)

    def showPage(self) -> None:
        super().showPage()  # held until save
        self._poa_campos = []

    def save(self) -> None:
        total = self.held_pages()
        width, _height = self.page_size()
        contents = []
        for number in self.each_held_page():
            self.setFont(REGULAR, FOOTER_SIZE)
            self.setFillColor(BLACK)
            y = MARGIN - 2
            self.drawString(MARGIN, y, clean_text(self._poa_clave))
            self.drawRightString(width - MARGIN, y, f"Hoja {number} de {total}")
            contents.append(page_ops(self))
            pdfa.add_signature_fields(self, self._poa_campos)
            self.write_page()
        pdfa.finish(self, contents)
        super().save()


def column_widths(pagina: PaginaUnidad, avail: float) -> list[float]:
    """The layout's proportions scaled to the frame, widened where a header word or a figure
    would not fit, the difference taken from the wrapping (left-aligned) text columns."""
    cols = pagina.columnas
    total = sum(c.width for c in cols) or 1.0
    base = [c.width * avail / total for c in cols]
    need = [0.0] * len(cols)
    pad = 2 * PAD_X + 0.5
    head = text_metrics(BOLD, HEAD_SIZE)
    body = text_metrics(REGULAR, BODY_SIZE)
    for e in pagina.encabezado:
        if e.colspan == 1:
            need[e.col] = max(need[e.col], head.longest_word(clean_text(e.text, BOLD)) + pad)
    for i, _col in enumerate(cols):
        kinds_seen: set[str] = set()
        texts: set[str] = set()
        for fila in pagina.filas:
            celda = fila.celdas[i]
            kinds_seen.add(celda.kind)
            texts.add(celda.text)
        if kinds_seen & {"cantidad", "porcentaje"}:
            need[i] = max(need[i], max((body.width(clean_text(t)) for t in texts), default=0.0) + pad)
        elif kinds_seen == {"codigo"}:
            longest = max((body.longest_word(clean_text(t)) for t in texts), default=0.0) + pad
            need[i] = max(need[i], min(longest, 2 * base[i]))
    widths = [max(b, n) for b, n in zip(base, need, strict=True)]
    for e in pagina.encabezado:
        if e.colspan > 1:
            want = head.longest_word(clean_text(e.text, BOLD)) + pad
            have = sum(widths[e.col: e.col + e.colspan])
            if have < want:
                widths[e.col] += want - have
    excess = sum(widths) - avail
    if excess > 0:
        flex = [i for i, c in enumerate(cols) if c.align == "left"]
        room = sum(max(widths[i] - 0.5 * base[i], 0.0) for i in flex)
        if room > 0:
            take = min(excess, room)
            for i in flex:
                widths[i] -= take * max(widths[i] - 0.5 * base[i], 0.0) / room
            excess -= take
    if excess > 1e-6:
        factor = avail / sum(widths)
        widths = [w * factor for w in widths]
    return widths


_WRAPPED_KINDS = frozenset({"texto", "codigo", "observaciones"})
_ALIGN = {"left": "LEFT", "center": "CENTER", "right": "RIGHT"}
MIN_PIECE_LINES = 2  # a goal split across pages keeps at least this many lines on each side


def rgb(hex_color: str) -> str:
    r, g, b = (int(hex_color[i: i + 2], 16) / 255 for i in (0, 2, 4))
    return f"{r:.3f} {g:.3f} {b:.3f}"


class Fila:
    """One table row: the wrapped lines of each cell, or a piece of a goal split across pages."""

    __slots__ = ("cells", "lines", "height", "end", "top", "fills", "index")

    def __init__(
        self, cells: tuple[tuple[str, ...], ...], fills: tuple[tuple[int, str], ...], *, end: bool = True, top: bool = False, index: int = -1
    ) -> None:
        self.cells = cells
        self.index = index  # the layout's table row it prints (pages are told by it)
        self.lines = max((len(c) for c in cells), default=1) or 1
        self.height = self.lines * BODY_LEADING + 2 * PAD_Y
        self.end = end  # last piece of its goal: ruled below
        self.top = top  # a piece of a split goal: read from the top, not centred
        self.fills = fills  # (column, colour) of semáforo cells

    def split(self, n: int) -> tuple["Fila", "Fila"]:
        """The first ``n`` lines and the rest; single-line cells (figures) stay in the first piece."""
        first = Fila(tuple(c[:n] for c in self.cells), self.fills, end=False, top=True, index=self.index)
        rest = Fila(tuple(c[n:] for c in self.cells), self.fills, end=self.end, top=True, index=self.index)
        return first, rest


class PlantillaTabla:
    """What every page of one unit's table shares: columns, the header grid, page room."""

    def __init__(self, pagina: PaginaUnidad, width: float, frame_height: float) -> None:
        self.widths = column_widths(pagina, width)
        self.width = sum(self.widths)
        self.xs = [0.0]
        for w in self.widths:
            self.xs.append(self.xs[-1] + w)
        self.aligns = [_ALIGN.get(c.align, "CENTER") for c in pagina.columnas]
        head = text_metrics(BOLD, HEAD_SIZE)
        nrows = max(pagina.encabezado_filas, max((e.row + e.rowspan for e in pagina.encabezado), default=1))
        heights = [HEAD_LEADING + 2 * PAD_Y] * nrows
        cells = []
        for e in pagina.encabezado:
            w = self.xs[e.col + e.colspan] - self.xs[e.col]
            lines = head.wrap(clean_text(e.text, BOLD), w - 2 * PAD_X)
            cells.append((e, lines))
            if e.rowspan == 1:
                heights[e.row] = max(heights[e.row], len(lines) * HEAD_LEADING + 2 * PAD_Y)
        for e, lines in cells:
            if e.rowspan > 1:
                rows = range(e.row, e.row + e.rowspan)
                deficit = len(lines) * HEAD_LEADING + 2 * PAD_Y - sum(heights[r] for r in rows)
                for r in rows:
                    heights[r] += max(deficit, 0) / e.rowspan
        self.header_h = sum(heights)
        tops = [sum(heights[:r]) for r in range(nrows + 1)]
        # (x, y of the bottom measured from the header's bottom, w, h, lines)
        self.header = [
            (
                self.xs[e.col],
                self.header_h - tops[e.row + e.rowspan],
                self.xs[e.col + e.colspan] - self.xs[e.col],
                tops[e.row + e.rowspan] - tops[e.row],
                lines,
            )
            for e, lines in cells
        ]
        self.usable = frame_height - self.header_h - 2.0  # body room on a page that repeats the header
        self._header_ops: str | None = None

    def header_ops(self, canv: Canvas) -> str:
        """PDF operators drawing the header with its bottom at y = 0 (same on every page)."""
        if self._header_ops is None:
            out = [f"q {rgb('D9D9D9')} rg 0 0 {self.width:.2f} {self.header_h:.2f} re f Q"]
            out.append(f"q {RULE} w 0 G")
            out += [f"{x:.2f} {y:.2f} {w:.2f} {h:.2f} re" for x, y, w, h, _lines in self.header]
            out.append("S Q BT 0 g")
            metrics, encode = text_metrics(BOLD, HEAD_SIZE), encoder(canv, BOLD, HEAD_SIZE)
            for x, y, w, h, lines in self.header:
                base = y + (h + len(lines) * HEAD_LEADING) / 2 - HEAD_SIZE
                for line in lines:
                    if line:
                        lx = x + (w - metrics.width(line)) / 2
                        out.append(f"1 0 0 1 {lx:.2f} {base:.2f} Tm {encode(line)}")
                    base -= HEAD_LEADING
            out.append("ET")
            self._header_ops = " ".join(out)
        return self._header_ops


class TablaMetas(Flowable):
    """The goals table of one unit, or the part of it on one page.

    Every part repeats the header.  It splits between goals; a goal taller
    than a page (or the first goal, when nothing else fits under the titles)
    is split between lines.  The legend and signatures (``tail``) always go
    in the part that holds the last row, so they never start a page alone.
    """

    def __init__(
        self, plantilla: PlantillaTabla, filas: list[Fila], tail: tuple[tuple[Flowable, float], ...], *, continuation: bool = False
    ) -> None:
        super().__init__()
        self.plantilla = plantilla
        self.filas = filas
        self.tail = tail
        self.bloque = -1  # the summary's block this table is (pages are told by it)
        # A part made by a split follows its predecessor on the same page when
        # reportlab tries it there; it must not split again into a second
        # header on that page, so only the unit's first part may split its
        # first goal to keep the titles company.
        self.continuation = continuation
        self.body_h = sum(f.height for f in filas)
        self.tail_h = sum(h for _f, h in tail)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self.width = self.plantilla.width
        self.height = self.plantilla.header_h + self.body_h + self.tail_h
        return self.width, self.height

    def _part(self, filas: list[Fila], tail: tuple, *, continuation: bool = True) -> "TablaMetas":
        part = TablaMetas(self.plantilla, filas, tail, continuation=continuation)
        part.bloque = self.bloque
        return part

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        filas = self.filas
        room = availHeight - self.plantilla.header_h
        k, used = 0, 0.0
        while k < len(filas) and used + filas[k].height <= room:
            used += filas[k].height
            k += 1
        if k == len(filas):
            if not self.tail:
                return []  # it fits: reportlab does not ask
            k -= 1  # everything fits but the tail: the last row goes with it
        elif k < len(filas) - 1 or not self.tail:
            fila = filas[k]
            if fila.height > self.plantilla.usable or (k == 0 and not self.continuation):
                fit = int((room - used - 2 * PAD_Y) / BODY_LEADING)
                fit = min(fit, fila.lines - MIN_PIECE_LINES)
                if fit >= MIN_PIECE_LINES:
                    first, rest = fila.split(fit)
                    return [
                        self._part(filas[:k] + [first], (), continuation=self.continuation),
                        self._part([rest] + filas[k + 1:], self.tail),
                    ]
        if k == 0:
            return []
        return [self._part(filas[:k], (), continuation=self.continuation), self._part(filas[k:], self.tail)]

    def draw(self) -> None:
        canv = self.canv
        p = self.plantilla
        body_top = self.height - p.header_h
        out = [f"q 1 0 0 1 0 {body_top:.2f} cm", p.header_ops(canv), "Q"]
        # Semáforo fills.
        y = body_top
        color = None
        for fila in self.filas:
            y -= fila.height
            for col, hex_color in fila.fills:
                if hex_color != color:
                    out.append(f"{rgb(hex_color)} rg")
                    color = hex_color
                out.append(f"{p.xs[col]:.2f} {y:.2f} {p.widths[col]:.2f} {fila.height:.2f} re f")
        # Text.
        out.append("BT 0 g")
        metrics, encode = text_metrics(REGULAR, BODY_SIZE), encoder(canv, REGULAR, BODY_SIZE)
        y = body_top
        for fila in self.filas:
            bottom = y - fila.height
            for col, lines in enumerate(fila.cells):
                if not lines or (len(lines) == 1 and not lines[0]):
                    continue
                if fila.top:
                    base = y - PAD_Y - BODY_SIZE
                else:
                    base = bottom + (fila.height + len(lines) * BODY_LEADING) / 2 - BODY_SIZE
                align = p.aligns[col]
                x0, x1 = p.xs[col], p.xs[col + 1]
                for line in lines:
                    if line:
                        if align == "LEFT":
                            x = x0 + PAD_X
                        elif align == "RIGHT":
                            x = x1 - PAD_X - metrics.width(line)
                        else:
                            x = (x0 + x1 - metrics.width(line)) / 2
                        out.append(f"1 0 0 1 {x:.2f} {base:.2f} Tm {encode(line)}")
                    base -= BODY_LEADING
            y = bottom
        out.append("ET")
        # Rules: every column edge, below each goal, and closing the part.
        body_bottom = y
        out.append(f"{RULE} w 0 G")
        out += [f"{x:.2f} {body_top:.2f} m {x:.2f} {body_bottom:.2f} l" for x in p.xs]
        y = body_top
        for index, fila in enumerate(self.filas):
            y -= fila.height
            if fila.end or index == len(self.filas) - 1:
                out.append(f"0 {y:.2f} m {p.width:.2f} {y:.2f} l")
        out.append("S")
        write_ops(canv, "q " + " ".join(out) + " Q")
        y = body_bottom
        for flowable, h in self.tail:
            y -= h
            flowable.drawOn(canv, 0, y)


def filas_tabla(pagina: PaginaUnidad, plantilla: PlantillaTabla) -> list[Fila]:
    body = text_metrics(REGULAR, BODY_SIZE)
    inner = [w - 2 * PAD_X for w in plantilla.widths]
    filas = []
    for index, fila in enumerate(pagina.filas):
        cells: list[tuple[str, ...]] = []
        fills: list[tuple[int, str]] = []
        for i, celda in enumerate(fila.celdas):
            if celda.kind == "semaforo":
                cells.append(())
                if celda.semaforo is not None:
                    fills.append((i, SEMAFORO_COLORES[celda.semaforo]))
            elif not celda.text:
                cells.append(())
            elif celda.kind in _WRAPPED_KINDS:
                cells.append(body.wrap(clean_text(celda.text), inner[i]))
            else:
                cells.append((clean_text(celda.text),))
        filas.append(Fila(tuple(cells), tuple(fills), index=index))
    return filas
