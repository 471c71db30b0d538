"""What the twinning rules mean (结对帮扶): pure definitions shared by model and checker.

Terms
-----
helper
    A school with helper capacity > 0: its own ``helper_capacity``, else
    ``twinning.max_helped`` for strong schools and 0 for the others.
helped school
    A weak school (薄弱校).
compatible pair
    Helper and helped school share a stage (``twinning.same_stage``), lie within
    ``twinning.max_km`` and were not paired in the last ``twinning.avoid_repeat_cycles``
    cycles of history. Pinned pairs (``fixed.csv``, kind ``pair``) are kept whatever
    these rules say.
complementarity
    Of a pair: the sum over subjects of the helped school's shortage priority weight x
    min(helper's strength, helped school's shortage), where a helper's strength in a
    subject is its surplus teachers plus its county-level-or-above backbone teachers.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from twinning.county.distances import Distances
from twinning.county.instance import Instance, School, share_stage
from twinning.county.needs import school_needs
from twinning.messages import Msg, msg

IntArray = NDArray[np.int64]


def helper_capacity(inst: Instance, school: School) -> int:
    """Helped schools this school may support [twinning.max_helped]."""
    if school.helper_capacity is not None:
        return school.helper_capacity
    return inst.policy.twinning.max_helped if school.tier == "strong" else 0


def min_places(inst: Instance, school: School) -> int:
    """Helped schools a helper should take where it can [twinning.min_helped]."""
    return min(inst.policy.twinning.min_helped, helper_capacity(inst, school))


def helper_schools(inst: Instance) -> list[School]:
    """Schools that may help: helper capacity > 0."""
    return [s for s in inst.schools if helper_capacity(inst, s) > 0]


def weak_schools(inst: Instance) -> list[School]:
    """Schools that need help: tier weak."""
    return [s for s in inst.schools if s.tier == "weak"]


def pair_history_periods(inst: Instance) -> list[str]:
    """Distinct periods of pair history, most recent first."""
    return sorted({h.period for h in inst.history if h.kind == "pair"}, reverse=True)


def recent_pairs(inst: Instance) -> set[tuple[str, str]]:
    """(helper, helped) pairs of the last cycles [twinning.avoid_repeat_cycles]."""
    cycles = inst.policy.twinning.avoid_repeat_cycles
    recent = set(pair_history_periods(inst)[:cycles])
    return {
        (h.from_school, h.to_school)
        for h in inst.history
        if h.kind == "pair" and h.period in recent
    }


def vetoed_pairs(inst: Instance) -> set[tuple[str, str]]:
    """(helper, helped) pairs the bureau rules out [twinning.vetoed]."""
    return {(h, w) for h, w in inst.policy.twinning.vetoed}


def fixed_pairs(inst: Instance) -> list[tuple[str, str]]:
    """Pinned (helper, helped) pairs [fixed.csv, kind pair]."""
    return [(f.from_school, f.to_school) for f in inst.fixed if f.kind == "pair"]


def within_km(inst: Instance, km: float) -> bool:
    """Close enough to visit [twinning.max_km]."""
    limit = inst.policy.twinning.max_km
    return limit is None or km <= limit + 1e-9


def stage_ok(inst: Instance, helper: School, helped: School) -> bool:
    """Helper and helped school share a stage, where the policy asks [twinning.same_stage]."""
    return not inst.policy.twinning.same_stage or share_stage(helper, helped)


def compatible(
    inst: Instance,
    helper: School,
    helped: School,
    dist: Distances,
    recent: set[tuple[str, str]] | None = None,
) -> bool:
    """Stage, distance, repeat and veto rules together (pinned pairs are exempt)."""
    recent = recent_pairs(inst) if recent is None else recent
    return (
        stage_ok(inst, helper, helped)
        and within_km(inst, dist.km(helper.id, helped.id))
        and (helper.id, helped.id) not in recent
        and (helper.id, helped.id) not in vetoed_pairs(inst)
    )


def student_budget_limit(inst: Instance, helper: School) -> int:
    """Students the helped schools of a helper may have together
    [twinning.max_helped_students_ratio]; 0 when the rule is off."""
    ratio = inst.policy.twinning.max_helped_students_ratio
    if ratio is None:
        return 0
    return int(ratio * (helper.students or 0))


@dataclass
class SubjectProfile:
    """Per-school subject figures: what a helper can give, what a helped school lacks."""

    subjects: list[str]
    strength: dict[str, dict[str, int]]  # school -> subject -> surplus + backbone teachers
    weight: dict[str, dict[str, int]]  # school -> subject -> weight of its shortage's priority
    raw_shortage: dict[str, dict[str, int]]  # school -> subject -> shortage (teachers)
    surplus: dict[str, dict[str, int]]
    backbone: dict[str, dict[str, int]]

    def complementarity(self, helper: str, helped: str) -> int:
        """Priority weight x min(strength, shortage), summed over the helped school's needs."""
        give = self.strength.get(helper, {})
        weight = self.weight.get(helped, {})
        return sum(
            weight[s] * min(give.get(s, 0), short)
            for s, short in self.raw_shortage.get(helped, {}).items()
        )


