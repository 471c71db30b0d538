"""Why an instance has no plan: the rules that conflict, and the nearest changes that
repair it, each decided by a search that found a plan or a proof that none exists.

The rules are taken through their policy keys: the catalogue is every rule the checker
lists for the part (``[policy.key]`` at the start of each ``check_<rule>``'s docstring),
each with a value under which it never binds (how the explanation leaves it out while it
searches) and, where it has one, a ladder of values that keep it in force, nearest the
planner's first. A rule found later by the checker joins the catalogue by its type: a
switch that is on can be left out; anything else is named only where the catalogue below
knows how to loosen it.

Deletion filtering finds the conflict: from every rule on, each rule in turn is left out
for good when the part stays infeasible without it. The conflict is irreducible (none of
its rules can be left out) only when every step was decided; a step whose search ended
with neither a plan nor a proof leaves its rule in, and the conflict is then "a conflict,
not proven smallest", the steps left undecided listed.

A repair keeps every rule in force: the value of one rule nearest the planner's that lets
a plan keep every rule (the largest rate, the smallest radius ...), found by bisection on
its ladder; never the value that switches the rule off. Host capacity is raised only where
it binds, school by school. ``rotation.cap_quota`` (each school sends what the other rules
let it, the shortfall listed) is the listed policy choice it is.

Each step is decided as cheaply as it can be (:func:`twinning.models.roster.verdict.
roster_verdict`): the options' own reach counts prove most quotas out of reach with no
search; the exchanges' groups are searched for a first plan only (a relaxation: a group
with none proves the roster has none); the roster's options are recounted from the first
solve's, not rebuilt, where the near copy allows. Parts other than the roster are decided
by a solve of the part, the parts before it taken from the first solve.
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
    """A rule the explanation may leave out while it searches, or loosen to repair."""

    key: str
    off: Callable[[Instance], Instance]
    #: values that keep the rule in force, nearest the planner's first, the loosest last
    #: (None: no value between the planner's and off: the rule is not repaired alone)
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
    """Values from the planner's, one ``step`` at a time, to ``end`` (a value that keeps
    the rule in force: the smallest positive rate, the largest share short of everyone)."""

    def ladder(inst: Instance) -> list[Any]:
        now = float(_get(inst, key))
        if (now <= end) if down else (now >= end):
            return []
        n = max(0, math.ceil(abs(now - end) / step - 1e-9))
        vals = [round(now - k * step if down else now + k * step, 4) for k in range(1, n + 1)]
        vals = [v for v in vals if (v >= end if down else v <= end)]
        return vals if vals and vals[-1] == end else [*vals, end]

    return ladder


def _counts_down(key: str, end: int) -> Callable[[Instance], list[Any]]:
    def ladder(inst: Instance) -> list[Any]:
        now = _get(inst, key)
        return [] if now is None else list(range(int(now) - 1, end - 1, -1))

    return ladder


def _km_ladder(inst: Instance) -> list[Any]:
    """Radii 5 km apart from the planner's to the farthest two schools of the county (a
    radius that still binds nowhere is the rule in force at its loosest, never "no limit")."""
    from twinning.county.distances import Distances

    now = inst.policy.rotation.max_km
    if now is None:
        return []
    dist = Distances(inst)
    ids = [s.id for s in inst.schools]
    far = max((dist.km(a, b) for a in ids for b in ids if a < b), default=now)
    n = max(1, math.ceil((far - now) / 5))
    return [round(now + 5 * k, 1) for k in range(1, n + 1)]


def _minutes_ladder(inst: Instance) -> list[Any]:
    """Longer one-way journeys, 10 minutes at a time (each a limit in force)."""
    now = inst.policy.rotation.max_minutes
    if now is None:
        return []
    return [round(now + 10 * k, 1) for k in range(1, 25)]


_SCOPES = ("pair", "alliance", "county")


def _scope_ladder(inst: Instance) -> list[Any]:
    """The scopes wider than the planner's (each a rule in force: where a teacher may go)."""
    now = inst.policy.rotation.scope
    return list(_SCOPES[_SCOPES.index(now) + 1 :]) if now in _SCOPES else []


