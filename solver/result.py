"""How a solve went: one typed result per part, and the result of :func:`solver.solve`.

Each part returns the same shape (status, objective, bound, gap, method, time, terms)
with its own typed KPIs, and the plan rows it decided; :func:`solver.solve` gathers
them into one :class:`Result` around the :class:`~twinning.plan.Plan`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from twinning.check.report import Violation
from twinning.messages import Msg
from twinning.plan import (
    CircuitVisit,
    Hire,
    Membership,
    Move,
    OutreachVisit,
    Pair,
    PartObjective,
    Plan,
    Status,
    UnmetLessons,
    UnmetNeed,
    Unpaired,
)
from twinning.rules.balance import Balance
from twinning.rules.evaluation import Verdict, verdict

# ---- KPIs --------------------------------------------------------------------------------


class _Kpis(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PairsKpis(_Kpis):
    """Headline figures of the pairs part."""

    weak_schools: int = Field(description="Weak schools in the county.")
    paired: int = Field(description="Pairs in the plan (pinned ones included).")
    paired_share: float = Field(description="paired / weak_schools.")
    helpers: int = Field(description="Schools that may help.")
    helpers_used: int
    helpers_below_min: int = Field(description="Helpers below twinning.min_helped.")
    mean_km: float
    max_km: float
    complementarity: int = Field(description="Sum of the pairs' complementarity.")
    unpaired_by_reason: dict[str, int]
    candidate_arcs: int = Field(description="Compatible (helper, helped) arcs in the model.")


class AllianceKpi(_Kpis):
    """One alliance's figures."""

    alliance: str
    lead: str
    stage: str | None = None
    schools: int
    strong: int
    students: int
    teachers: int
    backbone_per_100_students: float | None
    farthest_km: float


class AlliancesKpis(_Kpis):
    """Headline figures of the alliances part."""

    alliances: list[AllianceKpi]
    groups: int


class QuotaCap(_Kpis):
    """A school whose quota by the rate exceeds what it can move."""

    by_rate: int
    can_move: int
    why: Msg | None = Field(
        None,
        description=(
            "Why, in planner terms: its due teachers, how many the rules let go, and each "
            "rule that stops the rest (twinning.rules.quota)."
        ),
    )


class RosterKpis(_Kpis):
    """Headline figures of the roster part (each defined in the README, "Roster KPIs")."""

    moves: int = Field(description="Moves (exchanges, secondments, headships); mentor pairs apart.")
    moves_by_kind: dict[str, int] = Field(description="Moves by kind and direction.")
    rotation_rate: float | None = Field(
        description="Teachers moved from urban/strong schools / their due teachers."
    )
    rotation_rate_required: float
    quota_schools_below: int = Field(description="Schools below their rotation.rate quota.")
    backbone_share: float | None = Field(
        description="County-level backbone teachers among the teachers moved out."
    )
    backbone_share_required: float
    two_way_ratio: float | None = Field(
        description="Teachers gone to learn (in) per teacher moved out: a ratio, not a share."
    )
    two_way_ratio_required: float
    needs_total_teacher_periods: int = Field(description="Shortages, teacher-periods.")
    needs_reachable_teacher_periods: int = Field(
        description="Of those, shortages some teacher's move could fill at all."
    )
    needs_unreachable_teacher_periods: int = Field(
        description="Shortages no allowed move can reach (left to hires, circuits, outreach)."
    )
    needs_covered_teacher_periods: int
    needs_covered_share: float = Field(description="Covered / reachable shortages, in [0, 1].")
    shortages_created_at_senders: int = Field(
        description="Teacher-periods by which moves take a sender below its needs."
    )
    due_total: int = Field(description="Due teachers and vice principals who may move.")
    due_moved: int
    due_moved_by_direction: dict[str, int]
    rural_priority_placed_rural: int
    preferences_listed: int = Field(description="Movers who listed preferred schools.")
    preferences_honoured: int = Field(description="...and got one of them.")
    preferences_by_rank: dict[str, int] = Field(
        description="Movers who got their 1st, 2nd, ... choice, or none of them."
    )
    bridge_moves: int = Field(description="Junior-school teachers teaching at a primary school.")
    secondments: int
    secondment_candidates: int = Field(description="Candidates with a host they may go to.")
    secondments_held_no_worse: int = Field(
        0,
        description=(
            "Secondment candidates held at home by balance.no_worse (rotation."
            "secondment_count unset): every secondment that fits would raise a staffing "
            "coefficient above its value before the plan."
        ),
    )
    mentor_pairs: int
    principals_due: int = Field(description="Principals after two terms, free to move.")
    principals_moved: int = Field(description="...of whom head another school (校长轮岗).")
    outflow_floor_schools: int = Field(
        description="Small schools allowed rotation.min_outflow away (their share gives less)."
    )
    unmet_needs_by_school: dict[str, dict[str, int]]
    quota_capped: dict[str, QuotaCap]
    uncounted_exchanges: int = Field(
        0,
        description=(
            "Teachers moved out on exchanges shorter than rotation.min_periods_for_quota: "
            "made, but counted toward neither the quota nor the backbone share."
        ),
    )


