"""PDF/A-2b, checked on the bytes of every kind of PDF the tool writes (report,
per unit, RESUMEN), and the empty signature fields over the signature blocks.

veraPDF cannot be installed here; these checks follow its rules for what the
renderer can get wrong: XMP that parses and says part 2 / B and agrees with
the document information dictionary, an OutputIntent whose profile is a real
ICC v2 profile, every font embedded, no encryption, JavaScript or actions,
only printable widget annotations with appearances, a document ID.  pikepdf's
own PDF/A validator (``pikepdf.pdfa``, built from veraPDF's rules) runs too.
"""
from __future__ import annotations

import datetime as dt
import io
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pikepdf
import pikepdf.pdfa
import pytest
from builders import Goal, Unit, build_workbook

ROOT = Path(__file__).resolve().parent.parent
NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
PRINT, HIDDEN, INVISIBLE, NOVIEW = 4, 2, 1, 32


def _xmp_value(desc: ET.Element, tag: str) -> str | None:
    """A simple property, as an attribute or an element; the first item of an Alt/Seq/Bag."""
    prefix, local = tag.split(":")
    attr = desc.get(f"{{{NS[prefix]}}}{local}")
    if attr is not None:
        return attr
    el = desc.find(f"{prefix}:{local}", NS)
    if el is None:
        return None
    li = el.find(".//rdf:li", NS)
    return (li.text if li is not None else el.text) or ""


def _pdf_date(value: str) -> dt.datetime:
    """D:YYYYMMDDHHmmSS with +HH'mm' or Z."""
    s = value[2:] if value.startswith("D:") else value
    base = dt.datetime.strptime(s[:14], "%Y%m%d%H%M%S")
    rest = s[14:]
    if rest.startswith("Z") or not rest:
        return base.replace(tzinfo=dt.timezone.utc)
    sign = 1 if rest[0] == "+" else -1
    hh, mm = int(rest[1:3]), int(rest[4:6])
    return base.replace(tzinfo=dt.timezone(sign * dt.timedelta(hours=hh, minutes=mm)))


def _fonts(obj: pikepdf.Object, seen: set) -> list[pikepdf.Dictionary]:
    """Every font dictionary reachable from a resources dictionary (XObjects included)."""
    found = []
    if obj is None or obj.objgen in seen and obj.objgen != (0, 0):
        return found
    seen.add(obj.objgen)
    for font in (obj.get("/Font") or {}).values() if "/Font" in obj else ():
        found.append(font)
    for xobj in (obj.get("/XObject") or {}).values() if "/XObject" in obj else ():
        if "/Resources" in xobj:
            found += _fonts(xobj.Resources, seen)
    return found


