"""Each roster rule: a tiny feasible case and a tiny infeasible case.

Naming convention: the two tests of a rule are named after its policy key K (the key in
brackets that starts its checker's docstring, e.g. ``[rotation.rate]``) with dots as
underscores: ``test_<K>_feasible`` (the solver keeps the rule where it matters, the plan
shows it at work, the checker accepts the plan) and ``test_<K>_infeasible`` (the solver
reports that the rule cannot be kept, and/or a hand-made plan that breaks it is caught
by the checker under ``rule == K``). ``tests/test_rule_catalog.py`` checks that every
rule has both; other tests keep their own names.

The county: ``city`` (urban, strong) helps ``village`` (rural, weak), which lacks English
and music teachers. Scope ``pair``, so teachers move between the two.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.conftest import county, need, pinned_pair, school, teacher
from twinning import solve, validate
from twinning.check.report import Violation
from twinning.county.instance import Fixed, HistoryEntry, School
from twinning.messages import render
from twinning.plan import Move
from twinning.result import QuotaCap, RosterKpis

P1, P2 = "2025-2026-1", "2025-2026-2"


#: City can spare English and music teachers (超编), so it may send them [rotation.protect_sender].
CITY_SPARE = [need("city", "英语", surplus=2), need("city", "音乐", surplus=1)]
#: Village can spare Chinese teachers, so they may go to learn (进城学艺) when two_way is on.
VILLAGE_SPARE = [need("village", "语文", surplus=2)]


def base(staff_extra: list[Any] | None = None, policy: dict[str, Any] | None = None, **kw: Any):  # type: ignore[no-untyped-def]
    # Each rule's tests use moves of one semester where that is the point: a one-semester
    # exchange counts toward the quota here (rotation.min_periods_for_quota has its own),
    # may lie in either semester and may take a two-teacher department's both teachers
    # (rotation.classes_change_once_a_year and rotation.max_department_share have theirs,
    # tests/test_department_rules.py).
    rotation = {
        "scope": "pair",
        "two_way": False,
        "min_periods_for_quota": 1,
        "max_department_share": 1.0,
        "classes_change_once_a_year": False,
        **(policy or {}).pop("rotation", {}),
    }
    schools = [
        school("city", students=1000),
        school("village", tier="weak", area="rural", km=10, students=200),
    ]
    staff = [
        teacher("english_due", "city", "英语", years_at_school=8),
        teacher("english_bb", "city", "英语", years_at_school=7, backbone="county"),
        teacher("music_due", "city", "音乐", years_at_school=9),
        teacher("music_2", "city", "音乐", years_at_school=1),
        *(teacher(f"city_{i}", "city", "语文", years_at_school=2) for i in range(16)),
        *(teacher(f"village_{i}", "village", "语文", years_at_school=2, age=40) for i in range(8)),
        *(staff_extra or []),
    ]
    needs = [
        need("village", "英语", shortage=2),
        need("village", "音乐", shortage=1),
        *CITY_SPARE,
        *VILLAGE_SPARE,
    ]
    return county(
        schools, staff=staff, needs=needs, policy={"rotation": rotation, **(policy or {})}, **kw
    )


def solved(inst):  # type: ignore[no-untyped-def]
    result = solve(inst, "roster", time_limit=5)
    assert result.status in ("optimal", "feasible"), result.parts["roster"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    return result


def moved(result) -> dict[str, Move]:  # type: ignore[no-untyped-def]
    return {m.staff: m for m in result.plan.roster if m.kind != "mentor"}


def rules(inst, plan) -> set[str]:  # type: ignore[no-untyped-def]
    return {v.rule for v in validate(inst, plan).violations}


def with_moves(result, *moves: Move):  # type: ignore[no-untyped-def]
    keep = [m for m in result.plan.roster if m.kind == "mentor"]
    return result.plan.model_copy(update={"roster": keep + list(moves)})


def move(staff: str, to: str = "village", frm: str = "city", **kw: Any) -> Move:
    values: dict[str, Any] = {
        "role": "teacher",
        "subject": "英语",
        "first_period": P1,
        "periods": 1,
        "direction": "out",
        "kind": "exchange",
        **kw,
    }
    return Move(staff=staff, from_school=frm, to_school=to, **values)


def found(inst, plan, rule: str) -> list[Violation]:  # type: ignore[no-untyped-def]
    """The checker's violations of one rule."""
    return [v for v in validate(inst, plan).violations if v.rule == rule]


def without(inst, *ids: str):  # type: ignore[no-untyped-def]
    """The instance without these staff."""
    return inst.model_copy(update={"staff": [t for t in inst.staff if t.id not in ids]})


def with_schools(inst, *extra: School, needs: list[Any] | None = None):  # type: ignore[no-untyped-def]
    """The instance with more schools (and, if given, these needs instead of its own)."""
    update: dict[str, Any] = {"schools": [*inst.schools, *extra]}
    if needs is not None:
        update["needs"] = needs
    return inst.model_copy(update=update)


def unmet(result) -> dict[tuple[str, str, str], int]:  # type: ignore[no-untyped-def]
    """(school, subject, period) -> teachers covered, for every shortage left open."""
    return {(u.school, u.subject, u.period): u.covered for u in result.plan.unmet_needs}


def with_rotation(inst, **rotation: Any):  # type: ignore[no-untyped-def]
    """The instance with these rotation keys changed."""
    rot = inst.policy.rotation.model_copy(update=rotation)
    return inst.model_copy(update={"policy": inst.policy.model_copy(update={"rotation": rot})})


def quota_named(result) -> set[str]:  # type: ignore[no-untyped-def]
    """Schools the solver's message names as missing their rotation.rate quota (status
    infeasible)."""
    assert result.status == "infeasible", result.status
    message = render(result.parts["roster"].message or "", "en")
    assert "rotation.rate is missed" in message, message
    return set(re.findall(r"(\S+) moves \d+ of \d+", message))


def quota_missed(inst, result) -> set[str]:  # type: ignore[no-untyped-def]
    """Schools the solver names as missing their rotation.rate quota; the closest plan is
    written in full and the checker's rotation.rate violations name the same schools."""
    named = quota_named(result)
    assert "roster" in result.plan.parts and result.plan.roster
    checked = {v.where[0] for v in found(inst, result.plan, "rotation.rate")}
    assert named == checked, result.parts["roster"].message
    return named


def quota_capped(result) -> dict[str, QuotaCap]:  # type: ignore[no-untyped-def]
    """Schools the roster reports as held below their quota."""
    kpis = result.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis)
    return kpis.quota_capped


# ---- rotation.one_move ------------------------------------------------------------------------


def test_rotation_one_move_feasible() -> None:
    # One due English teacher, English short in both semesters, moves of one semester: two
    # moves would cover both semesters, but he makes one and the other semester stays open.
    stays = [teacher("english_new", "city", "英语", years_at_school=1)]
    inst = without(
        base(stays, policy={"rotation": {"max_periods": 1, "backbone_share": 0.0}}), "english_bb"
    )
    result = solved(inst)
    lines = [m for m in result.plan.roster if m.staff == "english_due"]
    assert len(lines) == 1 and lines[0].periods == 1
    other = P2 if lines[0].first_period == P1 else P1
    assert unmet(result)[("village", "英语", other)] == 0
    assert unmet(result)[("village", "英语", lines[0].first_period)] == 1


def test_rotation_one_move_infeasible() -> None:
    inst = base(policy={"rotation": {"max_periods": 1}})
    result = solved(inst)
    twice = with_moves(result, move("english_due"), move("english_due", first_period=P2))
    (v,) = found(inst, twice, "rotation.one_move")
    assert v.where == ["english_due"] and v.amount == 1


