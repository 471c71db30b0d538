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

from solver.county.instance import Instance
from solver.county.vocabulary import COUNTY_OR_ABOVE
from solver.models.roster.model import RosterOutcome, solve_options, usage_of
from solver.models.roster.options import RosterData
from solver.models.search import STOP, SearchSettings


def components(data: RosterData, subset: list[int]) -> list[list[int]]:
    """Groups of options that share no school (home or host)."""
    parent: dict[str, str] = {}

    def find(a: str) -> str:
        parent.setdefault(a, a)
        while parent[a] != a:
            parent[a] = parent[parent[a]]
            a = parent[a]
        return a

    for i in subset:
        o = data.options[i]
        a, b = find(data.staff[o.person].school), find(o.host)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[str, list[int]] = {}
    for i in subset:
        groups.setdefault(find(data.staff[data.options[i].person].school), []).append(i)
    return sorted(groups.values(), key=len, reverse=True)


def coupling_slack(inst: Instance, data: RosterData, chosen: list[int]) -> tuple[int, int]:
    """(backbone-share slack, two-way slack) in hundredths of a person; >= 0 means kept."""
    rot = inst.policy.rotation
    outs = ins = bb = 0
    for i in chosen:
        o = data.options[i]
        person = data.staff[o.person]
        if o.kind != "exchange" or person.role != "teacher":
            continue
        if o.direction == "out":
            outs += 1
            bb += person.backbone in COUNTY_OR_ABOVE
        else:
            ins += 1
    share = round(100 * rot.backbone_share)
    g1 = 100 * bb - share * outs
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
            g1 = 100 * (person.backbone in COUNTY_OR_ABOVE) - share
            value = -lam * g1 + mu * two
        else:
            value = -mu * 100
        if value:
            adjust[i] = value
    return adjust


def solve_roster_model(
    inst: Instance, data: RosterData, settings: SearchSettings
) -> tuple[RosterOutcome, str]:
    """Solve exchanges by components (then whole if needed), then secondments.

    Returns the outcome (objective and bound without the constant) and a message.
    """
    start = time.perf_counter()
    deadline = start + settings.time_limit
    exchanges = [i for i, o in enumerate(data.options) if o.kind == "exchange"]
    seconded = [i for i, o in enumerate(data.options) if o.kind == "secondment"]
    problem = unreachable_quota(data, exchanges)
    if problem:
        return RosterOutcome([], "infeasible", None, None, "quota check", 0.0), problem
    parts = components(data, exchanges)
    engine = f"CP-SAT ({settings.workers} worker, linearization {settings.linearization_level})"
    lam = mu = 0
    best: RosterOutcome | None = None
    method = f"{len(parts)} component(s), "
    for _round in range(3):
        remaining = deadline - time.perf_counter()
        if remaining <= 0.5 or (STOP.requested and best is not None):
            break
        adjust = _prices(inst, data, exchanges, lam, mu)
        outcomes = _solve_parts(inst, data, parts, settings, adjust, remaining * 0.85)
        if any(o.status == "infeasible" for o in outcomes):
            shown = _quota_shortfall(inst, data, parts, outcomes, settings, deadline)
            if shown is not None:
                return shown
            return (
                RosterOutcome(
                    [],
                    "infeasible",
                    None,
                    None,
                    method + engine,
                    time.perf_counter() - start,
                ),
                "a group of schools cannot keep its quota, capacity and outflow rules together",
            )
        for k, o in enumerate(outcomes):
            if o.status == "unknown":
                # No plan in its share of the time: one more try with what is left (at
                # least a few seconds: a plan a little late beats none).
                limit = max(3.0, deadline - time.perf_counter())
                outcomes[k] = solve_options(
                    inst,
                    data,
                    parts[k],
                    replace(settings, time_limit=limit),
                    couple=False,
                    adjust={i: adjust[i] for i in parts[k] if i in adjust},
                )
        if any(o.status == "unknown" for o in outcomes):
            break
        chosen = sorted(i for o in outcomes for i in o.chosen)
        bound = sum(o.bound or 0.0 for o in outcomes)
        g1, g2 = coupling_slack(inst, data, chosen)
        if g1 >= 0 and g2 >= 0:
            proven = all(o.status == "optimal" for o in outcomes)
            best = RosterOutcome(
                chosen,
                "optimal" if proven else "feasible",
                None,
                bound,
                method
                + engine
                + (f", county rules priced ({lam}, {mu})" if lam or mu else ", county rules slack"),
                0.0,
            )
            break
        lam = max(4, 2 * lam) if g1 < 0 else lam
        mu = max(4, 2 * mu) if g2 < 0 else mu
        best = RosterOutcome(chosen, "unknown", None, None, "", 0.0)  # hint only
    if (best is None or best.status == "unknown") and STOP.requested:
        return RosterOutcome([], "unknown", None, None, "interrupted", 0.0), "interrupted"
    if best is None or best.status == "unknown":
        hint = set(best.chosen) if best is not None else None
        whole = solve_options(
            inst,
            data,
            exchanges,
            replace(settings, time_limit=max(1.0, deadline - time.perf_counter())),
            hint=hint,
        )
        if whole.status in ("infeasible", "unknown"):
            return replace(whole, wall_time=time.perf_counter() - start), (
                coupling_message(inst, data, exchanges)
                if whole.status == "infeasible"
                else "no roster found within the time limit"
            )
        best = replace(whole, method="whole model, " + whole.method)
    if inst.policy.rotation.secondment_count:
        k = inst.policy.rotation.secondment_count
        if len({data.options[i].person for i in seconded}) < k:
            return (
                RosterOutcome(
                    [], "infeasible", None, None, best.method, time.perf_counter() - start
                ),
                f"rotation.secondment_count: {k} secondments asked, only "
                f"{len({data.options[i].person for i in seconded})} cadres can go to a "
                "partner or lead school",
            )
        sec = solve_options(
            inst,
            data,
            seconded,
            replace(settings, time_limit=max(1.0, deadline - time.perf_counter())),
            couple=False,
            secondments=k,
            base=usage_of(data, best.chosen),
        )
        if sec.status != "optimal" and sec.status != "feasible":
            return (
                RosterOutcome(
                    [], "infeasible", None, None, best.method, time.perf_counter() - start
                ),
                f"rotation.secondment_count: {k} secondments do not fit in the host "
                "capacity and outflow left by the exchanges",
            )
        best = replace(best, chosen=sorted(best.chosen + sec.chosen))
    return replace(best, wall_time=time.perf_counter() - start), ""


