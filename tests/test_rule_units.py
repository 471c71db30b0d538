"""One home per rule: every rule the checker knows has a unit in the models.

A rule's name is its policy key. The checker's ``check_<rule>`` docstring starts with
the key in brackets; the model unit that enforces it (an ``add_<rule>`` function, an
option or arc filter, an engine) names it in brackets in its docstring too. Keys that
start with ``plan.`` are the plan's own consistency (figures, known ids), not rules.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import twinning.models
from twinning.validation import all_checks

_KEYS = re.compile(r"\[([a-z_]+\.[a-z_]+(?:,\s+[a-z_]+\.[a-z_]+)*)\]")


def _keys(doc: str | None) -> set[str]:
    return {k.strip() for group in _KEYS.findall(doc or "") for k in group.split(",")}


def checker_rules() -> set[str]:
    keys: set[str] = set()
    for check in all_checks():
        doc = inspect.getdoc(check) or ""
        assert doc.startswith("["), f"{check.__name__}: docstring must start with its rule key"
        keys |= _keys(doc.split("]", 1)[0] + "]")
    return {k for k in keys if not k.startswith("plan.")}


def model_rules() -> set[str]:
    keys: set[str] = set()
    for info in pkgutil.walk_packages(twinning.models.__path__, "twinning.models."):
        module = importlib.import_module(info.name)
        for _, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ == module.__name__:
                keys |= _keys(inspect.getdoc(fn))
    return keys


def test_every_checked_rule_has_a_model_unit() -> None:
    missing = sorted(checker_rules() - model_rules())
    assert not missing, f"rules checked but enforced by no tagged model unit: {missing}"


def test_every_model_unit_names_a_checked_rule() -> None:
    unknown = sorted(model_rules() - checker_rules())
    assert not unknown, f"model units name rules the checker does not check: {unknown}"
