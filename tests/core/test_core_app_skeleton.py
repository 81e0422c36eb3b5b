"""Every app keeps the house skeleton where it has the piece: `apps.py` says what the app is, reads live in
`selectors` and writes in `services` (a module or a package of that name, never `<topic>_selectors.py`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

OVERSIGHT = Path(__file__).resolve().parents[2] / "oversight"
APPS = sorted(p.parent.name for p in OVERSIGHT.glob("*/apps.py"))
SKELETON_ROLES = ("selectors", "services")


@pytest.mark.parametrize("app", APPS)
def test_apps_py_has_a_module_and_a_config_docstring(app):
    tree = ast.parse((OVERSIGHT / app / "apps.py").read_text(encoding="utf-8"))
    assert ast.get_docstring(tree), f"oversight/{app}/apps.py: add a one-line module docstring saying what the app is"
    configs = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    assert configs and all(ast.get_docstring(node) for node in configs), f"oversight/{app}/apps.py: AppConfig docstring"


@pytest.mark.parametrize("app", APPS)
def test_reads_and_writes_live_in_selectors_and_services_by_those_names(app):
    misplaced = sorted(
        path.name
        for path in (OVERSIGHT / app).glob("*.py")
        for role in SKELETON_ROLES
        if path.stem.endswith(f"_{role}") or path.stem.startswith(f"{role}_")
    )
    assert misplaced == [], f"oversight/{app}: use {SKELETON_ROLES} modules or packages, not {misplaced}"


def test_the_skeleton_is_checked_on_every_app():
    assert {"tenancy", "catalog", "tickets", "scorecards", "reports"} <= set(APPS)
