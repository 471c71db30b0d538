"""The exchange roster (交流轮岗, 挂职, 校长轮岗, 青蓝结对, new hires): who goes where, when."""

from __future__ import annotations

from twinning.check.headship import HEADSHIP_CHECKS, headship_objective
from twinning.check.hires import HIRE_CHECKS
from twinning.check.mentors import MENTOR_CHECKS
from twinning.check.roster import (
    ROSTER_CHECKS,
    RosterFacts,
    roster_facts,
    roster_objective,
    roster_recount,
)
from twinning.county.instance import Instance
from twinning.parts.spec import Checker, Part, Term, on_plan
from twinning.plan import PartObjective
from twinning.result import RosterResult
from twinning.rules.balance import balance_deviation


def roster_part_objective(f: RosterFacts) -> PartObjective:
    """The roster part's objective: exchanges and secondments, plus changes of headship
    (their terms prefixed ``principals_``), plus (with ``balance.target``) each school's
    squared deviation from the county mean (``balance_deviation``)."""
    roster, headship = roster_objective(f), headship_objective(f)
    terms = dict(roster.terms)
    terms.update({f"principals_{k}": v for k, v in headship.terms.items()})
    value = roster.value + headship.value
    if f.inst.policy.balance.target != "off":
        deviation = balance_deviation(f.inst, f.plan.roster)
        terms["balance_deviation"] = float(deviation)
        value += deviation
    return PartObjective(value=value, terms=terms)


def _needs(inst: Instance) -> tuple[str, ...]:
    # Mentors and the pair scope build on the pairs; alliance scope on the alliances.
    return ("pairs", "alliances") if inst.policy.rotation.scope == "alliance" else ("pairs",)


PART = Part(
    name="roster",
    solve="twinning.models.entries:solve_roster_part",
    needs=_needs,
    checker=Checker(
        roster_facts,
        (
            *ROSTER_CHECKS,
            *HEADSHIP_CHECKS,
            *MENTOR_CHECKS,
            # new teachers fill what the roster leaves
            *(on_plan(check) for check in HIRE_CHECKS),
        ),
        roster_part_objective,
        roster_recount,
    ),
    terms=(
        Term("uncovered_need_weighted", "weights.roster_need"),
        Term("due_not_moved", "weights.roster_due"),
        Term("priority_not_rural", "weights.roster_rural_priority"),
        Term("moved_not_surplus", "weights.roster_surplus_first"),
        Term("backbone_no_balance_gain", "weights.roster_balance"),
        Term("distance_km", "weights.roster_km"),
        Term("preference_steps", "weights.roster_preference"),
        Term("secondment_candidates_not_seconded", "weights.roster_secondment"),
        Term("secondment_merit_below_best", "weights.roster_merit"),
        Term("quota_missing", "weights.roster_quota"),
        Term("principals_due_not_moved", "weights.roster_due"),
        Term("principals_distance_km", "weights.roster_km"),
        # priced per school by balance.weight x indicator weight x (100 / students)^2
        Term("balance_deviation", None),
    ),
    result=RosterResult,
    rows=("roster", "unmet_needs", "hires"),
    tables=("roster", "principals", "unmet_needs", "hires", "roster_schools"),
)
