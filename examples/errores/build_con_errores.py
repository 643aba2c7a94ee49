"""Write a copy of the 2023 example with typical capture mistakes.

Used by the README's session and by the CLI tests: the faulty cells are
- '201 Promoción Industrial'!G20: alcanzado typed as text ("doce");
- '201 Promoción Industrial'!I21: a negative alcanzado (-6);
- '201 Promoción Industrial'!P17: justification erased on a goal that exceeded its target;
- '201 Promoción Industrial'!B26: the ELABORÓ name left blank.

    python examples/errores/build_con_errores.py
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent / "2023-cdi-T2.xlsx"
TARGET = HERE / "2023-cdi-T2-con-errores.xlsx"


def main() -> None:
    wb = load_workbook(SOURCE)
    ws = wb["201 Promoción Industrial"]
    ws["G20"] = "doce"
    ws["I21"] = -6
    ws["P17"] = None
    ws["B26"] = None
    wb.properties.created = wb.properties.modified = dt.datetime(2023, 6, 30, 12, 0, 0)
    wb.save(TARGET)
    print(TARGET)


if __name__ == "__main__":
    main()
