"""The rotation quota's reach: which schools carry it [rotation.quota_stages], which
exchanges count toward it and toward the backbone share [rotation.min_periods_for_quota],
and why a school is below it (twinning.rules.quota), in the console, summary, workbook and
report.

Each rule has its pair of tests (``tests/test_rule_catalog.py``): the model keeps it on a
small county where it bites, and the checker catches a doctored plan that breaks it.
"""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from tests.conftest import INSTANCES, county, need, school, teacher
from twinning import load_instance, solve, validate
from twinning.county.distances import Distances
from twinning.county.instance import Fixed, HistoryEntry, Instance
from twinning.messages import Msg, render
from twinning.models.roster.options import build_roster_data
from twinning.plan import Move
from twinning.result import RosterKpis
from twinning.rules import roster as rules
from twinning.rules.quota import _County, max_flow_cut, quota_reasons, windows

P1, P2 = "2025-2026-1", "2025-2026-2"


def codes(m: Any) -> list[str]:
    """Every message code in a message tree (a Msg, its JSON form, lists of them)."""
    if isinstance(m, Msg):
        return [m.code, *(c for v in m.params.values() for c in codes(v))]
    if isinstance(m, dict) and "code" in m:
        return codes(Msg.model_validate(m))
    if isinstance(m, list | tuple):
        return [c for v in m for c in codes(v)]
    return []


def roster_kpis(result: Any) -> RosterKpis:
    kpis = result.parts["roster"].kpis
    assert isinstance(kpis, RosterKpis)
    return kpis


def moved(result: Any) -> list[Move]:
    return [m for m in result.plan.roster if m.kind == "exchange"]


def exchange(staff: str, frm: str, to: str, periods: int, first: str = P1) -> Move:
    return Move(
        staff=staff,
        role="teacher",
        subject="英语",
        from_school=frm,
        to_school=to,
        first_period=first,
        periods=periods,
        direction="out",
        kind="exchange",
    )


def found(inst: Instance, moves: list[Move], rule: str):  # type: ignore[no-untyped-def]
    """The checker's violations of ``rule`` in a plan with these roster lines (on the pairs
    a solve of the county plans: its scope is pair or county)."""
    plan = solve(inst, "pairs", time_limit=5).plan
    plan = plan.model_copy(update={"parts": ["pairs", "roster"], "roster": moves})
    return [v for v in validate(inst, plan).violations if v.rule == rule]


# ---- rotation.quota_stages ------------------------------------------------------------------


def kindergartens(*, host: bool = True, **rotation: Any) -> Instance:
    """A primary city school and its village, two city kindergartens whose teachers are all
    due, and (``host``) a village kindergarten short of 学前教育 they may go to."""
    schools = [
        school("city", students=1000),
        school("village", tier="weak", area="rural", km=10, students=200),
        school("kg1", stage="kindergarten", tier="ordinary", km=1, students=200),
        school("kg2", stage="kindergarten", tier="ordinary", km=2, students=200),
    ]
    if host:
        schools.append(school("kg_village", stage="kindergarten", tier="weak", area="rural", km=12))
    staff = [
        teacher("english_due", "city", "英语", years_at_school=8),
        teacher("english_bb", "city", "英语", years_at_school=7, backbone="county"),
        *(teacher(f"city_{i}", "city", "语文", years_at_school=2) for i in range(16)),
        *(teacher(f"village_{i}", "village", "语文", years_at_school=2, age=40) for i in range(8)),
        *(
            teacher(f"{kg}_{i}", kg, "学前教育", years_at_school=9)
            for kg in ("kg1", "kg2")
            for i in range(6)
        ),
        *(teacher(f"kgv_{i}", "kg_village", "学前教育", years_at_school=1) for i in range(3)),
    ]
    staff = [t for t in staff if host or t.school != "kg_village"]
    needs = [
        need("village", "英语", shortage=2),
        need("city", "英语", surplus=2),
        need("kg1", "学前教育", surplus=6),
        need("kg2", "学前教育", surplus=6),
    ]
    if host:
        needs.append(need("kg_village", "学前教育", shortage=3))
    policy = {"rotation": {"scope": "county", "two_way": False, **rotation}}
    return county(schools, staff=staff, needs=needs, policy=policy)


