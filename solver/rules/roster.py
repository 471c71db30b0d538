"""Who may move, where, and how the roster's rules count: pure definitions, no solver.

Both the roster model and the checker use these definitions of the rules' terms
(who is due, who is age-exempt, which schools are advantaged), so that the two
cannot disagree on what a rule means; the checker then verifies the plan itself.

Terms
-----
advantaged school
    Urban or strong (城区 / 优质): where out moves start.
quota school
    An advantaged school of a stage of ``rotation.quota_stages`` (义务教育: primary, junior,
    nine-year by default): the schools the rotation quota applies to.
counted exchange
    An exchange of at least ``rotation.min_periods_for_quota`` periods (a school year by
    default): only these count toward the quota and the backbone share.
due
    A teacher with ``years_at_school >= rotation.due_years``; a principal or vice
    principal with ``years_at_school >= 2 x rotation.principal_term_years``.
age-exempt
    ``age >= rotation.exempt_age[gender]`` (men 57, women 52 by default).
available
    Active (not exempt, not deferred), not age-exempt, and not moved in the last
    exchange cycle of history.
out move (下乡)
    From an advantaged school to a school that is not (rural, town, weak, ordinary).
in move (进城学艺)
    From a school that is not advantaged to one that is, to learn.
due principal (校长轮岗)
    A principal after two terms at the school, available to move: changes headship to
    another school of a shared stage within the scope.
young (青蓝结对 mentee)
    ``age <= rotation.mentor_max_age`` or ``teaching_years < rotation.mentor_max_years``
    (教龄, years of teaching anywhere; years at the current school do not count).
mentor schools
    A helped school of a pair takes mentors from its helper; a member of an alliance that
    is not advantaged takes mentors from the advantaged schools of its alliance.
away
    Staff with a roster move of kind exchange, secondment or headship: not at home, so not
    a mentor (the mentor line spans the whole horizon).
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from operator import attrgetter

from twinning.county.distances import Distances
from twinning.county.instance import Instance, School, Staff, share_stage
from twinning.county.needs import school_needs
from twinning.plan import Membership, Move, Pair
from twinning.vocabulary import COUNTY_OR_ABOVE

LEADERS = ("principal", "vice_principal")
CADRES = ("middle_manager", "reserve_cadre")
#: Leaders whose rotation is an exchange stint at a partner school (a principal's rotation
#: is a change of headship instead).
EXCHANGE_LEADERS = ("vice_principal",)
#: Roster moves that take a person away from home for their span (a mentor stays at home;
#: an itinerant teacher keeps their home school and only travels on fixed days).
AWAY_KINDS = ("exchange", "secondment", "headship")


def advantaged(school: School) -> bool:
    """Urban or strong: out moves start here, and the rotation quota applies here to the
    schools of its stages (:func:`quota_school`)."""
    return school.area == "urban" or school.tier == "strong"


def age_exempt(inst: Instance, person: Staff) -> bool:
    """At or over the exemption age for their gender (never moves)."""
    if person.age is None or person.gender is None:
        return False
    limit = (
        inst.policy.rotation.exempt_age.M
        if person.gender == "M"
        else (inst.policy.rotation.exempt_age.F)
    )
    return person.age >= limit


def moved_last_cycle(inst: Instance) -> set[str]:
    """Staff with an exchange in the latest exchange period of history."""
    periods = [h.period for h in inst.history if h.kind == "exchange"]
    if not periods:
        return set()
    last = max(periods)
    return {h.staff for h in inst.history if h.kind == "exchange" and h.period == last and h.staff}


def is_due(inst: Instance, person: Staff) -> bool:
    """Due to rotate: teachers after due_years; principals after two terms."""
    rot = inst.policy.rotation
    if person.role == "teacher":
        return person.years_at_school >= rot.due_years
    if person.role in LEADERS:
        return person.years_at_school >= 2 * rot.principal_term_years
    return False


def available(inst: Instance, person: Staff, last_cycle: set[str]) -> bool:
    """May move at all: active, not age-exempt, not moved last cycle."""
    return (
        person.status == "active" and not age_exempt(inst, person) and (person.id not in last_cycle)
    )


def quota_eligible(inst: Instance, person: Staff) -> bool:
    """Counts in the rotation quota's base: an active, due, not age-exempt teacher."""
    return (
        person.role == "teacher"
        and person.status == "active"
        and is_due(inst, person)
        and not age_exempt(inst, person)
    )


