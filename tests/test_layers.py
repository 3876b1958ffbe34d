"""The package's layers: no import circle between modules, leaves import nothing."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "carbonclap_methods"
LEAVES = ("vocabulary", "bundled", "errors")


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(p for p in parts if p != "__init__") or "__init__"


def _top_level_imports(path: Path) -> set[str]:
    """Package modules imported at module level (imports inside functions are lazy
    and do not make a circle at import time)."""
    name = _module_name(path)
    base = name.split(".")[:-1] if path.name != "__init__.py" else name.split(".")
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.ImportFrom) and node.level:
            anchor = base[:len(base) - (node.level - 1)] if node.level > 1 else base
            target = ".".join(anchor + ([node.module] if node.module else []))
            if node.module is None:
                found |= {".".join(anchor + [a.name]) for a in node.names}
            else:
                found.add(target)
    return {f for f in found if f and f != "__init__"}


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        graph[name] = {m for m in _top_level_imports(path) if m in modules}
    return graph


def test_no_import_circle():
    graph = _graph()
    state: dict[str, int] = {}

    def visit(node, trail):
        state[node] = 1
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                raise AssertionError("import circle: " + " -> ".join(trail + [node, nxt]))
            if not state.get(nxt):
                visit(nxt, trail + [node])
        state[node] = 2

    for node in sorted(graph):
        if not state.get(node):
            visit(node, [])


def test_leaves_import_nothing_from_the_package():
    graph = _graph()
    for leaf in LEAVES:
        assert graph[leaf] == set(), (leaf, graph[leaf])


def test_readers_and_templates_do_not_import_the_assessment_model():
    graph = _graph()
    assert "assessment" not in graph["templates"]
    assert "assessment" not in graph["workbook"]


def test_errors_are_specific():
    """Every raise names a specific class of errors.py, never the bare base class."""
    bare = [f"{p.relative_to(PACKAGE)}:{n}" for p in PACKAGE.rglob("*.py")
            for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
            if "raise CarbonClapError(" in line]
    assert bare == []


def test_a_location_is_written_one_way():
    from carbonclap_methods.errors import InvalidAssessment, Location
    assert str(Location("a.yaml", 12, "activities[0].unit")) == "a.yaml, line 12, activities[0].unit"
    assert str(Location("b.xlsx", "sheet transport, row 5", "quantity")) == \
        "b.xlsx, sheet transport, row 5, quantity"
    assert str(Location("c.csv", None, "column value")) == "c.csv, column value"
    error = InvalidAssessment("must be >= 0", Location("a.yaml", 3, "quantity"))
    assert str(error) == "a.yaml, line 3, quantity: must be >= 0"
    assert error.location.line == 3


def test_a_place_is_data_and_moves_without_pasting_text():
    from carbonclap_methods.errors import (InvalidEdition, InvalidQuantity, Location, Problem,
                                           relocated)
    assert str(Location("b.xlsx", sheet="transport", row=5, field="column F (quantity)")) == \
        "b.xlsx, sheet transport, row 5, column F (quantity)"
    assert str(Location("a.yaml", 3, "activities[0]").at("unit")) == "a.yaml, line 3, activities[0].unit"
    assert str(Location("new\nline.yaml")) == "new\\nline.yaml"           # escaped, one line
    row = InvalidQuantity("-5 is negative", Location(row=2, field="column quantity"))
    assert str(row) == "row 2, column quantity: -5 is negative"
    moved = relocated(row, row.location.within("lines.csv"))
    assert type(moved) is InvalidQuantity and moved.message == "-5 is negative"
    assert str(moved) == "lines.csv, row 2, column quantity: -5 is negative"
    assert (moved.location.file, moved.location.row) == ("lines.csv", 2)
    problem = Problem("missing column(s): unit", Location("factors.csv", 1))
    assert problem == "factors.csv, line 1: missing column(s): unit" and problem.location.line == 1
    error = InvalidEdition([problem, Problem("second", Location("datapackage.json"))])
    assert error.location.file == "factors.csv" and str(error).startswith("2 problems")
    assert Location.of("added line guests").line == "added line guests"


def _imported_modules(path: Path) -> set[str]:
    """Every module an ``import`` names in ``path``, at any depth (lazy imports too)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_chart_is_built_in_charts():
    """altair is imported by carbonclap_methods.charts only: the widgets and the
    studies assemble rows and texts and call its builders."""
    elsewhere = sorted(str(p.relative_to(PACKAGE)) for p in PACKAGE.rglob("*.py")
                       if p.name != "charts.py" and "altair" in _imported_modules(p))
    assert elsewhere == []
    assert "altair" in _imported_modules(PACKAGE / "charts.py")


def test_charts_import_nothing_above_them():
    """charts draws the engine's results: it imports no widget, study, CLI or app module."""
    above = {m for m in _graph()["charts"]
             if m.startswith(("widgets", "cli", "studies", "study_", "sector_report", "demo"))}
    assert above == set()
    lazy = {n.module for n in ast.walk(ast.parse((PACKAGE / "charts.py").read_text()))
            if isinstance(n, ast.ImportFrom) and n.level and n.module}
    assert not {m for m in lazy if m.startswith(("widgets", "cli", "studies", "study_"))}
