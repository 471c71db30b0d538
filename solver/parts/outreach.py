"""Outreach (送教下乡 model lessons, 跟岗 short exchanges at the helper school)."""

from __future__ import annotations

from twinning.check.outreach import OUTREACH_CHECKS, outreach_facts, outreach_objective
from twinning.county.instance import Instance
from twinning.parts.spec import Checker, Part, Term
from twinning.result import OutreachResult


def _needs(inst: Instance) -> tuple[str, ...]:
    # Visits prefer the pair helper and the alliance (when the policy draws alliances);
    # 跟岗 goes to the helper school. The roster is not required: when it is planned
    # (before outreach), staff it takes away that semester neither visit nor shadow.
    a = inst.policy.alliances
    drawn = a.groups is not None or a.groups_per_region is not None or bool(a.leads)
    drawn = drawn or any(f.kind == "alliance" for f in inst.fixed)
    return ("pairs", "alliances") if drawn else ("pairs",)


PART = Part(
    name="outreach",
    solve="twinning.models.entries:solve_outreach_part",
    needs=_needs,
    checker=Checker(outreach_facts, OUTREACH_CHECKS, outreach_objective),
    terms=(
        Term("visits_missing", "outreach.weight_missing"),
        Term("short_exchanges_missing", "outreach.weight_missing"),
        Term("visits_off_need", "outreach.weight_off_need"),
        Term("visits_not_pair", "outreach.weight_not_pair"),
        Term("visits_not_alliance", "outreach.weight_not_alliance"),
        Term("distance_km", "outreach.weight_km"),
    ),
    result=OutreachResult,
    rows=("outreach",),
    tables=("outreach", "outreach_schools"),
)
