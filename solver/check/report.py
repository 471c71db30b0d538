"""What the checker reports: every violation with its rule, where, and by how much."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, model_validator

from twinning.messages import Lang, Msg, render, value_word
from twinning.plan import PartObjective
from twinning.rules.balance import Balance


class Violation(BaseModel):
    """One broken rule: which rule, where, by how much, and what is wrong (a message of
    the catalogue: a code and its parameters, rendered in the reader's language)."""

    rule: str = Field(description="The rule's name, as the policy key or plan field.")
    where: list[str] = Field(description="Schools or staff concerned.")
    amount: float | None = Field(None, description="By how much, in the rule's unit.")
    code: str = Field(description="What is wrong: a code of the message catalogue.")
    params: dict[str, Any] = Field(default_factory=dict, description="The code's parameters.")

    @model_validator(mode="before")
    @classmethod
    def _plain_message(cls, data: Any) -> Any:
        # A violation written with a plain sentence (older summaries) keeps it as text.
        if isinstance(data, dict) and "message" in data and "code" not in data:
            text = str(data["message"])
            data = {k: v for k, v in data.items() if k != "message"}
            data.update(code="text", params={"text": text})
        return data

    @property
    def msg(self) -> Msg:
        return Msg(code=self.code, params=self.params)

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return render(self.msg, "en")

    def text(self, lang: Lang | str = "en") -> str:
        """What is wrong, in ``lang``."""
        return render(self.msg, lang)

    def line(self, lang: Lang | str = "en") -> str:
        """``[rule] where: what (by amount)`` in ``lang``."""
        if lang == "zh":
            amount = f"（差 {self.amount:g}）" if self.amount is not None else ""
            where = "、".join(str(value_word("where", w, lang)) for w in self.where)
            return f"[{self.rule}] {where}：{self.text(lang)}{amount}"
        amount = f" (by {self.amount:g})" if self.amount is not None else ""
        return f"[{self.rule}] {', '.join(self.where)}: {self.text(lang)}{amount}"

    def __str__(self) -> str:
        return self.line("en")


class RosterRecount(BaseModel):
    """The roster's headline KPIs, recounted from the plan by the checker."""

    rotation_rate: float | None
    backbone_share: float | None
    two_way_ratio: float | None
    needs_covered_share: float
    uncounted_exchanges: int = 0


class ValidationReport(BaseModel):
    """Everything the checker found; ``ok`` when there is no violation."""

    violations: list[Violation] = Field(default_factory=list)
    objectives: dict[str, PartObjective] = Field(
        default_factory=dict, description="Each part's objective, recomputed from the plan."
    )
    kpis: dict[str, RosterRecount] = Field(
        default_factory=dict, description="KPIs recomputed from the plan, per part."
    )
    warnings: list[Msg] = Field(
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
