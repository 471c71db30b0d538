"""The 走教 rules a bureau would run (issue 26): home first, whole posts, who receives,
where, who goes. Each rule's key K has ``test_<K>_feasible`` (the solver keeps it where it
matters and the checker accepts the plan) and ``test_<K>_infeasible`` (a plan breaking it
is caught under that key). The county is test_itinerant_rules's: a town school H with
music teachers, villages V1 (5 km) and V2 (8 km) short of music lessons, V3 40 km off."""

from __future__ import annotations

from typing import Any

from tests.conftest import county, need, school, teacher
from tests.test_itinerant_rules import (
    found,
    km,
    lessons_at,
    plan_of,
    solved,
    village_county,
    visit,
)
from twinning.plan import Membership


def codes(inst: Any, plan: Any, rule: str) -> set[str]:
    return {v.code for v in found(inst, plan, rule)}


def home_lines(result: Any) -> list[Any]:
    return [c for c in result.plan.circuits if c.school == c.home_school]


# ---- itinerant.home_first ------------------------------------------------------------------


def test_itinerant_home_first_feasible() -> None:
    # V1's own music teacher has 2 spare lessons: 本校代课 covers 2 of V1's 4 first
    staff = [teacher("m1", "H", "音乐", weekly_load=8), teacher("v1", "V1", "音乐")]
    result = solved(village_county(staff=staff))
    (line,) = home_lines(result)
    assert (line.staff, line.school, line.lessons, line.km, line.minutes) == ("v1", "V1", 2, 0, 0)
    assert lessons_at(result) == {"V1": 4, "V2": 4}  # 2 at home, 2 + 4 by m1
    assert {c.staff for c in result.plan.circuits if c.school != c.home_school} == {"m1"}


def test_itinerant_home_first_infeasible() -> None:
    staff = [teacher("m1", "H", "音乐", weekly_load=8), teacher("v1", "V1", "音乐", weekly_load=8)]
    inst = village_county(staff=staff, lessons={"V1": 10, "V2": 4})
    # V1's teacher could give 8 of V1's 10 at home, but goes to V2 while V1 stays short,
    # and V1 receives m1 in the same subject
    bad = plan_of(
        inst,
        [
            visit(staff="v1", home_school="V1", school="V2", km=km(inst, "V1", "V2"), lessons=4),
            visit(lessons=4),
        ],
    )
    assert codes(inst, bad, "itinerant.home_first") == {
        "check.itinerant.home_first.home",
        "check.itinerant.home_first.short",
        "check.itinerant.home_first.both",
    }


def test_a_school_still_short_sends_no_circuit_teacher() -> None:
    # V1 lacks 10 and its teacher can give 8 at home: it stays short, so v1 never leaves
    staff = [teacher("v1", "V1", "音乐", weekly_load=8)]
    result = solved(village_county(staff=staff, lessons={"V1": 10, "V2": 4}))
    assert lessons_at(result) == {"V1": 8}
    assert all(c.school == "V1" for c in result.plan.circuits)


# ---- itinerant.min_weekly_lessons ----------------------------------------------------------


def test_itinerant_min_weekly_lessons_feasible() -> None:
    whole = {"itinerant": {"min_weekly_lessons": 6}}
    assert lessons_at(solved(village_county(lessons={"V1": 4}, policy=whole))) == {}
    both = solved(village_county(policy=whole))
    assert lessons_at(both) == {"V1": 4, "V2": 4}  # 8 lessons: a real part of a post


def test_itinerant_min_weekly_lessons_infeasible() -> None:
    inst = village_county(policy={"itinerant": {"min_weekly_lessons": 6}})
    (v,) = found(inst, plan_of(inst, [visit()]), "itinerant.min_weekly_lessons")
    assert v.amount == 4


# ---- itinerant.max_visitors_per_subject / max_visitors_per_school ---------------------------


def test_itinerant_max_visitors_per_subject_feasible() -> None:
    staff = [teacher(f"m{k}", "H", "音乐", weekly_load=14) for k in (1, 2, 3)]
    inst = village_county(
        staff=staff, lessons={"V1": 6}, policy={"itinerant": {"max_visitors_per_subject": 2}}
    )
    result = solved(inst)
    assert lessons_at(result) == {"V1": 4}  # 2 spare lessons each, 2 visitors at most
    assert len({c.staff for c in result.plan.circuits}) == 2


def test_itinerant_max_visitors_per_subject_infeasible() -> None:
    staff = [teacher(f"m{k}", "H", "音乐", weekly_load=14) for k in (1, 2, 3)]
    inst = village_county(
        staff=staff, lessons={"V1": 6}, policy={"itinerant": {"max_visitors_per_subject": 2}}
    )
    bad = plan_of(inst, [visit(staff=f"m{k}") for k in (1, 2, 3)])
    (v,) = found(inst, bad, "itinerant.max_visitors_per_subject")
    assert (v.where, v.amount) == (["V1", "音乐"], 1)


def two_subjects(cap: int) -> Any:
    staff = [teacher(f"m{k}", "H", "音乐", weekly_load=14) for k in (1, 2, 3)]
    staff += [teacher(f"a{k}", "H", "美术", weekly_load=14) for k in (1, 2, 3)]
    schools = [school("H", area="town", km=0), school("V1", tier="weak", area="rural", km=5)]
    needs = [need("V1", s, shortage=1, weekly_lessons=6) for s in ("音乐", "美术")]
    policy = {
        "itinerant": {
            "scope": "county",
            "min_weekly_lessons": 2,
            "max_visitors_per_subject": None,
            "max_visitors_per_school": cap,
        }
    }
    return county(schools, staff=staff, needs=needs, policy=policy)


