"""The roster options built once and reused: an instance that differs only in the counts
that bound the options (the explanation's near copies) gets the options of the solve
before it, its counts recounted, exactly as a fresh build would give them; any other
change builds them again; building stops at a deadline."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests.conftest import INSTANCES
from tests.test_roster_rules import base
from twinning import load_instance, solve
from twinning.county.instance import Instance, with_policy
from twinning.explain import explain_infeasible
from twinning.models.roster import options
from twinning.models.roster.options import (
    MEMO_KEY,
    OutOfTime,
    RosterData,
    build_roster_data,
    roster_data,
)

#: The fields a solve reads from the roster data (the source it was built from aside).
FIELDS = (
    "options",
    "by_person",
    "quota",
    "quota_reach",
    "quota_unheld",
    "outflow",
    "capacity",
    "surplus_first",
    "constant",
    "shortage",
    "surplus",
    "movers",
)


@pytest.fixture(scope="module")
def demo() -> tuple[Instance, Any]:
    inst = load_instance(INSTANCES / "demo-county")
    plan = solve(inst, "pairs", time_limit=10).plan
    return inst, plan


def same(a: RosterData, b: RosterData) -> None:
    for name in FIELDS:
        assert getattr(a, name) == getattr(b, name), name


def _own_capacity(inst: Instance) -> Instance:
    first = inst.schools[0].model_copy(update={"host_capacity": 1})
    return inst.model_copy(update={"schools": [first, *inst.schools[1:]]})


@pytest.mark.parametrize(
    "change",
    [
        lambda i: with_policy(i, {"rotation.rate": 0.3}),
        lambda i: with_policy(i, {"rotation.host_capacity_share": 0.05}),
        lambda i: with_policy(i, {"rotation.max_outflow_share": 0.02, "rotation.min_outflow": 0}),
        lambda i: with_policy(i, {"rotation.cap_quota": True}),
        lambda i: with_policy(i, {"rotation.surplus_first": False}),
        _own_capacity,
    ],
    ids=["rate", "capacity_share", "outflow", "cap_quota", "surplus_first", "own_capacity"],
)
def test_a_change_of_counts_reuses_the_options_and_counts_as_a_build(demo, change) -> None:  # type: ignore[no-untyped-def]
    inst, plan = demo
    memo: dict[str, Any] = {}
    first = roster_data(memo, inst, plan.pairs, plan.alliances)
    changed = change(inst)
    again = roster_data(memo, changed, plan.pairs, plan.alliances)
    assert again.options is first.options  # not built again
    same(again, build_roster_data(changed, plan.pairs, plan.alliances))
    # the first data is left as it was
    same(first, build_roster_data(inst, plan.pairs, plan.alliances))


@pytest.mark.parametrize(
    "settings",
    [{"rotation.max_km": 5.0}, {"rotation.secondment_count": 0}, {"rotation.scope": "county"}],
)
def test_a_change_of_the_options_builds_them_again(demo, settings) -> None:  # type: ignore[no-untyped-def]
    inst, plan = demo
    memo: dict[str, Any] = {}
    first = roster_data(memo, inst, plan.pairs, plan.alliances)
    changed = with_policy(inst, settings)
    again = roster_data(memo, changed, plan.pairs, plan.alliances)
    assert again.options is not first.options
    same(again, build_roster_data(changed, plan.pairs, plan.alliances))
    # the first solve's options stay in the memo beside the last ones built
    assert [d.options for d in memo[MEMO_KEY]] == [first.options, again.options]
    assert roster_data(memo, inst, plan.pairs, plan.alliances).options is first.options


def test_other_pairs_build_the_options_again(demo) -> None:  # type: ignore[no-untyped-def]
    inst, plan = demo
    memo: dict[str, Any] = {}
    first = roster_data(memo, inst, plan.pairs, plan.alliances)
    fewer = roster_data(memo, inst, plan.pairs[1:], plan.alliances)
    assert fewer.options is not first.options


def test_building_stops_at_its_deadline(demo) -> None:  # type: ignore[no-untyped-def]
    inst, plan = demo
    with pytest.raises(OutOfTime):
        build_roster_data(inst, plan.pairs, plan.alliances, deadline=time.perf_counter() - 1)


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    built: list[int] = []
    real = options.build_roster_data

    def counted(*args: Any, **kw: Any) -> RosterData:
        built.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(options, "build_roster_data", counted)
    return built


def test_the_explanation_reuses_the_solves_options_and_finds_the_same(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The outflow share and the rate conflict (test_explain's case): each of the
    explanation's solves tries a near copy; the options are built only for the copies
    whose options differ, and the explanation is the one found building every time."""
    inst = base(policy={"rotation": {"max_outflow_share": 0.0, "min_outflow": 0}})
    built = _counting(monkeypatch)
    reused = explain_infeasible(inst, "roster", time_limit=60, step_limit=5)
    assert reused.steps > 3
    assert 0 < len(built) < reused.steps
    monkeypatch.setattr(options, "recount", lambda *a: None)  # nothing reused
    del built[:]
    fresh = explain_infeasible(inst, "roster", time_limit=60, step_limit=5)
    assert len(built) >= fresh.steps - fresh.decided.get("witness", 0)
    assert reused.conflict == fresh.conflict
    assert [r.settings for r in reused.repairs] == [r.settings for r in fresh.repairs]
    assert reused.complete and fresh.complete


