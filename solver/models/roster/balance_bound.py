"""A proven lower bound on each balance coefficient any roster can reach.

For one indicator and stage, the roster's moves are relaxed to a transportation problem:
people who count (at home, at the host, or both) flow along the (home, host) arcs of their
move options, at most as many on an arc as there are such people, the capped flow out of
a home at most its outflow limit (``rotation.max_outflow_share``) and into a host at most
its capacity (``rotation.host_capacity``); changes of headship are arcs of their own,
uncapped. Each school's count is what it has, less what flows out of it, plus what flows
in. Every roster is a point of this relaxation (with integer flows), so the least
coefficient of variation over it, flows continuous, bounds every roster's coefficient
from below, in every period.

That least coefficient is a convex problem. With values ``v_i = w_i c_i`` (``w_i`` = 100 /
students) and each school's share ``a_i`` of the mean (its students over the stage's under
the evaluation's formula, ``1 / n`` under ``balance.formula = "unweighted"``), the squared
coefficient is ``sum a_i v_i^2 / (sum a_i v_i)^2 - 1`` (:func:`twinning.rules.balance.
coefficient`). For a fixed mean ``S = sum a_i w_i c_i`` the least numerator ``F(S)`` is a
linear program over chords of the convex squares, and ``F`` is convex in ``S``: branching
on ``S`` with tangent bounds gives the least ``F(S) / S^2 - 1``, solved by HiGHS (its
tolerances are covered by :data:`SLACK`).

The 走教 circuits are not in the relaxation: the bound is for the roster's moves.
"""

from __future__ import annotations

import heapq
import itertools
import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from twinning.county.instance import Instance, Staff
from twinning.models.roster.headship import HeadshipData
from twinning.models.roster.options import RosterData
from twinning.plan import Plan
from twinning.rules.balance import STAGES, before_counts, changes_of, indicators_of

__all__ = ["coefficient_bounds", "least_cv", "plan_bounds"]

#: Taken off the quadratic program's optimum before it is stated as a bound: HiGHS's
#: primal and dual tolerances (1e-7) move the coefficient by far less.
SLACK = 1e-4


def _movers(data: RosterData, head: HeadshipData | None) -> list[tuple[Staff, str, str, bool]]:
    """(person, home, host, capped) for every move option (``capped``: counted against the
    home's outflow limit and the host's capacity; changes of headship are not)."""
    out: list[tuple[Staff, str, str, bool]] = []
    for o in data.options:
        person = data.staff[o.person]
        out.append((person, person.school, o.host, True))
    if head is not None:
        for h in head.options:
            person = head.principals[h.person]
            out.append((person, person.school, h.school, False))
    return out


def coefficient_bounds(
    inst: Instance, data: RosterData, head: HeadshipData | None = None
) -> dict[tuple[str, str], float | None]:
    """(indicator, stage) -> a lower bound on the coefficient of variation in every period
    of any roster over these options (None: no bound, e.g. fewer than two schools)."""
    schools = {s.id: s for s in inst.schools}
    base = before_counts(inst)
    movers = _movers(data, head)
    senders = _sender_caps(inst, data)
    out: dict[tuple[str, str], float | None] = {}
    for ind in indicators_of(inst):
        for stage in STAGES:
            members = [s for s in inst.schools if stage in s.stages and s.students]
            # (home, host, counts at home, counts at host, capped, the subject protected
            # at home) -> the people on such arcs
            arcs: dict[tuple[str, str, bool, bool, bool, str], set[str]] = defaultdict(set)
            homes: dict[str, set[str]] = defaultdict(set)
            for person, home, host, capped in movers:
                changes = changes_of(person, schools.get(home), schools.get(host))
                at = {
                    (school, sign) for (school, st, i), sign in changes if st == stage and i == ind
                }
                leaves, comes = (home, -1) in at, (host, 1) in at
                if leaves or comes:
                    protected = person.subject or "" if person.role == "teacher" else ""
                    arcs[(home, host, leaves, comes, capped, protected)].add(person.id)
                    if capped:
                        homes[home].add(person.id)
            flows = [
                Arc(home, host, leaves, comes, capped, len(people), subject)
                for (home, host, leaves, comes, capped, subject), people in sorted(arcs.items())
            ]
            limits = {h: min(len(people), data.outflow.get(h, 0)) for h, people in homes.items()}
            pupils = sum(s.students or 0 for s in members)
            out[(ind, stage)] = least_cv(
                [s.id for s in members],
                [100 / (s.students or 1) for s in members],
                [base[(s.id, stage, ind)] for s in members],
                flows,
                limits,
                data.capacity,
                senders,
                shares=(
                    [(s.students or 0) / pupils for s in members]
                    if inst.policy.balance.formula == "official" and pupils
                    else None
                ),
            )
    return out