def quota_school(inst: Instance, school: School) -> bool:
    """Carries the rotation quota [rotation.quota_stages]: urban or strong, and of a stage
    the quota covers (its stage value, e.g. ``nine_year``, or a stage it covers, e.g.
    ``primary``, listed). A kindergarten or senior high school may still exchange (out
    moves start at every advantaged school) but has no quota."""
    if not advantaged(school):
        return False
    listed = set(inst.policy.rotation.quota_stages)
    return bool(listed & (set(school.stage) | school.stages))


def counts_for_quota(inst: Instance, periods: int) -> bool:
    """An exchange this many periods long counts toward the rotation quota and the backbone
    share [rotation.min_periods_for_quota]; a shorter one still happens, uncounted."""
    return periods >= inst.policy.rotation.min_periods_for_quota


def quota_base(inst: Instance) -> Counter[str]:
    """Quota-eligible teachers per school (the base the rate is taken of)."""
    return Counter(t.school for t in inst.staff if quota_eligible(inst, t))


def quota_required(inst: Instance, base: Counter[str] | None = None) -> dict[str, int]:
    """Teachers each school carrying the quota (:func:`quota_school`) must move on exchanges
    of at least ``rotation.min_periods_for_quota``: ceil(rate x quota-eligible teachers)
    (``base``: :func:`quota_base`, when counted already)."""
    rate = inst.policy.rotation.rate
    base = quota_base(inst) if base is None else base
    out = {}
    for s in inst.schools:
        if base[s.id] and quota_school(inst, s):
            out[s.id] = math.ceil(rate * base[s.id] - 1e-9)
    return out


def outflow_limit(inst: Instance) -> dict[str, int]:
    """Staff a school may have away in one period: floor(max_outflow_share x its staff), and
    never fewer than ``rotation.min_outflow`` (a 6-staff school may send one)."""
    rot = inst.policy.rotation
    size = staff_count(inst)
    return {
        s.id: max(rot.min_outflow, math.floor(rot.max_outflow_share * size[s.id] + 1e-9))
        for s in inst.schools
    }


def outflow_floor_schools(inst: Instance) -> list[str]:
    """Schools whose share of staff alone would allow fewer away than rotation.min_outflow."""
    rot = inst.policy.rotation
    size = Counter(t.school for t in inst.staff)
    return [
        s.id
        for s in inst.schools
        if math.floor(rot.max_outflow_share * size[s.id] + 1e-9) < rot.min_outflow
    ]


def stage_fit(inst: Instance, home: School, host: School) -> str | None:
    """How a teacher of ``home`` may work at ``host`` [rotation.same_stage,
    rotation.bridge_stages]: ``"same"`` when the schools share a stage (or the rule is
    off), ``"bridge"`` when a junior-school teacher goes to a primary school and 学段衔接 is
    allowed, None otherwise."""
    rot = inst.policy.rotation
    if not rot.same_stage or home.stages & host.stages:
        return "same"
    if rot.bridge_stages and "junior" in home.stages and "primary" in host.stages:
        return "bridge"
    return None


def secondment_candidate(person: Staff) -> bool:
    """On the secondment list (挂职候选): the staff column, or by default reserve cadres and
    middle managers."""
    if person.secondment_candidate is not None:
        return person.secondment_candidate
    return person.role in CADRES


def surplus_table(inst: Instance) -> dict[tuple[str, str, int], int]:
    """(school, subject, period index) -> teachers of the subject the school can spare."""
    out: dict[tuple[str, str, int], int] = {}
    for t, period in enumerate(inst.policy.horizon.periods):
        for school, by_subject in school_needs(inst, period).items():
            for subject, need in by_subject.items():
                if need.surplus:
                    out[(school, subject, t)] = need.surplus
    return out


def arrival_needed(inst: Instance) -> set[tuple[str, str]]:
    """(school, subject) without a surplus in some period: under ``rotation.protect_sender``
    a teacher of it leaves only when one arrives (对岗互派), so a learner of that subject
    may come to learn there even when it is not the learner's partner or lead school."""
    if not inst.policy.rotation.protect_sender:
        return set()
    spare = surplus_table(inst)
    periods = range(len(inst.policy.horizon.periods))
    subjects = {(t.school, t.subject) for t in inst.staff if t.role == "teacher" and t.subject}
    return {
        (school, subject)
        for school, subject in subjects
        if any(spare.get((school, subject, t), 0) == 0 for t in periods)
    }


