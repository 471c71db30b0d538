"""Solving the roster by parts: independent components side by side, county rules priced.

Moves only ever connect a school with its partners, its alliance or (county scope)
anywhere, so the options fall into components that share no school. Each component
is a smaller CP-SAT model; they run two at a time on two cores. The county-wide rules
(backbone share, two-way share) couple the components: they are moved into the cost
with Lagrangian prices. For any prices the components' bounds add up to a valid lower
bound of the whole model; when the union of the components' plans keeps the county
rules it is a valid plan, and its gap is measured against that bound. If pricing does
not make the union keep them, the whole model is solved at once, warm-started.
Secondments (choose k cadres county-wide) are placed last, in the capacity left.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace

from twinning.county.instance import Instance
from twinning.messages import Msg, msg
from twinning.models.roster.model import RosterOutcome, solve_options, usage_of
from twinning.models.roster.options import RosterData
from twinning.models.roster.secondments import (
    complete_secondments,
    keep_no_worse,
    secondment_bound,
)
from twinning.models.roster.units import Usage
from twinning.models.said import clauses
from twinning.models.search import STOP, Progress, SearchSettings
from twinning.plan import Move
from twinning.vocabulary import COUNTY_OR_ABOVE


def components(data: RosterData, subset: list[int]) -> list[list[int]]:
    """Groups of options that share no school (home or host)."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for n, i in enumerate(subset):
        if n % 100_000 == 0:
            STOP.check()
        o = data.options[i]
        a, b = find(data.staff[o.person].school), find(o.host)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[int]] = {}
    for i in subset:
        groups.setdefault(find(data.staff[data.options[i].person].school), []).append(i)
    return sorted(groups.values(), key=len, reverse=True)


def coupling_slack(inst: Instance, data: RosterData, chosen: list[int]) -> tuple[int, int]:
    """(backbone-share slack, two-way slack) in hundredths of a person; >= 0 means kept.
    The backbone share counts only exchanges of at least rotation.min_periods_for_quota."""
    rot = inst.policy.rotation
    outs = ins = bb = counted = 0
    for i in chosen:
        o = data.options[i]
        person = data.staff[o.person]
        if o.kind != "exchange" or person.role != "teacher":
            continue
        if o.direction == "out":
            outs += 1
            if o.length >= rot.min_periods_for_quota:
                counted += 1
                bb += person.backbone in COUNTY_OR_ABOVE
        else:
            ins += 1
    share = round(100 * rot.backbone_share)
    g1 = 100 * bb - share * counted
    g2 = 100 * ins - round(100 * rot.two_way_share) * outs if rot.two_way else 0
    return g1, g2


def _prices(
    inst: Instance, data: RosterData, subset: list[int], lam: int, mu: int
) -> dict[int, int]:
    rot = inst.policy.rotation
    share = round(100 * rot.backbone_share)
    two = round(100 * rot.two_way_share) if rot.two_way else 0
    adjust = {}
    for i in subset:
        o = data.options[i]
        person = data.staff[o.person]
        if o.kind != "exchange" or person.role != "teacher":
            continue
        if o.direction == "out":
            counted = o.length >= rot.min_periods_for_quota
            g1 = 100 * (person.backbone in COUNTY_OR_ABOVE) - share if counted else 0
            value = -lam * g1 + mu * two
        else:
            value = -mu * 100
        if value:
            adjust[i] = value
    return adjust


#: seconds a group's search may run past its share of the time limit when it has no plan
#: yet: it stops at its first plan (a plan a little late beats none; haicheng-like's
#: largest groups need 1-4 s for a first plan, two at once)
FIRST_PLAN_GRACE = 20.0

#: seconds a group's search has when the groups' budget is spent before it starts (with
#: the first-plan grace when it has no plan by then)
LATE_LIMIT = 0.2

#: a roster of at most this many exchange options whose groups' plans leave a gap is solved
#: once more as a whole model, to prove the optimum (a tenth of a second at this size)
POLISH_OPTIONS = 2000


def _polish(
    inst: Instance,
    data: RosterData,
    exchanges: list[int],
    best: RosterOutcome,
    settings: SearchSettings,
    deadline: float,
    soft_quota: int | None,
) -> RosterOutcome:
    """The whole model, started from the groups' plan; kept when it proves its optimum."""
    remaining = deadline - time.perf_counter()
    if remaining <= 0.5 or STOP.requested:
        return best
    whole = solve_options(
        inst,
        data,
        exchanges,
        replace(settings, time_limit=min(remaining, 10.0)),
        hint=set(best.chosen),
        soft_quota=soft_quota,
    )
    if whole.status != "optimal":
        return best
    return replace(whole, method=msg("method.roster.whole_proving", inner=whole.method))