def _solve_parts(
    inst: Instance,
    data: RosterData,
    parts: list[list[int]],
    settings: SearchSettings,
    adjust: dict[int, int],
    budget: float,
) -> list[RosterOutcome]:
    total = sum(len(p) for p in parts) or 1
    threads = max(1, min(settings.threads, len(parts)))

    # Every part gets time in proportion to its size, two parts running at once.
    def run(part: list[int]) -> RosterOutcome:
        limit = max(1.0, budget * threads * len(part) / total)
        return solve_options(
            inst,
            data,
            part,
            replace(settings, time_limit=limit),
            couple=False,
            adjust={i: adjust[i] for i in part if i in adjust},
        )

    if threads == 1:  # deterministic runs stay deterministic: each part has its own limit
        return [run(p) for p in parts]
    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, parts))


def unreachable_quota(data: RosterData, subset: list[int]) -> str:
    """Schools whose quota exceeds the teachers who could move at all, in planner terms."""
    movable: dict[str, set[int]] = {}
    for i in subset:
        o = data.options[i]
        person = data.staff[o.person]
        if person.role == "teacher":
            movable.setdefault(person.school, set()).add(o.person)
    short = []
    for school, need in sorted(data.quota.items()):
        can = min(len(movable.get(school, ())), data.outflow.get(school, 0) * len(data.periods))
        if can < need:
            short.append(f"{school} must move {need}, at most {can} can")
    if not short:
        return ""
    return (
        "rotation.rate: "
        + "; ".join(short[:10])
        + (f"; and {len(short) - 10} more" if len(short) > 10 else "")
        + ". Widen rotation.scope, raise host capacity or outflow share, or lower the rate"
    )


def _quota_shortfall(
    inst: Instance,
    data: RosterData,
    parts: list[list[int]],
    outcomes: list[RosterOutcome],
    settings: SearchSettings,
    deadline: float,
) -> tuple[RosterOutcome, str] | None:
    """When some groups cannot meet their quota, the plan that comes closest, marked
    infeasible, with the schools short and by how many (so the planner sees why)."""
    chosen: list[int] = []
    for part, out in zip(parts, outcomes, strict=True):
        if out.status != "infeasible":
            chosen += out.chosen
            continue
        soft = solve_options(
            inst,
            data,
            part,
            replace(settings, time_limit=max(1.0, (deadline - time.perf_counter()) / 2)),
            couple=False,
            soft_quota=100 * inst.policy.weights.roster_need + 1,
        )
        if soft.status not in ("optimal", "feasible"):
            return None
        chosen += soft.chosen
    sent: dict[str, int] = {}
    for i in chosen:
        o = data.options[i]
        person = data.staff[o.person]
        if o.kind == "exchange" and person.role == "teacher":
            sent[person.school] = sent.get(person.school, 0) + 1
    short = [
        f"{s} moves {sent.get(s, 0)} of {q}"
        for s, q in sorted(data.quota.items())
        if sent.get(s, 0) < q
    ]
    message = (
        "rotation.rate cannot be met with the host capacity in scope: "
        + "; ".join(short[:10])
        + (f"; and {len(short) - 10} more" if len(short) > 10 else "")
        + ". The plan shown comes closest; raise host capacity, widen rotation.scope "
        "or regroup the alliances"
    )
    return RosterOutcome(sorted(chosen), "infeasible", None, None, "soft quota", 0.0), message


def coupling_message(inst: Instance, data: RosterData, subset: list[int]) -> str:
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
            if person.backbone in COUNTY_OR_ABOVE:
                backbone.add(o.person)
        else:
            learners.add(o.person)
    need = sum(data.quota.values())
    parts = [
        f"the quotas need at least {need} teachers moved out",
        f"{len(backbone)} backbone teachers could move out (rotation.backbone_share "
        f"{rot.backbone_share:.0%})",
    ]
    if rot.two_way:
        parts.append(
            f"{len(learners)} teachers could go to learn (rotation.two_way_share "
            f"{rot.two_way_share:.0%})"
        )
    return (
        "the county-wide rules cannot be kept together: "
        + "; ".join(parts)
        + ". Lower a share, raise host capacity, or widen rotation.scope"
    )