def preference_steps(person: Staff, host: str) -> int:
    """Steps down a mover's ranked list to ``host``: 0 for the first choice, one past the
    last for a school not on the list, 0 when the mover listed none."""
    if not person.willing:
        return 0
    if host in person.willing:
        return person.willing.index(host)
    return len(person.willing)


def host_capacity(inst: Instance, school: School, staff_count: int) -> int:
    """Incoming staff a school can take per period (its own figure, the policy's, or a share
    of its staff, at least 2)."""
    if school.host_capacity is not None:
        return school.host_capacity
    rot = inst.policy.rotation
    if rot.host_capacity is not None:
        return rot.host_capacity
    return max(2, math.floor(rot.host_capacity_share * staff_count + 1e-9))


def rural_priority(inst: Instance, person: Staff) -> bool:
    """Goes to rural placements first: few rural years, or title track without rural service."""
    few = person.rural_years < inst.policy.rotation.rural_priority_years
    return few or (person.title_track and person.rural_years == 0)


def shortages(inst: Instance, period: str) -> dict[tuple[str, str], tuple[int, int]]:
    """(school, subject) -> (shortage in teachers, priority) for one period."""
    out = {}
    for school, by_subject in school_needs(inst, period).items():
        for subject, need in by_subject.items():
            if need.shortage:
                out[(school, subject)] = (need.shortage, need.priority)
    return out


def surplus_subjects(inst: Instance) -> dict[str, set[str]]:
    """Subjects each school has in surplus (超编)."""
    out: dict[str, set[str]] = defaultdict(set)
    for school, by_subject in school_needs(inst).items():
        for subject, need in by_subject.items():
            if need.surplus:
                out[school].add(subject)
    return out


def backbone_per_100(inst: Instance) -> dict[str, float]:
    """County-level-or-above backbone teachers per 100 students, per school (before moves)."""
    bb = Counter(t.school for t in inst.staff if t.backbone in COUNTY_OR_ABOVE)
    return {s.id: 100 * bb[s.id] / s.students for s in inst.schools if s.students}


def is_young(inst: Instance, person: Staff) -> bool:
    """Young enough to be mentored (青蓝结对) [mentors.young].

    Young means ``age <= rotation.mentor_max_age`` or ``teaching_years <
    rotation.mentor_max_years``: mentees are young or new to teaching, not new to the
    school, so a 45-year-old who has just changed school is not a mentee. When
    ``teaching_years`` is unknown only the age counts; with neither known nobody can say
    the person is young, so they are not.
    """
    rot = inst.policy.rotation
    young_age = person.age is not None and person.age <= rot.mentor_max_age
    new_teacher = person.teaching_years is not None and person.teaching_years < rot.mentor_max_years
    return young_age or new_teacher


def can_mentor(person: Staff) -> bool:
    """An active county-level-or-above backbone teacher with a subject [mentors.backbone].

    名师带徒 asks for a titled teacher; one who is exempt or deferred is not asked to take
    on a young teacher.
    """
    return person.status == "active" and person.backbone in COUNTY_OR_ABOVE and bool(person.subject)


def can_be_mentored(inst: Instance, person: Staff) -> bool:
    """An active, young member of staff with a subject to be mentored in [mentors.young]."""
    return person.status == "active" and bool(person.subject) and is_young(inst, person)


def not_older(mentee: Staff, mentor: Staff) -> bool:
    """The mentee is not older than the mentor [mentors.younger].

    With both ages known the mentee is strictly younger. When an age is missing and both
    ``teaching_years`` are known, the mentee has strictly fewer years of teaching. When
    neither comparison can be made nothing shows the mentee older, so the pair is allowed:
    a county without ages and 教龄 still gets its mentors.
    """
    if mentee.age is not None and mentor.age is not None:
        return mentee.age < mentor.age
    if mentee.teaching_years is not None and mentor.teaching_years is not None:
        return mentee.teaching_years < mentor.teaching_years
    return True


