"""Alliances a bureau would draw: town leads with village members, per stage, per region,
balanced sizes, leads by tier in order of preference.

Each rule has a feasible test (the solver keeps it where it matters and the checker
accepts the plan) and an infeasible test (the solver says why it cannot, and/or the
checker catches a hand-made plan that breaks it), named after its policy key.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import county, school
from twinning import solve, validate
from twinning.check.report import Violation
from twinning.county.instance import Instance
from twinning.io.readers import load_instance
from twinning.messages import render
from twinning.plan import Membership, Plan

ROOT = Path(__file__).resolve().parents[1]


def solved(inst: Instance, part: str = "alliances"):  # type: ignore[no-untyped-def]
    result = solve(inst, part, time_limit=10)
    assert result.status == "optimal", result.parts["alliances"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    return result


def alliances(result) -> dict[str, list[Membership]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[Membership]] = {}
    for m in result.plan.alliances:
        out.setdefault(m.alliance, []).append(m)
    return out


def plan_of(inst: Instance, rows: list[tuple[str, str, str, str | None]]) -> Plan:
    """A hand-made plan from (alliance, lead, member, stage) rows."""
    ms = [
        Membership(alliance=a, lead=lead, member=m, distance_km=0, stage=stage)
        for a, lead, m, stage in rows
    ]
    return Plan(
        instance=inst.name, parts=["alliances"], status="feasible", objective=0, alliances=ms
    )


def found(inst: Instance, plan: Plan, rule: str) -> list[Violation]:
    return [v for v in validate(inst, plan).violations if v.rule == rule]


def with_alliances(inst: Instance, **changes: object) -> Instance:
    al = inst.policy.alliances.model_copy(update=changes)
    return inst.model_copy(update={"policy": inst.policy.model_copy(update={"alliances": al})})


# ---- alliances.mix_area -------------------------------------------------------------------


def _town_and_villages() -> list:  # type: ignore[type-arg]
    # Two town leads side by side, two urban schools next to them, two villages far off,
    # and a strong village school that would lead the villages if it could.
    return [
        school("lead_t", area="town", km=0),
        school("lead_u", area="urban", km=1),
        school("u1", area="urban", tier="ordinary", km=0.5),
        school("u2", area="urban", tier="ordinary", km=1.5),
        school("v1", area="rural", tier="weak", km=30),
        school("v2", area="rural", tier="weak", km=31),
        school("lead_v", area="rural", km=30.5),
    ]


def test_alliances_mix_area_feasible() -> None:
    inst = county(_town_and_villages(), policy={"alliances": {"groups": 2}})
    result = solved(inst)
    areas = {s.id: s.area for s in inst.schools}
    for rows in alliances(result).values():
        assert areas[rows[0].lead] != "rural"
        assert any(areas[m.member] == "rural" for m in rows)
    # Without the rule the villages form their own alliance under the village school.
    pure = with_alliances(inst, mix_area=False)
    leads = {m.lead for m in solved(pure).plan.alliances}
    assert "lead_v" in leads


def test_alliances_mix_area_infeasible() -> None:
    inst = county(_town_and_villages()[:5], policy={"alliances": {"groups": 2}})
    inst = inst.model_copy(
        update={"schools": [s for s in inst.schools if s.id != "v2"]}
    )  # one village, two alliances that each need one
    result = solve(inst, "alliances", time_limit=5)
    assert result.status == "infeasible"
    assert "rural" in render(result.parts["alliances"].message or "", "en")
    bad = plan_of(
        inst,
        [
            ("A1", "lead_t", "lead_t", None),
            ("A1", "lead_t", "u1", None),
            ("A2", "lead_u", "lead_u", None),
            ("A2", "lead_u", "u2", None),
            ("A2", "lead_u", "v1", None),
        ],
    )
    (v,) = found(inst, bad, "alliances.mix_area")
    assert v.where == ["A1", "lead_t"] and "no rural member" in v.message
    rural_lead = county(_town_and_villages(), policy={"alliances": {"groups": 1}})
    plan = plan_of(rural_lead, [("A1", "lead_v", s.id, None) for s in rural_lead.schools])
    (v,) = found(rural_lead, plan, "alliances.mix_area")
    assert "led by the rural school lead_v" in v.message


# ---- alliances.lead_tiers -----------------------------------------------------------------


def _two_regions() -> list:  # type: ignore[type-arg]
    # East has a strong junior school; west only ordinary ones (the nearer one is W_o1).
    return [
        school("E_s", stage="junior", region="东", km=0),
        school("E_o", stage="junior", tier="ordinary", region="东", km=1),
        school("E_r", stage="junior", tier="weak", area="rural", region="东", km=5),
        school("W_o1", stage="junior", tier="ordinary", region="西", km=50),
        school("W_o2", stage="junior", tier="ordinary", region="西", km=58),
        school("W_r", stage="junior", tier="weak", area="rural", region="西", km=51),
    ]


def test_alliances_lead_tiers_feasible() -> None:
    inst = county(
        _two_regions(),
        policy={"alliances": {"groups_per_region": 1, "lead_tiers": ["strong", "ordinary"]}},
    )
    result = solved(inst)
    leads = {m.lead for m in result.plan.alliances}
    # East keeps its strong lead even though the ordinary E_o would serve E_r as well;
    # west, with no strong school, takes its best ordinary one.
    assert leads == {"E_s", "W_o1"}


def test_alliances_lead_tiers_infeasible() -> None:
    inst = county(_two_regions(), policy={"alliances": {"groups_per_region": 1}})
    result = solve(inst, "alliances", time_limit=5)
    assert result.status == "infeasible"
    message = render(result.parts["alliances"].message or "", "en")
    assert "region 西" in message and "alliances.lead_tiers" in message
    # A weak school is in no tier of the order: the checker refuses it as a lead.
    tiers = with_alliances(inst, lead_tiers=["strong", "ordinary"])
    bad = plan_of(
        tiers,
        [("A1", "E_s", s, None) for s in ("E_o", "E_s", "E_r")]
        + [("A2", "W_r", s, None) for s in ("W_o1", "W_o2", "W_r")],
    )
    (v,) = found(tiers, bad, "alliances.can_lead")
    assert v.where == ["W_r"] and "weak" in v.message
    # An ordinary lead where a strong one could lead is allowed but priced: one step down
    # the order costs weights.alliance_lead_tier, which the checker recomputes.
    ordinary = plan_of(
        tiers,
        [("A1", "E_o", s, None) for s in ("E_o", "E_s", "E_r")]
        + [("A2", "W_o1", s, None) for s in ("W_o1", "W_o2", "W_r")],
    )
    report = validate(tiers, ordinary)
    assert report.objectives["alliances"].terms["later_tier_leads"] == 2


# ---- alliances.by_stage -------------------------------------------------------------------


def _stages() -> list:  # type: ignore[type-arg]
    return [
        school("P", stage="primary", km=0),
        school("J", stage="junior", km=2),
        school("p1", stage="primary", tier="weak", area="rural", km=20),
        school("j1", stage="junior", tier="weak", area="rural", km=22),
        school("nine", stage="nine_year", tier="weak", area="rural", km=1.8),
    ]


def test_alliances_by_stage_feasible() -> None:
    inst = county(
        _stages(), policy={"alliances": {"by_stage": True, "groups": {"primary": 1, "junior": 1}}}
    )
    result = solved(inst)
    by = {a: {m.member for m in rows} for a, rows in alliances(result).items()}
    stage = {a: rows[0].stage for a, rows in alliances(result).items()}
    assert sorted(stage.values()) == ["junior", "primary"]
    junior = next(a for a, s in stage.items() if s == "junior")
    assert by[junior] == {"J", "j1", "nine"}  # the nine-year school joins the nearer stage


def test_alliances_by_stage_infeasible() -> None:
    inst = county(
        _stages(), policy={"alliances": {"by_stage": True, "groups": {"primary": 1, "junior": 1}}}
    )
    bad = plan_of(
        inst,
        [("A1", "P", s, "primary") for s in ("P", "p1", "j1")]
        + [("A2", "J", s, None) for s in ("J", "nine")],
    )
    vs = found(inst, bad, "alliances.same_stage")
    assert {tuple(v.where) for v in vs} == {("j1", "P"), ("A2", "J")}
    senior = with_alliances(inst, groups={"primary": 1, "junior": 1, "senior": 1})
    with pytest.raises(ValueError, match="no school covers senior"):
        solve(senior, "alliances")  # a usage error (exit 2 at the command line)


# ---- alliances.groups_per_region ----------------------------------------------------------


def _border() -> list:  # type: ignore[type-arg]
    # x lies in the east but nearer the west's lead.
    return [
        school("E", region="东", km=0),
        school("W", region="西", km=20),
        school("x", tier="weak", region="东", km=18),
        school("y", tier="weak", region="西", km=25),
    ]


def test_alliances_groups_per_region_feasible() -> None:
    inst = county(_border(), policy={"alliances": {"groups_per_region": 1, "mix_area": False}})
    result = solved(inst)
    lead_of = {m.member: m.lead for m in result.plan.alliances}
    assert lead_of["x"] == "E" and lead_of["y"] == "W"
    loose = county(_border(), policy={"alliances": {"groups": 2, "mix_area": False}})
    assert {m.member: m.lead for m in solved(loose).plan.alliances}["x"] == "W"


def test_alliances_groups_per_region_infeasible() -> None:
    inst = county(_border(), policy={"alliances": {"groups_per_region": 1, "mix_area": False}})
    bad = plan_of(inst, [("A1", "W", s, None) for s in ("W", "E", "x", "y")])
    vs = found(inst, bad, "alliances.groups")
    assert any("region 东" in v.message for v in vs)
    assert found(inst, bad, "alliances.within_region")
    no_lead = county(
        [*_border(), school("z", tier="weak", region="南", km=60)],
        policy={"alliances": {"groups_per_region": 1, "mix_area": False}},
    )
    result = solve(no_lead, "alliances", time_limit=5)
    assert result.status == "infeasible"
    assert "region 南" in render(result.parts["alliances"].message or "", "en")


# ---- alliances.size_band ------------------------------------------------------------------


def _cluster() -> list:  # type: ignore[type-arg]
    # Ten schools around lead A, lead B alone far away: p-median puts 11 with A and 1 with B.
    near = [school(f"a{i}", tier="weak", km=i * 0.1) for i in range(10)]
    return [school("A", km=0), school("B", km=40), *near]


def test_alliances_size_band_feasible() -> None:
    inst = county(_cluster(), policy={"alliances": {"groups": 2, "mix_area": False}})
    result = solved(inst)
    sizes = sorted(Counter(m.alliance for m in result.plan.alliances).values())
    assert sizes[0] >= 3 and sizes[1] <= 9  # mean 6, band 0.5x-1.5x
    free = county(
        _cluster(), policy={"alliances": {"groups": 2, "mix_area": False, "size_band": []}}
    )
    assert sorted(Counter(m.alliance for m in solved(free).plan.alliances).values()) == [1, 11]


def test_alliances_size_band_infeasible() -> None:
    inst = county(_cluster(), policy={"alliances": {"groups": 2, "mix_area": False}})
    rows = [("A1", "A", s.id, None) for s in inst.schools if s.id != "B"]
    bad = plan_of(inst, [*rows, ("A2", "B", "B", None)])
    big = found(inst, bad, "alliances.max_size")
    small = found(inst, bad, "alliances.min_size")
    assert big[0].amount == 2 and small[0].amount == 2  # 11 > 9 and 1 < 3
    # A county's only two kindergartens form an alliance of two, whatever the band says.
    kg = county(
        [
            *_cluster(),
            school("K", stage="kindergarten", km=3),
            school("k", stage="kindergarten", tier="weak", km=4),
        ],
        policy={"alliances": {"groups": 3, "mix_area": False}},
    )
    result = solved(kg)
    assert {m.member for m in result.plan.alliances if m.lead == "K"} == {"K", "k"}


# ---- the 海城 design and its message ------------------------------------------------------


def haicheng() -> Instance:
    return load_instance(ROOT / "instances" / "haicheng-like")


def test_haicheng_design_eight_alliances_by_region_and_stage() -> None:
    inst = haicheng()
    result = solved(inst)
    schools = {s.id: s for s in inst.schools}
    groups = alliances(result)
    assert len(groups) == 8
    seen = set()
    for rows in groups.values():
        lead = schools[rows[0].lead]
        seen.add((lead.region, rows[0].stage))
        assert lead.area != "rural"
        assert {schools[m.member].area == "rural" for m in rows} == {True, False}
        assert all(schools[m.member].region == lead.region for m in rows)
        expected = "ordinary" if (lead.region, rows[0].stage) == ("西", "junior") else "strong"
        assert lead.tier == expected
    assert len(seen) == 8


def test_haicheng_strong_only_says_which_region_lacks_a_lead() -> None:
    inst = with_alliances(haicheng(), lead_tiers=["strong"])
    result = solve(inst, "alliances", time_limit=10)
    assert result.status == "infeasible"
    message = render(result.parts["alliances"].message or "", "en")
    assert "region 西 junior" in message
    assert 'alliances.lead_tiers = ["strong", "ordinary"]' in message
    assert "merge it with a neighbouring region" in message


def test_haicheng_sizes_per_region_say_which_region_is_too_small() -> None:
    inst = with_alliances(
        haicheng(),
        by_stage=False,
        groups_per_region=None,
        groups=4,
        within_region=True,
        same_stage=False,
        min_size=35,
        max_size=50,
    )
    result = solve(inst, "alliances", time_limit=10)
    assert result.status == "infeasible"
    message = render(result.parts["alliances"].message or "", "en")
    assert "region 北: 31 schools, fewer than one alliance's smallest size 35" in message
    assert "region 南: 60 schools need 2 alliance(s)" in message


def test_too_few_alliances_for_the_stages_is_explained() -> None:
    # 3 alliances of at most 4 schools: 2 kindergartens need 1, 5 primary schools need 2,
    # 2 junior schools need 1, and no nine-year school may lead to join primary and junior.
    schools = [
        school("K", stage="kindergarten", km=0),
        school("k", stage="kindergarten", tier="weak", km=1),
        *[school(f"P{i}", stage="primary", km=2 + i) for i in range(5)],
        *[school(f"J{i}", stage="junior", km=3 + i) for i in range(2)],
    ]
    inst = county(schools, policy={"alliances": {"groups": 3, "max_size": 4, "mix_area": False}})
    result = solve(inst, "alliances", time_limit=5)
    assert result.status == "infeasible"
    message = render(result.parts["alliances"].message or "", "en")
    assert "5 primary school(s) need 2" in message and "at least 4 alliances" in message
    per_stage = with_alliances(
        inst, by_stage=True, groups={"kindergarten": 1, "primary": 2, "junior": 1}
    )
    assert solve(per_stage, "alliances", time_limit=5).status == "optimal"
