"""The checker: every rule, checked independently of the solver code.

This package is the specification. It never imports ortools nor the models
(:mod:`twinning.models`): each rule has a ``check_<rule>`` function that re-derives what
the rule demands from the instance (terms from :mod:`twinning.rules`), lists every
violation with its rule, schools and amount; each part's objective is recomputed so
that a plan whose stated objective differs is caught.
"""

from __future__ import annotations

from twinning.check.alliances import ALLIANCE_CHECKS, alliance_facts, alliances_objective
from twinning.check.balance import BALANCE_CHECKS
from twinning.check.headship import HEADSHIP_CHECKS, headship_objective
from twinning.check.hires import HIRE_CHECKS
from twinning.check.itinerant import ITINERANT_CHECKS, circuit_facts, itinerant_objective
from twinning.check.mentors import MENTOR_CHECKS
from twinning.check.outreach import OUTREACH_CHECKS, outreach_facts, outreach_objective
from twinning.check.pairs import PAIR_CHECKS, pair_facts, pairs_objective
from twinning.check.report import RosterRecount, ValidationReport, Violation
from twinning.check.roster import ROSTER_CHECKS, roster_facts, roster_objective, roster_recount
from twinning.county.distances import Distances
from twinning.county.instance import Instance
from twinning.plan import PartObjective, Plan
from twinning.rules.balance import balance_deviation, balance_of

__all__ = ["ALL_CHECKS", "RosterRecount", "ValidationReport", "Violation", "validate"]

#: Every rule's check, by the facts it reads; the docstring of each starts with its rule.
ROSTER_RULE_CHECKS = (*ROSTER_CHECKS, *HEADSHIP_CHECKS, *MENTOR_CHECKS)
ALL_CHECKS = (
    *PAIR_CHECKS,
    *ALLIANCE_CHECKS,
    *ROSTER_RULE_CHECKS,
    *HIRE_CHECKS,
    *ITINERANT_CHECKS,
    *OUTREACH_CHECKS,
    *BALANCE_CHECKS,
)


def validate(inst: Instance, plan: Plan) -> ValidationReport:
    """Check a plan against every rule of the instance's policy.

    Works on any plan, including one read from disk or written by hand.
    """
    report = ValidationReport()
    v = report.violations
    made_for = _made_for(inst, plan)
    if made_for is not None:
        if plan.instance != inst.name:
            v.append(made_for)
            return report  # another county: one clear message, not a violation per row
        report.warnings.append(made_for.msg)
    dist = Distances(inst)
    if "pairs" in plan.parts:
        pf = pair_facts(inst, plan, dist)
        for pair_check in PAIR_CHECKS:
            v.extend(pair_check(pf))
        report.objectives["pairs"] = pairs_objective(pf)
    if "alliances" in plan.parts:
        af = alliance_facts(inst, plan, dist)
        for alliance_check in ALLIANCE_CHECKS:
            v.extend(alliance_check(af))
        report.objectives["alliances"] = alliances_objective(af)
    if "roster" in plan.parts:
        rf = roster_facts(inst, plan, dist)
        for roster_check in ROSTER_RULE_CHECKS:
            v.extend(roster_check(rf))
        for hire_check in HIRE_CHECKS:  # new teachers fill what the roster leaves
            v.extend(hire_check(inst, plan))
        report.kpis["roster"] = roster_recount(rf)
        report.objectives["roster"] = _with_headship(
            roster_objective(rf), headship_objective(rf), inst, plan
        )
    if "itinerant" in plan.parts:
        cf = circuit_facts(inst, plan, dist)
        for circuit_check in ITINERANT_CHECKS:
            v.extend(circuit_check(cf))
        report.objectives["itinerant"] = itinerant_objective(cf)
    if "outreach" in plan.parts:
        of = outreach_facts(inst, plan, dist)
        for outreach_check in OUTREACH_CHECKS:
            v.extend(outreach_check(of))
        report.objectives["outreach"] = outreach_objective(of)
    report.balance = balance_of(inst, plan)
    for balance_check in BALANCE_CHECKS:
        v.extend(balance_check(inst, plan))
    for part, mine in report.objectives.items():
        v.extend(_stated_objective(plan, part, mine))
    v.extend(_plan_total(plan, report))
    if plan.status in ("infeasible", "unknown"):
        v.append(
            Violation(
                rule="plan.status",
                where=["plan"],
                message=f"the plan's own status is {plan.status}: it is the plan that comes "
                "closest, not one that keeps every rule",
            )
        )
    return report


def _made_for(inst: Instance, plan: Plan) -> Violation | None:
    """[plan.instance] The plan was made for this county (its fingerprint matches)."""
    if not plan.fingerprint or plan.fingerprint == inst.fingerprint():
        return None
    if plan.instance != inst.name:
        message = (
            f"the plan was made for instance '{plan.instance}', not '{inst.name}' (their "
            "schools, staff or policy differ): check it against the instance it was made for"
        )
    else:
        message = (
            "the instance changed since the plan was made (schools, staff or policy): every "
            "rule is checked against the instance as it is now"
        )
    return Violation(rule="plan.instance", where=[plan.instance, inst.name], message=message)


def _with_headship(
    roster: PartObjective, headship: PartObjective, inst: Instance, plan: Plan
) -> PartObjective:
    """The roster part's objective: exchanges and secondments, plus changes of headship,
    plus (with ``balance.target = "objective"``) the deviation from the county means."""
    terms = dict(roster.terms)
    terms.update({f"principals_{k}": v for k, v in headship.terms.items()})
    value = roster.value + headship.value
    if inst.policy.balance.target != "off":
        deviation = balance_deviation(inst, plan.roster)
        terms["balance_deviation"] = float(deviation)
        value += deviation
    return PartObjective(value=value, terms=terms)


def _stated_objective(plan: Plan, part: str, mine: PartObjective) -> list[Violation]:
    """[plan.objective] A part's stated objective equals the recomputed one."""
    stated = plan.objectives.get(part)
    if stated is None or stated.value == mine.value:
        return []
    return [
        Violation(
            rule="plan.objective",
            where=[part],
            amount=abs(stated.value - mine.value),
            message=f"stated {part} objective {stated.value}, recomputed {mine.value}",
        )
    ]


def _plan_total(plan: Plan, report: ValidationReport) -> list[Violation]:
    """[plan.objective] The plan's total is the sum of its parts and of the recomputed."""
    out = []
    stated = sum(o.value for o in plan.objectives.values())
    if plan.objectives and stated != plan.objective:
        out.append(
            Violation(
                rule="plan.objective",
                where=["plan"],
                amount=abs(stated - plan.objective),
                message=f"stated total {plan.objective} is not the sum of the parts {stated}",
            )
        )
    if report.objectives and plan.status != "infeasible" and report.objective != plan.objective:
        out.append(
            Violation(
                rule="plan.objective",
                where=["plan"],
                amount=abs(report.objective - plan.objective),
                message=f"stated objective {plan.objective}, recomputed {report.objective}",
            )
        )
    return out
