"""The trade-off between what the roster does (moves, needs covered) and the balance
coefficients: one plan per weight of ``balance.weight`` with ``balance.target =
"objective"``, from 0 (the roster as it is without the target) upwards.

Each point is a whole solve, checked by the validator; its coefficients are the true ones
(rules/balance.py), the largest over the plan's periods. Beside them, each row holds the
proven bound of each coefficient for rosters on that point's pairs and alliances
(:func:`twinning.models.roster.balance_bound.plan_bounds`): no roster within the rotation
rules goes below it, so a bound above its threshold proves the threshold out of reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from twinning.county.instance import Instance, with_policy
from twinning.models.roster.balance_bound import plan_bounds
from twinning.result import Result, RosterKpis
from twinning.validation import validate

__all__ = ["FrontierPoint", "best_bounds", "frontier", "weights"]


@dataclass
class FrontierPoint:
    """One plan of the frontier."""

    weight: int
    result: Result
    valid: bool
    row: dict[str, Any]


def weights(points: int) -> list[int]:
    """``points`` weights: 0, then 1, 3, 10, 30, 100, ... (about x3 each)."""
    ladder = [b * 10**k for k in range(points) for b in (1, 3)]
    return [0, *ladder][:points]


def frontier(
    inst: Instance,
    parts: str | None = "pairs,alliances,roster",
    *,
    points: int = 6,
    time_limit: float = 60.0,
    seed: int = 0,
) -> list[FrontierPoint]:
    """Solve once per weight (see the module docstring) and tabulate each plan."""
    from twinning.solving import solve

    out = []
    bounds: dict[tuple[Any, ...], dict[tuple[str, str], float | None]] = {}
    for w in weights(points):
        settings = {"balance.target": "off"} if w == 0 else {"balance.target": "objective"}
        if w:
            settings["balance.weight"] = w  # type: ignore[assignment]
        point_inst = with_policy(inst, settings)
        result = solve(point_inst, parts, time_limit=time_limit, seed=seed)
        plan = result.plan.model_copy(update={"settings": settings})
        result = result.model_copy(update={"plan": plan})
        report = validate(point_inst, result.plan)
        row: dict[str, Any] = {"weight": w, "status": result.status, "valid": report.ok}
        roster = result.parts.get("roster")
        kpis = roster.kpis if roster is not None else None
        if isinstance(kpis, RosterKpis):
            row["moves"] = kpis.moves
            row["rotation_rate"] = kpis.rotation_rate
            row["needs_covered_share"] = kpis.needs_covered_share
        met = True
        balance = result.balance
        for ind, by_stage in (balance.before if balance is not None else {}).items():
            for stage, before in by_stage.items():
                assert balance is not None
                cvs = [f[ind][stage].cv for f in balance.after.values()]
                worst = max((c for c in cvs if c is not None), default=None)
                if worst is not None:
                    row[f"cv_{ind}_{stage}"] = worst
                    met = met and worst <= before.threshold + 1e-12
        # a point whose roster found no plan has no coefficient to meet: said blank, never met
        row["thresholds_met"] = met if balance is not None and balance.after else None
        if "roster" in result.parts:
            # the bounds depend on the pairs and alliances (the rotation rules are the
            # same at every point): computed once per distinct pairs and alliances
            given = (
                tuple((p.helper, p.helped) for p in result.plan.pairs),
                tuple((m.alliance, m.lead, m.member) for m in result.plan.alliances),
            )
            if given not in bounds:
                bounds[given] = plan_bounds(point_inst, result.plan)
            for (ind, stage), bound in bounds[given].items():
                if bound is not None:
                    row[f"bound_{ind}_{stage}"] = bound
        out.append(FrontierPoint(w, result, report.ok, row))
    return out


def best_bounds(found: list[FrontierPoint]) -> dict[tuple[str, str], float]:
    """(indicator, stage) -> the smallest bound over the points: no roster on any of their
    pairs and alliances goes below it."""
    out: dict[tuple[str, str], float] = {}
    for p in found:
        for key, value in p.row.items():
            if key.startswith("bound_"):
                ind, stage = key[len("bound_") :].rsplit("_", 1)
                out[(ind, stage)] = min(value, out.get((ind, stage), value))
    return out