def solve_roster_model(
    inst: Instance, data: RosterData, settings: SearchSettings
) -> tuple[RosterOutcome, Msg | None]:
    """Solve exchanges by components (then whole if needed), then secondments.

    Returns the outcome (objective and bound without the constant) and a message. When a
    rule cannot be kept (a school's quota, a county-wide share, the secondments asked) the
    outcome is the plan that comes closest, with status ``infeasible`` and the message
    naming every school and amount; the checker lists the same misses.
    """
    start = time.perf_counter()
    deadline = start + settings.time_limit
    exchanges = [i for i, o in enumerate(data.options) if o.kind == "exchange"]
    seconded = [i for i, o in enumerate(data.options) if o.kind == "secondment"]
    parts = components(data, exchanges)
    engine = msg(
        "method.cpsat_search",
        workers=settings.workers,
        linearization=settings.linearization_level,
    )
    soft = 100 * inst.policy.weights.roster_need + 1  # per teacher missing from a quota
    capped = inst.policy.rotation.cap_quota
    if capped:  # the planner accepts schools below quota: a priced rule, never infeasible
        soft = inst.policy.weights.roster_quota
        unreachable = set(data.quota)
    else:
        unreachable = {s for s, need in data.quota.items() if data.quota_reach.get(s, 0) < need}
    closest = bool(unreachable) and not capped
    lam = mu = 0
    best: RosterOutcome | None = None
    union: list[int] = []
    for round_no in range(3):
        remaining = deadline - time.perf_counter()
        if STOP.requested and union:
            break  # stopped: the groups' plans of the last round are what there is
        if remaining <= 0.5 and time.perf_counter() > deadline + FIRST_PLAN_GRACE:
            break  # out of time, and of the grace that a plan a little late may take
        adjust = _prices(inst, data, exchanges, lam, mu)
        soft_parts = {k for k, part in enumerate(parts) if _homes(data, part) & unreachable}
        outcomes = _solve_parts(
            inst, data, parts, settings, adjust, remaining * 0.85, soft, soft_parts, round_no
        )
        stuck = [k for k, o in enumerate(outcomes) if o.status == "infeasible" and not capped]
        if stuck:
            # These groups cannot keep their quota with their capacity and outflow: the
            # plan that comes closest, reported as infeasible.
            closest = True
            _again(inst, data, parts, outcomes, stuck, settings, adjust, deadline, soft)
        late = [k for k, o in enumerate(outcomes) if o.status == "unknown"]
        if late and not STOP.requested:
            # No plan even with the grace: one more try with what is left (at least a few
            # seconds, and the grace again), two groups at once.
            soft_late = soft if closest or capped else None
            until = max(time.perf_counter() + 3.0, deadline)
            _again(inst, data, parts, outcomes, late, settings, adjust, until, soft_late)
        if any(o.status in ("unknown", "infeasible") for o in outcomes):
            break
        union = sorted(i for o in outcomes for i in o.chosen)
        g1, g2 = coupling_slack(inst, data, union)
        if g1 >= 0 and g2 >= 0:
            # Under prices the groups' bounds sum to a Lagrangian bound, rarely tight.
            proven = all(o.status == "optimal" for o in outcomes) and not (closest or lam or mu)
            method = (
                msg("method.roster.groups_priced", groups=len(parts), engine=engine, lam=lam, mu=mu)
                if lam or mu
                else msg("method.roster.groups_slack", groups=len(parts), engine=engine)
            )
            best = RosterOutcome(
                union,
                "optimal" if proven else ("infeasible" if closest else "feasible"),
                None,
                None if closest else sum(o.bound or 0.0 for o in outcomes),
                method,
                0.0,
                has_plan=True,
            )
            break
        lam = max(4, 2 * lam) if g1 < 0 else lam
        mu = max(4, 2 * mu) if g2 < 0 else mu
    message: Msg | None = None
    if best is not None and best.status == "feasible" and len(exchanges) <= POLISH_OPTIONS:
        # Priced county rules leave a small gap the groups' bounds cannot close; a small
        # county's whole model proves the optimum in a fraction of a second.
        best = _polish(inst, data, exchanges, best, settings, deadline, soft if capped else None)
    if best is None:
        if STOP.requested and not union:
            stopped = RosterOutcome([], "unknown", None, None, msg("method.interrupted"), 0.0)
            return stopped, msg("roster.interrupted")
        whole = RosterOutcome([], "unknown", None, None, None, 0.0)
        if deadline - time.perf_counter() > 0.5:
            # The groups' plans miss a county-wide rule under every price tried: the whole
            # model (with the quota soft when it cannot be met, so that the plan that
            # comes closest keeps every county-wide rule it can).
            whole = solve_options(
                inst,
                data,
                exchanges,
                replace(settings, time_limit=max(1.0, deadline - time.perf_counter())),
                hint=set(union) or None,
                soft_quota=soft if capped or closest else None,
            )
        if whole.status in ("optimal", "feasible"):
            best = replace(whole, method=msg("method.roster.whole", inner=whole.method))
        elif union:
            # The groups' plans together miss a county-wide rule, and no plan keeping it
            # was found: the closest plan, with the rule missed.
            proven = whole.status == "infeasible"
            best = RosterOutcome(
                union,
                "infeasible" if proven else "unknown",
                None,
                None,
                msg("method.roster.groups", groups=len(parts), engine=engine),
                0.0,
                has_plan=True,
            )
            message = (
                coupling_message(inst, data, exchanges)
                if proven
                else msg("roster.county_rules_time")
            )
        else:
            return replace(whole, wall_time=time.perf_counter() - start), msg("roster.no_roster")
    best, sec_message = _second(inst, data, best, exchanges, seconded, settings, deadline)
    if closest:
        best = replace(
            best,
            status="infeasible",
            bound=None,
            method=msg("method.closest", inner=best.method),
            has_plan=True,
        )
        message = clauses(quota_message(inst, data, best.chosen), message)
    message = clauses(message, sec_message)
    return replace(best, wall_time=time.perf_counter() - start), message


