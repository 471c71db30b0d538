"""The checker's headship rules (校长轮岗): one ``check_<rule>`` per rule.

Part of the specification (see :mod:`twinning.check`): it never imports ortools nor the
headship model. A headship move is a roster line of kind ``headship``: a principal
heads ``to_school`` instead of their home school. The checks build on the roster's
facts (:func:`twinning.check.roster.roster_facts`; ``f.moves`` holds every non-mentor
line), and the terms (due principal, heads per school, scope) come from
:mod:`twinning.rules.roster`.

The roster's own checks already cover headship lines where their rule is the same:
staff status, exemption age and last cycle (who is available), the horizon, one move
per person, the home school, ``rotation.max_km`` and ``rotation.fixed``. Scope differs
(a change of headship may go to any school in scope, not only a partner or the lead),
so it is checked here for headship lines.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from twinning.check.report import Violation
from twinning.check.roster import RosterFacts
from twinning.county.instance import share_stage
from twinning.plan import Move, PartObjective
from twinning.rules import roster as rules


def headship_moves(f: RosterFacts) -> list[Move]:
    """The plan's headship lines naming known staff and schools."""
    return f.headship


def _v(
    rule: str, m: Move, /, *, code: str, amount: float | None = None, **params: Any
) -> Violation:
    """A violation of a headship line, where it is: the principal and the school."""
    return Violation(
        rule=rule, where=[m.staff, m.to_school], amount=amount, code=code, params=params
    )


def check_principal_term_years(f: RosterFacts) -> list[Violation]:
    """[rotation.principal_term_years] Only a principal after two terms at the school
    (2 x principal_term_years) changes headship; pinned moves are exempt.

    Whether they are available (status, age, last cycle) is the roster's checks' to say.
    """
    term = f.inst.policy.rotation.principal_term_years
    out = []
    for m in headship_moves(f):
        person = f.staff[m.staff]
        if m.staff in f.pinned:
            continue
        if person.role != "principal":
            out.append(
                _v(
                    "rotation.principal_term_years",
                    m,
                    code="check.rotation.principal_term_years.role",
                    staff=m.staff,
                    role=person.role,
                )
            )
        elif not rules.is_due(f.inst, person):
            out.append(
                _v(
                    "rotation.principal_term_years",
                    m,
                    code="check.rotation.principal_term_years",
                    amount=2 * term - person.years_at_school,
                    staff=m.staff,
                    years=person.years_at_school,
                    due=2 * term,
                )
            )
    return out


def check_one_head(f: RosterFacts) -> list[Violation]:
    """[rotation.one_head] Every school that has a principal keeps exactly one (as many as
    it has) in every period; no school receives more than one; a vacancy receives at most
    one.

    Heads in a period: the school's principals in the data, less those heading another
    school then, plus those who come to head it then.
    """
    base = rules.principals_per_school(f.inst)
    heads: Counter[tuple[str, int]] = Counter()
    arriving: Counter[tuple[str, int]] = Counter()
    for m, first in f.head_spans:
        if m.kind != "headship":
            continue
        person = f.staff[m.staff]
        leaves = person.role == "principal" and person.school == m.from_school
        for t in range(first, min(first + m.periods, len(f.periods))):
            arriving[(m.to_school, t)] += 1
            heads[(m.to_school, t)] += 1
            if leaves:
                heads[(m.from_school, t)] -= 1
    out = []
    for school, t in sorted(set(heads) | set(arriving)):
        have = base[school]
        now = have + heads[(school, t)]
        where = [school, f.periods[t]]
        if have and now != have:
            out.append(
                Violation(
                    rule="rotation.one_head",
                    where=where,
                    amount=abs(now - have),
                    code="check.rotation.one_head.keep",
                    params={"school": school, "n": now, "period": f.periods[t], "have": have},
                )
            )
        elif not have and now > 1:
            out.append(
                Violation(
                    rule="rotation.one_head",
                    where=where,
                    amount=now - 1,
                    code="check.rotation.one_head.vacancy",
                    params={"school": school, "n": now, "period": f.periods[t]},
                )
            )
        elif have and arriving[(school, t)] > 1:
            out.append(
                Violation(
                    rule="rotation.one_head",
                    where=where,
                    amount=arriving[(school, t)] - 1,
                    code="check.rotation.one_head.arriving",
                    params={"school": school, "n": arriving[(school, t)], "period": f.periods[t]},
                )
            )
    return out


