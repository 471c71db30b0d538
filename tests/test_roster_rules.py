"""Each roster rule: a tiny feasible case and a tiny infeasible case.

The county: ``city`` (urban, strong) helps ``village`` (rural, weak), which lacks English
and music teachers. Scope ``pair``, so teachers move between the two.
"""

from __future__ import annotations

from typing import Any

from solver import solve, validate
from solver.county.instance import Fixed, HistoryEntry
from solver.plan import Move
from tests.conftest import county, need, school, teacher


def base(staff_extra: list[Any] | None = None, policy: dict[str, Any] | None = None, **kw: Any):  # type: ignore[no-untyped-def]
    rotation = {"scope": "pair", "two_way": False, **(policy or {}).pop("rotation", {})}
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
    needs = [need("village", "英语", shortage=2), need("village", "音乐", shortage=1)]
    return county(
        schools, staff=staff, needs=needs, policy={"rotation": rotation, **(policy or {})}, **kw
    )


def solved(inst):  # type: ignore[no-untyped-def]
    result = solve(inst, "roster", time_limit=30)
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
        "first_period": "2025-2026-1",
        "periods": 1,
        "direction": "out",
        "kind": "exchange",
        **kw,
    }
    return Move(staff=staff, from_school=frm, to_school=to, **values)


# ---- eligibility: due, status, age, last cycle -----------------------------------------------


def test_due_teachers_move_to_fill_shortages() -> None:
    result = solved(base())
    assert {"english_due", "music_due"} <= set(moved(result))
    assert all(m.to_school == "village" and m.direction == "out" for m in moved(result).values())
    assert "music_2" not in moved(result)  # not due


def test_not_due_exempt_deferred_and_last_cycle_never_move() -> None:
    extra = [
        teacher("old", "city", "英语", years_at_school=20, age=58, gender="M"),
        teacher("deferred", "city", "英语", years_at_school=10, status="deferred"),
        teacher("recent", "city", "英语", years_at_school=10),
    ]
    history = [
        HistoryEntry(
            kind="exchange", period="2024", staff="recent", from_school="city", to_school="village"
        )
    ]
    inst = base(extra, history=history)
    result = solved(inst)
    assert not {"old", "deferred", "recent", "music_2"} & set(moved(result))
    bad = with_moves(
        result,
        move("old"),
        move("deferred", first_period="2025-2026-2"),
        move("recent"),
        move("music_2", subject="音乐"),
    )
    found = rules(inst, bad)
    assert {
        "rotation.exempt_age",
        "staff.status",
        "rotation.last_cycle",
        "rotation.due_years",
    } <= found


# ---- quota and backbone share -----------------------------------------------------------------


def test_quota_met_and_checked() -> None:
    inst = base(policy={"rotation": {"rate": 1.0}})
    result = solved(inst)
    assert len(moved(result)) >= 3  # every due teacher (quota 100% of 3)
    empty = result.plan.model_copy(update={"roster": []})
    assert "rotation.rate" in rules(inst, empty)


def test_quota_infeasible_when_village_can_take_no_one() -> None:
    inst = base(policy={"rotation": {"rate": 1.0, "host_capacity": 0}})
    result = solve(inst, "roster")
    assert result.status == "infeasible"


def test_backbone_share_feasible_and_infeasible() -> None:
    inst = base(policy={"rotation": {"backbone_share": 0.5, "rate": 0.1}})
    result = solved(inst)
    outs = [m for m in moved(result).values() if m.direction == "out"]
    assert outs and sum(m.staff == "english_bb" for m in outs) * 2 >= len(outs)
    no_bb = base(policy={"rotation": {"backbone_share": 0.5, "rate": 1.0}})
    no_bb = no_bb.model_copy(update={"staff": [t for t in no_bb.staff if t.id != "english_bb"]})
    assert solve(no_bb, "roster").status == "infeasible"
    bad = with_moves(result, move("english_due"), move("music_due", subject="音乐"))
    assert "rotation.backbone_share" in rules(inst, bad)


# ---- needs -------------------------------------------------------------------------------------


def test_needs_covered_and_unmet_reported() -> None:
    result = solved(base())
    unmet = {(u.school, u.subject) for u in result.plan.unmet_needs}
    assert ("village", "英语") in unmet  # two short, one due English teacher
    assert result.parts["roster"].kpis.needs_covered_share > 0


def test_move_without_a_shortage_is_caught() -> None:
    extra = [teacher("chinese_due", "city", "语文", years_at_school=9)]
    inst = base(extra)
    result = solved(inst)
    assert "chinese_due" not in moved(result)
    bad = with_moves(result, move("chinese_due", subject="语文"))
    assert "needs.shortage" in rules(inst, bad)


# ---- outflow, subject cover, host capacity -----------------------------------------------------


def test_outflow_limit() -> None:
    inst = base(policy={"rotation": {"max_outflow_share": 0.05}})  # 20 staff -> 1 away
    result = solved(inst)
    per_period: dict[str, int] = {}
    for m in moved(result).values():
        per_period[m.first_period] = per_period.get(m.first_period, 0) + m.periods
    assert all(n <= 1 for n in per_period.values()) or len(moved(result)) <= 1
    bad = with_moves(result, move("english_due"), move("music_due", subject="音乐"))
    assert "rotation.max_outflow_share" in rules(inst, bad)