def _homes(data: RosterData, part: list[int]) -> set[str]:
    return {data.staff[data.options[i].person].school for i in part}


def _again(
    inst: Instance,
    data: RosterData,
    parts: list[list[int]],
    outcomes: list[RosterOutcome],
    which: list[int],
    settings: SearchSettings,
    adjust: dict[int, int],
    deadline: float,
    soft_quota: int | None,
) -> None:
    """Solve these groups again until ``deadline`` (as many at once as
    ``settings.threads``), in place."""

    def solve_one(k: int) -> RosterOutcome:
        return _solve_part(
            inst, data, parts[k], settings, adjust, deadline, soft_quota=soft_quota, grace=True
        )

    threads = max(1, min(settings.threads, len(which)))
    if threads == 1:
        for k in which:
            outcomes[k] = solve_one(k)
        return
    with ThreadPoolExecutor(max_workers=threads) as pool:
        for k, out in zip(which, pool.map(solve_one, which), strict=True):
            outcomes[k] = out


def _solve_part(
    inst: Instance,
    data: RosterData,
    part: list[int],
    settings: SearchSettings,
    adjust: dict[int, int],
    deadline: float,
    *,
    soft_quota: int | None = None,
    grace: bool = False,
) -> RosterOutcome:
    return solve_options(
        inst,
        data,
        part,
        replace(settings, time_limit=max(1.0, deadline - time.perf_counter())),
        couple=False,
        adjust={i: adjust[i] for i in part if i in adjust},
        soft_quota=soft_quota,
        grace=FIRST_PLAN_GRACE if grace else 0.0,
    )