# ---- horizon.periods --------------------------------------------------------------------------


def test_horizon_periods_feasible() -> None:
    # Three semesters, moves of exactly two: a move may only start in the first two.
    periods = [P1, P2, "2026-2027-1"]
    inst = base(
        policy={"horizon": {"periods": periods}, "rotation": {"min_periods": 2, "max_periods": 2}}
    )
    result = solved(inst)
    assert moved(result)
    assert all(m.first_period in periods[:2] and m.periods == 2 for m in moved(result).values())


def test_horizon_periods_infeasible() -> None:
    inst = base(policy={"rotation": {"min_periods": 2, "max_periods": 2}})
    result = solved(inst)
    late = with_moves(result, move("english_due", first_period=P2, periods=2))
    (v,) = found(inst, late, "horizon.periods")
    assert v.where == ["english_due", "village"] and v.amount == 1
    elsewhere = with_moves(result, move("english_due", first_period="2030-2031-1", periods=2))
    assert "horizon.periods" in rules(inst, elsewhere)


# ---- rotation.min_periods / max_periods -------------------------------------------------------


def _one_away_needs_by_semester(min_periods: int):  # type: ignore[no-untyped-def]
    """One teacher may be away from city at a time; village lacks music in the first
    semester and English in the second."""
    inst = base(
        policy={
            "rotation": {"min_periods": min_periods, "max_periods": 2, "max_outflow_share": 0.05}
        }
    )
    needs = [
        need("village", "音乐", shortage=1, period=P1),
        need("village", "英语", shortage=1, period=P2),
        *CITY_SPARE,
    ]
    return inst.model_copy(update={"needs": needs})


def test_rotation_min_periods_feasible() -> None:
    # Moves of a year: one teacher covers one semester's need; with one-semester moves two
    # teachers take turns and cover both.
    result = solved(_one_away_needs_by_semester(2))
    assert len(moved(result)) == 1
    assert all(m.periods == 2 and m.first_period == P1 for m in moved(result).values())
    assert len(result.plan.unmet_needs) == 1
    short = solved(_one_away_needs_by_semester(1))
    assert len(moved(short)) == 2 and not short.plan.unmet_needs


def test_rotation_min_periods_infeasible() -> None:
    inst = base(policy={"rotation": {"min_periods": 2, "max_periods": 2}})
    result = solved(inst)
    bad = with_moves(result, move("english_due", periods=1))
    (v,) = found(inst, bad, "rotation.min_periods")
    assert v.where == ["english_due", "village"]
    # Moves of at least three semesters do not fit a two-semester horizon: nobody moves,
    # and city's quota is reported as missed (or, with cap_quota, held at what it can do).
    long = base(policy={"rotation": {"min_periods": 3, "max_periods": 3}})
    result = solve(long, "roster", time_limit=5)
    assert quota_named(result) == {"city"}  # the checker's side: test_closest_plan_...
    assert moved(result) == {}
    capped = base(policy={"rotation": {"min_periods": 3, "max_periods": 3, "cap_quota": True}})
    result = solve(capped, "roster", time_limit=5)
    assert result.status == "optimal"
    assert moved(result) == {}
    assert quota_capped(result)["city"].can_move == 0


def test_no_move_fits_the_horizon_plan_is_valid() -> None:
    # Was a checker bug (check_rate ignored move lengths): with the quota held at what city
    # can do (nothing, no length fits the horizon) the empty plan is valid.
    inst = base(policy={"rotation": {"min_periods": 3, "max_periods": 3, "cap_quota": True}})
    result = solve(inst, "roster", time_limit=5)
    assert result.status == "optimal" and moved(result) == {}
    report = validate(inst, result.plan)
    assert report.ok, report.violations


def test_closest_plan_that_moves_nobody_is_written() -> None:
    inst = base(policy={"rotation": {"max_km": 5}})  # village is 10 km away: nobody can go
    result = solve(inst, "roster", time_limit=5)
    assert quota_named(result) == {"city"} and moved(result) == {}
    assert "roster" in result.plan.parts
    assert unmet(result)[("village", "英语", P1)] == 0
    assert {v.where[0] for v in found(inst, result.plan, "rotation.rate")} == {"city"}


def test_rotation_max_periods_feasible() -> None:
    result = solved(base(policy={"rotation": {"max_periods": 1}}))
    assert len(moved(result)) >= 2
    assert all(m.periods == 1 for m in moved(result).values())
    assert any(m.periods == 2 for m in moved(solved(base())).values())  # default: up to 2


def test_rotation_max_periods_infeasible() -> None:
    inst = base(policy={"rotation": {"max_periods": 1}})
    result = solved(inst)
    bad = with_moves(result, move("english_due", periods=2))
    (v,) = found(inst, bad, "rotation.max_periods")
    assert v.where == ["english_due", "village"]
    # A secondment lasts one semester whatever max_periods says.
    cadres = base(CADRES, policy={"rotation": {"secondment_count": 1}})
    result = solved(cadres)
    (line,) = [m for m in result.plan.roster if m.kind == "secondment"]
    longer = result.plan.model_copy(
        update={
            "roster": [m for m in result.plan.roster if m != line]
            + [line.model_copy(update={"periods": 2, "first_period": P1})]
        }
    )
    (v,) = found(cadres, longer, "rotation.max_periods")
    assert v.where == [line.staff, line.to_school]


# ---- eligibility: staff.status, exempt_age, last_cycle, due_years ---------------------------


def test_staff_status_feasible() -> None:
    # English is short by two; of the three due English teachers only one is active.
    extra = [
        teacher("english_deferred", "city", "英语", years_at_school=10, status="deferred"),
        teacher("english_exempt", "city", "英语", years_at_school=10, status="exempt"),
    ]
    inst = without(base(extra, policy={"rotation": {"backbone_share": 0.0}}), "english_bb")
    result = solved(inst)
    assert "english_due" in moved(result)
    assert not {"english_deferred", "english_exempt"} & set(moved(result))
    assert unmet(result)[("village", "英语", P1)] == 1  # one short, though two could go


def test_staff_status_infeasible() -> None:
    extra = [
        teacher("english_deferred", "city", "英语", years_at_school=10, status="deferred"),
        teacher("english_exempt", "city", "英语", years_at_school=10, status="exempt"),
    ]
    inst = base(extra)
    result = solved(inst)
    assert not {"english_deferred", "english_exempt"} & set(moved(result))
    bad = with_moves(result, move("english_deferred"), move("english_exempt", first_period=P2))
    assert {tuple(v.where) for v in found(inst, bad, "staff.status")} == {
        ("english_deferred", "village"),
        ("english_exempt", "village"),
    }


def test_rotation_exempt_age_feasible() -> None:
    extra = [
        teacher("man_58", "city", "英语", years_at_school=20, age=58, gender="M"),
        teacher("woman_52", "city", "英语", years_at_school=20, age=52, gender="F"),
        teacher("man_56", "city", "英语", years_at_school=20, age=56, gender="M"),
    ]
    inst = without(
        base(extra, policy={"rotation": {"backbone_share": 0.0}}), "english_due", "english_bb"
    )
    result = solved(inst)
    assert "man_56" in moved(result)
    assert not {"man_58", "woman_52"} & set(moved(result))
    # With the men's age raised to 59, the 58-year-old man is no longer exempt.
    later = without(
        base(extra, policy={"rotation": {"backbone_share": 0.0, "exempt_age": {"M": 59}}}),
        "english_due",
        "english_bb",
    )
    assert {"man_58", "man_56"} <= set(moved(solved(later)))


