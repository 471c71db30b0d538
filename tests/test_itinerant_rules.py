"""Each itinerant (走教) rule: a tiny feasible case and a tiny infeasible case.

Named after the rule's policy key K: ``test_<K>_feasible`` (the solver keeps the rule
where it matters and the checker accepts the plan) and ``test_<K>_infeasible`` (a plan
that breaks it is caught by the checker under that key, and/or the solver works around
it). The county: a town school H with music teachers, villages V1 (5 km) and V2 (8 km)
that lack music lessons, and V3 40 km off.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from tests.conftest import county, need, school, teacher
from twinning import solve, validate, with_policy
from twinning.check.report import Violation
from twinning.county.instance import Instance
from twinning.plan import CircuitVisit, Move, Plan
from twinning.synthetic.county import generate_county


def village_county(
    *,
    staff: list[Any] | None = None,
    lessons: dict[str, int] | None = None,
    policy: dict[str, Any] | None = None,
    extra: list[Any] | None = None,
) -> Instance:
    schools = [
        school("H", area="town", km=0),
        school("V1", tier="weak", area="rural", km=5),
        school("V2", tier="weak", area="rural", km=8),
        school("V3", tier="weak", area="rural", km=40),
        *(extra or []),
    ]
    lessons = lessons if lessons is not None else {"V1": 4, "V2": 4}
    needs = [need(s, "音乐", shortage=1, weekly_lessons=n) for s, n in lessons.items()]
    staff = staff if staff is not None else [teacher("m1", "H", "音乐", weekly_load=8)]
    # no alliances here: circuits may go anywhere in the county unless a test says
    policy = dict(policy or {})
    # and a visit of 2 lessons may be a teacher's whole week unless a test says (the
    # whole-post rule, itinerant.min_weekly_lessons, has its own tests)
    policy["itinerant"] = {
        "scope": "county",
        "min_weekly_lessons": 2,
        **policy.get("itinerant", {}),
    }
    return county(schools, staff=staff, needs=needs, policy=policy)


def solved(inst: Instance):  # type: ignore[no-untyped-def]
    result = solve(inst, "itinerant", time_limit=10)
    assert result.status in ("optimal", "feasible"), result.parts["itinerant"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    return result


def lessons_at(result) -> dict[str, int]:  # type: ignore[no-untyped-def]
    out: dict[str, int] = {}
    for c in result.plan.circuits:
        out[c.school] = out.get(c.school, 0) + c.lessons
    return out


def visit(**kw: Any) -> CircuitVisit:
    base: dict[str, Any] = {
        "staff": "m1",
        "subject": "音乐",
        "home_school": "H",
        "weekday": "Mon",
        "order": 1,
        "school": "V1",
        "lessons": 2,
        "km": 5.0,
    }
    base.update(kw)
    return CircuitVisit(**base)


def plan_of(inst: Instance, visits: list[CircuitVisit], roster: list[Move] | None = None) -> Plan:
    parts = ["roster", "itinerant"] if roster is not None else ["itinerant"]
    return Plan(
        instance=inst.name,
        parts=parts,
        status="feasible",
        objective=0,
        circuits=visits,
        roster=roster or [],
    )


def found(inst: Instance, plan: Plan, rule: str) -> list[Violation]:
    return [v for v in validate(inst, plan).violations if v.rule == rule]


def km(inst: Instance, a: str, b: str) -> float:
    from twinning.county.distances import Distances

    return round(Distances(inst).km(a, b), 3)


# ---- the part at work ---------------------------------------------------------------------


def test_a_circuit_fills_the_villages_music_lessons() -> None:
    inst = village_county()
    result = solved(inst)
    assert lessons_at(result) == {"V1": 4, "V2": 4}  # 8 spare lessons, 8 needed
    kpis = result.parts["itinerant"].kpis
    assert kpis.weekly_lessons_needed == 8 and kpis.weekly_lessons_covered == 8
    assert kpis.teachers_used == 1
    rows = result.plan.tables(inst)["roster"].rows
    assert {(r["to_school"], r["kind"]) for r in rows} == {("V1", "itinerant"), ("V2", "itinerant")}


# ---- itinerant.eligible -------------------------------------------------------------------


def test_itinerant_eligible_feasible() -> None:
    # A Chinese teacher may not circuit by default; the music teacher does the lessons.
    staff = [teacher("c1", "H", "语文", weekly_load=0), teacher("m1", "H", "音乐", weekly_load=8)]
    result = solved(village_county(staff=staff))
    assert {c.staff for c in result.plan.circuits} == {"m1"}


def test_itinerant_eligible_infeasible() -> None:
    inst = village_county(staff=[teacher("m1", "H", "音乐", weekly_load=8, itinerant=False)])
    assert solved(inst).plan.circuits == []
    (v,) = found(inst, plan_of(inst, [visit()]), "itinerant.eligible")
    assert v.where == ["m1"]
    moved = village_county()
    away = Move(
        staff="m1",
        role="teacher",
        subject="音乐",
        from_school="H",
        to_school="V3",
        first_period="2025-2026-1",
        periods=1,
        direction="out",
        kind="exchange",
    )
    (v,) = found(moved, plan_of(moved, [visit()], roster=[away]), "itinerant.eligible")
    assert "moved by the roster" in v.message


# ---- itinerant.subject_stage --------------------------------------------------------------


def test_itinerant_subject_stage_feasible() -> None:
    junior = school("J", stage="junior", tier="weak", area="rural", km=3)
    inst = village_county(lessons={"V1": 4, "J": 4}, extra=[junior])
    result = solved(inst)
    assert lessons_at(result) == {"V1": 4}  # a primary teacher does not teach junior classes


def test_itinerant_subject_stage_infeasible() -> None:
    junior = school("J", stage="junior", tier="weak", area="rural", km=3)
    inst = village_county(lessons={"V1": 4, "J": 4}, extra=[junior])
    (v,) = found(
        inst, plan_of(inst, [visit(school="J", km=km(inst, "H", "J"))]), "itinerant.subject_stage"
    )
    assert v.where == ["m1", "J"]
    (v,) = found(inst, plan_of(inst, [visit(school="V2", km=8.0)]), "itinerant.subject_stage")
    assert "does not lack" in v.message


# ---- itinerant.max_weekly_lessons ---------------------------------------------------------


def test_itinerant_max_weekly_lessons_feasible() -> None:
    inst = village_county(staff=[teacher("m1", "H", "音乐", weekly_load=12)])  # spare 4
    result = solved(inst)
    assert sum(lessons_at(result).values()) == 4


def test_itinerant_max_weekly_lessons_infeasible() -> None:
    inst = village_county(staff=[teacher("m1", "H", "音乐", weekly_load=12)])
    bad = plan_of(
        inst,
        [visit(lessons=4), visit(weekday="Tue", school="V2", lessons=2, km=km(inst, "H", "V2"))],
    )
    (v,) = found(inst, bad, "itinerant.max_weekly_lessons")
    assert v.amount == 2


# ---- itinerant.days ---------------------------------------------------------------------


def test_itinerant_days_feasible() -> None:
    inst = village_county(policy={"itinerant": {"days": ["Tue", "Thu"]}})
    result = solved(inst)
    assert {c.weekday for c in result.plan.circuits} <= {"Tue", "Thu"}


def test_itinerant_days_infeasible() -> None:
    inst = village_county(policy={"itinerant": {"days": ["Tue", "Thu"]}})
    (v,) = found(inst, plan_of(inst, [visit(weekday="Mon")]), "itinerant.days")
    assert v.where == ["m1", "Mon"]
    two = plan_of(inst, [visit(weekday="Tue", order=2)])
    assert found(inst, two, "itinerant.days")


# ---- itinerant.max_schools_per_day --------------------------------------------------------


def test_itinerant_max_schools_per_day_feasible() -> None:
    inst = village_county(policy={"itinerant": {"days": ["Mon"], "max_schools_per_day": 2}})
    result = solved(inst)
    got = lessons_at(result)  # one day, two schools, at most 6 lessons
    assert set(got) == {"V1", "V2"} and sum(got.values()) == 6
    one = village_county(policy={"itinerant": {"days": ["Mon"], "max_schools_per_day": 1}})
    assert len({c.school for c in solved(one).plan.circuits}) == 1


def test_itinerant_max_schools_per_day_infeasible() -> None:
    inst = village_county(policy={"itinerant": {"max_schools_per_day": 1}})
    bad = plan_of(inst, [visit(), visit(order=2, school="V2", km=km(inst, "V1", "V2"))])
    (v,) = found(inst, bad, "itinerant.max_schools_per_day")
    assert v.amount == 1


# ---- itinerant.max_km_per_day / max_minutes_per_day ----------------------------------------


def test_itinerant_max_km_per_day_feasible() -> None:
    inst = village_county(lessons={"V1": 4, "V3": 4})
    assert lessons_at(solved(inst)) == {"V1": 4}  # V3 is 80 km there and back


def test_itinerant_max_km_per_day_infeasible() -> None:
    inst = village_county(lessons={"V1": 4, "V3": 4})
    (v,) = found(inst, plan_of(inst, [visit(school="V3", km=40.0)]), "itinerant.max_km_per_day")
    assert v.amount == 50.0


def test_itinerant_max_minutes_per_day_feasible() -> None:
    from twinning.county.instance import Distance

    inst = village_county(policy={"itinerant": {"max_minutes_per_day": 40}})
    inst = inst.model_copy(
        update={"distances": [Distance(**{"from": "H", "to": "V1", "km": 5, "minutes": 25})]}
    )
    # 50 minutes to V1 and back (given); V2's 16 km at 30 km/h are 32 minutes
    assert lessons_at(solved(inst)) == {"V2": 4}
    assert {c.minutes for c in solved(inst).plan.circuits} == {16.0}


def test_itinerant_max_minutes_per_day_infeasible() -> None:
    from twinning.county.instance import Distance

    inst = village_county(policy={"itinerant": {"max_minutes_per_day": 30}})
    inst = inst.model_copy(
        update={"distances": [Distance(**{"from": "H", "to": "V1", "km": 5, "minutes": 20})]}
    )
    (v,) = found(inst, plan_of(inst, [visit()]), "itinerant.max_minutes_per_day")
    assert v.amount == 10.0


# ---- itinerant.min_lessons_per_visit / max_lessons_per_day ---------------------------------


def test_itinerant_min_lessons_per_visit_feasible() -> None:
    inst = village_county(
        lessons={"V1": 3, "V2": 1}, policy={"itinerant": {"min_lessons_per_visit": 2}}
    )
    result = solved(inst)
    assert lessons_at(result) == {"V1": 3}  # one lesson at V2 is no visit
    assert all(c.lessons >= 2 for c in result.plan.circuits)


def test_itinerant_min_lessons_per_visit_infeasible() -> None:
    inst = village_county()
    (v,) = found(inst, plan_of(inst, [visit(lessons=1)]), "itinerant.min_lessons_per_visit")
    assert v.amount == 1


def test_itinerant_max_lessons_per_day_feasible() -> None:
    inst = village_county(
        lessons={"V1": 8}, policy={"itinerant": {"days": ["Mon", "Tue"], "max_lessons_per_day": 3}}
    )
    result = solved(inst)
    assert lessons_at(result) == {"V1": 6}  # two days of 3


def test_itinerant_max_lessons_per_day_infeasible() -> None:
    inst = village_county(lessons={"V1": 8}, policy={"itinerant": {"max_lessons_per_day": 3}})
    (v,) = found(inst, plan_of(inst, [visit(lessons=4)]), "itinerant.max_lessons_per_day")
    assert v.amount == 1


# ---- itinerant.need -------------------------------------------------------------------------


def test_itinerant_need_feasible() -> None:
    inst = village_county(lessons={"V1": 2})
    assert lessons_at(solved(inst)) == {"V1": 2}  # spare 8, but V1 lacks only 2


def test_itinerant_need_infeasible() -> None:
    inst = village_county(lessons={"V1": 2})
    (v,) = found(inst, plan_of(inst, [visit(lessons=4)]), "itinerant.need")
    assert v.where == ["V1", "音乐"] and v.amount == 2


# ---- itinerant.max_teachers -----------------------------------------------------------------


def test_itinerant_max_teachers_feasible() -> None:
    staff = [teacher("m1", "H", "音乐", weekly_load=14), teacher("m2", "H", "音乐", weekly_load=14)]
    free = solved(village_county(staff=staff))
    assert len({c.staff for c in free.plan.circuits}) == 2  # 2 spare lessons each
    capped = solved(village_county(staff=staff, policy={"itinerant": {"max_teachers": 1}}))
    assert len({c.staff for c in capped.plan.circuits}) == 1


def test_itinerant_max_teachers_infeasible() -> None:
    staff = [teacher("m1", "H", "音乐", weekly_load=14), teacher("m2", "H", "音乐", weekly_load=14)]
    inst = village_county(staff=staff, policy={"itinerant": {"max_teachers": 1}})
    bad = plan_of(inst, [visit(), visit(staff="m2", school="V2", km=km(inst, "H", "V2"))])
    (v,) = found(inst, bad, "itinerant.max_teachers")
    assert v.amount == 1


def test_stated_leg_km_must_match() -> None:
    inst = village_county()
    (v,) = found(inst, plan_of(inst, [visit(km=1.0, minutes=10.0)]), "plan.circuit_figures")
    assert v.where == ["m1", "V1"]


def test_each_component_plan_keeps_every_row_above_the_flow_bound() -> None:
    """Each component's program: the plan found keeps every row, and the flow bound of the
    component is no more than the plan's cost (it bounds every plan)."""
    from twinning.county.distances import Distances
    from twinning.io.readers import instance_from_frames
    from twinning.models.itinerant import _build, _prepare, _search
    from twinning.models.search import SearchSettings
    from twinning.rules.itinerant import Minutes

    inst = instance_from_frames("gen5", generate_county(80, 3200, seed=5), None)
    inst = with_policy(
        inst, {"itinerant.scope": "county", "itinerant.receivers": ["rural", "weak", "town"]}
    )
    plan = Plan(instance=inst.name, parts=[], status="optimal", objective=0)
    dist = Distances(inst)
    prep = _prepare(inst, plan, dist, Minutes(inst, dist))
    assert prep.components
    for comp in prep.components:
        ip, _ = _build(inst, comp, prep.needs, prep.spare)
        x, bound = _search(ip, 10.0, SearchSettings())
        assert x is not None and ip.feasible(x)
        assert np.allclose(x, np.rint(x))
        assert comp.bound <= ip.objective_of(x) + 1e-6
        assert bound <= ip.objective_of(x) + 1e-6
