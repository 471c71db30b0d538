"""The checker's hire rules: one ``check_<rule>`` per rule, each returning its violations.

Part of the specification (see :mod:`twinning.check`): it never imports ortools nor the
hires model. The shortage left after the roster and the schools that come first are
defined once in :mod:`twinning.rules.hires`.

A hire line names a school, a subject and a count, not the stage the teachers were hired
for: a nine-year school may take primary or junior hires. Each rule therefore asks
whether *some* way of giving the placed teachers their stages keeps it, and answers
exactly with maximum flows, computed by their minimum cuts over the (at most six)
stages of a subject (:func:`twinning.rules.hires.most_placeable`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from twinning.check.report import Violation
from twinning.county.instance import Instance
from twinning.plan import Plan
from twinning.rules import hires as rules


@dataclass
class _Subject:
    """One subject's hires and the schools they may go to."""

    hired: dict[str, int]  # stage -> hires
    stages_of: dict[str, frozenset[str]]  # school -> hired stages that fit it (non-empty)
    lacking: dict[str, int]  # school -> shortage left after the roster (fitting schools)
    placed: dict[str, int]  # school -> hires the plan places there (fitting schools)


def _placed(plan: Plan) -> Counter[tuple[str, str]]:
    """Hires placed per (school, subject); two lines for one pair add up."""
    count: Counter[tuple[str, str]] = Counter()
    for h in plan.hires:
        count[(h.school, h.subject)] += h.count
    return count


def _subjects(inst: Instance, plan: Plan) -> dict[str, _Subject]:
    """Each hired subject's stages, fitting schools, remaining shortages and placements."""
    by_subject = rules.hires_by_subject(inst)
    if not by_subject:
        return {}  # nobody hired: no shortage to recount
    remaining = rules.remaining_after(inst, [m for m in plan.roster if m.kind != "mentor"])
    placed = _placed(plan)
    out = {}
    for subject, hired in by_subject.items():
        stages_of = {s.id: frozenset(st for st in hired if rules.fits(st, s)) for s in inst.schools}
        stages_of = {sid: st for sid, st in stages_of.items() if st}
        out[subject] = _Subject(
            hired=hired,
            stages_of=stages_of,
            lacking={
                sid: remaining[(sid, subject)][0]
                for sid in stages_of
                if (sid, subject) in remaining
            },
            placed={sid: placed[(sid, subject)] for sid in stages_of if placed[(sid, subject)]},
        )
    return out


def check_count(inst: Instance, plan: Plan) -> list[Violation]:
    """[hires.count] Per subject and stage, no more teachers placed than were hired.

    The placed teachers must be the hires of stages that fit their schools: for every set
    T of stages, the schools that only T's stages fit take at most T's hires (Hall's
    condition, which is exact for this transportation problem).
    """
    out = []
    for subject, sub in sorted(_subjects(inst, plan).items()):
        total = sum(sub.placed.values())
        if rules.most_placeable(sub.hired, sub.placed, sub.stages_of) >= total:
            continue
        stages = sorted(sub.hired)
        worst: tuple[int, frozenset[str]] = (0, frozenset())
        for k in range(1, len(stages) + 1):
            for chosen in combinations(stages, k):
                t = frozenset(chosen)
                need = sum(n for sid, n in sub.placed.items() if sub.stages_of[sid] <= t)
                over = need - sum(sub.hired[st] for st in t)
                worst = max(worst, (over, t), key=lambda w: w[0])
        over, t = worst
        where = sorted(sid for sid in sub.placed if sub.stages_of[sid] <= t)
        hired = sum(sub.hired[st] for st in t)
        out.append(
            Violation(
                rule="hires.count",
                where=where,
                amount=over,
                code="check.hires.count",
                params={
                    "placed": hired + over,
                    "subject": subject,
                    "stages": sorted(t),
                    "hired": hired,
                },
            )
        )
    return out


