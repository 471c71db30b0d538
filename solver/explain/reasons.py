"""Why a plan is what it is: each roster line's reason, what moves a person (or why they
stay), what the plan does at a school, the objective per rule and the costliest unmet
needs. Every sentence is a message (``explain.*``), rendered when shown."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from twinning.county.instance import Instance
from twinning.explain import _words as words
from twinning.explain._words import rule
from twinning.messages import Msg, msg
from twinning.parts import PARTS
from twinning.plan import Plan
from twinning.rules.cover import covers

__all__ = [
    "move_reason_rows",
    "move_reasons",
    "objective_breakdown",
    "school_costs",
    "school_reasons",
]


class _Why:
    """What the reasons of moves are read from, built once per plan."""

    def __init__(self, inst: Instance) -> None:
        from twinning.rules import roster as rules

        self.inst = inst
        self.rules = rules
        self.people = {p.id: p for p in inst.staff}
        self.schools = {s.id: s for s in inst.schools}
        self.short: dict[tuple[str, str, str], tuple[int, int]] = {}
        for period in inst.policy.horizon.periods:
            for (school, subject), figures in rules.shortages(inst, period).items():
                self.short[(school, subject, period)] = figures
        self.quota = rules.quota_required(inst)

    def of(self, m: Any) -> Msg:
        """Why one roster line: need filled, learning, due, quota, rural priority, choice."""
        person = self.people.get(m.staff)
        if person is None:
            return msg("explain.reason.unknown_staff")
        if m.fixed:
            return msg("explain.reason.pinned")
        if m.kind == "mentor":
            return msg("explain.reason.mentor", mentee=m.mentee, school=m.to_school)
        why: list[Msg] = []
        need = self.short.get((m.to_school, person.subject or "", m.first_period))
        if m.direction == "out" and need and need[0] > 0:
            why.append(
                msg("explain.reason.need", subject=person.subject, n=need[0], school=m.to_school)
            )
        if m.direction == "in":
            why.append(
                msg("explain.reason.learns", school=m.to_school, rule=rule("rotation.two_way"))
            )
        if self.rules.is_due(self.inst, person):
            why.append(
                msg("explain.reason.due", years=person.years_at_school, school=person.school)
            )
        if m.direction == "out" and person.school in self.quota:
            why.append(
                msg(
                    "explain.reason.quota",
                    school=person.school,
                    n=self.quota[person.school],
                    rule=rule("rotation.rate"),
                )
            )
        if (
            self.rules.rural_priority(self.inst, person)
            and self.schools[m.to_school].area == "rural"
        ):
            why.append(msg("explain.reason.rural_priority"))
        if person.willing and m.to_school in person.willing:
            rank = person.willing.index(m.to_school) + 1
            why.append(msg("explain.reason.choice", rank=rank))
        if not why:
            return msg("explain.reason.cheaper")
        return msg("explain.reason.parts", parts=why)


def move_reason_rows(inst: Instance, plan: Plan) -> list[dict[str, Any]]:
    """Each roster line's short reason (written as reasons.csv beside roster.csv)."""
    why = _Why(inst)
    return [
        {
            "staff": m.staff,
            "kind": m.kind,
            "from_school": m.from_school,
            "to_school": m.to_school,
            "first_period": m.first_period,
            "reason": why.of(m),
        }
        for m in sorted(plan.roster, key=lambda m: (m.kind, m.staff, m.first_period))
    ]


