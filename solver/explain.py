"""Why an instance has no plan: the rules that conflict, and the smallest changes that
repair it, each checked by solving again.

The rules are taken as a black box through their policy keys: each rule of the
catalogue below can be switched off (a value under which it never binds). Deletion
filtering finds an irreducible conflict: starting from every rule on, each rule in turn
is switched off for good when the instance stays infeasible without it; what remains is
a set of rules that conflict, none of which can be dropped from the set. For each rule of
that set, the smallest change of its own value (the others as the planner set them) that
lets a plan keep every rule is searched on a ladder of values and confirmed by a solve;
host capacity is repaired where it binds, school by school.

Each step is a solve of the parts that are infeasible, the parts before them taken from
one first solve (so pairs and alliances do not move while the roster's rules are tried).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from twinning.county.instance import Instance, with_policy
from twinning.plan import PART_ORDER, Plan
from twinning.rules.roster import host_capacity

__all__ = ["Explanation", "Repair", "explain_infeasible"]

#: Host capacity that never binds (people a school takes per period).
NO_LIMIT = 100_000


@dataclass(frozen=True)
class Rule:
    """A rule the explanation may switch off or loosen."""

    key: str
    off: Callable[[Instance], Instance]
    #: values to try, nearest the planner's first (None: only on and off)
    ladder: Callable[[Instance], list[Any]] | None = None


def _setting(key: str, value: Any) -> Callable[[Instance], Instance]:
    return lambda inst: with_policy(inst, {key: value})


def _no_host_capacity(inst: Instance) -> Instance:
    schools = [s.model_copy(update={"host_capacity": None}) for s in inst.schools]
    out = with_policy(inst, {"rotation.host_capacity": NO_LIMIT})
    return out.model_copy(update={"schools": schools})


def _get(inst: Instance, key: str) -> Any:
    node: Any = inst.policy
    for part in key.split("."):
        node = getattr(node, part)
    return node


def _steps(key: str, step: float, end: float, *, down: bool) -> Callable[[Instance], list[Any]]:
    """Values from the planner's, one ``step`` at a time, to ``end``."""

    def ladder(inst: Instance) -> list[Any]:
        now = float(_get(inst, key))
        n = max(0, math.ceil(abs(now - end) / step - 1e-9))
        vals = [round(now - k * step if down else now + k * step, 4) for k in range(1, n + 1)]
        vals = [v for v in vals if (v >= end if down else v <= end)]
        return vals if vals and vals[-1] == end else [*vals, end]

    return ladder


def _km_ladder(inst: Instance) -> list[Any]:
    now = inst.policy.rotation.max_km
    if now is None:
        return []
    return [round(now + 5 * k, 1) for k in range(1, 40)] + [None]


#: The rules the roster can conflict on, the goal (the rate) last: deletion filtering
#: drops the rules tried first when it can, so the rate stays in any conflict it is in.
ROSTER_RULES: tuple[Rule, ...] = (
    Rule("balance.target", _setting("balance.target", "objective")),
    Rule("rotation.secondment_count", _setting("rotation.secondment_count", None)),
    Rule("rotation.keep_subject_cover", _setting("rotation.keep_subject_cover", False)),
    Rule("rotation.surplus_first", _setting("rotation.surplus_first", False)),
    Rule("rotation.protect_sender", _setting("rotation.protect_sender", False)),
    Rule("rotation.same_stage", _setting("rotation.same_stage", False)),
    Rule(
        "rotation.two_way_share",
        _setting("rotation.two_way_share", 0.0),
        _steps("rotation.two_way_share", 0.05, 0.0, down=True),
    ),
    Rule(
        "rotation.backbone_share",
        _setting("rotation.backbone_share", 0.0),
        _steps("rotation.backbone_share", 0.05, 0.0, down=True),
    ),
    Rule("rotation.scope", _setting("rotation.scope", "county"), lambda i: ["county"]),
    Rule("rotation.max_km", _setting("rotation.max_km", None), _km_ladder),
    Rule("rotation.host_capacity", _no_host_capacity),
    Rule(
        "rotation.max_outflow_share",
        _setting("rotation.max_outflow_share", 1.0),
        _steps("rotation.max_outflow_share", 0.05, 1.0, down=False),
    ),
    Rule(
        "rotation.rate",
        _setting("rotation.rate", 0.0),
        _steps("rotation.rate", 0.01, 0.0, down=True),
    ),
)

