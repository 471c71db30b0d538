"""Property tests: random valid counties are solved and every plan passes the checker."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from tests.conftest import county, need, past_pair, pinned_pair, school, teacher
from twinning import solve, validate
from twinning.county.instance import Distance, Instance, Need, School, Staff
from twinning.messages import render
from twinning.models.pairs import solve_pairs
from twinning.models.search import SearchSettings
from twinning.rules.roster import advantaged

STAGES = ["kindergarten", "primary", "junior", "nine_year"]
SUBJECTS = ["语文", "英语", "音乐"]
#: The roster's tests plan the parts up to the roster (outreach has its own below).
ROSTER_PARTS = "pairs,alliances,roster"


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
            record = past_pair(
                draw(st.sampled_from(helpers)),
                draw(st.sampled_from(weak)),
                draw(st.sampled_from(["2022-2023", "2024-2025"])),
            )
            if record not in history:  # a row given twice is refused as bad input
                history.append(record)
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
        assert "pinned" in render(result.parts["pairs"].message or "", "en")
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
            area=draw(st.sampled_from(["urban", "town", "rural"])),
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
        "same_stage": draw(st.booleans()),
        "within_region": draw(st.booleans()),
        "mix_area": draw(st.booleans()),
        "by_stage": draw(st.booleans()),
        "lead_tiers": draw(st.sampled_from([["strong"], ["strong", "ordinary"]])),
        "size_band": draw(st.sampled_from([[], [0.5, 1.5], [0.8, 1.2]])),
    }
    how = draw(st.sampled_from(["total", "per_region", "per_stage"]))
    if how == "per_region":
        alliances["groups_per_region"] = 1
    elif how == "per_stage" and alliances["by_stage"]:
        alliances["groups"] = {"primary": draw(st.integers(0, 2)), "junior": 1}
    else:
        alliances["groups"] = draw(st.integers(1, min(3, n)))
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
    from twinning.models.alliances import solve_alliances
    from twinning.models.search import SearchSettings
    from twinning.rules.alliances import AllianceSetupError

    try:
        result = solve(inst, "alliances", time_limit=20)
    except AllianceSetupError:
        assume(False)  # more alliances asked than schools: a usage error, exit 2
    cbc = solve_alliances(inst, backend="pulp", settings=SearchSettings(time_limit=20)).result
    assert result.status == cbc.status
    if result.status == "infeasible":
        return
    assert result.status == "optimal"
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    assert report.objectives["alliances"].value == result.objective == cbc.objective
    # The Lagrangian engine's plan keeps every rule, its bound is a true lower bound.
    lr = solve_alliances(inst, engine="lagrangian", settings=SearchSettings(time_limit=2))
    if lr.result.status != "unknown":
        assert lr.result.objective is not None and lr.result.objective >= result.objective
        assert lr.result.bound is None or lr.result.bound <= result.objective + 1e-6
        lr_plan = result.plan.model_copy(
            update={"alliances": lr.alliances, "objective": lr.result.objective}
        )
        lr_report = validate(inst, lr_plan)
        broken = [v for v in lr_report.violations if v.rule != "plan.objective"]
        assert not broken, broken  # (the plan's stated objectives are the CP-SAT plan's)
        assert lr_report.objectives["alliances"].value == lr.result.objective


@st.composite
def roster_counties(
    draw: st.DrawFn,
    *,
    feasible: bool,
    backbone_principals: bool = True,
    learners_beyond_partners: bool = True,
) -> Instance:
    """Small counties for the roster. ``feasible``: rules that cannot conflict (no county
    shares, ample host capacity, no subject-cover rule, every urban or strong school able
    to spare each of its teachers, so sender protection and surplus-first never bind, and
    each quota held at what the school's teachers can do), so a plan must always be found.

    ``backbone_principals`` False: no principal is a backbone teacher; ``learners_beyond_
    partners`` False: learning stints only under pair scope (partners only). Each avoids a
    checker bug (see :data:`HEADSHIP_SPLIT`, :data:`SWAP_SCOPE`)."""
    n = draw(st.integers(2, 5))
    areas = ["urban", "rural", "town"]
    schools = [
        school(
            f"s{i}",
            tier=draw(st.sampled_from(["strong", "ordinary", "weak"])),
            area=draw(st.sampled_from(areas)),
            km=draw(st.floats(0, 30)),
            students=draw(st.integers(50, 900)),
            stage=draw(st.sampled_from(["primary", "primary", "nine_year"])),
        )
        for i in range(n)
    ]
    schools[0] = schools[0].model_copy(update={"tier": "strong", "area": "urban"})
    schools[1] = schools[1].model_copy(update={"tier": "weak", "area": "rural"})
    # [rotation.quota_stages] the others of any stage: a kindergarten or senior high school
    # carries no quota by default, a nine-year school does
    stages = ["primary", "primary", "kindergarten", "nine_year", "senior"]
    schools[2:] = [
        s.model_copy(update={"stage": (draw(st.sampled_from(stages)),)}) for s in schools[2:]
    ]
    ids = [s.id for s in schools]
    subjects = ["语文", "英语", "音乐"]
    roles = ["teacher"] * 8 + ["principal", "reserve_cadre", "middle_manager", "vice_principal"]
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
            education=draw(st.sampled_from([None, "bachelor", "college", "secondary"])),
            # [staff.max_km] a personal limit of some (个人通勤上限)
            max_km=draw(st.sampled_from([None, None, None, None, 4.0, 12.0])),
        )
        for k in range(draw(st.integers(8, 30)))
    ]
    if not backbone_principals:
        staff = [
            t.model_copy(update={"backbone": "none"}) if t.role == "principal" else t for t in staff
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
        # issue 28's cadre and head rules (small schools, growth, stage family, weak heads)
        "small_school_pupils": draw(st.sampled_from([0, 300, 600])),
        "secondment_growth": draw(st.booleans()),
        "headship_bridge": draw(st.booleans()),
        "headship_weak_to_strong": draw(st.booleans()),
        # [rotation.min_periods_for_quota] counted exchanges of one semester or a year
        "min_periods_for_quota": draw(st.integers(1, 2)),
        # issue 28's department and mentee rules
        "max_department_share": draw(st.sampled_from([1 / 3, 0.5, 1.0])),
        "classes_change_once_a_year": draw(st.booleans()),
        "mentee_at_home": draw(st.booleans()),
        # [rotation.max_minutes] at itinerant.speed_kmh, or by distances.csv's minutes
        "max_minutes": draw(st.sampled_from([None, None, 20.0, 45.0])),
    }
    if draw(st.booleans()):
        rotation["quota_stages"] = draw(
            st.sampled_from([["primary", "kindergarten"], ["nine_year"], ["primary", "senior"]])
        )
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
    if not learners_beyond_partners and rotation["two_way"]:
        rotation["scope"] = "pair"
    policy: dict[str, Any] = {"rotation": rotation, **ONE_ALLIANCE}
    if draw(st.booleans()):  # school years across the horizon (classes_change_once_a_year)
        policy["horizon"] = {"periods": draw(st.sampled_from(HORIZONS))}
    if draw(st.booleans()):  # the balance deviation in the objective, recounted exactly
        # (as a rule too where a county may be infeasible: the thresholds and minimums held)
        targets = ["objective"] if feasible else ["objective", "rule"]
        policy["balance"] = {
            "target": draw(st.sampled_from(targets)),
            "weight": draw(st.sampled_from([1, 10, 50])),
        }
    inst = county(schools, staff=staff, needs=needs, policy=policy)
    if draw(st.booleans()):  # roads: some distances (and minutes) given, one way each
        roads = draw(
            st.lists(
                st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(
                    lambda ab: ab[0] < ab[1]
                ),
                max_size=4,
                unique=True,
            )
        )
        given = [
            Distance(
                from_=ids[a],
                to=ids[b],
                km=draw(st.floats(0, 40)),
                minutes=draw(st.sampled_from([None, 10.0, 30.0, 90.0])),
            )
            for a, b in roads
        ]
        inst = inst.model_copy(update={"distances": given})
    return inst


#: Horizons other than the default school year: one and a half years, a year from its
#: second semester, and ids that do not name a school year (paired in order).
HORIZONS = [
    ["2025-2026-1", "2025-2026-2", "2026-2027-1"],
    ["2025-2026-2", "2026-2027-1"],
    ["S1", "S2", "S3"],
]


#: The roster families' alliances and pairs: one alliance, stages mixed.
ONE_ALLIANCE: dict[str, Any] = {
    "alliances": {"groups": 1, "same_stage": False},
    "twinning": {"same_stage": False},
}


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


#: Checker bug: roster_facts keeps headship lines out of f.moves/f.spans, so check_maximal
#: (mentors) takes a backbone principal who heads another school for one at home who could
#: mentor.
HEADSHIP_SPLIT = (
    "checker bug: headship lines are out of f.moves/f.spans, so a backbone principal who "
    "heads another school is counted at home by mentors.maximal"
)
#: Checker bug: a one-for-one learner (对岗互派) may go to any urban/strong school in scope
#: that needs an arrival of their subject, but check_scope allows only partners and leads.
SWAP_SCOPE = (
    "checker bug: check_scope rejects a one-for-one learner (对岗互派) sent to a school in "
    "scope that is not their partner or lead"
)


def _backbone_principal_heads_elsewhere(feasible: bool) -> Instance:
    """Two due principals swap schools; s0's is a county-level backbone teacher."""
    rotation: dict[str, Any] = {"scope": "county", "backbone_share": 0.0, "two_way_share": 0.0}
    if feasible:
        rotation |= {"host_capacity": 50, "keep_subject_cover": False, "cap_quota": True}
    schools = [school("s0"), school("s1", tier="weak", area="rural", km=5)]
    staff = [
        teacher("p0", "s0", "语文", role="principal", years_at_school=12, backbone="county"),
        teacher("p1", "s1", "语文", role="principal", years_at_school=12),
        *(teacher(f"t{k}", f"s{k % 2}", "语文", age=25) for k in range(6)),
    ]
    return county(schools, staff=staff, policy={"rotation": rotation, **ONE_ALLIANCE})


def one_for_one_learner_beyond_partners() -> Instance:
    """s2 helps s1; s0 may send its due English teacher only if one arrives, and s1's
    English teacher comes to learn at s0, not s1's partner."""
    schools = [
        school("s0", helper_capacity=0),
        school("s1", tier="weak", area="rural", km=10),
        school("s2", km=12),
    ]
    staff = [
        teacher("t0", "s0", "英语", years_at_school=8),
        teacher("t1", "s0", "英语"),
        teacher("t2", "s1", "英语"),
        *(teacher(f"t{k}", f"s{k % 3}", "语文") for k in range(3, 12)),
    ]
    needs = [need("s1", "英语", shortage=1)]
    return county(
        schools,
        staff=staff,
        needs=needs,
        policy={"rotation": {"scope": "county", "backbone_share": 0.0}, **ONE_ALLIANCE},
    )


def no_worse_said(inst: Instance, result: Any, part: str) -> bool:
    """An honest status where balance.no_worse (on by default) is not kept: ``unknown``,
    the part's message naming balance.no_worse, and the checker finding that rule alone
    missed (besides plan.status), in the indicators, stages and periods the message names.
    Only other rules stand in its way (a plan that moves nobody keeps it), and no bound
    proves that the search could not have found one."""
    if result.status != "unknown" or not inst.policy.balance.no_worse:
        return False
    said = render(result.parts[part].message or "", "en")
    assert "balance.no_worse" in said, said
    report = validate(inst, result.plan)
    missed = [v for v in report.violations if v.rule != "plan.status"]
    assert missed and {v.rule for v in missed} == {"balance.no_worse"}, missed
    for v in missed:
        assert f"{v.where[0]} {v.where[1]} {v.where[2]}" in said, (v.where, said)
    return True


def _solved_and_valid(inst: Instance) -> None:
    """Solved, valid, and the checker recounts the solver's objective and KPIs (or an
    honest status where balance.no_worse cannot be kept: :func:`no_worse_said`)."""
    result = solve(inst, ROSTER_PARTS, time_limit=20)
    if no_worse_said(inst, result, "roster"):
        return
    assert result.status in ("optimal", "feasible"), result.parts["roster"].message
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    assert report.objectives["roster"].value == result.parts["roster"].objective
    _same_kpis(result, report)


def _same_kpis(result: Any, report: Any) -> None:
    """Every KPI the checker recounts equals the solver's."""
    theirs = result.parts["roster"].kpis.model_dump()
    for key, value in report.kpis["roster"].model_dump().items():
        assert theirs[key] == value, key


# The example makes the failure certain on every run (random ones hit it now and then).
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster_counties(feasible=True))
@example(_backbone_principal_heads_elsewhere(feasible=True))
def test_roster_feasible_by_construction_is_solved_and_valid(inst: Instance) -> None:
    _solved_and_valid(inst)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster_counties(feasible=True, backbone_principals=False))
