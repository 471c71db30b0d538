"""Time limits at every size: the limit is split among the parts, each search keeps to its
share (in deterministic terms where the clock is not read), and a long step still shows
progress. No timing is asserted here (speed is measured in tests/benchmarks/bench_city.py).
"""

from __future__ import annotations

import time

import pytest

from twinning import solve, validate
from twinning.cli import live
from twinning.io.readers import instance_from_frames
from twinning.messages import render
from twinning.models import alliances as alliances_model
from twinning.models.alliances import solve_alliances
from twinning.models.alliances.capacitated import (
    FLOWS_PER_SECOND,
    ITERATIONS_PER_SECOND,
    solve_capacitated,
)
from twinning.models.alliances.data import build_alliances_data
from twinning.models.search import Progress, SearchSettings
from twinning.parts.spec import Part
from twinning.solving import LEAST_SHARE, PART_WEIGHTS, part_share
from twinning.synthetic.county import generate_county

SIZED = {"alliances": {"groups": 4, "same_stage": False, "min_size": 8, "max_size": 12}}


def generated(schools: int, staff: int, seed: int, policy: dict | None = None):  # type: ignore[no-untyped-def]
    return instance_from_frames(f"gen{seed}", generate_county(schools, staff, seed), policy)


def test_each_part_starts_with_its_weights_share_of_what_is_left() -> None:
    every = ["pairs", "alliances", "roster"]
    total = sum(PART_WEIGHTS[p] for p in every)
    assert part_share("pairs", every, 600) == pytest.approx(600 * PART_WEIGHTS["pairs"] / total)
    # the last part takes all that is left; a part never starves those after it
    assert part_share("roster", ["roster"], 123.0) == 123.0
    assert part_share("alliances", ["alliances", "roster"], 90) == pytest.approx(
        90 * PART_WEIGHTS["alliances"] / (PART_WEIGHTS["alliances"] + PART_WEIGHTS["roster"])
    )
    # however late a part starts, it has a first plan's seconds
    assert part_share("roster", ["roster"], -5.0) == LEAST_SHARE


def test_solve_gives_each_part_its_share_and_deterministic_runs_the_whole_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = generated(40, 900, 8, SIZED)
    given: list[tuple[str, float, float]] = []
    run = Part.run

    def spy(self: Part, ctx):  # type: ignore[no-untyped-def]
        given.append((self.name, ctx.settings.time_limit, time.perf_counter()))
        return run(self, ctx)

    monkeypatch.setattr(Part, "run", spy)
    start = time.perf_counter()
    solve(inst, ["pairs", "alliances", "roster"], time_limit=100)
    names = [g[0] for g in given]
    assert names == ["pairs", "alliances", "roster"]
    left = {name: 100 - (at - start) for name, _, at in given}
    shares = {name: limit for name, limit, _ in given}
    # each share is its weight's part of what was left when the part started (between
    # what was left at the start of the solve and when the part began to run)
    assert left["pairs"] / 10 <= shares["pairs"] <= 100 / 10
    assert left["alliances"] * 3 / 9 <= shares["alliances"] <= 100 * 3 / 9
    # the last part takes what is left, what the parts before it used taken off
    assert left["roster"] <= shares["roster"] <= left["alliances"]
    assert shares["pairs"] < shares["alliances"] < shares["roster"]

    given.clear()
    solve(inst, ["pairs", "alliances"], time_limit=7, deterministic=True)
    assert [limit for _, limit, _ in given] == [7, 7]  # deterministic time, no clock read


def test_the_lagrangian_search_keeps_to_its_deterministic_budget() -> None:
    data = build_alliances_data(generated(40, 900, 8, SIZED))
    for seconds in (0.2, 1.0):
        res = solve_capacitated(data, seconds, deterministic=True)
        assert 0 < res.iterations <= ITERATIONS_PER_SECOND * seconds
        assert res.flows <= FLOWS_PER_SECOND * seconds + 1
    again = solve_capacitated(data, 1.0, deterministic=True)
    assert (again.iterations, again.flows) == (res.iterations, res.flows)
    assert again.value == res.value


