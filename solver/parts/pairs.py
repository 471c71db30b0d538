"""The twinning pairs (结对帮扶): each strong school supports 1-2 weak ones."""

from __future__ import annotations

from twinning.check.pairs import PAIR_CHECKS, pair_facts, pairs_objective
from twinning.parts.spec import Checker, Part, Term
from twinning.result import PairsResult

PART = Part(
    name="pairs",
    solve="twinning.models.entries:solve_pairs_part",
    checker=Checker(pair_facts, PAIR_CHECKS, pairs_objective),
    terms=(
        Term("unpaired", "weights.pair_cover"),
        Term("min_places_empty", "weights.pair_min_helped"),
        Term("complementarity_shortfall", "weights.pair_complementarity"),
        Term("distance_km", "weights.pair_km"),
    ),
    result=PairsResult,
    rows=("pairs", "unpaired"),
    tables=("pairs", "unpaired"),
)