def mentor_schools(
    inst: Instance, pairs: list[Pair], alliances: list[Membership]
) -> dict[str, set[str]]:
    """Schools each mentee's school may take mentors from [mentors.pair].

    A helped school of a pair takes them from its helper; a member of an alliance that is
    not urban or strong takes them from every urban or strong school of its alliance (the
    alliance shares its staff, 组团). A school never mentors its own teachers: 青蓝结对 is
    help from a stronger school.

    Returns
    -------
    dict
        Mentee school id -> mentor school ids.
    """
    schools = {s.id: s for s in inst.schools}
    out: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        if p.helper != p.helped:
            out[p.helped].add(p.helper)
    groups: dict[str, set[str]] = defaultdict(set)
    for m in alliances:
        if m.member in schools:
            groups[m.alliance].add(m.member)
    for members in groups.values():
        strong = {a for a in members if advantaged(schools[a])}
        for a in members - strong:
            out[a] |= strong
    return out


def away_staff(moves: Iterable[Move]) -> set[str]:
    """Staff with a move that takes them away from home [mentors.at_home].

    A mentor line spans the whole horizon, so anyone away in any period of it (an
    exchange, a secondment, a headship elsewhere) cannot mentor.
    """
    return {m.staff for m in moves if m.kind in AWAY_KINDS}


def first_year(period: str) -> int | None:
    """The first 4-digit year in a period's text (``2024-2025`` -> 2024), or None."""
    found = re.search(r"\d{4}", period)
    return int(found.group()) if found else None


def recent_mentor_pairs(inst: Instance) -> set[tuple[str, str]]:
    """(mentor, mentee) pairs of history still within their cycle [rotation.mentor_cycle_years].

    A mentor pair runs ``rotation.mentor_cycle_years`` years (3 by default), so a pair that
    began fewer than that many years before the horizon is not formed again. The years are
    the first 4-digit years of the history row's period and of the first period of
    ``horizon.periods`` (``2024-2025`` against ``2025-2026-1``: one year). A period
    without a year cannot be placed in time and counts as recent, so that an undated pair
    is never repeated by mistake.
    """
    cycle = inst.policy.rotation.mentor_cycle_years
    start = first_year(inst.policy.horizon.periods[0])
    out: set[tuple[str, str]] = set()
    for h in inst.history:
        if h.kind != "mentor" or not h.staff or not h.mentee:
            continue
        year = first_year(h.period)
        if start is None or year is None or start - year < cycle:
            out.add((h.staff, h.mentee))
    return out


def scope_hosts(
    inst: Instance, pairs: list[Pair], alliances: list[Membership]
) -> dict[str, set[str]]:
    """Schools each school's teachers may move out to [rotation.scope]: the pair partner,
    the other schools of its alliance, or every school of the county."""
    scope = inst.policy.rotation.scope
    hosts: dict[str, set[str]] = defaultdict(set)
    if scope == "pair":
        for p in pairs:
            hosts[p.helper].add(p.helped)
            hosts[p.helped].add(p.helper)
    elif scope == "alliance":
        groups: dict[str, set[str]] = defaultdict(set)
        for m in alliances:
            groups[m.alliance].add(m.member)
        for members in groups.values():
            for a in members:
                hosts[a] = members - {a}
    else:
        ids = {s.id for s in inst.schools}
        for a in ids:
            hosts[a] = ids - {a}
    return hosts


def partner_hosts(
    inst: Instance, pairs: list[Pair], alliances: list[Membership]
) -> dict[str, set[str]]:
    """Each school's partners within the scope: pair partners and the alliance lead.

    Learning stints (进城学艺), principals' exchanges and secondments go only here
    [rotation.scope]; under alliance scope a pair counts only inside one alliance.
    """
    scope = inst.policy.rotation.scope
    alliance_of = {m.member: m.alliance for m in alliances}
    out: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        if scope != "alliance" or alliance_of.get(p.helper) == alliance_of.get(p.helped):
            out[p.helper].add(p.helped)
            out[p.helped].add(p.helper)
    if scope != "pair":
        for m in alliances:
            if m.member != m.lead:
                out[m.member].add(m.lead)
                out[m.lead].add(m.member)
    return out


def direction(home: School, host: School) -> str | None:
    """``out`` (下乡) from an advantaged school to one that is not, ``in`` (进城学艺) the
    other way, None between two schools on the same side."""
    a, b = advantaged(home), advantaged(host)
    if a and not b:
        return "out"
    if b and not a:
        return "in"
    return None


def within_km(inst: Instance, km: float) -> bool:
    """A move no longer than ``rotation.max_km``."""
    limit = inst.policy.rotation.max_km
    return limit is None or km <= limit + 1e-9


# ---- travel: minutes one way and personal limits (issue 28) -------------------------------------