def _sender_caps(inst: Instance, data: RosterData) -> dict[tuple[str, str], int]:
    """(home, subject) -> the most teachers of the subject that can leave the home in a
    period under ``rotation.protect_sender``: its surplus (the largest over the periods)
    plus as many as could arrive (teachers of the subject with an option there, at most
    the home's capacity). Empty when the rule is off."""
    if not inst.policy.rotation.protect_sender:
        return {}
    surplus: dict[tuple[str, str], int] = defaultdict(int)
    for (school, subject, _), n in data.surplus.items():
        surplus[(school, subject)] = max(surplus[(school, subject)], n)
    arriving: dict[tuple[str, str], set[int]] = defaultdict(set)
    for o in data.options:
        person = data.staff[o.person]
        if person.role == "teacher" and person.subject:
            arriving[(o.host, person.subject)].add(o.person)
    homes = {
        (data.staff[o.person].school, data.staff[o.person].subject or "") for o in data.options
    }
    return {
        (home, subject): surplus[(home, subject)]
        + min(len(arriving[(home, subject)]), data.capacity.get(home, 0))
        for home, subject in homes
        if subject
    }


@dataclass(frozen=True)
class Arc:
    """People who could move from ``home`` to ``host``, and what each move changes."""

    home: str
    host: str
    leaves: bool  # a person counts at home (the home's count drops)
    comes: bool  # ... and at the host (the host's count rises)
    capped: bool  # under the home's outflow limit and the host's capacity
    people: int
    subject: str = ""  # a teacher's subject (rotation.protect_sender at home)


def least_cv(
    ids: Sequence[str],
    weights: Sequence[float],
    base: Sequence[int],
    arcs: Sequence[Arc],
    outflow: dict[str, int],
    capacity: dict[str, int],
    senders: dict[tuple[str, str], int] | None = None,
    *,
    shares: Sequence[float] | None = None,
    solves: int = 120,
) -> float | None:
    """A lower bound on the least coefficient of variation of ``v_i = w_i c_i``, each
    school weighing ``shares[i]`` (the official formula: its students over the stage's;
    by default ``1 / n``, the unweighted one), where
    ``c_i = base_i - (flow leaving i) + (flow arriving at i)`` is a whole number, each
    arc's flow at most its people, the capped flow out of a home at most ``outflow``, into
    a host at most ``capacity``, the flow of teachers of a subject out of a home at most
    ``senders`` (see the module docstring); rounded down to 4 decimals.
    None with fewer than two schools, or when no count can be positive."""
    if len(ids) < 2:
        return None
    n = len(ids)
    share = list(shares) if shares is not None else [1 / n] * n
    program = _Program(ids, weights, share, base, arcs, outflow, capacity, senders or {})
    low, high = program.reach()
    if high <= 1e-12:
        return None
    low = max(low, 1e-9)
    known = {x: program.at(x) for x in (low, high)}

    # Intervals of the mean S, each with a lower bound of F(S) / S^2 - 1 over it:
    # F is convex, so above the tangents at both ends; the least of (line / S^2) on a
    # piece is at an end or where its derivative is 0 (S = -2 alpha / beta).
    def line_over_square(alpha: float, beta: float, a: float, b: float) -> float:
        points = [a, b]
        if beta and a < -2 * alpha / beta < b:
            points.append(-2 * alpha / beta)
        return min((alpha + beta * x) / (x * x) for x in points)

    def floor(a: float, b: float) -> float:
        (fa, ga), (fb, gb) = known[a], known[b]
        if math.isinf(fa) or math.isinf(fb):
            return -1.0
        cross = (fb - fa + ga * a - gb * b) / (ga - gb) if gb - ga > 1e-12 else b
        cross = min(max(cross, a), b)
        least = min(
            line_over_square(fa - ga * a, ga, a, cross),
            line_over_square(fb - gb * b, gb, cross, b),
        )
        return max(0.0, least) - 1.0

    cut = list(np.linspace(low, high, 9))
    for x in cut[1:-1]:
        known[x] = program.at(x)
    heap = [(floor(a, b), a, b) for a, b in itertools.pairwise(cut)]
    heapq.heapify(heap)
    best = min(f / (x * x) - 1.0 for x, (f, _) in known.items())
    for _ in range(solves):
        lower, a, b = heap[0]
        if best - lower <= 1e-5 or b - a <= 1e-9 * high:
            break
        heapq.heappop(heap)
        mid = (a + b) / 2
        known[mid] = program.at(mid)
        best = min(best, known[mid][0] / (mid * mid) - 1.0)
        heapq.heappush(heap, (floor(a, mid), a, mid))
        heapq.heappush(heap, (floor(mid, b), mid, b))
    cv2 = min(lower for lower, _, _ in heap)
    cv = math.sqrt(max(0.0, cv2))
    return max(0.0, math.floor((cv - SLACK) * 10_000) / 10_000)


