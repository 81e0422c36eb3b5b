"""The import contracts (pyproject.toml, run by `make lint`): they pass, and every package has a place in them."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def contracts() -> dict[str, dict]:
    """The configured contracts by id."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["importlinter"]
    return {contract["id"]: contract for contract in config["contracts"]}


def test_make_lint_checks_the_import_contracts():
    lint = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nlint:", 1)[1].split("\n\n", 1)[0]
    assert "$(VENV)/bin/lint-imports" in lint


def test_the_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(  # noqa: S603 - our own virtualenv's tool, fixed arguments
        [str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout


def test_every_package_is_placed_in_the_layers_or_is_pure():
    """A new app must say where it sits: otherwise nothing stops it importing an app above it."""
    layered = {name.strip() for layer in contracts()["layers"]["layers"] for name in layer.replace("|", ":").split(":")}
    pure = set(contracts()["pure-calculations"]["source_modules"])
    packages = {
        f"oversight.{path.parent.name}" for path in (ROOT / "oversight").glob("*/__init__.py") if path.parent.name
    }
    packages.discard("oversight.locale")
    assert sorted(packages - layered - pure) == []
    assert layered & pure == set()


def test_core_and_tenancy_may_import_no_domain_app():
    forbidden_by_core = set(contracts()["core-is-the-floor"]["forbidden_modules"])
    forbidden_by_tenancy = set(contracts()["tenancy-imports-no-domain-app"]["forbidden_modules"])
    domain = {"oversight.catalog", "oversight.tickets", "oversight.feedback", "oversight.reports", "oversight.demo"}
    assert domain <= forbidden_by_core and domain <= forbidden_by_tenancy
    assert {"oversight.tenancy", "oversight.audit"} <= forbidden_by_core
