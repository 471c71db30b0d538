"""The checker: every rule, checked independently of the solver code.

This module is the specification. It never imports ortools nor the model code
(``solver.models.pairs``): it re-derives what each rule demands from the instance, lists
every violation with its rule, schools and amount, and recomputes the objective
so that a plan whose stated objective differs is caught.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from pydantic import BaseModel, Field

from solver.county.distances import Distances
from solver.county.instance import Instance, share_stage
from solver.county.needs import school_needs
from solver.county.vocabulary import COUNTY_OR_ABOVE
from solver.plan import Plan


class Violation(BaseModel):
    """One broken rule: which rule, where, by how much."""

    rule: str = Field(description="The rule's name, as the policy key or plan field.")
    where: list[str] = Field(description="Schools or staff concerned.")
    amount: float | None = Field(None, description="By how much, in the rule's unit.")
    message: str

    def __str__(self) -> str:
        amount = f" (by {self.amount:g})" if self.amount is not None else ""
        return f"[{self.rule}] {', '.join(self.where)}: {self.message}{amount}"


class ValidationReport(BaseModel):
    """Everything the checker found; ``ok`` when there is no violation."""

    violations: list[Violation] = Field(default_factory=list)
    objectives: dict[str, dict[str, Any]] = Field(default_factory=dict)
    kpis: dict[str, dict[str, Any]] = Field(
        default_factory=dict, description="KPIs recomputed from the plan, per part."
    )

    @property
    def ok(self) -> bool:
        return not self.violations


def validate(inst: Instance, plan: Plan) -> ValidationReport:
    """Check a plan against every rule of the instance's policy.

    Works on any plan, including one read from disk or written by hand.
    """
    report = ValidationReport()
    dist = Distances(inst)
    if "pairs" in plan.parts:
        _check_pairs(inst, plan, dist, report)
    if "alliances" in plan.parts:
        _check_alliances(inst, plan, dist, report)
    if "roster" in plan.parts:
        from solver.check.roster import check_roster

        check_roster(inst, plan, dist, report)
    stated = sum(o.value for o in plan.objectives.values())
    recomputed = sum(int(o["value"]) for o in report.objectives.values())
    if plan.objectives and stated != plan.objective:
        report.violations.append(
            Violation(
                rule="plan.objective",
                where=["plan"],
                amount=abs(stated - plan.objective),
                message=f"stated total {plan.objective} is not the sum of the parts {stated}",
            )
        )
    if report.objectives and plan.status != "infeasible" and recomputed != plan.objective:
        report.violations.append(
            Violation(
                rule="plan.objective",
                where=["plan"],
                amount=abs(recomputed - plan.objective),
                message=f"stated objective {plan.objective}, recomputed {recomputed}",
            )
        )
    return report


# ---- pairs -------------------------------------------------------------------------------


def helper_capacity(inst: Instance, school_id: str) -> int:
    """Helper capacity: the school's own figure, else twinning.max_helped for strong schools."""
    s = inst.school(school_id)
    if s.helper_capacity is not None:
        return s.helper_capacity
    return inst.policy.twinning.max_helped if s.tier == "strong" else 0


Shortages = dict[str, dict[str, tuple[int, int]]]


def _complementarity(inst: Instance) -> tuple[dict[str, dict[str, int]], Shortages]:
    """(strength per helper and subject, (shortage, priority weight) per school and subject).

    A helper's strength in a subject is its surplus teachers plus its backbone teachers
    of county level or above; complementarity of a pair is the sum over subjects of the
    priority weight times min(strength, shortage).
    """
    weights = inst.policy.needs.priority_weights
    strength: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    shortage: Shortages = defaultdict(dict)
    for school, by_subject in school_needs(inst).items():
        for subject, need in by_subject.items():
            strength[school][subject] += need.surplus
            if need.shortage:
                shortage[school][subject] = (need.shortage, weights.get(need.priority, 1))
    for t in inst.staff:
        if t.subject and t.backbone in COUNTY_OR_ABOVE:
            strength[t.school][t.subject] += 1
    return strength, shortage