def test_roster_feasible_by_construction_without_backbone_principals(inst: Instance) -> None:
    # The property above, on counties that steer clear of its checker bug.
    _solved_and_valid(inst)


def assert_every_rule(inst: Instance) -> None:
    """A plan, or an honest infeasible status: the message names every rule the closest
    plan misses, and the schools it names for rotation.rate are the checker's."""
    result = solve(inst, ROSTER_PARTS, time_limit=20)
    message = render(result.parts["roster"].message or "", "en")
    if result.status == "infeasible":
        assert message  # always says why
        if "roster" not in result.plan.parts:  # nobody moves: test_closest_plan_that_moves_...
            return
    elif result.status == "unknown":  # balance thresholds missed, not proven out of reach
        ruled = inst.policy.balance.target == "rule" and "balance.thresholds" in message
        # or balance.no_worse (the default) not kept: only other rules stand in its way
        assert ruled or (inst.policy.balance.no_worse and "balance.no_worse" in message)
    else:
        assert result.status in ("optimal", "feasible")
    report = validate(inst, result.plan)
    _same_kpis(result, report)
    if result.status in ("optimal", "feasible"):
        assert report.ok, report.violations
        return
    missed = {v.rule for v in report.violations}
    assert "plan.status" in missed  # an infeasible plan never validates as a plan to adopt
    missed -= {"plan.status"}
    assert missed and all(rule in message for rule in missed), (missed, message)
    named = set(re.findall(r"(\S+) moves \d+ of \d+", message))
    assert named == {v.where[0] for v in report.violations if v.rule == "rotation.rate"}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster_counties(feasible=False))
