"""The checker's twinning-pair rules: one ``check_<rule>`` per rule, each returning its
violations. Terms come from :mod:`twinning.rules.pairs`; everything the plan claims is
recounted here."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from twinning.check.report import Violation
from twinning.check.shared import schools_by_id
from twinning.county.distances import Distances
from twinning.county.instance import Instance, School
from twinning.plan import Pair, PartObjective, Plan
from twinning.rules import pairs as rules


@dataclass
class PairFacts:
    """The plan's pairs and the counts every check needs, computed once."""

    inst: Instance
    plan: Plan
    dist: Distances
    schools: dict[str, School]
    pairs: list[Pair]  # those naming known schools
    unknown: list[Pair]
    load: Counter[str] = field(default_factory=Counter)
    helped_by: dict[str, list[str]] = field(default_factory=dict)
    fixed: set[tuple[str, str]] = field(default_factory=set)
    recent: set[tuple[str, str]] = field(default_factory=set)
    profile: rules.SubjectProfile | None = None

    def pinned(self, p: Pair) -> bool:
        return (p.helper, p.helped) in self.fixed

    def helped_students(self, helper: str) -> int:
        return sum(self.schools[p.helped].students or 0 for p in self.pairs if p.helper == helper)


def pair_facts(inst: Instance, plan: Plan, dist: Distances) -> PairFacts:
    schools = schools_by_id(inst)
    known = [p for p in plan.pairs if p.helper in schools and p.helped in schools]
    unknown = [p for p in plan.pairs if p.helper not in schools or p.helped not in schools]
    helped_by: dict[str, list[str]] = defaultdict(list)
    for p in known:
        helped_by[p.helped].append(p.helper)
    return PairFacts(
        inst=inst,
        plan=plan,
        dist=dist,
        schools=schools,
        pairs=known,
        unknown=unknown,
        load=Counter(p.helper for p in known),
        helped_by=dict(helped_by),
        fixed=set(rules.fixed_pairs(inst)),
        recent=rules.recent_pairs(inst),
        profile=rules.subject_profile(inst),
    )


def check_helper(f: PairFacts) -> list[Violation]:
    """[twinning.helper] A helper has helper capacity (strong, or its own figure)."""
    return [
        Violation(
            rule="twinning.helper",
            where=[p.helper, p.helped],
            code="check.twinning.helper",
            params={"helper": p.helper},
        )
        for p in f.pairs
        if rules.helper_capacity(f.inst, f.schools[p.helper]) <= 0
    ]


def check_helped(f: PairFacts) -> list[Violation]:
    """[twinning.helped] Only weak schools are helped."""
    return [
        Violation(
            rule="twinning.helped",
            where=[p.helper, p.helped],
            code="check.twinning.helped",
            params={"helped": p.helped, "tier": f.schools[p.helped].tier},
        )
        for p in f.pairs
        if f.schools[p.helped].tier != "weak"
    ]


def check_same_stage(f: PairFacts) -> list[Violation]:
    """[twinning.same_stage] Helper and helped school share a stage (pins exempt)."""
    return [
        Violation(
            rule="twinning.same_stage",
            where=[p.helper, p.helped],
            code="check.twinning.same_stage",
        )
        for p in f.pairs
        if not f.pinned(p) and not rules.stage_ok(f.inst, f.schools[p.helper], f.schools[p.helped])
    ]


def check_max_km(f: PairFacts) -> list[Violation]:
    """[twinning.max_km] Helper and helped school within the distance limit (pins exempt)."""
    limit = f.inst.policy.twinning.max_km
    out = []
    for p in f.pairs:
        km = f.dist.km(p.helper, p.helped)
        if limit is not None and not f.pinned(p) and not rules.within_km(f.inst, km):
            out.append(
                Violation(
                    rule="twinning.max_km",
                    where=[p.helper, p.helped],
                    amount=round(km - limit, 3),
                    code="check.twinning.max_km",
                    params={"km": float(km), "limit": limit},
                )
            )
    return out