def assert_pdfa(data: bytes) -> pikepdf.Pdf:
    """Every PDF/A-2b check this project makes on a file's bytes (see docs/firma.md)."""
    pdf = pikepdf.open(io.BytesIO(data))
    assert "/Encrypt" not in pdf.trailer
    ids = pdf.trailer.ID
    assert len(ids) == 2 and len(bytes(ids[0])) == 16
    root = pdf.Root
    assert "/OpenAction" not in root and "/AA" not in root
    assert "/JavaScript" not in root.get("/Names", {})
    assert "/NeedAppearances" not in root.get("/AcroForm", {}) or not root.AcroForm.NeedAppearances
    # XMP: parses, says PDF/A-2B, agrees with the Info dictionary
    xmp = root.Metadata
    assert xmp.Type == "/Metadata" and xmp.Subtype == "/XML" and "/Filter" not in xmp
    raw = xmp.read_bytes()
    assert raw.startswith(b"<?xpacket begin=") and b"bytes=" not in raw.split(b"?>")[0]
    tree = ET.fromstring(raw.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])
    descs = tree.findall(".//rdf:Description", NS)
    prop = {}
    for tag in ("pdfaid:part", "pdfaid:conformance", "dc:title", "dc:creator", "dc:description", "pdf:Producer",
                "pdf:Keywords", "xmp:CreatorTool", "xmp:CreateDate", "xmp:ModifyDate"):
        prop[tag] = next((v for d in descs if (v := _xmp_value(d, tag)) is not None), None)
    assert prop["pdfaid:part"] == "2" and prop["pdfaid:conformance"] == "B"
    info = pdf.docinfo
    for key, tag in (("/Title", "dc:title"), ("/Author", "dc:creator"), ("/Subject", "dc:description"),
                     ("/Producer", "pdf:Producer"), ("/Keywords", "pdf:Keywords"), ("/Creator", "xmp:CreatorTool")):
        if key in info:
            assert str(info[key]) == prop[tag], (key, str(info[key]), prop[tag])
    for key, tag in (("/CreationDate", "xmp:CreateDate"), ("/ModDate", "xmp:ModifyDate")):
        assert _pdf_date(str(info[key])) == dt.datetime.fromisoformat(prop[tag]), key
    # OutputIntent with a real ICC v2 RGB profile
    (intent,) = root.OutputIntents
    assert intent.S == "/GTS_PDFA1"
    profile = intent.DestOutputProfile
    icc = profile.read_bytes()
    assert int(profile.N) == 3
    assert struct.unpack(">I", icc[:4])[0] == len(icc)
    assert icc[36:40] == b"acsp" and icc[8] == 2  # signature, major version 2
    assert icc[12:16] == b"mntr" and icc[16:20] == b"RGB "
    # fonts: every one embedded (pages, form XObjects, annotation appearances)
    fonts: list[pikepdf.Dictionary] = []
    seen: set = set()
    for page in pdf.pages:
        assert "/Trans" not in page.obj
        fonts += _fonts(page.Resources, seen)
        for annot in page.get("/Annots", []):
            # only printable, visible widgets with a normal appearance
            assert annot.Subtype == "/Widget", annot.Subtype
            flags = int(annot.get("/F", 0))
            assert flags & PRINT and not flags & (HIDDEN | INVISIBLE | NOVIEW)
            assert "/A" not in annot and "/AA" not in annot
            normal = annot.AP.N
            assert isinstance(normal, pikepdf.Stream)
            if "/Resources" in normal:
                fonts += _fonts(normal.Resources, seen)
    assert fonts
    for font in fonts:
        descendants = font.get("/DescendantFonts")
        for f in [font] if descendants is None else list(descendants):
            fd = f.FontDescriptor
            assert any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")), f.BaseFont
    # pikepdf's validator (veraPDF's rules): no violation at all
    report = pikepdf.pdfa.validate_written(io.BytesIO(data), "2b")
    assert not [f for f in report.findings if f.kind == "violation"], report.findings
    unsupported = [f for f in report.findings if f.kind != "violation"]
    # the only thing it does not check: interactive forms (our signature fields)
    assert all(f.rule == "pikepdf:schema-Catalog" and "/AcroForm" in f.message for f in unsupported), unsupported
    return pdf