RULES: dict[str, tuple[Rule, ...]] = {"roster": ROSTER_RULES}


@dataclass
class Repair:
    """One change that lets a plan keep every rule (checked by a solve)."""

    key: str
    change: str  # in planner terms
    settings: dict[str, Any] = field(default_factory=dict)
    host_capacity: dict[str, int] = field(default_factory=dict)  # school -> new capacity

    def apply(self, inst: Instance) -> Instance:
        out = with_policy(inst, self.settings)
        if self.host_capacity:
            schools = [
                s.model_copy(update={"host_capacity": self.host_capacity[s.id]})
                if s.id in self.host_capacity
                else s
                for s in out.schools
            ]
            out = out.model_copy(update={"schools": schools})
        return out


@dataclass
class Explanation:
    """Why the parts asked have no plan, and what would repair it."""

    part: str | None  # the first part with no plan keeping every rule (None: feasible)
    status: str  # of the first solve
    message: str  # the part's own message (every school and amount)
    misses: list[Any] = field(default_factory=list)  # the checker's, every school and amount
    conflict: list[str] = field(default_factory=list)  # policy keys, irreducible
    repairs: list[Repair] = field(default_factory=list)
    solves: int = 0
    seconds: float = 0.0
    complete: bool = True  # False: out of time before every step was done
    undecided: int = 0  # solves that ended with no plan and no proof within the step limit

    @property
    def feasible(self) -> bool:
        return self.part is None

    def short(self) -> str:
        if self.feasible:
            return "the instance has a plan keeping every rule"
        text = ""
        if self.conflict:
            text = f"{self.part}: the rules {', '.join(self.conflict)} conflict"
        if self.repairs:
            text += "; any one of these repairs it: " + "; or ".join(r.change for r in self.repairs)
        if not self.complete:
            text += " (explanation cut short by the time limit)"
        return text


def _first_bad(result: Any) -> str | None:
    for name in PART_ORDER:
        part = result.parts.get(name)
        if part is not None and part.status in ("infeasible", "unknown"):
            return name
    return None


def explain_infeasible(
    inst: Instance,
    parts: str | None = None,
    *,
    time_limit: float = 60.0,
    step_limit: float = 10.0,
    seed: int = 0,
    first: Any = None,
    baseline: Plan | None = None,
) -> Explanation:
    """Solve, and when a part has no plan keeping every rule, find the rules that
    conflict and the smallest repairs (see the module docstring). ``time_limit`` bounds the
    whole explanation, ``step_limit`` each solve in it; ``first`` is the result of a
    solve already made (not solved again); ``baseline`` is a plan to re-plan on."""
    from twinning.solving import solve

    start = time.perf_counter()
    if first is None:
        first = solve(inst, parts, time_limit=step_limit, seed=seed, baseline=baseline)
    bad = _first_bad(first)
    if bad is None:
        return Explanation(None, first.status, "", seconds=time.perf_counter() - start)
    message = first.parts[bad].message or ""
    out = Explanation(bad, first.parts[bad].status, message, list(first.missed), solves=1)
    rules = RULES.get(bad)
    if not rules:
        out.seconds = time.perf_counter() - start
        return out
    ok = _Oracle(first.plan, bad, start + time_limit, step_limit, seed, out, baseline)

    # The cheap repair first, so that a short time still gives one: every school held at
    # what it can send (rotation.cap_quota), when the quota is what is missed.
    quota_missed = any(v.rule == "rotation.rate" for v in out.misses)
    capped = with_policy(inst, {"rotation.cap_quota": True})
    if quota_missed and not inst.policy.rotation.cap_quota and ok(capped):
        out.repairs.append(
            Repair(
                "rotation.cap_quota",
                "rotation.cap_quota = true (each school sends what the other rules let it, "
                "the shortfall listed)",
                {"rotation.cap_quota": True},
            )
        )
    # Deletion filtering: switch each rule off for good when the part stays infeasible.
    enforced = list(rules)
    current = inst
    for rule in rules[:-1]:
        relaxed = rule.off(current)
        verdict = ok(relaxed)
        if verdict is None:
            out.complete = False
            break
        if not verdict:
            enforced.remove(rule)
            current = relaxed
    out.conflict = [r.key for r in enforced]
    # Each conflicting rule alone, the others as the planner set them (the rate first:
    # the nearest rate that can be met), where one change is enough.
    for rule in sorted(enforced, key=lambda r: r.key != "rotation.rate"):
        if time.perf_counter() > ok.deadline:
            out.complete = False
            break
        alone = _repair(inst, rule, ok)
        if alone is not None:
            out.repairs.append(alone)
    # A set of changes that together repair it, as few rules as the order allows, keeping
    # the rate: switch rules off in turn until a plan exists, put back each that is not
    # needed, then bring each one left as near the planner's value as still works.
    if time.perf_counter() <= ok.deadline:
        others = [r for r in rules if r.key != "rotation.rate"]
        fixes = _correction(inst, [r for r in others if r.key in out.conflict] + others, ok)
        if fixes is None:
            out.complete = False
        elif fixes.change and not any(r.settings == fixes.settings for r in out.repairs):
            out.repairs.append(fixes)
    out.seconds = time.perf_counter() - start
    return out


