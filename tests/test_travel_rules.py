"""Travel rules (issue 28): minutes one way, each person's own limit, nearest first.

Each rule's two tests, as in test_roster_rules.py: ``_feasible`` shows the model keeps the
rule on a small county where it bites, ``_infeasible`` that the checker catches a plan
doctored to break it.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import county, need, school, teacher
from tests.test_roster_rules import (
    CITY_SPARE,
    P1,
    base,
    found,
    move,
    moved,
    quota_named,
    solved,
    with_moves,
    with_schools,
)
from twinning import solve, validate
from twinning.county.instance import Distance, Fixed, Instance, Staff
from twinning.errors import InputError
from twinning.io.readers import load_instance
from twinning.result import RosterKpis


def _far_village(inst: Instance) -> Instance:
    """County scope; far_village (80 km) lacks English more urgently than village (10 km)."""
    return with_schools(
        inst,
        school("far_village", tier="weak", area="rural", km=80, students=200),
        needs=[
            need("village", "英语", shortage=2, priority=3),
            need("village", "音乐", shortage=1),
            need("far_village", "英语", shortage=2, priority=1),
            *CITY_SPARE,
        ],
    )


def _with_distances(inst: Instance, *rows: tuple[str, str, float, float | None]) -> Instance:
    given = [Distance(from_=a, to=b, km=km, minutes=mins) for a, b, km, mins in rows]
    return inst.model_copy(update={"distances": given})


def _with_limit(inst: Instance, **limits: float) -> Instance:
    """The instance with these staff's own limits (staff max_km)."""
    staff = [
        t.model_copy(update={"max_km": limits[t.id]}) if t.id in limits else t for t in inst.staff
    ]
    return inst.model_copy(update={"staff": staff})


# ---- rotation.max_minutes ----------------------------------------------------------------------


def test_rotation_max_minutes_feasible() -> None:
    # 60 minutes at itinerant.speed_kmh (30 km/h): village (10 km, 20 minutes) is near
    # enough, far_village (80 km, 160 minutes) is not, so both English teachers go to village.
    inst = _far_village(base(policy={"rotation": {"scope": "county", "max_minutes": 60}}))
    result = solved(inst)
    assert {"english_due", "english_bb"} <= set(moved(result))
    assert all(m.to_school == "village" for m in moved(result).values())
    # The county's speed counts: at 120 km/h far_village is 40 minutes away.
    fast = inst.policy.model_copy(
        update={"itinerant": inst.policy.itinerant.model_copy(update={"speed_kmh": 120.0})}
    )
    result = solved(inst.model_copy(update={"policy": fast}))
    assert moved(result)["english_due"].to_school == "far_village"
    # distances.csv's minutes win over the km: a road of 50 minutes to far_village (given
    # one way, serving both), and 90 to village, which is now too far.
    given = _with_distances(
        inst, ("far_village", "city", 80.0, 50.0), ("city", "village", 10.0, 90)
    )
    result = solved(given)
    assert {m.to_school for m in moved(result).values()} == {"far_village"}


def test_rotation_max_minutes_infeasible() -> None:
    inst = base(policy={"rotation": {"max_minutes": 15}})  # village: 10 km, 20 minutes
    result = solve(inst, "roster", time_limit=5)
    assert quota_named(result) == {"city"} and moved(result) == {}
    capped = base(policy={"rotation": {"max_minutes": 15, "cap_quota": True}})
    result = solve(capped, "roster", time_limit=5)
    assert result.status == "optimal" and moved(result) == {}
    (v,) = found(capped, with_moves(result, move("english_due")), "rotation.max_minutes")
    assert v.where == ["english_due", "village"] and v.code == "check.rotation.max_minutes"
    assert v.amount is not None and 4.9 < v.amount < 5.1
    assert v.message == "20 minutes one way, limit 15"
    assert v.text("zh") == "单程20分钟，上限15分钟"
    # Given minutes are what the checker reads too: 12 minutes by the road is allowed.
    near = _with_distances(capped, ("city", "village", 10.0, 12.0))
    assert not found(near, with_moves(result, move("english_due")), "rotation.max_minutes")
    # A change of headship is a move like any other.
    head = move("english_due", kind="headship", role="principal", subject=None)
    assert found(capped, with_moves(result, head), "rotation.max_minutes")


