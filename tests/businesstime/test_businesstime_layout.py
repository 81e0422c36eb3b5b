"""The business-time engine package keeps its split by concern: pure, layered, one public surface."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

import oversight.businesstime
import oversight.businesstime.engine as engine

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = "oversight.businesstime.engine"
# Each module may import (at module level) only the modules listed before it.
LAYERS = ["specification", "compilation", "queries", "batch"]
ALLOWED = {
    "specification": set(),
    "compilation": {"specification"},
    "queries": {"specification", "compilation"},
    "batch": {"specification", "compilation"},
}
FORBIDDEN_ROOTS = ("django", "rest_framework", "celery")


def top_level_imports(name: str) -> set[str]:
    """Modules imported at module level (not inside functions) by the engine module `name`."""
    path = ROOT / "oversight" / "businesstime" / "engine" / f"{name}.py"
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            found.add(node.module or "")
    return found


@pytest.mark.parametrize("name", LAYERS)
def test_each_module_imports_only_the_layers_below_it_and_no_framework(name):
    imports = top_level_imports(name)
    siblings = {m.removeprefix(PACKAGE + ".") for m in imports if m.startswith(PACKAGE + ".")}
    assert siblings <= ALLOWED[name], f"{name} imports {sorted(siblings - ALLOWED[name])}"
    other_oversight = {m for m in imports if m.startswith("oversight.") and not m.startswith(PACKAGE + ".")}
    assert not other_oversight, f"{name} imports {sorted(other_oversight)}"
    assert not [m for m in imports if m.split(".")[0] in FORBIDDEN_ROOTS]


def test_the_public_names_are_listed_once_in_the_engine_package():
    # One list to keep: the top package re-exports nothing, so it cannot drift from the engine's list.
    assert not hasattr(oversight.businesstime, "__all__")
    assert not [public for public in engine.__all__ if hasattr(oversight.businesstime, public)]


@pytest.mark.parametrize("name", LAYERS)
def test_every_public_function_of_a_module_is_exported(name):
    module = importlib.import_module(f"{PACKAGE}.{name}")
    defined_here = {
        attr
        for attr, value in vars(module).items()
        if not attr.startswith("_") and callable(value) and getattr(value, "__module__", None) == module.__name__
    }
    assert defined_here <= set(engine.__all__), sorted(defined_here - set(engine.__all__))
