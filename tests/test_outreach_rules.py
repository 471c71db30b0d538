"""Each outreach rule (送教下乡 and 跟岗): a tiny feasible case and a tiny infeasible case.

Naming follows ``tests/test_roster_rules.py``: ``test_<K>_feasible`` (the model keeps the
rule and the checker accepts its calendar) and ``test_<K>_infeasible`` (a calendar that
breaks it, solved or hand-made, is caught under ``rule == K``).

The county: ``town`` (urban, strong primary school) helps ``village`` (rural, weak primary
school, short of English). At ``town``, ``backbone`` is a county-level backbone English
teacher, ``studio`` a 名师工作室 member teaching maths, ``plain`` neither.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import county, need, school, teacher
from twinning import solve, validate
from twinning.county.instance import Instance, Staff
from twinning.messages import render
from twinning.plan import Move, OutreachVisit, Pair, Plan
from twinning.result import Result

P1 = "2025-2026-1"


def town_and_village(policy: dict[str, Any] | None = None, **extra_staff: Any) -> Instance:
    staff: list[Staff] = [
        teacher("backbone", "town", "英语", backbone="county"),
        teacher("studio", "town", "数学", studio="张老师数学工作室"),
        teacher("plain", "town", "语文"),
        teacher("villager", "village", "语文"),
        *extra_staff.get("more", []),
    ]
    outreach = {"visits_per_school": 2, **(policy or {})}
    return county(
        [school("town"), school("village", tier="weak", area="rural", km=10)],
        staff=staff,
        needs=[need("village", "英语", shortage=1)],
        policy={"horizon": {"periods": [P1]}, "outreach": outreach},
    )


def planned(inst: Instance) -> Result:
    return solve(inst, parts="outreach", time_limit=10)


def outreach_rules(inst: Instance, plan: Plan) -> set[str]:
    """The outreach rules ``validate`` finds broken."""
    return {v.rule for v in validate(inst, plan).violations if v.rule.startswith("outreach.")}


def visit(
    staff: str,
    week: int = 1,
    *,
    subject: str = "英语",
    frm: str = "town",
    to: str = "village",
    days: int = 1,
) -> OutreachVisit:
    return OutreachVisit(
        period=P1,
        week=week,
        staff=staff,
        from_school=frm,
        to_school=to,
        subject=subject,
        kind="model_lesson",
        days=days,
    )


def stint(staff: str = "villager", week: int = 1, days: int = 5) -> OutreachVisit:
    return OutreachVisit(
        period=P1,
        week=week,
        staff=staff,
        from_school="village",
        to_school="town",
        subject="语文",
        kind="shadowing",
        days=days,
    )


def by_hand(lines: list[OutreachVisit], *, paired: bool = False) -> Plan:
    """An outreach plan written by hand (with the town-village pair when ``paired``)."""
    pairs = (
        [Pair(helper="town", helped="village", distance_km=10.0, complementarity=0, why="by hand")]
        if paired
        else []
    )
    return Plan(
        instance="tiny",
        parts=["pairs", "outreach"] if paired else ["outreach"],
        status="optimal",
        objective=0,
        pairs=pairs,
        outreach=lines,
    )


def assert_valid(inst: Instance, result: Result) -> None:
    assert result.status == "optimal", (result.status, result.parts["outreach"].message)
    report = validate(inst, result.plan)
    assert report.ok, report.violations


# ---- outreach.weeks ---------------------------------------------------------------------


def test_outreach_weeks_feasible() -> None:
    inst = town_and_village({"weeks": "3-4", "min_weeks_apart": 1})
    result = planned(inst)
    assert_valid(inst, result)
    assert {o.week for o in result.plan.outreach} <= {3, 4}


def test_outreach_weeks_infeasible() -> None:
    inst = town_and_village({"weeks": "3-4", "visits_per_school": 1, "short_exchanges": False})
    assert "outreach.weeks" in outreach_rules(inst, by_hand([visit("backbone", week=20)]))


# ---- outreach.visitors ------------------------------------------------------------------


def test_outreach_visitors_feasible() -> None:
    inst = town_and_village()
    result = planned(inst)
    assert_valid(inst, result)
    visitors = {o.staff for o in result.plan.outreach if o.kind == "model_lesson"}
    assert visitors == {"backbone", "studio"}  # never the plain teacher


def test_outreach_visitors_infeasible() -> None:
    inst = town_and_village({"visits_per_school": 1, "short_exchanges": False})
    assert "outreach.visitors" in outreach_rules(inst, by_hand([visit("plain", subject="语文")]))
    # ... nor a backbone teacher the roster takes away that semester
    away = Move(
        staff="backbone",
        role="teacher",
        subject="英语",
        from_school="town",
        to_school="village",
        first_period=P1,
        periods=1,
        direction="out",
        kind="exchange",
    )
    plan = by_hand([visit("backbone")]).model_copy(update={"roster": [away]})
    assert "outreach.visitors" in outreach_rules(inst, plan)


# ---- outreach.visits_per_school --------------------------------------------------------


def test_outreach_visits_per_school_feasible() -> None:
    inst = town_and_village()
    result = planned(inst)
    assert_valid(inst, result)
    got = [o for o in result.plan.outreach if o.kind == "model_lesson"]
    assert len(got) == 2 and {o.to_school for o in got} == {"village"}
    assert "英语" in {o.subject for o in got}  # its shortage subject first


def test_outreach_visits_per_school_infeasible() -> None:
    # Three visits asked, two teachers who may visit: the closest plan, honestly infeasible.
    inst = town_and_village({"visits_per_school": 3})
    result = planned(inst)
    assert result.status == "infeasible"
    assert result.parts["outreach"].status == "infeasible"
    missed = [v for v in result.missed if v.rule == "outreach.visits_per_school"]
    assert [(v.where[0], v.amount) for v in missed] == [("village", 1)]
    assert "village" in render(result.parts["outreach"].message or "", "en")


# ---- outreach.max_visits_per_teacher ---------------------------------------------------


def test_outreach_max_visits_per_teacher_feasible() -> None:
    inst = county(
        [
            school("town"),
            school("v1", tier="weak", area="rural", km=5),
            school("v2", tier="weak", area="rural", km=6),
        ],
        staff=[
            teacher("a", "town", "英语", backbone="city"),
            teacher("b", "town", "英语", backbone="county"),
        ],
        policy={
            "horizon": {"periods": [P1]},
            "outreach": {
                "visits_per_school": 1,
                "max_visits_per_teacher": 1,
                "short_exchanges": False,
            },
        },
    )
    result = planned(inst)
    assert_valid(inst, result)
    assert sorted(o.staff for o in result.plan.outreach) == ["a", "b"]


def test_outreach_max_visits_per_teacher_infeasible() -> None:
    inst = town_and_village({"max_visits_per_teacher": 1, "short_exchanges": False})
    plan = by_hand([visit("backbone", 1), visit("backbone", 2)])
    assert "outreach.max_visits_per_teacher" in outreach_rules(inst, plan)
    # one outreach line a week: two visits in one week are caught too
    inst = town_and_village({"short_exchanges": False})
    plan = by_hand([visit("backbone", 1), visit("backbone", 1)])
    assert "outreach.max_visits_per_teacher" in outreach_rules(inst, plan)


# ---- outreach.max_away_per_school_per_week ---------------------------------------------


def test_outreach_max_away_per_school_per_week_feasible() -> None:
    inst = town_and_village(
        {"max_away_per_school_per_week": 1, "weeks": "1-2", "min_weeks_apart": 1}
    )
    result = planned(inst)
    assert_valid(inst, result)
    weeks = [o.week for o in result.plan.outreach if o.from_school == "town"]
    assert sorted(weeks) == [1, 2]


def test_outreach_max_away_per_school_per_week_infeasible() -> None:
    inst = town_and_village({"max_away_per_school_per_week": 1, "short_exchanges": False})
    plan = by_hand([visit("backbone", 1), visit("studio", 1, subject="数学")])
    assert "outreach.max_away_per_school_per_week" in outreach_rules(inst, plan)


# ---- outreach.min_weeks_apart ----------------------------------------------------------


def test_outreach_min_weeks_apart_feasible() -> None:
    # Five weeks and four apart: the only calendar is weeks 1 and 5.
    inst = town_and_village({"weeks": "1-5", "min_weeks_apart": 4, "short_exchanges": False})
    result = planned(inst)
    assert_valid(inst, result)
    assert sorted(o.week for o in result.plan.outreach) == [1, 5]
    # the default (4 weeks) on a whole semester: the two visits at least 4 weeks apart
    result = planned(town_and_village())
    weeks = sorted(o.week for o in result.plan.outreach if o.kind == "model_lesson")
    assert len(weeks) == 2 and weeks[1] - weeks[0] >= 4


def test_outreach_min_weeks_apart_infeasible() -> None:
    inst = town_and_village({"short_exchanges": False})
    plan = by_hand([visit("backbone", 1), visit("studio", 3, subject="数学")])
    assert outreach_rules(inst, plan) == {"outreach.min_weeks_apart"}
    assert "outreach.min_weeks_apart" not in outreach_rules(
        inst, by_hand([visit("backbone", 1), visit("studio", 5, subject="数学")])
    )
    # three weeks cannot hold two visits four weeks apart: an honest miss, no broken spacing
    inst = town_and_village({"weeks": "1-3", "short_exchanges": False})
    result = planned(inst)
    assert result.parts["outreach"].status == "infeasible"
    assert {v.rule for v in result.missed} - {"plan.status"} == {"outreach.visits_per_school"}


# ---- outreach.max_visits_per_week ------------------------------------------------------


def villages(n: int, policy: dict[str, Any]) -> Instance:
    """``town`` with three backbone English teachers, ``n`` weak villages short of English."""
    return county(
        [school("town")] + [school(f"v{k}", tier="weak", area="rural", km=5 + k) for k in range(n)],
        staff=[teacher(f"b{k}", "town", "英语", backbone="county") for k in range(3)],
        needs=[need(f"v{k}", "英语", shortage=1) for k in range(n)],
        policy={
            "horizon": {"periods": [P1]},
            "outreach": {
                "visits_per_school": 1,
                "short_exchanges": False,
                "max_away_per_school_per_week": 3,
                **policy,
            },
        },
    )


def test_outreach_max_visits_per_week_feasible() -> None:
    # Three visits, one a week at most: three weeks.
    inst = villages(3, {"weeks": "1-3", "max_visits_per_week": 1})
    result = planned(inst)
    assert_valid(inst, result)
    assert sorted(o.week for o in result.plan.outreach) == [1, 2, 3]
    # the default cap: six visits over six weeks, at most ceil(2 x 6 / 6) = 2 a week
    inst = villages(6, {"weeks": "1-6"})
    result = planned(inst)
    assert_valid(inst, result)
    per_week = Counter(o.week for o in result.plan.outreach)
    assert sum(per_week.values()) == 6 and max(per_week.values()) <= 2


def test_outreach_max_visits_per_week_infeasible() -> None:
    # Three visits in one week of eighteen: the default cap is ceil(2 x 3 / 18) = 1.
    inst = villages(3, {})
    lines = [visit(f"b{k}", 1, to=f"v{k}") for k in range(3)]
    assert outreach_rules(inst, by_hand(lines)) == {"outreach.max_visits_per_week"}
    spread = [visit(f"b{k}", 1 + k, to=f"v{k}") for k in range(3)]
    assert outreach_rules(inst, by_hand(spread)) == set()
    # a cap the weeks cannot meet: fewer visits, each miss named, no week over its cap
    inst = villages(3, {"weeks": "1-2", "max_visits_per_week": 1})
    result = planned(inst)
    assert result.parts["outreach"].status == "infeasible"
    assert {v.rule for v in result.missed} - {"plan.status"} == {"outreach.visits_per_school"}
    assert max(Counter(o.week for o in result.plan.outreach).values()) == 1


# ---- outreach.short_exchanges ----------------------------------------------------------


def test_outreach_short_exchanges_feasible() -> None:
    inst = town_and_village()
    result = planned(inst)
    assert_valid(inst, result)
    stints = [o for o in result.plan.outreach if o.kind == "shadowing"]
    assert [(o.staff, o.from_school, o.to_school, o.days) for o in stints] == [
        ("villager", "village", "town", 5)
    ]


def test_outreach_short_exchanges_infeasible() -> None:
    inst = town_and_village()
    visits = [visit("backbone"), visit("studio", 2, subject="数学")]
    assert "outreach.short_exchanges" in outreach_rules(inst, by_hand(visits, paired=True))
    # a village with nobody at home to send: the solve says so
    away = county(
        [school("town"), school("village", tier="weak", area="rural", km=10)],
        staff=[
            teacher("backbone", "town", "英语", backbone="county"),
            teacher("gone", "village", "语文", status="exempt"),
        ],
        policy={"horizon": {"periods": [P1]}, "outreach": {"visits_per_school": 1}},
    )
    result = planned(away)
    assert result.parts["outreach"].status == "infeasible"
    assert {v.rule for v in result.missed} - {"plan.status"} == {"outreach.short_exchanges"}


# ---- outreach.short_exchange_weeks -----------------------------------------------------


def test_outreach_short_exchange_weeks_feasible() -> None:
    inst = town_and_village({"short_exchange_weeks": 2})
    result = planned(inst)
    assert_valid(inst, result)
    assert [o.days for o in result.plan.outreach if o.kind == "shadowing"] == [10]


def test_outreach_short_exchange_weeks_infeasible() -> None:
    inst = town_and_village({"short_exchange_weeks": 2})
    plan = by_hand(
        [visit("backbone"), visit("studio", 2, subject="数学"), stint(days=5)], paired=True
    )
    assert "outreach.short_exchange_weeks" in outreach_rules(inst, plan)


# ---- the whole part --------------------------------------------------------------------


def test_objective_is_recomputed_by_the_checker() -> None:
    inst = town_and_village()
    result = planned(inst)
    report = validate(inst, result.plan)
    assert report.objectives["outreach"] == result.plan.objectives["outreach"]
    tampered = result.plan.model_copy(update={"outreach": result.plan.outreach[:-1]})
    assert any(v.rule == "plan.objective" for v in validate(inst, tampered).violations)


def test_deterministic_runs_give_identical_calendars() -> None:
    inst = town_and_village()
    a = solve(inst, parts="outreach", deterministic=True, seed=3)
    b = solve(inst, parts="outreach", deterministic=True, seed=3)
    assert a.plan.to_json() == b.plan.to_json()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(1, 3),
    st.integers(1, 4),
    st.integers(0, 2),
    st.integers(0, 3),
    st.sampled_from([None, 1, 2]),
)
def test_outreach_policy_variants_validate(
    visits: int, per_teacher: int, away: int, apart: int, per_week: int | None
) -> None:
    inst = town_and_village(
        {
            "visits_per_school": visits,
            "max_visits_per_teacher": per_teacher,
            "max_away_per_school_per_week": away,
            "weeks": "1-3",
            "min_weeks_apart": apart,
            "max_visits_per_week": per_week,
        }
    )
    result = planned(inst)
    report = validate(inst, result.plan)
    missed = {v.rule for v in report.violations} - {"plan.status"}
    if result.parts["outreach"].status == "optimal":
        assert report.ok, report.violations
    else:
        assert result.parts["outreach"].status == "infeasible"
        assert missed <= {"outreach.visits_per_school", "outreach.short_exchanges"}, missed