def subject_profile(inst: Instance) -> SubjectProfile:
    """Strengths and weighted shortages per school and subject."""
    needs = school_needs(inst)
    weights = inst.policy.needs.priority_weights
    backbone: dict[str, dict[str, int]] = defaultdict(dict)
    counts: Counter[tuple[str, str]] = Counter(
        (t.school, t.subject) for t in inst.staff if t.subject and t.is_backbone
    )
    for (school, subject), n in counts.items():
        backbone[school][subject] = n
    surplus: dict[str, dict[str, int]] = defaultdict(dict)
    weight: dict[str, dict[str, int]] = defaultdict(dict)
    raw_shortage: dict[str, dict[str, int]] = defaultdict(dict)
    for school, by_subject in needs.items():
        for subject, need in by_subject.items():
            if need.surplus:
                surplus[school][subject] = need.surplus
            if need.shortage:
                raw_shortage[school][subject] = need.shortage
                weight[school][subject] = weights.get(need.priority, 1)
    strength: dict[str, dict[str, int]] = defaultdict(dict)
    for school in set(surplus) | set(backbone):
        for subject in set(surplus[school]) | set(backbone[school]):
            strength[school][subject] = surplus[school].get(subject, 0) + backbone[school].get(
                subject, 0
            )
    subjects = sorted(
        {s for d in raw_shortage.values() for s in d} | {s for d in strength.values() for s in d}
    )
    return SubjectProfile(
        subjects, dict(strength), dict(weight), dict(raw_shortage), dict(surplus), dict(backbone)
    )


def complementarity_matrix(
    profile: SubjectProfile, helpers: list[str], helped: list[str]
) -> IntArray:
    """comp[h, w] = sum over subjects of priority weight x min(strength of h, shortage of w)."""
    k = len(profile.subjects)
    col = {s: j for j, s in enumerate(profile.subjects)}
    strength = np.zeros((len(helpers), k), dtype=np.int64)
    for i, h in enumerate(helpers):
        for s, v in profile.strength.get(h, {}).items():
            strength[i, col[s]] = v
    short = np.zeros((len(helped), k), dtype=np.int64)
    weight = np.zeros((len(helped), k), dtype=np.int64)
    for i, w in enumerate(helped):
        for s, v in profile.raw_shortage.get(w, {}).items():
            short[i, col[s]] = v
            weight[i, col[s]] = profile.weight[w][s]
    comp = np.zeros((len(helpers), len(helped)), dtype=np.int64)
    for j in range(k):  # one subject at a time keeps memory at helpers x helped
        matched = np.minimum(strength[:, j, None], short[None, :, j])
        np.add(comp, matched * weight[None, :, j], out=comp)
    return comp


def need_answered(subject: str, short: int, backbone: int, surplus: int) -> Msg:
    """One subject a pair answers: the helped school lacks ``short`` teachers of it, and
    the helper has ``backbone`` county-level-or-above backbone and ``surplus`` spare
    teachers of it (at least one of the two)."""
    params = {"subject": subject, "short": short, "backbone": backbone, "surplus": surplus}
    if backbone and not surplus:
        return msg("pairs.why.need.backbone", **params)
    if surplus and not backbone:
        return msg("pairs.why.need.surplus", **params)
    return msg("pairs.why.need.both", **params)


def why_message(needs: list[Msg], *, pinned: bool = False) -> Msg:
    """A pair's ``why``: the needs it answers (:func:`need_answered`), or, when there is
    none, that the helper is the nearest of the stage; ``pinned`` when the instance pins
    the pair."""
    if needs:
        if pinned:
            return msg("pairs.why.pinned", needs=needs, pinned=True)
        return msg("pairs.why", needs=needs, pinned=False)
    if pinned:
        return msg("pairs.why.nearest_pinned", needs=[], pinned=True)
    return msg("pairs.why.nearest", needs=[], pinned=False)


def why(profile: SubjectProfile, helper: str, helped: str, *, pinned: bool = False) -> Msg:
    """The needs a pair answers, as a message: subjects the helper is strong in and the
    helped school lacks (each with the shortage, and the helper's backbone and surplus
    teachers of it), said in the planner's language when shown."""
    needs = []
    strength = profile.strength.get(helper, {})
    for subject, short in sorted(profile.raw_shortage.get(helped, {}).items()):
        if strength.get(subject, 0) and short:
            needs.append(
                need_answered(
                    subject,
                    short,
                    backbone=profile.backbone.get(helper, {}).get(subject, 0),
                    surplus=profile.surplus.get(helper, {}).get(subject, 0),
                )
            )
    return why_message(needs, pinned=pinned)
