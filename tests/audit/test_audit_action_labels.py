"""Every audit action the code base writes has a readable label in English and in Simplified Chinese.

The codes are found in the source, not in a list kept by hand: every `audit_record(action=...)` call (literals,
conditional literals, concatenations and loops over literal tuples), every state machine's audit names for
every transition its table allows, and the generic row changes (`<app>.<model>.created|changed|deleted`) of
every model of the project. A new action without a label fails here.
"""

from __future__ import annotations

import ast
import importlib
import itertools
import pathlib
import re

import pytest
from django.apps import apps
from django.utils import translation

from oversight.audit.actions import action_label
from oversight.core.transitions import Machine

ROOT = pathlib.Path(__file__).resolve().parents[2] / "oversight"
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
# Where an action is passed through rather than written: the generic writers, checked through the models.
FORWARDERS = {"audit/services.py", "audit/transitions.py"}


def _strings(node: ast.AST, loops: dict[str, set[str]]) -> set[str] | None:
    """The strings an expression can evaluate to, or None when it cannot be read statically."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body, loops), _strings(node.orelse, loops)
        return None if body is None or orelse is None else body | orelse
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _strings(node.left, loops), _strings(node.right, loops)
        return None if left is None or right is None else {a + b for a, b in itertools.product(left, right)}
    if isinstance(node, ast.Name) and node.id in loops:
        return loops[node.id]
    return None


def _loop_literals(tree: ast.AST) -> dict[str, set[str]]:
    """`for name, ... in ((literal, ...), ...)`: the literals each loop name takes."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.For) and isinstance(node.iter, ast.Tuple | ast.List)):
            continue
        targets = node.target.elts if isinstance(node.target, ast.Tuple) else [node.target]
        for index, target in enumerate(targets):
            if not isinstance(target, ast.Name):
                continue
            for item in node.iter.elts:
                value = item.elts[index] if isinstance(item, ast.Tuple) else item
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    found.setdefault(target.id, set()).add(value.value)
    return found


def written_codes() -> tuple[set[str], list[str]]:
    """The action codes `audit_record` calls write, and the calls whose action cannot be read."""
    codes: set[str] = set()
    unreadable: list[str] = []
    for path in ROOT.rglob("*.py"):
        relative = path.relative_to(ROOT).as_posix()
        if "/migrations/" in relative:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        loops = _loop_literals(tree)
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name != "audit_record":
                continue
            for keyword in node.keywords:
                if keyword.arg != "action":
                    continue
                values = _strings(keyword.value, loops)
                if values is not None:
                    codes |= values
                elif relative not in FORWARDERS:
                    unreadable.append(f"{relative}:{node.lineno}")
    return codes, unreadable


def machine_codes() -> set[str]:
    """The audit action of every transition every state machine's table allows."""
    codes: set[str] = set()
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.choices")
        except ModuleNotFoundError:
            continue
        for machine in vars(module).values():
            if not isinstance(machine, Machine):
                continue
            for action, (_sources, target) in machine.table.items():
                targets = [target] if target is not None else sorted(machine.statuses())
                codes |= {machine.audit_action(action, to) for to in targets}
    return codes


def row_codes() -> set[str]:
    """The generic created/changed/deleted codes of every model of the project."""
    return {
        f"{model._meta.label_lower}.{verb}"
        for model in apps.get_models()
        if model.__module__.startswith("oversight.")
        for verb in ("created", "changed", "deleted")
    }


def test_the_scan_finds_the_actions_it_must():
    codes, unreadable = written_codes()
    assert not unreadable, f"write these actions as literals so they can be checked: {unreadable}"
    assert {"tickets.workorder.created", "tenancy.user.role_changed", "reports.reportschedule.activated"} <= codes
    assert {"tickets.workorder.accept", "contracts.contract.activated"} <= machine_codes()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_audit_action_has_a_label_in_both_languages(language):
    codes = written_codes()[0] | machine_codes() | row_codes()
    missing, untranslated = [], []
    for code in sorted(codes):
        with translation.override(language):
            label = action_label(code)
        if not label:
            missing.append(code)
        elif language == "zh-hans" and not CJK_RE.search(label):
            untranslated.append(f"{code}: {label}")
        elif language == "en" and (code in label or CJK_RE.search(label)):
            untranslated.append(f"{code}: {label}")
    assert not missing, f"audit actions without a label (declare them in AUDIT_ACTIONS): {missing}"
    assert not untranslated, f"audit action labels not in {language}: {untranslated}"