def test_rotation_exempt_age_infeasible() -> None:
    extra = [
        teacher("man_58", "city", "英语", years_at_school=20, age=58, gender="M"),
        teacher("woman_52", "city", "英语", years_at_school=20, age=52, gender="F"),
    ]
    inst = base(extra)
    result = solved(inst)
    assert not {"man_58", "woman_52"} & set(moved(result))
    bad = with_moves(result, move("man_58"), move("woman_52", first_period=P2))
    assert {v.where[0] for v in found(inst, bad, "rotation.exempt_age")} == {"man_58", "woman_52"}


def _history(*entries: tuple[str, str]) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            kind="exchange", period=period, staff=sid, from_school="city", to_school="village"
        )
        for sid, period in entries
    ]


def test_rotation_last_cycle_feasible() -> None:
    # Both moved before; only the latest cycle (2024) holds a teacher back.
    extra = [
        teacher("english_recent", "city", "英语", years_at_school=10),
        teacher("english_earlier", "city", "英语", years_at_school=10),
    ]
    history = _history(("english_recent", "2024"), ("english_earlier", "2023"))
    inst = without(
        base(extra, policy={"rotation": {"backbone_share": 0.0}}, history=history),
        "english_due",
        "english_bb",
    )
    result = solved(inst)
    assert "english_earlier" in moved(result)
    assert "english_recent" not in moved(result)


def test_rotation_last_cycle_infeasible() -> None:
    extra = [teacher("english_recent", "city", "英语", years_at_school=10)]
    inst = base(extra, history=_history(("english_recent", "2024")))
    result = solved(inst)
    assert "english_recent" not in moved(result)
    bad = with_moves(result, move("english_recent"))
    (v,) = found(inst, bad, "rotation.last_cycle")
    assert v.where == ["english_recent", "village"]


def test_rotation_due_years_feasible() -> None:
    # Due after 9 years: music_due (9) moves, english_due (8) and english_bb (7) do not.
    inst = base(policy={"rotation": {"due_years": 9, "backbone_share": 0.0}})
    result = solved(inst)
    assert "music_due" in moved(result)
    assert not {"english_due", "english_bb", "music_2"} & set(moved(result))
    assert unmet(result)[("village", "英语", P1)] == 0


def test_rotation_due_years_infeasible() -> None:
    inst = base()
    result = solved(inst)
    assert "music_2" not in moved(result)  # one year at school: not due
    bad = with_moves(result, move("music_2", subject="音乐"))
    (v,) = found(inst, bad, "rotation.due_years")
    assert v.where == ["music_2", "village"]
    # Nobody is due after 20 years: nobody moves, every shortage stays open.
    late = solve(base(policy={"rotation": {"due_years": 20}}), "roster", time_limit=5)
    assert late.status == "optimal" and moved(late) == {}
    assert len(late.plan.unmet_needs) == 4  # English and music, both semesters


# ---- rotation.direction -----------------------------------------------------------------------


def _second_city(inst):  # type: ignore[no-untyped-def]
    """County scope, and a second urban school short of English too."""
    return with_schools(
        inst,
        school("city_2", km=3, students=800),
        needs=[*inst.needs, need("city_2", "英语", shortage=2)],
    )


def test_rotation_direction_feasible() -> None:
    # Moving out goes from an urban/strong school to one that is not: city's English
    # teachers go to village, never to city_2, though city_2 is nearer and short too.
    inst = _second_city(base(policy={"rotation": {"scope": "county"}}))
    result = solved(inst)
    outs = moved(result).values()
    assert {"english_due", "english_bb"} <= set(moved(result))
    assert all(m.to_school == "village" and m.direction == "out" for m in outs)


def test_rotation_direction_infeasible() -> None:
    inst = _second_city(base(policy={"rotation": {"scope": "county"}}))
    result = solved(inst)
    assert unmet(result)[("city_2", "英语", P1)] == 0  # no move can reach it
    sideways = with_moves(result, move("english_due", to="city_2"))
    (v,) = found(inst, sideways, "rotation.direction")
    assert v.where == ["english_due", "city_2"]
    backwards = with_moves(result, move("english_due", direction="in"))
    assert "rotation.direction" in rules(inst, backwards)


# ---- rotation.two_way / two_way_share ----------------------------------------------------------


def test_rotation_two_way_feasible() -> None:
    inst = base(policy={"rotation": {"two_way": True, "two_way_share": 0.5}})
    result = solved(inst)
    ins = [m for m in moved(result).values() if m.direction == "in"]
    outs = [m for m in moved(result).values() if m.direction == "out"]
    assert ins and 2 * len(ins) >= len(outs)
    assert all(m.from_school == "village" and m.to_school == "city" for m in ins)


def test_rotation_two_way_infeasible() -> None:
    inst = base()  # two_way off
    result = solved(inst)
    assert all(m.direction == "out" for m in moved(result).values())
    stint = move("village_0", to="city", frm="village", subject="语文", direction="in")
    (v,) = found(inst, with_moves(result, *moved(result).values(), stint), "rotation.two_way")
    assert v.where == ["village_0", "city"]


def test_rotation_two_way_share_feasible() -> None:
    inst = base(policy={"rotation": {"two_way": True, "two_way_share": 1.0}})
    result = solved(inst)
    ins = [m for m in moved(result).values() if m.direction == "in"]
    outs = [m for m in moved(result).values() if m.direction == "out"]
    assert outs and len(ins) >= len(outs)
    kpis = result.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis)
    assert kpis.two_way_ratio == pytest.approx(len(ins) / len(outs))  # a ratio, not a share
    assert kpis.two_way_ratio_required == 1.0


def test_rotation_two_way_share_infeasible() -> None:
    inst = base(policy={"rotation": {"two_way": True, "two_way_share": 0.5}})
    result = solved(inst)
    outs = [m for m in moved(result).values() if m.direction == "out"]
    (v,) = found(inst, with_moves(result, *outs), "rotation.two_way_share")
    assert v.where == ["county"] and v.amount == pytest.approx(0.5 * len(outs))
    # No village teachers to send to learn, and the quota needs every due teacher out.
    nobody = base(policy={"rotation": {"two_way": True, "two_way_share": 0.5, "rate": 1.0}})
    nobody = without(nobody, *(f"village_{i}" for i in range(8)))
    assert solve(nobody, "roster", time_limit=5).status == "infeasible"


# ---- rotation.secondment_count -----------------------------------------------------------------


CADRES = [
    teacher("cadre_v", "village", "语文", role="reserve_cadre", years_at_school=3),
    teacher("cadre_c", "city", "语文", role="middle_manager", years_at_school=3),
]


def test_rotation_secondment_count_feasible() -> None:
    inst = base(CADRES, policy={"rotation": {"secondment_count": 1}})
    result = solved(inst)
    seconded = [m for m in result.plan.roster if m.kind == "secondment"]
    assert len(seconded) == 1 and seconded[0].periods == 1
    assert seconded[0].staff in ("cadre_v", "cadre_c")
    # Unset: every candidate the host limits allow. City has room for village's cadre;
    # village's room goes to the teachers filling its shortages, so city's cadre stays.
    result = solved(base(CADRES))
    assert {k: m.to_school for k, m in _seconded(result).items()} == {"cadre_v": "city"}


