"""The balance evaluation's staffing indicators (rules/balance.py), counted by hand."""

from __future__ import annotations

import pytest

from solver import solve, validate
from solver.plan import CircuitVisit, Move, Plan
from solver.rules.balance import balance_of
from tests.conftest import county, school, teacher

P1, P2 = "2025-2026-1", "2025-2026-2"


def two_schools(**extra: object) -> object:
    """A and B, 100 primary pupils each; A has two county backbone teachers, B none."""
    staff = [
        teacher("a1", "A", "语文", backbone="county", education="bachelor"),
        teacher("a2", "A", "数学", backbone="county", education="college"),
        teacher("a3", "A", "音乐", education="secondary", weekly_load=12),
        teacher("b1", "B", "语文", education="secondary"),
    ]
    return county(
        [school("A", students=100), school("B", tier="weak", area="rural", km=5, students=100)],
        staff=staff,
        **extra,
    )


def plan(inst: object, roster: list[Move] = (), circuits: list[CircuitVisit] = ()) -> Plan:  # type: ignore[assignment]
    return Plan(
        instance="tiny",
        parts=["roster", "itinerant"],
        status="feasible",
        objective=0,
        roster=list(roster),
        circuits=list(circuits),
    )


def a1_to_b_first_period() -> Move:
    return Move(
        staff="a1",
        role="teacher",
        subject="语文",
        from_school="A",
        to_school="B",
        first_period=P1,
        periods=1,
        direction="out",
        kind="exchange",
    )


def test_before_the_plan_counted_by_hand() -> None:
    b = balance_of(two_schools())  # type: ignore[arg-type]
    backbone = b.before["backbone"]["primary"]
    assert backbone.cv == 1.0  # 2 and 0 per 100: mean 1, population sd 1
    assert backbone.below_minimum == 1 and backbone.met is False  # B below 1.0, cv > 0.5
    qualified = b.before["qualified"]["primary"]  # college or higher: A 2, B 0
    assert qualified.cv == 1.0 and qualified.below_minimum == 2  # both under 4.2
    pe = b.before["pe_arts"]["primary"]  # the music teacher at A: 1 and 0
    assert pe.cv == 1.0 and b.missing == [] and b.after == {}
    assert b.before["backbone"]["junior"].cv is None  # no junior school


def test_a_move_counts_at_the_host_in_its_periods_only() -> None:
    inst = two_schools()
    move = a1_to_b_first_period()
    b = balance_of(inst, plan(inst, [move]))  # type: ignore[arg-type]
    assert b.after[P1]["backbone"]["primary"].cv == 0.0  # 1 and 1
    assert b.after[P1]["backbone"]["primary"].met is True
    assert b.after[P2]["backbone"]["primary"].cv == 1.0  # back home
    assert b.after[P1]["qualified"]["primary"].cv == 0.0  # a1's bachelor went along


def test_a_circuit_counts_in_proportion_to_its_lessons() -> None:
    inst = two_schools()
    visit = CircuitVisit(
        staff="a3",
        subject="音乐",
        home_school="A",
        weekday="Mon",
        order=1,
        school="B",
        lessons=4,
        km=5.0,
    )
    b = balance_of(inst, plan(inst, circuits=[visit]))  # type: ignore[arg-type]
    # 4 of 16 lessons at B: A 0.75, B 0.25 per 100 pupils -> mean 0.5, sd 0.25
    assert b.after[P1]["pe_arts"]["primary"].cv == pytest.approx(0.5)
    assert b.after[P1]["pe_arts"]["primary"].below_minimum == 2


def test_qualified_is_not_computed_without_education() -> None:
    staff = [teacher("a1", "A"), teacher("b1", "B")]
    inst = county([school("A"), school("B", tier="weak")], staff=staff)
    b = balance_of(inst)
    assert b.missing == ["qualified: no staff education (学历) given"]
    assert b.before["qualified"]["primary"].cv is None


