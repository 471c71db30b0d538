"""Each alliance rule: a tiny feasible case and a tiny infeasible case.

Naming convention: the two tests of a rule are named after its policy key K (the key in
brackets that starts its checker's docstring, e.g. ``[alliances.max_size]``) with dots as
underscores: ``test_<K>_feasible`` (the solver keeps the rule where it matters, the plan
shows it at work, the checker accepts the plan) and ``test_<K>_infeasible`` (the solver
reports that the rule cannot be kept, and/or a hand-made plan that breaks it is caught by
the checker under ``rule == K``). ``tests/test_rule_catalog.py`` checks that every rule has
both; other tests keep their own names.
"""

from __future__ import annotations

import pytest

from tests.conftest import county, school, teacher
from twinning import solve, validate
from twinning.check.report import Violation
from twinning.county.instance import Fixed, HistoryEntry
from twinning.messages import render
from twinning.models.alliances import solve_alliances
from twinning.models.search import SearchSettings
from twinning.plan import Membership, Plan


def rules(report) -> set[str]:  # type: ignore[no-untyped-def]
    return {v.rule for v in report.violations}


def groups_of(result) -> dict[str, set[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, set[str]] = {}
    for m in result.plan.alliances:
        out.setdefault(m.lead, set()).add(m.member)
    return out


def solved(inst):  # type: ignore[no-untyped-def]
    result = solve(inst, "alliances", time_limit=5)
    assert result.status == "optimal", result.parts["alliances"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    return result


def found(inst, plan: Plan, rule: str) -> list[Violation]:  # type: ignore[no-untyped-def]
    """The checker's violations of one rule."""
    return [v for v in validate(inst, plan).violations if v.rule == rule]


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


# ---- alliances.groups ---------------------------------------------------------------------


def test_alliances_groups_feasible() -> None:
    # Two alliances; each school joins its nearest lead.
    inst = county(line("lead_a", "near_a", "near_b", "lead_b"), policy={"alliances": {"groups": 2}})
    result = solved(inst)
    assert groups_of(result) == {"lead_a": {"lead_a", "near_a"}, "lead_b": {"lead_b", "near_b"}}
    assert len({m.alliance for m in result.plan.alliances}) == 2


def test_alliances_groups_infeasible() -> None:
    # Two alliances asked, one school may lead.
    inst = county(line("lead_a", "b", "c"), policy={"alliances": {"groups": 2}})
    assert solve(inst, "alliances", time_limit=5).status == "infeasible"
    (v,) = found(inst, plan_of(inst, {"lead_a": ["lead_a", "b", "c"]}), "alliances.groups")
    assert v.where == ["A0"] and v.amount == 1


def test_missing_group_count_is_a_usage_error() -> None:
    inst = county(line("lead_a", "b"))
    with pytest.raises(ValueError, match=r"alliances\.groups"):
        solve(inst, "alliances")


# ---- alliances.cover / one_lead / lead_in_own ----------------------------------------------


def test_alliances_cover_feasible() -> None:
    inst = county(line("lead_a", "b", "c", "lead_d", "e"), policy={"alliances": {"groups": 2}})
    result = solved(inst)
    members = sorted(m.member for m in result.plan.alliances)
    assert members == ["b", "c", "e", "lead_a", "lead_d"]  # every school, once


def test_alliances_cover_infeasible() -> None:
    inst = county(line("lead_a", "b", "c"), policy={"alliances": {"groups": 1}})
    solved(inst)
    missing = plan_of(inst, {"lead_a": ["lead_a", "b"]})
    (v,) = found(inst, missing, "alliances.cover")
    assert v.where == ["c"]
    twice = plan_of(inst, {"lead_a": ["lead_a", "b", "c", "c"]})
    (v,) = found(inst, twice, "alliances.cover")
    assert v.where[0] == "c" and v.amount == 1


def test_alliances_one_lead_feasible() -> None:
    inst = county(line("lead_a", "b", "lead_c", "d"), policy={"alliances": {"groups": 2}})
    result = solved(inst)
    leads: dict[str, set[str]] = {}
    for m in result.plan.alliances:
        leads.setdefault(m.alliance, set()).add(m.lead)
    assert len(leads) == 2 and all(len(ls) == 1 for ls in leads.values())


def test_alliances_one_lead_infeasible() -> None:
    inst = county(line("lead_a", "b", "lead_c", "d"), policy={"alliances": {"groups": 1}})
    rows = [
        Membership(alliance="A0", lead="lead_a", member=m, distance_km=0) for m in ("lead_a", "b")
    ] + [Membership(alliance="A0", lead="lead_c", member=m, distance_km=0) for m in ("lead_c", "d")]
    bad = plan_of(inst, {}).model_copy(update={"alliances": rows})
    (v,) = found(inst, bad, "alliances.one_lead")
    assert v.where == ["A0", "lead_a", "lead_c"]


def test_alliances_lead_in_own_feasible() -> None:
    inst = county(line("lead_a", "b", "c"), policy={"alliances": {"groups": 1}})
    result = solved(inst)
    lead_row = next(m for m in result.plan.alliances if m.member == "lead_a")
    assert lead_row.lead == "lead_a" and lead_row.distance_km == 0  # lead listed in its own


def test_alliances_lead_in_own_infeasible() -> None:
    inst = county(line("lead_a", "b", "c"), policy={"alliances": {"groups": 1}})
    bad = plan_of(inst, {"lead_a": ["b", "c"]})
    assert {"alliances.cover", "alliances.lead_in_own"} <= rules(validate(inst, bad))
    (v,) = found(inst, bad, "alliances.lead_in_own")
    assert v.where == ["A0", "lead_a"]


# ---- alliances.can_lead / leads ------------------------------------------------------------


def test_alliances_can_lead_feasible() -> None:
    # An ordinary school marked can_lead leads; a strong one marked otherwise does not.
    inst = county(
        [
            school("strong_no", can_lead=False),
            school("b", tier="ordinary", km=1),
            school("willing_c", tier="ordinary", km=10, can_lead=True),
            school("d", tier="ordinary", km=11),
        ],
        policy={"alliances": {"groups": 1}},
    )
    assert set(groups_of(solved(inst))) == {"willing_c"}


def test_alliances_can_lead_infeasible() -> None:
    inst = county(line("lead_a", "b", "c"), policy={"alliances": {"groups": 2}})
    result = solve(inst, "alliances", time_limit=5)
    assert result.status == "infeasible"
    bad = plan_of(inst, {"lead_a": ["lead_a", "b"], "c": ["c"]})
    (v,) = found(inst, bad, "alliances.can_lead")
    assert v.where == ["c"]


def test_alliances_leads_feasible() -> None:
    # A fixed lead leads, even if not strong, and in place of the strong school.
    inst = county(line("lead_a", "b", "c", "d"), policy={"alliances": {"leads": ["c"]}})
    result = solved(inst)
    assert set(groups_of(result)) == {"c"}


def test_alliances_leads_infeasible() -> None:
    inst = county(line("lead_a", "b", "c", "d"), policy={"alliances": {"leads": ["c"]}})
    bad = plan_of(inst, {"lead_a": ["lead_a", "b", "c", "d"]})
    (v,) = found(inst, bad, "alliances.leads")
    assert v.where == ["c"]
    # More fixed leads than alliances is refused.
    refused = county(
        line("lead_a", "b", "c"), policy={"alliances": {"leads": ["b", "c"], "groups": 1}}
    )
    with pytest.raises(ValueError, match=r"alliances\.groups"):
        solve(refused, "alliances")


# ---- alliances.min_size / max_size -------------------------------------------------------


def _two_near_lead_a():  # type: ignore[no-untyped-def]
    return [
        school("lead_a"),
        school("x", tier="ordinary", km=1),
        school("y", tier="ordinary", km=2),
        school("lead_b", km=10),
    ]


def test_alliances_max_size_feasible() -> None:
    # x and y are both nearer lead_a, but at most 2 schools per alliance push y to lead_b.
    inst = county(_two_near_lead_a(), policy={"alliances": {"groups": 2, "max_size": 2}})
    result = solved(inst)
    assert groups_of(result) == {"lead_a": {"lead_a", "x"}, "lead_b": {"lead_b", "y"}}
    assert "p-median" not in render(
        result.parts["alliances"].method or "", "en"
    )  # sizes leave the p-median
    assert groups_of(solved(county(_two_near_lead_a(), policy={"alliances": {"groups": 2}}))) == {
        "lead_a": {"lead_a", "x", "y"},
        "lead_b": {"lead_b"},
    }


def test_alliances_max_size_infeasible() -> None:
    inst = county(
        line("lead_a", "x", "y", "lead_b", "z"), policy={"alliances": {"groups": 2, "max_size": 2}}
    )
    assert solve(inst, "alliances", time_limit=5).status == "infeasible"
    bad = plan_of(inst, {"lead_a": ["lead_a", "x", "y"], "lead_b": ["lead_b", "z"]})
    (v,) = found(inst, bad, "alliances.max_size")
    assert v.where == ["A0", "lead_a"] and v.amount == 1


def test_alliances_min_size_feasible() -> None:
    # x and y are both nearer lead_a, but each alliance needs 2 schools: y joins lead_b.
    inst = county(_two_near_lead_a(), policy={"alliances": {"groups": 2, "min_size": 2}})
    result = solved(inst)
    assert groups_of(result) == {"lead_a": {"lead_a", "x"}, "lead_b": {"lead_b", "y"}}


def test_alliances_min_size_infeasible() -> None:
    tight = county(
        line("lead_a", "x", "lead_b"), policy={"alliances": {"groups": 2, "min_size": 2}}
    )
    assert solve(tight, "alliances", time_limit=5).status == "infeasible"
    bad = plan_of(tight, {"lead_a": ["lead_a", "x"], "lead_b": ["lead_b"]})
    (v,) = found(tight, bad, "alliances.min_size")
    assert v.where == ["A1", "lead_b"] and v.amount == 1


# ---- alliances.same_stage / within_region ------------------------------------------------


def test_alliances_same_stage_feasible() -> None:
    # junior_x is next to the primary lead, but joins the junior lead 20 km away.
    schools = [
        school("lead_primary"),
        school("junior_x", stage="junior", tier="ordinary", km=1),
        school("lead_junior", stage="junior", km=20),
    ]
    result = solved(county(schools, policy={"alliances": {"groups": 2}}))
    assert groups_of(result)["lead_junior"] == {"lead_junior", "junior_x"}


def test_alliances_same_stage_infeasible() -> None:
    schools = [school("lead_primary"), school("kg", stage="kindergarten", tier="ordinary")]
    inst = county(schools, policy={"alliances": {"groups": 1}})
    assert solve(inst, "alliances", time_limit=5).status == "infeasible"
    off = county(schools, policy={"alliances": {"groups": 1, "same_stage": False}})
    solved(off)
    bad = plan_of(inst, {"lead_primary": ["lead_primary", "kg"]})
    (v,) = found(inst, bad, "alliances.same_stage")
    assert v.where == ["kg", "lead_primary"]


def test_alliances_within_region_feasible() -> None:
    # x is next to lead_e, but lies in the west: it joins lead_w 30 km away.
    schools = [
        school("lead_e", region="东"),
        school("x", tier="ordinary", region="西", km=1),
        school("lead_w", region="西", km=30),
    ]
    inst = county(schools, policy={"alliances": {"groups": 2, "within_region": True}})
    assert groups_of(solved(inst))["lead_w"] == {"lead_w", "x"}


def test_alliances_within_region_infeasible() -> None:
    schools = [school("lead_e", region="东"), school("x", tier="ordinary", region="西", km=1)]
    one = county(schools, policy={"alliances": {"groups": 1, "within_region": True}})
    assert solve(one, "alliances", time_limit=5).status == "infeasible"
    (v,) = found(one, plan_of(one, {"lead_e": ["lead_e", "x"]}), "alliances.within_region")
    assert v.where == ["x", "lead_e"]


# ---- alliances.fixed (pinned memberships) -------------------------------------------------

PIN_X = Fixed(kind="alliance", from_school="lead_b", to_school="x")


def test_alliances_fixed_feasible() -> None:
    # x is nearer lead_a, but pinned to lead_b's alliance.
    inst = county(
        line("lead_a", "x", "y", "lead_b"), fixed=[PIN_X], policy={"alliances": {"groups": 2}}
    )
    result = solved(inst)
    assert "x" in groups_of(result)["lead_b"]


def test_alliances_fixed_infeasible() -> None:
    inst = county(
        line("lead_a", "x", "y", "lead_b"), fixed=[PIN_X], policy={"alliances": {"groups": 2}}
    )
    bad = plan_of(inst, {"lead_a": ["lead_a", "x"], "lead_b": ["lead_b", "y"]})
    (v,) = found(inst, bad, "alliances.fixed")
    assert v.where == ["x", "lead_b"]
    conflict = county(
        line("lead_a", "x", "lead_b"),
        fixed=[PIN_X],
        policy={"alliances": {"groups": 2, "max_size": 1}},
    )
    assert solve(conflict, "alliances", time_limit=5).status == "infeasible"


# ---- history ------------------------------------------------------


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
        policy={"alliances": {"groups": 3, "size_band": [], "mix_area": False}},
    )
    settings = SearchSettings(time_limit=5)
    pm = solve_alliances(inst, engine="pmedian", settings=settings).result
    cp = solve_alliances(inst, engine="cpsat", settings=settings).result
    cbc = solve_alliances(inst, backend="pulp", settings=settings).result
    assert pm.status == cp.status == cbc.status == "optimal"
    assert pm.objective == cp.objective == cbc.objective