@example(one_for_one_learner_beyond_partners())
@example(_backbone_principal_heads_elsewhere(feasible=False))
def test_roster_plans_with_every_rule_validate(inst: Instance) -> None:
    assert_every_rule(inst)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(roster_counties(feasible=False, backbone_principals=False, learners_beyond_partners=False))
def test_roster_plans_with_every_rule_validate_beside_known_bugs(inst: Instance) -> None:
    # The property above, on counties that steer clear of its two checker bugs.
    assert_every_rule(inst)


# ---- outreach (送教下乡 and 跟岗) ----------------------------------------------------------


@st.composite
def outreach_counties(draw: st.DrawFn) -> Instance:
    """Small counties with backbone teachers and studio members; any policy figures."""
    n = draw(st.integers(2, 9))
    schools = [
        school(
            f"s{i}",
            stage=draw(st.sampled_from(STAGES)),
            tier=draw(st.sampled_from(["strong", "ordinary", "weak"])),
            area=draw(st.sampled_from(["urban", "town", "rural"])),
            km=draw(st.floats(0, 60)),
        )
        for i in range(n)
    ]
    ids = [s.id for s in schools]
    staff = [
        teacher(
            f"t{k}",
            draw(st.sampled_from(ids)),
            draw(st.sampled_from(SUBJECTS)),
            backbone=draw(st.sampled_from(["none", "school", "county", "province"])),
            studio=draw(st.sampled_from([None, "名师工作室"])),
            status=draw(st.sampled_from(["active", "active", "exempt"])),
        )
        for k in range(draw(st.integers(0, 14)))
    ]
    needs = [
        need(draw(st.sampled_from(ids)), s, shortage=draw(st.integers(0, 2))) for s in SUBJECTS
    ]
    outreach = {
        "visits_per_school": draw(st.integers(0, 3)),
        "max_visits_per_teacher": draw(st.integers(0, 4)),
        "max_away_per_school_per_week": draw(st.integers(0, 2)),
        "weeks": draw(st.sampled_from(["1-2", "1-4", "2;4;5", "1-18"])),
        "short_exchanges": draw(st.booleans()),
        "short_exchange_weeks": draw(st.integers(1, 2)),
        "min_weeks_apart": draw(st.integers(0, 5)),
        "max_visits_per_week": draw(st.sampled_from([None, None, 1, 3])),
    }
    return county(schools, staff=staff, needs=needs, policy={"outreach": outreach})


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(outreach_counties())
def test_outreach_plans_pass_the_checker(inst: Instance) -> None:
    result = solve(inst, parts="outreach", time_limit=10)
    part = result.parts["outreach"]
    report = validate(inst, result.plan)
    broken = {v.rule for v in report.violations} - {"plan.status"}
    if part.status in ("optimal", "feasible"):
        assert report.ok, report.violations
    else:
        # Infeasible only by a shortfall the checker names; every other rule is kept.
        assert part.status == "infeasible"
        assert broken and broken <= {"outreach.visits_per_school", "outreach.short_exchanges"}
    assert report.objectives["outreach"] == result.plan.objectives["outreach"]
    assert part.bound is not None and part.bound <= part.objective  # type: ignore[operator]


