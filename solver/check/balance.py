"""The balance rule (``balance.target = "rule"``), recounted from the plan's roster.

With the target a rule, in every period of the plan each coefficient of variation is at
most its threshold (``balance.thresholds``), and no school is taken below a minimum
(``balance.minimums``) that it meets before the plan (:func:`twinning.rules.balance.floors`).
The roster's moves are held to it; 走教 circuits count in the reported figures only.
"""

from __future__ import annotations

from twinning.check.report import Violation
from twinning.county.instance import Instance
from twinning.plan import Plan
from twinning.rules.balance import counts_in, floors, moves_only, threshold_misses

__all__ = ["BALANCE_CHECKS", "check_balance_minimums", "check_balance_thresholds"]


def _ruled(inst: Instance, plan: Plan) -> bool:
    return inst.policy.balance.target == "rule" and "roster" in plan.parts


def check_balance_thresholds(inst: Instance, plan: Plan) -> list[Violation]:
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


def check_balance_minimums(inst: Instance, plan: Plan) -> list[Violation]:
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


BALANCE_CHECKS = (check_balance_thresholds, check_balance_minimums)