def test_rotation_quota_stages_feasible() -> None:
    # Kindergartens carry no quota by default: the county solves, their teachers may still
    # go to the village kindergarten, and the rate counts the city school's teachers only.
    inst = kindergartens()
    assert set(rules.quota_required(inst)) == {"city"}
    result = solve(inst, "roster", time_limit=10)
    assert result.status in ("optimal", "feasible"), result.parts["roster"].message
    assert validate(inst, result.plan).ok
    kg_out = [m for m in moved(result) if m.from_school in ("kg1", "kg2")]
    assert kg_out and all(m.to_school == "kg_village" for m in kg_out)
    city_out = [m for m in moved(result) if m.from_school == "city" and m.periods >= 2]
    assert roster_kpis(result).rotation_rate == round(len(city_out) / 2, 4)
    # Listed, the kindergartens carry it: with nowhere to go, the plan is infeasible and each
    # kindergarten's reason says so.
    held = kindergartens(host=False, quota_stages=["primary", "junior", "nine_year", "幼儿园"])
    assert set(rules.quota_required(held)) == {"city", "kg1", "kg2"}
    closest = solve(held, "roster", time_limit=10)
    assert closest.status == "infeasible"
    said = render(closest.parts["roster"].message or "", "en")
    assert "kg1 moves 0 of 1 (6 due, the rules let 0 go" in said
    assert "6 学前教育 teacher(s): no school to go to in the county" in said
    # the same county by default: feasible (today's rule exited 1 here)
    free = solve(kindergartens(host=False), "roster", time_limit=10)
    assert free.status in ("optimal", "feasible")


def test_rotation_quota_stages_infeasible() -> None:
    # A doctored plan: the nine-year school (a compulsory stage) moves nobody, and so do the
    # kindergartens; only the nine-year school is below a quota the checker holds it to.
    base = kindergartens()
    nine = school("nine", stage="nine_year", km=3, students=800)
    staff = [
        *base.staff,
        *(teacher(f"nine_{i}", "nine", "英语", years_at_school=8) for i in range(5)),
    ]
    inst = base.model_copy(update={"schools": [*base.schools, nine], "staff": staff})
    city = [exchange("english_due", "city", "village", 2)]
    assert {v.where[0] for v in found(inst, city, "rotation.rate")} == {"nine"}
    # Listed, the kindergartens carry it too (and "primary" a nine-year school, which covers
    # it); unlisted, the nine-year school carries none.
    for stages, below in (
        (["primary", "kindergarten"], {"kg1", "kg2", "nine"}),
        (["kindergarten", "junior"], {"kg1", "kg2", "nine"}),
        (["primary", "senior"], {"nine"}),
        (["kindergarten"], {"kg1", "kg2"}),
    ):
        listed = inst.policy.rotation.model_copy(update={"quota_stages": stages})
        kg = inst.model_copy(update={"policy": inst.policy.model_copy(update={"rotation": listed})})
        assert {v.where[0] for v in found(kg, city, "rotation.rate")} == below, stages


# ---- rotation.min_periods_for_quota ----------------------------------------------------------


def year_county(rate: float, k: int = 2, **rotation: Any) -> Instance:
    """City (15 staff: at most 2 away a semester) has three due English teachers (one a
    county backbone) to spare, and a fourth; the village lacks three all year."""
    schools = [
        school("city", students=1000),
        school("village", tier="weak", area="rural", km=10, students=400),
    ]
    staff = [
        teacher("english_due", "city", "英语", years_at_school=8),
        teacher("english_bb", "city", "英语", years_at_school=7, backbone="county"),
        teacher("english_3", "city", "英语", years_at_school=9),
        teacher("english_new", "city", "英语", years_at_school=1),
        *(teacher(f"city_{i}", "city", "语文", years_at_school=2) for i in range(11)),
        *(teacher(f"village_{i}", "village", "语文", years_at_school=2, age=40) for i in range(8)),
    ]
    needs = [need("village", "英语", shortage=3), need("city", "英语", surplus=3)]
    policy = {
        "rotation": {
            "scope": "pair",
            "two_way": False,
            "rate": rate,
            "backbone_share": 0.0,
            "host_capacity": 5,
            "min_periods_for_quota": k,
            # the quota's figures alone: the English department of four may send more than
            # a third, and stints lie in either semester (tests/test_department_rules.py)
            "max_department_share": 1.0,
            "classes_change_once_a_year": False,
            **rotation,
        }
    }
    return county(schools, staff=staff, needs=needs, policy=policy)


