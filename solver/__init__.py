"""twinning: school twinning pairs, alliances and exchange rosters for education bureaus.

>>> from twinning import load_instance, solve, validate

Reading instances and checking plans never loads a solver: ``solve`` and ``solve_many``
(which import OR-Tools) are loaded on first use, so that ``validate`` runs where
OR-Tools is not installed.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from twinning.collector import paused

# Importing builds the package's models (their schemas: objects that live on, the
# collector would walk them again and again for nothing; twinning.collector).
with paused():
    from twinning.county.instance import Instance
    from twinning.county.policy import Policy
    from twinning.errors import InputError
    from twinning.io.readers import load_instance
    from twinning.plan import Plan
    from twinning.result import Result
    from twinning.validation import ValidationReport, Violation, validate

if TYPE_CHECKING:
    from twinning.batch import BatchRow, solve_many
    from twinning.county.instance import with_policy
    from twinning.explain import explain_infeasible
    from twinning.solving import parse_parts, solve

__version__ = "0.1.0"

#: Names loaded on first use (they import the solvers), and the module each lives in.
_SOLVING = {
    "solve": "twinning.solving",
    "parse_parts": "twinning.solving",
    "solve_many": "twinning.batch",
    "BatchRow": "twinning.batch",
    "explain_infeasible": "twinning.explain",
    "with_policy": "twinning.county.instance",
}


def __getattr__(name: str) -> Any:
    if name in _SOLVING:
        return getattr(importlib.import_module(_SOLVING[name]), name)
    raise AttributeError(f"module 'twinning' has no attribute {name!r}")


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
