"""Cadres at small schools and secondments for growth (issue 28's people rules).

Naming as in ``tests/test_roster_rules.py``: ``test_<K>_feasible`` (the solver keeps the
rule where it bites, the checker accepts its plan) and ``test_<K>_infeasible`` (a hand-made
plan that breaks the rule is caught under ``rule == K``, and a count the rule cannot give is
reported). The changes of head (stage family, weak to strong) are in
``tests/test_headship_rules.py``.

The county: ``city`` (urban, strong, 1,000 pupils) is paired with ``village`` (rural,
weak): secondments (挂职) go between the two, one semester each.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.conftest import county, need, school, teacher
from twinning import solve, validate
from twinning.check.report import Violation
from twinning.county.instance import Instance, Staff
from twinning.messages import render
from twinning.plan import Move, Plan
from twinning.rules.roster import grows, secondment_grows

P1, P2 = "2025-2026-1", "2025-2026-2"


def town(village_pupils: int, extra: list[Staff], **rotation: Any) -> Instance:
    """city and village (``village_pupils``), paired; 16 city and 8 village teachers, and
    ``extra`` staff. Room for every secondment the rules allow (host capacity 10, half the
    staff may be away, two seconded cadres a host)."""
    schools = [
        school("city", students=1000),
        school("village", tier="weak", area="rural", km=10, students=village_pupils),
    ]
    staff = [
        *(teacher(f"city_{i}", "city", "语文", years_at_school=2) for i in range(16)),
        *(teacher(f"village_{i}", "village", "语文", years_at_school=2) for i in range(8)),
        *extra,
    ]
    needs = [need("city", "语文", surplus=4), need("village", "语文", surplus=2)]
    policy = {
        "rotation": {
            "scope": "pair",
            "two_way": False,
            "host_capacity": 10,
            "max_outflow_share": 0.5,
            "secondment_per_host": 2,
            **rotation,
        }
    }
    return county(schools, staff=staff, needs=needs, policy=policy)


def cadre(tid: str, sid: str, role: str = "middle_manager", **extra: Any) -> Staff:
    return teacher(tid, sid, "语文", role=role, years_at_school=3, **extra)


def solved(inst: Instance):  # type: ignore[no-untyped-def]
    result = solve(inst, "roster", time_limit=5)
    assert result.status in ("optimal", "feasible"), result.parts["roster"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    return result


def seconded(result) -> dict[str, Move]:  # type: ignore[no-untyped-def]
    return {m.staff: m for m in result.plan.roster if m.kind == "secondment"}


def secondment(
    staff: str, frm: str, to: str, period: str = P1, role: str = "middle_manager"
) -> Move:
    return Move(
        staff=staff,
        role=role,
        subject="语文",
        from_school=frm,
        to_school=to,
        first_period=period,
        periods=1,
        direction="out" if frm == "city" else "in",
        kind="secondment",
    )


def plan_of(result, *moves: Move) -> Plan:  # type: ignore[no-untyped-def]
    """The solver's plan with these roster lines instead of its own (mentors kept)."""
    keep = [m for m in result.plan.roster if m.kind == "mentor"]
    return result.plan.model_copy(update={"roster": keep + list(moves)})


def found(inst: Instance, plan: Plan, rule: str) -> list[Violation]:
    return [v for v in validate(inst, plan).violations if v.rule == rule]


# ---- rotation.small_school_pupils --------------------------------------------------------------

#: Two city middle managers and the village's own, each a secondment candidate.
CADRES = [cadre("city_mm1", "city"), cadre("city_mm2", "city"), cadre("village_mm", "village")]