def test_progress_comes_during_the_alliance_search(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(alliances_model, "REPORT_EVERY", 0.0)
    events: list[Progress] = []
    settings = SearchSettings(time_limit=1.0, deterministic=True, progress=events.append)
    inst = generated(40, 900, 8, SIZED)
    out = solve_alliances(inst, engine="lagrangian", settings=settings)
    assert out.result.status in ("optimal", "feasible")
    assert {e.part for e in events} == {"alliances"}
    texts = [render(e.step, "en") for e in events if e.step is not None]
    assert texts[0] == "building the model"
    steps = [e.solutions for e in events[1:]]
    assert texts[1:] == [f"bound, step {k}" for k in steps]
    assert steps == sorted(steps) and len(steps) >= 2  # one after each step of the search
    assert events[-1].bound is not None


def test_a_silent_step_is_shown_again_at_least_every_ten_seconds(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The heartbeat's loop (run here in this process, over a pipe): nothing before a
    first line, the last line again with its time moved on after a silence, and its end
    when told or when the solve's end of the pipe closes."""
    import multiprocessing

    assert live.HEARTBEAT < 10
    mine, theirs = multiprocessing.Pipe()
    mine.send(None)
    live.heartbeat(theirs, time.monotonic(), "en", every=0.0, poll=0.01)
    assert capsys.readouterr().err == ""  # no line yet: nothing to repeat

    mine, theirs = multiprocessing.Pipe()
    start = time.monotonic() - 12.0
    mine.send(("alliances · bound, step 3", start + 1.0))
    live.heartbeat(theirs, start, "en", every=0.0, poll=0.01, times=2)
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all("s] alliances · bound, step 3 · " in e for e in err)
    mine.close()  # the solve ended without a word: the loop ends too
    live.heartbeat(theirs, start, "en", every=0.0, poll=0.01)

    line = live.Live(quiet=False)
    sent, seen = multiprocessing.Pipe()
    line.watcher = sent
    line(Progress("pairs", None))
    head, at = seen.recv()  # each printed line is told to the heartbeat
    assert head == "pairs" and at == line.logged
    assert "pairs" in capsys.readouterr().err


# ---- secondments: every candidate the hosts allow, whatever the search had time for ----


def _no_secondment_search(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The secondments' search finds nothing in its time (as on a city): the calls made."""
    from twinning.models.roster import decompose
    from twinning.models.roster.model import RosterOutcome

    calls: list[int] = []
    real = decompose.solve_options

    def slow(inst, data, subset, settings, **kw):  # type: ignore[no-untyped-def]
        if kw.get("exchanges") is False:
            calls.append(len(subset))
            return RosterOutcome([], "unknown", None, None, None, settings.time_limit)
        return real(inst, data, subset, settings, **kw)

    monkeypatch.setattr(decompose, "solve_options", slow)
    return calls


def test_secondments_the_search_had_no_time_for_are_placed_where_they_fit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.test_roster_rules import CADRES, base

    inst = base(CADRES)
    searched = solve(inst, "roster", time_limit=5)
    calls = _no_secondment_search(monkeypatch)
    result = solve(inst, "roster", time_limit=5)
    assert calls, "the secondments' search was asked"
    seconded = {m.staff: m.to_school for m in result.plan.roster if m.kind == "secondment"}
    # the same as the search's: city has room for village's cadre, village's room goes to
    # the teachers filling its shortages
    assert (
        seconded
        == {"cadre_v": "city"}
        == {m.staff: m.to_school for m in searched.plan.roster if m.kind == "secondment"}
    )
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    roster = result.parts["roster"]
    assert roster.status == "feasible"  # placed without a proof
    assert roster.bound is not None and roster.bound <= roster.objective
    assert "1 secondments where they still fit" in render(roster.method, "en")


def test_a_generated_countys_secondments_keep_the_rule_without_their_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = generated(60, 1500, 4, SIZED)
    plan = solve(inst, ["pairs", "alliances"], time_limit=20).plan
    _no_secondment_search(monkeypatch)
    result = solve(inst, "roster", time_limit=20, given=plan)
    moves = [m for m in result.plan.roster if m.kind == "secondment"]
    assert moves, "the county has candidates with room for them"
    missed = [
        v
        for v in validate(inst, result.plan).violations
        if v.rule.startswith("rotation.secondment")
    ]
    assert missed == []
    assert result.parts["roster"].status != "optimal"


def test_roster_groups_started_after_their_budget_get_only_a_first_plans_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from twinning.county.distances import Distances
    from twinning.models.roster import decompose
    from twinning.models.roster.options import build_roster_data

    inst = generated(60, 1500, 4, SIZED)
    plan = solve(inst, ["pairs", "alliances"], time_limit=20).plan
    data = build_roster_data(inst, plan.pairs, plan.alliances, Distances(inst))
    exchanges = [i for i, o in enumerate(data.options) if o.kind == "exchange"]
    parts = decompose.components(data, exchanges)
    assert len(parts) > 2
    limits: list[float] = []
    real = decompose.solve_options

    def spy(inst, data, subset, settings, **kw):  # type: ignore[no-untyped-def]
        limits.append(settings.time_limit)
        return real(inst, data, subset, settings, **kw)

    monkeypatch.setattr(decompose, "solve_options", spy)
    settings = SearchSettings(time_limit=60, threads=1)

    def run(budget: float, s: SearchSettings) -> list[float]:
        limits.clear()
        decompose._solve_parts(inst, data, parts, s, {}, budget, 1, set())
        return list(limits)

    # the budget spent before the groups start: each its first plan's time only
    assert run(0.0, settings) == [decompose.LATE_LIMIT] * len(parts)
    # in time: each group its size's share, at least a second
    roomy = run(1e6, settings)
    assert roomy == [max(1.0, 1e6 * len(p) / sum(map(len, parts))) for p in parts]
    # deterministic runs never read the clock: the shares whatever the budget left
    fixed = SearchSettings(time_limit=60, threads=1, deterministic=True)
    assert run(0.0, fixed) == [1.0] * len(parts)


def test_the_roster_keeps_a_share_of_its_limit_for_the_work_after_its_search(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from tests.test_roster_rules import CADRES, base
    from twinning.models import roster

    given: list[float] = []
    real = roster.solve_roster_model

    def spy(inst, data, settings):  # type: ignore[no-untyped-def]
        given.append(settings.time_limit)
        return real(inst, data, settings)

    monkeypatch.setattr(roster, "solve_roster_model", spy)
    inst = base(CADRES)
    solve(inst, "roster", time_limit=50)
    assert given[-1] <= 50 * (1 - roster.AFTER_SEARCH)
    solve(inst, "roster", time_limit=50, deterministic=True)
    assert given[-1] == 50  # deterministic time: the clock is not read


def test_the_report_page_takes_the_solves_own_check_of_a_closest_plan(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from twinning.outputs import result_files
    from twinning.report import html
    from twinning.rules.balance import balance_of

    inst = generated(60, 1500, 3, SIZED)  # its quotas cannot all be met: a closest plan
    result = solve(inst, ["pairs", "alliances", "roster"], time_limit=20)
    assert result.closest and result.missed
    checked = result._checked
    assert [v for v in checked.violations if v.rule != "plan.objective"] == result.missed
    assert result.balance == checked.balance == balance_of(inst, result.plan)  # worked out once

    def again(*args: object, **kw: object) -> None:
        raise AssertionError("the plan was checked again")

    monkeypatch.setattr(html, "validate", again)
    page = result_files(result, inst, formats=("html",))["report.html"].decode("utf-8")
    assert "rotation.rate" in page
