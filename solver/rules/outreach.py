"""Who may deliver model lessons where, and who shadows where: pure definitions, no solver.

The outreach model and the checker both read these terms, so that the two cannot disagree
on which schools must receive visits, who may visit them or what a visit costs.

Terms
-----
receiving school
    Weak (薄弱) or rural (乡村): receives ``outreach.visits_per_school`` model-lesson visits
    (送教下乡 / 送教到校) each semester.
visitor
    An active teacher with a subject who is a county-level-or-above backbone teacher or a
    member of a 名师工作室 (staff ``studio``), at home in that semester: not away on a
    roster move (exchange, secondment, headship) that covers it. A visit is a lesson in
    the visitor's subject at a receiving school other than their own that shares a stage
    with their home school.
partners
    A receiving school's pair helper (plan pairs) and the schools of its alliance (plan
    alliances): visits from them are preferred.
helper school (跟岗)
    Where a rural school's teachers shadow: its pair's helper (the first by id), else its
    alliance's lead when that is another school; a rural school with neither has none.
shadowing teacher
    Active staff of the rural school, at home that semester (a teacher first: cadres and
    the principal go where the school has no teacher at home).
away
    A visit keeps its teacher away ``outreach.visit_days`` days in its week; a 跟岗 stint
    keeps its teacher away every week of ``outreach.short_exchange_weeks`` consecutive
    weeks from the week it starts. A school's teachers away in one week (both kinds) are
    at most ``outreach.max_away_per_school_per_week``; a teacher is on one outreach line a
    week at most.
spread
    Two model-lesson visits to one school in a semester are at least
    ``outreach.min_weeks_apart`` weeks apart (week numbers differ by at least that); a week
    of a semester holds at most ``outreach.max_visits_per_week`` of the county's
    model-lesson visits, by default twice the semester's average: ceil(2 x visits / the
    number of outreach weeks), visits being that semester's model-lesson visits.
cost of a visit
    ``weight_off_need`` when the subject is not one the school is short of (its shortage
    subjects first), ``weight_not_pair`` when the visitor's school is not its pair
    helper, ``weight_not_alliance`` when it is outside its alliance, and ``weight_km`` per
    km (rounded per visit). Each visit or 跟岗 stint a school misses costs
    ``weight_missing``.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from twinning.county.instance import Instance, School, Staff
from twinning.county.needs import school_needs
from twinning.plan import Membership, Move, Pair
from twinning.rules.roster import AWAY_KINDS

MODEL_LESSON = "model_lesson"
SHADOWING = "shadowing"


def receives(school: School) -> bool:
    """Weak or rural: receives model-lesson visits each semester."""
    return school.area == "rural" or school.tier == "weak"


def may_visit(person: Staff) -> bool:
    """A county-level-or-above backbone teacher or a 名师工作室 member, active, with a
    subject (home and roster aside)."""
    return (
        person.role == "teacher"
        and person.status == "active"
        and bool(person.subject)
        and (person.is_backbone or bool(person.studio and person.studio.strip()))
    )


def may_shadow(person: Staff) -> bool:
    """Active staff (home and roster aside): teachers, and at a school without one its
    principal or cadres (跟岗 is for cadres too; a village kindergarten may have no other)."""
    return person.status == "active"


def away_on_roster(inst: Instance, roster: Iterable[Move]) -> dict[str, set[str]]:
    """Staff id -> the semesters a roster move takes them away from home."""
    periods = inst.policy.horizon.periods
    out: dict[str, set[str]] = defaultdict(set)
    for m in roster:
        if m.kind not in AWAY_KINDS or m.first_period not in periods:
            continue
        first = periods.index(m.first_period)
        out[m.staff].update(periods[first : first + m.periods])
    return dict(out)


def shortage_subjects(inst: Instance, period: str) -> dict[str, set[str]]:
    """School -> subjects it is short of in that semester."""
    return {
        school: {subject for subject, n in needs.items() if n.shortage > 0}
        for school, needs in school_needs(inst, period).items()
    }


@dataclass(frozen=True)
class Partners:
    """Each school's pair helpers and alliance mates in the plan."""

    helpers: dict[str, set[str]]  # helped -> helpers
    alliance: dict[str, set[str]]  # school -> the schools of its alliance (itself too)
    lead: dict[str, str]  # school -> its alliance's lead

    def relation(self, visitor_school: str, school: str) -> tuple[bool, bool]:
        """(from the pair helper, from the alliance)."""
        return (
            visitor_school in self.helpers.get(school, set()),
            visitor_school in self.alliance.get(school, set()),
        )

    def helper_school(self, school: str) -> str | None:
        """Where a rural school's teachers shadow (跟岗): its pair's helper, else its
        alliance's lead when that is another school."""
        helpers = sorted(self.helpers.get(school, set()))
        if helpers:
            return helpers[0]
        lead = self.lead.get(school)
        return lead if lead is not None and lead != school else None


