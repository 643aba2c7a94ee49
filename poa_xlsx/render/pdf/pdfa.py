"""PDF/A-2b and empty signature fields on reportlab's document.

This is the one module that reaches into reportlab's internals, and why:
the open-source reportlab has no PDF/A mode (ReportLab PLUS has one) and no
signature field (``reportlab.pdfbase.acroform`` makes text, check, radio and
choice fields only, and its form dictionary brings unembedded Helvetica and
ZapfDingbats resources, which PDF/A forbids).  Its public API covers what it
can: document information and dates (``setDateFormatter``), catalog entries
(``setCatalogEntry``).  The rest uses ``reportlab.pdfbase.pdfdoc`` objects:
the XMP and ICC streams, the OutputIntents catalog key (the catalog writes only
the keys it knows), the page a widget belongs to, the page's annotation list,
the document ID and the empty page-transition dictionary each page gets.

What makes the file PDF/A-2b (ISO 19005-2, level B), checked by
``tests/test_pdfa.py``: an XMP metadata stream saying part 2 / conformance B
whose title, author, subject, keywords, creator tool, producer and dates are
those of the document information dictionary; an OutputIntent with an embedded
ICC sRGB profile, version 2 (``poa_xlsx/icc/sRGB.icc``, see its LEEME.txt);
every font embedded (the renderers only use the shipped DejaVu fonts); no
encryption, no JavaScript, no actions; a document ID; every annotation a
printable widget with an appearance stream.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas

__all__ = ["Metadatos", "CampoFirma", "document_date", "prepare", "add_signature_fields", "finish", "ICC_PROFILE"]

ICC_PROFILE = Path(__file__).resolve().parents[2] / "icc" / "sRGB.icc"
OUTPUT_CONDITION = "sRGB IEC61966-2.1"
WIDGET_PRINT = 4  # annotation flag: print (PDF/A wants every annotation printable)
EPOCH_2000 = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)


@dataclass(frozen=True)
class Metadatos:
    """What the document information dictionary and the XMP packet both say."""

    titulo: str
    autor: str
    asunto: str
    creador: str
    productor: str
    palabras_clave: str
    fecha: dt.datetime  # aware, UTC: creation and modification date


@dataclass(frozen=True)
class CampoFirma:
    """An empty signature field: ``grupo.nombre`` is its full name (``UE-58-58102.ELABORO``);
    ``ayuda`` the tooltip readers show (``ELABORÓ: LIC. ANA PÉREZ``); ``rect`` in page points."""

    grupo: str
    nombre: str
    ayuda: str
    rect: tuple[float, float, float, float]


def document_date(fecha: dt.date | None) -> dt.datetime:
    """``SOURCE_DATE_EPOCH`` when set (reproducible builds), else the report's FECHA at
    midnight UTC, else 2000-01-01: never the clock, so the same input gives the same bytes."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
        except (ValueError, OverflowError, OSError):
            pass
    if fecha is not None:
        return dt.datetime(fecha.year, fecha.month, fecha.day, tzinfo=dt.timezone.utc)
    return EPOCH_2000


def _pdf_date(when: dt.datetime) -> str:
    return when.strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp_date(when: dt.datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def xmp_packet(meta: Metadatos) -> bytes:
    """The XMP packet (UTF-8, no ``bytes`` attribute, read-write end marker)."""
    fecha = _xmp_date(meta.fecha)
    e = escape
    body = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
   <pdfaid:part>2</pdfaid:part>
   <pdfaid:conformance>B</pdfaid:conformance>
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.titulo)}</rdf:li></rdf:Alt></dc:title>
   <dc:creator><rdf:Seq><rdf:li>{e(meta.autor)}</rdf:li></rdf:Seq></dc:creator>
   <dc:description><rdf:Alt><rdf:li xml:lang="x-default">{e(meta.asunto)}</rdf:li></rdf:Alt></dc:description>
   <dc:language><rdf:Bag><rdf:li>es-MX</rdf:li></rdf:Bag></dc:language>
   <pdf:Producer>{e(meta.productor)}</pdf:Producer>
   <pdf:Keywords>{e(meta.palabras_clave)}</pdf:Keywords>
   <xmp:CreatorTool>{e(meta.creador)}</xmp:CreatorTool>
   <xmp:CreateDate>{fecha}</xmp:CreateDate>
   <xmp:ModifyDate>{fecha}</xmp:ModifyDate>
   <xmp:MetadataDate>{fecha}</xmp:MetadataDate>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return body.encode("utf-8")


def _stream(entries: dict[str, Any], content: bytes) -> pdfdoc.PDFStream:
    # filters=None and no document default: written as is (the XMP must stay readable as text)
    return pdfdoc.PDFStream(pdfdoc.PDFDictionary(entries), content=content, filters=None)