def test_an_explanation_out_of_time_while_building_says_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Options that cannot be built within the explanation's time end it, incomplete,
    instead of overrunning it."""
    inst = base(policy={"rotation": {"max_outflow_share": 0.0, "min_outflow": 0}})
    first = solve(inst, "roster", time_limit=5)
    real = options.build_roster_data

    def late(*args: Any, deadline: float | None = None, **kw: Any) -> RosterData:
        if deadline is not None:
            raise OutOfTime
        return real(*args, **kw)

    monkeypatch.setattr(options, "build_roster_data", late)
    why = explain_infeasible(inst, "roster", time_limit=60, step_limit=5, first=first)
    assert why.part == "roster"
    assert not why.complete
    assert why.seconds < 30


def test_the_needs_table_is_read_once_and_never_taken_for_another(demo) -> None:  # type: ignore[no-untyped-def]
    from twinning.county import needs

    inst, _ = demo
    assert inst.needs
    period = inst.policy.horizon.periods[0]
    first = needs.school_needs(inst, period)
    assert needs.school_needs(inst, period) is first  # read once
    assert first == needs._given(inst, period)
    row = inst.needs[0]
    more = row.model_copy(update={"shortage": row.shortage + 5, "period": ""})
    other = inst.model_copy(update={"needs": [more, *inst.needs[1:]]})
    again = needs.school_needs(other, period)
    assert again == needs._given(other, period)
    assert again[row.school][row.subject] != first[row.school][row.subject]


def test_balance_totals_moved_from_home_equal_a_count_of_everyone(demo) -> None:  # type: ignore[no-untyped-def]
    """The balance figures count everyone at home once and move only the people a period
    puts elsewhere: the totals equal a count of every person where they are."""
    from collections import defaultdict

    from twinning.rules import balance

    inst, _ = demo
    assert balance._where(inst, None, None) == {}  # before the plan: everyone at home
    places = {p.id: {p.school: 1.0} for p in inst.staff}
    schools = [s.id for s in inst.schools]
    for k, person in enumerate(inst.staff[:60]):
        there = schools[(k * 7) % len(schools)]
        places[person.id] = {there: 1.0} if k % 2 else {person.school: 0.75, there: 0.25}
    by_id = {s.id: s for s in inst.schools}
    naive: dict[tuple[str, str, str], float] = defaultdict(float)
    for person in inst.staff:
        for school, share in places[person.id].items():
            for stage in balance.STAGES:
                if stage in by_id[school].stages:
                    for ind, n in balance._counts(person, stage).items():
                        naive[(school, stage, ind)] += share * n
    got = balance._totals(inst, places)
    for key in set(naive) | set(got):
        assert abs(got.get(key, 0.0) - naive.get(key, 0.0)) < 1e-9, key


def test_the_explanation_starts_no_solve_it_cannot_finish_in_its_time() -> None:
    """A part whose first solve took longer than the explanation has left is not solved
    again (it would overrun the explanation's time): its steps are decided by the reach
    counts, plans found before and first-plan searches, each within the step's time."""
    inst = base(policy={"rotation": {"max_outflow_share": 0.0, "min_outflow": 0}})
    first = solve(inst, "roster", time_limit=5)
    slow = first.parts["roster"].model_copy(update={"wall_time": 1000.0})
    first = first.model_copy(update={"parts": {**first.parts, "roster": slow}})
    why = explain_infeasible(inst, "roster", time_limit=20, step_limit=5, first=first)
    assert why.part == "roster"
    assert why.solves == 1  # the first solve only
    assert why.complete and why.proven and "solve" not in why.decided
    assert why.seconds < 10