def test_rotation_secondment_count_infeasible() -> None:
    # Unset: a candidate left at home who could still go is caught.
    inst = base(CADRES)
    result = solved(inst)
    home = with_moves(result, *[m for m in moved(result).values() if m.staff != "cadre_v"])
    (v,) = found(inst, home, "rotation.secondment_count")
    assert v.where == ["cadre_v", "city"] and v.amount == 1
    too_many = base(CADRES, policy={"rotation": {"secondment_count": 3}})
    assert solve(too_many, "roster", time_limit=5).status == "infeasible"
    inst = base(CADRES, policy={"rotation": {"secondment_count": 1}})
    result = solved(inst)
    none = with_moves(result, *[m for m in result.plan.roster if m.kind == "exchange"])
    (v,) = found(inst, none, "rotation.secondment_count")
    assert v.where == ["county"] and v.amount == 1
    # Only cadres are seconded.
    seconded = with_moves(
        result,
        *[m for m in result.plan.roster if m.kind == "exchange"],
        move("music_due", subject="音乐", kind="secondment"),
    )
    assert any(
        v.where == ["music_due", "village"]
        for v in found(inst, seconded, "rotation.secondment_count")
    )


def test_secondment_fits_beside_the_exchanges() -> None:
    # Was a solver bug (secondments placed only in the capacity the exchanges left): when
    # they do not fit, exchanges and secondments are now solved together.
    cadre = [teacher("cadre_c", "city", "语文", role="middle_manager", years_at_school=3)]
    inst = base(cadre, policy={"rotation": {"secondment_count": 1}})
    # A valid plan: english_bb out in the first semester, english_due in the second, and
    # cadre_c seconded for the second semester (village takes 2 per semester).
    plan = solved(base()).plan.model_copy(
        update={
            "roster": [
                move("english_bb"),
                move("english_due", first_period=P2),
                move(
                    "cadre_c",
                    role="middle_manager",
                    subject="语文",
                    kind="secondment",
                    first_period=P2,
                ),
            ],
            "objectives": {},
        }
    )
    plan = plan.model_copy(update={"objective": validate(inst, plan).objective})
    assert validate(inst, plan).ok
    result = solved(inst)
    assert len([m for m in result.plan.roster if m.kind == "secondment"]) == 1


def test_principals_change_headship_and_vice_principals_make_stints() -> None:
    # Due principals swap headships (校长轮岗) instead of an exchange stint; the due vice
    # principal goes on an exchange stint to city's partner.
    leaders = [
        teacher("city_head", "city", None, role="principal", years_at_school=11),
        # (backbone: a weak school's head takes over a strong one only with the title)
        teacher(
            "village_head", "village", None, role="principal", years_at_school=11, backbone="county"
        ),
        teacher("city_vp", "city", None, role="vice_principal", years_at_school=12),
    ]
    inst = base(leaders, policy={"rotation": {"host_capacity": 10}})
    result = solved(inst)
    lines = moved(result)
    assert (lines["city_head"].kind, lines["city_head"].to_school) == ("headship", "village")
    assert (lines["village_head"].kind, lines["village_head"].to_school) == ("headship", "city")
    assert (lines["city_vp"].kind, lines["city_vp"].to_school) == ("exchange", "village")
    kpis = result.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis) and (kpis.principals_due, kpis.principals_moved) == (2, 2)
    # A principal's exchange stint is caught.
    others = [m for m in lines.values() if m.staff != "city_head"]
    stint = move("city_head", role="principal", subject=None)
    (v,) = found(inst, with_moves(result, *others, stint), "rotation.secondment_count")
    assert v.where == ["city_head", "village"] and "headship" in v.message


# ---- rotation.scope / max_km -------------------------------------------------------------------


def _rural_nearby(inst):  # type: ignore[no-untyped-def]
    """An ordinary (not weak) rural primary school, near and short of English: no pair
    helps it, so it is in no pair's scope."""
    return with_schools(
        inst,
        school("rural_near", tier="ordinary", area="rural", km=5, students=100),
        needs=[*inst.needs, need("rural_near", "英语", shortage=2, priority=1)],
    )


def test_rotation_scope_feasible() -> None:
    # Scope pair: city's teachers go only to its partner village, though rural_near is
    # nearer and its English shortage ranks higher; with scope county they go there.
    inst = _rural_nearby(base())
    result = solved(inst)
    assert result.plan.pairs and {(p.helper, p.helped) for p in result.plan.pairs} == {
        ("city", "village")
    }
    assert {"english_due", "english_bb"} <= set(moved(result))
    assert all(m.to_school == "village" for m in moved(result).values())
    county_wide = _rural_nearby(base(policy={"rotation": {"scope": "county"}}))
    assert "rural_near" in {m.to_school for m in moved(solved(county_wide)).values()}


def test_rotation_scope_infeasible() -> None:
    inst = _rural_nearby(base())
    result = solved(inst)
    assert unmet(result)[("rural_near", "英语", P1)] == 0
    # Out of scope, rural_near's shortage is unreachable: needs covered count only the
    # shortages some move could fill (village's 2 English and 1 music, two semesters).
    kpis = result.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis)
    assert kpis.needs_unreachable_teacher_periods == 4
    assert kpis.needs_reachable_teacher_periods == 6
    assert kpis.needs_covered_share == pytest.approx(
        kpis.needs_covered_teacher_periods / kpis.needs_reachable_teacher_periods, abs=1e-4
    )
    bad = with_moves(result, move("english_due", to="rural_near"))
    (v,) = found(inst, bad, "rotation.scope")
    assert v.where == ["english_due", "rural_near"]


def _far_village(inst):  # type: ignore[no-untyped-def]
    """County scope; far_village (80 km) lacks English more urgently than village."""
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


def test_rotation_max_km_feasible() -> None:
    inst = _far_village(base(policy={"rotation": {"scope": "county", "max_km": 50}}))
    result = solved(inst)
    assert {"english_due", "english_bb"} <= set(moved(result))
    assert all(m.to_school == "village" for m in moved(result).values())
    # Without the limit the English teachers go to the more urgent far_village.
    unlimited = _far_village(base(policy={"rotation": {"scope": "county"}}))
    assert moved(solved(unlimited))["english_due"].to_school == "far_village"


def test_rotation_max_km_infeasible() -> None:
    inst = base(policy={"rotation": {"max_km": 5}})  # village is 10 km away
    result = solve(inst, "roster", time_limit=5)
    assert quota_named(result) == {"city"} and moved(result) == {}
    # With the quota held at what city can do (nothing) the plan is optimal and every
    # shortage stays open.
    inst = base(policy={"rotation": {"max_km": 5, "cap_quota": True}})
    result = solve(inst, "roster", time_limit=5)
    assert result.status == "optimal" and moved(result) == {}
    assert unmet(result)[("village", "英语", P1)] == 0
    (v,) = found(inst, with_moves(result, move("english_due")), "rotation.max_km")
    assert v.where == ["english_due", "village"]
    assert v.amount is not None and 4.9 < v.amount < 5.1


# ---- needs.shortage ----------------------------------------------------------------------------


def test_needs_shortage_feasible() -> None:
    extra = [teacher("chinese_due", "city", "语文", years_at_school=9)]
    result = solved(base(extra))
    assert {"english_due", "music_due"} <= set(moved(result))
    assert all(m.to_school == "village" and m.direction == "out" for m in moved(result).values())
    assert {m.subject for m in moved(result).values()} <= {"英语", "音乐"}
    assert "chinese_due" not in moved(result)  # due, but village lacks no Chinese teacher
    assert "music_2" not in moved(result)  # not due


def test_needs_shortage_infeasible() -> None:
    extra = [teacher("chinese_due", "city", "语文", years_at_school=9)]
    inst = base(extra)
    result = solved(inst)
    assert "chinese_due" not in moved(result)
    bad = with_moves(result, move("chinese_due", subject="语文"))
    (v,) = found(inst, bad, "needs.shortage")
    assert v.where == ["chinese_due", "village"]


