"""Alliances (联盟责任区 / 教育集团): every school in one group with one lead school."""

from __future__ import annotations

import time
from collections import Counter

import numpy as np

from twinning.county.distances import Distances
from twinning.county.instance import Instance
from twinning.messages import msg
from twinning.models.alliances.capacitated import solve_capacitated
from twinning.models.alliances.data import AlliancesData, alliance_cost, build_alliances_data
from twinning.models.alliances.engines import (
    AllianceOutcome,
    solve_alliances_cpsat,
    solve_alliances_pulp,
    solve_p_median,
)
from twinning.models.search import Progress, SearchSettings
from twinning.plan import Membership, PartObjective
from twinning.result import AllianceKpi, AlliancesKpis, AlliancesResult, AlliancesSolution, gap_of
from twinning.rules.alliances import explain_infeasible

__all__ = ["solve_alliances"]


#: Above this many allowed (school, slot) pairs the Lagrangian engine takes the model.
CPSAT_ARCS = 40_000


def solve_alliances(
    inst: Instance,
    *,
    backend: str = "cpsat",
    engine: str = "auto",
    settings: SearchSettings | None = None,
    dist: Distances | None = None,
) -> AlliancesSolution:
    """Solve the alliances part.

    ``engine`` is ``"auto"`` (exact p-median for the pure model; CP-SAT warm-started by
    the Lagrangian engine up to :data:`CPSAT_ARCS` allowed pairs; the Lagrangian engine
    alone above), or ``"pmedian"`` / ``"cpsat"`` / ``"lagrangian"`` to force one.
    """
    start = time.perf_counter()
    settings = settings or SearchSettings()
    deadline = start + settings.time_limit

    def left() -> float:
        """The time limit's seconds still free: building the model spends from it too
        (deterministic runs never read the clock: each engine its whole limit)."""
        if settings.deterministic:
            return settings.time_limit
        return max(0.1, deadline - time.perf_counter())

    if settings.progress is not None:
        settings.progress(Progress("alliances", msg("progress.building")))
    data = build_alliances_data(inst, dist)
    arcs = int(np.isfinite(data.cost).sum())
    if backend.startswith("pulp"):
        name = "HiGHS" if backend == "pulp-highs" else "CBC"
        out = solve_alliances_pulp(data, left(), name)
    elif engine == "pmedian" or (engine == "auto" and data.is_p_median):
        if not data.is_p_median:
            raise ValueError("the p-median engine cannot take sizes, mix or balance terms")
        out = solve_p_median(data, left(), settings.seed)
    elif engine == "lagrangian" or (engine == "auto" and arcs > CPSAT_ARCS):
        if explain_infeasible(inst):  # counts prove it (about 1 s at 10,000 schools)
            out = AllianceOutcome(None, "infeasible", None, msg("method.alliances.counts"), 0.0)
        else:
            out = _lagrangian(data, left(), settings, settings.gap_limit)
    else:
        first = min(3.0, left() / 5)
        lr = _lagrangian(data, first, settings)
        if lr.status == "optimal" and data.weights == (0, 0):
            out = lr
        else:
            rest = left() - (first if settings.deterministic else 0.0)
            cp = solve_alliances_cpsat(data, settings, lr.slot_of, time_limit=rest)
            out = _better(cp, lr)
    return _result(inst, data, out, time.perf_counter() - start)


#: Seconds between two progress reports of the Lagrangian search.
REPORT_EVERY = 2.0