def check_avoid_repeat_cycles(f: PairFacts) -> list[Violation]:
    """[twinning.avoid_repeat_cycles] No pair of the last cycles is drawn again (pins exempt)."""
    return [
        Violation(
            rule="twinning.avoid_repeat_cycles",
            where=[p.helper, p.helped],
            code="check.twinning.avoid_repeat_cycles",
        )
        for p in f.pairs
        if not f.pinned(p) and (p.helper, p.helped) in f.recent
    ]


def check_vetoed(f: PairFacts) -> list[Violation]:
    """[twinning.vetoed] No pair the bureau ruled out is drawn (a pin does not excuse it)."""
    vetoed = rules.vetoed_pairs(f.inst)
    return [
        Violation(
            rule="twinning.vetoed",
            where=[p.helper, p.helped],
            code="check.twinning.vetoed",
            params={"helper": p.helper, "helped": p.helped},
        )
        for p in f.pairs
        if (p.helper, p.helped) in vetoed
    ]


def check_pair_figures(f: PairFacts) -> list[Violation]:
    """[plan.pair_figures] The distance and complementarity stated per pair are right."""
    assert f.profile is not None
    out = []
    for p in f.pairs:
        if f.pinned(p):
            continue
        km = f.dist.km(p.helper, p.helped)
        if abs(p.distance_km - km) > 0.01:
            out.append(
                Violation(
                    rule="plan.pair_figures",
                    where=[p.helper, p.helped],
                    amount=round(abs(p.distance_km - km), 3),
                    code="check.plan.pair_figures.km",
                    params={"stated": p.distance_km, "km": float(km)},
                )
            )
        comp = f.profile.complementarity(p.helper, p.helped)
        if comp != p.complementarity:
            out.append(
                Violation(
                    rule="plan.pair_figures",
                    where=[p.helper, p.helped],
                    amount=abs(comp - p.complementarity),
                    code="check.plan.pair_figures.complementarity",
                    params={"stated": p.complementarity, "got": int(comp)},
                )
            )
    return out


def check_helped_once(f: PairFacts) -> list[Violation]:
    """[twinning.helped_once] A weak school has at most one helper."""
    return [
        Violation(
            rule="twinning.helped_once",
            where=[w, *by],
            amount=len(by) - 1,
            code="check.twinning.helped_once",
            params={"school": w, "n": len(by)},
        )
        for w, by in sorted(f.helped_by.items())
        if len(by) > 1
    ]


def check_max_helped(f: PairFacts) -> list[Violation]:
    """[twinning.max_helped] A helper helps at most its capacity."""
    out = []
    for h, n in sorted(f.load.items()):
        cap = rules.helper_capacity(f.inst, f.schools[h])
        if n > cap:
            out.append(
                Violation(
                    rule="twinning.max_helped",
                    where=[h],
                    amount=n - cap,
                    code="check.twinning.max_helped",
                    params={"helper": h, "n": n, "cap": int(cap)},
                )
            )
    return out


def check_max_helped_students_ratio(f: PairFacts) -> list[Violation]:
    """[twinning.max_helped_students_ratio] The helped schools' students together stay within
    the ratio of the helper's."""
    if f.inst.policy.twinning.max_helped_students_ratio is None:
        return []
    out = []
    for h in sorted(f.load):
        got = f.helped_students(h)
        limit = rules.student_budget_limit(f.inst, f.schools[h])
        if got > limit:
            out.append(
                Violation(
                    rule="twinning.max_helped_students_ratio",
                    where=[h],
                    amount=got - limit,
                    code="check.twinning.max_helped_students_ratio",
                    params={"got": int(got), "limit": limit},
                )
            )
    return out


def check_fixed(f: PairFacts) -> list[Violation]:
    """[twinning.fixed] Every pinned pair is in the plan."""
    planned = {(p.helper, p.helped) for p in f.pairs}
    return [
        Violation(
            rule="twinning.fixed",
            where=list(pin),
            code="check.twinning.fixed",
        )
        for pin in sorted(f.fixed - planned)
    ]


