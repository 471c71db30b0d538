"""A school's subject departments (教研组) and its young teachers while the roster runs:
pure definitions shared by the roster model and the checker (issue 28's people rules).

Terms
-----
department
    A school's teachers (staff of role ``teacher``) of one subject; its size counts them
    all, whatever their status. Leaders and cadres teach lighter loads and are held by the
    cadre rules, so they are not counted here.
department move
    An exchange (out, or a learning stint in) or a secondment of a teacher of the
    department: away from home for its span, and at the host, a visitor teaching that
    subject there.
school year
    Two consecutive semesters: the periods whose ids name the same years ``YYYY-YYYY``
    (``2025-2026-1`` and ``2025-2026-2``), the trailing digit the semester; when an id does
    not read so, the periods are paired in order (the first two one year, ...).
boundary
    Where a move starts or ends: the start of the period it enters, numbered 0 (the
    horizon's first period) to H (just after the horizon's last). A boundary lies in a
    school year at its start (entering its first semester) or its middle (entering its
    second); the one after the horizon lies in the last period's year when that period is
    a first semester (its middle), else in a year beyond the horizon, which no rule counts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from twinning.county.instance import Instance, Staff
from twinning.plan import Move
from twinning.rules.roster import durations

#: A semester id: ``2025-2026-1`` (the school year's two years, then the semester 1 or 2).
SEMESTER = re.compile(r"(\d{4})\D+(\d{4})\D+([12])\s*$")

#: Moves that take a teacher of a department away from it (a mentor line keeps them at home).
DEPARTMENT_KINDS = ("exchange", "secondment")


def in_department(person: Staff) -> bool:
    """A teacher (role ``teacher``) with a subject: a member of a department."""
    return person.role == "teacher" and bool(person.subject)


def department_sizes(inst: Instance) -> Counter[tuple[str, str]]:
    """(school, subject) -> teachers of the department (every status)."""
    return Counter((t.school, t.subject or "") for t in inst.staff if in_department(t))


def department_limit(inst: Instance, size: int) -> int:
    """[rotation.max_department_share] The most teachers of a department of ``size`` that
    may be away at once: the share of its size rounded down, at least 1 (a department of
    one or two teachers may still send one; ``rotation.keep_subject_cover`` and
    ``rotation.protect_sender`` decide whether it can spare them)."""
    share = inst.policy.rotation.max_department_share
    return max(1, math.floor(share * size + 1e-9))


def semesters(periods: list[str]) -> list[tuple[int, int]]:
    """Per period of the horizon, (school year, half): half 0 the first semester, 1 the
    second. Read from the ids when every id is ``YYYY-YYYY-1`` or ``-2``; otherwise the
    periods are paired in order."""
    found = [SEMESTER.search(p) for p in periods]
    if periods and all(found):
        return [(int(m.group(1)), int(m.group(3)) - 1) for m in found if m]
    return [(t // 2, t % 2) for t in range(len(periods))]


def boundary_years(periods: list[str]) -> dict[int, tuple[int, int]]:
    """Boundary (0..H) -> (school year, half) for each boundary inside a school year the
    horizon touches: entering a period (its year and half), or leaving the horizon after
    a first semester (the middle of that year)."""
    sem = semesters(periods)
    out = {t: sem[t] for t in range(len(periods))}
    if sem and sem[-1][1] == 0:
        out[len(periods)] = (sem[-1][0], 1)
    return out


def span_changes(
    bounds: dict[int, tuple[int, int]], first: int, length: int
) -> list[tuple[int, int]]:
    """The (school year, half) at which a move of this span hands classes over: where it
    starts and where it ends, inside the horizon's school years."""
    return [bounds[b] for b in (first, first + length) if b in bounds]


def changes_twice(bounds: dict[int, tuple[int, int]], first: int, length: int) -> bool:
    """[rotation.classes_change_once_a_year] Whether a move of this span alone hands its
    classes over twice in one school year (it starts at a year's start and ends at the
    same year's middle: a one-semester stint in the first semester)."""
    got = span_changes(bounds, first, length)
    return len(got) == 2 and got[0][0] == got[1][0] and got[0][1] != got[1][1]


def teacher_spans(inst: Instance) -> list[tuple[int, int]]:
    """[rotation.classes_change_once_a_year] (first period, length) of every exchange a
    teacher of a department may take: each length from ``rotation.min_periods`` to
    ``rotation.max_periods`` at each start that fits the horizon, without those that alone
    hand classes over twice in a school year (with the rule on)."""
    periods = list(inst.policy.horizon.periods)
    spans = [
        (first, length)
        for length in durations(inst, "exchange")
        for first in range(0, len(periods) - length + 1)
    ]
    if not inst.policy.rotation.classes_change_once_a_year:
        return spans
    bounds = boundary_years(periods)
    return [(f, n) for f, n in spans if not changes_twice(bounds, f, n)]


def departments_of(person: Staff, home: str, host: str) -> list[tuple[str, str]]:
    """The departments a teacher's move touches: the teacher's own at home and the one of
    the same subject at the host (where the visitor teaches); none for a non-teacher."""
    if not in_department(person):
        return []
    subject = person.subject or ""
    return [(home, subject), (host, subject)]


def mentee_elsewhere(moves: Iterable[Move]) -> dict[str, set[str]]:
    """[rotation.mentee_at_home] Staff -> the schools their moves take them to (exchange,
    secondment or headship)."""
    out: dict[str, set[str]] = {}
    for m in moves:
        if m.kind in ("exchange", "secondment", "headship"):
            out.setdefault(m.staff, set()).add(m.to_school)
    return out


def mentee_may_pair(inst: Instance, hosts: set[str] | None, mentor_school: str) -> bool:
    """[rotation.mentee_at_home] Whether a young teacher whose moves take them to ``hosts``
    may be mentored from ``mentor_school``: at home (no move), or away only at the
    mentor's own school; any move allowed with the rule off. (A mentor line spans the
    horizon, so any move of the mentee overlaps it.)"""
    if not inst.policy.rotation.mentee_at_home or not hosts:
        return True
    return hosts == {mentor_school}