def test_rotation_min_periods_for_quota_feasible() -> None:
    # Quota 2 of 3 due, two away a semester: counting one-semester stints, the city sends all
    # three (two for a semester); counting only school years, the two it must send go for
    # the year, and the third stays.
    short = solve(year_county(0.5, k=1), "roster", time_limit=10)
    assert short.status in ("optimal", "feasible")
    assert len(moved(short)) == 3 and any(m.periods == 1 for m in moved(short))
    inst = year_county(0.5)
    result = solve(inst, "roster", time_limit=10)
    assert result.status in ("optimal", "feasible"), result.parts["roster"].message
    assert validate(inst, result.plan).ok
    assert [m.periods for m in moved(result)] == [2, 2]
    kpis = roster_kpis(result)
    assert kpis.rotation_rate == round(2 / 3, 4) and kpis.uncounted_exchanges == 0
    # A quota of all three cannot be met by school years (2 away a semester): infeasible,
    # and the reason names the outflow limit.
    full = solve(year_county(1.0), "roster", time_limit=10)
    assert full.status == "infeasible"
    said = render(full.parts["roster"].message or "", "en")
    assert "city moves 2 of 3 (3 due, the rules let 2 go for 2 semester(s) or more" in said
    assert "1 more: at most 2 away a semester (rotation.max_outflow_share)" in said


def test_rotation_min_periods_for_quota_infeasible() -> None:
    # Doctored: the quota of 2 met by one school year and one semester; the backbone share
    # met only by the backbone teacher's semester.
    inst = year_county(0.5, backbone_share=0.5)
    moves = [
        exchange("english_due", "city", "village", 2),
        exchange("english_bb", "city", "village", 1),
    ]
    (rate,) = found(inst, moves, "rotation.rate")
    assert rate.code == "check.rotation.rate.uncounted" and rate.amount == 1
    assert "1 more for less, not counted" in rate.text("en")
    assert found(inst, moves, "rotation.backbone_share")
    counted = year_county(0.5, k=1, backbone_share=0.5)
    assert not found(counted, moves, "rotation.rate")
    assert not found(counted, moves, "rotation.backbone_share")
    # No exchange can last the counted length: the solve says so in the reason.
    never = solve(year_county(0.5, k=3), "roster", time_limit=10)
    assert never.status == "infeasible"
    assert "quota.stop.length" in codes(never.parts["roster"].message)


# ---- why a school is below its quota ---------------------------------------------------------


def reasons(inst: Instance, moves: list[Move] | None = None) -> dict[str, Msg]:
    plan = solve(inst, "pairs", time_limit=5).plan
    return quota_reasons(inst, plan.pairs, plan.alliances, Distances(inst), moves or [])


def test_windows_counts_exchanges_of_k_periods_under_per_period_limits() -> None:
    assert windows([2, 2], 2) == 2  # a school year takes both semesters
    assert windows([2, 2], 1) == 4
    assert windows([3, 1, 3], 2) == 1  # every two-semester exchange covers the middle one
    assert windows([2, 2], 3) == 0  # none fits


def test_max_flow_cut_finds_the_schools_that_share_too_few_hosts() -> None:
    src, sink = ("source",), ("sink",)
    edges = {
        src: {("s", "a"): 3, ("s", "b"): 2},
        ("s", "a"): {("h", "x"): 9},
        ("s", "b"): {("h", "x"): 9, ("h", "y"): 9},
        ("h", "x"): {sink: 2},
        ("h", "y"): {sink: 5},
    }
    total, side = max_flow_cut(edges, src, sink)
    assert total == 4 and ("s", "a") in side and ("s", "b") not in side


def test_the_reasons_name_each_rule_that_stops_teachers() -> None:
    # Due teachers of a subject no village lacks; one moved last cycle; a subject the city
    # cannot spare (no surplus, nobody to come and learn).
    inst = year_county(1.0)
    staff = [
        *inst.staff,
        teacher("art_due", "city", "美术", years_at_school=8),
        teacher("art_2", "city", "美术", years_at_school=1),
        teacher("music_due", "city", "音乐", years_at_school=8),
    ]
    needs = [*inst.needs, need("village", "音乐", shortage=1)]
    history = [
        HistoryEntry(
            kind="exchange",
            period="2024-2025",
            staff="english_3",
            from_school="city",
            to_school="village",
        )
    ]
    inst = inst.model_copy(update={"staff": staff, "needs": needs, "history": history})
    why = reasons(inst)["city"]
    said = render(why, "en")
    assert said.startswith("5 due, the rules let 2 go for 2 semester(s) or more: ")
    assert "1 exchanged in the last cycle (rotation.last_cycle)" in said
    assert "1 美术 teacher(s): no school to go to among its pair partners" in said
    assert "1 音乐 teacher(s) stay: a surplus of 0" in said
    assert "(rotation.protect_sender)" in said
    zh = render(why, "zh")
    assert "应交流教师5人" in zh and "rotation.protect_sender" in zh


