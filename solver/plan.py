"""What comes back: the plan (canonical, no timings) and the result around it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Status = Literal["optimal", "feasible", "infeasible", "unknown"]
PART_ORDER = ("pairs", "alliances", "roster")
PLAN_VERSION = 1

UnpairedReason = Literal[
    "no_helper_for_stage", "too_far", "repeat_only", "capacity_used", "side_constraint"
]


class _Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Pair(_Item):
    """One twinning pair (结对帮扶)."""

    helper: str = Field(description="Helper school id (strong).")
    helped: str = Field(description="Helped school id (weak).")
    distance_km: float = Field(description="Distance, km, 3 decimals.")
    complementarity: int = Field(
        description="Helper strength (surplus + backbone) against helped shortages."
    )
    why: str = Field(description="The needs this pair answers, in words.")
    fixed: bool = Field(False, description="Pinned in the instance.")


class Membership(_Item):
    """One school's place in an alliance (联盟/教育集团); the lead is listed too."""

    alliance: str = Field(description="Alliance id (A01, A02, ... by lead id).")
    lead: str = Field(description="Lead school id (责任校 / 主席校).")
    member: str = Field(description="Member school id; equals lead for the lead's own row.")
    distance_km: float = Field(description="Member to lead, km, 3 decimals.")
    fixed: bool = Field(False, description="Pinned in the instance.")


class Move(_Item):
    """One roster line: who goes where, from when, for how long, in what role."""

    staff: str = Field(description="Staff id (工号).")
    role: str
    subject: str | None = None
    from_school: str = Field(description="Home school (posts and pay stay here).")
    to_school: str = Field(description="Host school.")
    first_period: str = Field(description="First period of the move (horizon.periods).")
    periods: int = Field(ge=1, description="Consecutive periods.")
    direction: Literal["out", "in"] = Field(description="out 下乡 / in 进城学艺.")
    kind: Literal["exchange", "secondment", "mentor"] = Field(
        description="exchange 交流 / secondment 挂职 / mentor 带徒 (mentor stays at home)."
    )
    mentee: str | None = Field(None, description="For a mentor line: the young teacher.")
    fixed: bool = Field(False, description="Pinned in the instance.")


class UnmetNeed(_Item):
    """A shortage the roster leaves (partly) uncovered."""

    school: str
    subject: str
    period: str
    shortage: int
    covered: int
    priority: int


class Unpaired(_Item):
    """A weak school left without a helper, and why."""

    school: str
    reason: UnpairedReason
    detail: str


class PartObjective(_Item):
    """A part's objective (a cost: lower is better) and its terms."""

    value: int = Field(description="Weighted total, to be minimised.")
    terms: dict[str, float] = Field(description="Each term before weighting.")


class Plan(BaseModel):
    """A plan: canonical, versioned, holding no timestamps or timings.

    Equal plans serialise to equal files, so two runs can be compared with ``cmp``.
    """

    model_config = ConfigDict(extra="forbid")

    format: Literal["twinning-plan"] = "twinning-plan"
    version: int = PLAN_VERSION
    instance: str = Field(description="Name of the instance it was made for.")
    parts: list[str] = Field(description="Parts planned, in order.")
    status: Status = Field(description="Worst status of the parts.")
    objective: int = Field(description="Sum of the parts' objective values (costs).")
    objectives: dict[str, PartObjective] = Field(default_factory=dict)
    pairs: list[Pair] = Field(default_factory=list)
    unpaired: list[Unpaired] = Field(default_factory=list)
    alliances: list[Membership] = Field(default_factory=list)
    roster: list[Move] = Field(default_factory=list)
    unmet_needs: list[UnmetNeed] = Field(default_factory=list)

    def canonical(self) -> Plan:
        """The same plan with every list in a fixed order."""
        return self.model_copy(
            update={
                "parts": [p for p in PART_ORDER if p in self.parts],
                "pairs": sorted(self.pairs, key=lambda p: (p.helper, p.helped)),
                "unpaired": sorted(self.unpaired, key=lambda u: u.school),
                "alliances": sorted(self.alliances, key=lambda m: (m.alliance, m.member)),
                "roster": sorted(self.roster, key=lambda m: (m.kind, m.staff, m.first_period)),
                "unmet_needs": sorted(
                    self.unmet_needs, key=lambda u: (u.school, u.subject, u.period)
                ),
            }
        )

    def to_json(self) -> str:
        """Canonical JSON text: sorted keys, fixed list order, UTF-8, trailing newline."""
        data = self.canonical().model_dump(mode="json")
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> Plan:
        """Read a plan from its JSON text."""
        return cls.model_validate_json(text)

    def to_folder(self, out: str | Path, **options: Any) -> list[Path]:
        """Write ``plan.json`` and CSV tables into a folder (see :func:`solver.io.write_plan`)."""
        from solver.io.writers import write_plan

        return write_plan(self, Path(out), **options)

    def to_excel(self, path: str | Path, **options: Any) -> Path:
        """Write the plan's tables as an Excel workbook."""
        from solver.io.writers import write_excel

        return write_excel(self, Path(path), **options)


class PartResult(BaseModel):
    """How one part was solved."""

    part: str
    status: Status
    objective: int | None = Field(None, description="Cost of the plan found (lower is better).")
    bound: float | None = Field(None, description="Best proven lower bound on the cost.")
    gap: float | None = Field(None, description="(objective - bound) / max(1, objective).")
    method: str = Field("", description="Engine that solved it and how optimality was proved.")
    wall_time: float = 0.0
    terms: dict[str, float] = Field(default_factory=dict)
    kpis: dict[str, Any] = Field(default_factory=dict)
    message: str = ""


class Result(BaseModel):
    """The outcome of :func:`solver.solve`: a status, figures, and the plan."""

    status: Status
    objective: int | None
    bound: float | None
    gap: float | None
    wall_time: float
    parts: dict[str, PartResult]
    plan: Plan
    interrupted: bool = False

    def summary(self) -> dict[str, Any]:
        """Everything for ``summary.json``: status, objective, bound, gap, times, KPIs."""
        return {
            "instance": self.plan.instance,
            "status": self.status,
            "objective": self.objective,
            "bound": self.bound,
            "gap": self.gap,
            "wall_time": round(self.wall_time, 3),
            "interrupted": self.interrupted,
            "parts": {k: v.model_dump(mode="json") for k, v in self.parts.items()},
        }


def gap_of(objective: float | None, bound: float | None) -> float | None:
    """Relative gap of a minimisation: (objective - bound) / max(1, |objective|)."""
    if objective is None or bound is None:
        return None
    return max(0.0, (objective - bound) / max(1.0, abs(objective)))


def worst_status(statuses: list[str]) -> Status:
    """The status of several parts together: the worst of them."""
    for s in ("infeasible", "unknown", "feasible"):
        if s in statuses:
            return s  # type: ignore[return-value]
    return "optimal"
