"""The balance rules, recounted from the plan.

With ``balance.target = "rule"``, in every period of the plan each coefficient is at most
its threshold (``balance.thresholds``), no school is taken below a minimum
(``balance.minimums``) that it meets before the plan (:func:`twinning.rules.balance.floors`),
and no school that does not fail the evaluation's per-school test before the plan fails
it in a period (``balance.school_test``). The roster's moves are held to the first two;
走教 circuits count in the reported figures. With ``balance.no_worse`` (the default) no
staffing coefficient, circuits counted, is above its value before the plan in any period.
"""

from __future__ import annotations

from twinning.check.report import Violation
from twinning.county.instance import Instance
from twinning.plan import Plan
from twinning.rules.balance import (
    Balance,
    balance_of,
    counts_in,
    floors,
    moves_only,
    threshold_misses,
)

__all__ = [
    "BALANCE_CHECKS",
    "check_balance_minimums",
    "check_balance_no_worse",
    "check_balance_school_test",
    "check_balance_thresholds",
]


def _ruled(inst: Instance, plan: Plan) -> bool:
    return inst.policy.balance.target == "rule" and "roster" in plan.parts


def check_balance_thresholds(
    inst: Instance, plan: Plan, figures: Balance | None = None
) -> list[Violation]:
    """[balance.thresholds] With the balance target a rule: each indicator's coefficient of
    variation per stage within its threshold in every period of the roster."""
    if not _ruled(inst, plan):
        return []
    out = []
    for (ind, stage, period), cv in threshold_misses(inst, plan).items():
        threshold = inst.policy.balance.thresholds.get(stage, 1.0)
        out.append(
            Violation(
                rule="balance.thresholds",
                where=[ind, stage, period],
                amount=round(cv - threshold, 4),
                code="check.balance.thresholds",
                params={"cv": cv, "threshold": threshold, "indicator": ind, "stage": stage},
            )
        )
    return out


def check_balance_minimums(
    inst: Instance, plan: Plan, figures: Balance | None = None
) -> list[Violation]:
    """[balance.minimums] With the balance target a rule: no school's moves take it below a
    minimum it meets before the plan."""
    if not _ruled(inst, plan):
        return []
    roster = moves_only(plan)
    floor = floors(inst)
    out = []
    for period in inst.policy.horizon.periods:
        have = counts_in(inst, roster, period)
        for (school, stage, ind), least in sorted(floor.items()):
            n = have.get((school, stage, ind), 0.0)
            if n < least - 1e-9:
                out.append(
                    Violation(
                        rule="balance.minimums",
                        where=[school, stage, ind, period],
                        amount=round(least - n, 4),
                        code="check.balance.minimums",
                        params={"n": n, "indicator": ind, "least": least},
                    )
                )
    return out


def check_balance_no_worse(
    inst: Instance, plan: Plan, figures: Balance | None = None
) -> list[Violation]:
    """[balance.no_worse] No staffing coefficient (走教 circuits counted) above its value
    before the plan in any period. ``figures``: the plan's own (balance_of), when known."""
    if not inst.policy.balance.no_worse or not (plan.roster or plan.circuits):
        return []
    figures = figures if figures is not None else balance_of(inst, plan)
    out = []
    for period, by_ind in figures.after.items():
        for ind, by_stage in by_ind.items():
            for stage, f in by_stage.items():
                was = figures.before[ind][stage].cv
                if f.cv is None or was is None or f.cv <= was + 1e-12:
                    continue
                out.append(
                    Violation(
                        rule="balance.no_worse",
                        where=[ind, stage, period],
                        amount=round(f.cv - was, 4),
                        code="check.balance.no_worse",
                        params={"cv": f.cv, "before": was, "indicator": ind, "stage": stage},
                    )
                )
    return out


def check_balance_school_test(
    inst: Instance, plan: Plan, figures: Balance | None = None
) -> list[Violation]:
    """[balance.school_test] With the balance target a rule: no school that does not fail
    the evaluation's per-school test before the plan (6 of 7 standards, the 7th at least
    85%) fails it in a period of the plan."""
    if not _ruled(inst, plan):
        return []
    figures = figures if figures is not None else balance_of(inst, plan)
    before = figures.tests.get("before")
    if before is None:
        return []
    failing = {(t.school, t.stage) for t in before.failing}
    out = []
    for period, tests in figures.tests.items():
        if period == "before":
            continue
        for t in tests.failing:
            if (t.school, t.stage) in failing:
                continue
            out.append(
                Violation(
                    rule="balance.school_test",
                    where=[t.school, t.stage, period],
                    amount=float(len(t.misses)),
                    code="check.balance.school_test",
                    params={
                        "misses": [m.indicator for m in t.misses],
                        "stage": t.stage,
                    },
                )
            )
    return out


BALANCE_CHECKS = (
    check_balance_thresholds,
    check_balance_minimums,
    check_balance_no_worse,
    check_balance_school_test,
)
