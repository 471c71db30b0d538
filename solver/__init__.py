"""twinning: school twinning pairs, alliances and exchange rosters for education bureaus.

>>> from solver import load_instance, solve, validate

Reading instances and checking plans never loads a solver: ``solve`` and ``solve_many``
(which import OR-Tools) are loaded on first use, so that ``validate`` runs where
OR-Tools is not installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from solver.check import ValidationReport, Violation, validate
from solver.county.instance import Instance
from solver.county.policy import Policy
from solver.errors import InputError
from solver.io.readers import load_instance
from solver.plan import Plan
from solver.result import Result

if TYPE_CHECKING:
    from solver.batch import BatchRow, solve_many
    from solver.explain import explain_infeasible, with_policy
    from solver.solving import parse_parts, solve

__version__ = "0.1.0"

#: Names loaded on first use (they import the solvers), and the module each lives in.
_SOLVING = {
    "solve": "solver.solving",
    "parse_parts": "solver.solving",
    "solve_many": "solver.batch",
    "BatchRow": "solver.batch",
    "explain_infeasible": "solver.explain",
    "with_policy": "solver.explain",
}


def __getattr__(name: str) -> Any:
    if name in _SOLVING:
        return getattr(importlib.import_module(_SOLVING[name]), name)
    raise AttributeError(f"module 'solver' has no attribute {name!r}")


__all__ = [
    "BatchRow",
    "InputError",
    "Instance",
    "Plan",
    "Policy",
    "Result",
    "ValidationReport",
    "Violation",
    "explain_infeasible",
    "load_instance",
    "parse_parts",
    "solve",
    "solve_many",
    "validate",
    "with_policy",
]