def _correction(inst: Instance, order: list[Rule], ok: _Oracle) -> Repair | None:
    """Rules switched off in ``order`` (first occurrence) until a plan exists, those not
    needed put back, each kept one at the value nearest the planner's that still works;
    one :class:`Repair` of them all (None: out of time; an empty repair: none found)."""
    seen: list[Rule] = []
    for rule in order:
        if rule not in seen:
            seen.append(rule)
    off: list[Rule] = []
    current = inst
    for rule in seen:
        current = rule.off(current)
        off.append(rule)
        verdict = ok(current)
        if verdict is None:
            return None
        if verdict:
            break
    else:
        return Repair("", "")
    for rule in list(off[:-1]):  # the last one switched off is needed
        trial = inst
        for other in off:
            if other is not rule:
                trial = other.off(trial)
        verdict = ok(trial)
        if verdict is None:
            return None
        if verdict:
            off.remove(rule)
    # each rule of the set as near the planner's value as works, the others off
    settings: dict[str, Any] = {}
    capacity: dict[str, int] = {}
    chosen: list[Repair] = []
    for rule in off:
        base = inst
        for other in off:
            if other is not rule:
                base = other.off(base) if other.key not in settings else base
        base = with_policy(base, settings)
        base = Repair("", "", host_capacity=capacity).apply(base)
        found = _repair(base, rule, ok)
        if found is None:  # the rule must be off entirely
            changed = _changed(inst, rule.off(inst))
            if rule.key == "rotation.host_capacity":
                own = {s.id: NO_LIMIT for s in inst.schools if s.host_capacity is not None}
                found = Repair(rule.key, "no host capacity limit", changed, own)
            else:
                found = Repair(rule.key, _say_settings(changed), changed)
        settings.update(found.settings)
        capacity.update(found.host_capacity)
        chosen.append(found)
    kept = list(zip(off, chosen, strict=True))
    # with the values found, a rule whose change is no longer needed goes back as it was
    for item in list(kept):
        if len(kept) == 1:
            break
        rest = [k for k in kept if k is not item]
        verdict = ok(_together(rest).apply(inst))
        if verdict is None:
            return None
        if verdict:
            kept = rest
    repair = _together(kept)
    return repair if ok(repair.apply(inst)) else Repair("", "")


def _together(found: list[tuple[Rule, Repair]]) -> Repair:
    """One repair of several rules' changes."""
    settings: dict[str, Any] = {}
    capacity: dict[str, int] = {}
    for _, r in found:
        settings.update(r.settings)
        capacity.update(r.host_capacity)
    return Repair(
        " + ".join(rule.key for rule, _ in found),
        " and ".join(r.change for _, r in found),
        settings,
        capacity,
    )