class _Program:
    """The linear program behind :func:`least_cv`: flows, each school's count as whole
    steps above its least (step k of school i costs ``a_i w_i^2 ((lo+k+1)^2 - (lo+k)^2)``,
    so the cost of a count is the chord of ``a_i (w_i c_i)^2`` between whole numbers: equal
    at whole counts, above it between), and one row fixing ``S = sum a_i w_i c_i``."""

    def __init__(
        self,
        ids: Sequence[str],
        weights: Sequence[float],
        shares: Sequence[float],
        base: Sequence[int],
        arcs: Sequence[Arc],
        outflow: dict[str, int],
        capacity: dict[str, int],
        senders: dict[tuple[str, str], int],
    ) -> None:
        import highspy

        n = len(ids)
        where = {sid: i for i, sid in enumerate(ids)}
        w = [float(x) for x in weights]
        q = [a * x * x for a, x in zip(shares, w, strict=True)]  # a_i w_i^2
        r = [a * x for a, x in zip(shares, w, strict=True)]  # a_i w_i
        lo = [int(b) for b in base]
        hi = [int(b) for b in base]
        for a in arcs:
            if a.leaves and a.home in where:
                lo[where[a.home]] -= a.people
            if a.comes and a.host in where:
                hi[where[a.host]] += a.people
        lo = [max(0, x) for x in lo]
        free: dict[str, int] = defaultdict(int)  # uncapped people who could arrive
        for a in arcs:
            if a.comes and not a.capped:
                free[a.host] += a.people
        for i, sid in enumerate(ids):  # capped inflow adds at most the capacity
            hi[i] = min(hi[i], base[i] + capacity.get(sid, 0) + free[sid])
        cost: list[float] = []
        upper: list[float] = []
        self.constant = sum(q[i] * lo[i] ** 2 for i in range(n))
        steps: list[list[int]] = []
        for i in range(n):
            cols = []
            for k in range(lo[i], hi[i]):
                cols.append(len(cost))
                cost.append(q[i] * (2 * k + 1))
                upper.append(1.0)
            steps.append(cols)
        first_arc = len(cost)
        for a in arcs:
            cost.append(0.0)
            upper.append(float(a.people))
        starts: list[int] = [0]
        index: list[int] = []
        value: list[float] = []
        row_lo: list[float] = []
        row_hi: list[float] = []

        def row(entries: dict[int, float], a: float, b: float) -> None:
            index.extend(entries)
            value.extend(entries.values())
            starts.append(len(index))
            row_lo.append(a)
            row_hi.append(b)

        # S = sum a_i w_i (lo_i + steps_i): the row whose bounds are moved
        self.s_row = {c: r[i] for i in range(n) for c in steps[i]}
        row(self.s_row, 0.0, 0.0)
        self.s_offset = sum(r[i] * lo[i] for i in range(n))
        # steps_i = base_i - lo_i - leaving + arriving
        balance: list[dict[int, float]] = [dict.fromkeys(steps[i], 1.0) for i in range(n)]
        outs: dict[str, dict[int, float]] = defaultdict(dict)
        ins: dict[str, dict[int, float]] = defaultdict(dict)
        sent: dict[tuple[str, str], dict[int, float]] = defaultdict(dict)
        for k, a in enumerate(arcs):
            col = first_arc + k
            if a.leaves and a.home in where:
                balance[where[a.home]][col] = 1.0
            if a.comes and a.host in where:
                balance[where[a.host]][col] = -1.0
            if a.capped:
                outs[a.home][col] = 1.0
                ins[a.host][col] = 1.0
            if a.subject and (a.home, a.subject) in senders:
                sent[(a.home, a.subject)][col] = 1.0
        for i, entries in enumerate(balance):
            row(entries, float(base[i] - lo[i]), float(base[i] - lo[i]))
        for home, entries in outs.items():
            row(entries, -math.inf, float(outflow.get(home, 0)))
        for host, entries in ins.items():
            row(entries, -math.inf, float(capacity.get(host, 0)))
        for key, entries in sent.items():
            row(entries, -math.inf, float(senders[key]))
        h = highspy.Highs()
        h.setOptionValue("output_flag", False)
        lp = highspy.HighsLp()
        lp.num_col_ = len(cost)
        lp.col_cost_ = np.asarray(cost, dtype=float)
        lp.col_lower_ = np.zeros(len(cost))
        lp.col_upper_ = np.asarray(upper, dtype=float)
        lp.num_row_ = len(row_lo)
        lp.row_lower_ = np.asarray(row_lo)
        lp.row_upper_ = np.asarray(row_hi)
        lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        lp.a_matrix_.start_ = np.asarray(starts, dtype=np.int32)
        lp.a_matrix_.index_ = np.asarray(index, dtype=np.int32)
        lp.a_matrix_.value_ = np.asarray(value, dtype=float)
        h.passModel(lp)
        self.highs = h
        self._cost = np.asarray(cost, dtype=float)
        self.n_cols = len(cost)

    def _solve(self, cost: np.ndarray, lo: float, hi: float) -> tuple[float, float] | None:
        import highspy

        h = self.highs
        h.changeColsCost(self.n_cols, np.arange(self.n_cols, dtype=np.int32), cost)
        h.changeRowBounds(0, lo - self.s_offset, hi - self.s_offset)
        h.run()
        if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return h.getInfo().objective_function_value, float(h.getSolution().row_dual[0])

    def reach(self) -> tuple[float, float]:
        """The least and the largest ``S`` any flow gives."""
        cols = np.asarray(list(self.s_row), dtype=np.int32)
        w = np.asarray(list(self.s_row.values()), dtype=float)
        ends = []
        for sign in (1.0, -1.0):
            cost = np.zeros(self.n_cols)
            cost[cols] = sign * w
            found = self._solve(cost, -math.inf, math.inf)
            ends.append(0.0 if found is None else sign * found[0] + self.s_offset)
        return ends[0], ends[1]

    def at(self, s: float) -> tuple[float, float]:
        """``F(S)``, the least chord cost with ``sum w c = S``, and its slope in ``S`` (the
        fixing row's dual value)."""
        found = self._solve(self._cost, s, s)
        if found is None:
            return math.inf, 0.0
        value, dual = found
        return value + self.constant, dual


def plan_bounds(inst: Instance, plan: Plan) -> dict[tuple[str, str], float | None]:
    """:func:`coefficient_bounds` for the rosters that build on this plan's pairs and
    alliances (they fix where ``rotation.scope`` lets people go)."""
    from twinning.county.distances import Distances
    from twinning.models.roster.headship import headship_data
    from twinning.models.roster.options import build_roster_data

    dist = Distances(inst)
    data = build_roster_data(inst, plan.pairs, plan.alliances, dist)
    return coefficient_bounds(inst, data, headship_data(inst, plan.pairs, plan.alliances, dist))
