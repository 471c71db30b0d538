"""twinning: school twinning pairs, alliances and exchange rosters for education bureaus.

>>> from solver import load_instance, solve, validate
"""

from solver.batch import BatchRow, solve_many
from solver.check import ValidationReport, Violation, validate
from solver.county.instance import Instance
from solver.county.policy import Policy
from solver.errors import InputError
from solver.io import load_instance
from solver.plan import Plan, Result
from solver.solve import solve

__version__ = "0.1.0"

__all__ = [
    "BatchRow",
    "InputError",
    "Instance",
    "Plan",
    "Policy",
    "Result",
    "ValidationReport",
    "Violation",
    "load_instance",
    "solve",
    "solve_many",
    "validate",
]
