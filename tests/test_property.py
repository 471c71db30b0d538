"""Property tests: random valid counties are solved and every plan passes the checker."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver import solve, validate
from solver.instance import Instance
from solver.pairs import CpSatSettings, solve_pairs
from tests.conftest import county, need, past_pair, pinned_pair, school, teacher

STAGES = ["kindergarten", "primary", "junior", "nine_year"]
SUBJECTS = ["语文", "英语", "音乐"]


@st.composite
def counties(draw: st.DrawFn) -> Instance:
    n = draw(st.integers(2, 12))
    schools = []
    for i in range(n):
        tier = draw(st.sampled_from(["strong", "ordinary", "weak"]))
        extra: dict[str, Any] = {}
        if draw(st.booleans()) and tier != "weak":
            extra["helper_capacity"] = draw(st.integers(0, 3))
        schools.append(
            school(
                f"s{i}",
                stage=draw(st.sampled_from(STAGES)),
                tier=tier,
                km=draw(st.floats(0, 60)),
                students=draw(st.integers(0, 900)),
                **extra,
            )
        )
    ids = [s.id for s in schools]
    staff = [
        teacher(
            f"t{k}",
            draw(st.sampled_from(ids)),
            draw(st.sampled_from(SUBJECTS)),
            backbone=draw(st.sampled_from(["none", "county", "city"])),
        )
        for k in range(draw(st.integers(0, 10)))
    ]
    needs = [
        need(
            draw(st.sampled_from(ids)),
            subject,
            shortage=draw(st.integers(0, 3)),
            surplus=draw(st.integers(0, 2)),
            priority=draw(st.integers(1, 3)),
        )
        for subject in SUBJECTS
        if draw(st.booleans())
    ]
    helpers = [s.id for s in schools if s.tier == "strong" and s.helper_capacity != 0]
    weak = [s.id for s in schools if s.tier == "weak"]
    history, fixed = [], []
    if helpers and weak:
        for _ in range(draw(st.integers(0, 3))):
            history.append(
                past_pair(
                    draw(st.sampled_from(helpers)),
                    draw(st.sampled_from(weak)),
                    draw(st.sampled_from(["2022-2023", "2024-2025"])),
                )
            )
        if draw(st.booleans()):
            helper = draw(st.sampled_from(helpers))
            cap = next(s for s in schools if s.id == helper).helper_capacity
            if cap is None or cap > 0:
                fixed.append(pinned_pair(helper, draw(st.sampled_from(weak))))
    twinning: dict[str, Any] = {
        "same_stage": draw(st.booleans()),
        "min_helped": draw(st.integers(0, 2)),
        "avoid_repeat_cycles": draw(st.integers(0, 2)),
    }
    if draw(st.booleans()):
        twinning["max_km"] = draw(st.floats(5, 80))
    if draw(st.integers(0, 3)) == 0:
        twinning["max_helped_students_ratio"] = draw(st.floats(0.2, 2.0))
    policy = {
        "twinning": twinning,
        "weights": {
            "pair_complementarity": draw(st.integers(0, 200)),
            "pair_km": draw(st.integers(0, 20)),
        },
    }
    return county(schools, staff=staff, needs=needs, history=history, fixed=fixed, policy=policy)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties())
def test_every_plan_passes_the_checker(inst: Instance) -> None:
    result = solve(inst, "pairs", time_limit=20)
    if result.status == "infeasible":  # only pinned pairs can make pairs infeasible
        assert "pinned" in result.parts["pairs"].message
        return
    assert result.status == "optimal"
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    assert report.objectives["pairs"]["value"] == result.objective


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties())
def test_engines_agree_on_random_counties(inst: Instance) -> None:
    settings_ = CpSatSettings(time_limit=20)
    cpsat = solve_pairs(inst, engine="cpsat", settings=settings_)[0]
    cbc = solve_pairs(inst, backend="pulp", settings=settings_)[0]
    assert cpsat.status == cbc.status
    assert cpsat.objective == cbc.objective
    if inst.policy.twinning.max_helped_students_ratio is None:
        assert solve_pairs(inst, engine="flow")[0].objective == cpsat.objective
