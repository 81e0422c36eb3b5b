"""Readable names of audit actions, in the reader's language.

An action code (`tickets.workorder.resolve`) is declared where the action is: each app's `choices.py`, next to
its statuses and state machines, holds `AUDIT_ACTIONS`, a mapping of code to translated label, and this
registry collects them from every installed app. The generic row changes written by `row_save_audited`,
`row_delete` and the admin base (`<app>.<model>.created`, `.changed`, `.deleted`) are named from the model's
verbose name. `tests/audit/test_audit_action_labels.py` fails when the code base writes a code without a label.
"""

from __future__ import annotations

import functools
import importlib

from django.apps import apps
from django.db import models
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

GENERIC_ROW_ACTIONS = {
    "created": _("%(object)s created"),
    "changed": _("%(object)s changed"),
    "deleted": _("%(object)s deleted"),
}


@functools.cache
def declared(attribute: str) -> dict:
    """The merged mapping `attribute` of every installed app's `choices` module (apps declare, audit reads)."""
    merged: dict = {}
    for config in apps.get_app_configs():
        name = f"{config.name}.choices"
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name == name:
                continue
            raise
        merged.update(getattr(module, attribute, {}))
    return merged


def declared_actions() -> dict[str, object]:
    """Every `AUDIT_ACTIONS` entry of the installed apps' `choices` modules (code -> lazy label)."""
    return declared("AUDIT_ACTIONS")


def model_of(object_type: str) -> type[models.Model] | None:
    """The model an audit entry's `object_type` (`app_label.modelname`) names, if it still exists."""
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """The model's verbose name for an `object_type` (the code itself for an unknown one)."""
    model = model_of(object_type)
    return str(capfirst(model._meta.verbose_name)) if model is not None else object_type


def action_label(code: str) -> str | None:
    """The readable name of an action code in the active language, or None when nobody declared one."""
    label = declared_actions().get(code)
    if label is not None:
        return str(label)
    prefix, _dot, verb = code.rpartition(".")
    model = model_of(prefix) if prefix else None
    if model is not None and verb in GENERIC_ROW_ACTIONS:
        return str(GENERIC_ROW_ACTIONS[verb]) % {"object": capfirst(model._meta.verbose_name)}
    return None


def action_text(code: str) -> str:
    """What a page shows for an action: its label, or (for an undeclared code) the code itself."""
    return action_label(code) or code