def test_the_summary_and_the_checker_agree_on_every_figure() -> None:
    from solver import load_instance
    from tests.conftest import INSTANCES

    inst = load_instance(INSTANCES / "demo-county")
    result = solve(inst, "pairs,alliances,roster", time_limit=20)
    report = validate(inst, result.plan)
    assert result.balance is not None and report.balance is not None
    assert result.summary().balance == report.balance  # every cv to 4 decimals
    roster = result.parts["roster"].kpis
    assert roster is not None
    for period, by_stage in roster.cv_backbone_per_100_after.items():
        for stage, cv in by_stage.items():
            assert result.balance.after[period]["backbone"][stage].cv == cv


def test_the_deviation_term_counted_by_hand() -> None:
    from solver.explain import with_policy
    from solver.rules.balance import balance_deviation

    inst = with_policy(two_schools(), {"balance.target": "objective"})  # type: ignore[arg-type]
    # per period: backbone and qualified 2 / 0 against a mean of 1 each (1000 thousandths
    # off at both schools), PE and arts 1 / 0 against 0.5; 10 per thousandth at 100 pupils
    assert balance_deviation(inst, []) == 2 * 10 * (2000 + 2000 + 1000)
    move = a1_to_b_first_period()
    # a1 (backbone, 本科) at B in the first period evens backbone and qualified there
    assert balance_deviation(inst, [move]) == 10 * 1000 + 10 * 5000


def test_balance_as_an_objective_lowers_the_coefficients_and_is_recounted() -> None:
    from solver import load_instance
    from solver.explain import with_policy
    from tests.conftest import INSTANCES

    inst = load_instance(INSTANCES / "demo-county")
    parts = "pairs,alliances,roster"
    plain = solve(inst, parts, time_limit=20)
    aimed_inst = with_policy(inst, {"balance.target": "objective"})
    aimed = solve(aimed_inst, parts, time_limit=20)
    report = validate(aimed_inst, aimed.plan)
    assert report.ok, report.violations
    assert report.objectives["roster"].value == aimed.parts["roster"].objective
    assert report.objectives["roster"].terms["balance_deviation"] > 0
    assert plain.balance is not None and aimed.balance is not None

    def total(b: object) -> float:
        return sum(
            f.cv or 0.0
            for by_ind in b.after.values()  # type: ignore[attr-defined]
            for by_stage in by_ind.values()
            for f in by_stage.values()
        )

    assert total(aimed.balance) < total(plain.balance)


def test_frontier_writes_a_valid_plan_per_point(tmp_path: object) -> None:
    import csv
    from pathlib import Path

    from typer.testing import CliRunner

    from cli.main import app
    from solver import load_instance
    from solver.explain import with_policy
    from solver.plan import Plan as PlanDoc
    from tests.conftest import INSTANCES

    out = Path(str(tmp_path)) / "frontier"
    demo = str(INSTANCES / "demo-county")
    args = ["frontier", demo, "-o", str(out), "--points", "3", "--time-limit", "10"]
    done = CliRunner().invoke(app, args)
    assert done.exit_code == 0, done.output
    rows = list(csv.DictReader((out / "frontier.csv").read_text("utf-8-sig").splitlines()))
    assert [r["weight"] for r in rows] == ["0", "1", "3"]
    inst = load_instance(INSTANCES / "demo-county")
    for k, row in enumerate(rows):
        plan = PlanDoc.from_json((out / f"point-{k}" / "plan.json").read_text("utf-8"))
        assert row["valid"] == "True"
        assert validate(with_policy(inst, plan.settings), plan).ok
        assert float(row["cv_backbone_junior"]) > 0
    # a folder that is not a frontier's is refused
    (out.parent / "other").mkdir()
    (out.parent / "other" / "notes.txt").write_text("mine", encoding="utf-8")
    refused = CliRunner().invoke(app, ["frontier", demo, "-o", str(out.parent / "other")])
    assert refused.exit_code == 2 and "no frontier.csv" in refused.output
