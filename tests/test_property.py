"""Property tests: random valid counties are solved and every plan passes the checker."""

from __future__ import annotations

from collections import Counter
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from solver import solve, validate
from solver.county.instance import Instance, Need, School, Staff
from solver.models.pairs import solve_pairs
from solver.models.search import SearchSettings
from solver.rules.roster import advantaged
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
    assert report.objectives["pairs"].value == result.objective


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties())
def test_engines_agree_on_random_counties(inst: Instance) -> None:
    settings_ = SearchSettings(time_limit=20)
    cpsat = solve_pairs(inst, engine="cpsat", settings=settings_).result
    cbc = solve_pairs(inst, backend="pulp", settings=settings_).result
    assert cpsat.status == cbc.status
    assert cpsat.objective == cbc.objective
    if inst.policy.twinning.max_helped_students_ratio is None:
        assert solve_pairs(inst, engine="flow").result.objective == cpsat.objective


@st.composite
def alliance_counties(draw: st.DrawFn) -> Instance:
    n = draw(st.integers(2, 10))
    regions = ["东", "西"]
    schools = [
        school(
            f"s{i}",
            stage=draw(st.sampled_from(STAGES)),
            tier=draw(st.sampled_from(["strong", "ordinary", "weak"])),
            km=draw(st.floats(0, 40)),
            students=draw(st.integers(0, 900)),
            region=draw(st.sampled_from(regions)),
        )
        for i in range(n)
    ]
    # At least one school may lead, so that one alliance is always possible.
    schools[0] = schools[0].model_copy(update={"can_lead": True})
    ids = [s.id for s in schools]
    staff = [
        teacher(
            f"t{k}", draw(st.sampled_from(ids)), backbone=draw(st.sampled_from(["none", "county"]))
        )
        for k in range(draw(st.integers(0, 8)))
    ]
    alliances: dict[str, Any] = {
        "groups": draw(st.integers(1, min(3, n))),
        "same_stage": draw(st.booleans()),
        "within_region": draw(st.booleans()),
    }
    if draw(st.booleans()):
        alliances["max_size"] = draw(st.integers(2, n))
    if draw(st.booleans()):
        alliances["min_size"] = draw(st.integers(1, 3))
    weights = {
        "alliance_balance_strong": draw(st.sampled_from([0, 0, 5])),
        "alliance_balance_backbone": draw(st.sampled_from([0, 0, 3])),
        "alliance_km": draw(st.integers(0, 20)),
    }
    if alliances.get("max_size") and alliances.get("min_size", 1) > alliances["max_size"]:
        alliances["min_size"] = alliances["max_size"]
    return county(schools, staff=staff, policy={"alliances": alliances, "weights": weights})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(alliance_counties())
def test_alliance_plans_pass_the_checker_and_engines_agree(inst: Instance) -> None:
    from solver.models.alliances import solve_alliances
    from solver.models.search import SearchSettings

    result = solve(inst, "alliances", time_limit=20)
    cbc = solve_alliances(inst, backend="pulp", settings=SearchSettings(time_limit=20)).result
    assert result.status == cbc.status
    if result.status == "infeasible":
        return
    assert result.status == "optimal"
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    assert report.objectives["alliances"].value == result.objective == cbc.objective