class _Oracle:
    """Whether the part has a plan keeping every rule under a changed instance (None:
    out of time); the parts before it taken from the first solve."""

    def __init__(
        self,
        plan: Plan,
        part: str,
        deadline: float,
        step_limit: float,
        seed: int,
        out: Explanation,
        baseline: Plan | None,
    ) -> None:
        self.given = _before(plan, part)
        self.part = part
        self.deadline = deadline
        self.step_limit = step_limit
        self.seed = seed
        self.out = out
        self.baseline = baseline

    def solve(self, candidate: Instance) -> Any:
        from twinning.solving import solve

        left = self.deadline - time.perf_counter()
        if left <= 0.5:
            return None
        self.out.solves += 1
        return solve(
            candidate,
            self.part,
            time_limit=min(self.step_limit, left),
            seed=self.seed,
            given=self.given,
            baseline=self.baseline,
        )

    def __call__(self, candidate: Instance) -> bool | None:
        if self.part == "roster" and _quota_out_of_reach(candidate, self.given):
            return False  # no plan can meet the quota: no search needed to know it
        result = self.solve(candidate)
        if result is None:
            return None
        status = result.parts[self.part].status
        if status == "unknown":
            self.out.undecided += 1  # counted as no plan: said in the explanation
        return bool(status in ("optimal", "feasible"))


def _quota_out_of_reach(inst: Instance, given: Plan) -> bool:
    """Whether some school's rotation.rate quota is beyond the teachers who could go out
    at all (the roster's own reach count: options within the outflow limit), in which
    case the roster is infeasible whatever the search does."""
    if inst.policy.rotation.cap_quota:
        return False
    from twinning.county.distances import Distances
    from twinning.models.roster.options import build_roster_data

    data = build_roster_data(inst, given.pairs, given.alliances, Distances(inst))
    return any(data.quota_reach.get(s, 0) < need for s, need in data.quota.items())


def _before(plan: Plan, part: str) -> Plan:
    """The plan with only the parts before ``part`` (given to the solve as fixed)."""
    keep = PART_ORDER[: PART_ORDER.index(part)]
    return plan.model_copy(update={"parts": [p for p in plan.parts if p in keep]})


def _repair(inst: Instance, rule: Rule, ok: _Oracle) -> Repair | None:
    """The value of one rule nearest the planner's that lets a plan keep every rule (the
    other rules as ``inst`` has them), or None."""
    if rule.key == "rotation.host_capacity":
        return _repair_capacity(inst, ok)
    values = rule.ladder(inst) if rule.ladder is not None else []
    if not values:
        off = rule.off(inst)
        if ok(off):
            changed = _changed(inst, off)
            return Repair(rule.key, _say_settings(changed), changed)
        return None
    # The ladder's last value is the rule switched off: when even that fails, no value
    # of this rule alone repairs it. Otherwise bisect for the nearest value that works.
    last = values[-1]
    if not ok(with_policy(inst, {rule.key: last})):
        return None
    lo, hi = -1, len(values) - 1  # values[hi] works; values[lo] (or the planner's) does not
    while hi - lo > 1:
        mid = (lo + hi) // 2
        verdict = ok(with_policy(inst, {rule.key: values[mid]}))
        if verdict is None:
            break
        if verdict:
            hi = mid
        else:
            lo = mid
    value = values[hi]
    return Repair(rule.key, f"{rule.key} = {_say(value)}", {rule.key: value})


def _changed(before: Instance, after: Instance) -> dict[str, Any]:
    a, b = before.policy.model_dump(), after.policy.model_dump()
    out: dict[str, Any] = {}
    for section, values in b.items():
        for key, value in values.items():
            if a[section][key] != value:
                out[f"{section}.{key}"] = value
    return out


def _say(value: Any) -> str:
    if value is None:
        return "no limit"
    if isinstance(value, bool):
        return "true" if value else "false"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _say_settings(settings: dict[str, Any]) -> str:
    return " and ".join(f"{k} = {_say(v)}" for k, v in settings.items())


