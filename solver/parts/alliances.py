"""The alliances (联盟 / 教育集团): groups of schools, each with one lead school."""

from __future__ import annotations

from twinning.check.alliances import ALLIANCE_CHECKS, alliance_facts, alliances_objective
from twinning.parts.spec import Checker, Part, Term
from twinning.result import AlliancesResult

PART = Part(
    name="alliances",
    solve="twinning.models.entries:solve_alliances_part",
    checker=Checker(alliance_facts, ALLIANCE_CHECKS, alliances_objective),
    terms=(
        Term("distance_km", "weights.alliance_km"),
        Term("later_tier_leads", "weights.alliance_lead_tier"),
        Term("history_changes", "weights.alliance_history"),
        Term("strong_imbalance", "weights.alliance_balance_strong"),
        Term("backbone_imbalance", "weights.alliance_balance_backbone"),
    ),
    result=AlliancesResult,
    rows=("alliances",),
    tables=("alliances",),
)