#: How the rules of the roster are left out and loosened, the goal (the rate) last:
#: deletion filtering leaves out the rules tried first when it can, so the rate stays in
#: any conflict it is in. A rule the checker lists that is not here joins by its type
#: (:func:`roster_rules`).
ROSTER_RULES: tuple[Rule, ...] = (
    Rule("balance.target", _setting("balance.target", "objective")),
    Rule(
        "rotation.secondment_count",
        _setting("rotation.secondment_count", None),
        _counts_down("rotation.secondment_count", 1),
    ),
    Rule("rotation.keep_subject_cover", _setting("rotation.keep_subject_cover", False)),
    Rule("rotation.surplus_first", _setting("rotation.surplus_first", False)),
    Rule("rotation.protect_sender", _setting("rotation.protect_sender", False)),
    Rule(
        "rotation.max_department_share",
        _setting("rotation.max_department_share", 1.0),
        # up to 0.9: a share of 1 is no limit, the rule switched off
        lambda i: [v / 10 for v in range(1, 10) if v / 10 > i.policy.rotation.max_department_share],
    ),
    Rule("rotation.same_stage", _setting("rotation.same_stage", False)),
    Rule(
        "rotation.two_way_share",
        _setting("rotation.two_way_share", 0.0),
        _steps("rotation.two_way_share", 0.01, 0.01, down=True),
    ),
    Rule(
        "rotation.backbone_share",
        _setting("rotation.backbone_share", 0.0),
        _steps("rotation.backbone_share", 0.01, 0.01, down=True),
    ),
    Rule("rotation.scope", _setting("rotation.scope", "county"), _scope_ladder),
    Rule("rotation.max_km", _setting("rotation.max_km", None), _km_ladder),
    Rule("rotation.max_minutes", _setting("rotation.max_minutes", None), _minutes_ladder),
    Rule("rotation.host_capacity", _no_host_capacity),
    Rule(
        "rotation.max_outflow_share",
        _setting("rotation.max_outflow_share", 1.0),
        _steps("rotation.max_outflow_share", 0.01, 0.95, down=False),
    ),
    Rule(
        "rotation.min_periods_for_quota",
        _setting("rotation.min_periods_for_quota", 1),
        _counts_down("rotation.min_periods_for_quota", 1),
    ),
    Rule(
        "rotation.rate",
        _setting("rotation.rate", 0.0),
        _steps("rotation.rate", 0.01, 0.01, down=True),
    ),
)

#: Keys the checker lists that are facts of the plan or of the county, or switches whose
#: "off" binds more, not less: never left out by the explanation.
NOT_RULES = frozenset(
    {
        "rotation.two_way",  # off: nobody may come to learn (binds more)
        "rotation.bridge_stages",  # on: more hosts (a loosening, not a rule)
        "rotation.cap_quota",  # the listed policy choice, offered as a repair of its own
    }
)


def roster_rules(checks: Any = None) -> tuple[Rule, ...]:
    """The roster's catalogue: :data:`ROSTER_RULES`, and before the rate every other rule
    the checker lists for the roster, by its type (:func:`_by_type`: a rule added to the
    checker joins this way without being listed here)."""
    from twinning.check.roster import ROSTER_CHECKS
    from twinning.county.policy import Policy
    from twinning.report.content import rule_keys

    known = {r.key for r in ROSTER_RULES} | NOT_RULES
    default = Policy()
    extra: list[Rule] = []
    for check in checks if checks is not None else ROSTER_CHECKS:
        for key in rule_keys(check):
            section, _, name = key.partition(".")
            node = getattr(default, section, None)
            if key in known or node is None or name not in type(node).model_fields:
                continue
            found = _by_type(key, getattr(node, name), type(node).model_fields[name])
            if found is not None:
                extra.append(found)
                known.add(key)
    return (*ROSTER_RULES[:-1], *extra, ROSTER_RULES[-1])


