"""The poa-render command line: exit codes, stdout vs stderr, --json, options, Spanish."""
from __future__ import annotations

import json
from importlib.metadata import version

import pytest
from builders import DEFAULT_HEADER, Goal, Unit
from openpyxl import load_workbook

S = "201 Promoción"
GOAL = 14


def test_click_keeps_stderr_apart():
    # the tests below read result.stdout and result.stderr separately (click >= 8.2)
    assert tuple(int(x) for x in version("click").split(".")[:2]) >= (8, 2)


@pytest.fixture
def good(make_workbook):
    return make_workbook(name="bueno.xlsx")


@pytest.fixture
def bad(make_workbook):
    other = [(l, "202" if l == "UNIDAD EJECUTORA" else c, d) for l, c, d in DEFAULT_HEADER]
    units = [Unit(sheet="101", goals=[Goal(meta="setenta")]), Unit(sheet="102", header=other, goals=[Goal(p=(12, -1, 19, 8))])]
    return make_workbook(name="malo.xlsx", units=units)


# --- validar -----------------------------------------------------------------------


def test_validar_clean_workbook(run, good):
    result = run("validar", good)
    assert result.exit_code == 0
    assert str(good) in result.stdout
    assert result.stderr == ""


def test_validar_with_only_warnings_exits_0(run, make_workbook):
    path = make_workbook(units=[Unit(goals=[Goal(meta=70)])])
    result = run("validar", path)
    assert result.exit_code == 0
    assert "[programado-distinto-meta]" in result.stdout and f"E{GOAL}" in result.stdout


def test_validar_with_errors_exits_1_and_lists_them_on_stdout(run, bad):
    result = run("validar", bad)
    assert result.exit_code == 1
    assert "[numero-invalido]" in result.stdout and f"E{GOAL}" in result.stdout
    assert "[numero-negativo]" in result.stdout and f"H{GOAL}" in result.stdout
    assert "«101»" in result.stdout and "«102»" in result.stdout
    assert result.stderr == ""


def test_validar_json(run, bad, good):
    result = run("validar", "--json", bad, good)
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    first, second = data["libros"]
    got = {(p["codigo"], p["hoja"], p["celda"]) for p in first["problemas"]}
    assert got == {("numero-invalido", "101", f"E{GOAL}"), ("numero-negativo", "102", f"H{GOAL}")}
    assert all(p["severidad"] in ("error", "advertencia") and p["mensaje"] for p in first["problemas"])
    assert second["problemas"] == [] and second["errores"] == 0
    assert data["errores"] == 2


def test_validar_json_for_an_unreadable_file(run, tmp_path):
    path = tmp_path / "datos.csv"
    path.write_text("RAMO,PROGRAMA\n59,592\n", encoding="utf-8")
    result = run("validar", "--json", path)
    assert result.exit_code == 1
    (libro,) = json.loads(result.stdout)["libros"]
    assert libro["codigo"] == "formato-texto" and libro["error"]