class ItinerantSubjectKpi(_Kpis):
    """One subject's circuits."""

    needed: int = Field(description="Weekly lessons needed (after the roster).")
    covered: int
    teachers: int


class ItinerantKpis(_Kpis):
    """Headline figures of the itinerant part (走教)."""

    weekly_lessons_needed: int
    weekly_lessons_covered: int
    teachers_used: int
    teachers_available: int = Field(description="Teachers who may circuit, with spare lessons.")
    km_per_week: float
    longest_day_km: float
    schools_served: int
    by_subject: dict[str, ItinerantSubjectKpi]


class OutreachKpis(_Kpis):
    """Headline figures of the outreach part (送教下乡 and 跟岗)."""

    visits: int = Field(description="Model-lesson visits (送教), all semesters.")
    visits_required: int = Field(description="visits_per_school x receiving schools x semesters.")
    receiving_schools: int = Field(description="Weak or rural schools.")
    schools_reached: int = Field(
        description="Receiving schools with visits_per_school visits in every semester."
    )
    schools_below: int = Field(description="Receiving schools short of visits in a semester.")
    below_by_school: dict[str, dict[str, int]] = Field(
        description="School -> semester -> visits missing."
    )
    visits_in_shortage_subject: int
    visits_from_pair: int = Field(description="Visits from the school's pair helper.")
    visits_from_alliance: int = Field(description="Visits from the school's alliance.")
    mean_visit_km: float
    visitors_available: int = Field(
        description="Backbone teachers and studio members at home, summed over semesters."
    )
    teachers_used: int = Field(description="Distinct teachers who visit.")
    short_exchanges: int = Field(description="跟岗 stints.")
    short_exchanges_required: int
    rural_without_helper: int = Field(
        description="Rural schools with no helper school to shadow at (no pair, no lead)."
    )
    visits_by_school: dict[str, int] = Field(description="Visits received per school.")


# ---- part results ------------------------------------------------------------------------


class PartResult(BaseModel):
    """How one part was solved (the shape every part shares)."""

    part: str
    status: Status
    objective: int | None = Field(None, description="Cost of the plan found (lower is better).")
    bound: float | None = Field(None, description="Best proven lower bound on the cost.")
    gap: float | None = Field(None, description="(objective - bound) / max(1, objective).")
    method: Msg | None = Field(
        None, description="Engine that solved it and how optimality was proved (a message)."
    )
    wall_time: float = 0.0
    terms: dict[str, float] = Field(
        default_factory=dict, description="Each cost term before weighting."
    )
    message: Msg | None = Field(
        None, description="What the part has to say: every school and amount it misses."
    )

    @field_validator("method", "message", mode="before")
    @classmethod
    def _plain_text(cls, value: Any) -> Any:
        # A sentence of an earlier version's summary kept as it was written.
        if isinstance(value, str):
            return Msg(code="text", params={"text": value}) if value else None
        return value


class PairsResult(PartResult):
    part: Literal["pairs"] = "pairs"
    kpis: PairsKpis | None = None


class AlliancesResult(PartResult):
    part: Literal["alliances"] = "alliances"
    kpis: AlliancesKpis | None = None


class RosterResult(PartResult):
    part: Literal["roster"] = "roster"
    kpis: RosterKpis | None = None


class ItinerantResult(PartResult):
    part: Literal["itinerant"] = "itinerant"
    kpis: ItinerantKpis | None = None


class OutreachResult(PartResult):
    part: Literal["outreach"] = "outreach"
    kpis: OutreachKpis | None = None


AnyPartResult = Annotated[
    PairsResult | AlliancesResult | RosterResult | ItinerantResult | OutreachResult,
    Field(discriminator="part"),
]


# ---- what a part hands back to solve() -----------------------------------------------------


@dataclass
class PairsSolution:
    """The pairs part's result and the plan rows it decided."""

    result: PairsResult
    objective: PartObjective | None = None
    pairs: list[Pair] = field(default_factory=list)
    unpaired: list[Unpaired] = field(default_factory=list)

    def apply(self, plan: Plan) -> Plan:
        return plan.model_copy(update={"pairs": self.pairs, "unpaired": self.unpaired})


