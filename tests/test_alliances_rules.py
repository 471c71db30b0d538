"""Each alliance rule: a tiny feasible case and a tiny infeasible case."""

from __future__ import annotations

import pytest

from solver import solve, validate
from solver.county.instance import Fixed, HistoryEntry
from solver.models.alliances import solve_alliances
from solver.models.search import SearchSettings
from solver.plan import Membership, Plan
from tests.conftest import county, school, teacher


def rules(report) -> set[str]:  # type: ignore[no-untyped-def]
    return {v.rule for v in report.violations}


def groups_of(result) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, set[str]] = {}
    for m in result.plan.alliances:
        out.setdefault(m.lead, set()).add(m.member)
    return out


def solved(inst):  # type: ignore[no-untyped-def]
    result = solve(inst, "alliances", time_limit=20)
    assert result.status == "optimal", result.parts["alliances"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    return result


def plan_of(inst, groups: dict[str, list[str]]) -> Plan:  # type: ignore[no-untyped-def]
    rows = [
        Membership(alliance=f"A{k}", lead=lead, member=m, distance_km=0)
        for k, (lead, ms) in enumerate(groups.items())
        for m in ms
    ]
    return Plan(
        instance=inst.name, parts=["alliances"], status="feasible", objective=0, alliances=rows
    )


def line(*names: str, gap: float = 1.0):  # type: ignore[no-untyped-def]
    return [
        school(n, km=k * gap, tier="strong" if n.startswith("lead") else "ordinary")
        for k, n in enumerate(names)
    ]


# ---- alliances.groups and nearest lead --------------------------------------------------


def test_two_alliances_each_school_joins_its_nearest_lead() -> None:
    inst = county(line("lead_a", "near_a", "near_b", "lead_b"), policy={"alliances": {"groups": 2}})
    result = solved(inst)
    assert groups_of(result) == {"lead_a": {"lead_a", "near_a"}, "lead_b": {"lead_b", "near_b"}}
    lead_row = next(m for m in result.plan.alliances if m.member == "lead_a")
    assert lead_row.lead == "lead_a" and lead_row.distance_km == 0  # lead listed in its own


def test_more_groups_than_possible_leads_is_infeasible() -> None:
    inst = county(line("lead_a", "b", "c"), policy={"alliances": {"groups": 2}})
    result = solve(inst, "alliances")
    assert result.status == "infeasible"
    bad = plan_of(inst, {"lead_a": ["lead_a", "b"], "c": ["c"]})
    assert {"alliances.can_lead"} <= rules(validate(inst, bad))


def test_missing_group_count_is_a_usage_error() -> None:
    inst = county(line("lead_a", "b"))
    with pytest.raises(ValueError, match=r"alliances\.groups"):
        solve(inst, "alliances")


def test_cover_and_lead_in_own_alliance_checked() -> None:
    inst = county(line("lead_a", "b", "c"), policy={"alliances": {"groups": 1}})
    solved(inst)
    bad = plan_of(inst, {"lead_a": ["b"]})
    assert {"alliances.cover", "alliances.lead_in_own"} <= rules(validate(inst, bad))
    twice = plan_of(inst, {"lead_a": ["lead_a", "b", "c", "c"]})
    assert "alliances.cover" in rules(validate(inst, twice))


# ---- alliances.leads ---------------------------------------------------------------------


def test_fixed_leads_are_used_even_if_not_strong() -> None:
    inst = county(line("lead_a", "b", "c", "d"), policy={"alliances": {"leads": ["c"]}})
    result = solved(inst)
    assert set(groups_of(result)) == {"c"}


def test_more_fixed_leads_than_groups_is_refused() -> None:
    inst = county(
        line("lead_a", "b", "c"), policy={"alliances": {"leads": ["b", "c"], "groups": 1}}
    )
    with pytest.raises(ValueError, match=r"alliances\.groups"):
        solve(inst, "alliances")


# ---- alliances.min_size / max_size -------------------------------------------------------


def test_max_size_pushes_a_school_to_a_farther_lead() -> None:
    inst = county(
        line("lead_a", "x", "y", "lead_b"), policy={"alliances": {"groups": 2, "max_size": 2}}
    )
    result = solved(inst)
    assert all(len(ms) == 2 for ms in groups_of(result).values())
    assert "CP-SAT" in result.parts["alliances"].method


def test_sizes_that_cannot_fit_are_infeasible() -> None:
    inst = county(
        line("lead_a", "x", "y", "lead_b", "z"), policy={"alliances": {"groups": 2, "max_size": 2}}
    )
    assert solve(inst, "alliances").status == "infeasible"
    bad = plan_of(inst, {"lead_a": ["lead_a", "x", "y"], "lead_b": ["lead_b", "z"]})
    assert "alliances.max_size" in rules(validate(inst, bad))


def test_min_size_feasible_and_infeasible() -> None:
    inst = county(
        line("lead_a", "x", "y", "lead_b"), policy={"alliances": {"groups": 2, "min_size": 2}}
    )
    assert all(len(ms) >= 2 for ms in groups_of(solved(inst)).values())
    tight = county(
        line("lead_a", "x", "lead_b"), policy={"alliances": {"groups": 2, "min_size": 2}}
    )
    assert solve(tight, "alliances").status == "infeasible"
    bad = plan_of(tight, {"lead_a": ["lead_a", "x"], "lead_b": ["lead_b"]})
    assert "alliances.min_size" in rules(validate(tight, bad))


# ---- alliances.same_stage / within_region ------------------------------------------------


def test_same_stage_sends_junior_school_to_the_junior_lead() -> None:
    schools = [
        school("lead_primary"),
        school("junior_x", stage="junior", tier="ordinary", km=1),
        school("lead_junior", stage="junior", km=20),
    ]
    result = solved(county(schools, policy={"alliances": {"groups": 2}}))
    assert groups_of(result)["lead_junior"] == {"lead_junior", "junior_x"}


def test_same_stage_infeasible_without_a_lead_of_that_stage() -> None:
    schools = [school("lead_primary"), school("kg", stage="kindergarten", tier="ordinary")]
    inst = county(schools, policy={"alliances": {"groups": 1}})
    assert solve(inst, "alliances").status == "infeasible"
    off = county(schools, policy={"alliances": {"groups": 1, "same_stage": False}})
    solved(off)
    assert "alliances.same_stage" in rules(
        validate(inst, plan_of(inst, {"lead_primary": ["lead_primary", "kg"]}))
    )


def test_within_region_feasible_and_infeasible() -> None:
    schools = [
        school("lead_e", region="东"),
        school("x", tier="ordinary", region="西", km=1),
        school("lead_w", region="西", km=30),
    ]
    inst = county(schools, policy={"alliances": {"groups": 2, "within_region": True}})
    assert groups_of(solved(inst))["lead_w"] == {"lead_w", "x"}
    one = county(schools[:2], policy={"alliances": {"groups": 1, "within_region": True}})
    assert solve(one, "alliances").status == "infeasible"
    assert "alliances.within_region" in rules(
        validate(one, plan_of(one, {"lead_e": ["lead_e", "x"]}))
    )


# ---- pinned memberships and history ------------------------------------------------------


def test_pinned_membership_kept() -> None:
    inst = county(
        line("lead_a", "x", "y", "lead_b"),
        fixed=[Fixed(kind="alliance", from_school="lead_b", to_school="x")],
        policy={"alliances": {"groups": 2}},
    )
    result = solved(inst)
    assert "x" in groups_of(result)["lead_b"]
    bad = plan_of(inst, {"lead_a": ["lead_a", "x"], "lead_b": ["lead_b", "y"]})
    assert "alliances.fixed" in rules(validate(inst, bad))


def test_pinned_memberships_that_conflict_are_infeasible() -> None:
    inst = county(
        line("lead_a", "x", "lead_b"),
        fixed=[Fixed(kind="alliance", from_school="lead_b", to_school="x")],
        policy={"alliances": {"groups": 2, "max_size": 1}},
    )
    assert solve(inst, "alliances").status == "infeasible"


def test_history_weight_keeps_last_cycles_lead() -> None:
    history = [HistoryEntry(kind="alliance", period="2024", from_school="lead_b", to_school="x")]
    base = line("lead_a", "x", "lead_b", gap=1.0)
    near = county(base, history=history, policy={"alliances": {"groups": 2}})
    assert "x" in groups_of(solved(near))["lead_a"]
    keep = county(
        base,
        history=history,
        policy={"alliances": {"groups": 2}, "weights": {"alliance_history": 100}},
    )
    result = solved(keep)
    assert "x" in groups_of(result)["lead_b"]
    assert result.parts["alliances"].terms["history_changes"] == 0


# ---- balance (捆绑考核) --------------------------------------------------------------------


def test_balance_weight_spreads_backbone_teachers() -> None:
    # Two leads; the two schools rich in backbone teachers sit near lead_a. With a balance
    # weight, one of them moves to lead_b so that both alliances get backbone teachers.
    schools = [
        school("lead_a"),
        school("rich_1", tier="ordinary", km=1),
        school("rich_2", tier="ordinary", km=2),
        school("lead_b", km=6),
    ]
    staff = [teacher(f"t{i}", f"rich_{1 + i % 2}", backbone="county") for i in range(8)]
    plain = county(schools, staff=staff, policy={"alliances": {"groups": 2}})
    assert groups_of(solved(plain))["lead_a"] == {"lead_a", "rich_1", "rich_2"}
    balanced = county(
        schools,
        staff=staff,
        policy={"alliances": {"groups": 2}, "weights": {"alliance_balance_backbone": 10}},
    )
    result = solved(balanced)
    assert len(groups_of(result)["lead_b"]) == 2
    assert (
        result.parts["alliances"].terms["backbone_imbalance"]
        < solved(plain).parts["alliances"].terms["backbone_imbalance"]
    )


def test_stated_objective_must_match() -> None:
    inst = county(line("lead_a", "x"), policy={"alliances": {"groups": 1}})
    result = solved(inst)
    tampered = result.plan.model_copy(update={"objective": result.plan.objective + 5})
    assert "plan.objective" in rules(validate(inst, tampered))


def test_engines_agree_on_pure_model() -> None:
    inst = county(
        [
            school(f"s{i}", tier="strong" if i % 3 == 0 else "ordinary", km=(i * 7) % 23)
            for i in range(15)
        ],
        policy={"alliances": {"groups": 3}},
    )
    settings = SearchSettings(time_limit=20)
    pm = solve_alliances(inst, engine="pmedian", settings=settings).result
    cp = solve_alliances(inst, engine="cpsat", settings=settings).result
    cbc = solve_alliances(inst, backend="pulp", settings=settings).result
    assert pm.status == cp.status == cbc.status == "optimal"
    assert pm.objective == cp.objective == cbc.objective