def _by_type(key: str, now: Any, field: Any) -> Rule | None:
    """A rule the checker lists, left out and loosened by its type and name: a switch that
    is on is switched off; a ``max_`` number is raised (off: no limit when the key allows
    none, else its upper bound), a ``min_`` number lowered (off: its lower bound), one
    step at a time on its ladder; anything else (a list, a table, a setting already at no
    limit) is not in the catalogue."""
    if now is True:
        return Rule(key, _setting(key, False))
    if isinstance(now, bool) or not isinstance(now, int | float):
        return None
    name = key.rpartition(".")[2]
    bounds = {type(m).__name__: m for m in field.metadata}
    optional = "None" in repr(field.annotation)
    whole = isinstance(now, int)
    if name.startswith("max_"):
        top = getattr(bounds.get("Le"), "le", None)
        # off: no limit where the key allows none, else its bound, else the largest of a
        # hundredfold and a fourfold the key accepts (a value that binds nowhere)
        tries = [top] if top is not None else [(now or 1) * 100, (now or 1) * 4]
        accepted = [v for v in tries if _accepts(key, int(v) if whole else v)]
        if not optional and not accepted:
            return None
        off: Any = None if optional else (int(accepted[0]) if whole else accepted[0])
        step = 1 if whole else max(0.01, round(abs(now) * 0.1, 2))
        end = accepted[-1] if accepted else (now or 1) * 4
        end = end - step if end == off else end
        if end <= now:
            return Rule(key, _setting(key, off))
        ladder = _counts_up(key, int(end)) if whole else _steps(key, step, float(end), down=False)
        return Rule(key, _setting(key, off), ladder)
    if name.startswith("min_"):
        low = getattr(bounds.get("Ge"), "ge", 0)
        if now <= low:
            return None
        if whole:
            return Rule(key, _setting(key, low), _counts_down(key, int(low) + 1))
        step = max(0.01, round(abs(now) * 0.1, 2))
        return Rule(key, _setting(key, low), _steps(key, step, low + step, down=True))
    return None


def _accepts(key: str, value: Any) -> bool:
    """Whether the policy takes ``value`` for ``key`` (its bounds and limits)."""
    from twinning.county.policy import Policy, SettingError, with_settings

    try:
        with_settings(Policy(), {key: value})
    except SettingError:
        return False
    return True


def _counts_up(key: str, end: int) -> Callable[[Instance], list[Any]]:
    def ladder(inst: Instance) -> list[Any]:
        now = _get(inst, key)
        return [] if now is None else list(range(int(now) + 1, end + 1))

    return ladder


def part_rules(checks: Any) -> tuple[Rule, ...]:
    """The catalogue of a part other than the roster: every rule its checker lists
    (``[policy.key]`` in each check's docstring), by its type (:func:`_by_type`)."""
    from twinning.county.policy import Policy
    from twinning.report.content import rule_keys

    default = Policy()
    out: dict[str, Rule] = {}
    for check in checks:
        for key in rule_keys(check):
            section, _, name = key.partition(".")
            node = getattr(default, section, None)
            if key in out or node is None or name not in type(node).model_fields:
                continue
            found = _by_type(key, getattr(node, name), type(node).model_fields[name])
            if found is not None:
                out[key] = found
    return tuple(out.values())


def _checks(module: str, name: str) -> Callable[[], tuple[Rule, ...]]:
    def catalogue() -> tuple[Rule, ...]:
        import importlib

        return part_rules(getattr(importlib.import_module(module), name))

    return catalogue


