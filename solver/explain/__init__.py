"""Explanations, as messages: why a part has no plan (:mod:`.infeasible`: the rules in
conflict and the repairs, each checked by solving again), why a plan is what it is
(:mod:`.reasons`: each roster line's reason, a person's, a school's, the objective per
rule) and what a re-plan changed (:mod:`.replan`). Every sentence is a
:class:`~twinning.messages.Msg` of the ``explain.*`` codes, rendered when shown."""

from __future__ import annotations

from twinning.explain.infeasible import Explanation, Repair, explain_infeasible
from twinning.explain.reasons import (
    move_reason_rows,
    move_reasons,
    objective_breakdown,
    school_costs,
    school_reasons,
)
from twinning.explain.replan import Change, plan_changes

__all__ = [
    "Change",
    "Explanation",
    "Repair",
    "explain_infeasible",
    "move_reason_rows",
    "move_reasons",
    "objective_breakdown",
    "plan_changes",
    "school_costs",
    "school_reasons",
]
