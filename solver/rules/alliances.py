"""What the alliance rules mean (联盟 / 教育集团): pure definitions shared by model and checker.

Terms
-----
possible lead
    A school with ``can_lead`` (default: strong schools), or a lead fixed by
    ``alliances.leads`` or by a pinned membership.
compatible member
    Shares a stage with its lead (``alliances.same_stage``) and lies in its lead's
    region (``alliances.within_region``). Pinned memberships are kept whatever these say.
balance deviations (捆绑考核)
    a_i = round(100 x ([school i is strong] - county share of strong schools)) and
    b_i = round(100 x (backbone teachers of i - county backbone per student x students
    of i)); an alliance whose strength matches the county mean sums to 0.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
from numpy.typing import NDArray

from solver.county.instance import Instance, School, share_stage

IntArray = NDArray[np.int64]


class AllianceSetupError(ValueError):
    """The policy does not say how many alliances to form, or says it inconsistently."""


def can_lead(school: School) -> bool:
    """Whether a school may lead an alliance (its ``can_lead``, default: strong schools)."""
    return school.can_lead if school.can_lead is not None else school.tier == "strong"


def fixed_leads(inst: Instance) -> set[str]:
    """Leads the planner fixed: ``alliances.leads`` and the leads of pinned memberships."""
    pinned = {f.from_school for f in inst.fixed if f.kind == "alliance"}
    return set(inst.policy.alliances.leads or []) | pinned


def pinned_members(inst: Instance) -> dict[str, str]:
    """Member -> lead of every pinned membership [fixed.csv, kind alliance]."""
    return {f.to_school: f.from_school for f in inst.fixed if f.kind == "alliance"}


def alliance_count(inst: Instance) -> tuple[int, list[str]]:
    """(number of alliances, fixed lead ids) [alliances.groups, alliances.leads]."""
    pol = inst.policy.alliances
    leads = list(pol.leads or [])
    pinned_leads = sorted({f.from_school for f in inst.fixed if f.kind == "alliance"})
    if pol.groups is None and not leads:
        raise AllianceSetupError(
            "alliances: set alliances.groups (how many alliances) or alliances.leads in the policy"
        )
    p = pol.groups if pol.groups is not None else len(leads)
    forced = sorted(set(leads) | set(pinned_leads))
    if len(forced) > p:
        raise AllianceSetupError(
            f"alliances.groups is {p} but {len(forced)} leads are fixed "
            f"(alliances.leads and pinned memberships): {', '.join(forced)}"
        )
    if p > len(inst.schools):
        raise AllianceSetupError(
            f"alliances.groups is {p}, more than the {len(inst.schools)} schools"
        )
    return p, forced


def compatible(inst: Instance, member: School, lead: School) -> bool:
    """A member may join a lead's alliance [alliances.same_stage, alliances.within_region]."""
    al = inst.policy.alliances
    if al.same_stage and not share_stage(member, lead):
        return False
    return not (al.within_region and (member.region or "") != (lead.region or ""))


def last_leads(inst: Instance) -> dict[str, str]:
    """Each school's lead in the most recent alliance cycle of history (a lead leads itself)."""
    periods = sorted({h.period for h in inst.history if h.kind == "alliance"})
    if not periods:
        return {}
    last = periods[-1]
    out: dict[str, str] = {}
    for h in inst.history:
        if h.kind == "alliance" and h.period == last:
            out[h.to_school] = h.from_school
            out.setdefault(h.from_school, h.from_school)
    return out


def strength_deviations(inst: Instance) -> tuple[IntArray, IntArray]:
    """a_i and b_i of the module docstring, in the order of ``inst.schools``."""
    n = len(inst.schools)
    strong = np.array([s.tier == "strong" for s in inst.schools], dtype=float)
    share = strong.mean() if n else 0.0
    backbone = Counter(t.school for t in inst.staff if t.is_backbone)
    bb = np.array([backbone[s.id] for s in inst.schools], dtype=float)
    students = np.array([s.students or 0 for s in inst.schools], dtype=float)
    rate = bb.sum() / students.sum() if students.sum() > 0 else 0.0
    a = np.rint(100 * (strong - share)).astype(np.int64)
    b = np.rint(100 * (bb - rate * students)).astype(np.int64)
    return a, b
