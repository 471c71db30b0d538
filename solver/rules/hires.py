"""Where this year's new teachers may go (新教师优先补充农村薄弱校): pure definitions, no solver.

The hires model and the checker both read these terms, so that the two cannot disagree
on what shortage a hire may fill or which schools come first.

Terms
-----
remaining shortage
    What the exchange roster leaves: for each period, the teachers moved out (exchange,
    direction ``out``, role teacher) present at a host cover its shortage of their
    subject; the remaining shortage of (school, subject) is the largest, over the
    periods, of the shortage less that cover. A hire is permanent, so it answers the
    worst period, not the average.
rural or weak school
    Area rural (乡村) or tier weak (薄弱): new teachers go there first.
fits
    A hire's stage is among the school's stages (a nine- or twelve-year school covers
    several); a hire recorded with a combined stage is qualified for each it covers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from itertools import combinations

from twinning.county.instance import Instance, School
from twinning.plan import Move
from twinning.rules.roster import shortage_table
from twinning.vocabulary import STAGE_COVERS

#: (school, subject) -> (teachers still lacking, priority 1 highest .. 3).
Remaining = dict[tuple[str, str], tuple[int, int]]


def rural_weak(school: School) -> bool:
    """Rural or weak: its shortages are filled before any other school's
    [hires.rural_weak_first]."""
    return school.area == "rural" or school.tier == "weak"


def fits(stage: str, school: School) -> bool:
    """A hire of this stage may teach at this school: the stage is among the school's.

    A nine-year school covers primary and junior, so a primary hire fits it; a hire
    recorded as nine-year is qualified for both and fits a school of either.
    """
    return bool(STAGE_COVERS.get(stage, frozenset({stage})) & school.stages)


def hires_by_subject(inst: Instance) -> dict[str, dict[str, int]]:
    """subject -> stage -> hires of ``new_hires.csv`` (one row per subject and stage: the
    reader refuses a second; rows of 0 are left out, so that a stage with nobody hired fits
    nowhere)."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for h in inst.new_hires:
        if h.count:
            out[h.subject][h.stage] += h.count
    return {subject: dict(by_stage) for subject, by_stage in out.items()}


def remaining_after(inst: Instance, moves: Iterable[Move]) -> Remaining:
    """The shortage each (school, subject) still has once the roster's teachers arrive.

    Parameters
    ----------
    inst
        The county; shortages per period come from
        :func:`twinning.rules.roster.shortage_table`.
    moves
        The roster's moves (mentor lines excluded by the caller: a mentor stays home).
        Only teachers moved out on an exchange cover a shortage, as in the roster's own
        needs rule; a line naming unknown staff or a period outside the horizon covers
        nothing (the roster checker reports it).

    Returns
    -------
    dict
        (school, subject) -> (teachers still lacking, priority), only where something is
        still lacking. The figure is the largest over the periods, because a new
        teacher stays all year: placing fewer would leave the worst semester short. The
        priority is that of the worst period (the highest, on a tie).
    """
    periods = inst.policy.horizon.periods
    index = {p: t for t, p in enumerate(periods)}
    staff = {t.id: t for t in inst.staff}
    present: Counter[tuple[str, str, int]] = Counter()
    for m in moves:
        person = staff.get(m.staff)
        if (
            m.kind != "exchange"
            or m.direction != "out"
            or person is None
            or person.role != "teacher"
            or not person.subject
            or m.first_period not in index
        ):
            continue
        first = index[m.first_period]
        for t in range(first, min(first + m.periods, len(periods))):
            present[(m.to_school, person.subject, t)] += 1
    out: Remaining = {}
    for (school, subject, t), (shortage, priority) in shortage_table(inst).items():
        lacking = shortage - min(shortage, present[(school, subject, t)])
        if lacking <= 0:
            continue
        old = out.get((school, subject))
        if old is None or (lacking, -priority) > (old[0], -old[1]):
            out[(school, subject)] = (lacking, priority)
    return out


def most_placeable(
    hired: Mapping[str, int], room: Mapping[str, int], stages_of: Mapping[str, Iterable[str]]
) -> int:
    """The most hires of one subject that can be placed: a maximum flow, by its minimum cut.

    Parameters
    ----------
    hired
        stage -> hires of the subject.
    room
        school -> how many the school may take.
    stages_of
        school -> the stages of ``hired`` that fit it.

    Returns
    -------
    int
        min over the sets T of stages of (hires of the stages outside T + room of the
        schools some stage of T fits): the max-flow min-cut theorem on stage -> school
        arcs of unlimited capacity. A subject has at most six stages, so the 64 sets are
        enumerated; this keeps the checker exact without a solver.
    """
    stages = sorted(hired)
    fit = {s: frozenset(stages_of.get(s, ())) for s in room}
    best = sum(hired.values())
    for k in range(1, len(stages) + 1):
        for chosen in combinations(stages, k):
            inside = frozenset(chosen)
            cut = sum(hired[st] for st in stages if st not in inside)
            cut += sum(n for s, n in room.items() if fit[s] & inside)
            best = min(best, cut)
    return best
