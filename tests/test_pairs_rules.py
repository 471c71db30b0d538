"""Each pair rule: a tiny feasible case and a tiny infeasible case.

Feasible: the solver honours the rule and the checker accepts the plan.
Infeasible: the rule makes a pairing impossible, the solver says so (unpaired with its
reason, or status infeasible), and a hand-made plan that breaks the rule is caught by the
checker under the rule's name.
"""

from __future__ import annotations

from solver import solve, validate
from solver.plan import Pair, Plan
from tests.conftest import county, need, past_pair, pinned_pair, school, teacher


def plan_of(inst, pairs: list[tuple[str, str]]) -> Plan:  # type: ignore[no-untyped-def]
    """A hand-made plan with the given pairs (figures left at zero)."""
    return Plan(
        instance=inst.name,
        parts=["pairs"],
        status="feasible",
        objective=0,
        pairs=[
            Pair(helper=h, helped=w, distance_km=0, complementarity=0, why="") for h, w in pairs
        ],
    )


def rules(report) -> set[str]:  # type: ignore[no-untyped-def]
    return {v.rule for v in report.violations}


def solved(inst):  # type: ignore[no-untyped-def]
    result = solve(inst, "pairs", time_limit=10)
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    return result


def paired(result) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(p.helper, p.helped) for p in result.plan.pairs}