def partners(pairs: Iterable[Pair], alliances: Iterable[Membership]) -> Partners:
    helpers: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        helpers[p.helped].add(p.helper)
    members: dict[str, set[str]] = defaultdict(set)
    lead_of_alliance: dict[str, str] = {}
    rows = list(alliances)
    for m in rows:
        members[m.alliance].add(m.member)
        lead_of_alliance.setdefault(m.alliance, m.lead)
    alliance: dict[str, set[str]] = {}
    lead: dict[str, str] = {}
    for m in rows:
        alliance.setdefault(m.member, members[m.alliance])
        lead.setdefault(m.member, lead_of_alliance[m.alliance])
    return Partners(dict(helpers), alliance, lead)


def visit_terms(
    inst: Instance, km: float, from_pair: bool, from_alliance: bool, in_shortage: bool
) -> dict[str, int]:
    """One visit's cost terms before weighting."""
    return {
        "visits_off_need": 0 if in_shortage else 1,
        "visits_not_pair": 0 if from_pair else 1,
        "visits_not_alliance": 0 if from_alliance else 1,
        "distance_km": round(km) if math.isfinite(km) else 0,  # unknown distance: not priced
    }


def visit_cost(
    inst: Instance, km: float, from_pair: bool, from_alliance: bool, in_shortage: bool
) -> int:
    """One visit's weighted cost."""
    o = inst.policy.outreach
    t = visit_terms(inst, km, from_pair, from_alliance, in_shortage)
    return (
        o.weight_off_need * t["visits_off_need"]
        + o.weight_not_pair * t["visits_not_pair"]
        + o.weight_not_alliance * t["visits_not_alliance"]
        + o.weight_km * t["distance_km"]
    )


def stint_weeks(inst: Instance, first: int) -> list[int]:
    """The weeks a 跟岗 stint starting in week ``first`` keeps its teacher away."""
    return list(range(first, first + inst.policy.outreach.short_exchange_weeks))


def stint_starts(inst: Instance) -> list[int]:
    """Weeks a 跟岗 stint may start: all its weeks are outreach weeks."""
    weeks = set(inst.policy.outreach.weeks)
    return [w for w in sorted(weeks) if all(x in weeks for x in stint_weeks(inst, w))]


def week_cap(inst: Instance, visits: int) -> int:
    """The most model-lesson visits one week of a semester may hold, the semester having
    ``visits`` of them: ``max_visits_per_week``, else ceil(2 x visits / weeks)."""
    o = inst.policy.outreach
    if o.max_visits_per_week is not None:
        return o.max_visits_per_week
    return math.ceil(2 * visits / len(o.weeks))


def too_close(inst: Instance, a: int, b: int) -> bool:
    """Two visits to one school in weeks ``a`` and ``b`` break min_weeks_apart."""
    return abs(a - b) < inst.policy.outreach.min_weeks_apart


def spaced_visits(inst: Instance) -> int | None:
    """The most visits one school can receive in a semester with min_weeks_apart kept
    (the earliest week first, then each next week far enough); None: no limit (0)."""
    o = inst.policy.outreach
    if o.min_weeks_apart == 0:
        return None
    n, last = 0, None
    for w in o.weeks:
        if last is None or w - last >= o.min_weeks_apart:
            n, last = n + 1, w
    return n


def shadow_days(inst: Instance) -> int:
    """Days of a 跟岗 stint: five a week."""
    return 5 * inst.policy.outreach.short_exchange_weeks


def objective_value(inst: Instance, terms: dict[str, float]) -> int:
    """The outreach objective from its terms."""
    o = inst.policy.outreach
    return int(
        o.weight_missing * (terms["visits_missing"] + terms["short_exchanges_missing"])
        + o.weight_off_need * terms["visits_off_need"]
        + o.weight_not_pair * terms["visits_not_pair"]
        + o.weight_not_alliance * terms["visits_not_alliance"]
        + o.weight_km * terms["distance_km"]
    )
