"""Each pair rule: a tiny feasible case and a tiny infeasible case.

Naming convention: the two tests of a rule are named after its policy key K (the key in
brackets that starts its checker's docstring, e.g. ``[twinning.max_km]``) with dots as
underscores: ``test_<K>_feasible`` (the solver honours the rule where it matters, the plan
shows it at work, the checker accepts the plan) and ``test_<K>_infeasible`` (the rule
makes a pairing impossible and the solver says so: unpaired with its reason, or status
infeasible; and/or a hand-made plan that breaks the rule is caught by the checker under
``rule == K``). ``tests/test_rule_catalog.py`` checks that every rule has both; other
tests keep their own names.
"""

from __future__ import annotations

from tests.conftest import county, need, past_pair, pinned_pair, school, teacher
from twinning import solve, validate
from twinning.check.report import Violation
from twinning.messages import render
from twinning.plan import Pair, Plan


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


def found(inst, plan: Plan, rule: str) -> list[Violation]:  # type: ignore[no-untyped-def]
    """The checker's violations of one rule."""
    return [v for v in validate(inst, plan).violations if v.rule == rule]


def solved(inst):  # type: ignore[no-untyped-def]
    result = solve(inst, "pairs", time_limit=5)
    assert result.status in ("optimal", "feasible"), result.parts["pairs"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    return result


def paired(result) -> set[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return {(p.helper, p.helped) for p in result.plan.pairs}


def reasons(result) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {u.school: u.reason for u in result.plan.unpaired}


# ---- twinning.helper / helped --------------------------------------------------------------


def test_twinning_helper_feasible() -> None:
    # The ordinary school is nearer, but only schools with helper capacity help; an
    # ordinary school with its own helper_capacity does.
    inst = county(
        [
            school("ordinary_near", tier="ordinary", km=1),
            school("strong_far", km=20),
            school("weak_c", tier="weak"),
        ]
    )
    assert paired(solved(inst)) == {("strong_far", "weak_c")}
    willing = county(
        [
            school("ordinary_near", tier="ordinary", km=1, helper_capacity=1),
            school("weak_c", tier="weak"),
        ]
    )
    assert paired(solved(willing)) == {("ordinary_near", "weak_c")}


def test_twinning_helper_infeasible() -> None:
    inst = county([school("ordinary_b", tier="ordinary"), school("weak_c", tier="weak", km=1)])
    result = solved(inst)
    assert result.plan.pairs == []
    assert reasons(result) == {"weak_c": "no_helper_for_stage"}
    (v,) = found(inst, plan_of(inst, [("ordinary_b", "weak_c")]), "twinning.helper")
    assert v.where == ["ordinary_b", "weak_c"]


def test_twinning_helped_feasible() -> None:
    inst = county(
        [school("strong_a"), school("ordinary_b", tier="ordinary"), school("weak_c", tier="weak")]
    )
    result = solved(inst)
    assert paired(result) == {("strong_a", "weak_c")}  # the ordinary school is not helped
    assert result.plan.unpaired == []


def test_twinning_helped_infeasible() -> None:
    inst = county(
        [school("strong_a"), school("ordinary_b", tier="ordinary"), school("weak_c", tier="weak")]
    )
    bad = plan_of(inst, [("ordinary_b", "weak_c"), ("strong_a", "ordinary_b")])
    assert {"twinning.helper", "twinning.helped"} <= rules(validate(inst, bad))
    (v,) = found(inst, bad, "twinning.helped")
    assert v.where == ["strong_a", "ordinary_b"]


# ---- twinning.same_stage -----------------------------------------------------------------


def test_twinning_same_stage_feasible() -> None:
    # The primary helper is nearer, but only the nine-year school covers the junior stage.
    inst = county(
        [
            school("strong_primary", km=4),
            school("nine_year_a", stage="nine_year"),
            school("weak_junior", stage="junior", tier="weak", km=5),
        ],
        policy={"twinning": {"min_helped": 0}},
    )
    assert paired(solved(inst)) == {("nine_year_a", "weak_junior")}


def test_twinning_same_stage_infeasible() -> None:
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
    (v,) = found(inst, bad, "twinning.same_stage")
    assert v.where == ["strong_primary", "weak_kindergarten"]


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


def test_twinning_max_km_feasible() -> None:
    inst = county(
        [school("strong_a"), school("weak_b", tier="weak", km=8)],
        policy={"twinning": {"max_km": 10}},
    )
    result = solved(inst)
    assert paired(result) == {("strong_a", "weak_b")}
    assert 7.9 < result.plan.pairs[0].distance_km < 8.1


def test_twinning_max_km_infeasible() -> None:
    inst = county(
        [school("strong_a"), school("weak_b", tier="weak", km=30)],
        policy={"twinning": {"max_km": 10}},
    )
    result = solved(inst)
    assert reasons(result) == {"weak_b": "too_far"}
    (v,) = found(inst, plan_of(inst, [("strong_a", "weak_b")]), "twinning.max_km")
    assert v.where == ["strong_a", "weak_b"]
    assert v.amount is not None and 19 < v.amount < 21


# ---- twinning.avoid_repeat_cycles --------------------------------------------------------


def test_twinning_avoid_repeat_cycles_feasible() -> None:
    # strong_a is nearer, but helped weak_c last cycle: strong_b takes it.
    inst = county(
        [school("strong_a"), school("strong_b", km=20), school("weak_c", tier="weak", km=1)],
        history=[past_pair("strong_a", "weak_c")],
    )
    assert paired(solved(inst)) == {("strong_b", "weak_c")}


def test_twinning_avoid_repeat_cycles_infeasible() -> None:
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
    (v,) = found(inst, bad, "twinning.avoid_repeat_cycles")
    assert v.where == ["strong_a", "weak_c"]


def test_twinning_vetoed_feasible() -> None:
    # strong_a is nearer, but the bureau ruled the pair out: strong_b takes weak_c.
    inst = county(
        [school("strong_a"), school("strong_b", km=20), school("weak_c", tier="weak", km=1)],
        policy={"twinning": {"vetoed": [["strong_a", "weak_c"]]}},
    )
    assert paired(solved(inst)) == {("strong_b", "weak_c")}


def test_twinning_vetoed_infeasible() -> None:
    inst = county(
        [school("strong_a"), school("weak_c", tier="weak", km=1)],
        policy={"twinning": {"vetoed": [["strong_a", "weak_c"]]}},
    )
    assert reasons(solved(inst)) == {"weak_c": "repeat_only"}
    bad = plan_of(inst, [("strong_a", "weak_c")])
    (v,) = found(inst, bad, "twinning.vetoed")
    assert v.where == ["strong_a", "weak_c"]


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


# ---- twinning.helped_once ------------------------------------------------------------------


def test_twinning_helped_once_feasible() -> None:
    # Two helpers with free places, one weak school: it gets one helper, the nearer.
    inst = county([school("strong_a"), school("strong_b", km=1), school("weak_c", tier="weak")])
    result = solved(inst)
    assert paired(result) == {("strong_a", "weak_c")}


def test_twinning_helped_once_infeasible() -> None:
    inst = county([school("strong_a"), school("strong_b", km=1), school("weak_c", tier="weak")])
    bad = plan_of(inst, [("strong_a", "weak_c"), ("strong_b", "weak_c")])
    (v,) = found(inst, bad, "twinning.helped_once")
    assert v.where == ["weak_c", "strong_a", "strong_b"] and v.amount == 1
    pinned = county(
        [school("strong_a"), school("strong_b", km=1), school("weak_c", tier="weak")],
        fixed=[pinned_pair("strong_a", "weak_c"), pinned_pair("strong_b", "weak_c")],
    )
    result = solve(pinned, "pairs", time_limit=5)
    assert result.status == "infeasible"
    assert "twinning.helped_once" in render(result.parts["pairs"].message or "", "en")


# ---- twinning.max_helped: a helper supports at most its capacity ----------------------------


def test_twinning_max_helped_feasible() -> None:
    # Three weak schools all nearest to strong_a (capacity 2): the third goes to strong_b.
    inst = county(
        [
            school("strong_a"),
            school("strong_b", km=20),
            *(school(f"weak_{i}", tier="weak", km=1 + i) for i in range(3)),
        ],
        policy={"twinning": {"min_helped": 0}},
    )
    assert paired(solved(inst)) == {
        ("strong_a", "weak_0"),
        ("strong_a", "weak_1"),
        ("strong_b", "weak_2"),
    }


def test_twinning_max_helped_infeasible() -> None:
    inst = county([school("strong_a"), *(school(f"weak_{i}", tier="weak", km=i) for i in range(3))])
    result = solved(inst)
    assert len(result.plan.pairs) == 2
    assert list(reasons(result).values()) == ["capacity_used"]
    bad = plan_of(inst, [("strong_a", f"weak_{i}") for i in range(3)])
    (v,) = found(inst, bad, "twinning.max_helped")
    assert v.where == ["strong_a"] and v.amount == 1


def test_capacity_two_weak_schools_share_one_helper() -> None:
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
    result = solve(inst, "pairs", time_limit=5)
    assert result.status == "infeasible"
    assert "twinning.max_helped" in render(result.parts["pairs"].message or "", "en")


# ---- twinning.max_helped_students_ratio (side constraint: CP-SAT) ---------------------------


def test_twinning_max_helped_students_ratio_feasible() -> None:
    inst = county(
        [
            school("strong_a", students=1000),
            school("weak_b", tier="weak", students=300),
            school("weak_c", tier="weak", students=300),
        ],
        policy={"twinning": {"max_helped_students_ratio": 0.6}},
    )
    result = solved(inst)
    assert len(result.plan.pairs) == 2  # 600 students helped, limit 600
    assert "not binding" in render(result.parts["pairs"].method or "", "en")


def test_twinning_max_helped_students_ratio_infeasible() -> None:
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
    assert "CP-SAT" in render(result.parts["pairs"].method or "", "en")
    assert list(reasons(result).values()) == ["side_constraint"]
    bad = plan_of(inst, [("strong_a", "weak_b"), ("strong_a", "weak_c")])
    (v,) = found(inst, bad, "twinning.max_helped_students_ratio")
    assert v.where == ["strong_a"] and v.amount == 100  # 700 students, limit 600


# ---- twinning.fixed ------------------------------------------------------------------------


def test_twinning_fixed_feasible() -> None:
    # The pin is kept even across stages.
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
    assert [p.helped for p in result.plan.pairs if p.fixed] == ["weak_junior"]


def test_twinning_fixed_infeasible() -> None:
    inst = county(
        [school("strong_a"), school("weak_b", tier="weak")],
        fixed=[pinned_pair("strong_a", "weak_b")],
    )
    (v,) = found(inst, plan_of(inst, []), "twinning.fixed")
    assert v.where == ["strong_a", "weak_b"]
    two = county(
        [school("strong_a"), school("strong_b", km=1), school("weak_b", tier="weak")],
        fixed=[pinned_pair("strong_a", "weak_b")],
    )
    assert "twinning.fixed" in rules(validate(two, plan_of(two, [("strong_b", "weak_b")])))


# ---- twinning.cover / min_helped -------------------------------------------------------------


def test_twinning_cover_feasible() -> None:
    # Pairing comes first: the far weak school is paired too, however far.
    inst = county(
        [
            school("strong_a"),
            school("weak_near", tier="weak", km=1),
            school("weak_far", tier="weak", km=60),
        ]
    )
    result = solved(inst)
    assert paired(result) == {("strong_a", "weak_near"), ("strong_a", "weak_far")}
    assert result.plan.unpaired == []


def test_twinning_cover_infeasible() -> None:
    inst = county(
        [school("strong_a"), school("weak_b", tier="weak"), school("weak_c", tier="weak")]
    )
    report = validate(inst, plan_of(inst, [("strong_a", "weak_b")]))
    (v,) = [v for v in report.violations if v.rule == "twinning.cover"]
    assert v.where == ["weak_c", "strong_a"]
    # Where no helper has a free place, an unpaired school breaks no rule.
    full = county(
        [
            school("strong_a", helper_capacity=1),
            school("weak_b", tier="weak"),
            school("weak_c", tier="weak"),
        ]
    )
    result = solved(full)
    assert list(reasons(result).values()) == ["capacity_used"]


def test_twinning_min_helped_feasible() -> None:
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


def test_twinning_min_helped_infeasible() -> None:
    # Two helpers, one weak school: one helper's minimum cannot be met (no violation).
    inst = county([school("strong_a"), school("strong_b", km=10), school("weak_c", tier="weak")])
    result = solved(inst)
    assert result.parts["pairs"].terms["min_places_empty"] == 1
    # Leaving weak_c unpaired while a helper has no school at all breaks the rule.
    (v,) = found(inst, plan_of(inst, []), "twinning.min_helped")
    assert v.where[0] == "weak_c" and v.where[1] in ("strong_a", "strong_b")


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
    assert "英语" in render(pair.why, "en")


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