def test_max_minutes_none_is_no_limit_and_the_reasons_name_it() -> None:
    inst = base(policy={"rotation": {"max_minutes": None}})
    assert inst.policy.rotation.max_minutes is None
    assert {"english_due"} <= set(moved(solved(inst)))
    # Below quota because of the minutes: the reason says so (not max_km).
    capped = base(policy={"rotation": {"max_minutes": 15, "cap_quota": True}})
    result = solve(capped, "roster", time_limit=5)
    kpis = result.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis)
    why = kpis.quota_capped["city"].why
    assert why is not None
    assert "minutes away (rotation.max_minutes)" in why.text("en"), why.text("en")


# ---- staff.max_km (个人通勤上限) -------------------------------------------------------------


def test_staff_max_km_feasible() -> None:
    # A third English teacher at city keeps the subject covered while two are away.
    third = teacher("english_3", "city", "英语", years_at_school=1)
    inst = _far_village(base([third], policy={"rotation": {"scope": "county"}}))
    # Without a limit both English teachers go to the more urgent far_village.
    assert {m.to_school for m in moved(solved(inst)).values() if m.subject == "英语"} == {
        "far_village"
    }
    # english_due cannot go past 50 km (young children): village instead; english_bb, who
    # has no limit, still goes to far_village.
    result = solved(_with_limit(inst, english_due=50.0))
    got = moved(result)
    assert got["english_due"].to_school == "village"
    assert got["english_bb"].to_school == "far_village"
    # With a limit below every host, the person stays at home and the other goes.
    result = solved(_with_limit(inst, english_due=5.0))
    assert "english_due" not in moved(result) and "english_bb" in moved(result)


def test_staff_max_km_infeasible() -> None:
    inst = _with_limit(base(), english_due=5.0)  # village is 10 km away
    result = solved(inst)
    assert "english_due" not in moved(result)
    (v,) = found(inst, with_moves(result, move("english_due")), "staff.max_km")
    assert v.where == ["english_due", "village"] and v.code == "check.staff.max_km"
    assert v.amount is not None and 4.9 < v.amount < 5.1
    assert v.message == "10.0 km from city, english_due's own limit 5 km"
    assert "通勤上限5公里" in v.text("zh")
    # A pinned move is kept whatever the limit (rotation.fixed wins), and not flagged.
    pin = Fixed(kind="exchange", staff="english_due", from_school="city", to_school="village")
    pinned = inst.model_copy(update={"fixed": [*inst.fixed, pin]})
    result = solved(pinned)
    assert moved(result)["english_due"].to_school == "village"
    assert not found(pinned, result.plan, "staff.max_km")


SIDES = ["home", "far"] * 6


def test_staff_max_km_holds_for_principals() -> None:
    # Two due principals 40 km apart may swap schools (每校一名校长); with a 20 km limit of
    # one of them, neither moves.
    schools = [school("home", students=900), school("far", students=800, km=40)]
    staff = [
        teacher("head", "home", None, role="principal", years_at_school=12),
        teacher("head_far", "far", None, role="principal", years_at_school=12),
        *(
            teacher(f"t{i}", s, "语文", years_at_school=1)
            for i, s in enumerate(["home", "far"] * 6)
        ),
    ]
    inst = county(schools, staff=staff, policy={"rotation": {"scope": "county"}})
    free = solved(inst)
    heads = {m.staff: m for m in free.plan.roster if m.kind == "headship"}
    assert heads["head"].to_school == "far" and heads["head_far"].to_school == "home"
    limited = _with_limit(inst, head=20.0)
    result = solved(limited)
    assert not [m for m in result.plan.roster if m.kind == "headship"]
    caught = found(limited, free.plan, "staff.max_km")
    assert [v.where for v in caught] == [["head", "far"]]