def move_minutes(inst: Instance, dist: Distances, a: str, b: str, km: float | None = None) -> float:
    """[rotation.max_minutes] Minutes of travel one way from ``a`` to ``b``: distances.csv's
    ``minutes`` where given (one direction serves both), else the km at
    ``itinerant.speed_kmh`` (the one speed the county sets, for circuits and moves alike)."""
    if a == b:
        return 0.0
    given = dist.given_minutes(a, b)
    if given is not None:
        return given
    return 60.0 * (dist.km(a, b) if km is None else km) / inst.policy.itinerant.speed_kmh


def within_minutes(inst: Instance, minutes: float) -> bool:
    """A move of no more than ``rotation.max_minutes`` one way."""
    limit = inst.policy.rotation.max_minutes
    return limit is None or minutes <= limit + 1e-9


def near_enough(inst: Instance, dist: Distances, a: str, b: str, km: float | None = None) -> bool:
    """[rotation.max_km, rotation.max_minutes] A move from ``a`` to ``b`` within both
    county limits (``km``: the distance, when the caller has it)."""
    km = dist.km(a, b) if km is None else km
    if not within_km(inst, km):
        return False
    return inst.policy.rotation.max_minutes is None or within_minutes(
        inst, move_minutes(inst, dist, a, b, km)
    )


def within_own_km(person: Staff, km: float) -> bool:
    """[staff.max_km] A move no farther than the person's own limit (个人通勤上限), when the
    staff table gives one."""
    return person.max_km is None or km <= person.max_km + 1e-9


def shortage_table(inst: Instance) -> dict[tuple[str, str, int], tuple[int, int]]:
    """(school, subject, period index) -> (shortage in teachers, priority), every period."""
    out: dict[tuple[str, str, int], tuple[int, int]] = {}
    for t, period in enumerate(inst.policy.horizon.periods):
        for (school, subject), value in shortages(inst, period).items():
            out[(school, subject, t)] = value
    return out


def staff_count(inst: Instance) -> Counter[str]:
    """Staff per school (the base of the outflow limit and of the default host capacity)."""
    return Counter(map(attrgetter("school"), inst.staff))


def durations(inst: Instance, kind: str) -> range:
    """Allowed lengths of a move in periods [rotation.min_periods, rotation.max_periods];
    a secondment lasts one period."""
    rot = inst.policy.rotation
    if kind == "secondment":
        return range(1, 2)
    return range(rot.min_periods, min(rot.max_periods, len(inst.policy.horizon.periods)) + 1)


def is_due_mover(inst: Instance, person: Staff) -> bool:
    """Counts in the exchanges' 'due staff not moved' cost: a due teacher or vice principal
    (due principals rotate by headship, counted there)."""
    return is_due(inst, person) and person.role in ("teacher", *EXCHANGE_LEADERS)


# ---- headship (校长轮岗): a due principal moves to head another school ----------------------


def principals_per_school(inst: Instance) -> Counter[str]:
    """Principals each school has in the data: the heads it must keep [rotation.one_head].

    A school missing here has no principal (a vacancy). Every principal counts, whatever
    their status: an exempt or deferred principal still heads the school.
    """
    return Counter(t.school for t in inst.staff if t.role == "principal")


def due_principal(inst: Instance, person: Staff, last_cycle: set[str]) -> bool:
    """A principal due to change headship [rotation.principal_term_years]: the principal
    (not a vice principal) after two terms at the school, and available to move.

    Only these may head another school, and each one left in place is a cost.
    """
    return (
        person.role == "principal" and is_due(inst, person) and available(inst, person, last_cycle)
    )


def may_head(inst: Instance, home: School, school: School, in_scope: set[str], km: float) -> bool:
    """Whether the principal of ``home`` may head ``school``: another school of a shared
    stage [rotation.headship_stage], within the scope [rotation.scope] and ``max_km``
    [rotation.max_km].

    The stage is a qualification: a primary principal heads a primary (or nine-year)
    school, never a junior-only one; and a head stays within the stage family
    [rotation.headship_bridge] (:func:`headship_family`). A school at an unknown distance
    (no coordinates and no row in distances.csv) is left out: its km could not be priced.
    """
    return (
        school.id != home.id
        and school.id in in_scope
        and share_stage(home, school)
        and headship_family(inst, home, school)
        and math.isfinite(km)
        and within_km(inst, km)
    )


