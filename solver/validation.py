"""``validate()``: check a plan against every rule of the instance's policy.

This is the specification: it never imports ortools nor the models. Each part's checks,
objective and recounted figures come from its record (:mod:`twinning.parts`); the balance
rules are the county's, checked on every plan; the plan's own figures (its stated
objectives, its status) are checked last.
"""

from __future__ import annotations

from twinning.check.balance import BALANCE_CHECKS
from twinning.check.plan import PLAN_CHECKS, held_parts, known_plan
from twinning.check.report import ValidationReport, Violation
from twinning.check.shared import sharing
from twinning.collector import paused
from twinning.county.distances import Distances
from twinning.county.instance import Instance
from twinning.messages import msg
from twinning.parts import PARTS
from twinning.plan import PartObjective, Plan
from twinning.rules.balance import balance_of

__all__ = ["ValidationReport", "Violation", "all_checks", "validate"]


def all_checks() -> tuple[object, ...]:
    """Every rule's check, in the order the validator runs them; the docstring of each
    starts with its rule in brackets."""
    return (
        *PLAN_CHECKS,
        *(c for p in PARTS.values() for c in p.checker.checks),
        *BALANCE_CHECKS,
    )


def validate(inst: Instance, plan: Plan) -> ValidationReport:
    """Check a plan against every rule of the instance's policy.

    Works on any plan, including one read from disk or written by hand. The figures
    several checks read are worked out once for the plan (:mod:`twinning.check.shared`).
    """
    with sharing(), paused():  # what the checks build holds no cycles
        return _validate(inst, plan)


def _validate(inst: Instance, plan: Plan) -> ValidationReport:
    report = ValidationReport()
    v = report.violations
    made_for = _made_for(inst, plan)
    if made_for is not None:
        if plan.instance != inst.name:
            v.append(made_for)
            return report  # another county: one clear message, not a violation per row
        report.warnings.append(made_for.msg)
    # The plan as written: rows naming what the instance lacks, rows twice, numbers that
    # are not finite, rows of parts it does not list; then each part it holds is checked on
    # the rows the instance knows.
    for plan_check in PLAN_CHECKS:
        v.extend(plan_check(inst, plan))
    if plan.interrupted or plan.missing:
        code = "plan.interrupted" if plan.interrupted else "plan.missing"
        report.warnings.append(msg(code, missing=plan.missing))
    held = held_parts(plan)
    named = known_plan(inst, plan)
    dist = Distances(inst)
    for name, part in PARTS.items():
        if name not in held:
            continue
        checker = part.checker
        facts = checker.facts(inst, named, dist)
        for check in checker.checks:
            v.extend(check(facts))
        report.objectives[name] = checker.objective(facts)
        if checker.recount is not None:
            report.kpis[name] = checker.recount(facts)  # type: ignore[assignment]
    report.balance = balance_of(inst, named)
    for balance_check in BALANCE_CHECKS:
        v.extend(balance_check(inst, named, report.balance))
    for name, mine in report.objectives.items():
        v.extend(_stated_objective(plan, name, mine))
    v.extend(_plan_total(plan, report))
    if plan.status in ("infeasible", "unknown"):
        v.append(
            Violation(
                rule="plan.status",
                where=["plan"],
                code="check.plan.status",
                params={"status": plan.status},
            )
        )
    return report


def _made_for(inst: Instance, plan: Plan) -> Violation | None:
    """[plan.instance] The plan was made for this county (its fingerprint matches)."""
    if not plan.fingerprint or plan.fingerprint == inst.fingerprint():
        return None
    if plan.instance != inst.name:
        code, params = "check.plan.instance.other", {"plan": plan.instance, "instance": inst.name}
    else:
        code, params = "check.plan.instance.changed", {}
    return Violation(
        rule="plan.instance", where=[plan.instance, inst.name], code=code, params=params
    )


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
            code="check.plan.objective.part",
            params={"part": part, "stated": stated.value, "recomputed": mine.value},
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
                code="check.plan.objective.sum",
                params={"stated": plan.objective, "sum": stated},
            )
        )
    if report.objectives and plan.status != "infeasible" and report.objective != plan.objective:
        out.append(
            Violation(
                rule="plan.objective",
                where=["plan"],
                amount=abs(report.objective - plan.objective),
                code="check.plan.objective.total",
                params={"stated": plan.objective, "recomputed": report.objective},
            )
        )
    return out
