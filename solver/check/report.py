"""What the checker reports: every violation with its rule, where, and by how much."""

from __future__ import annotations

from pydantic import BaseModel, Field

from twinning.plan import PartObjective
from twinning.rules.balance import Balance


class Violation(BaseModel):
    """One broken rule: which rule, where, by how much."""

    rule: str = Field(description="The rule's name, as the policy key or plan field.")
    where: list[str] = Field(description="Schools or staff concerned.")
    amount: float | None = Field(None, description="By how much, in the rule's unit.")
    message: str

    def __str__(self) -> str:
        amount = f" (by {self.amount:g})" if self.amount is not None else ""
        return f"[{self.rule}] {', '.join(self.where)}: {self.message}{amount}"


class RosterRecount(BaseModel):
    """The roster's headline KPIs, recounted from the plan by the checker."""

    rotation_rate: float | None
    backbone_share: float | None
    two_way_ratio: float | None
    needs_covered_share: float
    cv_backbone_per_100_before: dict[str, float | None]
    cv_backbone_per_100_after: dict[str, dict[str, float | None]]


class ValidationReport(BaseModel):
    """Everything the checker found; ``ok`` when there is no violation."""

    violations: list[Violation] = Field(default_factory=list)
    objectives: dict[str, PartObjective] = Field(
        default_factory=dict, description="Each part's objective, recomputed from the plan."
    )
    kpis: dict[str, RosterRecount] = Field(
        default_factory=dict, description="KPIs recomputed from the plan, per part."
    )
    warnings: list[str] = Field(
        default_factory=list, description="Things to know that break no rule."
    )
    balance: Balance | None = Field(
        None, description="The staffing indicators recounted from the plan (rules/balance.py)."
    )

    @property
    def ok(self) -> bool:
        return not self.violations

    @property
    def objective(self) -> int:
        """The plan's objective as the checker recomputes it (sum of the parts)."""
        return sum(o.value for o in self.objectives.values())