def test_itinerant_max_visitors_per_school_feasible() -> None:
    result = solved(two_subjects(3))
    assert lessons_at(result) == {"V1": 6}  # three visitors of two lessons, both subjects
    assert len({c.staff for c in result.plan.circuits}) == 3


def test_itinerant_max_visitors_per_school_infeasible() -> None:
    inst = two_subjects(3)
    bad = plan_of(
        inst,
        [visit(staff=s) for s in ("m1", "m2")]
        + [visit(staff=s, subject="美术") for s in ("a1", "a2")],
    )
    (v,) = found(inst, bad, "itinerant.max_visitors_per_school")
    assert (v.where, v.amount) == (["V1"], 1)


# ---- itinerant.receivers -------------------------------------------------------------------


def town_short(policy: dict[str, Any] | None = None) -> Any:
    extra = [school("T", tier="ordinary", area="town", km=3)]
    return village_county(lessons={"T": 4, "V2": 4}, extra=extra, policy=policy)


def test_itinerant_receivers_feasible() -> None:
    assert lessons_at(solved(town_short())) == {"V2": 4}  # the town school is not a receiver
    named = town_short({"itinerant": {"receivers": ["rural", "weak", "town"]}})
    assert lessons_at(solved(named)) == {"T": 4, "V2": 4}
    by_id = town_short({"itinerant": {"receivers": ["T"]}})
    assert lessons_at(solved(by_id)) == {"T": 4}


def test_itinerant_receivers_infeasible() -> None:
    inst = town_short()
    (v,) = found(inst, plan_of(inst, [visit(school="T", km=3.0)]), "itinerant.receivers")
    assert v.where == ["T"]


def test_small_schools_weigh_more() -> None:
    # one teacher, 4 spare lessons, two villages short of 4: the smaller one is served
    small = [
        school("H", area="town", km=0),
        school("V1", tier="weak", area="rural", km=5, students=400),
        school("V2", tier="weak", area="rural", km=8, students=60),
    ]
    needs = [need(s, "音乐", shortage=1, weekly_lessons=4) for s in ("V1", "V2")]
    policy = {"itinerant": {"scope": "county", "min_weekly_lessons": 2}}
    inst = county(
        small, staff=[teacher("m1", "H", "音乐", weekly_load=12)], needs=needs, policy=policy
    )
    assert lessons_at(solved(inst)) == {"V2": 4}


# ---- itinerant.scope -----------------------------------------------------------------------


def regions(scope: str) -> Any:
    extra_v = [
        school("H", area="town", km=0, region="东"),
        school("V1", tier="weak", area="rural", km=5, region="东"),
        school("V2", tier="weak", area="rural", km=8, region="西"),
    ]
    needs = [need(s, "音乐", shortage=1, weekly_lessons=4) for s in ("V1", "V2")]
    policy = {"itinerant": {"scope": scope, "min_weekly_lessons": 2}}
    return county(
        extra_v, staff=[teacher("m1", "H", "音乐", weekly_load=8)], needs=needs, policy=policy
    )


def test_itinerant_scope_feasible() -> None:
    assert lessons_at(solved(regions("region"))) == {"V1": 4}
    assert lessons_at(solved(regions("county"))) == {"V1": 4, "V2": 4}


def test_itinerant_scope_infeasible() -> None:
    inst = regions("region")
    bad = plan_of(inst, [visit(school="V2", km=km(inst, "H", "V2"))])
    (v,) = found(inst, bad, "itinerant.scope")
    assert v.where == ["m1", "V2"]
    # alliance scope: the plan's alliances say where the 学区 ends
    inst = regions("alliance")
    rows = [Membership(alliance="A01", lead="H", member=m, distance_km=0) for m in ("H", "V1")] + [
        Membership(alliance="A02", lead="V2", member="V2", distance_km=0)
    ]
    plan = plan_of(inst, [visit(school="V2", km=km(inst, "H", "V2"))])
    plan = plan.model_copy(update={"alliances": rows, "parts": ["alliances", "itinerant"]})
    (v,) = found(inst, plan, "itinerant.scope")
    assert v.where == ["m1", "V2"]


# ---- itinerant.max_age / who goes ------------------------------------------------------------


def old(policy: dict[str, Any] | None = None) -> Any:
    staff = [teacher("m1", "H", "音乐", weekly_load=8, age=58, gender="M")]
    return village_county(staff=staff, policy=policy)


def test_itinerant_max_age_feasible() -> None:
    assert lessons_at(solved(old())) == {}  # past the rotation's exemption age (57)
    assert lessons_at(solved(old({"itinerant": {"max_age": 60}}))) == {"V1": 4, "V2": 4}


def test_itinerant_max_age_infeasible() -> None:
    inst = old()
    (v,) = found(inst, plan_of(inst, [visit()]), "itinerant.max_age")
    assert v.where == ["m1"]


def test_a_teacher_naming_schools_goes_only_there() -> None:
    staff = [teacher("m1", "H", "音乐", weekly_load=8, willing=("V2",))]
    inst = village_county(staff=staff)
    assert lessons_at(solved(inst)) == {"V2": 4}
    bad = plan_of(inst, [visit()])
    assert codes(inst, bad, "itinerant.eligible") == {"check.itinerant.eligible.willing"}


def test_deferred_teachers_do_not_circuit() -> None:
    staff = [teacher("m1", "H", "音乐", weekly_load=8, status="deferred")]
    assert lessons_at(solved(village_county(staff=staff))) == {}


def test_a_receiver_that_is_no_word_and_no_school_is_refused() -> None:
    import pytest

    with pytest.raises(ValueError) as refused:  # an instance with it is not made
        town_short({"itinerant": {"receivers": ["rural", "rurral"]}})
    assert "itinerant.receivers" in str(refused.value) and "rurral" in str(refused.value)