def test_validar_several_workbooks_one_bad(run, good, bad):
    result = run("validar", good, bad)
    assert result.exit_code == 1
    assert str(good) in result.stdout and str(bad) in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["validar", "--no-existe", "x.xlsx"],
        ["validar", "--trimestre", "5", "x.xlsx"],
        ["validar", "--base", "otra", "x.xlsx"],
        ["validar", "--fecha", "ayer", "x.xlsx"],
        ["validar"],
        ["--no-existe"],
    ],
)
def test_bad_usage_exits_2_in_spanish(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "Uso:" in result.stderr and "Error:" in result.stderr
    assert "Usage:" not in result.stderr and "Try '" not in result.stderr


def test_trimestre_override(run, make_workbook):
    path = make_workbook()  # TRIMESTRE 2 with A1, A2 filled
    assert run("validar", path).exit_code == 0
    data = json.loads(run("validar", "--json", "--trimestre", "1", path).stdout)
    got = [(p["codigo"], p["hoja"], p["celda"]) for p in data["libros"][0]["problemas"]]
    assert got == [("valor-ignorado", S, f"I{GOAL}")]  # A2 is after quarter 1
    assert run("validar", "--trimestre", "ENE-MAR", path).exit_code == 0


def test_base_override(run, make_workbook):
    # the workbook declares 50 % (36 / 72): right against META ANUAL, wrong against the 45 programmed
    unit = Unit(extra_columns=("ACUMULADO RELATIVO",), goals=[Goal(extra={"ACUMULADO RELATIVO": 0.5})])
    path = make_workbook(units=[unit])
    assert json.loads(run("validar", "--json", path).stdout)["advertencias"] == 0
    data = json.loads(run("validar", "--json", "--base", "programado", path).stdout)
    got = [(p["codigo"], p["hoja"], p["celda"]) for p in data["libros"][0]["problemas"]]
    assert got == [("calculo-discrepante", S, f"N{GOAL}")]


def test_estricto(run, make_workbook, tmp_path):
    path = make_workbook(units=[Unit(goals=[Goal(obs=None)])])
    normal = run("validar", path)
    assert normal.exit_code == 0 and "ADVERTENCIA [justificacion-faltante]" in normal.stdout
    strict = run("validar", "--estricto", path)
    assert strict.exit_code == 1 and "ERROR       [justificacion-faltante]" in strict.stdout
    out = tmp_path / "estricto"
    result = run("--estricto", "--formato", "xlsx", "-o", out, path)
    assert result.exit_code == 1
    assert "[justificacion-faltante]" in result.stderr
    assert not out.exists() or not any(out.iterdir())


# --- the default command ---------------------------------------------------------------------


def _goal_row(xlsx_path):
    """The report row of goal 303: every value in it."""
    wb = load_workbook(xlsx_path)
    for ws in wb.worksheets:
        for row in ws.iter_rows(values_only=True):
            if any(isinstance(v, str) and v.startswith("303") for v in row):
                return [v for v in row if v is not None]
    raise AssertionError("goal 303 not in the report")


def _figures(row):
    """(avance absoluto, acumulado relativo in whole percent) as the report shows them."""
    numbers = [v for v in row if isinstance(v, (int, float)) and not isinstance(v, bool)]
    avance, relativo = numbers[-2], numbers[-1]
    return avance, round(relativo * 100)


def test_default_command_writes_the_report_with_the_figures(run, good, tmp_path):
    before = good.read_bytes()
    out = tmp_path / "salida"
    result = run(good, "-o", out)
    assert result.exit_code == 0, result.stderr
    *written, status = result.stdout.splitlines()
    assert sorted(p.rsplit(".", 1)[1] for p in written) == ["pdf", "xlsx"]
    # the last line counts the goals by status: 36 of 45 programmed is 80 %, no alcanzada
    assert status == "1 unidad, 1 meta: 0 cumplidas, 0 rebasadas, 1 no alcanzada, 0 sin programación."

    assert all(p.startswith(str(out)) for p in written)
    xlsx = next(p for p in written if p.endswith(".xlsx"))
    assert _figures(_goal_row(xlsx)) == (36, 50)
    assert good.read_bytes() == before  # the input is never modified


def test_default_command_is_generar(run, good, tmp_path):
    a = run(good, "--formato", "xlsx", "-o", tmp_path / "a")
    b = run("generar", good, "--formato", "xlsx", "-o", tmp_path / "b")
    assert a.exit_code == b.exit_code == 0
    assert [p.rsplit("/", 1)[-1] for p in a.stdout.splitlines()] == [p.rsplit("/", 1)[-1] for p in b.stdout.splitlines()]


@pytest.mark.parametrize(
    "options, figures",
    [
        ([], (36, 50)),
        (["--trimestre", "1"], (12, 17)),  # 12 / 72
        (["--base", "programado"], (36, 80)),  # 36 / 45
        (["--trimestre", "1", "--base", "programado"], (12, 100)),  # 12 / 12
    ],
)
def test_default_command_options_change_the_figures(run, good, tmp_path, options, figures):
    out = tmp_path / "o"
    result = run(good, "--formato", "xlsx", "-o", out, *options)
    assert result.exit_code == 0, result.stderr
    assert _figures(_goal_row(result.stdout.split()[0])) == figures


def test_default_command_with_errors_writes_nothing(run, bad, tmp_path):
    out = tmp_path / "o"
    result = run(bad, "-o", out)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "[numero-invalido]" in result.stderr and "[numero-negativo]" in result.stderr
    assert not out.exists() or not any(out.iterdir())


# --- files that are not capture workbooks ------------------------------------------------------


def _not_xlsx(tmp_path, make_workbook):
    good = make_workbook(name="base.xlsx").read_bytes()
    files = {
        "libro.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
        "datos.csv": "RAMO,PROGRAMA\n59,592\n".encode("utf-8"),
        "imagen.xlsx": b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4,
        "cortado.xlsx": good[: len(good) // 2],
        "vacio.xlsx": b"",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    return [tmp_path / name for name in files] + [tmp_path / "no-existe.xlsx"]


def test_not_an_xlsx_gives_one_spanish_line_and_exit_1(run, tmp_path, make_workbook):
    for path in _not_xlsx(tmp_path, make_workbook):
        result = run(path, "-o", tmp_path / "o")
        assert result.exit_code == 1, path
        assert result.stdout == "", path
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1, (path, result.stderr)
        assert lines[0].startswith("Error:") and path.name in lines[0]


def test_validar_not_an_xlsx(run, tmp_path, make_workbook):
    for path in _not_xlsx(tmp_path, make_workbook):
        result = run("validar", path)
        assert result.exit_code == 1, path
        assert "ERROR [" in result.stdout


def test_xls_message_says_what_to_do(run, tmp_path):
    path = tmp_path / "viejo.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    result = run(path)
    assert "(.xlsx)" in result.stderr and "guárdelo" in result.stderr


# --- help -------------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["-h"], ["validar", "--help"], ["generar", "--help"]])
def test_help_is_spanish(run, args):
    result = run(*args)
    assert result.exit_code == 0
    out = result.stdout
    assert "Uso:" in out and "Opciones" in out and "Muestra esta ayuda y termina." in out
    for english in ("Usage:", "Options:", "Show this message", "Commands:"):
        assert english not in out


def test_help_lists_the_commands(run):
    out = run("--help").stdout
    assert "Comandos" in out and "validar" in out and "generar" in out


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.startswith("poa-render ")


def test_fecha_option(run, good):
    assert run("validar", "--fecha", "30/09/2023", good).exit_code == 0
    assert run("validar", "--fecha", "30-jun.-23", good).exit_code == 0
    late = run("validar", "--fecha", "31/03/2024", good)  # after the second quarter of 2023 plus six months
    assert late.exit_code == 1 and "[fecha-fuera-del-periodo]" in late.stdout
