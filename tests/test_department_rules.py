"""Departments and mentees (issue 28's people rules): at most a share of a school's
teachers of one subject away at once, a subject's classes changing hands at most once a
school year, and mentees at home (or at their mentor's school) while mentored.

Naming as in ``tests/test_roster_rules.py``: ``test_<K>_feasible`` (the solver keeps the
rule where it bites, the checker accepts its plan) and ``test_<K>_infeasible`` (a hand-made
plan that breaks the rule is caught under ``rule == K``).

The county: ``city`` (urban, strong) is paired with ``village`` (rural, weak), which lacks
English teachers; city can spare every English teacher it has (its surplus), so only the
rules under test hold them back.
"""

from __future__ import annotations

from typing import Any

from tests.conftest import county, need, school, teacher
from twinning import solve, validate
from twinning.check.report import Violation
from twinning.county.instance import Fixed, Instance, Staff
from twinning.messages import render
from twinning.plan import Move, Plan
from twinning.rules.departments import (
    boundary_years,
    changes_twice,
    department_limit,
    semesters,
)

P1, P2 = "2025-2026-1", "2025-2026-2"


def town(english: int, extra: list[Staff] | None = None, **rotation: Any) -> Instance:
    """city with ``english`` due English teachers (all spare) and 12 Chinese teachers;
    village short of as many English teachers all year. Room for everyone otherwise (host
    capacity 20, half the staff may be away, no quota)."""
    schools = [
        school("city", students=1000),
        school("village", tier="weak", area="rural", km=10, students=400),
    ]
    staff = [
        *(teacher(f"en_{i}", "city", "英语", years_at_school=8) for i in range(english)),
        *(teacher(f"city_{i}", "city", "语文", years_at_school=2) for i in range(12)),
        *(teacher(f"village_{i}", "village", "语文", years_at_school=2) for i in range(8)),
        *(extra or []),
    ]
    needs = [
        need("village", "英语", shortage=english),
        need("city", "英语", surplus=english),
    ]
    policy = {
        "rotation": {
            "scope": "pair",
            "two_way": False,
            "rate": 0.0,
            "backbone_share": 0.0,
            "host_capacity": 20,
            "max_outflow_share": 0.5,
            **rotation,
        }
    }
    return county(schools, staff=staff, needs=needs, policy=policy)