def headship_schools(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    dist: Distances,
) -> dict[str, list[tuple[str, float]]]:
    """Per home school, the schools its principal may head (:func:`may_head`, and within
    ``rotation.max_minutes``: :func:`near_enough`), with km.

    The scope is :func:`scope_hosts`' (pair partner, same alliance, or county), not the
    partner-or-lead reach of a one-semester exchange: a change of headship may go to any
    school of the alliance.
    """
    scope = scope_hosts(inst, pairs, alliances)
    schools = {s.id: s for s in inst.schools}
    out: dict[str, list[tuple[str, float]]] = {}
    for home in inst.schools:
        row = []
        for sid in sorted(scope.get(home.id, set())):
            km = dist.km(home.id, sid)
            if may_head(inst, home, schools[sid], scope[home.id], km) and near_enough(
                inst, dist, home.id, sid, km
            ):
                row.append((sid, km))
        out[home.id] = row
    return out


# ---- cadres and heads: small schools, growth, stage families (人事科's rules) -------------------

#: Roles whose stint at another school on an exchange makes them a visiting cadre there
#: (anyone on a secondment, 挂职, is one) [rotation.small_school_pupils].
VISITING_CADRES = ("vice_principal", "middle_manager", "reserve_cadre")

#: Tiers from weakest to strongest: a school is stronger than another of a lower rank.
TIER_RANK = {"weak": 0, "ordinary": 1, "strong": 2}


def small_school(inst: Instance, school: School) -> bool:
    """Fewer pupils than ``rotation.small_school_pupils`` (a school whose pupils are not
    given is not counted small: nothing says it is)."""
    limit = inst.policy.rotation.small_school_pupils
    return school.students is not None and school.students < limit


def visiting_cadre(person: Staff, kind: str) -> bool:
    """Whether a move of this kind makes the person a visiting cadre at the host (and a
    cadre away from home) [rotation.small_school_pupils]: a vice principal, middle manager
    or reserve cadre on an exchange, or anyone on a secondment (挂职)."""
    return kind == "secondment" or (kind == "exchange" and person.role in VISITING_CADRES)


def grows(home: School, host: School) -> bool:
    """The host is larger or stronger than home: more pupils (both counts given), or a
    higher tier (weak < ordinary < strong)."""
    larger = home.students is not None and host.students is not None
    larger = larger and (host.students or 0) > (home.students or 0)
    return larger or TIER_RANK[host.tier] > TIER_RANK[home.tier]


def secondment_grows(inst: Instance, person: Staff, home: School, host: School) -> bool:
    """[rotation.secondment_growth] Whether seconding this person to ``host`` is for their
    growth, as the rule asks.

    What counts as growth: a reserve cadre (后备干部, role ``reserve_cadre``) is being
    prepared to lead a school, so they are seconded to learn at a school larger (more
    pupils) or stronger (a higher tier) than their own (挂职学习 at an advanced school,
    拔高使用: a bigger charge than home gives), never to whatever school has room. A
    middle manager's secondment is growth at any partner (城区中层干部到农村学校挂职锻炼,
    农村中层干部到城区学校挂职学习), and so is anyone's when the rule is off.
    """
    return not growth_asked(inst, person) or grows(home, host)


def growth_asked(inst: Instance, person: Staff) -> bool:
    """Whether the person's secondment must be for growth (:func:`secondment_grows`): a
    reserve cadre, with ``rotation.secondment_growth`` on."""
    return inst.policy.rotation.secondment_growth and person.role == "reserve_cadre"


def headship_family(inst: Instance, home: School, school: School) -> bool:
    """[rotation.headship_bridge] A change of head stays within the stage family: the two
    schools cover the same stages (primary with primary, junior with junior, nine-year with
    nine-year). With ``rotation.headship_bridge`` a school may also hand its head to, or take
    one from, a school covering part of its stages (nine-year to primary or junior)."""
    if home.stages == school.stages:
        return True
    return inst.policy.rotation.headship_bridge and (
        home.stages < school.stages or school.stages < home.stages
    )


def may_take_over(inst: Instance, person: Staff, home: School, school: School) -> bool:
    """[rotation.headship_weak_to_strong] The head of a weak school takes over a strong one
    only with a county-level-or-above backbone title, or when the policy allows it."""
    if home.tier != "weak" or school.tier != "strong":
        return True
    return inst.policy.rotation.headship_weak_to_strong or person.backbone in COUNTY_OR_ABOVE