def test_outreach_feasible_by_construction_is_solved() -> None:
    """Each weak school has two backbone teachers of its stage at a strong school nearby:
    never infeasible."""
    schools = [school("h"), school("w1", tier="weak", km=3), school("w2", tier="weak", km=4)]
    staff = [teacher(f"b{k}", "h", "英语", backbone="county") for k in range(2)]
    inst = county(schools, staff=staff, policy={"outreach": {"short_exchanges": False}})
    result = solve(inst, parts="outreach")
    assert result.parts["outreach"].status == "optimal"
    assert validate(inst, result.plan).ok


# ---- itinerant (走教) ------------------------------------------------------------------


@st.composite
def itinerant_counties(draw: st.DrawFn) -> Instance:
    """Small counties with specialist teachers and villages short of their lessons (the
    home-first, whole-post, visitor, receiver, scope, age and willing rules drawn too)."""
    n = draw(st.integers(2, 6))
    schools = [
        school(
            f"s{i}",
            stage=draw(st.sampled_from(["primary", "junior", "nine_year"])),
            area=draw(st.sampled_from(["urban", "town", "rural"])),
            tier=draw(st.sampled_from(["strong", "ordinary", "weak"])),
            km=draw(st.floats(0, 25)),
            region=draw(st.sampled_from(["东", "西"])),
            students=draw(st.integers(20, 800)),
        )
        for i in range(n)
    ]
    ids = [s.id for s in schools]
    subjects = ["音乐", "美术"]
    staff = [
        teacher(
            f"t{k}",
            draw(st.sampled_from(ids)),
            draw(st.sampled_from(subjects)),
            weekly_load=draw(st.integers(0, 16)),
            itinerant=draw(st.sampled_from([None, None, True, False])),
            age=draw(st.integers(25, 62)),
            gender=draw(st.sampled_from(["M", "F"])),
            status=draw(st.sampled_from(["active", "active", "active", "deferred", "exempt"])),
            willing=tuple(draw(st.lists(st.sampled_from(ids), max_size=2, unique=True))),
            # [staff.max_km] a personal limit of some (个人通勤上限)
            max_km=draw(st.sampled_from([None, None, None, 5.0, 12.0])),
        )
        for k in range(draw(st.integers(0, 8)))
    ]
    needs = [
        need(s, sub, shortage=1, weekly_lessons=draw(st.integers(1, 8)))
        for s in ids
        for sub in subjects
        if draw(st.booleans())
    ]
    days = draw(
        st.lists(st.sampled_from(["Mon", "Tue", "Wed"]), min_size=1, max_size=3, unique=True)
    )
    itinerant: dict[str, Any] = {
        "max_schools_per_day": draw(st.integers(1, 3)),
        "max_km_per_day": draw(st.floats(5, 60)),
        "min_lessons_per_visit": draw(st.integers(1, 3)),
        "max_lessons_per_day": draw(st.integers(2, 6)),
        "days": days,
    }
    if draw(st.booleans()):
        itinerant["max_teachers"] = draw(st.integers(0, 3))
    itinerant |= {
        "home_first": draw(st.booleans()),
        "min_weekly_lessons": draw(st.integers(0, 8)),
        "max_visitors_per_school": draw(st.sampled_from([None, 1, 2, 4])),
        "max_visitors_per_subject": draw(st.sampled_from([None, 1, 2])),
        "receivers": draw(
            st.lists(
                st.sampled_from(["rural", "weak", "town", "urban", "ordinary", *ids]),
                min_size=1,
                max_size=3,
                unique=True,
            )
        ),
        "scope": draw(st.sampled_from(["county", "region"])),
        "max_age": draw(st.sampled_from([None, 50, 60])),
        "speed_kmh": draw(st.sampled_from([20.0, 30.0, 60.0])),
        "max_minutes_per_day": draw(st.sampled_from([None, 30.0, 60.0])),
    }
    weights = {
        "itinerant_km": draw(st.integers(0, 5)),
        "itinerant_teacher": draw(st.integers(0, 500)),
    }
    return county(
        schools, staff=staff, needs=needs, policy={"itinerant": itinerant, "weights": weights}
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(itinerant_counties())
def test_itinerant_plans_pass_the_checker(inst: Instance) -> None:
    result = solve(inst, "itinerant", time_limit=10)
    if no_worse_said(inst, result, "itinerant"):
        return  # circuits no teacher's staying home mends, said
    assert result.status in ("optimal", "feasible")
    report = validate(inst, result.plan)
    assert report.ok, report.violations
    assert report.objectives["itinerant"].value == result.objective
    part = result.parts["itinerant"]
    assert part.bound is not None and part.bound <= result.objective + 1e-6
