"""Itinerant teaching (走教): teachers with spare lessons teach at schools short of them."""

from __future__ import annotations

from twinning.check.itinerant import ITINERANT_CHECKS, circuit_facts, itinerant_objective
from twinning.county.instance import Instance
from twinning.parts.spec import Checker, Part, Term
from twinning.result import ItinerantResult


def _needs(inst: Instance) -> tuple[str, ...]:
    # Circuits inside the 学区 (itinerant.scope = alliance) build on the alliances.
    return ("alliances",) if inst.policy.itinerant.scope == "alliance" else ()


PART = Part(
    name="itinerant",
    needs=_needs,
    solve="twinning.models.entries:solve_itinerant_part",
    checker=Checker(circuit_facts, ITINERANT_CHECKS, itinerant_objective),
    terms=(
        # each lesson left priced by its school's priority weight
        Term("lessons_left", None),
        Term("teachers", "weights.itinerant_teacher"),
        Term("km_per_week", "weights.itinerant_km"),
    ),
    result=ItinerantResult,
    rows=("circuits", "unmet_lessons"),
    tables=("circuits", "unmet_lessons", "school_week"),
)