def test_staff_max_km_holds_on_circuits(tmp_path: Any) -> None:
    # A music teacher at city may circuit to two schools short of music (6 and 12 km); with
    # an own limit of 8 km only to the first.
    schools = [
        school("city", students=1200),
        school("v6", tier="weak", area="rural", km=6, students=200),
        school("v12", tier="weak", area="rural", km=12, students=200),
    ]
    staff = [
        teacher("m1", "city", "音乐", weekly_load=6),
        *(teacher(f"c{i}", "city", "语文") for i in range(4)),
        *(teacher(f"a{i}", "v6", "语文") for i in range(3)),
        *(teacher(f"b{i}", "v12", "语文") for i in range(3)),
    ]
    needs = [
        need("v6", "音乐", shortage=1, weekly_lessons=8),
        need("v12", "音乐", shortage=1, weekly_lessons=4),
    ]
    policy = {"itinerant": {"scope": "county", "receivers": ["rural"]}}
    inst = county(schools, staff=staff, needs=needs, policy=policy)
    free = solve(inst, "itinerant", time_limit=5)
    assert {c.school for c in free.plan.circuits if c.km} == {"v6", "v12"}, free.plan.circuits
    limited = _with_limit(inst, m1=8.0)
    result = solve(limited, "itinerant", time_limit=5)
    assert validate(limited, result.plan).ok
    assert {c.school for c in result.plan.circuits if c.km} == {"v6"}, result.plan.circuits
    # The checker catches the free plan under the limit.
    caught = found(limited, free.plan, "staff.max_km")
    assert [v.where for v in caught] == [["m1", "v12"]] * len(caught) and caught
    assert caught[0].code == "check.staff.max_km.circuit"


def test_staff_max_km_is_read_in_both_languages_and_refused_when_bad(tmp_path: Any) -> None:
    folder = tmp_path / "county"
    folder.mkdir()
    (folder / "schools.csv").write_text(
        "id,name,stage,area,tier,lat,lon\nS1,一小,primary,urban,strong,40.0,120.0\n",
        encoding="utf-8",
    )
    (folder / "staff.csv").write_text(
        "工号,学校代码,岗位,学科,本校任职年限,通勤上限\nT1,S1,teacher,语文,3,25\nT2,S1,teacher,语文,3,\n",
        encoding="utf-8",
    )
    inst = load_instance(folder)
    assert [t.max_km for t in inst.staff] == [25.0, None]
    (folder / "staff.csv").write_text(
        "id,school,role,subject,years_at_school,max_km\nT1,S1,teacher,语文,3,far\n"
        "T2,S1,teacher,语文,3,-4\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        load_instance(folder)
    said = str(caught.value)
    assert "staff.csv, row 2, column 'max_km'" in said and "staff.csv, row 3" in said


# ---- nearest first (weights.roster_km) ---------------------------------------------------------


def test_nearest_teacher_goes_when_all_else_is_equal() -> None:
    # Two city schools, each with one due English teacher and an English surplus, both in
    # reach of the one village short of English, which takes one visitor: the nearer
    # school's teacher goes.
    schools = [
        school("near_city", students=1000, km=0),
        school("far_city", students=1000, km=-30),
        school("village", tier="weak", area="rural", km=10, students=200, host_capacity=1),
    ]
    staff: list[Staff] = [
        teacher("near_en", "near_city", "英语", years_at_school=8),
        teacher("far_en", "far_city", "英语", years_at_school=8),
        teacher("near_en2", "near_city", "英语", years_at_school=1),
        teacher("far_en2", "far_city", "英语", years_at_school=1),
        *(teacher(f"n{i}", "near_city", "语文", years_at_school=1) for i in range(12)),
        *(teacher(f"f{i}", "far_city", "语文", years_at_school=1) for i in range(12)),
        *(teacher(f"v{i}", "village", "语文", years_at_school=1) for i in range(6)),
    ]
    needs = [
        need("village", "英语", shortage=1),
        need("near_city", "英语", surplus=1),
        need("far_city", "英语", surplus=1),
    ]
    policy = {
        "horizon": {"periods": [P1]},
        "rotation": {
            "scope": "county",
            "two_way": False,
            "rate": 0.0,
            "backbone_share": 0.0,
            "min_periods_for_quota": 1,
            # one first semester: a stint in it hands the classes over twice a year
            "classes_change_once_a_year": False,
        },
    }
    inst = county(schools, staff=staff, needs=needs, policy=policy)
    result = solved(inst)
    assert {s for s, m in moved(result).items() if m.to_school == "village"} == {"near_en"}
    # Swapped distances, swapped choice: the km decides, not the ids.
    swapped = inst.model_copy(
        update={
            "schools": [
                school("near_city", students=1000, km=-30),
                school("far_city", students=1000, km=0),
                schools[2],
            ]
        }
    )
    result = solved(swapped)
    assert {s for s, m in moved(result).items() if m.to_school == "village"} == {"far_en"}
