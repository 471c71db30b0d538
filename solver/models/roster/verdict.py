"""Whether the roster has a plan keeping every rule, decided without searching for the
best one (the explanation's steps: :mod:`twinning.explain.infeasible`).

The answer is read from the cheapest evidence that settles it, in order:

1. the options' own reach counts: a school whose rotation.rate quota is beyond the
   teachers who could go out at all (options within the outflow limit) has no plan,
   whatever the search does (a proof, no search);
2. the exchanges' groups (options sharing no school) each searched for a first plan only,
   with no objective and without the county-wide shares: a relaxation, so a group with no
   plan proves the roster has none;
3. when every group has a plan: those plans together keep the county-wide shares (the
   union is a plan of the exchanges), else the whole exchange model is searched for a
   first plan;
4. the secondments asked (rotation.secondment_count) beside those exchanges, and the
   changes of headship.

A "feasible" answer is backed by a plan found (a witness); an "infeasible" one by a
count or by CP-SAT's proof on a relaxation (or-tools issue 5293: configure's workaround). A balance
rule (balance.target = rule) is not decided here: "unknown", and the caller solves.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace

from ortools.sat.python import cp_model

from twinning.county.instance import Instance
from twinning.models.roster.decompose import components, coupling_slack, moves_of
from twinning.models.roster.model import build_model, usage_of
from twinning.models.roster.options import RosterData
from twinning.models.search import SearchSettings, configure
from twinning.plan import Membership, Pair

__all__ = ["Verdict", "moves_of", "option_keys", "roster_verdict"]


@dataclass(frozen=True)
class Verdict:
    """``status``: feasible, infeasible or unknown; ``how``: what settled it (reach, groups,
    whole, secondments, headship, open)."""

    status: str
    how: str
    searches: int = 0
    #: the exchanges of the plan found (feasible): option indices
    chosen: tuple[int, ...] = ()


def _first_plan(
    inst: Instance,
    data: RosterData,
    subset: list[int],
    settings: SearchSettings,
    seconds: float,
    **kw: object,
) -> tuple[str, list[int]]:
    """A plan of the options ``subset`` keeping every rule: its status and chosen options.

    The quota is searched as a goal, not a constraint: each school's missing teachers are
    the objective (every other rule kept), so a plan is at hand from the start (nobody
    moving keeps the other rules) and the LP bound proves a quota out of reach; an
    objective of 0 is a plan keeping every rule, a bound above 0 a proof there is none.
    With rotation.cap_quota the quota is no rule: the first plan found answers."""
    hint = kw.pop("hint", None)
    kw.pop("soft_quota", None)
    capped = inst.policy.rotation.cap_quota
    rm = build_model(inst, data, subset, soft_quota=1, **kw)  # type: ignore[arg-type]
    missing = [var for var, _ in rm.cost_extra if var.name.startswith("missing_")]
    rm.model.clear_objective()
    if missing and not capped:
        rm.model.minimize(sum(missing))
    if hint:
        for i, var in rm.x.items():
            rm.model.add_hint(var, i in hint)  # type: ignore[operator]
    # Presolve off (as the roster's solve) for half the time, then on (with configure's
    # workaround for or-tools issue 5293): measured on haicheng-like, off found the
    # first plan of the rules as set in 10-17 s where on found none in 20 s, and on found
    # that of a county-wide group with the rules left out in 1.4 s where off found none.
    st = cp_model.UNKNOWN
    solver = cp_model.CpSolver()
    for share, presolve in ((0.5, False), (1.0, True)):
        solver = cp_model.CpSolver()
        configure(
            solver,
            settings,
            seconds * (share if not presolve else 1.0),
            cp_model_presolve=presolve,
            add_lp_constraints_lazily=False,
            stop_after_first_solution=capped or not missing,
        )
        started = time.perf_counter()
        st = solver.solve(rm.model)
        seconds -= time.perf_counter() - started
        if st != cp_model.UNKNOWN or seconds <= 0.5:
            break
    if st == cp_model.INFEASIBLE:
        return "infeasible", []
    if st not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return "unknown", []
    if capped or not missing or round(solver.objective_value) == 0:
        return "feasible", rm.chosen(solver)
    if st == cp_model.OPTIMAL or solver.best_objective_bound > 0.5:
        return "infeasible", []  # the fewest teachers missing is above 0: proved
    return "unknown", []


def option_keys(data: RosterData) -> set[tuple[str, str, int, int, str, str]]:
    """Each option as who goes where, when, how long and how (the same in any build)."""
    return {
        (data.staff[o.person].id, o.host, o.first, o.length, o.kind, o.direction)
        for o in data.options
    }


def roster_verdict(
    inst: Instance,
    data: RosterData,
    deadline: float,
    settings: SearchSettings | None = None,
    *,
    headship: bool = True,
    pairs: list[Pair] | None = None,
    alliances: list[Membership] | None = None,
    within: set[tuple[str, str, int, int, str, str]] | None = None,
) -> Verdict:
    """Whether the roster of ``inst`` over the options ``data`` has a plan keeping every
    rule (see the module docstring), searching until ``deadline`` at most (a
    :func:`time.perf_counter` time); "unknown" when the time ends first.

    ``within``: options (:func:`option_keys`) a plan is looked for among first, when the
    county tried has more (a looser rule's): a plan among fewer options keeps the same
    rules, and the smaller groups are searched far faster; only when none is found there
    are all the options searched."""
    settings = settings or SearchSettings(workers=1)
    rot = inst.policy.rotation
    if not rot.cap_quota and any(data.quota_reach.get(s, 0) < q for s, q in data.quota.items()):
        return Verdict("infeasible", "reach")
    if inst.policy.balance.target == "rule":
        return Verdict("unknown", "open")
    exchanges = [i for i, o in enumerate(data.options) if o.kind == "exchange"]
    found = None
    searches = 0
    if within is not None:
        keys = [
            (data.staff[o.person].id, o.host, o.first, o.length, o.kind, o.direction)
            for o in data.options
        ]
        fewer = [i for i in exchanges if keys[i] in within]
        if len(fewer) < len(exchanges):
            found = _exchanges(inst, data, fewer, settings, deadline, proof=False)
            searches += found[2]
            if found[0] != "feasible":
                found = None
    if found is None:
        found = _exchanges(inst, data, exchanges, settings, deadline, proof=True)
        searches += found[2]
    status, chosen, _, how = found
    if status != "feasible":
        return Verdict(status, how, searches)
    return _the_rest(
        inst, data, chosen, settings, deadline, searches, how, headship, pairs, alliances
    )


def _exchanges(
    inst: Instance,
    data: RosterData,
    exchanges: list[int],
    settings: SearchSettings,
    deadline: float,
    *,
    proof: bool,
) -> tuple[str, list[int], int, str]:
    """A plan of the exchanges among ``exchanges``: (status, chosen, searches, how). Each
    group is searched with the county-wide shares held within it (a plan of every group
    then keeps them county-wide); a group with none is searched without them (with
    ``proof``: none there proves the roster has none), and the whole model is searched
    when some group keeps the shares only with the others' help."""
    rot = inst.policy.rotation
    # the planner accepts schools below quota: a priced rule (as the solve has it)
    soft = inst.policy.weights.roster_quota if rot.cap_quota else None
    searches = 0
    chosen: list[int] = []
    whole = False
    # the groups most likely to have no plan first: those holding a quota school
    groups = sorted(
        components(data, exchanges),
        key=lambda g: -sum(data.quota.get(data.staff[data.options[i].person].school, 0) for i in g),
    )
    for group in groups:
        left = deadline - time.perf_counter()
        if left <= 0.05:
            return "unknown", [], searches, "groups"
        status, got = _first_plan(inst, data, group, settings, left, soft_quota=soft)
        searches += 1
        if status == "feasible":
            chosen += got
            continue
        if status == "unknown":
            return "unknown", [], searches, "groups"
        left = deadline - time.perf_counter()
        if left <= 0.05:
            return "unknown", [], searches, "groups"
        status, got = _first_plan(inst, data, group, settings, left, couple=False, soft_quota=soft)
        searches += 1
        if status == "infeasible" and not proof:
            return "unknown", [], searches, "groups"
        if status != "feasible":
            return status, [], searches, "groups"
        chosen += got
        whole = True
    g1, g2 = coupling_slack(inst, data, chosen)
    if not whole or (g1 >= 0 and g2 >= 0):
        return "feasible", chosen, searches, "groups"
    left = deadline - time.perf_counter()
    if left <= 0.05:
        return "unknown", [], searches, "whole"
    status, got = _first_plan(
        inst, data, exchanges, settings, left, soft_quota=soft, hint=set(chosen)
    )
    searches += 1
    if status == "infeasible" and not proof:
        status = "unknown"
    return status, got, searches, "whole"


def _the_rest(
    inst: Instance,
    data: RosterData,
    chosen: list[int],
    settings: SearchSettings,
    deadline: float,
    searches: int,
    how: str,
    headship: bool,
    pairs: list[Pair] | None,
    alliances: list[Membership] | None,
) -> Verdict:
    """The secondments asked beside the exchanges ``chosen``, and the changes of headship."""
    rot = inst.policy.rotation
    seconded = [i for i, o in enumerate(data.options) if o.kind == "secondment"]
    k = rot.secondment_count
    if k:
        candidates = len({data.options[i].person for i in seconded})
        if candidates < k:
            return Verdict("infeasible", "secondments", searches)
        left = deadline - time.perf_counter()
        if left <= 0.05:
            return Verdict("unknown", "secondments", searches)
        status, _ = _first_plan(
            inst,
            data,
            seconded,
            settings,
            left,
            couple=False,
            exchanges=False,
            count_secondments=True,
            base=usage_of(data, chosen),
        )
        searches += 1
        if status != "feasible":
            # the exchanges chosen first may leave too little room: not a proof
            return Verdict("unknown" if status == "infeasible" else status, "secondments")
        how = "secondments"
    if headship and pairs is not None and alliances is not None:
        from twinning.models.roster.headship import solve_headship

        left = deadline - time.perf_counter()
        if left <= 0.05:
            return Verdict("unknown", "headship", searches)
        head = solve_headship(
            inst,
            pairs,
            alliances,
            replace(settings, time_limit=min(10.0, left)),
        )
        searches += 1
        if head.status == "infeasible":
            return Verdict("unknown", "headship", searches)  # a pinned head: the solve says
        if head.status not in ("optimal", "feasible"):
            return Verdict("unknown", "headship", searches)
    return Verdict("feasible", how, searches, tuple(chosen))
