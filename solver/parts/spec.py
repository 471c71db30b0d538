"""What a part of the plan is, in one record: :class:`Part`.

Everything that works on parts (solving, validation, the report, explain, batch, the
command line) reads these records instead of keeping its own list, so that adding a part
is one module of records here (and its model and checker), not a change in every layer.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from twinning.check.report import Violation
from twinning.county.distances import Distances
from twinning.county.instance import Instance
from twinning.plan import PartObjective, Plan
from twinning.result import PartResult

if TYPE_CHECKING:
    from twinning.models.search import SolveContext
    from twinning.result import PartSolution


@dataclass(frozen=True)
class Term:
    """One term of a part's objective: its name (as ``terms`` of the part's objective
    holds it) and the policy key whose value prices one unit of it (None where the term is
    priced another way, e.g. each shortage by its priority, each leg's km rounded)."""

    name: str
    weight: str | None

    @property
    def label(self) -> str:
        """The term's label code in the catalogue."""
        return f"term.{self.name}"

    def price(self, policy: BaseModel) -> float | None:
        """The policy's price of one unit (None when the term is priced another way)."""
        if self.weight is None:
            return None
        node: Any = policy
        for key in self.weight.split("."):
            node = getattr(node, key)
        return float(node)


@dataclass(frozen=True)
class Checker:
    """How the validator checks a part: the facts it computes once, each rule's check on
    them, the objective recounted from them, and the figures recounted (if any)."""

    facts: Callable[[Instance, Plan, Distances], Any]
    checks: tuple[Callable[[Any], list[Violation]], ...]
    objective: Callable[[Any], PartObjective]
    recount: Callable[[Any], BaseModel] | None = None


@dataclass(frozen=True)
class Part:
    """One part of the plan.

    Parameters
    ----------
    name
        As ``--parts`` and ``plan.json`` name it; its label is the code ``part.<name>``.
    solve
        ``"module:function"``, the entry that solves the part from a
        :class:`~twinning.models.search.SolveContext`; imported on first use, so that
        validating a plan never loads a solver library.
    needs
        The parts it builds on, for an instance (planned first when not given).
    checker
        How :func:`twinning.validation.validate` checks it.
    terms
        Its objective's terms, each with the policy key that prices it.
    result
        Its result type (status, objective, bound, gap, method, KPIs).
    rows
        The plan's fields it decides (a part taken from a given plan copies them).
    tables
        The output tables (CSV files, workbook sheets) it writes.
    """

    name: str
    solve: str
    checker: Checker
    terms: tuple[Term, ...]
    result: type[PartResult]
    rows: tuple[str, ...]
    tables: tuple[str, ...]
    needs: Callable[[Instance], tuple[str, ...]] = field(default=lambda inst: ())

    @property
    def label(self) -> str:
        """The part's name code in the catalogue."""
        return f"part.{self.name}"

    @property
    def kpis(self) -> type[BaseModel] | None:
        """Its figures' type (the ``kpis`` field of its result)."""
        annotation = self.result.model_fields["kpis"].annotation
        args = getattr(annotation, "__args__", ())
        found = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        return found[0] if found else None

    def run(self, ctx: SolveContext) -> PartSolution:
        """Solve the part (the entry is imported on first use)."""
        return _entry(self.solve)(ctx)

    def term(self, name: str) -> Term | None:
        """The record of one of its objective's terms."""
        return next((t for t in self.terms if t.name == name), None)


@functools.cache
def _entry(path: str) -> Callable[..., Any]:
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


def on_plan(check: Callable[[Instance, Plan], list[Violation]]) -> Callable[[Any], list[Violation]]:
    """A check of the instance and plan as a check of a part's facts (which hold both)."""

    @functools.wraps(check)
    def on_facts(facts: Any) -> list[Violation]:
        return check(facts.inst, facts.plan)

    return on_facts
