"""What a capture workbook holds, sheet by sheet, against stored digests.

The bytes of a capture workbook depend on how its cells are serialised
(openpyxl with or without lxml, or our own cell grid); what a person sees in
Excel does not. This test reads each workbook back with openpyxl and digests,
per sheet, everything visible: every cell's value, type, font, fill, border,
alignment, number format and protection; notes; column widths and row
heights; merged ranges; data validations; conditional formats; panes and
print settings; and the workbook's defined names. A change to any of them
must be made on purpose: run ``python tests/test_plantilla_contenido.py --update``
and commit ``tests/golden/plantillas.json`` saying why.

On failure the message names the sheet and the aspect that changed, and
``--dump NAME`` prints that workbook's description to compare by eye.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STORE = ROOT / "tests" / "golden" / "plantillas.json"
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

TODAY = dt.date(2024, 4, 9)


def _workbooks(tmp: Path) -> dict[str, bytes]:
    """The capture workbooks the digests describe: blank, next quarter of each example,
    a new year, an unusual unit and a synthetic 6 × 12 workbook."""
    import builders
    from make_workbook import make_workbook

    from poa_xlsx.captura.plantilla import build_plantilla
    from poa_xlsx.captura.siguiente import make_next_quarter, next_quarter

    examples = sorted((ROOT / "examples").glob("*.xlsx"))
    tricky = "  Reunión & <seguimiento> \"comillas\" 'apóstrofo'\nsegunda línea\t ñ 🎉 "
    unit = builders.Unit(goals=[
        builders.Goal(numero=" 1.2 ", descripcion=tricky, obs=tricky, meta=123456789.5, p=(0.1, 2.5, 1e-7, 123456789)),
        builders.Goal(numero="001", descripcion="ceros a la izquierda", meta=0, p=(0, 0, 0, 0), a=(0, None, None, None)),
    ])
    source = builders.build_workbook(tmp / "origen.xlsx", units=[unit])
    big = make_workbook(tmp / "sintetico.xlsx", 6, 12, seed=3)
    made = {
        "plantilla-2": build_plantilla(unidades=2, ayuntamiento="A & B <C>", today=TODAY),
        "desde-raro": next_quarter(source),
        "desde-sintetico": next_quarter(big),
        "ejercicio-nuevo": make_next_quarter(examples[0], ejercicio=2030).data,
    }
    for path in examples:
        made[f"desde-{path.stem}"] = next_quarter(path)
    return made


def _color(color: Any) -> Any:
    if color is None:
        return None
    return [color.type, color.rgb if color.type == "rgb" else color.value, color.tint]


def _font(f: Any) -> Any:
    return [f.name, f.sz, f.b, f.i, f.u, f.strike, _color(f.color), f.vertAlign, f.family, f.scheme]


def _fill(f: Any) -> Any:
    return [f.fill_type, _color(f.fgColor), _color(f.bgColor)] if f.fill_type else None


def _border(b: Any) -> Any:
    return [[s.style, _color(s.color)] if s is not None and s.style else None
            for s in (b.left, b.right, b.top, b.bottom, b.diagonal)]


def _alignment(a: Any) -> Any:
    return [a.horizontal, a.vertical, bool(a.wrap_text), bool(a.shrink_to_fit), a.indent, a.textRotation]


def describe(data: bytes) -> dict[str, Any]:
    """Everything a person sees in the workbook, by sheet and aspect (JSON-ready)."""
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(data))
    out: dict[str, Any] = {
        "(libro)": {
            "sheets": wb.sheetnames,
            "active": wb.active.title if wb.active is not None else None,
            "names": sorted((name, dn.attr_text) for name, dn in wb.defined_names.items()),
        }
    }
    for ws in wb.worksheets:
        cells = []
        notes = []
        for row in ws.iter_rows():
            for c in row:
                if c.value is None and not c.has_style and c.comment is None:
                    continue
                value = c.value
                if isinstance(value, (dt.datetime, dt.date)):
                    value = value.isoformat()
                cells.append([c.coordinate, value, c.data_type, _font(c.font), _fill(c.fill), _border(c.border),
                              _alignment(c.alignment), c.number_format, [c.protection.locked, c.protection.hidden]])
                if c.comment is not None:
                    notes.append([c.coordinate, c.comment.text, c.comment.author])
        out[ws.title] = {
            "cells": cells,
            "notes": notes,
            "columns": sorted((k, d.width, d.hidden) for k, d in ws.column_dimensions.items() if d.width),
            "rows": sorted((k, d.height) for k, d in ws.row_dimensions.items() if d.height),
            "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            "validations": sorted(
                [" ".join(sorted(str(r) for r in dv.sqref.ranges)), dv.type, dv.operator, dv.formula1, dv.formula2,
                 dv.allow_blank, dv.showInputMessage, dv.promptTitle, dv.prompt, dv.showErrorMessage,
                 dv.errorStyle, dv.errorTitle, dv.error]
                for dv in ws.data_validations.dataValidation
            ),
            "conditional": sorted(
                [str(cf.sqref), rule.type, list(rule.formula), _fill(rule.dxf.fill) if rule.dxf and rule.dxf.fill else None]
                for cf in ws.conditional_formatting for rule in cf.rules
            ),
            "page": [ws.freeze_panes, ws.print_title_rows, ws.print_area if ws.print_area else None,
                     ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth,
                     ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage
                     if ws.sheet_properties.pageSetUpPr else None,
                     ws.print_options.horizontalCentered, ws.page_margins.left, ws.page_margins.right,
                     ws.page_margins.top, ws.page_margins.bottom, ws.sheet_state,
                     ws.protection.sheet],
        }
    return out


def digests(made: dict[str, bytes]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, data in made.items():
        for sheet, aspects in describe(data).items():
            for aspect, value in aspects.items():
                text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
                found[f"{name} / {sheet} / {aspect}"] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return found


def test_capture_workbooks_hold_what_they_held(tmp_path):
    stored = json.loads(STORE.read_text(encoding="utf-8"))
    found = digests(_workbooks(tmp_path))
    changed = sorted(k for k in stored.keys() | found.keys() if stored.get(k) != found.get(k))
    assert not changed, "changed (sheet / aspect): " + "; ".join(changed[:20])


if __name__ == "__main__":  # python tests/test_plantilla_contenido.py --update | --dump NAME
    import tempfile

    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as tmp:
        made = _workbooks(Path(tmp))
        if "--update" in sys.argv:
            STORE.write_text(json.dumps(digests(made), indent=1, sort_keys=True, ensure_ascii=False) + "\n",
                             encoding="utf-8")
            print(f"written {STORE}")
        elif "--dump" in sys.argv:
            name = sys.argv[sys.argv.index("--dump") + 1]
            print(json.dumps(describe(made[name]), ensure_ascii=False, indent=1, default=str))
        else:
            sys.exit("usage: python tests/test_plantilla_contenido.py --update | --dump NAME")