def reasons(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {u.school: u.reason for u in result.plan.unpaired}


# ---- twinning.max_helped: a helper supports at most its capacity ----------------------------


def test_capacity_feasible_two_weak_schools_share_one_helper() -> None:
    inst = county(
        [
            school("strong_a"),
            school("weak_b", tier="weak", km=2),
            school("weak_c", tier="weak", km=3),
        ]
    )
    result = solved(inst)
    assert paired(result) == {("strong_a", "weak_b"), ("strong_a", "weak_c")}
    assert result.status == "optimal"


def test_capacity_infeasible_third_weak_school_left_with_reason() -> None:
    inst = county([school("strong_a"), *(school(f"weak_{i}", tier="weak", km=i) for i in range(3))])
    result = solved(inst)
    assert len(result.plan.pairs) == 2
    assert list(reasons(result).values()) == ["capacity_used"]
    bad = plan_of(inst, [("strong_a", f"weak_{i}") for i in range(3)])
    assert "twinning.max_helped" in rules(validate(inst, bad))


def test_capacity_from_school_overrides_policy() -> None:
    inst = county(
        [
            school("strong_a", helper_capacity=1),
            school("weak_b", tier="weak", km=1),
            school("weak_c", tier="weak", km=2),
        ]
    )
    assert len(solved(inst).plan.pairs) == 1


def test_pinned_pairs_beyond_capacity_are_infeasible() -> None:
    inst = county(
        [
            school("strong_a", helper_capacity=1),
            school("weak_b", tier="weak"),
            school("weak_c", tier="weak"),
        ],
        fixed=[pinned_pair("strong_a", "weak_b"), pinned_pair("strong_a", "weak_c")],
    )
    result = solve(inst, "pairs")
    assert result.status == "infeasible"
    assert "twinning.max_helped" in result.parts["pairs"].message


# ---- twinning.helped_once / helper / helped -----------------------------------------------


def test_helped_once_violation_caught() -> None:
    inst = county([school("strong_a"), school("strong_b", km=1), school("weak_c", tier="weak")])
    assert len(solved(inst).plan.pairs) == 1
    bad = plan_of(inst, [("strong_a", "weak_c"), ("strong_b", "weak_c")])
    assert "twinning.helped_once" in rules(validate(inst, bad))


def test_only_helpers_help_and_only_weak_schools_are_helped() -> None:
    inst = county(
        [school("strong_a"), school("ordinary_b", tier="ordinary"), school("weak_c", tier="weak")]
    )
    assert paired(solved(inst)) == {("strong_a", "weak_c")}
    bad = plan_of(inst, [("ordinary_b", "weak_c"), ("strong_a", "ordinary_b")])
    assert {"twinning.helper", "twinning.helped"} <= rules(validate(inst, bad))


# ---- twinning.same_stage -----------------------------------------------------------------


def test_same_stage_feasible_nine_year_helper_covers_junior() -> None:
    inst = county(
        [
            school("nine_year_a", stage="nine_year"),
            school("weak_junior", stage="junior", tier="weak", km=5),
        ]
    )
    assert paired(solved(inst)) == {("nine_year_a", "weak_junior")}


def test_same_stage_infeasible_kindergarten_has_no_primary_helper() -> None:
    inst = county(
        [
            school("strong_primary"),
            school("weak_kindergarten", stage="kindergarten", tier="weak", km=1),
        ]
    )
    result = solved(inst)
    assert result.plan.pairs == []
    assert reasons(result) == {"weak_kindergarten": "no_helper_for_stage"}
    bad = plan_of(inst, [("strong_primary", "weak_kindergarten")])
    assert "twinning.same_stage" in rules(validate(inst, bad))


def test_same_stage_off_allows_any_stage() -> None:
    inst = county(
        [
            school("strong_primary"),
            school("weak_kindergarten", stage="kindergarten", tier="weak", km=1),
        ],
        policy={"twinning": {"same_stage": False}},
    )
    assert len(solved(inst).plan.pairs) == 1


# ---- twinning.max_km ---------------------------------------------------------------------


def test_max_km_feasible_within_limit() -> None:
    inst = county(
        [school("strong_a"), school("weak_b", tier="weak", km=8)],
        policy={"twinning": {"max_km": 10}},
    )
    assert len(solved(inst).plan.pairs) == 1


def test_max_km_infeasible_too_far() -> None:
    inst = county(
        [school("strong_a"), school("weak_b", tier="weak", km=30)],
        policy={"twinning": {"max_km": 10}},
    )
    result = solved(inst)
    assert reasons(result) == {"weak_b": "too_far"}
    report = validate(inst, plan_of(inst, [("strong_a", "weak_b")]))
    violation = next(v for v in report.violations if v.rule == "twinning.max_km")
    assert violation.amount is not None and 19 < violation.amount < 21


# ---- twinning.avoid_repeat_cycles --------------------------------------------------------


def test_repeat_of_last_cycle_avoided() -> None:
    inst = county(
        [school("strong_a"), school("strong_b", km=20), school("weak_c", tier="weak", km=1)],
        history=[past_pair("strong_a", "weak_c")],
    )
    assert paired(solved(inst)) == {("strong_b", "weak_c")}


def test_repeat_infeasible_when_only_last_cycles_helper() -> None:
    inst = county(
        [school("strong_a"), school("weak_c", tier="weak", km=1)],
        history=[
            past_pair("strong_a", "weak_c", "2022-2023"),
            past_pair("strong_a", "weak_c", "2024-2025"),
        ],
    )
    result = solved(inst)
    assert reasons(result) == {"weak_c": "repeat_only"}
    bad = plan_of(inst, [("strong_a", "weak_c")])
    assert "twinning.avoid_repeat_cycles" in rules(validate(inst, bad))


def test_pair_older_than_the_window_may_repeat() -> None:
    inst = county(
        [
            school("strong_a"),
            school("weak_c", tier="weak"),
            school("weak_d", tier="weak", stage="junior"),
        ],
        history=[
            past_pair("strong_a", "weak_c", "2022-2023"),
            past_pair("strong_a", "weak_d", "2024-2025"),
        ],
    )
    assert paired(solved(inst)) == {("strong_a", "weak_c")}
    two = inst.model_copy(
        update={
            "policy": inst.policy.model_copy(
                update={
                    "twinning": inst.policy.twinning.model_copy(update={"avoid_repeat_cycles": 2})
                }
            )
        }
    )
    assert solved(two).plan.pairs == []


# ---- fixed pairs --------------------------------------------------------------------------


def test_pinned_pair_kept_even_across_stages() -> None:
    inst = county(
        [
            school("strong_a"),
            school("weak_junior", stage="junior", tier="weak"),
            school("weak_b", tier="weak", km=1),
        ],
        fixed=[pinned_pair("strong_a", "weak_junior")],
    )
    result = solved(inst)
    assert ("strong_a", "weak_junior") in paired(result)
    assert any(p.fixed for p in result.plan.pairs)


def test_missing_pinned_pair_caught() -> None:
    inst = county(
        [school("strong_a"), school("weak_b", tier="weak")],
        fixed=[pinned_pair("strong_a", "weak_b")],
    )
    assert "twinning.fixed" in rules(validate(inst, plan_of(inst, [])))


# ---- twinning.min_helped -------------------------------------------------------------------


def test_min_helped_spreads_weak_schools_over_helpers() -> None:
    # Both weak schools are nearest to strong_a, but each helper takes one first.
    inst = county(
        [
            school("strong_a"),
            school("strong_b", km=10),
            school("weak_c", tier="weak", km=1),
            school("weak_d", tier="weak", km=2),
        ]
    )
    result = solved(inst)
    assert {h for h, _ in paired(result)} == {"strong_a", "strong_b"}
    assert result.parts["pairs"].terms["min_places_empty"] == 0


def test_min_helped_where_it_cannot_is_no_violation() -> None:
    inst = county([school("strong_a"), school("strong_b", km=10), school("weak_c", tier="weak")])
    result = solved(inst)
    assert result.parts["pairs"].terms["min_places_empty"] == 1
    # Leaving weak_c unpaired while a helper has no school at all breaks the rule.
    assert "twinning.min_helped" in rules(validate(inst, plan_of(inst, [])))


def test_unpaired_school_with_free_compatible_helper_caught() -> None:
    inst = county(
        [school("strong_a"), school("weak_b", tier="weak"), school("weak_c", tier="weak")]
    )
    report = validate(inst, plan_of(inst, [("strong_a", "weak_b")]))
    assert "twinning.cover" in rules(report)


# ---- twinning.max_helped_students_ratio (side constraint: CP-SAT) ---------------------------


def test_students_ratio_feasible() -> None:
    inst = county(
        [
            school("strong_a", students=1000),
            school("weak_b", tier="weak", students=300),
            school("weak_c", tier="weak", students=300),
        ],
        policy={"twinning": {"max_helped_students_ratio": 0.6}},
    )
    result = solved(inst)
    assert len(result.plan.pairs) == 2
    assert "not binding" in result.parts["pairs"].method


def test_students_ratio_infeasible_second_school_too_big() -> None:
    inst = county(
        [
            school("strong_a", students=1000),
            school("weak_b", tier="weak", students=400),
            school("weak_c", tier="weak", students=300),
        ],
        policy={"twinning": {"max_helped_students_ratio": 0.6}},
    )
    result = solved(inst)
    assert len(result.plan.pairs) == 1
    assert "CP-SAT" in result.parts["pairs"].method
    assert list(reasons(result).values()) == ["side_constraint"]
    bad = plan_of(inst, [("strong_a", "weak_b"), ("strong_a", "weak_c")])
    assert "twinning.max_helped_students_ratio" in rules(validate(inst, bad))


# ---- objective: complementarity before distance -------------------------------------------


def test_complementarity_beats_a_little_distance() -> None:
    # weak_c lacks English; strong_far has English backbone teachers, strong_near has none.
    inst = county(
        [
            school("strong_near", km=1, helper_capacity=1),
            school("strong_far", km=5, helper_capacity=1),
            school("weak_c", tier="weak"),
            school("weak_d", tier="weak", km=1),
        ],
        staff=[
            teacher("t1", "strong_far", "英语", backbone="county"),
            teacher("t2", "strong_far", "英语", backbone="city"),
        ],
        needs=[need("weak_c", "英语", shortage=2)],
    )
    result = solved(inst)
    assert ("strong_far", "weak_c") in paired(result)
    pair = next(p for p in result.plan.pairs if p.helped == "weak_c")
    assert pair.complementarity == 2 * 2  # 2 teachers short x priority weight 2
    assert "英语" in pair.why


def test_distance_breaks_ties() -> None:
    inst = county(
        [
            school("strong_near", km=1, helper_capacity=1),
            school("strong_far", km=9, helper_capacity=1),
            school("weak_c", tier="weak"),
        ],
        policy={"twinning": {"min_helped": 0}},
    )
    assert paired(solved(inst)) == {("strong_near", "weak_c")}


def test_stated_objective_must_match() -> None:
    inst = county([school("strong_a"), school("weak_b", tier="weak", km=1)])
    result = solved(inst)
    tampered = result.plan.model_copy(update={"objective": result.plan.objective + 1})
    assert "plan.objective" in rules(validate(inst, tampered))
    wrong_km = result.plan.model_copy(
        update={"pairs": [result.plan.pairs[0].model_copy(update={"distance_km": 50.0})]}
    )
    assert "plan.pair_figures" in rules(validate(inst, wrong_km))