def _repair_capacity(inst: Instance, ok: _Oracle) -> Repair | None:
    """Host capacity raised only where a plan without the limit needs more: solve with
    no host limit, let the checker say which hosts that plan overfills against the
    planner's capacities and by how much, and raise those schools by that much; the
    repair holds when a solve with those capacities keeps every rule."""
    from twinning.validation import validate

    result = ok.solve(_no_host_capacity(inst))
    if result is None or result.parts[ok.part].status not in ("optimal", "feasible"):
        return None
    over: dict[str, int] = defaultdict(int)
    for v in validate(inst, result.plan).violations:
        if v.rule == "rotation.host_capacity" and v.amount:
            over[v.where[0]] = max(over[v.where[0]], int(v.amount))
    if not over:
        return None
    size: dict[str, int] = defaultdict(int)
    for person in inst.staff:
        size[person.school] += 1
    now = {s.id: host_capacity(inst, s, size[s.id]) for s in inst.schools if s.id in over}
    raise_to = {s: now[s] + n for s, n in over.items()}
    repair = Repair(
        "rotation.host_capacity",
        f"raise host capacity at {len(raise_to)} school(s): "
        + ", ".join(f"{s} {now[s]} -> {n}" for s, n in sorted(raise_to.items())),
        host_capacity=raise_to,
    )
    return repair if ok(repair.apply(inst)) else None


# ---- why a plan is what it is ---------------------------------------------------------


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

    def of(self, m: Any) -> str:
        """Why one roster line: need filled, learning, due, quota, rural priority, choice."""
        person = self.people.get(m.staff)
        if person is None:
            return "not in the instance"
        if m.fixed:
            return "pinned in fixed.csv"
        if m.kind == "mentor":
            return f"mentors {m.mentee} (young teacher at {m.to_school})"
        why = []
        need = self.short.get((m.to_school, person.subject or "", m.first_period))
        if m.direction == "out" and need and need[0] > 0:
            why.append(f"fills a {person.subject} shortage of {need[0]} at {m.to_school}")
        if m.direction == "in":
            why.append(f"learns at {m.to_school} (进城学艺, rotation.two_way)")
        if self.rules.is_due(self.inst, person):
            why.append(f"due: {person.years_at_school} years at {person.school}")
        if m.direction == "out" and person.school in self.quota:
            why.append(f"{person.school} must move {self.quota[person.school]} (rotation.rate)")
        if (
            self.rules.rural_priority(self.inst, person)
            and self.schools[m.to_school].area == "rural"
        ):
            why.append("few rural years (rotation.rural_priority_years)")
        if person.willing and m.to_school in person.willing:
            why.append(f"choice {person.willing.index(m.to_school) + 1} of their list")
        return "; ".join(why) or "a cheaper plan overall"


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


def move_reasons(inst: Instance, plan: Plan, staff_id: str) -> list[str]:
    """Short reasons for each of a person's lines in the plan (roster, circuits, outreach),
    or why the person does not move."""
    from twinning.rules import roster as rules

    person = {p.id: p for p in inst.staff}.get(staff_id)
    if person is None:
        return [f"{staff_id}: no such staff in the instance"]
    why = _Why(inst)
    out: list[str] = [
        f"{m.kind} {m.from_school} -> {m.to_school} from {m.first_period} for "
        f"{m.periods} period(s): {why.of(m)}"
        for m in sorted(plan.roster, key=lambda m: (m.first_period, m.kind))
        if m.staff == staff_id
    ]
    days = sorted({(c.weekday, c.school) for c in plan.circuits if c.staff == staff_id})
    if days:
        out.append(
            "走教 circuit: "
            + ", ".join(f"{d} {s}" for d, s in days)
            + f" (spare {person.subject} lessons, unmet at those schools)"
        )
    visits = [v for v in plan.outreach if v.staff == staff_id]
    if visits:
        out.append(
            f"outreach: {len(visits)} visit(s): "
            + ", ".join(f"week {v.week} {v.to_school} ({v.kind})" for v in visits)
        )
    if out:
        return out
    last = rules.moved_last_cycle(inst)
    if not rules.available(inst, person, last):
        if person.id in last:
            return [f"{staff_id} does not move: moved in the last cycle (rotation.last_cycle)"]
        if rules.age_exempt(inst, person):
            return [f"{staff_id} does not move: exempt by age (rotation.exempt_age)"]
        return [f"{staff_id} does not move: not active (staff status)"]
    if not rules.is_due(inst, person):
        return [
            f"{staff_id} does not move: {person.years_at_school} years at {person.school}, "
            f"due after {inst.policy.rotation.due_years} (rotation.due_years), and the plan "
            "meets its rules without them"
        ]
    return [
        f"{staff_id} does not move: due, but the plan keeps every rule at lower cost without "
        "this move (other teachers fill the needs and the quota)"
    ]


