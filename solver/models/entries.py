"""Each part's solve entry, as its record (:mod:`twinning.parts`) names it: the part
solved from a :class:`~twinning.models.search.SolveContext`."""

from __future__ import annotations

from twinning.models.alliances import solve_alliances
from twinning.models.itinerant import solve_itinerant
from twinning.models.outreach import solve_outreach
from twinning.models.pairs import solve_pairs
from twinning.models.roster import solve_roster
from twinning.models.search import SolveContext
from twinning.result import (
    AlliancesSolution,
    ItinerantSolution,
    OutreachSolution,
    PairsSolution,
    RosterSolution,
)


def solve_pairs_part(ctx: SolveContext) -> PairsSolution:
    return solve_pairs(ctx.inst, backend=ctx.backend, settings=ctx.settings, dist=ctx.dist)


def solve_alliances_part(ctx: SolveContext) -> AlliancesSolution:
    return solve_alliances(ctx.inst, backend=ctx.backend, settings=ctx.settings, dist=ctx.dist)


def solve_roster_part(ctx: SolveContext) -> RosterSolution:
    return solve_roster(
        ctx.inst,
        ctx.plan.pairs,
        ctx.plan.alliances,
        settings=ctx.settings,
        dist=ctx.dist,
        baseline=ctx.baseline.roster if ctx.baseline is not None else None,
        memo=ctx.memo,
    )


def solve_itinerant_part(ctx: SolveContext) -> ItinerantSolution:
    # Circuits fill what the roster leaves when it is planned (else every shortage).
    return solve_itinerant(ctx.inst, ctx.plan, settings=ctx.settings, dist=ctx.dist)


def solve_outreach_part(ctx: SolveContext) -> OutreachSolution:
    return solve_outreach(ctx.inst, ctx.plan, settings=ctx.settings, dist=ctx.dist)