def test_schools_sharing_too_few_hosts_are_named_together() -> None:
    # Two city schools, each due to send one for the year, and one village that takes one.
    inst = year_county(0.3, host_capacity=1)
    city2 = school("city2", km=1, students=1000)
    staff = [
        *inst.staff,
        *(teacher(f"c2_{i}", "city2", "英语", years_at_school=8) for i in range(3)),
    ]
    needs = [*inst.needs, need("city2", "英语", surplus=3)]
    inst = inst.model_copy(
        update={
            "schools": [*inst.schools, city2],
            "staff": staff,
            "needs": needs,
            "policy": inst.policy.model_copy(
                update={"rotation": inst.policy.rotation.model_copy(update={"scope": "county"})}
            ),
        }
    )
    why = reasons(inst)
    assert set(why) == {"city", "city2"}
    said = render(why["city2"], "en")
    assert "with it, 2 school(s) with a quota must send 2, but at most 1 can go on" in said
    assert "the 1 school(s) short of the subjects they can spare take 1 a semester" in said


def test_a_host_full_in_the_plan_is_the_reason_under_cap_quota() -> None:
    # The village's one place a semester is pinned to two kindergarten teachers' stints:
    # the city, which alone could send its one, is held below, and the summary says why.
    inst = year_county(0.3, host_capacity=1, cap_quota=True)
    kg = school("kg", stage="kindergarten", tier="ordinary", km=2)
    staff = [*inst.staff, *(teacher(f"kg_{i}", "kg", "英语", years_at_school=8) for i in range(2))]
    fixed = [
        Fixed(kind="exchange", staff="kg_0", from_school="kg", to_school="village", period=P1),
        Fixed(kind="exchange", staff="kg_1", from_school="kg", to_school="village", period=P2),
    ]
    needs = [*inst.needs, need("kg", "英语", surplus=2)]
    inst = inst.model_copy(
        update={"schools": [*inst.schools, kg], "staff": staff, "fixed": fixed, "needs": needs}
    )
    result = solve(inst, "roster", time_limit=10)
    capped = roster_kpis(result).quota_capped
    assert set(capped) == {"city"} and capped["city"].why is not None
    assert "quota.stop.full" in codes(capped["city"].why)
    said = render(capped["city"].why, "en")
    assert "are full in this plan (1 a semester, rotation.host_capacity)" in said
    # the workbook's list of schools below their quota has the reason beside each
    data = result.plan.files(inst=inst, formats=("xlsx",), summary=result.summary())
    sheet = openpyxl.load_workbook(io.BytesIO(data["plan.xlsx"])).worksheets[0]
    rows = [[c.value for c in r] for r in sheet.iter_rows()]
    head = next(r for r in rows if r[0] == "school" and "why" in r)
    line = next(r for r in rows if r[0] == "city" and r[head.index("why")])
    assert line[head.index("why")] == said
    # the report's row of schools accepted below their quota says why too
    from twinning.report.content import build_content

    content = build_content(inst, result.plan, validate(inst, result.plan), lang="en")
    row = next(r for r in content.rules if r.rule == "rotation.cap_quota")
    assert said in row.message


def test_the_reasons_count_what_the_options_count() -> None:
    # The funnel's teachers free to go with a host short of their subject are the teachers
    # the move options let go out on a counted exchange, school by school.
    inst = load_instance(INSTANCES / "demo-county")
    plan = solve(inst, "pairs,alliances", time_limit=10).plan
    data = build_roster_data(inst, plan.pairs, plan.alliances)
    k = inst.policy.rotation.min_periods_for_quota
    with_option: dict[str, set[int]] = {}
    for o in data.options:
        person = data.teacher_of(o)
        counted = o.direction == "out" and o.length >= k
        if person is not None and counted and rules.quota_eligible(inst, person):
            with_option.setdefault(person.school, set()).add(o.person)
    county = _County(inst, plan.pairs, plan.alliances, Distances(inst))
    checked = 0
    for school_id in rules.quota_required(inst):
        free = county.alone(school_id).placeable
        assert free == len(with_option.get(school_id, ())), school_id
        checked += free > 0
    assert checked >= 3


def test_the_closest_plan_names_why_each_school_is_below() -> None:
    # The message of an infeasible roster gives each school its reason, in both languages.
    result = solve(year_county(1.0), "roster", time_limit=10)
    message = result.parts["roster"].message
    assert message is not None and "quota.why" in codes(message)
    assert "city交流2人，名额3人（应交流教师3人，规则允许其中2人交流2个学期及以上" in render(
        message, "zh"
    )
