#!/usr/bin/env python3
"""The house's figures (issue 12): what a newcomer would find large or long.

Run from the repository root (or give it one): ``python3 scripts/house_figures.py [ROOT]
[--tests]``. It reads the source with the standard library's ``ast`` and imports nothing of
the project, so it runs on any checkout (``git worktree add /tmp/base <rev>``, then
``python3 scripts/house_figures.py /tmp/base``).

What it counts, under ``ROOT/src/``:

- **Largest files**: the ten ``.py`` files with the most lines (every line, blank and comment
  lines included), migrations left out (they are generated).
- **Long functions**: every function or method (``def`` / ``async def``, nested ones too) over
  60 lines, from its ``def`` line to its last line (decorators not counted), outside
  ``tests/`` and ``migrations/``.
- **Long views**: every function defined at the top level of a views module over 30 lines. A
  views module is ``views.py``, ``*_views.py`` or ``api_routes.py`` (the Ninja routes are the
  API's views). Helpers with a leading underscore count too: they are a view's body moved
  aside, and a view is only as thin as what it runs inside its own module.
- **Tests** (with ``--tests``): the number of tests ``pytest --collect-only -q`` collects
  from ROOT (browser tests included; nothing is run, no database is needed), with ROOT's
  ``src/`` first on the path; run it with a Python that has the project's test dependencies
  (``.venv/bin/python scripts/house_figures.py --tests``).

Each list says ``file:line name length``, the file relative to ROOT.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import subprocess
import sys
from pathlib import Path

LONG_FUNCTION = 60
LONG_VIEW = 30
LARGEST = 10
VIEW_MODULE = re.compile(r"^(views|.*_views|api_routes)\.py$")


def _source_files(root: Path) -> list[Path]:
    return sorted(p for p in (root / "src").rglob("*.py") if "migrations" not in p.parts)


def _is_function(node: ast.AST) -> bool:
    return isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))


def _length(node: ast.AST) -> int:
    return node.end_lineno - node.lineno + 1


def largest_files(root: Path, files: list[Path]) -> list[tuple[int, str]]:
    sized = [
        (len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(root))) for p in files
    ]
    return sorted(sized, key=lambda row: (-row[0], row[1]))[:LARGEST]


def long_functions(root: Path, files: list[Path]) -> list[tuple[str, int, str, int]]:
    """(file, line, name, length) of every function over LONG_FUNCTION lines, longest first."""
    rows = []
    for path in files:
        if "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if _is_function(node) and _length(node) > LONG_FUNCTION:
                rows.append((str(path.relative_to(root)), node.lineno, node.name, _length(node)))
    return sorted(rows, key=lambda row: (-row[3], row[0], row[1]))


def long_views(root: Path, files: list[Path]) -> list[tuple[str, int, str, int]]:
    """(file, line, name, length) of every top-level function of a views module over
    LONG_VIEW lines, longest first."""
    rows = []
    for path in files:
        if "tests" in path.parts or not VIEW_MODULE.match(path.name):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in tree.body:
            if _is_function(node) and _length(node) > LONG_VIEW:
                rows.append((str(path.relative_to(root)), node.lineno, node.name, _length(node)))
    return sorted(rows, key=lambda row: (-row[3], row[0], row[1]))


def test_count(root: Path) -> str:
    """The count in pytest's last line ("1234 tests collected in 5.6s"), or what went wrong."""
    # ROOT's own src/ first: a venv's editable install may point at another checkout.
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(root / "src"), os.environ.get("PYTHONPATH", "")]),
    }
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )
    for line in reversed(done.stdout.splitlines()):
        found = re.search(r"(\d+) tests? collected", line)
        if found:
            return found.group(1)
    return "unknown (pytest said: " + (done.stdout + done.stderr).strip()[-300:] + ")"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", nargs="?", default=".", help="the repository root (default: .)")
    parser.add_argument("--tests", action="store_true", help="also count the tests (pytest)")
    args = parser.parse_args(argv)
    root = Path(args.root).resolve()
    files = _source_files(root)

    print(f"Largest {LARGEST} .py files under src/ (lines; migrations left out):")
    for lines, name in largest_files(root, files):
        print(f"  {lines:6d}  {name}")
    functions = long_functions(root, files)
    print(
        f"\nFunctions over {LONG_FUNCTION} lines ({len(functions)}; tests and migrations left out):"
    )
    for name, line, function, length in functions:
        print(f"  {name}:{line} {function} {length}")
    views = long_views(root, files)
    print(f"\nViews over {LONG_VIEW} lines ({len(views)}; top-level functions of views modules):")
    for name, line, function, length in views:
        print(f"  {name}:{line} {function} {length}")
    if args.tests:
        print(f"\nTests collected: {test_count(root)}")


if __name__ == "__main__":
    main()
