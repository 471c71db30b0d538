"""Every rule has its two tests, named after its policy key.

A rule's key K is the bracketed key that starts its checker's docstring (``[rotation.rate]``;
one check may name several keys). Keys starting with ``plan.`` are plan-consistency checks,
not rules. For every other key, with N = K with dots as underscores, some file under
``tests/`` defines ``test_<N>_feasible`` and ``test_<N>_infeasible``.
"""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

from twinning.validation import all_checks

TESTS = Path(__file__).resolve().parent


def rule_keys() -> set[str]:
    """Every rule key named by a checker docstring, ``plan.*`` excluded."""
    keys: set[str] = set()
    for checks in (all_checks(),):
        for check in checks:
            m = re.match(r"\[([^\]]+)\]", inspect.getdoc(check) or "")
            assert m, f"{check.__module__}.{check.__name__} names no rule key in its docstring"
            keys.update(k.strip() for k in m.group(1).split(","))
    return {k for k in keys if not k.startswith("plan.")}


def defined_tests() -> set[str]:
    """Names of the test functions the test files under tests/ define (at module level,
    or in a ``Test*`` class)."""
    names: set[str] = set()
    for path in sorted(TESTS.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        nodes = list(tree.body)
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
                nodes.extend(node.body)
        names.update(
            node.name
            for node in nodes
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.name.startswith("test_")
        )
    return names


def test_every_rule_has_a_feasible_and_an_infeasible_test() -> None:
    keys = rule_keys()
    assert len(keys) > 40, sorted(keys)  # the docstrings were read
    defined = defined_tests()
    missing = sorted(
        f"test_{key.replace('.', '_')}_{case}"
        for key in keys
        for case in ("feasible", "infeasible")
        if f"test_{key.replace('.', '_')}_{case}" not in defined
    )
    assert not missing, f"{len(missing)} rule test(s) missing: " + ", ".join(missing)