def _second(
    inst: Instance,
    data: RosterData,
    best: RosterOutcome,
    exchanges: list[int],
    seconded: list[int],
    settings: SearchSettings,
    deadline: float,
) -> tuple[RosterOutcome, Msg | None]:
    """Secondments in the capacity the exchanges leave: every candidate the hosts allow,
    or exactly ``rotation.secondment_count``; when k does not fit beside the exchanges,
    exchanges and secondments are solved together."""
    k = inst.policy.rotation.secondment_count
    if not seconded or k == 0:
        if k:
            return replace(best, status="infeasible"), msg("roster.secondments_no_candidate", k=k)
        return best, None
    candidates = len({data.options[i].person for i in seconded})
    if k is not None and candidates < k:
        return replace(best, status="infeasible"), msg(
            "roster.secondments_few", k=k, candidates=candidates
        )
    limit = replace(settings, time_limit=max(1.0, deadline - time.perf_counter()))
    sec = solve_options(
        inst,
        data,
        seconded,
        limit,
        couple=False,
        exchanges=False,
        count_secondments=True,
        base=usage_of(data, best.chosen),
    )
    if sec.status == "optimal" and k is None and inst.policy.balance.target != "off":
        rest = limit
        if not settings.deterministic:  # the time the first placement left
            rest = replace(settings, time_limit=max(1.0, deadline - time.perf_counter()))
        sec = _balanced_secondments(inst, data, seconded, sec, rest, usage_of(data, best.chosen))
    if k is None and inst.policy.balance.no_worse:
        return _second_no_worse(inst, data, best, sec, seconded)
    if k is None and inst.policy.balance.target != "rule":
        # Every candidate the hosts allow, whatever the search found in its time: the
        # options that still fit added, cheapest first (a city's search may find none).
        placed = sec.chosen if sec.status in ("optimal", "feasible") else []
        extra = complete_secondments(inst, data, best.chosen + placed, seconded)
        if extra or (not placed and sec.status != "optimal"):
            lower = sec.bound if placed and sec.bound is not None else None
            lower = secondment_bound(data, seconded) if lower is None else lower
            status = "feasible" if best.status == "optimal" else best.status
            return replace(
                best,
                chosen=sorted(best.chosen + placed + extra),
                status=status,
                bound=None if best.bound is None else best.bound + lower,
                method=msg("method.roster.secondments_completed", inner=best.method, n=len(extra))
                if best.method is not None
                else None,
            ), None
    if sec.status in ("optimal", "feasible"):
        # The exchanges were solved first: with secondments beside them the plan is
        # optimal only when the two searches' sum is proven (k unset: each one is).
        status = best.status if sec.status == "optimal" else "feasible"
        if k is not None and status == "optimal":
            status = "feasible"
        bound = None if best.bound is None else best.bound + (sec.bound or 0.0)
        return replace(
            best,
            chosen=sorted(best.chosen + sec.chosen),
            status=status,
            bound=bound if k is None else None,
        ), None
    joint = solve_options(
        inst,
        data,
        exchanges + seconded,
        replace(settings, time_limit=max(1.0, deadline - time.perf_counter())),
        count_secondments=True,
        hint=set(best.chosen),
    )
    if joint.status in ("optimal", "feasible"):
        return replace(
            joint, method=msg("method.roster.with_secondments", inner=joint.method)
        ), None
    return replace(best, status="infeasible" if joint.status == "infeasible" else "unknown"), msg(
        "roster.secondments_no_fit", k=k
    )


def _second_no_worse(
    inst: Instance,
    data: RosterData,
    best: RosterOutcome,
    sec: RosterOutcome,
    seconded: list[int],
) -> tuple[RosterOutcome, Msg | None]:
    """[balance.no_worse] before [rotation.secondment_count] unset: the search's
    secondments kept, and every other candidate the hosts allow added, only where each
    keeps every staffing coefficient at or below its value before the plan
    (:func:`~twinning.models.roster.secondments.keep_no_worse`); the candidates it holds at
    home are named. The search's bound still bounds the cost (a plan with fewer
    secondments costs no less), but no longer proves this plan optimal when it changed."""
    placed = sec.chosen if sec.status in ("optimal", "feasible") else []
    kept, held = keep_no_worse(inst, data, best.chosen, placed, seconded)
    changed = set(kept) != set(placed)
    lower = sec.bound if placed and sec.bound is not None else None
    lower = secondment_bound(data, seconded) if lower is None else lower
    status = best.status
    if status == "optimal" and (changed or sec.status != "optimal"):
        status = "feasible"
    method = best.method
    if changed and method is not None:
        method = msg(
            "method.roster.secondments_no_worse",
            inner=method,
            n=len(kept),
            held=len(held),
        )
    out = replace(
        best,
        chosen=sorted(best.chosen + kept),
        status=status,
        bound=None if best.bound is None else best.bound + lower,
        method=method,
        held={data.staff[p].id: why for p, why in held.items()},
    )
    if not held:
        return out, None
    named = [
        msg("roster.secondment_held_one", staff=data.staff[p].id, indicator=i, stage=st, period=t)
        for p, (i, st, t) in sorted(held.items(), key=lambda kv: data.staff[kv[0]].id)
    ]
    return out, msg("roster.secondments_held_no_worse", n=len(held), held=named)


def _balanced_secondments(
    inst: Instance,
    data: RosterData,
    seconded: list[int],
    sec: RosterOutcome,
    limit: SearchSettings,
    base: Usage,
) -> RosterOutcome:
    """With a balance target: the same number of secondments as the proven most the
    hosts allow (so still every candidate they allow), placed again with the balance
    target priced; the first placement when that finds nothing."""
    n = len(sec.chosen)
    rotation = inst.policy.rotation.model_copy(update={"secondment_count": n})
    counted = inst.model_copy(
        update={"policy": inst.policy.model_copy(update={"rotation": rotation})}
    )
    again = solve_options(
        counted,
        data,
        seconded,
        limit,
        couple=False,
        exchanges=False,
        count_secondments=True,
        base=base,
        hint=set(sec.chosen),
    )
    if again.status not in ("optimal", "feasible") or len(again.chosen) != n:
        return sec
    return replace(again, status=sec.status, objective=sec.objective, bound=sec.bound)