def test_unmet_needs_reported() -> None:
    result = solved(base())
    unmet_keys = {(u.school, u.subject) for u in result.plan.unmet_needs}
    assert ("village", "英语") in unmet_keys  # two short, one due English teacher
    assert result.parts["roster"].kpis.needs_covered_share > 0


# ---- rotation.fixed ----------------------------------------------------------------------------

PIN = Fixed(kind="exchange", staff="music_2", from_school="city", to_school="village", period=P2)


def test_rotation_fixed_feasible() -> None:
    inst = base(fixed=[PIN])
    result = solved(inst)
    assert moved(result)["music_2"].first_period == P2  # not due, moved because pinned
    assert moved(result)["music_2"].fixed


def test_rotation_fixed_infeasible() -> None:
    inst = base(fixed=[PIN])
    result = solved(inst)
    missing = with_moves(result, *[m for m in moved(result).values() if m.staff != "music_2"])
    (v,) = found(inst, missing, "rotation.fixed")
    assert v.where == ["music_2", "village"]
    early = with_moves(
        result,
        *[m for m in moved(result).values() if m.staff != "music_2"],
        move("music_2", subject="音乐", first_period=P1),
    )
    assert "rotation.fixed" in rules(inst, early)
    # A pin into a school that takes no one cannot be kept.
    closed = base(fixed=[PIN], policy={"rotation": {"host_capacity": 0}})
    assert solve(closed, "roster", time_limit=5).status == "infeasible"


# ---- rotation.max_outflow_share / host_capacity / keep_subject_cover --------------------------


def _count_per_period(  # type: ignore[no-untyped-def]
    result, school_id: str, end: str, subject: str | None = None
) -> dict[str, int]:
    """Staff away from (end 'from_school') or come in to (end 'to_school') a school, per
    semester (only teachers of ``subject``, if given)."""
    periods = [P1, P2]
    count = dict.fromkeys(periods, 0)
    for m in moved(result).values():
        if getattr(m, end) == school_id and subject in (None, m.subject):
            first = periods.index(m.first_period)
            for t in range(first, first + m.periods):
                count[periods[t]] += 1
    return count


def test_rotation_max_outflow_share_feasible() -> None:
    inst = base(policy={"rotation": {"max_outflow_share": 0.05}})  # 20 staff -> 1 away
    result = solved(inst)
    assert len(moved(result)) >= 2
    assert max(_count_per_period(result, "city", "from_school").values()) == 1
    # A share of 0 still lets one away per period (rotation.min_outflow 1).
    floor = solved(base(policy={"rotation": {"max_outflow_share": 0.0}}))
    assert max(_count_per_period(floor, "city", "from_school").values()) == 1


def test_rotation_max_outflow_share_infeasible() -> None:
    inst = base(policy={"rotation": {"max_outflow_share": 0.05}})
    result = solved(inst)
    bad = with_moves(result, move("english_due"), move("music_due", subject="音乐"))
    (v,) = found(inst, bad, "rotation.max_outflow_share")
    assert v.where == ["city", P1] and v.amount == 1
    # No one may be away: nobody moves, and city's quota is reported as missed (with
    # cap_quota, city is listed as held below its quota).
    rot = {"max_outflow_share": 0.0, "min_outflow": 0}
    shut = solve(base(policy={"rotation": rot}), "roster", time_limit=5)
    assert quota_named(shut) == {"city"} and moved(shut) == {}
    capped = base(policy={"rotation": {**rot, "cap_quota": True}})
    shut = solve(capped, "roster", time_limit=5)
    assert shut.status == "optimal" and moved(shut) == {}
    assert "city" in quota_capped(shut)


def test_rotation_host_capacity_feasible() -> None:
    inst = base(policy={"rotation": {"host_capacity": 1, "max_periods": 1}})
    result = solved(inst)
    assert len(moved(result)) == 2  # three could fill a need, one per semester comes in
    assert _count_per_period(result, "village", "to_school") == {P1: 1, P2: 1}


def test_rotation_host_capacity_infeasible() -> None:
    inst = base(policy={"rotation": {"host_capacity": 1, "max_periods": 1}})
    result = solved(inst)
    bad = with_moves(result, move("english_due"), move("music_due", subject="音乐"))
    (v,) = found(inst, bad, "rotation.host_capacity")
    assert v.where == ["village", P1] and v.amount == 1
    pins = [
        PIN.model_copy(update={"period": P1}),
        Fixed(
            kind="exchange", staff="music_due", from_school="city", to_school="village", period=P1
        ),
    ]
    two_pins = base(fixed=pins, policy={"rotation": {"host_capacity": 1}})
    assert solve(two_pins, "roster", time_limit=5).status == "infeasible"


def _one_music_teacher(inst):  # type: ignore[no-untyped-def]
    return without(inst, "music_due", "music_2")


MUSIC_ONLY = [teacher("music_only", "city", "音乐", years_at_school=9)]


def test_rotation_keep_subject_cover_feasible() -> None:
    inst = _one_music_teacher(base(MUSIC_ONLY))
    result = solved(inst)
    assert "music_only" not in moved(result)  # due, and village lacks music, but city's last
    assert unmet(result)[("village", "音乐", P1)] == 0
    off = _one_music_teacher(base(MUSIC_ONLY, policy={"rotation": {"keep_subject_cover": False}}))
    assert "music_only" in moved(solved(off))


def test_rotation_keep_subject_cover_infeasible() -> None:
    inst = _one_music_teacher(base(MUSIC_ONLY))
    result = solved(inst)
    bad = with_moves(result, move("music_only", subject="音乐"))
    (v,) = found(inst, bad, "rotation.keep_subject_cover")
    assert v.where == ["city", "音乐", P1]
    pin = Fixed(kind="exchange", staff="music_only", from_school="city", to_school="village")
    pinned = _one_music_teacher(base(MUSIC_ONLY, fixed=[pin]))
    assert solve(pinned, "roster", time_limit=5).status == "infeasible"


# ---- rotation.rate / backbone_share -----------------------------------------------------------


def _one_english_need(rate: float):  # type: ignore[no-untyped-def]
    """Village lacks one English and one music teacher for the year; three teachers are
    due; moving a due teacher earns nothing by itself (weights.roster_due 0, nor does a
    rural placement: weights.roster_rural_priority 0)."""
    inst = base(
        [teacher("english_new", "city", "英语", years_at_school=1)],
        policy={
            "rotation": {"rate": rate, "min_periods": 2, "max_periods": 2, "host_capacity": 3},
            "weights": {"roster_due": 0, "roster_rural_priority": 0},
        },
    )
    return inst.model_copy(
        update={
            "needs": [
                need("village", "英语", shortage=1),
                need("village", "音乐", shortage=1),
                *CITY_SPARE,
            ]
        }
    )


def test_rotation_rate_feasible() -> None:
    # The quota (100% of the 3 due teachers) moves the second English teacher too, though
    # one English teacher covers village's need; without a quota only two move.
    result = solved(_one_english_need(1.0))
    assert set(moved(result)) == {"english_due", "english_bb", "music_due"}
    assert set(moved(solved(_one_english_need(0.0)))) == {"english_bb", "music_due"}


def test_rotation_rate_infeasible() -> None:
    inst = base(policy={"rotation": {"rate": 1.0}})
    result = solved(inst)
    assert len(moved(result)) >= 3  # every due teacher (quota 100% of 3)
    empty = result.plan.model_copy(update={"roster": []})
    (v,) = found(inst, empty, "rotation.rate")
    assert v.where == ["city"] and v.amount == 3
    closed = base(policy={"rotation": {"rate": 1.0, "host_capacity": 0}})
    assert solve(closed, "roster", time_limit=5).status == "infeasible"


