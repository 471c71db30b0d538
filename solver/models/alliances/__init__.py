"""Alliances (联盟责任区 / 教育集团): every school in one group with one lead school."""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

from solver.county.distances import Distances
from solver.county.instance import Instance
from solver.models.alliances.data import AlliancesData, alliance_cost, build_alliances_data
from solver.models.alliances.engines import (
    AllianceOutcome,
    solve_alliances_cpsat,
    solve_alliances_pulp,
    solve_p_median,
)
from solver.models.search import SearchSettings
from solver.plan import Membership, PartObjective
from solver.result import AllianceKpi, AlliancesKpis, AlliancesResult, AlliancesSolution, gap_of

__all__ = ["solve_alliances"]


def solve_alliances(
    inst: Instance,
    *,
    backend: str = "cpsat",
    engine: str = "auto",
    settings: SearchSettings | None = None,
    dist: Distances | None = None,
) -> AlliancesSolution:
    """Solve the alliances part.

    ``engine`` is ``"auto"`` (exact p-median for the pure model, CP-SAT otherwise), or
    ``"pmedian"`` / ``"cpsat"`` to force one (tests cross-check them).
    """
    start = time.perf_counter()
    settings = settings or SearchSettings()
    data = build_alliances_data(inst, dist)
    if backend.startswith("pulp"):
        name = "HiGHS" if backend == "pulp-highs" else "CBC"
        out = solve_alliances_pulp(data, settings.time_limit, name)
    elif engine == "pmedian" or (engine == "auto" and data.is_p_median):
        if not data.is_p_median:
            raise ValueError("the p-median engine cannot take size limits or balance terms")
        out = solve_p_median(data, settings.time_limit, settings.seed)
    else:
        hint = None
        if data.weights != (0, 0) or data.min_size > 1 or data.max_size is not None:
            hint = _warm_start(data, settings)
        out = solve_alliances_cpsat(data, settings, hint)
    return _result(inst, data, out, time.perf_counter() - start)


def _warm_start(data: AlliancesData, settings: SearchSettings) -> np.ndarray | None:
    """The p-median plan without sizes or balance, as a hint (it may break the sizes)."""
    try:
        res = solve_p_median(data, min(5.0, settings.time_limit / 4), settings.seed)
    except Exception:  # a hint is optional; the model solves without it
        return None
    return res.lead_of


def _result(
    inst: Instance, data: AlliancesData, out: AllianceOutcome, elapsed: float
) -> AlliancesSolution:
    if out.lead_of is None or out.status in ("infeasible", "unknown"):
        message = (
            "no grouping keeps every alliance rule; check alliances.groups, the sizes, "
            "same_stage/within_region and the schools that can lead"
        )
        part = AlliancesResult(
            status=out.status,  # type: ignore[arg-type]
            method=out.method,
            wall_time=elapsed,
            message=message,
        )
        return AlliancesSolution(part)
    lead_of = out.lead_of
    value, terms = alliance_cost(data, lead_of)
    bound = min(out.bound, float(value)) if out.bound is not None else None
    if bound is not None and out.status == "optimal":
        bound = float(value) if value - bound < 1e-6 * max(1, value) else bound
    leads = sorted({int(j) for j in lead_of}, key=lambda j: data.schools[j])
    names = {j: f"A{k + 1:02d}" for k, j in enumerate(leads)}
    memberships = [
        Membership(
            alliance=names[int(j)],
            lead=data.schools[int(j)],
            member=data.schools[i],
            distance_km=round(float(data.km[i, int(j)]), 3),
            fixed=i in data.pinned,
        )
        for i, j in enumerate(lead_of)
    ]
    kpis = AlliancesKpis(alliances=alliance_kpis(inst, memberships), groups=len(leads))
    part = AlliancesResult(
        status=out.status,  # type: ignore[arg-type]
        objective=value,
        bound=bound,
        gap=gap_of(value, bound),
        method=out.method,
        wall_time=elapsed,
        terms=terms,
        kpis=kpis,
    )
    return AlliancesSolution(part, PartObjective(value=value, terms=terms), memberships)


def alliance_kpis(inst: Instance, memberships: list[Membership]) -> list[AllianceKpi]:
    """Per alliance: schools, students, teachers, backbone per 100 students, farthest member."""
    schools = {s.id: s for s in inst.schools}
    teachers = Counter(t.school for t in inst.staff)
    backbone = Counter(t.school for t in inst.staff if t.is_backbone)
    rows = []
    for alliance in sorted({m.alliance for m in memberships}):
        mine = [m for m in memberships if m.alliance == alliance]
        students = sum(schools[m.member].students or 0 for m in mine)
        bb = sum(backbone[m.member] for m in mine)
        rows.append(
            AllianceKpi(
                alliance=alliance,
                lead=mine[0].lead,
                schools=len(mine),
                strong=sum(schools[m.member].tier == "strong" for m in mine),
                students=students,
                teachers=sum(teachers[m.member] for m in mine),
                backbone_per_100_students=round(100 * bb / students, 3) if students else None,
                farthest_km=max(m.distance_km for m in mine),
            )
        )
    return rows
