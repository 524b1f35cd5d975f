"""docs/architecture.md stays true: every app's modules are of a documented kind, and no two
apps import each other (directly or round a longer loop). The layers themselves are the
import-linter contract in pyproject.toml."""

import re
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[4]
SRC = ROOT / "src" / "cnnavi"
MAP = ROOT / "docs" / "architecture.md"
APPS = sorted(p.name for p in SRC.iterdir() if (p / "apps.py").exists() and p.name != "core")


def _documented_kinds() -> set[str]:
    text = MAP.read_text(encoding="utf-8")
    table = text.split("### Module kinds", 1)[1].split("\n\n", 2)[1]
    kinds = set()
    for row in table.splitlines()[2:]:
        first_cell = row.split("|")[1]
        kinds.update(re.findall(r"`([\w./]+?)(?:\.py|/)?`", first_cell))
    return kinds


def _modules_of(app: str) -> set[str]:
    return {
        p.stem if p.suffix == ".py" else p.name
        for p in (SRC / app).iterdir()
        if p.name != "__pycache__" and (p.suffix == ".py" or p.is_dir())
    }


def test_every_app_module_is_of_a_documented_kind():
    kinds = _documented_kinds()
    assert {"models", "services", "selectors", "calc", "labels"} <= kinds
    unknown = {app: sorted(_modules_of(app) - kinds) for app in APPS}
    assert {app: names for app, names in unknown.items() if names} == {}


def test_every_documented_kind_is_used():
    used = set().union(*(_modules_of(app) for app in APPS))
    assert sorted(_documented_kinds() - used) == []


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    if len(parts) < 2 or parts[1] not in APPS or "tests" in parts:
        return None
    return parts[1]


def test_no_import_cycles_between_apps():
    graph = grimp.build_graph("cnnavi", cache_dir=None)
    edges: dict[str, set[str]] = {app: set() for app in APPS}
    for module in graph.modules:
        source = _app_of(module)
        if source is None:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            target = _app_of(imported)
            if target is not None and target != source:
                edges[source].add(target)
    assert "measure" in edges["reduce"] and "orgs" in edges["measure"]  # the graph is read
    cycles = []

    def visit(app: str, path: list[str]) -> None:
        for nxt in sorted(edges[app]):
            if nxt == path[0]:
                cycles.append(" -> ".join([*path, nxt]))
            elif nxt not in path and nxt > path[0]:  # each cycle once, from its smallest app
                visit(nxt, [*path, nxt])

    for app in APPS:
        visit(app, [app])
    assert cycles == []