def test_rotation_backbone_share_feasible() -> None:
    inst = base(policy={"rotation": {"backbone_share": 0.5, "rate": 0.1}})
    result = solved(inst)
    outs = [m for m in moved(result).values() if m.direction == "out"]
    assert outs and sum(m.staff == "english_bb" for m in outs) * 2 >= len(outs)


def test_rotation_backbone_share_infeasible() -> None:
    inst = base(policy={"rotation": {"backbone_share": 0.5, "rate": 0.1}})
    result = solved(inst)
    bad = with_moves(result, move("english_due"), move("music_due", subject="音乐"))
    (v,) = found(inst, bad, "rotation.backbone_share")
    assert v.where == ["county"] and v.amount == 1
    no_bb = base(policy={"rotation": {"backbone_share": 0.5, "rate": 1.0}})
    assert solve(without(no_bb, "english_bb"), "roster", time_limit=5).status == "infeasible"


# ---- rotation.protect_sender -------------------------------------------------------------------
# City has no English surplus here: it is short of English itself (缺编) and may only spare a
# music teacher. Moving an English teacher out strips the sender, unless one arrives (对岗互派).

NO_ENGLISH_SPARE = [
    need("village", "英语", shortage=2),
    need("village", "音乐", shortage=1),
    need("city", "音乐", surplus=1),
]


def _no_english_spare(staff_extra: list[Any] | None = None, **rotation: Any):  # type: ignore[no-untyped-def]
    inst = base(staff_extra, policy={"rotation": {"backbone_share": 0.0, **rotation}})
    return inst.model_copy(update={"needs": NO_ENGLISH_SPARE})


def test_rotation_protect_sender_feasible() -> None:
    # Village lacks English more than music, yet city keeps its English teachers.
    result = solved(_no_english_spare())
    assert set(moved(result)) == {"music_due"}
    assert unmet(result)[("village", "英语", P1)] == 0
    kpis = result.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis) and kpis.shortages_created_at_senders == 0
    # Without the rule they go, and city is left short of English.
    off = solved(_no_english_spare(protect_sender=False))
    assert {"english_due", "english_bb"} <= set(moved(off))
    kpis = off.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis) and kpis.shortages_created_at_senders > 0
    # A village English teacher coming in to learn lets one go out: one for one, per semester.
    learner = [teacher("village_en", "village", "英语", years_at_school=2, age=30)]
    result = solved(_no_english_spare(learner, two_way=True))
    lines = moved(result)
    assert lines["village_en"].direction == "in" and lines["village_en"].to_school == "city"
    assert {"english_due", "english_bb"} & set(lines)
    for period in (P1, P2):
        out = _count_per_period(result, "city", "from_school", subject="英语")[period]
        came = _count_per_period(result, "city", "to_school", subject="英语")[period]
        assert out <= came, period


def test_rotation_protect_sender_infeasible() -> None:
    inst = _no_english_spare()
    result = solved(inst)
    bad = with_moves(result, *moved(result).values(), move("english_due"))
    (v,) = found(inst, bad, "rotation.protect_sender")
    assert v.where == ["city", "英语", P1] and v.amount == 1
    # A learner coming in the other semester does not make up for it.
    learner = [teacher("village_en", "village", "英语", years_at_school=2, age=30)]
    inst = _no_english_spare(learner, two_way=True)
    late = move("village_en", to="city", frm="village", first_period=P2, direction="in")
    bad = with_moves(result, *moved(result).values(), move("english_due"), late)
    # ... and strips village of its English teacher in that semester.
    assert [v.where for v in found(inst, bad, "rotation.protect_sender")] == [
        ["city", "英语", P1],
        ["village", "英语", P2],
    ]


def test_one_for_one_learner_may_go_to_any_school_in_scope() -> None:
    # city2 helps village; city, not village's partner, may send its due English teacher
    # only if an English teacher arrives: village's comes to learn there.
    inst = county(
        [
            school("city", helper_capacity=0),
            school("city2", km=12),
            school("village", tier="weak", area="rural", km=10, students=200),
        ],
        staff=[
            teacher("english_due", "city", "英语", years_at_school=8),
            teacher("english_new", "city", "英语", years_at_school=1),
            *(teacher(f"city_{i}", "city", "语文") for i in range(8)),
            *(teacher(f"city2_{i}", "city2", "语文") for i in range(8)),
            teacher("village_en", "village", "英语"),
            *(teacher(f"village_{i}", "village", "语文") for i in range(6)),
        ],
        needs=[need("village", "英语", shortage=1)],
        policy={"rotation": {"scope": "county", "backbone_share": 0.0}},
    )
    result = solve(inst, "roster", time_limit=5)
    assert result.status == "optimal"
    assert {(p.helper, p.helped) for p in result.plan.pairs} == {("city2", "village")}
    assert moved(result)["village_en"].to_school == "city"
    report = validate(inst, result.plan)
    assert report.ok, report.violations


# ---- rotation.surplus_first --------------------------------------------------------------------
# One semester, one teacher may be away from city; city spares music but not English (sender
# protection off, to see this rule alone); village lacks English urgently, music less so.


def _surplus_first(on: bool):  # type: ignore[no-untyped-def]
    rotation = {
        "surplus_first": on,
        "protect_sender": False,
        "max_outflow_share": 0.05,
        "max_periods": 1,
        "backbone_share": 0.0,
    }
    inst = base(policy={"rotation": rotation, "horizon": {"periods": [P1]}})
    needs = [
        need("village", "英语", shortage=1, priority=1),
        need("village", "音乐", shortage=1, priority=3),
        need("city", "音乐", surplus=1),
    ]
    return inst.model_copy(update={"needs": needs})


def test_rotation_surplus_first_feasible() -> None:
    # The music teacher city can spare goes first, though English is the urgent need.
    result = solved(_surplus_first(True))
    assert set(moved(result)) == {"music_due"}
    # Without the rule the English teacher goes instead.
    assert set(moved(solved(_surplus_first(False)))) & {"english_due", "english_bb"}
    assert "music_due" not in moved(solved(_surplus_first(False)))


def test_rotation_surplus_first_infeasible() -> None:
    inst = _surplus_first(True)
    result = solved(inst)
    english = with_moves(result, move("english_due"))
    (v,) = found(inst, english, "rotation.surplus_first")
    assert v.where == ["city", "音乐", "english_due"] and v.amount == 1
    # Sending the surplus teacher as well keeps the rule (one semester, outflow aside).
    both = with_moves(result, move("english_due"), move("music_due", subject="音乐"))
    assert not found(inst, both, "rotation.surplus_first")


# ---- rotation.same_stage / bridge_stages --------------------------------------------------------


def _junior_village(inst):  # type: ignore[no-untyped-def]
    """A weak junior school as near as village and short of English more urgently."""
    return with_schools(
        inst,
        school("junior_village", stage="junior", tier="weak", area="rural", km=10, students=200),
        needs=[*inst.needs, need("junior_village", "英语", shortage=2, priority=1)],
    )


def test_rotation_same_stage_feasible() -> None:
    # County scope: city's primary English teachers teach at village, not at the junior
    # school; without the rule they go where the need is more urgent.
    result = solved(_junior_village(base(policy={"rotation": {"scope": "county"}})))
    assert {"english_due", "english_bb"} <= set(moved(result))
    assert {m.to_school for m in moved(result).values()} == {"village"}
    off = _junior_village(base(policy={"rotation": {"scope": "county", "same_stage": False}}))
    assert moved(solved(off))["english_due"].to_school == "junior_village"


