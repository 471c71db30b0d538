"""What the plan covers of each shortage: one count for every output.

The roster covers shortages in teachers (``plan.unmet_needs``: per school, subject and
period, the shortage and the teachers the roster brings); the circuits (走教) cover weekly
lessons, the same in every period of the horizon. ``unmet_needs.csv``, ``unmet_lessons.csv``,
the KPIs and the report all read the circuits' lessons from :func:`circuit_lessons` and a
shortage's remainder from :func:`covers`, so that they count the same covered lessons.

Terms
-----
lessons covered
    Per (school, subject), the weekly lessons the plan's circuit lines give there.
weekly lessons of a shortage
    What the part of a shortage the roster leaves needs a week, as the circuits count it:
    ``needs.weekly_lessons`` (of the period, else of every period) scaled by the part left,
    rounded up; else the teachers left x ``itinerant.standard_load``.
left
    Teachers still short after the roster and the circuits: the teachers the roster
    leaves, scaled by the share of their weekly lessons no circuit gives, rounded up.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from twinning.county.instance import Instance


def circuit_lessons(circuits: Iterable[Any]) -> dict[tuple[str, str], int]:
    """(school, subject) -> weekly lessons the circuit lines give there."""
    out: dict[tuple[str, str], int] = defaultdict(int)
    for c in circuits:
        out[(c.school, c.subject)] += c.lessons
    return dict(out)


def given_lessons(inst: Instance) -> dict[tuple[str, str, str | None], int]:
    """(school, subject, period or None) -> needs.weekly_lessons where needs.csv gives it."""
    return {
        (n.school, n.subject, n.period): n.weekly_lessons
        for n in inst.needs
        if n.weekly_lessons is not None
    }


def shortage_lessons(
    inst: Instance,
    given: dict[tuple[str, str, str | None], int],
    school: str,
    subject: str,
    period: str,
    left: int,
    shortage: int,
) -> int:
    """Weekly lessons ``left`` teachers of a ``shortage`` stand for (see the module
    docstring; the circuits' weekly need counts the same way); ``given`` is
    :func:`given_lessons`."""
    if left <= 0:
        return 0
    weekly = given.get((school, subject, period), given.get((school, subject, None)))
    if weekly is None or shortage <= 0:
        return left * inst.policy.itinerant.standard_load
    return math.ceil(weekly * left / shortage)


@dataclass(frozen=True)
class Cover:
    """One shortage the roster leaves, and what the circuits cover of it."""

    school: str
    subject: str
    period: str
    shortage: int  # teachers short
    covered: int  # teachers the roster brings
    weekly_lessons: int  # lessons a week the rest needs
    circuit_lessons: int  # of them, given by circuits (at most weekly_lessons)
    left: int  # teachers still short after the roster and the circuits
    priority: int
    reachable: bool


def covers(inst: Instance, plan: Any) -> list[Cover]:
    """Each row of the roster's unmet needs with the circuits' lessons taken off."""
    lessons = circuit_lessons(plan.circuits)
    given = given_lessons(inst)
    out = []
    for u in plan.unmet_needs:
        rest = max(0, u.shortage - u.covered)
        weekly = shortage_lessons(inst, given, u.school, u.subject, u.period, rest, u.shortage)
        by_circuit = min(weekly, lessons.get((u.school, u.subject), 0))
        left = math.ceil(rest * (weekly - by_circuit) / weekly) if weekly else rest
        out.append(
            Cover(
                school=u.school,
                subject=u.subject,
                period=u.period,
                shortage=u.shortage,
                covered=u.covered,
                weekly_lessons=weekly,
                circuit_lessons=by_circuit,
                left=left,
                priority=u.priority,
                reachable=u.reachable,
            )
        )
    return out
