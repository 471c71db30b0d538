"""What a re-plan changed: every pair, alliance membership and roster line that differs
from the baseline, and why (a message each)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from twinning.county.instance import Instance
from twinning.explain._words import rule
from twinning.messages import Msg, msg
from twinning.plan import Plan

__all__ = ["Change", "plan_changes"]


@dataclass(frozen=True)
class Change:
    """A row of the plan that differs from the baseline, and why."""

    part: str
    change: str  # "removed" or "added"
    row: Msg
    why: Msg


def _move_key(m: Any) -> tuple[Any, ...]:
    return (m.staff, m.kind, m.from_school, m.to_school, m.first_period, m.periods, m.mentee)


def _say_move(m: Any) -> Msg:
    said = {
        "staff": m.staff,
        "kind": m.kind,
        "from_school": m.from_school,
        "to_school": m.to_school,
        "first_period": m.first_period,
        "periods": m.periods,
    }
    if m.mentee:
        return msg("explain.row.move_mentee", **said, mentee=m.mentee)
    return msg("explain.row.move", **said)


def plan_changes(inst: Instance, baseline: Plan, plan: Plan) -> list[Change]:
    """Every pair, alliance membership and roster line that differs from the baseline. A
    baseline line the new facts rule out says which rule (the checker's finding on the
    baseline against this instance); the others follow from those changes."""
    from twinning.validation import validate

    # staff or school -> (0 for a school or person the instance no longer has, else 1,
    # message): what is gone is the cause; a rule the baseline breaks because of it (a
    # mentor whose mentee left is "unpaired") follows from it.
    broken: dict[str, list[tuple[int, Msg]]] = defaultdict(list)
    for v in validate(inst, baseline).violations:
        gone = v.rule.startswith("plan.unknown_")
        if v.rule.startswith("plan.") and not gone:
            continue
        said = msg("explain.why.broken", rule=rule(v.rule), violation=v.msg)
        for where in v.where:
            broken[where].append((0 if gone else 1, said))
    out: list[Change] = []

    def forced(*keys: str) -> Msg | None:
        found = [m for k in keys for m in broken.get(k, [])]
        return min(found, key=lambda m: m[0])[1] if found else None

    known = (
        {p.helper for p in baseline.pairs}
        | {p.helped for p in baseline.pairs}
        | {u.school for u in baseline.unpaired}
        | {m.member for m in baseline.alliances}
        | {m.from_school for m in baseline.roster}
        | {m.to_school for m in baseline.roster}
    )

    def new(*schools: str, otherwise: Msg) -> Msg:
        fresh = [s for s in schools if s not in known]
        return msg("explain.why.new", school=fresh[0]) if fresh else otherwise

    before = {_move_key(m): m for m in baseline.roster}
    after = {_move_key(m): m for m in plan.roster}
    for key in sorted(before.keys() - after.keys(), key=str):
        m = before[key]
        why = forced(m.staff, m.mentee or "", m.to_school) or msg("explain.why.makes_room")
        out.append(Change("roster", "removed", _say_move(m), why))
    for key in sorted(after.keys() - before.keys(), key=str):
        m = after[key]
        why = new(m.from_school, m.to_school, otherwise=msg("explain.why.replaces"))
        out.append(Change("roster", "added", _say_move(m), why))
    pairs_before = {(p.helper, p.helped) for p in baseline.pairs}
    pairs_after = {(p.helper, p.helped) for p in plan.pairs}
    re_paired = msg("explain.why.re_paired")
    for a, b in sorted(pairs_before - pairs_after):
        row = msg("explain.row.pair", helper=a, helped=b)
        out.append(Change("pairs", "removed", row, forced(a, b) or re_paired))
    for a, b in sorted(pairs_after - pairs_before):
        row = msg("explain.row.pair", helper=a, helped=b)
        out.append(Change("pairs", "added", row, new(a, b, otherwise=re_paired)))
    members_before = {(m.alliance, m.member) for m in baseline.alliances}
    members_after = {(m.alliance, m.member) for m in plan.alliances}
    regrouped = msg("explain.why.regrouped")
    for a, s in sorted(members_before - members_after):
        row = msg("explain.row.member", member=s, alliance=a)
        out.append(Change("alliances", "removed", row, forced(s) or regrouped))
    for a, s in sorted(members_after - members_before):
        row = msg("explain.row.member", member=s, alliance=a)
        out.append(Change("alliances", "added", row, new(s, otherwise=regrouped)))
    return out