def _comp(
    strength: dict[str, dict[str, int]], shortage: Shortages, helper: str, helped: str
) -> int:
    give = strength.get(helper, {})
    return sum(
        weight * min(give.get(s, 0), short)
        for s, (short, weight) in shortage.get(helped, {}).items()
    )


def _check_pairs(inst: Instance, plan: Plan, dist: Distances, report: ValidationReport) -> None:
    pol = inst.policy
    tw, w8 = pol.twinning, pol.weights
    v = report.violations
    ids = {s.id for s in inst.schools}
    schools = {s.id: s for s in inst.schools}
    fixed = set(inst.fixed_pairs())
    recent = inst.recent_pairs()
    strength, shortage = _complementarity(inst)

    valid_pairs = []
    for p in plan.pairs:
        unknown = [x for x in (p.helper, p.helped) if x not in ids]
        if unknown:
            v.append(
                Violation(
                    rule="plan.unknown_school",
                    where=unknown,
                    message="the plan names a school the instance does not have",
                )
            )
            continue
        valid_pairs.append(p)
    load = Counter(p.helper for p in valid_pairs)
    helped_by: dict[str, list[str]] = defaultdict(list)
    for p in valid_pairs:
        helped_by[p.helped].append(p.helper)

    for p in valid_pairs:
        h, w = schools[p.helper], schools[p.helped]
        pinned = (p.helper, p.helped) in fixed
        if helper_capacity(inst, h.id) <= 0:
            v.append(
                Violation(
                    rule="twinning.helper",
                    where=[h.id, w.id],
                    message=f"{h.id} is not a helper school (helper capacity 0)",
                )
            )
        if w.tier != "weak":
            v.append(
                Violation(
                    rule="twinning.helped",
                    where=[h.id, w.id],
                    message=f"{w.id} is not a weak school (tier {w.tier})",
                )
            )
        if pinned:
            continue  # the planner pinned it: stage, distance and repeat rules yield
        if tw.same_stage and not share_stage(h, w):
            v.append(
                Violation(
                    rule="twinning.same_stage",
                    where=[h.id, w.id],
                    message="helper and helped school share no stage",
                )
            )
        km = dist.km(h.id, w.id)
        if tw.max_km is not None and km > tw.max_km + 1e-9:
            v.append(
                Violation(
                    rule="twinning.max_km",
                    where=[h.id, w.id],
                    amount=round(km - tw.max_km, 3),
                    message=f"{km:.1f} km apart, limit {tw.max_km:g} km",
                )
            )
        if (h.id, w.id) in recent:
            v.append(
                Violation(
                    rule="twinning.avoid_repeat_cycles",
                    where=[h.id, w.id],
                    message="this pair was drawn in a recent cycle",
                )
            )
        stated_km = p.distance_km
        if abs(stated_km - km) > 0.01:
            v.append(
                Violation(
                    rule="plan.pair_figures",
                    where=[h.id, w.id],
                    amount=round(abs(stated_km - km), 3),
                    message=f"stated {stated_km} km, the instance gives {km:.3f} km",
                )
            )
        comp = _comp(strength, shortage, h.id, w.id)
        if comp != p.complementarity:
            v.append(
                Violation(
                    rule="plan.pair_figures",
                    where=[h.id, w.id],
                    amount=abs(comp - p.complementarity),
                    message=f"stated complementarity {p.complementarity}, recomputed {comp}",
                )
            )

    for w_id, by in sorted(helped_by.items()):
        if len(by) > 1:
            v.append(
                Violation(
                    rule="twinning.helped_once",
                    where=[w_id, *by],
                    amount=len(by) - 1,
                    message=f"{w_id} has {len(by)} helpers, at most 1",
                )
            )
    for h_id, n in sorted(load.items()):
        cap = helper_capacity(inst, h_id)
        if n > cap:
            v.append(
                Violation(
                    rule="twinning.max_helped",
                    where=[h_id],
                    amount=n - cap,
                    message=f"{h_id} helps {n} schools, capacity {cap}",
                )
            )
    if tw.max_helped_students_ratio is not None:
        for h_id in sorted(load):
            got = sum(schools[p.helped].students or 0 for p in valid_pairs if p.helper == h_id)
            limit = tw.max_helped_students_ratio * (schools[h_id].students or 0)
            if got > int(limit):
                v.append(
                    Violation(
                        rule="twinning.max_helped_students_ratio",
                        where=[h_id],
                        amount=got - int(limit),
                        message=f"helped schools have {got} students, limit {int(limit)}",
                    )
                )
    planned = {(p.helper, p.helped) for p in valid_pairs}
    for pin in sorted(fixed - planned):
        v.append(
            Violation(
                rule="twinning.fixed",
                where=list(pin),
                message="a pair pinned in the instance is missing",
            )
        )

    # Maximality: an unpaired weak school with a compatible helper that has a free place
    # means the plan could pair one more school (twinning.cover) or fill a helper's
    # minimum (twinning.min_helped).
    weak = [s for s in inst.schools if s.tier == "weak"]
    unpaired = [s for s in weak if s.id not in helped_by]
    helpers = [s for s in inst.schools if helper_capacity(inst, s.id) > 0]
    for w in unpaired:
        for h in helpers:
            if load[h.id] >= helper_capacity(inst, h.id) or (h.id, w.id) in recent:
                continue
            if tw.same_stage and not share_stage(h, w):
                continue
            if tw.max_km is not None and dist.km(h.id, w.id) > tw.max_km + 1e-9:
                continue
            if tw.max_helped_students_ratio is not None:
                got = sum(schools[p.helped].students or 0 for p in valid_pairs if p.helper == h.id)
                limit = int(tw.max_helped_students_ratio * (h.students or 0))
                if got + (w.students or 0) > limit:
                    continue
            minimum = min(tw.min_helped, helper_capacity(inst, h.id))
            rule = "twinning.min_helped" if load[h.id] < minimum else "twinning.cover"
            v.append(
                Violation(
                    rule=rule,
                    where=[w.id, h.id],
                    message=f"{w.id} is unpaired though {h.id} is compatible and has a free place",
                )
            )
            break

    listed = {u.school for u in plan.unpaired}
    missing = sorted({s.id for s in unpaired} - listed)
    if missing:
        v.append(
            Violation(
                rule="plan.unpaired",
                where=missing[:20],
                amount=len(missing),
                message="weak schools left unpaired are not reported with a reason",
            )
        )
    wrongly = sorted(listed & set(helped_by))
    if wrongly:
        v.append(
            Violation(
                rule="plan.unpaired",
                where=wrongly[:20],
                amount=len(wrongly),
                message="reported unpaired but paired in the plan",
            )
        )

    # The objective, recomputed from its definition (solver/pairs/data.py docstring).
    empty = sum(
        max(0, min(tw.min_helped, helper_capacity(inst, h.id)) - load[h.id]) for h in helpers
    )
    best = {
        w.id: max((_comp(strength, shortage, h.id, w.id) for h in helpers), default=0) for w in weak
    }
    got_comp = sum(_comp(strength, shortage, p.helper, p.helped) for p in valid_pairs)
    km_cost = sum(round(w8.pair_km * dist.km(p.helper, p.helped)) for p in valid_pairs)
    km_total = sum(dist.km(p.helper, p.helped) for p in valid_pairs)
    shortfall = sum(best.values()) - got_comp
    value = (
        w8.pair_cover * len(unpaired)
        + w8.pair_min_helped * empty
        + w8.pair_complementarity * shortfall
        + km_cost
    )
    terms = {
        "unpaired": float(len(unpaired)),
        "min_places_empty": float(empty),
        "complementarity_shortfall": float(shortfall),
        "distance_km": round(km_total, 3),
    }
    report.objectives["pairs"] = {"value": value, "terms": terms}
    stated = plan.objectives.get("pairs")
    if stated is not None and stated.value != value:
        v.append(
            Violation(
                rule="plan.objective",
                where=["pairs"],
                amount=abs(stated.value - value),
                message=f"stated pairs objective {stated.value}, recomputed {value}",
            )
        )


