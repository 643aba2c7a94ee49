"""Time render_pdf on a synthetic report: 300 units x 40 goals (issue #8 size).

    python benchmarks/pdf_quick.py [units] [goals] [--profile]

The units are copies of the first unit of examples/2023-cdi-T2.xlsx with
generated goals: varied Spanish-looking descriptions and observaciones, so the
word-width caches do not make it unrealistically cheap.
"""
from __future__ import annotations

import dataclasses
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from poa_xlsx.acciones import check_workbook  # noqa: E402
from poa_xlsx.layout.base import Celda  # noqa: E402
from poa_xlsx.layout.reporte import Reporte, layout_report  # noqa: E402
from poa_xlsx.layout.unidad import FilaMeta  # noqa: E402
from poa_xlsx.render.pdf.documento import render_pdf  # noqa: E402
from poa_xlsx.revision.compute import Semaforo  # noqa: E402

WORDS = (
    "gestionar supervisar actividades administración recursos promoción industrial fin promover "
    "Mexicali destino inversión negocios seguimiento gasto servicios personales celebrar sesiones "
    "órgano gobierno conforme establecido acuerdo creación efectuar reuniones empresas organismos "
    "membresía presentar informe gestión resultados atender solicitudes ciudadanas recibidas "
    "conductos miércoles ciudadanos giras presidente municipal vía telefónica redes sociales "
    "asegurar cumplimiento oportuno mismas trimestre meta alcanzó debido programación dependencias"
).split()


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def synthetic(units: int = 300, goals: int = 40) -> Reporte:
    rep = layout_report(check_workbook(str(ROOT / "examples" / "2023-cdi-T2.xlsx")).informe)
    model = rep.paginas[0]
    rng = random.Random(8)
    colors = list(Semaforo)
    paginas = []
    for u in range(units):
        filas = []
        for g in range(goals):
            numero = str(100 * (u % 9 + 1) + g)
            cells = []
            for col in model.columnas:
                key = col.key
                if key == "linea_accion":
                    cells.append(Celda("4.6.1", "4.6.1", "codigo"))
                elif key == "descripcion":
                    t = f"{numero}.- " + _text(rng, rng.randint(8, 40))
                    cells.append(Celda(t, t, "texto"))
                elif key == "unidad_medida":
                    t = rng.choice(["INFORME", "REUNIÓN", "NÓMINA", "PETICIÓN ATENDIDA", "DOCUMENTOS"])
                    cells.append(Celda(t, t, "codigo"))
                elif key == "acumulado_relativo":
                    v = rng.randint(0, 150)
                    cells.append(Celda(f"{v}%", Decimal(v) / 100, "porcentaje"))
                elif key == "semaforo":
                    cells.append(Celda("", None, "semaforo", rng.choice(colors)))
                elif key == "observaciones":
                    t = _text(rng, rng.randint(0, 30)) if rng.random() < 0.7 else ""
                    cells.append(Celda(t, t, "observaciones"))
                else:
                    v = rng.randint(0, 2000)
                    cells.append(Celda(f"{v:,}", Decimal(v), "cantidad"))
            filas.append(FilaMeta(numero, tuple(cells), f"'x'!A{g + 10}"))
        paginas.append(dataclasses.replace(model, clave=f"59-{u:03d}", filas=tuple(filas)))
    return dataclasses.replace(rep, paginas=tuple(paginas))


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    units = int(args[0]) if args else 300
    goals = int(args[1]) if len(args) > 1 else 40
    rep = synthetic(units, goals)
    if "--profile" in sys.argv:
        import cProfile
        import pstats

        cProfile.runctx("render_pdf(rep)", globals(), {"rep": rep, "render_pdf": render_pdf}, "/tmp/pdf.prof")
        pstats.Stats("/tmp/pdf.prof").sort_stats("cumulative").print_stats(35)
        return
    start, cpu = time.perf_counter(), time.process_time()
    data = render_pdf(rep)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    out = Path("/tmp/pdf_quick.pdf")
    out.write_bytes(data)
    print(f"{units} units x {goals} goals: {elapsed:.2f} s wall, {cpu:.2f} s CPU, {len(data) / 1e6:.1f} MB -> {out}")


if __name__ == "__main__":
    main()