def test_rotation_same_stage_infeasible() -> None:
    inst = _junior_village(base(policy={"rotation": {"scope": "county"}}))
    result = solved(inst)
    bad = with_moves(result, move("english_due", to="junior_village"))
    (v,) = found(inst, bad, "rotation.same_stage")
    assert v.where == ["english_due", "junior_village"]
    # 学段衔接 goes one way only: a primary teacher never bridges to a junior school.
    assert found(with_rotation(inst, bridge_stages=True), bad, "rotation.same_stage")


def _bridge(on: bool, extra: list[Any] | None = None):  # type: ignore[no-untyped-def]
    """A junior school that can spare an English teacher, and a primary village short of
    one; no rate quota to meet (only where the teacher may go is at stake)."""
    return county(
        [
            school("junior_city", stage="junior", students=600),
            school("village", tier="weak", area="rural", km=10, students=200),
        ],
        staff=[
            teacher("en_due", "junior_city", "英语", years_at_school=8),
            teacher("en_new", "junior_city", "英语", years_at_school=1),
            *(teacher(f"jc_{i}", "junior_city", "语文") for i in range(8)),
            *(teacher(f"v_{i}", "village", "语文") for i in range(6)),
            *(extra or []),
        ],
        needs=[need("village", "英语", shortage=1), need("junior_city", "英语", surplus=1)],
        policy={
            "rotation": {
                "scope": "county",
                "two_way": False,
                "backbone_share": 0.0,
                "rate": 0.0,
                "bridge_stages": on,
            }
        },
    )


def test_rotation_bridge_stages_feasible() -> None:
    # With 学段衔接 the junior teacher teaches at the primary village, counted as a bridge.
    result = solved(_bridge(True))
    assert moved(result)["en_due"].to_school == "village"
    kpis = result.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis) and kpis.bridge_moves == 1
    # Without it nobody crosses, and village's need stays open.
    off = solved(_bridge(False))
    assert moved(off) == {} and unmet(off)[("village", "英语", P1)] == 0


def test_rotation_bridge_stages_infeasible() -> None:
    # Only a teacher going out to teach may bridge: the junior school's cadre is not
    # seconded to the primary village, and a hand-made secondment is caught.
    cadre = [teacher("cadre_j", "junior_city", "语文", role="middle_manager", years_at_school=3)]
    inst = _bridge(True, cadre)
    result = solved(inst)
    assert "cadre_j" not in moved(result)
    seconded = move(
        "cadre_j", frm="junior_city", role="middle_manager", subject="语文", kind="secondment"
    )
    (v,) = found(
        inst, with_moves(result, *moved(result).values(), seconded), "rotation.bridge_stages"
    )
    assert v.where == ["cadre_j", "village"]
    # With bridging off, the junior teacher's move out is not a bridge but a stage breach
    # (in the second semester: in the first alone it would hand classes over twice).
    off = _bridge(False, cadre)
    taught = with_moves(solved(off), move("en_due", frm="junior_city", first_period=P2))
    assert rules(off, taught) - {"plan.objective"} == {"rotation.same_stage"}


# ---- rotation.secondment_per_host --------------------------------------------------------------

CITY_CADRES = [
    teacher(f"cadre_{i}", "city", "语文", role="middle_manager", years_at_school=3)
    for i in range(3)
]


def _three_cadres(**rotation: Any):  # type: ignore[no-untyped-def]
    """Three city cadres, each a secondment candidate for village (room for everyone)."""
    return base(
        CITY_CADRES,
        policy={"rotation": {"host_capacity": 10, "max_outflow_share": 0.5, **rotation}},
    )


def _seconded(result) -> dict[str, Move]:  # type: ignore[no-untyped-def]
    return {m.staff: m for m in result.plan.roster if m.kind == "secondment"}


def test_rotation_secondment_per_host_feasible() -> None:
    # Every candidate the host limits allow (secondment_count unset): village takes one a
    # semester, so two of the three go, in different semesters.
    result = solved(_three_cadres())
    lines = _seconded(result)
    assert len(lines) == 2 and {m.first_period for m in lines.values()} == {P1, P2}
    assert all(m.to_school == "village" and m.periods == 1 for m in lines.values())
    # Two a semester: all three go (village, 200 pupils, counted as a large school here:
    # a small one hosts one visiting cadre a semester [rotation.small_school_pupils]).
    assert len(_seconded(solved(_three_cadres(secondment_per_host=2, small_school_pupils=0)))) == 3


def test_rotation_secondment_per_host_infeasible() -> None:
    inst = _three_cadres()
    result = solved(inst)
    exchanges = [m for m in moved(result).values() if m.kind == "exchange"]
    together = [m.model_copy(update={"first_period": P1}) for m in _seconded(result).values()]
    (v,) = found(inst, with_moves(result, *exchanges, *together), "rotation.secondment_per_host")
    assert v.where == ["village", P1] and v.amount == 1
    # Three asked, room for two: reported as infeasible, the closest plan written.
    three = _three_cadres(secondment_count=3)
    result = solve(three, "roster", time_limit=5)
    assert result.status == "infeasible"
    assert "rotation.secondment_count" in render(result.parts["roster"].message or "", "en")
    assert {v.rule for v in validate(three, result.plan).violations} == {
        "plan.status",
        "rotation.secondment_count",
    }


# ---- secondment candidates, ranked preferences, the plan that comes closest --------------------


def test_secondment_goes_to_the_candidate_of_higher_merit() -> None:
    # One secondment asked, two candidates: the one with the better appraisal (考核分) goes,
    # whichever way round the scores are.
    for merit_a, merit_b, chosen in ((80.0, 90.0, "cadre_b"), (90.0, 80.0, "cadre_a")):
        cadres = [
            teacher(
                "cadre_a", "city", "语文", role="middle_manager", years_at_school=3, merit=merit_a
            ),
            teacher(
                "cadre_b", "city", "语文", role="middle_manager", years_at_school=3, merit=merit_b
            ),
        ]
        result = solved(base(cadres, policy={"rotation": {"secondment_count": 1}}))
        assert set(_seconded(result)) == {chosen}
        terms = result.parts["roster"].terms
        assert terms["secondment_merit_below_best"] == 0.0


def test_secondment_candidates_are_the_named_list() -> None:
    # A cadre taken off the list stays; a teacher put on it may be seconded (city can spare
    # a Chinese teacher, and has room for one more away).
    staff = [
        teacher("cadre_off", "city", "语文", role="middle_manager", secondment_candidate=False),
        teacher("listed", "city", "语文", years_at_school=3, secondment_candidate=True),
    ]
    inst = base(staff, policy={"rotation": {"host_capacity": 10, "max_outflow_share": 0.5}})
    inst = inst.model_copy(update={"needs": [*inst.needs, need("city", "语文", surplus=1)]})
    result = solved(inst)
    assert set(_seconded(result)) == {"listed"}
    kpis = result.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis) and kpis.secondment_candidates == 1
    bad = with_moves(
        result,
        *moved(result).values(),
        move(
            "cadre_off", role="middle_manager", subject="语文", kind="secondment", first_period=P2
        ),
    )
    assert any(
        v.where == ["cadre_off", "village"] for v in found(inst, bad, "rotation.secondment_count")
    )