def solved(inst: Instance):  # type: ignore[no-untyped-def]
    result = solve(inst, "roster", time_limit=10)
    assert result.status in ("optimal", "feasible"), result.parts["roster"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    return result


def moves(result) -> list[Move]:  # type: ignore[no-untyped-def]
    return [m for m in result.plan.roster if m.kind in ("exchange", "secondment")]


def away(result, school: str, subject: str, period: int) -> int:  # type: ignore[no-untyped-def]
    """Teachers of a school's subject away in a period (0 or 1)."""
    periods = [P1, P2]
    return sum(
        1
        for m in moves(result)
        if m.from_school == school
        and m.subject == subject
        and periods.index(m.first_period) <= period < periods.index(m.first_period) + m.periods
    )


def exchange(
    staff: str, first: str = P1, periods: int = 2, frm: str = "city", to: str = "village"
) -> Move:
    return Move(
        staff=staff,
        role="teacher",
        subject="英语",
        from_school=frm,
        to_school=to,
        first_period=first,
        periods=periods,
        direction="out" if frm == "city" else "in",
        kind="exchange",
    )


def plan_of(result, *lines: Move) -> Plan:  # type: ignore[no-untyped-def]
    """The solver's plan with these roster lines instead of its own (mentors kept)."""
    keep = [m for m in result.plan.roster if m.kind == "mentor"]
    return result.plan.model_copy(update={"roster": keep + list(lines)})


def found(inst: Instance, plan: Plan, rule: str) -> list[Violation]:
    return [v for v in validate(inst, plan).violations if v.rule == rule]


# ---- rotation.max_department_share --------------------------------------------------------------


def test_rotation_max_department_share_feasible() -> None:
    # Six English teachers, the village short of six: at most a third (2) away at once.
    result = solved(town(6))
    assert all(away(result, "city", "英语", t) == 2 for t in (0, 1))
    # Nineteen, as 县实验中学's English department: at most 6 (the share rounded down).
    inst = town(19, host_capacity=30)
    assert department_limit(inst, 19) == 6
    assert all(away(solved(inst), "city", "英语", t) == 6 for t in (0, 1))
    # A department of two still sends one (at least one may go), never both.
    two = solved(town(2))
    assert all(away(two, "city", "英语", t) == 1 for t in (0, 1))
    # With the share at 1 (no limit) all but one go (rotation.keep_subject_cover keeps one).
    assert all(
        away(solved(town(6, max_department_share=1.0)), "city", "英语", t) == 5 for t in (0, 1)
    )
    # A teacher on the secondment list counts too: of a department of two candidates (the
    # village takes two seconded a semester), one is seconded, in the second semester.
    listed = [
        teacher(f"sec_{i}", "city", "美术", years_at_school=2, secondment_candidate=True)
        for i in range(2)
    ]
    inst = town(0, listed, secondment_per_host=2)
    inst = inst.model_copy(update={"needs": [*inst.needs, need("city", "美术", surplus=2)]})
    lines = [m for m in moves(solved(inst)) if m.kind == "secondment"]
    assert len(lines) == 1 and lines[0].first_period == P2


def test_rotation_max_department_share_infeasible() -> None:
    inst = town(6)
    result = solved(inst)
    three = plan_of(result, *(exchange(f"en_{i}") for i in range(3)))
    found_ = found(inst, three, "rotation.max_department_share")
    assert [(v.where, v.amount) for v in found_] == [
        (["city", "英语", P1], 1),
        (["city", "英语", P2], 1),
    ]
    v = found_[0]
    assert v.code == "check.rotation.max_department_share"
    assert render(v.msg, "en") == (
        f"city has 3 of its 6 英语 teacher(s) away in {P1} (en_0, en_1, en_2), at most 2"
    )
    assert render(v.msg, "zh") == f"city的英语教师共6人，{P1}外出3人（en_0、en_1、en_2），至多2人"
    # Both of a department of two away at once (a rural school's two PE teachers).
    two = town(2)
    both = plan_of(solved(two), exchange("en_0"), exchange("en_1"))
    assert [v.amount for v in found(two, both, "rotation.max_department_share")] == [1, 1]
    # A secondment of a teacher counts as away; the share at 1 allows it all.
    seconded = exchange("en_1", first=P2, periods=1).model_copy(update={"kind": "secondment"})
    mixed = plan_of(solved(two), exchange("en_0"), seconded)
    (v,) = found(two, mixed, "rotation.max_department_share")
    assert v.where == ["city", "英语", P2]
    loose = town(2, max_department_share=1.0)
    assert not found(loose, both, "rotation.max_department_share")
    # A quota beyond the share (4 of 6 due): infeasible, and the reason names the rule.
    short = solve(town(6, rate=0.6), "roster", time_limit=10)
    assert short.status == "infeasible"
    said = render(short.parts["roster"].message or "", "en")
    assert "city moves 2 of 4" in said
    assert (
        "4 英语 teacher(s) stay: at most 2 of its 6 英语 teacher(s) away at once "
        "(rotation.max_department_share)" in said
    )
    # twinning explain names the conflict and a share that lets the quota go (4 of 6).
    from twinning.explain.infeasible import explain_infeasible

    why = explain_infeasible(town(6, rate=0.6), "roster", time_limit=60)
    # (proven smallest: with one-semester stints in turns, two a semester would meet it)
    assert why.proven
    assert why.conflict == [
        "rotation.max_department_share",
        "rotation.classes_change_once_a_year",
        "rotation.rate",
    ]
    repair = {r.key: r.settings for r in why.repairs}["rotation.max_department_share"]
    assert repair == {"rotation.max_department_share": 0.7}


# ---- rotation.classes_change_once_a_year ------------------------------------------------------


def test_rotation_classes_change_once_a_year_feasible() -> None:
    # One-semester stints only, the village short of two English teachers all year: without
    # the rule two teachers take turns (one in each semester: city's English classes change
    # hands at the year's start and again at its middle); with it, the stints lie in the
    # second semester.
    inst = town(6, max_periods=1)
    result = solved(inst)
    assert {m.first_period for m in moves(result)} == {P2}
    assert len(moves(result)) == 2
    # the first semester's shortage is out of reach, and the checker recounts it so
    kpis = result.parts["roster"].kpis
    assert kpis.needs_reachable_teacher_periods == 6 and kpis.needs_covered_share == 0.3333
    assert validate(inst, result.plan).kpis["roster"].needs_covered_share == 0.3333
    off = solved(town(6, max_periods=1, classes_change_once_a_year=False))
    assert {m.first_period for m in moves(off)} == {P1, P2}
    # Stints of a year or a semester: the department takes the year (its teachers leave at
    # the start and none leaves at the middle).
    result = solved(town(6))
    assert {(m.first_period, m.periods) for m in moves(result)} == {(P1, 2)}
    # Two school years: a year-long exchange from the middle of the first to the middle of
    # the second hands the classes over once in each.
    periods = [P1, P2, "2026-2027-1", "2026-2027-2"]
    assert semesters(periods) == [(2025, 0), (2025, 1), (2026, 0), (2026, 1)]
    bounds = boundary_years(periods)
    assert not changes_twice(bounds, 1, 2) and changes_twice(bounds, 2, 1)
    assert changes_twice(boundary_years(["a", "b", "c"]), 2, 1)  # paired in order
    # (city's second English teacher is not due: one teacher, and one span, covers both)
    staff = [
        t.model_copy(update={"years_at_school": 1}) if t.id == "en_1" else t for t in town(2).staff
    ]
    long = county(
        town(2).schools,
        staff=staff,
        needs=[need("village", "英语", shortage=1, period=p) for p in periods[1:3]]
        + [need("city", "英语", surplus=2)],
        policy={
            "horizon": {"periods": periods},
            "rotation": {
                "scope": "pair",
                "two_way": False,
                "rate": 0.0,
                "backbone_share": 0.0,
                "min_periods": 2,
                "max_periods": 2,
            },
        },
    )
    (m,) = moves(solved(long))
    assert (m.first_period, m.periods) == (P2, 2)


def test_rotation_classes_change_once_a_year_infeasible() -> None:
    inst = town(6)
    result = solved(inst)
    # A one-semester stint in the first semester: away at the start, back at the middle
    # (city's classes and the village's both change hands twice).
    first = plan_of(result, exchange("en_0", periods=1))
    got = found(inst, first, "rotation.classes_change_once_a_year")
    assert [v.where for v in got] == [["city", "英语", P1], ["village", "英语", P1]]
    v = got[0]
    assert v.code == "check.rotation.classes_change_once_a_year"
    assert render(v.msg, "en") == (
        f"英语 classes at city change hands twice in the school year of {P1}, {P2}: at its "
        "start (en_0) and at its middle (en_0)"
    )
    assert render(v.msg, "zh") == (
        f"city的英语课在{P1}、{P2}这一学年内两次换人：学年初（en_0）和学年中（en_0）"
    )
    # One teacher for the year from the start, another for the second semester.
    mixed = plan_of(result, exchange("en_0"), exchange("en_1", first=P2, periods=1))
    got = found(inst, mixed, "rotation.classes_change_once_a_year")
    assert [v.params["start"] for v in got] == [["en_0"], ["en_0"]]
    assert [v.params["middle"] for v in got] == [["en_1"], ["en_1"]]
    # A visitor counts at the host: a village English teacher leaving to learn at the
    # middle while a city teacher arrives at the start.
    learner = teacher("village_en", "village", "英语", years_at_school=8)
    both = town(6, [learner], two_way=True)
    visit = plan_of(
        solved(both), exchange("en_0"), exchange("village_en", P2, 1, "village", "city")
    )
    got = found(both, visit, "rotation.classes_change_once_a_year")
    assert ["village", "英语", P1] in [v.where for v in got]
    # The rule off: nothing to say.
    off = town(6, classes_change_once_a_year=False)
    assert not found(off, mixed, "rotation.classes_change_once_a_year")


# ---- rotation.mentee_at_home ------------------------------------------------------------------


def mentees(*, at_city1: bool, **rotation: Any) -> Instance:
    """One alliance of city1 (its lead), city2 and village. A backbone English teacher
    mentors at city2 (and, ``at_city1``, another at city1); two young English teachers at
    village, one of them (``young_away``) pinned to a learning stint at city1 in the second
    semester."""
    schools = [
        school("city1", students=1000),
        school("city2", km=2, students=1000),
        school("village", tier="weak", area="rural", km=10, students=400),
    ]
    staff = [
        teacher("m2", "city2", "英语", backbone="county", age=45),
        *([teacher("m1", "city1", "英语", backbone="county", age=46)] if at_city1 else []),
        teacher("young_away", "village", "英语", age=26, years_at_school=2),
        teacher("young_home", "village", "英语", age=27, years_at_school=2),
        *(teacher(f"c1_{i}", "city1", "语文") for i in range(6)),
        *(teacher(f"c2_{i}", "city2", "语文") for i in range(6)),
        *(teacher(f"v_{i}", "village", "语文") for i in range(6)),
    ]
    fixed = [
        Fixed(
            kind="exchange", staff="young_away", from_school="village", to_school="city1", period=P2
        )
    ]
    policy = {
        "alliances": {"groups": 1, "same_stage": False, "leads": ["city1"]},
        "rotation": {
            "scope": "alliance",
            "rate": 0.0,
            "backbone_share": 0.0,
            "two_way_share": 0.0,
            "host_capacity": 5,
            "max_department_share": 1.0,
            "max_periods": 1,
            **rotation,
        },
    }
    needs = [need("village", "英语", surplus=1)]  # it can spare the one learning
    return county(schools, staff=staff, needs=needs, fixed=fixed, policy=policy)


def pairs(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """mentee -> mentor."""
    return {m.mentee or "": m.staff for m in result.plan.roster if m.kind == "mentor"}


def test_rotation_mentee_at_home_feasible() -> None:
    # The young teacher learning at city1 is not mentored from city2 while away ...
    result = solved(mentees(at_city1=False))
    assert pairs(result) == {"young_home": "m2"}
    # ... but is by city1's mentor, at the school where they are (and young_home by m2).
    result = solved(mentees(at_city1=True))
    assert pairs(result) == {"young_away": "m1", "young_home": "m2"}
    # The rule off: the mentor of city2 may take either (the newest to teaching first:
    # ages 26 and 27, so the one away).
    off = solved(mentees(at_city1=False, mentee_at_home=False))
    assert pairs(off) == {"young_away": "m2"}


def test_rotation_mentee_at_home_infeasible() -> None:
    inst = mentees(at_city1=True)
    result = solved(inst)
    lines = {m.mentee: m for m in result.plan.roster if m.kind == "mentor"}
    away = next(m for m in result.plan.roster if m.staff == "young_away")
    # m2 (city2) mentors the teacher learning at city1, m1 the one at home.
    swapped = [
        lines["young_away"].model_copy(update={"staff": "m2", "from_school": "city2"}),
        lines["young_home"].model_copy(update={"staff": "m1", "from_school": "city1"}),
    ]
    plan = plan_of(result, away, *swapped)
    (v,) = found(inst, plan, "rotation.mentee_at_home")
    assert v.where == ["m2", "young_away"] and v.code == "check.rotation.mentee_at_home"
    assert render(v.msg, "en") == (
        f"mentee young_away is away at city1 in {P2} while mentored by m2 of city2"
    )
    assert render(v.msg, "zh") == f"徒弟young_away由city2的m2带教期间，{P2}外出到city1"
    # A line over the first semester only, the stint in the second: no overlap.
    later = swapped[0].model_copy(update={"first_period": P1, "periods": 1})
    assert not found(inst, plan_of(result, away, later, swapped[1]), "rotation.mentee_at_home")
    # The rule off: the same plan keeps it.
    off = mentees(at_city1=True, mentee_at_home=False)
    assert not found(off, plan, "rotation.mentee_at_home")
    # mentors.maximal knows the rule: m2 free beside the teacher away is not a pair left out.
    alone = mentees(at_city1=False)
    res = solved(alone)
    kept = [m for m in res.plan.roster if m.kind != "mentor"]
    assert found(alone, res.plan.model_copy(update={"roster": kept}), "mentors.maximal")
    only_home = [*kept, *(m for m in res.plan.roster if m.mentee == "young_home")]
    assert not found(alone, res.plan.model_copy(update={"roster": only_home}), "mentors.maximal")