def visits(result) -> Counter[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(school, period) -> visiting cadres there."""
    return Counter((m.to_school, m.first_period) for m in seconded(result).values())


def test_rotation_small_school_pupils_feasible() -> None:
    # A village of 200 pupils hosts one visiting cadre a semester, and none while its own is
    # away: two of the three candidates go (room for all three otherwise).
    inst = town(200, CADRES)
    result = solved(inst)
    lines = seconded(result)
    assert len(lines) == 2
    for period in (P1, P2):
        hosted = visits(result)[("village", period)]
        own_away = any(
            m.from_school == "village" and m.first_period == period for m in lines.values()
        )
        assert hosted <= 1 and not (hosted and own_away)
    # A village of 300 pupils is not small: all three go.
    assert len(seconded(solved(town(300, CADRES)))) == 3
    # A vice principal's exchange makes a visiting cadre too: the city VP's stint at the
    # village and the village's secondment to the city fall in different semesters.
    vp = teacher("city_vp", "city", None, role="vice_principal", years_at_school=12)
    inst = town(200, [vp, cadre("village_mm", "village")], max_periods=1)
    result = solved(inst)
    lines = {m.staff: m for m in result.plan.roster if m.kind != "mentor"}
    assert lines["city_vp"].kind == "exchange" and lines["city_vp"].to_school == "village"
    assert lines["village_mm"].kind == "secondment"
    assert lines["city_vp"].first_period != lines["village_mm"].first_period


def test_rotation_small_school_pupils_infeasible() -> None:
    inst = town(200, CADRES)
    result = solved(inst)
    # Two city cadres at the village in one semester.
    both = plan_of(
        result, secondment("city_mm1", "city", "village"), secondment("city_mm2", "city", "village")
    )
    (v,) = found(inst, both, "rotation.small_school_pupils")
    assert v.where == ["village", P1] and v.amount == 1
    assert v.code == "check.rotation.small_school_pupils"
    # A city cadre at the village while the village's own is seconded to the city.
    away = plan_of(
        result,
        secondment("city_mm1", "city", "village"),
        secondment("village_mm", "village", "city"),
    )
    (v,) = found(inst, away, "rotation.small_school_pupils")
    assert v.where == ["village", P1] and v.params["away"] == ["village_mm"]
    assert "while its own cadre(s) village_mm are away" in render(v.msg, "en")
    assert "本校干部village_mm外出" in render(v.msg, "zh")
    # Three secondments asked, two possible: reported as infeasible, the plan that comes
    # closest written, and the checker agrees on the rule missed.
    three = town(200, CADRES, secondment_count=3)
    result = solve(three, "roster", time_limit=5)
    assert result.status == "infeasible"
    assert "rotation.secondment_count" in render(result.parts["roster"].message or "", "en")
    assert {v.rule for v in validate(three, result.plan).violations} == {
        "plan.status",
        "rotation.secondment_count",
    }


# ---- rotation.secondment_growth ----------------------------------------------------------------


def test_rotation_secondment_growth_feasible() -> None:
    # The village's reserve cadre learns at the city (larger and stronger); the city's
    # reserve cadre would go to a smaller, weaker school: not growth, so they stay (and the
    # checker does not count them as left out). A middle manager goes to either.
    staff = [
        cadre("city_rc", "city", role="reserve_cadre"),
        cadre("village_rc", "village", role="reserve_cadre"),
        cadre("city_mm", "city"),
    ]
    inst = town(400, staff)
    lines = seconded(solved(inst))
    assert set(lines) == {"village_rc", "city_mm"}
    assert lines["village_rc"].to_school == "city" and lines["city_mm"].to_school == "village"
    # With the rule off the city's reserve cadre goes too.
    off = town(400, staff, secondment_growth=False)
    assert set(seconded(solved(off))) == {"city_rc", "village_rc", "city_mm"}


def test_growth_is_larger_or_stronger() -> None:
    weak_small = school("a", tier="weak", students=100)
    weak_large = school("b", tier="weak", students=900)
    strong_small = school("c", tier="strong", students=50)
    unknown = school("d", tier="weak", students=None)
    assert grows(weak_small, weak_large) and not grows(weak_large, weak_small)
    # either is enough: stronger though smaller, larger though weaker
    assert grows(weak_large, strong_small) and grows(strong_small, weak_large)
    assert not grows(weak_small, school("e", tier="weak", students=100))  # neither
    assert not grows(weak_small, unknown) and not grows(unknown, weak_small)
    inst = town(400, [])
    rc, mm = cadre("rc", "a", role="reserve_cadre"), cadre("mm", "a")
    assert not secondment_grows(inst, rc, weak_large, weak_small)
    assert secondment_grows(inst, mm, weak_large, weak_small)


def test_rotation_secondment_growth_infeasible() -> None:
    staff = [cadre("city_rc", "city", role="reserve_cadre")]
    inst = town(400, staff)
    result = solved(inst)
    assert not seconded(result)
    # A hand-made secondment of the city's reserve cadre to the village is caught.
    plan = plan_of(result, secondment("city_rc", "city", "village", role="reserve_cadre"))
    (v,) = found(inst, plan, "rotation.secondment_growth")
    assert v.where == ["city_rc", "village"]
    assert "neither larger nor stronger than city (1000 pupils" in render(v.msg, "en")
    # One secondment asked of a county whose only candidate has no host for growth.
    one = town(400, staff, secondment_count=1)
    result = solve(one, "roster", time_limit=5)
    assert result.status == "infeasible"
    assert "rotation.secondment_count" in {v.rule for v in validate(one, result.plan).violations}


def test_secondments_completed_keep_the_small_school_rule() -> None:
    # The secondments added where they fit, cheapest first (a city's search may find none),
    # keep the rule as the search does: two of the three, never two at the village at once
    # nor one while the village's own cadre is away.
    from twinning.models.roster.options import build_roster_data
    from twinning.models.roster.secondments import complete_secondments

    inst = town(200, CADRES)
    pairs = solve(inst, "pairs", time_limit=5).plan.pairs
    data = build_roster_data(inst, pairs, [])
    options = [i for i, o in enumerate(data.options) if o.kind == "secondment"]
    added = [data.options[i] for i in complete_secondments(inst, data, [], options)]
    assert len(added) == 2
    at_village = Counter(o.first for o in added if o.host == "village")
    village_away = {o.first for o in added if data.staff[o.person].school == "village"}
    assert max(at_village.values(), default=0) <= 1 and not set(at_village) & village_away