def _two_villages(willing: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """County scope; village (10 km north) and village2 (10 km south) each lack one English
    teacher: going to either costs the same. english_due, the one English teacher who may
    go, ranks them in ``willing``."""
    inst = without(
        base(policy={"rotation": {"scope": "county", "backbone_share": 0.0}}),
        "english_due",
        "english_bb",
        "music_due",
    )
    inst = with_schools(
        inst,
        school("village2", tier="weak", area="rural", km=-10, students=200),
        needs=[
            need("village", "英语", shortage=1),
            need("village2", "英语", shortage=1),
            *CITY_SPARE,
        ],
    )
    staff = [
        teacher("english_due", "city", "英语", years_at_school=8, willing=willing),
        teacher("english_new", "city", "英语", years_at_school=1),
    ]
    return inst.model_copy(update={"staff": [*inst.staff, *staff]})


def test_ranked_preferences_first_choice_first() -> None:
    for willing in (("village2", "village"), ("village", "village2")):
        result = solved(_two_villages(willing))
        assert moved(result)["english_due"].to_school == willing[0], willing
        kpis = result.parts["roster"].kpis
        assert isinstance(kpis, RosterKpis)
        assert kpis.preferences_by_rank == {"1": 1} and kpis.preferences_honoured == 1
        assert result.parts["roster"].terms["preference_steps"] == 0
    # A plan sending him to his second choice costs one step (weights.roster_preference).
    inst = _two_villages(("village2", "village"))
    result = solved(inst)
    second = with_moves(
        result, moved(result)["english_due"].model_copy(update={"to_school": "village"})
    )
    report = validate(inst, second)
    assert report.objectives["roster"].terms["preference_steps"] == 1
    step = report.objectives["roster"].value - result.parts["roster"].objective
    assert step == inst.policy.weights.roster_preference


def _short_of_room():  # type: ignore[no-untyped-def]
    """Every due teacher must move (rate 1.0): city has three, but village takes one a
    semester for a semester; city2 (helping village2) has one and room for it."""
    inst = base(policy={"rotation": {"rate": 1.0, "host_capacity": 1, "max_periods": 1}})
    inst = with_schools(
        inst,
        school("city2", km=30, students=600),
        school("village2", tier="weak", area="rural", km=40, students=200),
        needs=[*inst.needs, need("village2", "英语", shortage=1), need("city2", "英语", surplus=1)],
    )
    staff = [
        teacher("en2_due", "city2", "英语", years_at_school=8),
        teacher("en2_new", "city2", "英语", years_at_school=1),
        *(teacher(f"city2_{i}", "city2", "语文") for i in range(8)),
        *(teacher(f"village2_{i}", "village2", "语文") for i in range(6)),
    ]
    pins = [pinned_pair("city", "village"), pinned_pair("city2", "village2")]
    return inst.model_copy(update={"staff": [*inst.staff, *staff], "fixed": pins})


def test_closest_plan_when_the_quota_cannot_be_met() -> None:
    inst = _short_of_room()
    result = solve(inst, "roster", time_limit=5)
    # Honest status; the plan that comes closest is written in full; the message and the
    # checker name the same school, city (city2 keeps its quota).
    assert quota_missed(inst, result) == {"city"}
    assert "city moves 2 of 3" in render(result.parts["roster"].message or "", "en")
    assert set(moved(result)) == {"english_due", "english_bb", "en2_due"}
    (v,) = found(inst, result.plan, "rotation.rate")
    assert v.amount == 1
    assert {v.rule for v in validate(inst, result.plan).violations} == {
        "plan.status",
        "rotation.rate",
    }
    kpis = result.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis) and kpis.quota_schools_below == 1
    # cap_quota: the planner accepts schools below their quota; each teacher short is
    # priced, the plan keeps every rule, and the summary lists city as held below.
    capped = with_rotation(inst, cap_quota=True)
    held = solve(capped, "roster", time_limit=5)
    assert held.status == "optimal" and validate(capped, held.plan).ok
    kpis = held.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis)
    assert {s: (c.by_rate, c.can_move) for s, c in kpis.quota_capped.items()} == {"city": (3, 2)}


def _backbone_far_away(stuck: bool):  # type: ignore[no-untyped-def]
    """Half the teachers moved out must be backbone (0.5); city's one backbone teacher can
    go only to far_village, 300 km away, at a high km price (200 a km). With ``stuck``, a
    school whose due art teacher has nowhere to go misses its quota whatever is done."""
    schools = [
        school("city"),
        school("village", tier="weak", area="rural", km=10),
        school("far_village", tier="weak", area="rural", km=300),
    ]
    staff = [
        teacher("english_due", "city", "英语", years_at_school=8),
        teacher("english_new", "city", "英语", years_at_school=1),
        teacher("bb", "city", "音乐", years_at_school=8, backbone="county"),
        teacher("music_new", "city", "音乐", years_at_school=1),
        *(teacher(f"city_{i}", "city", "语文") for i in range(16)),
        *(teacher(f"village_{i}", "village", "语文") for i in range(4)),
        *(teacher(f"far_{i}", "far_village", "语文") for i in range(4)),
    ]
    if stuck:
        schools.append(school("stuck", km=5))
        staff += [
            teacher("art_due", "stuck", "美术", years_at_school=8),
            *(teacher(f"stuck_{i}", "stuck", "语文") for i in range(6)),
        ]
    needs = [
        need("village", "英语", shortage=1),
        need("far_village", "音乐", shortage=1),
        need("city", "英语", surplus=1),
        need("city", "音乐", surplus=1),
    ]
    policy = {
        "rotation": {"scope": "county", "two_way": False, "backbone_share": 0.5},
        "weights": {"roster_km": 200},
    }
    return county(schools, staff=staff, needs=needs, policy=policy)


def test_closest_plan_keeps_the_county_wide_rules_it_can() -> None:
    kept = solved(_backbone_far_away(stuck=False))
    assert set(moved(kept)) == {"english_due", "bb"}
    inst = _backbone_far_away(stuck=True)
    result = solve(inst, "roster", time_limit=5)
    assert quota_missed(inst, result) == {"stuck"}
    assert "cannot be kept together" not in render(result.parts["roster"].message or "", "en")
    assert rules(inst, result.plan) == {"plan.status", "rotation.rate"}


# ---- priorities and objective -----------------------------------------------------------------


def test_rural_priority_teacher_chosen_first() -> None:
    extra = [
        teacher("english_rural_exp", "city", "英语", years_at_school=8, rural_years=10),
        teacher("english_no_rural", "city", "英语", years_at_school=8, rural_years=0),
    ]
    inst = base(
        extra,
        policy={
            "rotation": {
                "host_capacity": 1,
                "max_periods": 2,
                "min_periods": 2,
                "backbone_share": 0.0,
            }
        },
    )
    inst = without(inst, "english_due", "english_bb", "music_due")
    result = solved(inst)
    assert "english_no_rural" in moved(result)
    assert "english_rural_exp" not in moved(result)


def test_stated_roster_objective_must_match() -> None:
    inst = base()
    result = solved(inst)
    tampered = result.plan.model_copy(update={"objective": result.plan.objective + 7})
    assert "plan.objective" in rules(inst, tampered)
    assert (
        validate(inst, result.plan).objectives["roster"].value == result.parts["roster"].objective
    )


def test_checker_recomputes_the_kpis() -> None:
    extra = [teacher("bb_city", "city", "英语", backbone="province", years_at_school=2)]
    inst = base(extra, policy={"rotation": {"two_way": True, "two_way_share": 0.2}})
    result = solved(inst)
    mine = validate(inst, result.plan).kpis["roster"].model_dump()
    theirs = result.parts["roster"].kpis.model_dump()
    for key, value in mine.items():
        assert theirs[key] == value, key
