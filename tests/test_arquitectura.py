"""The package map of docs/arquitectura.md, enforced: stages import only lower
stages, page kinds never import each other, nothing imports the front doors,
and there is no import cycle, lazy (function-level) imports included."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "poa_xlsx"

# Stage of each top-level module or package; a module may import its own package
# and anything of a lower stage, never a higher one nor another package of its stage.
STAGES = {
    "__init__": 0, "model": 0, "problems": 0, "text": 0, "values": 0, "formatting": 0,
    "output": 0, "parallel": 0, "vocabulario": 0, "celdas": 0,
    "xlsx": 1,
    "lectura": 2,
    "revision": 3,
    "layout": 4,
    "render": 5,
    "captura": 6, "correo": 6, "firma": 6, "importar": 6,
    "acciones": 7,
    "cli": 8, "web": 8,
}
FRONT_DOORS = {"cli", "web"}
# The portal's own commands start and administer it: the one place a front door imports the other.
PORTAL_COMMANDS = {"poa_xlsx.cli.servir", "poa_xlsx.cli.usuarios", "poa_xlsx.cli.periodo", "poa_xlsx.cli.ramos", "poa_xlsx.cli.recordar"}
# Page kinds: siblings that must share primitives (``base``) instead of importing each other.
PAGE_KINDS = {"layout": {"unidad", "resumen"}, "render.pdf": {"unidad", "resumen"}, "render.xlsx": {"unidad", "resumen"}}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every poa_xlsx module the file imports, at any depth of the code."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("poa_xlsx")}
        elif isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            if node.level:  # relative import: resolve against the importing module's package
                base = _module_name(path).split(".")
                if path.name != "__init__.py":
                    base = base[:-1]
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module])
            if module.startswith("poa_xlsx"):
                found.add(module)
                # ``from poa_xlsx.x import y`` may name the submodule poa_xlsx.x.y
                for alias in node.names:
                    candidate = f"{module}.{alias.name}"
                    if (ROOT / Path(*candidate.split("."))).with_suffix(".py").exists() or (ROOT / Path(*candidate.split("."))).is_dir():
                        found.add(candidate)
    return found


def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in PACKAGE.rglob("*.py")}


def _stage_of(module: str) -> tuple[str, int]:
    top = module.split(".")[1] if "." in module else "__init__"
    assert top in STAGES, f"{module}: add its package to STAGES here and to docs/arquitectura.md"
    return top, STAGES[top]


def test_every_module_has_a_stage():
    for module in _graph():
        _stage_of(module)


def test_lower_stages_never_import_higher_ones():
    wrong = []
    for module, imports in _graph().items():
        top, stage = _stage_of(module)
        for target in imports:
            if target == "poa_xlsx":
                continue  # __version__ only
            ttop, tstage = _stage_of(target)
            if ttop == top or (module in PORTAL_COMMANDS and ttop == "web"):
                continue
            if tstage > stage or (tstage == stage and stage != 0) or (ttop in FRONT_DOORS):
                wrong.append(f"{module} -> {target}")
    assert wrong == []


def test_page_kinds_never_import_each_other():
    wrong = []
    for module, imports in _graph().items():
        package, _, leaf = module.removeprefix("poa_xlsx.").rpartition(".")
        kinds = PAGE_KINDS.get(package, set())
        if leaf in kinds:
            wrong += [f"{module} -> {t}" for t in imports if t.rpartition(".")[0] == f"poa_xlsx.{package}"
                      and t.rpartition(".")[2] in kinds - {leaf}]
    assert wrong == []


def test_no_import_cycles():
    graph = {m: {t for t in ts if t in _graph_keys()} for m, ts in _graph().items()}
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        stack.append(m)
        for t in sorted(graph.get(m, ())):
            if t == m or t == "poa_xlsx":
                continue
            if state.get(t) == 1:
                cycles.append(" -> ".join(stack[stack.index(t):] + [t]))
            elif t not in state:
                visit(t)
        stack.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    assert cycles == []


def _graph_keys() -> set[str]:
    return {_module_name(p) for p in PACKAGE.rglob("*.py")}


def test_revision_works_on_the_model_only():
    """revision/ relates values of the model (issue #13): it never reads a workbook itself."""
    wrong = [f"{module} -> {target}" for module, imports in _graph().items() if module.startswith("poa_xlsx.revision")
             for target in imports if target.split(".")[1:2] in (["lectura"], ["xlsx"])]
    assert wrong == []


# Modules whose messages still name command-line options (issue #13); being changed in
# other branches. Remove a module from here once its messages say the setting in words.
OPTIONS_PENDING: set[str] = set()


def test_library_messages_name_no_command_line_option():
    """Below the front doors, texts say what to change in words ("el tiempo de espera");
    the command line adds its own option where it catches the error (cli/correo_opciones)."""
    import re

    from poa_xlsx.cli import cli

    options = {o for command in cli.commands.values() for p in command.params for o in p.opts if o.startswith("--")}
    options -= {"--help"}
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        module = _module_name(path)
        if module.split(".")[1:2] in (["cli"], ["web"]) or module in OPTIONS_PENDING:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(n.body[0].value) for n in ast.walk(tree)
                      if isinstance(n, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and n.body and isinstance(n.body[0], ast.Expr) and isinstance(n.body[0].value, ast.Constant)}
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
                wrong += [f"{module}:{node.lineno} {o}" for o in re.findall(r"--[a-z][a-z0-9-]*", node.value) if o in options]
    assert wrong == []