# ---- alliances ---------------------------------------------------------------------------


def _check_alliances(inst: Instance, plan: Plan, dist: Distances, report: ValidationReport) -> None:
    pol = inst.policy
    al, w8 = pol.alliances, pol.weights
    v = report.violations
    schools = {s.id: s for s in inst.schools}
    rows = [m for m in plan.alliances if m.member in schools and m.lead in schools]
    for m in plan.alliances:
        if m not in rows:
            v.append(
                Violation(
                    rule="plan.unknown_school",
                    where=[m.lead, m.member],
                    message="the plan names a school the instance does not have",
                )
            )

    # Every school in exactly one alliance; one lead per alliance.
    placed: dict[str, list[str]] = defaultdict(list)
    for m in rows:
        placed[m.member].append(m.alliance)
    for sid in sorted(schools):
        if sid not in placed:
            v.append(
                Violation(rule="alliances.cover", where=[sid], message=f"{sid} is in no alliance")
            )
        elif len(placed[sid]) > 1:
            v.append(
                Violation(
                    rule="alliances.cover",
                    where=[sid, *placed[sid]],
                    amount=len(placed[sid]) - 1,
                    message=f"{sid} is in {len(placed[sid])} alliances",
                )
            )
    leads: dict[str, set[str]] = defaultdict(set)
    members: dict[str, list[str]] = defaultdict(list)
    for m in rows:
        leads[m.alliance].add(m.lead)
        members[m.alliance].append(m.member)
    lead_of_alliance: dict[str, str] = {}
    for alliance, ls in sorted(leads.items()):
        if len(ls) > 1:
            v.append(
                Violation(
                    rule="alliances.one_lead",
                    where=[alliance, *sorted(ls)],
                    message=f"alliance {alliance} names {len(ls)} leads",
                )
            )
        lead = sorted(ls)[0]
        lead_of_alliance[alliance] = lead
        if lead not in members[alliance]:
            v.append(
                Violation(
                    rule="alliances.lead_in_own",
                    where=[alliance, lead],
                    message=f"lead {lead} is not a member of its own alliance",
                )
            )
        s = schools[lead]
        fixed_leads = set(al.leads or []) | {
            f.from_school for f in inst.fixed if f.kind == "alliance"
        }
        can = s.can_lead if s.can_lead is not None else s.tier == "strong"
        if not can and lead not in fixed_leads:
            v.append(
                Violation(
                    rule="alliances.can_lead",
                    where=[lead],
                    message=f"{lead} may not lead an alliance (tier {s.tier})",
                )
            )
        size = len(members[alliance])
        if size < al.min_size:
            v.append(
                Violation(
                    rule="alliances.min_size",
                    where=[alliance, lead],
                    amount=al.min_size - size,
                    message=f"alliance {alliance} has {size} schools, at least {al.min_size}",
                )
            )
        if al.max_size is not None and size > al.max_size:
            v.append(
                Violation(
                    rule="alliances.max_size",
                    where=[alliance, lead],
                    amount=size - al.max_size,
                    message=f"alliance {alliance} has {size} schools, at most {al.max_size}",
                )
            )
    groups = al.groups if al.groups is not None else len(al.leads or [])
    if len(leads) != groups:
        v.append(
            Violation(
                rule="alliances.groups",
                where=sorted(leads),
                amount=abs(len(leads) - groups),
                message=f"{len(leads)} alliances, the policy asks for {groups}",
            )
        )
    chosen = set(lead_of_alliance.values())
    for lead in sorted(set(al.leads or []) - chosen):
        v.append(
            Violation(
                rule="alliances.leads",
                where=[lead],
                message=f"{lead} is a fixed lead but leads no alliance",
            )
        )
    pinned = {f.to_school: f.from_school for f in inst.fixed if f.kind == "alliance"}
    lead_of: dict[str, str] = {}
    for m in rows:
        lead = lead_of_alliance[m.alliance]
        lead_of.setdefault(m.member, lead)
        if pinned.get(m.member, lead) != lead:
            v.append(
                Violation(
                    rule="alliances.fixed",
                    where=[m.member, pinned[m.member]],
                    message=f"{m.member} is pinned to {pinned[m.member]}'s alliance",
                )
            )
        if m.member == lead:
            continue
        a, b = schools[m.member], schools[lead]
        if m.member in pinned:
            continue  # the planner pinned it: stage and region rules yield
        if al.same_stage and not share_stage(a, b):
            v.append(
                Violation(
                    rule="alliances.same_stage",
                    where=[m.member, lead],
                    message=f"{m.member} shares no stage with its lead {lead}",
                )
            )
        if al.within_region and (a.region or "") != (b.region or ""):
            v.append(
                Violation(
                    rule="alliances.within_region",
                    where=[m.member, lead],
                    message=f"{m.member} is in region {a.region}, its lead {lead} in {b.region}",
                )
            )
        km = dist.km(m.member, lead)
        if abs(km - m.distance_km) > 0.01:
            v.append(
                Violation(
                    rule="plan.alliance_figures",
                    where=[m.member, lead],
                    amount=round(abs(km - m.distance_km), 3),
                    message=f"stated {m.distance_km} km, the instance gives {km:.3f} km",
                )
            )
    for member, lead in sorted(pinned.items()):
        if member not in lead_of:
            v.append(
                Violation(
                    rule="alliances.fixed",
                    where=[member, lead],
                    message="a pinned membership is missing",
                )
            )

    # The objective, recomputed from its definition (solver/alliances/data.py docstring).
    km_cost = sum(round(w8.alliance_km * dist.km(m, lead)) for m, lead in lead_of.items())
    km_total = sum(dist.km(m, lead) for m, lead in lead_of.items())
    previous = _last_cycle_leads(inst)
    changes = sum(
        1 for sid, lead in previous.items() if sid in schools and lead_of.get(sid) != lead
    )
    strong_share = sum(s.tier == "strong" for s in inst.schools) / len(inst.schools)
    backbone = Counter(t.school for t in inst.staff if t.backbone in COUNTY_OR_ABOVE)
    students = sum(s.students or 0 for s in inst.schools)
    rate = sum(backbone.values()) / students if students else 0.0
    strong_imb = bb_imb = 0
    for alliance in leads:
        group = [schools[m] for m in members[alliance]]
        strong_imb += abs(sum(round(100 * ((s.tier == "strong") - strong_share)) for s in group))
        bb_imb += abs(sum(round(100 * (backbone[s.id] - rate * (s.students or 0))) for s in group))
    value = (
        km_cost
        + w8.alliance_history * changes
        + w8.alliance_balance_strong * strong_imb
        + w8.alliance_balance_backbone * bb_imb
    )
    terms = {
        "distance_km": round(km_total, 3),
        "history_changes": float(changes),
        "strong_imbalance": strong_imb / 100,
        "backbone_imbalance": bb_imb / 100,
    }
    report.objectives["alliances"] = {"value": value, "terms": terms}
    stated = plan.objectives.get("alliances")
    if stated is not None and stated.value != value:
        v.append(
            Violation(
                rule="plan.objective",
                where=["alliances"],
                amount=abs(stated.value - value),
                message=f"stated alliances objective {stated.value}, recomputed {value}",
            )
        )


def _last_cycle_leads(inst: Instance) -> dict[str, str]:
    """Each school's lead in the latest alliance cycle of history (a lead leads itself)."""
    entries = [h for h in inst.history if h.kind == "alliance"]
    if not entries:
        return {}
    last = max(h.period for h in entries)
    out: dict[str, str] = {}
    for h in entries:
        if h.period == last:
            out[h.to_school] = h.from_school
            out.setdefault(h.from_school, h.from_school)
    return out
