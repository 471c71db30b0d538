"""Exchange roster (交流轮岗, 挂职, 青蓝结对): who moves, where, when, for how long."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from dataclasses import replace
from typing import Any

from twinning.county.distances import Distances
from twinning.county.instance import Instance
from twinning.messages import Msg, msg
from twinning.models.hires import place_hires
from twinning.models.roster.decompose import solve_roster_model
from twinning.models.roster.headship import HeadshipOutcome, solve_headship
from twinning.models.roster.mentors import match_mentors
from twinning.models.roster.model import RosterOutcome, covered_needs, quota_missing, roster_cost
from twinning.models.roster.options import RosterData, baseline_bonus, roster_data
from twinning.models.said import clauses
from twinning.models.search import SearchInterrupted, SearchSettings
from twinning.plan import Membership, Move, Pair, PartObjective, Plan, UnmetNeed
from twinning.result import QuotaCap, RosterKpis, RosterResult, RosterSolution, gap_of, worst_status
from twinning.rules import roster as rules
from twinning.rules.balance import (
    balance_deviation,
    ceiling_misses,
    ceilings,
    count_changes,
    no_worse_before,
)
from twinning.rules.departments import mentee_elsewhere
from twinning.rules.hires import remaining_after
from twinning.rules.quota import quota_reasons
from twinning.vocabulary import COUNTY_OR_ABOVE

__all__ = ["solve_roster"]

#: Share of the roster's time limit kept for the work after the search: the mentors'
#: matching, the secondments placed where they fit, the figures (a city's take a minute).
AFTER_SEARCH = 0.1


def solve_roster(
    inst: Instance,
    pairs: list[Pair],
    alliances: list[Membership],
    *,
    settings: SearchSettings | None = None,
    dist: Distances | None = None,
    baseline: list[Move] | None = None,
    memo: dict[str, Any] | None = None,
) -> RosterSolution:
    """Solve the roster part, given the pairs and alliances it builds on (and, when
    re-planning, the ``baseline`` roster whose moves it keeps where the rules allow).

    A rule the plan cannot keep makes the status ``infeasible``; the plan that comes
    closest is still returned in full, and the message names every school and amount.
    ``memo``: where the options built are kept, and taken from when a solve before built
    the same (:func:`~twinning.models.roster.options.roster_data`).
    """
    start = time.perf_counter()
    settings = settings or SearchSettings()
    dist = dist or Distances(inst)
    # Changes of headship first: a small exact model, independent of the exchanges.
    head = solve_headship(
        inst,
        pairs,
        alliances,
        replace(settings, time_limit=min(10.0, max(1.0, settings.time_limit / 6))),
        dist,
    )
    try:
        data = roster_data(memo, inst, pairs, alliances, dist)
        data.bonus = baseline_bonus(inst, data, baseline or [])
        ruled = inst.policy.balance.target == "rule"
        if ruled or inst.policy.balance.no_worse:
            data.balance_shift = count_changes(inst, head.moves)
        if not settings.deterministic:  # (deterministic runs: the limit, no clock read)
            keep = AFTER_SEARCH * settings.time_limit
            left = settings.time_limit - keep - (time.perf_counter() - start)
            settings = replace(settings, time_limit=left)
        out, message = solve_roster_model(inst, data, settings)
        held = ruled or inst.policy.balance.no_worse
        if held and out.has_plan:
            out, message = _balance_rule(
                inst, data, out, message, head.moves, settings, start, (pairs, alliances, dist)
            )
    except SearchInterrupted:
        part = RosterResult(
            status="unknown",
            method=msg("method.interrupted_building"),
            wall_time=time.perf_counter() - start,
            message=msg("roster.interrupted"),
        )
        return RosterSolution(part)
    if head.status in ("infeasible", "unknown"):
        message = clauses(message, msg("roster.one_head_pinned"))
    elapsed = time.perf_counter() - start
    if not out.has_plan:
        part = RosterResult(
            status=out.status,
            method=out.method,
            wall_time=elapsed,
            message=message,
        )
        return RosterSolution(part)
    moves = _moves(data, out) + head.moves
    kept = frozenset((m.staff, m.mentee or "") for m in baseline or [] if m.kind == "mentor")
    elsewhere = mentee_elsewhere(moves)  # [rotation.mentee_at_home]
    for mentor, mentee in match_mentors(
        inst, pairs, alliances, rules.away_staff(moves), kept, elsewhere
    ):
        moves.append(
            Move(
                staff=mentor.id,
                role=mentor.role,
                subject=mentor.subject,
                from_school=mentor.school,
                to_school=mentee.school,
                first_period=data.periods[0],
                periods=len(data.periods),
                direction="out",
                kind="mentor",
                mentee=mentee.id,
            )
        )
    value = roster_cost(inst, data, out.chosen) + (head.objective or 0)
    aimed = inst.policy.balance.target != "off"
    deviation = balance_deviation(inst, moves) if aimed else 0
    value += deviation
    status = worst_status([out.status, head.status])
    bound = None
    if aimed and status == "optimal":
        status = "feasible"  # the groups price only their own schools' deviations: no bound
    if (
        not aimed
        and out.bound is not None
        and head.bound is not None
        and status in ("optimal", "feasible")
    ):
        bound = min(out.bound + data.constant + head.bound, float(value))
        # A closed gap is optimal, whichever search closed it; an open one is not.
        closed = value - bound <= 1e-9 * max(1.0, abs(value))
        status = "optimal" if closed else "feasible"
    elif status == "optimal":
        status = "feasible"
    unmet = _unmet(inst, data, out.chosen)
    terms = roster_terms(inst, data, out.chosen)
    terms.update({f"principals_{k}": v for k, v in head.terms.items()})
    if aimed:
        terms["balance_deviation"] = float(deviation)
    hires = place_hires(inst, remaining_after(inst, [m for m in moves if m.kind != "mentor"]))
    kpis = roster_kpis(inst, data, out.chosen, moves, unmet, head, dist)
    if out.held:
        kpis = kpis.model_copy(update={"secondments_held_no_worse": len(out.held)})
    part = RosterResult(
        status=status,
        objective=value,
        bound=bound,
        gap=gap_of(value, bound),
        method=(
            msg("method.roster.rebaselined", inner=out.method)
            if data.bonus and out.method is not None
            else out.method
        ),
        wall_time=time.perf_counter() - start,
        terms=terms,
        kpis=kpis,
        message=message,
    )
    return RosterSolution(part, PartObjective(value=value, terms=terms), moves, unmet, hires)


def _misses(
    inst: Instance, moves: list[Move], limits: dict[tuple[str, str], float]
) -> dict[tuple[str, str, str], float]:
    """(indicator, stage, period) -> how far the roster's coefficient is above its
    ceiling (:func:`twinning.rules.balance.ceilings`), where it is."""
    plan = Plan(instance=inst.name, parts=["roster"], status="feasible", objective=0, roster=moves)
    return {
        (ind, stage, period): round(cv - limits[(ind, stage)], 4)
        for (ind, stage, period), cv in ceiling_misses(inst, plan, limits).items()
    }


#: balance.target = "rule" or balance.no_worse: the multiples of their indicator weight
#: tried on the indicators over their ceiling, in turn, until the coefficients are within.
RULE_WEIGHTS = (10, 100, 1000)


def _balance_rule(
    inst: Instance,
    data: RosterData,
    out: RosterOutcome,
    message: Msg | None,
    head: list[Move],
    settings: SearchSettings,
    start: float,
    given: tuple[list[Pair], list[Membership], Distances],
) -> tuple[RosterOutcome, Msg | None]:
    """[balance.thresholds, balance.no_worse] With ``balance.target = "rule"`` each
    coefficient is held within its threshold, and with ``balance.no_worse`` at or below its
    value before the plan (:func:`twinning.rules.balance.ceilings`): by raising the
    surrogate's weight on the indicators over their ceiling (``balance.indicator_weights``
    times :data:`RULE_WEIGHTS`; the surrogate is switched on when the target is off), the
    others left as they are: a teacher counts in several indicators, and pulling all of
    them to the mean holds back the one that misses. When none of the weights gets there,
    the plan that misses by least is kept, and the status says whether that is proven (a
    coefficient's bound, :func:`coefficient_bounds`, above its threshold: ``infeasible``)
    or only not found (``unknown``): a plan with no move keeps no_worse, so only other
    rules can stand in its way, and no bound proves that."""
    from twinning.models.roster.balance_bound import coefficient_bounds
    from twinning.models.roster.headship import headship_data

    limits = ceilings(inst)
    misses = _misses(inst, _moves(data, out) + head, limits)
    deadline = start + settings.time_limit
    over: set[str] = set()

    def placed_after(found: RosterOutcome) -> dict[tuple[str, str, str, int], int]:
        # the secondments are placed after the exchanges' search: the search sees them
        return count_changes(inst, [m for m in _moves(data, found) if m.kind == "secondment"])

    data.balance_pending = placed_after(out)
    for multiple in RULE_WEIGHTS:
        if not misses or out.status == "infeasible":
            break
        left = deadline - time.perf_counter()
        if left < 2.0:
            break
        over |= {ind for ind, _, _ in misses}
        if inst.policy.balance.no_worse:
            data.balance_hold = data.balance_hold | {(i, st) for i, st, _ in misses}
        weights = dict(inst.policy.balance.indicator_weights)
        weights.update({ind: multiple * weights.get(ind, 1) for ind in over})
        target = "objective" if inst.policy.balance.target == "off" else inst.policy.balance.target
        bal = inst.policy.balance.model_copy(
            update={"indicator_weights": weights, "target": target}
        )
        policy = inst.policy.model_copy(update={"balance": bal})
        heavier = inst.model_copy(update={"policy": policy})
        again, note = solve_roster_model(heavier, data, replace(settings, time_limit=left))
        if not again.has_plan:
            continue
        missed = _misses(inst, _moves(data, again) + head, limits)
        if sum(missed.values()) < sum(misses.values()):
            # (its bound is of the heavier weights' cost, the surrogate's included: no
            # bound of the roster's own cost)
            solved = "feasible" if again.status == "optimal" else again.status
            out, message, misses = replace(again, status=solved, bound=None), note, missed
            data.balance_pending = placed_after(out)
    data.balance_pending = {}
    data.balance_hold = frozenset()
    if not misses:
        return out, message
    pairs, alliances, dist = given
    bounds = (
        coefficient_bounds(inst, data, headship_data(inst, pairs, alliances, dist))
        if inst.policy.balance.target == "rule"
        else {}
    )
    proven = []
    for (ind, stage), bound in sorted(bounds.items()):
        threshold = inst.policy.balance.thresholds.get(stage, 1.0)
        if bound is not None and bound > threshold:
            proven.append(
                msg(
                    "roster.balance.bound_over",
                    indicator=ind,
                    stage=stage,
                    bound=float(bound),
                    threshold=float(threshold),
                )
            )
    thresholds = inst.policy.balance.thresholds
    ruled = inst.policy.balance.target == "rule"

    def above(ind: str, stage: str, by: float) -> bool:
        return ruled and limits[(ind, stage)] + by > thresholds.get(stage, 1.0) + 1e-12

    worst = [
        msg(
            "roster.balance.miss",
            indicator=ind,
            stage=stage,
            period=period,
            by=round(limits[(ind, stage)] + by - thresholds.get(stage, 1.0), 4),
        )
        for (ind, stage, period), by in sorted(misses.items())
        if above(ind, stage, by)
    ]
    # balance.no_worse: every coefficient above its value before the plan, whether or not
    # it is above its threshold too (the checker names both rules)
    was = no_worse_before(inst) if inst.policy.balance.no_worse else {}
    rose = {
        key: round(limits[(key[0], key[1])] + by - was[(key[0], key[1])], 4)
        for key, by in misses.items()
        if (key[0], key[1]) in was
    }
    worse = [
        msg("roster.balance.worse_miss", indicator=ind, stage=stage, period=period, by=float(by))
        for (ind, stage, period), by in sorted(rose.items())
        if by > 0
    ]
    status = "unknown"
    why: Msg | None = None
    if worst and proven:
        why = msg("roster.balance.proven", bounds=proven, misses=worst)
        status = "infeasible"
    elif worst:
        known = [
            msg("roster.balance.bound", indicator=i, stage=s, bound=float(b))
            for (i, s), b in sorted(bounds.items())
            if b
        ]
        why = msg("roster.balance.not_found", misses=worst, bounds=known)
    if worse:
        why = clauses(why, msg("roster.balance.worse", misses=worse))
    if out.status == "infeasible":  # another rule is proven missed: that stands
        status = "infeasible"
    out = replace(out, status=status, bound=None)
    return out, clauses(message, why)


def _moves(data: RosterData, out: RosterOutcome) -> list[Move]:
    moves = []
    for i in out.chosen:
        o = data.options[i]
        person = data.staff[o.person]
        moves.append(
            Move(
                staff=person.id,
                role=person.role,
                subject=person.subject,
                from_school=person.school,
                to_school=o.host,
                first_period=data.periods[o.first],
                periods=o.length,
                direction=o.direction,
                kind=o.kind,
                fixed=o.person in data.pinned,
            )
        )
    return moves


def reachable_shortages(data: RosterData) -> set[tuple[str, str, int]]:
    """(host, subject, period) shortages some teacher's move out could fill at all."""
    out: set[tuple[str, str, int]] = set()
    for o in data.options:
        person = data.teacher_of(o)
        if person is None or o.direction != "out" or not person.subject:
            continue
        for t in range(o.first, o.first + o.length):
            if (o.host, person.subject, t) in data.shortage:
                out.add((o.host, person.subject, t))
    return out


def _unmet(inst: Instance, data: RosterData, chosen: list[int]) -> list[UnmetNeed]:
    covered = covered_needs(data, chosen)
    reach = reachable_shortages(data)
    out = []
    for (school, subject, t), (need, prio) in sorted(data.shortage.items()):
        got = covered.get((school, subject, t), 0)
        if got < need:
            out.append(
                UnmetNeed(
                    school=school,
                    subject=subject,
                    period=data.periods[t],
                    shortage=need,
                    covered=got,
                    priority=prio,
                    reachable=(school, subject, t) in reach,
                )
            )
    return out


def roster_terms(inst: Instance, data: RosterData, chosen: list[int]) -> dict[str, float]:
    """Each cost term before weighting."""
    weights = inst.policy.needs.priority_weights
    covered = covered_needs(data, chosen)
    uncovered = sum(
        weights.get(prio, 1) * (need - covered.get(key, 0))
        for key, (need, prio) in data.shortage.items()
    )
    moved = {data.options[i].person for i in chosen}
    rural = {s.id for s in inst.schools if s.area == "rural"}
    rural_placed = {
        data.options[i].person
        for i in chosen
        if data.options[i].direction == "out" and data.options[i].host in rural
    }
    surplus = rules.surplus_subjects(inst)
    ratio = rules.backbone_per_100(inst)
    not_surplus = bal = steps = 0
    merit_gap = 0.0
    km = 0.0
    best_merit = max(
        (p.merit or 0.0 for p in data.staff if rules.secondment_candidate(p)), default=0.0
    )
    seconded = set()
    for i in chosen:
        o = data.options[i]
        p = data.staff[o.person]
        km += o.km
        if (
            data.teacher_of(o) is not None
            and o.direction == "out"
            and p.subject not in surplus.get(p.school, set())
        ):
            not_surplus += 1
        if p.backbone in COUNTY_OR_ABOVE and ratio.get(o.host, 0.0) >= ratio.get(p.school, 0.0):
            bal += 1
        steps += rules.preference_steps(p, o.host)
        if o.kind == "secondment":
            seconded.add(o.person)
            merit_gap += best_merit - (p.merit or 0.0)
    missed = len(data.candidates - seconded) if inst.policy.rotation.secondment_count is None else 0
    return {
        "uncovered_need_weighted": float(uncovered),
        "due_not_moved": float(len(data.due_people - moved)),
        "priority_not_rural": float(len(data.priority_people - rural_placed)),
        "moved_not_surplus": float(not_surplus),
        "backbone_no_balance_gain": float(bal),
        "distance_km": round(km, 3),
        "preference_steps": float(steps),
        "secondment_candidates_not_seconded": float(missed),
        "secondment_merit_below_best": round(merit_gap, 3),
        "quota_missing": float(
            quota_missing(data, chosen) if inst.policy.rotation.cap_quota else 0
        ),
    }


def created_shortages(data: RosterData, moves: list[Move]) -> int:
    """Teacher-periods by which moves out take a school's subject below what it needs
    (teachers out minus in beyond its surplus): zero when the sender is protected."""
    net: Counter[tuple[str, str, int]] = Counter()
    index = {p: t for t, p in enumerate(data.periods)}
    roles = {p.id: p.role for p in data.staff}
    for m in moves:
        if m.kind == "mentor" or not m.subject or roles.get(m.staff) != "teacher":
            continue
        first = index[m.first_period]
        for t in range(first, first + m.periods):
            net[(m.from_school, m.subject, t)] += 1
            net[(m.to_school, m.subject, t)] -= 1
    return sum(max(0, n - data.surplus.get(key, 0)) for key, n in net.items() if n > 0)


def roster_kpis(
    inst: Instance,
    data: RosterData,
    chosen: list[int],
    moves: list[Move],
    unmet: list[UnmetNeed],
    head: HeadshipOutcome,
    dist: Distances | None = None,
) -> RosterKpis:
    """The roster's headline figures; each is defined in the README (KPIs)."""
    staff = {t.id: t for t in inst.staff}
    schools = {s.id: s for s in inst.schools}
    movers = [m for m in moves if m.kind != "mentor"]
    exchanges = [m for m in movers if m.kind == "exchange"]
    teacher_out = [m for m in exchanges if m.role == "teacher" and m.direction == "out"]
    teacher_in = [m for m in exchanges if m.role == "teacher" and m.direction == "in"]
    quota_schools = {s.id for s in inst.schools if rules.quota_school(inst, s)}
    base = sum(1 for t in inst.staff if t.school in quota_schools and rules.quota_eligible(inst, t))
    # exchanges of teachers counted toward the quota and the backbone share
    counted = [
        m for m in exchanges if m.role == "teacher" and rules.counts_for_quota(inst, m.periods)
    ]
    moved_adv = sum(1 for m in counted if m.from_school in quota_schools)
    counted_out = [m for m in counted if m.direction == "out"]
    backbone_out = sum(1 for m in counted_out if staff[m.staff].backbone in COUNTY_OR_ABOVE)
    total_need = sum(n for n, _ in data.shortage.values())
    reach = reachable_shortages(data)
    reachable = sum(data.shortage[key][0] for key in reach)
    covered = sum(covered_needs(data, chosen).values())
    listed = [m for m in movers if staff[m.staff].willing]
    ranks: Counter[str] = Counter()
    for m in listed:
        steps = rules.preference_steps(staff[m.staff], m.to_school)
        ranks[str(steps + 1) if m.to_school in staff[m.staff].willing else "none"] += 1
    priority_ids = {data.staff[k].id for k in data.priority_people}
    rural_first = sum(
        1 for m in teacher_out if m.staff in priority_ids and schools[m.to_school].area == "rural"
    )
    due_ids = {data.staff[k].id for k in data.due_people}
    due_moves = Counter(m.direction for m in movers if m.staff in due_ids)
    unmet_by_school: dict[str, dict[str, int]] = defaultdict(dict)
    for u in unmet:
        unmet_by_school[u.school][u.subject] = max(
            unmet_by_school[u.school].get(u.subject, 0), u.shortage - u.covered
        )
    sent = Counter(m.from_school for m in counted)
    why = (
        quota_reasons(inst, data.pairs, data.alliances, dist or Distances(inst), movers)
        if inst.policy.rotation.cap_quota
        else {}
    )
    two_way_ratio = round(len(teacher_in) / len(teacher_out), 4) if teacher_out else None
    return RosterKpis(
        moves=len(movers),
        moves_by_kind=dict(sorted(Counter(f"{m.kind}_{m.direction}" for m in movers).items())),
        rotation_rate=round(moved_adv / base, 4) if base else None,
        rotation_rate_required=inst.policy.rotation.rate,
        quota_schools_below=sum(1 for s, q in data.quota.items() if sent[s] < q),
        backbone_share=round(backbone_out / len(counted_out), 4) if counted_out else None,
        backbone_share_required=inst.policy.rotation.backbone_share,
        two_way_ratio=two_way_ratio,
        two_way_ratio_required=inst.policy.rotation.two_way_share,
        needs_total_teacher_periods=total_need,
        needs_reachable_teacher_periods=reachable,
        needs_unreachable_teacher_periods=total_need - reachable,
        needs_covered_teacher_periods=covered,
        needs_covered_share=round(covered / reachable, 4) if reachable else 1.0,
        shortages_created_at_senders=created_shortages(data, movers),
        due_total=len(data.due_people),
        due_moved=sum(due_moves.values()),
        due_moved_by_direction=dict(sorted(due_moves.items())),
        rural_priority_placed_rural=rural_first,
        preferences_listed=len(listed),
        preferences_honoured=sum(n for r, n in ranks.items() if r != "none"),
        preferences_by_rank=dict(sorted(ranks.items())),
        bridge_moves=sum(1 for i in chosen if data.options[i].bridge),
        secondments=sum(1 for m in movers if m.kind == "secondment"),
        secondment_candidates=len(data.candidates),
        mentor_pairs=sum(1 for m in moves if m.kind == "mentor"),
        principals_due=len(head.due),
        principals_moved=len(head.moves),
        outflow_floor_schools=len(rules.outflow_floor_schools(inst)),
        unmet_needs_by_school=dict(sorted(unmet_by_school.items())),
        quota_capped={
            s: QuotaCap(by_rate=q, can_move=sent[s], why=why.get(s))
            for s, q in sorted(data.quota.items())
            if inst.policy.rotation.cap_quota and sent[s] < q
        },
        uncounted_exchanges=len(teacher_out) - len(counted_out),
    )