def move_reasons(inst: Instance, plan: Plan, staff_id: str) -> list[Msg]:
    """Short reasons for each of a person's lines in the plan (roster, circuits, outreach),
    or why the person does not move."""
    from twinning.rules import roster as rules

    person = {p.id: p for p in inst.staff}.get(staff_id)
    if person is None:
        return [msg("explain.staff.unknown", staff=staff_id)]
    why = _Why(inst)
    out: list[Msg] = [
        msg(
            "explain.staff.move",
            kind=m.kind,
            from_school=m.from_school,
            to_school=m.to_school,
            first_period=m.first_period,
            periods=m.periods,
            why=why.of(m),
        )
        for m in sorted(plan.roster, key=lambda m: (m.first_period, m.kind))
        if m.staff == staff_id
    ]
    days = sorted(
        {
            (c.weekday, c.school)
            for c in plan.circuits
            if c.staff == staff_id and c.school != c.home_school
        }
    )
    if days:
        said = [msg("explain.staff.circuit_day", weekday=d, school=s) for d, s in days]
        out.append(msg("explain.staff.circuit", days=said, subject=person.subject))
    visits = [v for v in plan.outreach if v.staff == staff_id]
    if visits:
        said = [
            msg("explain.staff.visit", week=v.week, school=v.to_school, kind=v.kind) for v in visits
        ]
        out.append(msg("explain.staff.outreach", n=len(visits), visits=said))
    away = [m for m in plan.roster if m.staff == staff_id and m.kind != "mentor"]
    if away or (out and not rules.is_due(inst, person)):
        return out
    # no move away (a mentor line is not one): why the person stays at home
    return [*out, msg("explain.staff.stays", staff=staff_id, why=_stays(inst, plan, person))]


def _stays(inst: Instance, plan: Plan, person: Any) -> Msg:
    """Why ``person`` has no move away in ``plan``: the rule that keeps them, else the
    plan's choice said with the school's quota figures as the checker counts them."""
    from twinning.rules import roster as rules

    last = rules.moved_last_cycle(inst)
    if not rules.available(inst, person, last):
        if person.id in last:
            return msg("explain.stays.last_cycle", rule=rule("rotation.last_cycle"))
        if rules.age_exempt(inst, person):
            return msg("explain.stays.exempt_age", rule=rule("rotation.exempt_age"))
        return msg("explain.stays.inactive")
    if not rules.is_due(inst, person):
        return msg(
            "explain.stays.not_due",
            years=person.years_at_school,
            school=person.school,
            due=inst.policy.rotation.due_years,
            rule=rule("rotation.due_years"),
        )
    if person.role != "teacher":
        return msg("explain.stays.leader")
    figures = _Quota(inst, plan)
    if "roster" in plan.parts:
        kept = figures.kept(person)
        if kept is not None:
            return msg("explain.stays.rule", why=kept)
    school = person.school
    quota = figures.quota.get(school)
    if quota is None:
        return msg("explain.stays.no_quota", school=school, rule=rule("rotation.quota_stages"))
    sent = figures.sent[school]
    said = {"school": school, "sent": sent, "quota": quota, "rule": rule("rotation.rate")}
    if sent >= quota:
        return msg("explain.stays.quota_met", **said)
    why = figures.why().get(school, "")
    if inst.policy.rotation.cap_quota:
        cap = words.setting("rotation.cap_quota", True)
        return msg("explain.stays.quota_capped", cap=cap, why=why, **said)
    return msg("explain.stays.quota_missed", why=why, **said)


class _Quota:
    """A plan's quota figures as the checker counts them (rotation.rate: teachers on
    exchanges of at least rotation.min_periods_for_quota), and why a school is below."""

    def __init__(self, inst: Instance, plan: Plan) -> None:
        from twinning.county.distances import Distances
        from twinning.rules import roster as rules
        from twinning.rules.quota import counted_sent

        self.inst, self.plan = inst, plan
        self.dist = Distances(inst)
        self.quota = rules.quota_required(inst)
        self.sent = counted_sent(inst, plan.roster)

    def kept(self, person: Any) -> Msg | None:
        from twinning.rules.quota import kept_home

        p = self.plan
        return kept_home(self.inst, p.pairs, p.alliances, self.dist, p.roster, person)

    def why(self) -> dict[str, Msg]:
        from twinning.rules.quota import quota_reasons

        p = self.plan
        return quota_reasons(self.inst, p.pairs, p.alliances, self.dist, p.roster)