def test_subject_cover_keeps_the_last_music_teacher() -> None:
    staff = [teacher("music_only", "city", "音乐", years_at_school=9)]
    inst = base(staff)
    inst = inst.model_copy(
        update={"staff": [t for t in inst.staff if t.id not in ("music_due", "music_2")]}
    )
    result = solved(inst)
    assert "music_only" not in moved(result)
    bad = with_moves(result, move("music_only", subject="音乐"))
    assert "rotation.keep_subject_cover" in rules(inst, bad)


def test_host_capacity() -> None:
    inst = base(policy={"rotation": {"host_capacity": 1, "max_periods": 1}})
    result = solved(inst)
    by_period: dict[str, int] = {}
    for m in moved(result).values():
        by_period[m.first_period] = by_period.get(m.first_period, 0) + 1
    assert max(by_period.values()) == 1
    bad = with_moves(result, move("english_due"), move("music_due", subject="音乐"))
    assert "rotation.host_capacity" in rules(inst, bad)


# ---- scope, distance and durations ----------------------------------------------------------


def test_scope_and_max_km() -> None:
    inst = base([], policy={"rotation": {"max_km": 50}})
    # "far" is a junior school: not paired with city, so outside the pair scope.
    inst = inst.model_copy(
        update={
            "schools": [
                *inst.schools,
                school("far", stage="junior", tier="weak", area="rural", km=80, students=100),
            ]
        }
    )
    result = solved(inst)
    assert all(m.to_school == "village" for m in moved(result).values())
    bad = with_moves(result, move("english_due", to="far"))
    found = rules(inst, bad)
    assert "rotation.max_km" in found and "rotation.scope" in found


def test_durations_within_min_max_and_horizon() -> None:
    inst = base(policy={"rotation": {"min_periods": 2, "max_periods": 2}})
    result = solved(inst)
    assert all(m.periods == 2 for m in moved(result).values())
    bad = with_moves(result, move("english_due", periods=1))
    assert "rotation.min_periods" in rules(inst, bad)
    late = with_moves(result, move("english_due", first_period="2025-2026-2", periods=2))
    assert "horizon.periods" in rules(inst, late)


# ---- two-way, secondment, pinned -------------------------------------------------------------


def test_two_way_learning_stints() -> None:
    inst = base(policy={"rotation": {"two_way": True, "two_way_share": 0.5}})
    result = solved(inst)
    ins = [m for m in moved(result).values() if m.direction == "in"]
    outs = [m for m in moved(result).values() if m.direction == "out"]
    assert ins and 2 * len(ins) >= len(outs)
    assert all(m.from_school == "village" and m.to_school == "city" for m in ins)
    bad = with_moves(result, *outs)
    assert "rotation.two_way_share" in rules(inst, bad)


def test_two_way_infeasible_without_village_teachers() -> None:
    inst = base(policy={"rotation": {"two_way": True, "two_way_share": 0.5, "rate": 1.0}})
    inst = inst.model_copy(
        update={"staff": [t for t in inst.staff if not t.id.startswith("village_")]}
    )
    assert solve(inst, "roster").status == "infeasible"


def test_secondment_of_k_cadres() -> None:
    cadres = [
        teacher("cadre_v", "village", "语文", role="reserve_cadre", years_at_school=3),
        teacher("cadre_c", "city", "语文", role="middle_manager", years_at_school=3),
    ]
    inst = base(cadres, policy={"rotation": {"secondment_count": 1}})
    result = solved(inst)
    seconded = [m for m in result.plan.roster if m.kind == "secondment"]
    assert len(seconded) == 1 and seconded[0].periods == 1
    too_many = base(cadres, policy={"rotation": {"secondment_count": 3}})
    assert solve(too_many, "roster").status == "infeasible"
    bad = with_moves(result, *[m for m in result.plan.roster if m.kind == "exchange"])
    assert "rotation.secondment_count" in rules(inst, bad)


def test_pinned_move_kept() -> None:
    pin = Fixed(
        kind="exchange",
        staff="music_2",
        from_school="city",
        to_school="village",
        period="2025-2026-2",
    )
    inst = base(fixed=[pin])
    result = solved(inst)
    assert moved(result)["music_2"].first_period == "2025-2026-2"
    bad = with_moves(result, *[m for m in moved(result).values() if m.staff != "music_2"])
    assert "rotation.fixed" in rules(inst, bad)


# ---- mentors (青蓝结对) -------------------------------------------------------------------------


def test_mentor_pairs_one_to_one_same_subject() -> None:
    extra = [
        teacher("mentor_en", "city", "英语", backbone="city", years_at_school=3),
        teacher("young_en", "village", "英语", age=25, years_at_school=1),
        teacher("young_math", "village", "数学", age=24, years_at_school=1),
    ]
    inst = base(extra)
    result = solved(inst)
    pairs = [(m.staff, m.mentee) for m in result.plan.roster if m.kind == "mentor"]
    assert len(pairs) == 1 and pairs[0][1] == "young_en"  # one young English teacher
    assert pairs[0][0] in ("mentor_en", "english_bb")
    wrong = result.plan.model_copy(
        update={
            "roster": [
                m.model_copy(update={"mentee": "young_math"}) if m.kind == "mentor" else m
                for m in result.plan.roster
            ]
        }
    )
    found = rules(inst, wrong)
    assert "mentors.same_subject" in found and "mentors.maximal" in found


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
    inst = inst.model_copy(
        update={
            "staff": [
                t for t in inst.staff if t.id not in ("english_due", "english_bb", "music_due")
            ]
        }
    )
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