def check_shortage(inst: Instance, plan: Plan) -> list[Violation]:
    """[hires.shortage] A hire goes only where a shortage of its subject remains after the
    roster, at a school of its stage, and never more than the remaining shortage."""
    if not plan.hires:
        return []
    schools = {s.id: s for s in inst.schools}
    remaining = rules.remaining_after(inst, [m for m in plan.roster if m.kind != "mentor"])
    hired = rules.hires_by_subject(inst)
    out = []
    for (sid, subject), n in sorted(_placed(plan).items()):
        school = schools.get(sid)
        lacking = remaining.get((sid, subject), (0, 0))[0]
        params: dict[str, Any]
        if school is None:
            code, params = "check.hires.shortage.unknown", {}
        elif not any(rules.fits(st, school) for st in hired.get(subject, {})):
            code, params = "check.hires.shortage.stage", {"subject": subject, "school": sid}
        elif n > lacking:
            code = "check.hires.shortage.over"
            params = {"n": n, "subject": subject, "lacking": lacking}
        else:
            continue
        out.append(
            Violation(
                rule="hires.shortage",
                where=[sid],
                amount=n - lacking if school is not None else n,
                code=code,
                params=params,
            )
        )
    return out


def check_rural_weak_first(inst: Instance, plan: Plan) -> list[Violation]:
    """[hires.rural_weak_first] No hire at another school while a rural or weak school of
    that stage still lacks that subject.

    Exactly: keeping the other schools' hires where they are must leave rural and weak
    schools as many hires as they could get with every hire free (a longer chain of
    swaps through a nine-year school counts too).
    """
    if not inst.policy.hires.rural_weak_first:
        return []
    schools = {s.id: s for s in inst.schools}
    out = []
    for subject, sub in sorted(_subjects(inst, plan).items()):
        first = {sid: n for sid, n in sub.lacking.items() if rules.rural_weak(schools[sid])}
        others = {
            sid: min(n, sub.lacking.get(sid, 0))
            for sid, n in sub.placed.items()
            if sid not in first
        }
        kept = sum(others.values())
        if not kept or rules.most_placeable(sub.hired, others, sub.stages_of) < kept:
            continue  # nothing to move, or hires.count already fails
        best = rules.most_placeable(sub.hired, first, sub.stages_of)
        left = rules.most_placeable(sub.hired, {**others, **first}, sub.stages_of) - kept
        if left >= best:
            continue
        short = sorted(sid for sid, n in first.items() if sub.placed.get(sid, 0) < n)
        taken = sorted(sid for sid, n in others.items() if n)
        out.append(
            Violation(
                rule="hires.rural_weak_first",
                where=[*taken, *short],
                amount=best - left,
                code="check.hires.rural_weak_first",
                params={"n": best - left, "subject": subject, "taken": taken, "short": short},
            )
        )
    return out


def check_maximal(inst: Instance, plan: Plan) -> list[Violation]:
    """[hires.maximal] No hire left unplaced while some school of its stage still lacks its
    subject: as many hires placed as the remaining shortages and stages allow."""
    out = []
    for subject, sub in sorted(_subjects(inst, plan).items()):
        most = rules.most_placeable(sub.hired, sub.lacking, sub.stages_of)
        got = sum(min(n, sub.lacking.get(sid, 0)) for sid, n in sub.placed.items())
        if got >= most:
            continue
        short = sorted(sid for sid, n in sub.lacking.items() if sub.placed.get(sid, 0) < n)
        out.append(
            Violation(
                rule="hires.maximal",
                where=short,
                amount=most - got,
                code="check.hires.maximal",
                params={"n": most - got, "subject": subject, "short": short},
            )
        )
    return out


HIRE_CHECKS: tuple[Callable[[Instance, Plan], list[Violation]], ...] = (
    check_shortage,
    check_count,
    check_rural_weak_first,
    check_maximal,
)
