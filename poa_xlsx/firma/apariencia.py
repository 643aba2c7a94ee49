"""How a signature looks in its field: a text stamp in the report's own font.

pyHanko's default stamp font is Courier, a standard font it does not embed,
which PDF/A forbids; so the stamp uses the DejaVu Sans shipped with the
package, embedded as a subset by pyHanko's ``GlyphAccumulator``.

pyHanko 0.38 writes that font's glyph widths (``/W``) and the kerning in its
``TJ`` arrays in the font's own units, which PDF reads as thousandths of an
em: right for the usual 1000-unit fonts, but DejaVu has 2048 units per em, so
letters came out twice as far apart and the widths disagreed with the font
program (a PDF/A error).  :class:`_Fuente1000` hands pyHanko a copy of the
font rescaled to 1000 units per em (fontTools), built once per process in
memory.
"""
from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from pyhanko.pdf_utils import layout
from pyhanko.pdf_utils.font.opentype import GlyphAccumulator, GlyphAccumulatorFactory
from pyhanko.pdf_utils.text import TextBoxStyle
from pyhanko.stamp import TextStampStyle

__all__ = ["stamp_style", "STAMP_TEXT"]

FONT = Path(__file__).resolve().parent.parent / "fonts" / "DejaVuSans.ttf"
FONT_SIZE = 10  # the same for the font engine and the text box (pyHanko issue #733)
STAMP_TEXT = "%(nombre)s\nRFC %(rfc)s · firmado con e.firma\n%(ts)s"

# fontTools reports each table it leaves out of a subset (DejaVu's FFTM) as a warning
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


@lru_cache(maxsize=1)
def _font_1000() -> bytes:
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.scaleUpem import scale_upem

    font = TTFont(str(FONT))
    scale_upem(font, 1000)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


class _Fuente1000(GlyphAccumulatorFactory):
    def create_font_engine(self, writer: Any, obj_stream: Any = None) -> GlyphAccumulator:
        if obj_stream is None and writer.stream_xrefs and self.create_objstream_if_needed:
            obj_stream = writer.prepare_object_stream()
        return GlyphAccumulator(
            writer=writer,
            font_handle=io.BytesIO(_font_1000()),
            font_size=self.font_size,
            ot_script_tag=self.ot_script_tag,
            ot_language_tag=self.ot_language_tag,
            writing_direction=self.writing_direction,
            bcp47_lang_code=self.bcp47_lang_code,
            obj_stream=obj_stream,
        )


def stamp_style() -> TextStampStyle:
    """The stamp: who signed, their RFC, and when (three lines); no border, no background."""
    return TextStampStyle(
        stamp_text=STAMP_TEXT,
        text_box_style=TextBoxStyle(
            font=_Fuente1000(str(FONT), font_size=FONT_SIZE),
            font_size=FONT_SIZE,
            leading=FONT_SIZE + 1,
            # three lines in the 30-point signing space: a thin margin, so the text is not shrunk to nothing
            box_layout_rule=layout.SimpleBoxLayoutRule(
                x_align=layout.AxisAlignment.ALIGN_MID, y_align=layout.AxisAlignment.ALIGN_MID, margins=layout.Margins.uniform(4)
            ),
        ),
        timestamp_format="%d/%m/%Y %H:%M:%S %Z",
        border_width=0,
        background=None,
    )
