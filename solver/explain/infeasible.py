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
from typing import TYPE_CHECKING, Any

from twinning.county.instance import Instance, with_policy
from twinning.explain import _words as words
from twinning.messages import Msg, msg
from twinning.plan import PART_ORDER, Plan
from twinning.rules.roster import host_capacity

if TYPE_CHECKING:
    from twinning.models.roster.options import RosterData

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


def _minutes_ladder(inst: Instance) -> list[Any]:
    now = inst.policy.rotation.max_minutes
    if now is None:
        return []
    return [round(now + 10 * k, 1) for k in range(1, 25)] + [None]


#: The rules the roster can conflict on, the goal (the rate) last: deletion filtering
#: drops the rules tried first when it can, so the rate stays in any conflict it is in.
ROSTER_RULES: tuple[Rule, ...] = (
    Rule("balance.target", _setting("balance.target", "objective")),
    Rule("rotation.secondment_count", _setting("rotation.secondment_count", None)),
    Rule("rotation.keep_subject_cover", _setting("rotation.keep_subject_cover", False)),
    Rule("rotation.surplus_first", _setting("rotation.surplus_first", False)),
    Rule("rotation.protect_sender", _setting("rotation.protect_sender", False)),
    Rule(
        "rotation.max_department_share",
        _setting("rotation.max_department_share", 1.0),
        lambda i: [v / 10 for v in range(1, 11) if v / 10 > i.policy.rotation.max_department_share],
    ),
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
    Rule("rotation.max_minutes", _setting("rotation.max_minutes", None), _minutes_ladder),
    Rule("rotation.host_capacity", _no_host_capacity),
    Rule(
        "rotation.max_outflow_share",
        _setting("rotation.max_outflow_share", 1.0),
        _steps("rotation.max_outflow_share", 0.05, 1.0, down=False),
    ),
    Rule("rotation.min_periods_for_quota", _setting("rotation.min_periods_for_quota", 1)),
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
    #: the change in planner terms (a repair of several rules nests theirs); None: no change
    change: Msg | None = None
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
    message: Msg | None  # the part's own message (every school and amount)
    misses: list[Any] = field(default_factory=list)  # the checker's, every school and amount
    conflict: list[str] = field(default_factory=list)  # policy keys, irreducible
    repairs: list[Repair] = field(default_factory=list)
    solves: int = 0
    seconds: float = 0.0
    complete: bool = True  # False: out of time before every step was done
    #: False: out of time before deletion filtering was done, so the conflict holds every
    #: rule not yet tried (a conflict, not proven smallest)
    reduced: bool = True
    undecided: int = 0  # solves that ended with no plan and no proof within the step limit

    @property
    def feasible(self) -> bool:
        return self.part is None

    def conflict_msg(self) -> Msg:
        """The rules that conflict, each by its name and key (交流比例（rotation.rate）)."""
        return msg("explain.conflict", rules=[words.rule(key) for key in self.conflict])

    def short(self) -> Msg:
        """The conflict and the repairs in one sentence (as after an infeasible solve)."""
        if self.feasible:
            return msg("explain.feasible")
        conflict: Msg | str = ""
        if self.conflict:
            rules = [words.rule(key) for key in self.conflict]
            conflict = msg("explain.short.conflict", part=self.part, rules=rules)
        repairs: Msg | str = ""
        changes = [r.change for r in self.repairs if r.change is not None]
        if changes:
            either = [changes[0], *(msg("explain.repair.or", change=c) for c in changes[1:])]
            repairs = msg("explain.short.repairs", repairs=either)
        cut: Msg | str = ""
        if not self.complete:
            cut = msg("explain.short.cut" if self.reduced else "explain.short.cut_unreduced")
        return msg("explain.short", conflict=conflict, repairs=repairs, cut=cut)


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
    memo: dict[str, Any] | None = None,
    clock: Callable[[], float] = time.perf_counter,
) -> Explanation:
    """Solve, and when a part has no plan keeping every rule, find the rules that
    conflict and the smallest repairs (see the module docstring). ``time_limit`` bounds the
    whole explanation, ``step_limit`` each solve in it; ``first`` is the result of a
    solve already made (not solved again); ``baseline`` is a plan to re-plan on; ``memo``
    what that solve built (``solve(..., memo=)``), reused by the solves here where the
    county they try has the same options (the roster's are built once, not per solve).
    No step starts once ``time_limit`` seconds have passed on ``clock``; the explanation
    then says it was cut short, and when the conflict was not yet made smallest, that it
    is a conflict, not proven smallest."""
    from twinning.solving import solve

    start = clock()
    memo = {} if memo is None else memo
    if first is None:
        first = solve(inst, parts, time_limit=step_limit, seed=seed, baseline=baseline, memo=memo)
    bad = _first_bad(first)
    if bad is None:
        return Explanation(None, first.status, None, seconds=clock() - start)
    message = first.parts[bad].message
    out = Explanation(bad, first.parts[bad].status, message, list(first.missed), solves=1)
    rules = RULES.get(bad)
    if not rules:
        out.seconds = clock() - start
        return out
    ok = _Oracle(first.plan, bad, start + time_limit, step_limit, seed, out, baseline, memo)
    ok.clock = clock
    ok.typical = first.parts[bad].wall_time or 0.0

    # The cheap repair first, so that a short time still gives one: every school held at
    # what it can send (rotation.cap_quota), when the quota is what is missed.
    quota_missed = any(v.rule == "rotation.rate" for v in out.misses)
    capped = with_policy(inst, {"rotation.cap_quota": True})
    if quota_missed and not inst.policy.rotation.cap_quota and ok(capped):
        out.repairs.append(
            Repair(
                "rotation.cap_quota",
                msg("explain.repair.cap_quota", setting=words.setting("rotation.cap_quota", True)),
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
            out.complete = out.reduced = False
            break
        if not verdict:
            enforced.remove(rule)
            current = relaxed
    out.conflict = [r.key for r in enforced]
    # Each conflicting rule alone, the others as the planner set them (the rate first:
    # the nearest rate that can be met), where one change is enough.
    for rule in sorted(enforced, key=lambda r: r.key != "rotation.rate"):
        if clock() > ok.deadline:
            out.complete = False
            break
        alone = _repair(inst, rule, ok)
        if alone is not None:
            out.repairs.append(alone)
    # A set of changes that together repair it, as few rules as the order allows, keeping
    # the rate: switch rules off in turn until a plan exists, put back each that is not
    # needed, then bring each one left as near the planner's value as still works.
    if clock() <= ok.deadline:
        others = [r for r in rules if r.key != "rotation.rate"]
        fixes = _correction(inst, [r for r in others if r.key in out.conflict] + others, ok)
        if fixes is None:
            out.complete = False
        elif fixes.change is not None and not any(
            r.settings == fixes.settings for r in out.repairs
        ):
            out.repairs.append(fixes)
    out.seconds = clock() - start
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
        return Repair("")
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
        base = Repair("", host_capacity=capacity).apply(base)
        found = _repair(base, rule, ok)
        if found is None:  # the rule must be off entirely
            changed = _changed(inst, rule.off(inst))
            if rule.key == "rotation.host_capacity":
                own = {s.id: NO_LIMIT for s in inst.schools if s.host_capacity is not None}
                found = Repair(rule.key, msg("explain.repair.no_host_capacity"), changed, own)
            else:
                found = Repair(rule.key, words.settings(changed), changed)
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
    return repair if ok(repair.apply(inst)) else Repair("")


def _together(found: list[tuple[Rule, Repair]]) -> Repair:
    """One repair of several rules' changes."""
    settings: dict[str, Any] = {}
    capacity: dict[str, int] = {}
    for _, r in found:
        settings.update(r.settings)
        capacity.update(r.host_capacity)
    changes = [r.change for _, r in found if r.change is not None]
    together = msg("explain.together", changes=changes) if len(changes) > 1 else None
    return Repair(
        " + ".join(rule.key for rule, _ in found),
        together or (changes[0] if changes else None),
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
        memo: dict[str, Any],
    ) -> None:
        self.given = _before(plan, part)
        self.part = part
        self.deadline = deadline
        self.step_limit = step_limit
        self.seed = seed
        self.out = out
        self.baseline = baseline
        self.memo = memo
        #: seconds the part's first solve took: a solve is not started with less time
        #: left than that (it would overrun the explanation's time, not stop within it)
        self.typical = 0.0
        #: the clock ``deadline`` is read on
        self.clock: Callable[[], float] = time.perf_counter

    def left(self) -> float:
        """Seconds until the explanation's deadline."""
        return self.deadline - self.clock()

    def can_solve(self) -> bool:
        """Whether a solve may start: it has the time a first solve took, within the
        explanation's deadline."""
        left = self.left()
        return left > 0.5 and left >= self.typical

    def solve(self, candidate: Instance) -> Any:
        from twinning.solving import solve

        left = self.left()
        if not self.can_solve():
            return None
        self.out.solves += 1
        return solve(
            candidate,
            self.part,
            time_limit=min(self.step_limit, left),
            seed=self.seed,
            given=self.given,
            baseline=self.baseline,
            memo=self.memo,
            check=False,  # only whether a plan exists is asked
        )

    def __call__(self, candidate: Instance) -> bool | None:
        if self.part == "roster":
            # The options first, within the explanation's time (taken from the memo when
            # the candidate's are the first solve's): the solve then reuses them.
            left = self.left()
            if left <= 0:
                return None
            if candidate.policy.rotation.cap_quota and not self.can_solve():
                return None  # only a solve could answer (a capped quota is in reach)
            ends = time.perf_counter() + left  # the building's deadline is on that clock
            data = _roster_options(candidate, self.given, self.memo, ends)
            if data is None:
                return None
            if _quota_out_of_reach(candidate, data):
                return False  # no plan can meet the quota: no search needed to know it
        result = self.solve(candidate)
        if result is None:
            return None
        status = result.parts[self.part].status
        if status == "unknown":
            self.out.undecided += 1  # counted as no plan: said in the explanation
        return bool(status in ("optimal", "feasible"))


def _roster_options(
    inst: Instance, given: Plan, memo: dict[str, Any], deadline: float
) -> RosterData | None:
    """The roster options of ``inst`` on the given pairs and alliances, recounted from the
    memo's or built before ``deadline`` (None: out of time)."""
    from twinning.models.roster.options import OutOfTime, roster_data

    try:
        return roster_data(memo, inst, given.pairs, given.alliances, deadline=deadline)
    except OutOfTime:
        return None


def _quota_out_of_reach(inst: Instance, data: RosterData) -> bool:
    """Whether some school's rotation.rate quota is beyond the teachers who could go out
    at all (the roster's own reach count: options within the outflow limit), in which
    case the roster is infeasible whatever the search does."""
    if inst.policy.rotation.cap_quota:
        return False
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
            return Repair(rule.key, words.settings(changed), changed)
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
    return Repair(rule.key, words.setting(rule.key, value), {rule.key: value})


def _changed(before: Instance, after: Instance) -> dict[str, Any]:
    a, b = before.policy.model_dump(), after.policy.model_dump()
    out: dict[str, Any] = {}
    for section, values in b.items():
        for key, value in values.items():
            if a[section][key] != value:
                out[f"{section}.{key}"] = value
    return out


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
    raised = [
        msg("explain.repair.capacity_raised", school=s, before=now[s], after=n)
        for s, n in sorted(raise_to.items())
    ]
    repair = Repair(
        "rotation.host_capacity",
        msg("explain.repair.host_capacity", n=len(raise_to), schools=raised),
        host_capacity=raise_to,
    )
    return repair if ok(repair.apply(inst)) else None