def school_reasons(inst: Instance, plan: Plan, school_id: str) -> list[str]:
    """What the plan does at a school and what stays short there, with the rules."""
    from twinning.rules import roster as rules

    if school_id not in {s.id for s in inst.schools}:
        return [f"{school_id}: no such school in the instance"]
    out = []
    sent = [m for m in plan.roster if m.from_school == school_id]
    came = [m for m in plan.roster if m.to_school == school_id]
    quota = rules.quota_required(inst).get(school_id)
    line = f"{school_id}: sends {len(sent)}, receives {len(came)}"
    if quota is not None:
        teachers = {m.staff for m in sent if m.role == "teacher"}
        line += f"; quota {quota} (rotation.rate), {len(teachers)} teacher(s) sent"
    out.append(line)
    for u in plan.unmet_needs:
        if u.school == school_id and u.covered < u.shortage:
            out.append(
                f"short of {u.subject} in {u.period}: {u.shortage} needed, {u.covered} "
                "covered by the roster"
            )
    for w in plan.unmet_lessons:
        if w.school == school_id:
            out.append(
                f"{w.subject}: {w.weekly_lessons} lessons a week needed, {w.covered} by 走教"
            )
    pairs = [p for p in plan.pairs if school_id in (p.helper, p.helped)]
    for p in pairs:
        out.append(f"pair {p.helper} helps {p.helped}" + (f" ({p.why})" if p.why else ""))
    return out


#: The weight (policy weights.*) each objective term is priced at, per part.
TERM_WEIGHTS: dict[str, dict[str, str]] = {
    "pairs": {
        "unpaired": "pair_cover",
        "min_places_empty": "pair_min_helped",
        "complementarity_shortfall": "pair_complementarity",
        "distance_km": "pair_km",
    },
    "alliances": {
        "later_tier_leads": "alliance_lead_tier",
        "distance_km": "alliance_km",
        "history_changes": "alliance_history",
    },
    "roster": {
        "uncovered_need_weighted": "roster_need",
        "due_not_moved": "roster_due",
        "priority_not_rural": "roster_rural_priority",
        "moved_not_surplus": "roster_surplus_first",
        "backbone_no_balance_gain": "roster_balance",
        "distance_km": "roster_km",
        "preference_steps": "roster_preference",
        "secondment_candidates_not_seconded": "roster_secondment",
        "secondment_merit_below_best": "roster_merit",
        "quota_missing": "roster_quota",
        "principals_due_not_moved": "roster_due",
        "principals_distance_km": "roster_km",
    },
    "itinerant": {"teachers": "itinerant_teacher", "km_per_week": "itinerant_km"},
}


def objective_breakdown(inst: Instance, report: Any) -> list[tuple[str, str, float, float | None]]:
    """(part, term, amount, cost) of each part's objective as the checker recounts it:
    the cost is the amount times its policy weight (None where a term is priced in
    another way, e.g. weighted by priority); a last row per part holds its objective."""
    w8 = inst.policy.weights.model_dump()
    rows: list[tuple[str, str, float, float | None]] = []
    for part, objective in report.objectives.items():
        priced = TERM_WEIGHTS.get(part, {})
        for term, value in objective.terms.items():
            weight = priced.get(term)
            cost = float(value) * w8[weight] if weight is not None else None
            rows.append((part, term, float(value), cost))
        rows.append((part, "objective", float(objective.value), float(objective.value)))
    return rows