@pytest.fixture(scope="module")
def reportes(tmp_path_factory):
    """The 2024 example: whole report, one file per unit, and a RESUMEN-only report."""
    from click.testing import CliRunner

    from poa_xlsx.cli import cli

    out = tmp_path_factory.mktemp("pdfa")
    libro = ROOT / "examples" / "2024-turismo-T1.xlsx"
    r = CliRunner().invoke(cli, [str(libro), "-o", str(out), "--formato", "pdf", "--por-unidad"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(cli, ["resumen", str(libro), "-o", str(out / "resumen"), "--formato", "pdf"])
    assert r.exit_code == 0, r.output
    return out


def test_every_pdf_is_pdfa_2b(reportes):
    files = sorted(reportes.glob("*.pdf"))
    assert len(files) == 7  # report, five units, RESUMEN
    for path in files:
        assert_pdfa(path.read_bytes())


def test_resumen_only_passes_pikepdf_validator_entirely(reportes):
    report = pikepdf.pdfa.validate_written(reportes / "resumen.pdf", "2b")
    assert report.passed, report.findings


def test_dates_are_the_reports_fecha(reportes):
    with pikepdf.open(reportes / "2024-turismo-T1_TMM-F004.pdf") as pdf:
        assert str(pdf.docinfo.CreationDate) == "D:20240331000000+00'00'"  # FECHA 31/03/2024
        assert str(pdf.docinfo.ModDate) == "D:20240331000000+00'00'"
        assert pdf.open_metadata()["xmp:CreateDate"] == "2024-03-31T00:00:00+00:00"


def test_source_date_epoch_wins_and_bytes_stay_the_same(tmp_path, monkeypatch):
    from poa_xlsx.acciones import check_workbook
    from poa_xlsx.layout.reporte import layout_report
    from poa_xlsx.render.pdf.documento import render_pdf

    libro = build_workbook(tmp_path / "l.xlsx")
    reporte = layout_report(check_workbook(libro).informe)
    first = render_pdf(reporte)
    assert first == render_pdf(reporte)
    assert b"D:20230630000000+00'00'" in first
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    later = render_pdf(reporte)
    assert b"D:20231114221320+00'00'" in later and later == render_pdf(reporte)
    other = layout_report(check_workbook(build_workbook(tmp_path / "m.xlsx", units=[Unit(goals=[Goal(descripcion="Otra meta, otro texto.")])])).informe)
    with pikepdf.open(io.BytesIO(later)) as a, pikepdf.open(io.BytesIO(render_pdf(other))) as b:
        assert bytes(a.trailer.ID[0]) != bytes(b.trailer.ID[0])  # the ID follows the content


def test_no_unembedded_helvetica_anywhere(reportes):
    for path in reportes.glob("*.pdf"):
        assert b"/Helvetica" not in path.read_bytes(), path.name


def test_signature_fields_over_each_block(reportes):
    with pikepdf.open(reportes / "2024-turismo-T1_TMM-F004.pdf") as pdf:
        fields = {}
        for parent in pdf.Root.AcroForm.Fields:
            for kid in parent.Kids:
                fields[f"{parent.T}.{kid.T}"] = kid
        claves = ["58-101", "58-58102", "58-58201", "58-202", "58-58203"]
        assert sorted(fields) == sorted(f"UE-{c}.{r}" for c in claves for r in ("ELABORO", "REVISO", "AUTORIZO"))
        for field in fields.values():
            assert field.FT == "/Sig" and "/V" not in field
            x1, y1, x2, y2 = (float(v) for v in field.Rect)
            assert 200 < x2 - x1 < 260 and y2 - y1 == 30  # the column's width, the space above the rule
            page = field.P
            _x0, _y0, w, h = (float(v) for v in page.MediaBox)
            assert 0 < x1 < x2 < w and 0 < y1 < y2 < h
            assert field.objgen in [a.objgen for a in page.Annots]
        assert str(fields["UE-58-58102.ELABORO"].TU) == "ELABORÓ: KAREN LIZBETH LIZARRAGA RODRIGUEZ"
        # the three blocks of a unit sit side by side on one line
        rects = [[float(v) for v in fields[f"UE-58-58102.{r}"].Rect] for r in ("ELABORO", "REVISO", "AUTORIZO")]
        assert rects[0][2] < rects[1][0] and rects[1][2] < rects[2][0] and len({r[1] for r in rects}) == 1
    with pikepdf.open(reportes / "2024-turismo-T1_58-58102_TMM-F004.pdf") as pdf:
        assert [str(k.T) for f in pdf.Root.AcroForm.Fields for k in f.Kids] == ["ELABORO", "REVISO", "AUTORIZO"]
    with pikepdf.open(reportes / "resumen.pdf") as pdf:
        assert "/AcroForm" not in pdf.Root  # no signature blocks, no fields


def test_field_names_are_pdf_safe():
    from poa_xlsx.layout.unidad import nombre_campo

    assert nombre_campo("58-58102", "ELABORÓ") == "UE-58-58102.ELABORO"
    assert nombre_campo("01.002 PY10", "Revisó") == "UE-01-002-PY10.REVISO"  # no period inside a partial name
