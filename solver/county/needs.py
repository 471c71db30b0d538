"""Subject needs per school: from ``needs.csv``, or derived from staffing ratios.

Without ``needs.csv`` a school's teacher quota is its students divided by the
national ratio for its stage (primary 1:19, junior 1:13.5, ...), split by
subject as ``needs.subject_shares`` says; the difference from the teachers it
has is its shortage (缺编) or surplus (超编).
"""

from __future__ import annotations

import threading
from collections import Counter, OrderedDict, defaultdict
from dataclasses import dataclass
from typing import Any

from twinning.county.instance import Instance, School
from twinning.vocabulary import GRADES


@dataclass(frozen=True)
class SubjectNeed:
    """Shortage and surplus of one subject at one school."""

    shortage: int = 0
    surplus: int = 0
    priority: int = 2


SchoolNeeds = dict[str, dict[str, SubjectNeed]]


def school_needs(inst: Instance, period: str | None = None) -> SchoolNeeds:
    """Needs per school and subject.

    Parameters
    ----------
    inst
        The instance.
    period
        Rows for this period and rows with a blank period; ``None`` takes blank rows
        plus, per subject, the largest figure of any period.
    """
    if inst.needs:
        return _given_once(inst, period)
    return derive_needs(inst)


#: needs.csv read per period: (id of the table, period) -> (the table, its needs). A
#: validate of the 2,000-school county asked for the same table 18 times (2.0 s each under
#: cProfile); the tables are only read, never changed. The last few are kept, each with
#: its table so that an id is never taken for another table's.
_GIVEN: OrderedDict[tuple[int, str | None], tuple[Any, SchoolNeeds]] = OrderedDict()
_GIVEN_LOCK = threading.Lock()
_GIVEN_KEPT = 8


def _given_once(inst: Instance, period: str | None) -> SchoolNeeds:
    key = (id(inst.needs), period)
    with _GIVEN_LOCK:
        got = _GIVEN.get(key)
        if got is not None and got[0] is inst.needs:
            _GIVEN.move_to_end(key)
            return got[1]
    out = _given(inst, period)
    with _GIVEN_LOCK:
        _GIVEN[key] = (inst.needs, out)
        while len(_GIVEN) > _GIVEN_KEPT:
            _GIVEN.popitem(last=False)
    return out


#: needs.csv's rows without a period, added up, and its rows with one: (id of the table) ->
#: (the table, the sums, the dated rows). Every period reads the same sums.
_BLANK: OrderedDict[int, tuple[Any, dict[tuple[str, str], SubjectNeed], list[Any]]] = OrderedDict()


def _blank_once(needs: list[Any]) -> tuple[dict[tuple[str, str], SubjectNeed], list[Any]]:
    with _GIVEN_LOCK:
        got = _BLANK.get(id(needs))
        if got is not None and got[0] is needs:
            _BLANK.move_to_end(id(needs))
            return got[1], got[2]
    every: dict[tuple[str, str], SubjectNeed] = {}
    dated = []
    for n in needs:
        if not n.period:
            key = (n.school, n.subject)
            every[key] = _add(every.get(key), n.shortage, n.surplus, n.priority)
        else:
            dated.append(n)
    with _GIVEN_LOCK:
        _BLANK[id(needs)] = (needs, every, dated)
        while len(_BLANK) > _GIVEN_KEPT:
            _BLANK.popitem(last=False)
    return every, dated


def _given(inst: Instance, period: str | None) -> SchoolNeeds:
    every, dated = _blank_once(inst.needs)  # read only
    by_period: dict[tuple[str, str], SubjectNeed] = {}
    for n in dated:
        key = (n.school, n.subject)
        if period is None or n.period == period:
            old = by_period.get(key)
            if old is None or n.shortage + n.surplus > old.shortage + old.surplus:
                by_period[key] = SubjectNeed(n.shortage, n.surplus, n.priority)
    out: SchoolNeeds = defaultdict(dict)
    for key in every.keys() | by_period.keys():
        a, b = every.get(key), by_period.get(key)
        merged = a if b is None else _add(a, b.shortage, b.surplus, b.priority)
        assert merged is not None
        out[key[0]][key[1]] = merged
    return dict(out)


def _add(old: SubjectNeed | None, shortage: int, surplus: int, priority: int) -> SubjectNeed:
    if old is None:
        return SubjectNeed(shortage, surplus, priority)
    return SubjectNeed(old.shortage + shortage, old.surplus + surplus, min(old.priority, priority))


def quota_by_subject(inst: Instance, school: School) -> dict[str, float]:
    """Teachers of each subject the staffing ratios give this school."""
    if not school.students:
        return {}
    ratios = inst.policy.needs.students_per_teacher
    shares = inst.policy.needs.subject_shares
    stages = [s for s in sorted(school.stages) if s in ratios]
    grades = sum(GRADES.get(s, 3) for s in stages)
    quota: dict[str, float] = defaultdict(float)
    for stage in stages:
        part = GRADES.get(stage, 3) / grades
        teachers = school.students * part / ratios[stage]
        for subject, share in shares.get(stage, {}).items():
            quota[subject] += teachers * share
    return dict(quota)


def derive_needs(inst: Instance) -> SchoolNeeds:
    """Shortages and surpluses from students, ratios and the teachers each school has."""
    have: dict[str, Counter[str]] = defaultdict(Counter)
    for t in inst.staff:
        if t.subject:
            have[t.school][t.subject] += 1
    out: SchoolNeeds = {}
    for school in inst.schools:
        quota = quota_by_subject(inst, school)
        if not quota:
            continue
        needs: dict[str, SubjectNeed] = {}
        priority = 1 if school.area == "rural" or school.tier == "weak" else 2
        for subject in sorted(quota.keys() | have[school.id].keys()):
            want = round(quota.get(subject, 0.0))
            got = have[school.id][subject]
            if want > got:
                needs[subject] = SubjectNeed(want - got, 0, priority)
            elif got > want:
                needs[subject] = SubjectNeed(0, got - want, 3)
        if needs:
            out[school.id] = needs
    return out
