"""The calculation modules of issue 3 stay pure: no Django import in them or in what they import from oversight."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE_MODULES = [
    "oversight.kpi.__init__",
    "oversight.kpi.facts",
    "oversight.kpi.results",
    "oversight.kpi.timeliness",
    "oversight.kpi.resolution",
    "oversight.kpi.satisfaction",
    "oversight.kpi.backlog",
    "oversight.kpi.availability",
    "oversight.kpi.people",
    "oversight.kpi.catalogue",
    "oversight.scorecards.rules",
    "oversight.fees.calc",
    "oversight.feedback.draw",
    "oversight.feedback.tokens",
]
FORBIDDEN = ("django", "rest_framework", "celery", "factory")


def imported_modules(module: str) -> set[str]:
    """Every module named in an import statement of `module`'s source file."""
    tree = ast.parse((ROOT / (module.replace(".", "/") + ".py")).read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{module}: relative import"
            names.add(node.module or "")
    return names


@pytest.mark.parametrize("module", PURE_MODULES)
def test_no_framework_import_directly_or_through_oversight_modules(module):
    seen: set[str] = set()
    todo = [module]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for name in imported_modules(current):
            assert name.split(".")[0] not in FORBIDDEN, f"{current} imports {name}"
            if name.startswith("oversight.") and (ROOT / (name.replace(".", "/") + ".py")).exists():
                todo.append(name)
    assert module in seen
