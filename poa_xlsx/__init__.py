"""poa-xlsx: the TMM-F004 "AVANCE FÍSICO PROGRAMÁTICO" report from a capture workbook.

The public API is imported lazily so that ``poa-render --help`` stays instant::

    from poa_xlsx import check_workbook
    revision = check_workbook("ramo.xlsx")
    for problem in revision.problems:
        print(problem)

Every workflow a command runs is a function of :mod:`poa_xlsx.acciones`, also
importable from here.
"""
from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

_API = {
    # the workflows (poa_xlsx.acciones): what the command line and the portal call
    **{name: "acciones" for name in (
        "Calculo", "Correo", "Opciones", "check_workbook", "compose_email", "report_workbook", "save_attachments",
        "save_draft", "send_email", "status_line", "summarize_workbooks", "write_next_quarter", "write_open_data",
        "write_report", "write_summary", "write_template",
    )},
    "Revision": "acciones",
    "read_workbook": "lectura.reader",
    "validate": "revision.validate",
    "compute_figures": "revision.compute",
    "compute_meta": "revision.compute",
    "Problem": "problems",
    "LibroError": "problems",
    "PoaError": "problems",
    "Plantillas": "layout.textos",
    "import_workbook": "acciones",
}

__all__ = ["__version__", *_API]


def __getattr__(name: str) -> Any:
    if name in _API:
        from importlib import import_module

        return getattr(import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