def _lagrangian(
    data: AlliancesData, time_limit: float, settings: SearchSettings, gap_limit: float = 0.0
) -> AllianceOutcome:
    t0 = time.perf_counter()
    progress = settings.progress
    last = [t0]

    def report(step: int, value: float, bound: float) -> None:
        now = time.perf_counter()
        if progress is None or now - last[0] < REPORT_EVERY:
            return
        last[0] = now
        plan = float(value) if np.isfinite(value) else None
        low = float(bound) if np.isfinite(bound) else None
        progress(Progress("alliances", msg("progress.bound_step", k=step), plan, low, step))

    res = solve_capacitated(
        data,
        time_limit,
        seed=settings.seed,
        gap_limit=gap_limit,
        deterministic=settings.deterministic,
        report=report,
    )
    method = msg(
        "method.alliances.lagrangian", iterations=int(res.iterations), flows=int(res.flows)
    )
    if res.slot_of is None:
        status = "infeasible" if not np.isfinite(res.bound) and res.bound > 0 else "unknown"
        return AllianceOutcome(None, status, None, method, time.perf_counter() - t0)
    proven = res.value - res.bound < max(1.0, 1e-6 * abs(res.value))
    return AllianceOutcome(
        res.slot_of,
        "optimal" if proven else "feasible",
        res.bound if np.isfinite(res.bound) else None,
        method,
        time.perf_counter() - t0,
    )


def _better(cp: AllianceOutcome, lr: AllianceOutcome) -> AllianceOutcome:
    """CP-SAT's outcome with the Lagrangian plan and bound where they are better."""
    bound = max((b for b in (cp.bound, lr.bound) if b is not None), default=None)
    method = msg("method.warm_started", inner=cp.method, start=lr.method)
    if cp.slot_of is None:
        if lr.slot_of is None:
            return AllianceOutcome(None, cp.status, None, method, cp.wall_time + lr.wall_time)
        return AllianceOutcome(lr.slot_of, "feasible", bound, method, cp.wall_time + lr.wall_time)
    status = cp.status
    return AllianceOutcome(cp.slot_of, status, bound, method, cp.wall_time + lr.wall_time)


def _result(
    inst: Instance, data: AlliancesData, out: AllianceOutcome, elapsed: float
) -> AlliancesSolution:
    if out.slot_of is None or out.status in ("infeasible", "unknown"):
        reasons = explain_infeasible(inst)
        if reasons:
            message = msg("alliances.no_grouping", reasons=reasons)
        elif out.status == "infeasible":
            message = msg("alliances.no_grouping_proven")
        else:
            message = msg("alliances.time_limit")
        part = AlliancesResult(
            status="infeasible" if reasons else out.status,
            method=out.method,
            wall_time=elapsed,
            message=message,
        )
        return AlliancesSolution(part)
    slot_of = out.slot_of
    value, terms = alliance_cost(data, slot_of)
    bound = min(out.bound, float(value)) if out.bound is not None else None
    if bound is not None and out.status == "optimal":
        bound = float(value) if value - bound < 1e-6 * max(1, value) else bound
    status = out.status
    if bound is not None and value - bound < 1e-6 * max(1, value):
        status = "optimal"
    slots = sorted(
        {int(k) for k in slot_of},
        key=lambda k: (data.slot_stage[k] or "", data.schools[int(data.slot_lead[k])]),
    )
    names = {k: f"A{a + 1:02d}" for a, k in enumerate(slots)}
    memberships = [
        Membership(
            alliance=names[int(k)],
            lead=data.schools[int(data.slot_lead[k])],
            member=data.schools[i],
            distance_km=round(float(data.km[i, int(k)]), 3),
            fixed=i in data.pinned,
            stage=data.slot_stage[int(k)],
        )
        for i, k in enumerate(slot_of)
    ]
    kpis = AlliancesKpis(alliances=alliance_kpis(inst, memberships), groups=len(slots))
    part = AlliancesResult(
        status=status,
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
    by_alliance: dict[str, list[Membership]] = {}
    for m in memberships:
        by_alliance.setdefault(m.alliance, []).append(m)
    rows = []
    for alliance in sorted(by_alliance):
        mine = by_alliance[alliance]
        students = sum(schools[m.member].students or 0 for m in mine)
        bb = sum(backbone[m.member] for m in mine)
        rows.append(
            AllianceKpi(
                alliance=alliance,
                lead=mine[0].lead,
                stage=mine[0].stage,
                schools=len(mine),
                strong=sum(schools[m.member].tier == "strong" for m in mine),
                students=students,
                teachers=sum(teachers[m.member] for m in mine),
                backbone_per_100_students=round(100 * bb / students, 3) if students else None,
                farthest_km=max(m.distance_km for m in mine),
            )
        )
    return rows