def school_reasons(inst: Instance, plan: Plan, school_id: str, checked: Any = None) -> list[Msg]:
    """What the plan does at a school and what stays short there, with the rules: its
    sends and arrivals as the roster's school table counts them (a mentor line is not a
    send), its quota as the checker counts it, and the rules the checker finds broken
    there (``checked``: the plan's validation report, when made already)."""
    from twinning.validation import validate

    if school_id not in {s.id for s in inst.schools}:
        return [msg("explain.school.unknown", school=school_id)]
    out: list[Msg] = []
    lines = [m for m in plan.roster if m.kind != "mentor"]
    sent = [m for m in lines if m.from_school == school_id]
    came = [m for m in lines if m.to_school == school_id]
    out.append(msg("explain.school.moves", school=school_id, sent=len(sent), received=len(came)))
    mentors = [m for m in plan.roster if m.kind == "mentor" and m.from_school == school_id]
    if mentors:
        out.append(msg("explain.school.mentors", n=len(mentors), school=school_id))
    figures = _Quota(inst, plan)
    quota = figures.quota.get(school_id)
    if quota is not None and "roster" in plan.parts:
        counted = figures.sent[school_id]
        said = {
            "quota": quota,
            "rule": rule("rotation.rate"),
            "counted": counted,
            "k": inst.policy.rotation.min_periods_for_quota,
        }
        if counted >= quota:
            out.append(msg("explain.school.quota_met", **said))
        else:
            missing = quota - counted
            if inst.policy.rotation.cap_quota:
                cap = words.setting("rotation.cap_quota", True)
                out.append(msg("explain.school.quota_capped", missing=missing, cap=cap, **said))
            else:
                out.append(msg("explain.school.quota_missed", missing=missing, **said))
            why = figures.why()
            if school_id in why:
                out.append(msg("explain.school.quota_why", why=why[school_id]))
    broken = sorted(
        {v.rule for v in (checked or validate(inst, plan)).violations if school_id in v.where}
        - {"rotation.rate"}
    )
    if broken:
        out.append(msg("explain.school.violations", n=len(broken), rules=[rule(k) for k in broken]))
    for u in covers(inst, plan):  # shortages the roster and the circuits leave
        if u.school == school_id and u.left > 0:
            out.append(
                msg(
                    "explain.school.short",
                    subject=u.subject,
                    period=u.period,
                    shortage=u.shortage,
                    covered=u.covered,
                )
            )
    for w in plan.unmet_lessons:
        if w.school == school_id:
            out.append(
                msg(
                    "explain.school.lessons",
                    subject=w.subject,
                    needed=w.weekly_lessons,
                    covered=w.covered,
                )
            )
    pairs = [p for p in plan.pairs if school_id in (p.helper, p.helped)]
    for p in pairs:
        if p.why.code != "text" or p.why.params.get("text"):
            out.append(msg("explain.school.pair_why", helper=p.helper, helped=p.helped, why=p.why))
        else:
            out.append(msg("explain.school.pair", helper=p.helper, helped=p.helped))
    return out


def objective_breakdown(inst: Instance, report: Any) -> list[tuple[str, str, float, float | None]]:
    """(part, term, amount, cost) of each part's objective as the checker recounts it:
    the cost is the amount times the price its part's record names for it (None where a
    term is priced another way, e.g. weighted by priority); a last row per part holds its
    objective. A term the record does not know is a defect (the record must list every
    term its checker counts), never a term shown without a cost."""
    rows: list[tuple[str, str, float, float | None]] = []
    for part, objective in report.objectives.items():
        record = PARTS[part]
        for name, value in objective.terms.items():
            term = record.term(name)
            if term is None:
                raise KeyError(f"part {part}: objective term {name!r} has no record")
            price = term.price(inst.policy)
            rows.append((part, name, float(value), None if price is None else float(value) * price))
        rows.append((part, "objective", float(objective.value), float(objective.value)))
    return rows


def school_costs(inst: Instance, plan: Plan, top: int = 10) -> list[tuple[str, float, Msg]]:
    """The schools whose shortages the roster leaves costing most (weights.roster_need x
    priority weight per teacher-period left), with what is short."""
    w8 = inst.policy.weights
    weights = inst.policy.needs.priority_weights
    cost: dict[str, float] = defaultdict(float)
    what: dict[str, list[Msg]] = defaultdict(list)
    for u in plan.unmet_needs:
        left = u.shortage - u.covered
        if left > 0:
            cost[u.school] += w8.roster_need * weights.get(u.priority, 1) * left
            what[u.school].append(
                msg("explain.cost.item", subject=u.subject, n=left, period=u.period)
            )
    ranked = sorted(cost.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [
        (school, value, msg("explain.cost.short", items=what[school])) for school, value in ranked
    ]