def _solve_parts(
    inst: Instance,
    data: RosterData,
    parts: list[list[int]],
    settings: SearchSettings,
    adjust: dict[int, int],
    budget: float,
    soft: int,
    soft_parts: set[int],
    round_: int = 0,
) -> list[RosterOutcome]:
    total = sum(len(p) for p in parts) or 1
    threads = max(1, min(settings.threads, len(parts)))
    until = time.perf_counter() + budget

    # Every part gets time in proportion to its size, two parts running at once; once the
    # budget is spent (a city's groups may take longer than their shares to build), the
    # parts left only what a first plan takes (deterministic runs: their own limits).
    def run(k: int) -> RosterOutcome:
        part = parts[k]
        limit = max(1.0, budget * threads * len(part) / total)
        if not settings.deterministic:
            limit = min(limit, max(LATE_LIMIT, until - time.perf_counter()))
        # A second or third round re-solves the groups under new prices: said so.
        step = (
            msg("progress.group_round", k=k + 1, n=len(parts), round=round_ + 1)
            if round_
            else msg("progress.group", k=k + 1, n=len(parts))
        )
        out = solve_options(
            inst,
            data,
            part,
            replace(settings, time_limit=limit),
            couple=False,
            adjust={i: adjust[i] for i in part if i in adjust},
            soft_quota=soft if k in soft_parts else None,
            step=step,
            grace=FIRST_PLAN_GRACE,
        )
        if settings.progress is not None:
            shift = out.offset  # the group's share of the whole cost: its gap as searched
            value = None if out.objective is None else out.objective + shift
            bound = None if out.bound is None else out.bound + shift
            settings.progress(
                Progress("roster", msg("progress.step_done", step=step), value, bound)
            )
        return out

    if threads == 1:  # deterministic runs stay deterministic: each part has its own limit
        return [run(k) for k in range(len(parts))]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, range(len(parts))))


def moves_of(data: RosterData, chosen: tuple[int, ...] | list[int]) -> list[Move]:
    """The roster lines of the options ``chosen`` (as the plan writes them)."""
    out = []
    for i in chosen:
        o = data.options[i]
        person = data.staff[o.person]
        out.append(
            Move(
                staff=person.id,
                role=person.role,
                subject=person.subject,
                from_school=person.school,
                to_school=o.host,
                first_period=data.periods[o.first],
                periods=o.length,
                direction="out" if o.direction == "out" else "in",
                kind="secondment" if o.kind == "secondment" else "exchange",
            )
        )
    return out


def quota_message(inst: Instance, data: RosterData, chosen: list[int]) -> Msg | None:
    """Every school below its rotation.rate quota in a plan, by how many, and why in
    planner terms (:func:`twinning.rules.quota.quota_reasons`): only exchanges of at least
    rotation.min_periods_for_quota count."""
    from twinning.county.distances import Distances
    from twinning.rules.quota import counted_sent, quota_reasons

    moves = moves_of(data, chosen)
    sent = counted_sent(inst, moves)
    why = quota_reasons(inst, data.pairs, data.alliances, Distances(inst), moves)
    short = [
        msg("roster.quota_school_why", school=s, moved=sent.get(s, 0), quota=q, why=why[s])
        for s, q in sorted(data.quota.items())
        if sent.get(s, 0) < q
    ]
    if not short:
        return None
    return msg("roster.quota_missed", n=len(short), schools=short)


def coupling_message(inst: Instance, data: RosterData, subset: list[int]) -> Msg:
    """Why the county-wide rules cannot be met, in planner terms (every group alone can)."""
    rot = inst.policy.rotation
    backbone: set[int] = set()
    learners: set[int] = set()
    for i in subset:
        o = data.options[i]
        person = data.staff[o.person]
        if person.role != "teacher":
            continue
        if o.direction == "out":
            if person.backbone in COUNTY_OR_ABOVE and o.length >= rot.min_periods_for_quota:
                backbone.add(o.person)
        else:
            learners.add(o.person)
    need = sum(data.quota.values())
    parts = [
        msg("roster.coupling.quotas", need=need),
        msg("roster.coupling.backbone", n=len(backbone), share=rot.backbone_share),
    ]
    if rot.two_way:
        parts.append(msg("roster.coupling.two_way", n=len(learners), share=rot.two_way_share))
    return msg("roster.coupling", parts=parts)