@st.composite
def roster_counties(draw: st.DrawFn, *, feasible: bool) -> Instance:
    """Small counties for the roster. ``feasible``: rules that cannot conflict (no county
    shares, ample host capacity, no subject-cover rule, every urban or strong school able
    to spare each of its teachers, so sender protection and surplus-first never bind, and
    each quota held at what the school's teachers can do), so a plan must always be found."""
    n = draw(st.integers(2, 5))
    areas = ["urban", "rural", "town"]
    schools = [
        school(
            f"s{i}",
            tier=draw(st.sampled_from(["strong", "ordinary", "weak"])),
            area=draw(st.sampled_from(areas)),
            km=draw(st.floats(0, 30)),
            students=draw(st.integers(50, 900)),
        )
        for i in range(n)
    ]
    schools[0] = schools[0].model_copy(update={"tier": "strong", "area": "urban"})
    schools[1] = schools[1].model_copy(update={"tier": "weak", "area": "rural"})
    ids = [s.id for s in schools]
    subjects = ["语文", "英语", "音乐"]
    roles = ["teacher"] * 8 + ["principal", "reserve_cadre"]
    staff = [
        teacher(
            f"t{k}",
            draw(st.sampled_from([ids[0]] * len(ids) + ids)),
            draw(st.sampled_from(subjects)),
            role=draw(st.sampled_from(roles)),
            years_at_school=draw(st.integers(0, 15)),
            rural_years=draw(st.integers(0, 8)),
            age=draw(st.integers(23, 60)),
            gender=draw(st.sampled_from(["M", "F"])),
            backbone=draw(st.sampled_from(["none", "none", "county"])),
            status=draw(st.sampled_from(["active"] * 8 + ["exempt", "deferred"])),
            title_track=draw(st.booleans()),
        )
        for k in range(draw(st.integers(8, 30)))
    ]
    # Weak and rural schools lack teachers of most subjects, so moves have somewhere to go.
    needs = [
        need(
            s.id,
            subject,
            shortage=draw(st.integers(1 if s.tier == "weak" else 0, 3)),
            surplus=draw(st.integers(0, 2)),
        )
        for s in schools
        for subject in subjects
        if s.tier == "weak" or draw(st.booleans())
    ]
    if feasible:
        needs = _senders_spare_everyone(schools, staff, needs)
    rotation: dict[str, Any] = {
        "scope": draw(st.sampled_from(["pair", "alliance", "county"])),
        "rate": draw(st.sampled_from([0.0, 0.1, 0.3])),
        "due_years": draw(st.integers(3, 8)),
        "min_periods": 1,
        "max_periods": draw(st.integers(1, 2)),
        "two_way": draw(st.booleans()),
    }
    if feasible:
        rotation |= {
            "backbone_share": 0.0,
            "two_way_share": 0.0,
            "host_capacity": 50,
            "keep_subject_cover": False,
            "max_outflow_share": 0.5,
            "cap_quota": True,
        }
    else:
        rotation |= {
            "backbone_share": draw(st.sampled_from([0.0, 0.2])),
            "two_way_share": draw(st.sampled_from([0.0, 0.2])),
            "max_outflow_share": draw(st.sampled_from([0.15, 0.5])),
        }
        if draw(st.booleans()):
            rotation["secondment_count"] = draw(st.integers(0, 2))
    policy = {
        "rotation": rotation,
        "alliances": {"groups": 1, "same_stage": False},
        "twinning": {"same_stage": False},
    }
    return county(schools, staff=staff, needs=needs, policy=policy)


def _senders_spare_everyone(
    schools: list[School], staff: list[Staff], needs: list[Need]
) -> list[Need]:
    """Needs where every urban or strong school's surplus of each subject is at least the
    teachers of it it has: [rotation.protect_sender] then never stops one going out."""
    count = Counter((t.school, t.subject) for t in staff if t.role == "teacher" and t.subject)
    senders = {s.id for s in schools if advantaged(s)}
    out = []
    for n in needs:
        if n.school in senders:
            n = n.model_copy(update={"surplus": max(n.surplus, count[(n.school, n.subject)])})
        out.append(n)
    given_keys = {(n.school, n.subject) for n in needs}
    for (sid, subject), k in sorted(count.items()):
        if sid in senders and (sid, subject) not in given_keys:
            out.append(need(sid, subject, surplus=k))
    return out


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster_counties(feasible=True))
def test_roster_feasible_by_construction_is_solved_and_valid(inst: Instance) -> None:
    result = solve(inst, time_limit=20)
    assert result.status in ("optimal", "feasible"), result.parts["roster"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    assert report.objectives["roster"].value == result.parts["roster"].objective
    theirs = result.parts["roster"].kpis.model_dump()
    for key, value in report.kpis["roster"].model_dump().items():
        assert theirs[key] == value, key


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster_counties(feasible=False))
def test_roster_plans_with_every_rule_validate(inst: Instance) -> None:
    result = solve(inst, time_limit=20)
    if result.status == "infeasible":
        assert result.parts["roster"].message  # always says why
        return
    assert result.status in ("optimal", "feasible")
    report = validate(inst, result.plan)
    assert report.ok, report.violations