def _unpaired(f: PairFacts) -> list[School]:
    return [s for s in rules.weak_schools(f.inst) if s.id not in f.helped_by]


def check_cover(f: PairFacts) -> list[Violation]:
    """[twinning.cover, twinning.min_helped] No unpaired weak school has a compatible helper
    with a free place (the plan could pair one more school, or fill a helper's minimum)."""
    inst = f.inst
    ratio = inst.policy.twinning.max_helped_students_ratio
    helpers = rules.helper_schools(inst)
    students = {h.id: f.helped_students(h.id) for h in helpers} if ratio is not None else {}
    out = []
    for w in _unpaired(f):
        for h in helpers:
            if f.load[h.id] >= rules.helper_capacity(inst, h):
                continue
            if not rules.compatible(inst, h, w, f.dist, f.recent):
                continue
            if ratio is not None and students[h.id] + (w.students or 0) > (
                rules.student_budget_limit(inst, h)
            ):
                continue
            below_min = f.load[h.id] < rules.min_places(inst, h)
            out.append(
                Violation(
                    rule="twinning.min_helped" if below_min else "twinning.cover",
                    where=[w.id, h.id],
                    code="check.twinning.min_helped" if below_min else "check.twinning.cover",
                    params={"school": w.id, "helper": h.id},
                )
            )
            break
    return out


def check_unpaired_listed(f: PairFacts) -> list[Violation]:
    """[plan.unpaired] Every weak school left unpaired is listed with a reason, and no
    paired school is."""
    listed = {u.school for u in f.plan.unpaired}
    missing = sorted({s.id for s in _unpaired(f)} - listed)
    wrongly = sorted(listed & set(f.helped_by))
    out = []
    if missing:
        out.append(
            Violation(
                rule="plan.unpaired",
                where=missing[:20],
                amount=len(missing),
                code="check.plan.unpaired.missing",
            )
        )
    if wrongly:
        out.append(
            Violation(
                rule="plan.unpaired",
                where=wrongly[:20],
                amount=len(wrongly),
                code="check.plan.unpaired.paired",
            )
        )
    return out


#: Every pair rule's check, in the order violations are listed.
PAIR_CHECKS = (
    check_helper,
    check_helped,
    check_same_stage,
    check_max_km,
    check_avoid_repeat_cycles,
    check_vetoed,
    check_pair_figures,
    check_helped_once,
    check_max_helped,
    check_max_helped_students_ratio,
    check_fixed,
    check_cover,
    check_unpaired_listed,
)


def pairs_objective(f: PairFacts) -> PartObjective:
    """The pairs objective, recomputed from its definition (solver/models/pairs/data.py)."""
    assert f.profile is not None
    inst, w8 = f.inst, f.inst.policy.weights
    helpers = rules.helper_schools(inst)
    weak = rules.weak_schools(inst)
    empty = sum(max(0, rules.min_places(inst, h) - f.load[h.id]) for h in helpers)
    profile = f.profile
    matrix = rules.complementarity_matrix(profile, [h.id for h in helpers], [w.id for w in weak])
    best = int(matrix.max(axis=0).sum()) if helpers and weak else 0
    got = sum(profile.complementarity(p.helper, p.helped) for p in f.pairs)
    km_cost = sum(round(w8.pair_km * f.dist.km(p.helper, p.helped)) for p in f.pairs)
    km_total = sum(f.dist.km(p.helper, p.helped) for p in f.pairs)
    shortfall = best - got
    unpaired = len(_unpaired(f))
    value = (
        w8.pair_cover * unpaired
        + w8.pair_min_helped * empty
        + w8.pair_complementarity * shortfall
        + km_cost
    )
    terms = {
        "unpaired": float(unpaired),
        "min_places_empty": float(empty),
        "complementarity_shortfall": float(shortfall),
        "distance_km": round(km_total, 3),
    }
    return PartObjective(value=value, terms=terms)