@dataclass
class AlliancesSolution:
    """The alliances part's result and the memberships it decided."""

    result: AlliancesResult
    objective: PartObjective | None = None
    alliances: list[Membership] = field(default_factory=list)

    def apply(self, plan: Plan) -> Plan:
        return plan.model_copy(update={"alliances": self.alliances})


@dataclass
class RosterSolution:
    """The roster part's result, its moves and the needs it leaves."""

    result: RosterResult
    objective: PartObjective | None = None
    roster: list[Move] = field(default_factory=list)
    unmet_needs: list[UnmetNeed] = field(default_factory=list)
    hires: list[Hire] = field(default_factory=list)

    def apply(self, plan: Plan) -> Plan:
        return plan.model_copy(
            update={"roster": self.roster, "unmet_needs": self.unmet_needs, "hires": self.hires}
        )


@dataclass
class ItinerantSolution:
    """The itinerant part's result, its circuits and the weekly lessons left."""

    result: ItinerantResult
    objective: PartObjective | None = None
    circuits: list[CircuitVisit] = field(default_factory=list)
    unmet_lessons: list[UnmetLessons] = field(default_factory=list)

    def apply(self, plan: Plan) -> Plan:
        return plan.model_copy(
            update={"circuits": self.circuits, "unmet_lessons": self.unmet_lessons}
        )


@dataclass
class OutreachSolution:
    """The outreach part's result and its calendar."""

    result: OutreachResult
    objective: PartObjective | None = None
    outreach: list[OutreachVisit] = field(default_factory=list)

    def apply(self, plan: Plan) -> Plan:
        return plan.model_copy(update={"outreach": self.outreach})


PartSolution = (
    PairsSolution | AlliancesSolution | RosterSolution | ItinerantSolution | OutreachSolution
)


# ---- the whole solve ---------------------------------------------------------------------


class Result(BaseModel):
    """The outcome of :func:`solver.solve`: a status, figures, and the plan."""

    #: the checker's report of the plan when the solve made one (a closest plan's), so that
    #: the report page does not check it again (a city's check takes minutes); not saved
    _checked: Any = PrivateAttr(default=None)

    status: Status
    objective: int | None
    bound: float | None
    gap: float | None
    wall_time: float
    parts: dict[str, AnyPartResult]
    plan: Plan
    interrupted: bool = False
    closest: bool = Field(
        False,
        description=(
            "The plan misses a rule (status infeasible or unknown) and is the one that comes "
            "closest, written in full; ``missed`` says which rules, where, by how much."
        ),
    )
    missed: list[Violation] = Field(
        default_factory=list, description="The checker's violations of a closest plan."
    )
    balance: Balance | None = Field(
        None,
        description="The balance evaluation's staffing indicators before and in each period.",
    )

    def summary(self) -> Summary:
        """Everything for ``summary.json``: status, objective, bound, gap, times, KPIs."""
        return Summary(
            instance=self.plan.instance,
            status=self.status,
            objective=self.objective,
            bound=self.bound,
            gap=self.gap,
            wall_time=round(self.wall_time, 3),
            interrupted=self.interrupted,
            closest=self.closest,
            missed=self.missed,
            parts=self.parts,
            balance=self.balance,
            verdict=verdict(self.balance) if self.balance is not None else None,
        )


class Summary(BaseModel):
    """``summary.json``: the result without the plan."""

    instance: str
    status: Status
    objective: int | None
    bound: float | None
    gap: float | None
    wall_time: float
    interrupted: bool
    closest: bool
    missed: list[Violation]
    parts: dict[str, AnyPartResult]
    balance: Balance | None = None
    verdict: Verdict | None = Field(
        None,
        description=(
            "The evaluation's resource part before the plan and in each period, derived "
            "from balance (rules.evaluation.verdict): what the console, the workbook's "
            "均衡评估 sheet and the report show."
        ),
    )

    @model_validator(mode="after")
    def _derive_verdict(self) -> Summary:
        # a summary written before the verdict existed: derived from its balance
        if self.verdict is None and self.balance is not None:
            self.verdict = verdict(self.balance)
        return self


def gap_of(objective: float | None, bound: float | None) -> float | None:
    """Relative gap of a minimisation: (objective - bound) / max(1, |objective|)."""
    if objective is None or bound is None:
        return None
    return max(0.0, (objective - bound) / max(1.0, abs(objective)))


def worst_status(statuses: list[str]) -> Status:
    """The status of several parts together: the worst of them."""
    for s in ("infeasible", "unknown", "feasible"):
        if s in statuses:
            return s
    return "optimal"
