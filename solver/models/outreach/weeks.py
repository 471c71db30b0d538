"""Weeks for a semester's model-lesson visits, once the flow has chosen who visits whom.

A visit (teacher, sending school, receiving school) takes one outreach week such that a
teacher has one line a week, a sending school keeps its weeks' room (less its 跟岗
stints), two visits to one school are at least ``min_weeks_apart`` weeks apart and no
week holds more than the week cap (``max_visits_per_week``, by default ceil(2 x visits /
weeks)).

First a greedy: teachers with the most visits first, each visit in the least loaded week
it may take (then the week its school has most room in, then the earliest), which spreads
the county's visits evenly over the semester. When a visit finds no week, the placement is
solved again exactly as a small CP-SAT model that places as many visits as it can; a
visit left without a week is dropped (reported, and then a miss).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from twinning.county.instance import Instance, Staff
from twinning.models.search import STOP
from twinning.rules import outreach as rules

#: Seconds the exact placement may take (it is small: visits x weeks booleans).
PLACEMENT_SECONDS = 20.0


@dataclass(frozen=True)
class Unit:
    """One visit to place: who, from which school, to which."""

    teacher: Staff
    school: str
    host: str


def add_spread(
    inst: Instance, units: Sequence[Unit], room: dict[str, dict[int, int]]
) -> list[int | None]:
    """[outreach.min_weeks_apart, outreach.max_visits_per_week] A week for each visit (None:
    no week could hold it), keeping each teacher to one line a week, each sending school
    within its weeks' room, visits to one school min_weeks_apart apart and each week under
    the week cap."""
    got = _greedy(inst, units, room)
    if all(w is not None for w in got):
        return got
    return _within_cap(inst, _exact(inst, units, room, got))


def _within_cap(inst: Instance, weeks: list[int | None]) -> list[int | None]:
    """Drops visits from the fullest weeks until each week is within the cap of the visits
    left (the default cap falls as visits are dropped)."""
    out = list(weeks)
    while True:
        placed = [w for w in out if w is not None]
        cap = rules.week_cap(inst, len(placed))
        load = Counter(placed)
        over = [w for w, n in sorted(load.items()) if n > cap]
        if not over:
            return out
        last = max(i for i, w in enumerate(out) if w == over[0])
        out[last] = None


def _greedy(
    inst: Instance, units: Sequence[Unit], room: dict[str, dict[int, int]]
) -> list[int | None]:
    o = inst.policy.outreach
    cap = rules.week_cap(inst, len(units))
    left = {s: dict(r) for s, r in room.items()}
    load: Counter[int] = Counter()
    busy: dict[str, set[int]] = defaultdict(set)
    visited: dict[str, list[int]] = defaultdict(list)
    count = Counter(u.teacher.id for u in units)
    order = sorted(
        range(len(units)),
        key=lambda i: (-count[units[i].teacher.id], units[i].teacher.id, units[i].host),
    )
    out: list[int | None] = [None] * len(units)
    for i in order:
        u = units[i]
        school = left.get(u.school, {})
        free = [
            w
            for w in o.weeks
            if school.get(w, 0) > 0
            and w not in busy[u.teacher.id]
            and load[w] < cap
            and not any(rules.too_close(inst, w, x) for x in visited[u.host])
        ]
        if not free:
            continue
        w = min(free, key=lambda w: (load[w], -school[w], w))
        out[i] = w
        school[w] -= 1
        load[w] += 1
        busy[u.teacher.id].add(w)
        visited[u.host].append(w)
    return out


def _exact(
    inst: Instance,
    units: Sequence[Unit],
    room: dict[str, dict[int, int]],
    hint: list[int | None],
) -> list[int | None]:
    """As many visits placed as the rules allow (CP-SAT, the greedy's weeks as a hint)."""
    from ortools.sat.python import cp_model

    o = inst.policy.outreach
    weeks = list(o.weeks)
    model = cp_model.CpModel()
    x: dict[tuple[int, int], cp_model.IntVar] = {}
    for i, u in enumerate(units):
        for w in weeks:
            if room.get(u.school, {}).get(w, 0) > 0:
                x[(i, w)] = model.new_bool_var(f"x{i}_{w}")
                model.add_hint(x[(i, w)], hint[i] == w)
    placed = []
    for i in range(len(units)):
        mine = [x[(i, w)] for w in weeks if (i, w) in x]
        model.add(sum(mine) <= 1)
        placed.extend(mine)
    by: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, u in enumerate(units):
        by[("teacher", u.teacher.id)].append(i)
        by[("school", u.school)].append(i)
        by[("host", u.host)].append(i)
    for (kind, key), idx in by.items():
        for w in weeks:
            if kind == "teacher":
                cells = [x[(i, w)] for i in idx if (i, w) in x]
                if len(cells) > 1:
                    model.add(sum(cells) <= 1)
            elif kind == "school":
                cells = [x[(i, w)] for i in idx if (i, w) in x]
                if len(cells) > room[key][w]:
                    model.add(sum(cells) <= room[key][w])
            elif o.min_weeks_apart > 0:
                window = [
                    x[(i, v)]
                    for i in idx
                    for v in weeks
                    if w <= v < w + o.min_weeks_apart and (i, v) in x
                ]
                if len(window) > 1:
                    model.add(sum(window) <= 1)
    total = sum(placed)
    for w in weeks:
        cells = [x[(i, w)] for i in range(len(units)) if (i, w) in x]
        if o.max_visits_per_week is not None:
            model.add(sum(cells) <= o.max_visits_per_week)
        else:  # load <= ceil(2 P / W)  <=>  W load <= 2 P + W - 1
            model.add(len(weeks) * sum(cells) <= 2 * total + len(weeks) - 1)
    model.maximize(total)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = PLACEMENT_SECONDS
    status = STOP.run(solver, model, None)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return hint
    out: list[int | None] = [None] * len(units)
    for (i, w), var in x.items():
        if solver.value(var):
            out[i] = w
    if sum(w is not None for w in out) < sum(w is not None for w in hint):
        return hint
    return out