def school_costs(inst: Instance, plan: Plan, top: int = 10) -> list[tuple[str, float, str]]:
    """The schools whose shortages the roster leaves costing most (weights.roster_need x
    priority weight per teacher-period left), with what is short."""
    w8 = inst.policy.weights
    weights = inst.policy.needs.priority_weights
    cost: dict[str, float] = defaultdict(float)
    what: dict[str, list[str]] = defaultdict(list)
    for u in plan.unmet_needs:
        left = u.shortage - u.covered
        if left > 0:
            cost[u.school] += w8.roster_need * weights.get(u.priority, 1) * left
            what[u.school].append(f"{u.subject} {left} in {u.period}")
    ranked = sorted(cost.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    return [(school, value, ", ".join(what[school])) for school, value in ranked]


# ---- what a re-plan changed -----------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A row of the plan that differs from the baseline, and why."""

    part: str
    change: str  # "removed" or "added"
    row: str
    why: str


def _move_key(m: Any) -> tuple[Any, ...]:
    return (m.staff, m.kind, m.from_school, m.to_school, m.first_period, m.periods, m.mentee)


def _say_move(m: Any) -> str:
    extra = f" with {m.mentee}" if m.mentee else ""
    return (
        f"{m.staff} {m.kind} {m.from_school} -> {m.to_school} from {m.first_period} for "
        f"{m.periods}{extra}"
    )


def plan_changes(inst: Instance, baseline: Plan, plan: Plan) -> list[Change]:
    """Every pair, alliance membership and roster line that differs from the baseline. A
    baseline line the new facts rule out says which rule (the checker's finding on the
    baseline against this instance); the others follow from those changes."""
    from twinning.validation import validate

    broken: dict[str, list[str]] = defaultdict(list)  # staff or school -> messages
    for v in validate(inst, baseline).violations:
        if v.rule.startswith("plan."):
            continue
        for where in v.where:
            broken[where].append(f"{v.rule}: {v.message}")
    out: list[Change] = []

    def forced(*keys: str) -> str:
        found = [m for k in keys for m in broken.get(k, [])]
        return found[0] if found else ""

    known = (
        {p.helper for p in baseline.pairs}
        | {p.helped for p in baseline.pairs}
        | {u.school for u in baseline.unpaired}
        | {m.member for m in baseline.alliances}
        | {m.from_school for m in baseline.roster}
        | {m.to_school for m in baseline.roster}
    )

    def new(*schools: str, otherwise: str) -> str:
        fresh = [s for s in schools if s not in known]
        return f"{fresh[0]} is new since the baseline" if fresh else otherwise

    before = {_move_key(m): m for m in baseline.roster}
    after = {_move_key(m): m for m in plan.roster}
    for key in sorted(before.keys() - after.keys(), key=str):
        m = before[key]
        why = forced(m.staff, m.mentee or "", m.to_school) or "makes room for the changes forced"
        out.append(Change("roster", "removed", _say_move(m), why))
    for key in sorted(after.keys() - before.keys(), key=str):
        m = after[key]
        why = new(m.from_school, m.to_school, otherwise="replaces what was removed")
        out.append(Change("roster", "added", _say_move(m), why))
    pairs_before = {(p.helper, p.helped) for p in baseline.pairs}
    pairs_after = {(p.helper, p.helped) for p in plan.pairs}
    for a, b in sorted(pairs_before - pairs_after):
        out.append(Change("pairs", "removed", f"{a} helps {b}", forced(a, b) or "re-paired"))
    for a, b in sorted(pairs_after - pairs_before):
        out.append(Change("pairs", "added", f"{a} helps {b}", new(a, b, otherwise="re-paired")))
    members_before = {(m.alliance, m.member) for m in baseline.alliances}
    members_after = {(m.alliance, m.member) for m in plan.alliances}
    for a, s in sorted(members_before - members_after):
        out.append(Change("alliances", "removed", f"{s} in {a}", forced(s) or "regrouped"))
    for a, s in sorted(members_after - members_before):
        out.append(Change("alliances", "added", f"{s} in {a}", new(s, otherwise="regrouped")))
    return out