def check_headship_stage(f: RosterFacts) -> list[Violation]:
    """[rotation.headship_stage] A principal heads only a school that shares a stage with
    their home school (pinned moves are exempt)."""
    out = []
    for m in headship_moves(f):
        home, school = f.schools[m.from_school], f.schools[m.to_school]
        if m.staff not in f.pinned and not share_stage(home, school):
            out.append(
                _v(
                    "rotation.headship_stage",
                    m,
                    code="check.rotation.headship_stage",
                    school=m.to_school,
                    stages=sorted(school.stages),
                    home=m.from_school,
                    home_stages=sorted(home.stages),
                )
            )
    return out


def check_headship_bridge(f: RosterFacts) -> list[Violation]:
    """[rotation.headship_bridge] A change of head stays within the stage family: schools
    of the same stages (primary with primary, junior with junior, nine-year with nine-year);
    a nine-year school with a primary or junior one only when ``rotation.headship_bridge``
    allows it (pinned moves are exempt; schools sharing no stage are
    ``rotation.headship_stage``'s)."""
    out = []
    for m in headship_moves(f):
        home, school = f.schools[m.from_school], f.schools[m.to_school]
        if (
            m.staff not in f.pinned
            and share_stage(home, school)
            and not rules.headship_family(f.inst, home, school)
        ):
            out.append(
                _v(
                    "rotation.headship_bridge",
                    m,
                    code="check.rotation.headship_bridge",
                    school=m.to_school,
                    stages=sorted(school.stages),
                    home=m.from_school,
                    home_stages=sorted(home.stages),
                )
            )
    return out


def check_headship_weak_to_strong(f: RosterFacts) -> list[Violation]:
    """[rotation.headship_weak_to_strong] The head of a weak school takes over a strong one
    only with a county-level-or-above backbone title, or when the policy allows it (pinned
    moves are exempt)."""
    out = []
    for m in headship_moves(f):
        person = f.staff[m.staff]
        home, school = f.schools[m.from_school], f.schools[m.to_school]
        if m.staff not in f.pinned and not rules.may_take_over(f.inst, person, home, school):
            out.append(
                _v(
                    "rotation.headship_weak_to_strong",
                    m,
                    code="check.rotation.headship_weak_to_strong",
                    staff=m.staff,
                    school=m.to_school,
                    home=m.from_school,
                )
            )
    return out


def check_headship_scope(f: RosterFacts) -> list[Violation]:
    """[rotation.scope] A principal heads only a school within the scope: the pair
    partner, a school of the same alliance, or any school of the county (pinned moves
    are exempt)."""
    return [
        _v(
            "rotation.scope",
            m,
            code="check.rotation.scope.headship",
            school=m.to_school,
            staff=m.staff,
        )
        for m in headship_moves(f)
        if m.staff not in f.pinned and m.to_school not in f.scope.get(m.from_school, set())
    ]


#: Every headship rule's check, in the order violations are listed (run beside the
#: roster's checks, which cover availability, the horizon, max_km and pins).
HEADSHIP_CHECKS = (
    check_principal_term_years,
    check_one_head,
    check_headship_stage,
    check_headship_scope,
    check_headship_bridge,
    check_headship_weak_to_strong,
)


def headship_objective(f: RosterFacts) -> PartObjective:
    """The headship cost, recomputed from its definition (models/roster/headship.py):
    roster_due x due principals not heading another school + round(roster_km x km) per
    headship move."""
    inst = f.inst
    w8 = inst.policy.weights
    moves = headship_moves(f)
    moved = {m.staff for m in moves}
    due_left = sum(
        1 for t in inst.staff if rules.due_principal(inst, t, f.last) and t.id not in moved
    )
    km_cost = 0
    km_total = 0.0
    for m in moves:
        km = f.dist.km(m.from_school, m.to_school)
        km_total += km
        km_cost += round(w8.roster_km * km)
    return PartObjective(
        value=w8.roster_due * due_left + km_cost,
        terms={"due_not_moved": float(due_left), "distance_km": round(km_total, 3)},
    )