#: Each part's catalogue: the roster's (:func:`roster_rules`), and the rules every other
#: part's checker lists (pairs, alliances, 走教 circuits, 送教 outreach), which a solve of
#: that part decides step by step.
RULES: dict[str, Callable[[], tuple[Rule, ...]]] = {
    "pairs": _checks("twinning.check.pairs", "PAIR_CHECKS"),
    "alliances": _checks("twinning.check.alliances", "ALLIANCE_CHECKS"),
    "roster": roster_rules,
    "itinerant": _checks("twinning.check.itinerant", "ITINERANT_CHECKS"),
    "outreach": _checks("twinning.check.outreach", "OUTREACH_CHECKS"),
}


@dataclass
class Repair:
    """One change that lets a plan keep every rule (checked by a solve)."""

    key: str
    #: the change in planner terms (a repair of several rules nests theirs); None: no change
    change: Msg | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    host_capacity: dict[str, int] = field(default_factory=dict)  # school -> new capacity
    #: False: a value that works, but a step nearer the planner's was left undecided
    nearest: bool = True

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
    conflict: list[str] = field(default_factory=list)  # policy keys
    repairs: list[Repair] = field(default_factory=list)
    #: full solves of the part (the first one included)
    solves: int = 0
    seconds: float = 0.0
    complete: bool = True  # False: out of time before every step was done
    #: False: some deletion step was not decided (out of time, or a search that ended with
    #: neither a plan nor a proof): the conflict is not proven smallest
    reduced: bool = True
    undecided: int = 0  # steps that ended with neither a plan nor a proof
    #: the rules whose deletion step was left undecided (kept in the conflict unproven)
    open_steps: list[str] = field(default_factory=list)
    #: steps decided, and how: "reach" (the options' counts), "search" (a first-plan
    #: search or its proof), "solve" (a whole solve of the part)
    decided: dict[str, int] = field(default_factory=dict)

    @property
    def feasible(self) -> bool:
        return self.part is None

    @property
    def steps(self) -> int:
        """Steps taken: decided (each way) and left undecided."""
        return sum(self.decided.values()) + self.undecided

    @property
    def proven(self) -> bool:
        """The conflict is irreducible: every deletion step was decided."""
        return self.reduced and not self.open_steps

    def conflict_msg(self) -> Msg:
        """The rules that conflict, each by its name and key (交流比例（rotation.rate）);
        when not proven smallest, said so with the steps left undecided."""
        rules = [words.rule(key) for key in self.conflict]
        if self.proven:
            return msg("explain.conflict", rules=rules)
        steps = [words.rule(key) for key in self.open_steps]
        return msg("explain.conflict_open", rules=rules, steps=steps)

    def short(self) -> Msg:
        """The conflict and the repairs in one sentence (as after an infeasible solve)."""
        if self.feasible:
            return msg("explain.feasible")
        conflict: Msg | str = ""
        if self.conflict:
            rules = [words.rule(key) for key in self.conflict]
            code = "explain.short.conflict" if self.proven else "explain.short.conflict_open"
            conflict = msg(code, part=self.part, rules=rules)
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
    conflict and the nearest repairs (see the module docstring). ``time_limit`` bounds the
    whole explanation, ``step_limit`` each step in it; ``first`` is the result of a
    solve already made (not solved again); ``baseline`` is a plan to re-plan on; ``memo``
    what that solve built (``solve(..., memo=)``), reused by the steps here where the
    county they try has the same options (the roster's are built once, not per step).
    No step starts once ``time_limit`` seconds have passed on ``clock``; the explanation
    then says it was cut short, and when the conflict was not yet made smallest, that it
    is a conflict, not proven smallest."""
    from twinning.solving import solve

    start = clock()
    memo = {} if memo is None else memo
    if first is None:
        # the first solve (for the plan that comes closest, and the misses) takes at most
        # a sixth of the explanation's time: the steps after it decide the conflict
        limit = max(1.0, min(step_limit, time_limit / 6))
        first = solve(inst, parts, time_limit=limit, seed=seed, baseline=baseline, memo=memo)
    bad = _first_bad(first)
    if bad is None:
        return Explanation(None, first.status, None, seconds=clock() - start)
    message = first.parts[bad].message
    out = Explanation(bad, first.parts[bad].status, message, list(first.missed), solves=1)
    catalogue = RULES.get(bad)
    if catalogue is None:
        out.seconds = clock() - start
        return out
    rules = catalogue()
    ok = _Oracle(first.plan, bad, start + time_limit, step_limit, seed, out, baseline, memo)
    ok.clock = clock
    ok.typical = first.parts[bad].wall_time or 0.0
    if bad == "roster" and first.plan.roster:
        ok.witnesses.append(list(first.plan.roster))  # the plan that comes closest

    if out.status != "infeasible":
        # the first solve found no plan, but proved nothing: the rules on, decided here
        verdict = ok(inst)
        if verdict:
            out.part, out.conflict = None, []
            out.seconds = clock() - start
            return out
        if verdict is None:
            out.complete = out.reduced = False
            out.open_steps = [r.key for r in rules]
            out.conflict = [r.key for r in rules]
            out.seconds = clock() - start
            return out
    # The listed policy choice first, so that a short time still gives one: every school
    # held at what it can send (rotation.cap_quota), when the quota is what is missed.
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
    # The nearest rate that can be met, early: mostly decided by the reach counts and by
    # the plan that comes closest, so that a short time still gives it.
    goal = next((r for r in rules if r.key == "rotation.rate"), None)
    if quota_missed and goal is not None and ok.left() > 0:
        nearest = _repair(inst, goal, ok)
        if nearest is not None:
            out.repairs.append(nearest)
    # Deletion filtering: leave each rule out for good when the part stays infeasible;
    # the goal (last) is in the conflict when leaving it out alone gives a plan.
    enforced = list(rules)
    current = inst
    for k, rule in enumerate(rules):
        if ok.left() <= 0:
            out.complete = out.reduced = False
            out.open_steps += [r.key for r in rules[k:]]
            break
        relaxed = rule.off(current)
        verdict = ok(relaxed)
        if verdict is None:
            out.open_steps.append(rule.key)  # kept in, not proven needed
        elif not verdict:
            enforced.remove(rule)
            current = relaxed
    if out.open_steps:
        out.reduced = out.complete = False  # a step left undecided is not done
    out.conflict = [r.key for r in enforced]
    # Each conflicting rule alone, the others as the planner set them (the rate first:
    # the nearest rate that can be met), where one value in force is enough.
    for rule in [r for r in enforced if r is not goal]:
        if ok.left() <= 0:
            out.complete = False
            break
        alone = _repair(inst, rule, ok)
        if alone is not None:
            out.repairs.append(alone)
    # Several rules of the conflict loosened together, each kept in force, when no one
    # of them alone repairs it.
    alone_keys = {r.key for r in out.repairs}
    loosen = [r for r in enforced if r.ladder is not None or r.key == "rotation.host_capacity"]
    if ok.left() > 0 and len(loosen) > 1 and not alone_keys - {"rotation.cap_quota"}:
        fixes = _correction(inst, loosen, ok)
        if fixes is None:
            out.complete = False
        elif fixes.change is not None and not any(
            r.settings == fixes.settings for r in out.repairs
        ):
            out.repairs.append(fixes)
    out.seconds = clock() - start
    return out


def _loosest(inst: Instance, rule: Rule) -> Instance | None:
    """The rule at the loosest value that keeps it in force (None: it has none)."""
    if rule.key == "rotation.host_capacity":
        return None
    values = rule.ladder(inst) if rule.ladder is not None else []
    return with_policy(inst, {rule.key: values[-1]}) if values else None


def _correction(inst: Instance, rules: list[Rule], ok: _Oracle) -> Repair | None:
    """Rules of the conflict loosened together, each kept in force: every one at its
    loosest value; when that has a plan, each put back to the planner's value where that
    still works, then the others brought as near the planner's as works. One
    :class:`Repair` of them all (None: out of time; an empty repair: none found)."""
    loose = [r for r in rules if _loosest(inst, r) is not None]
    if len(loose) < 2:
        return Repair("")
    trial = inst
    for rule in loose:
        trial = _loosest(trial, rule) or trial
    verdict = ok(trial)
    if not verdict:
        return None if verdict is None else Repair("")
    needed = list(loose)
    for rule in list(loose):
        if len(needed) == 1:
            break
        rest = inst
        for other in needed:
            if other is not rule:
                rest = _loosest(rest, other) or rest
        verdict = ok(rest)
        if verdict is None:
            return None
        if verdict:
            needed.remove(rule)
    settings: dict[str, Any] = {}
    found: list[tuple[Rule, Repair]] = []
    for rule in needed:
        base = inst
        for other in needed:
            if other is not rule and other.key not in settings:
                base = _loosest(base, other) or base
        base = with_policy(base, settings)
        got = _repair(base, rule, ok)
        if got is None:
            return None
        settings.update(got.settings)
        found.append((rule, got))
    repair = _together(found)
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
    """Whether the part has a plan keeping every rule under a changed instance: True (a
    plan found), False (proved none), None (neither, within the step's time, or out of
    the explanation's time); the parts before it taken from the first solve."""

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
        #: answers already given, by the candidate's policy and host capacities
        self.seen: dict[str, bool | None] = {}
        self._keys: set[Any] | None = None
        #: roster lines of plans found (and the first solve's closest plan): a county
        #: tried whose rules one of them keeps (the checker says) has a plan, no search
        self.witnesses: list[list[Any]] = []

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

    def _first_options(self) -> set[Any] | None:
        """The first solve's options (:func:`~twinning.models.roster.verdict.option_keys`):
        a looser county's plan is looked for among them first."""
        if self._keys is None:
            from twinning.models.roster.options import MEMO_KEY
            from twinning.models.roster.verdict import option_keys

            kept = self.memo.get(MEMO_KEY) or []
            self._keys = option_keys(kept[0]) if kept else set()
        return self._keys or None

    def reach(self, candidate: Instance) -> bool | None:
        """Whether the options' reach counts let every quota be met under ``candidate``
        (True also for parts other than the roster: nothing is counted there); None: out
        of time building the options."""
        if self.part != "roster":
            return True
        left = self.left()
        if left <= 0:
            return None
        data = _roster_options(candidate, self.given, self.memo, time.perf_counter() + left)
        if data is None:
            return None
        return not _quota_out_of_reach(candidate, data)

    def witnessed(self, candidate: Instance) -> bool:
        """Whether a plan found before keeps every roster rule of ``candidate`` (the
        checker's roster checks on it, the pairs and alliances given)."""
        from twinning.check.roster import ROSTER_CHECKS, roster_facts
        from twinning.county.distances import Distances

        if not self.witnesses:
            return False
        dist = Distances(candidate)
        for moves in self.witnesses:
            plan = self.given.model_copy(update={"roster": moves, "parts": [*self.given.parts]})
            facts = roster_facts(candidate, plan, dist)
            if not any(check(facts) for check in ROSTER_CHECKS):
                return True
        return False

    def _decided(self, how: str) -> None:
        self.out.decided[how] = self.out.decided.get(how, 0) + 1

    def __call__(self, candidate: Instance) -> bool | None:
        key = _key(candidate)
        if key in self.seen:
            return self.seen[key]
        verdict = self._answer(candidate)
        if verdict is None:
            if self.left() > 0:
                self.out.undecided += 1
        else:
            self.seen[key] = verdict
        return verdict

    def _answer(self, candidate: Instance) -> bool | None:
        if self.part == "roster":
            # The options first, within the explanation's time (recounted from the memo
            # when the candidate's are the first solve's): the steps then reuse them.
            left = self.left()
            if left <= 0:
                return None
            ends = time.perf_counter() + left  # the building's deadline is on that clock
            data = _roster_options(candidate, self.given, self.memo, ends)
            if data is None:
                return None
            if _quota_out_of_reach(candidate, data):
                self._decided("reach")
                return False  # no plan can meet the quota: no search needed to know it
            if self.witnessed(candidate):
                self._decided("witness")
                return True
            from twinning.models.roster.verdict import roster_verdict
            from twinning.models.search import SearchSettings

            limit = min(self.step_limit, self.left())
            if limit <= 0:
                return None
            found = roster_verdict(
                candidate,
                data,
                time.perf_counter() + limit,
                SearchSettings(workers=2, seed=self.seed),
                pairs=self.given.pairs,
                alliances=self.given.alliances,
                within=self._first_options(),
            )
            if found.status != "unknown":
                self._decided("reach" if found.how == "reach" else "search")
                if found.status == "feasible":
                    from twinning.models.roster.verdict import moves_of

                    self.witnesses.insert(0, moves_of(data, found.chosen))
                return found.status == "feasible"
            if found.how != "open":
                return None  # the step's time ended: a whole solve would not do better
        result = self.solve(candidate)
        if result is None:
            return None
        status = result.parts[self.part].status
        if status == "unknown":
            return None
        self._decided("solve")
        return bool(status in ("optimal", "feasible"))


def _key(inst: Instance) -> str:
    caps = tuple((s.id, s.host_capacity) for s in inst.schools if s.host_capacity is not None)
    return inst.policy.model_dump_json() + repr(caps)


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
    """The value of one rule nearest the planner's that keeps it in force and lets a plan
    keep every rule (the other rules as ``inst`` has them), or None: the loosest value of
    its ladder is tried first (when even that has no plan, no value of this rule alone
    repairs it), then the nearest is found by bisection."""
    if rule.key == "rotation.host_capacity":
        return _repair_capacity(inst, ok)
    values = rule.ladder(inst) if rule.ladder is not None else []
    if not values:
        return None  # only switching it off would: that is not a repair
    # The values nearer than the first the options' reach counts allow have no plan
    # (proved by the counts, no search): bisection on the counts alone finds it.
    lo = -1  # values[lo] (or the planner's) has no plan
    if ok.reach(with_policy(inst, {rule.key: values[-1]})) is False:
        return None
    a, b = -1, len(values) - 1  # values[b] is within reach; values[a] not
    while b - a > 1:
        mid = (a + b) // 2
        within = ok.reach(with_policy(inst, {rule.key: values[mid]}))
        if within is None:
            break
        if within:
            b = mid
        else:
            a = mid
    lo = a
    nearest = ok(with_policy(inst, {rule.key: values[lo + 1]}))
    if nearest:
        value = values[lo + 1]
        return Repair(rule.key, words.setting(rule.key, value), {rule.key: value})
    if nearest is False:
        lo += 1
    if lo + 1 >= len(values) or not ok(with_policy(inst, {rule.key: values[-1]})):
        return None
    hi = len(values) - 1  # values[hi] works
    nearest = True
    while hi - lo > 1:
        mid = (lo + hi) // 2
        verdict = ok(with_policy(inst, {rule.key: values[mid]}))
        if verdict is None:
            nearest = False  # a value that works; whether a nearer one does, undecided
            break
        if verdict:
            hi = mid
        else:
            lo = mid
    value = values[hi]
    return Repair(rule.key, words.setting(rule.key, value), {rule.key: value}, nearest=nearest)


def _repair_capacity(inst: Instance, ok: _Oracle) -> Repair | None:
    """Host capacity raised only where a plan without the limit needs more: solve with
    no host limit, let the checker say which hosts that plan overfills against the
    planner's capacities and by how much, and raise those schools by that much; the
    repair holds when a plan keeps every rule with those capacities."""
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