def prepare(canvas: Canvas, meta: Metadatos) -> None:
    """Declare PDF/A-2b on a new canvas: information, dates, XMP, OutputIntent."""
    canvas.setTitle(meta.titulo)
    canvas.setAuthor(meta.autor)
    canvas.setSubject(meta.asunto)
    canvas.setCreator(meta.creador)
    canvas.setProducer(meta.productor)
    canvas.setKeywords(meta.palabras_clave)
    fecha = _pdf_date(meta.fecha)
    canvas.setDateFormatter(lambda *_ymdhms: fecha)
    doc = canvas._doc
    catalog = doc.Catalog
    catalog.Metadata = _stream({"Type": pdfdoc.PDFName("Metadata"), "Subtype": pdfdoc.PDFName("XML")}, xmp_packet(meta))
    icc = _stream({"N": 3}, ICC_PROFILE.read_bytes())
    intent = pdfdoc.PDFDictionary(
        {
            "Type": pdfdoc.PDFName("OutputIntent"),
            "S": pdfdoc.PDFName("GTS_PDFA1"),
            "OutputConditionIdentifier": pdfdoc.PDFString(OUTPUT_CONDITION),
            "RegistryName": pdfdoc.PDFString("http://www.color.org"),
            "Info": pdfdoc.PDFString(OUTPUT_CONDITION),
            "DestOutputProfile": doc.Reference(icc),
        }
    )
    # The catalog writes only the keys listed in its class; OutputIntents is not one of them.
    catalog.__NoDefault__ = [*type(catalog).__NoDefault__, "OutputIntents"]
    catalog.OutputIntents = pdfdoc.PDFArray([intent])
    canvas.__dict__["_poa_campos_doc"] = []
    doc.updateSignature(f"{meta.titulo}\n{meta.autor}\n{meta.asunto}\n{fecha}")


def add_signature_fields(canvas: Canvas, campos: Sequence[CampoFirma]) -> None:
    """Add the page's empty signature fields; call just before the page is shown."""
    if not campos:
        return
    doc = canvas._doc
    page = doc.thisPageRef()
    fields = canvas.__dict__.setdefault("_poa_campos_doc", [])
    used = canvas.__dict__.setdefault("_poa_nombres", set())
    for campo in campos:
        # whole points: pyHanko lays its stamp out with fractions of the field's size
        x1, y1, x2, y2 = (round(v) for v in campo.rect)
        grupo, n = campo.grupo, 2
        while f"{grupo}.{campo.nombre}" in used:  # the same unit twice in one report: UE-5-101-2.ELABORO
            grupo, n = f"{campo.grupo}-{n}", n + 1
        used.add(f"{grupo}.{campo.nombre}")
        appearance = _stream(
            {
                "Type": pdfdoc.PDFName("XObject"),
                "Subtype": pdfdoc.PDFName("Form"),
                "BBox": pdfdoc.PDFArray([0, 0, x2 - x1, y2 - y1]),
                "Resources": pdfdoc.PDFDictionary({}),
            },
            b" ",
        )
        parent = f"PoaCampo.{grupo}"
        widget = pdfdoc.PDFDictionary(
            {
                "Type": pdfdoc.PDFName("Annot"),
                "Subtype": pdfdoc.PDFName("Widget"),
                "FT": pdfdoc.PDFName("Sig"),
                "T": pdfdoc.PDFString(campo.nombre),
                "TU": pdfdoc.PDFString(campo.ayuda),
                "Parent": pdfdoc.PDFObjectReference(parent),
                "Rect": pdfdoc.PDFArray([x1, y1, x2, y2]),
                "F": WIDGET_PRINT,
                "P": page,
                "AP": pdfdoc.PDFDictionary({"N": doc.Reference(appearance)}),
            }
        )
        name = f"{grupo}.{campo.nombre}"
        canvas._addAnnotation(widget, name=name)
        fields.append((grupo, doc.refAnnotation(name)))


def finish(canvas: Canvas, page_contents: Sequence[str]) -> None:
    """Before ``save``: the form with every field, no empty page transitions, a document ID
    that depends on every page's content (two reports with the same title differ)."""
    doc = canvas._doc
    groups: dict[str, list[Any]] = {}
    for grupo, ref in canvas.__dict__.get("_poa_campos_doc", []):
        groups.setdefault(grupo, []).append(ref)
    if groups:
        parents = []
        for grupo, kids in groups.items():
            parent = pdfdoc.PDFDictionary({"T": pdfdoc.PDFString(grupo), "Kids": pdfdoc.PDFArray(kids)})
            parents.append(doc.Reference(parent, f"PoaCampo.{grupo}"))
        canvas.setCatalogEntry("AcroForm", pdfdoc.PDFDictionary({"Fields": pdfdoc.PDFArray(parents)}))
    for page in doc.Pages.pages:
        page.Trans = None  # reportlab gives every page an empty /Trans dictionary
    digest = hashlib.sha256()
    for content in page_contents:
        digest.update(content.encode("latin-1", "replace"))
    doc.updateSignature(digest.hexdigest())
