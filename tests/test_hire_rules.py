"""Each hire rule (新教师优先补充农村薄弱校): a tiny feasible case and a tiny infeasible case.

Naming follows ``tests/test_roster_rules.py``: ``test_<K>_feasible`` (the model keeps the
rule where it matters and the checker accepts its placement) and ``test_<K>_infeasible``
(a hand-made placement that breaks it is caught under ``rule == K``).

The county: ``town`` (urban, strong primary school) and ``village`` (rural, weak primary
school) both lack English teachers; ``nine`` is a nine-year school (primary and junior)
and ``junior`` a junior school, where stages matter.
"""

from __future__ import annotations

import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import county, hire, need, school, teacher
from twinning import load_instance, solve, validate
from twinning.check.hires import HIRE_CHECKS
from twinning.county.instance import Instance, Need, NewHire, School
from twinning.messages import render
from twinning.models.hires import place_hires
from twinning.plan import Hire, Move, Plan
from twinning.rules.hires import fits, remaining_after, rural_weak

P1, P2 = "2025-2026-1", "2025-2026-2"


def plan_with(hires: list[Hire], roster: list[Move] | None = None) -> Plan:
    """A roster plan holding only these hires (and moves)."""
    return Plan(
        instance="tiny",
        parts=["roster"],
        status="optimal",
        objective=0,
        roster=roster or [],
        hires=hires,
    )


def placed(inst: Instance, roster: list[Move] | None = None) -> Plan:
    """The model's placement after this roster, as a plan."""
    return plan_with(place_hires(inst, remaining_after(inst, roster or [])), roster)


def hire_rules(inst: Instance, plan: Plan) -> set[str]:
    """The hire rules ``validate`` finds broken (the roster's own rules are not at stake)."""
    return {v.rule for v in validate(inst, plan).violations if v.rule.startswith("hires.")}


def counts(plan: Plan) -> dict[tuple[str, str], int]:
    return {(h.school, h.subject): h.count for h in plan.hires}


def line(sid: str, count: int = 1, subject: str = "英语") -> Hire:
    return Hire(school=sid, subject=subject, count=count, reason="by hand")


def english_county(*new: NewHire, policy: dict[str, object] | None = None) -> Instance:
    """town (urban, strong) short 3 English at priority 1; village (rural, weak) short 1 at
    priority 3: rural-weak-first and priority pull opposite ways."""
    return county(
        [school("town"), school("village", tier="weak", area="rural", km=10)],
        staff=[teacher("english_city", "town", "英语")],
        needs=[
            need("town", "英语", shortage=3, priority=1),
            need("village", "英语", shortage=1, priority=3),
        ],
        new_hires=list(new),
        policy=policy,  # type: ignore[arg-type]
    )


def stage_county(*new: NewHire) -> Instance:
    """nine (rural, weak, nine-year), junior (urban junior) and primary (rural primary),
    each short one English teacher."""
    return county(
        [
            school("nine", stage="nine_year", tier="weak", area="rural"),
            school("junior", stage="junior", km=5),
            school("primary", tier="ordinary", area="rural", km=9),
        ],
        needs=[need(s, "英语", shortage=1) for s in ("nine", "junior", "primary")],
        new_hires=list(new),
    )


# ---- hires.count ----------------------------------------------------------------------------


def test_hires_count_feasible() -> None:
    inst = english_county(hire("英语", count=2))
    plan = placed(inst)
    assert sum(h.count for h in plan.hires) == 2  # four short, two hired: both placed
    assert hire_rules(inst, plan) == set()


def test_hires_count_infeasible() -> None:
    # One teacher hired, two placed (both where English is short).
    one = stage_county(hire("英语"))
    assert hire_rules(one, plan_with([line("nine"), line("primary")])) == {"hires.count"}
    # Two hires in all, but only one of them is a primary teacher: the primary school
    # cannot take both, although the nine-year school could take either.
    staged = stage_county(hire("英语", "primary"), hire("英语", "junior"))
    either_way = plan_with([line("primary", 1), line("nine", 1)])
    assert hire_rules(staged, either_way) == set()
    both_primary = staged.model_copy(
        update={"needs": [*staged.needs, need("primary", "英语", shortage=1)]}
    )
    violations = [
        v
        for v in validate(both_primary, plan_with([line("primary", 2)])).violations
        if v.rule.startswith("hires.")
    ]
    assert [v.rule for v in violations] == ["hires.count"]
    assert violations[0].amount == 1 and "primary" in violations[0].where


# ---- hires.shortage -------------------------------------------------------------------------


def exchange(staff: str, to: str, periods: int = 2) -> Move:
    return Move(
        staff=staff,
        role="teacher",
        subject="英语",
        from_school="town",
        to_school=to,
        first_period=P1,
        periods=periods,
        direction="out",
        kind="exchange",
    )


def test_hires_shortage_feasible() -> None:
    inst = english_county(hire("英语", count=5))
    # The roster already sends an English teacher to the village for the whole year, so
    # its shortage is covered: the hires go to town only, and no more than it lacks.
    roster = [exchange("english_city", "village")]
    assert remaining_after(inst, roster) == {("town", "英语"): (3, 1)}
    plan = placed(inst, roster)
    assert counts(plan) == {("town", "英语"): 3}
    assert hire_rules(inst, plan) == set()
    # A stay of one semester leaves the other semester short: the worst period counts.
    assert remaining_after(inst, [exchange("english_city", "village", 1)])[("village", "英语")] == (
        1,
        3,
    )


def test_hires_shortage_infeasible() -> None:
    inst = english_county(hire("英语", count=5), hire("数学", "junior"))
    roster = [exchange("english_city", "village")]
    cases = {
        "covered by the roster": [line("town", 3), line("village", 1)],
        "more than the shortage": [line("town", 4)],
        "no shortage of the subject": [line("town", 3), line("town", 1, "数学")],
    }
    for name, hires in cases.items():
        assert hire_rules(inst, plan_with(hires, roster)) == {"hires.shortage"}, name
    # A hire at a school the county lacks is the plan's own error, named with its line.
    unknown = validate(inst, plan_with([line("town", 3), line("nowhere")], roster)).violations
    assert [v.where for v in unknown if v.rule == "plan.unknown_school"] == [["nowhere"]]
    # A junior hire never goes to a primary school, whatever it lacks.
    staged = stage_county(hire("英语", "junior", 2))
    assert "hires.shortage" in hire_rules(staged, plan_with([line("primary")]))


# ---- hires.rural_weak_first ----------------------------------------------------------------


def test_hires_rural_weak_first_feasible() -> None:
    inst = english_county(hire("英语"))
    plan = placed(inst)
    # The village's shortage is of lower priority, but it is rural and weak: it comes first.
    assert counts(plan) == {("village", "英语"): 1}
    assert render(plan.hires[0].reason, "en") == (
        "rural weak school short 1 英语 after the roster (priority 3)"
    )
    assert render(plan.hires[0].reason, "zh") == "乡村薄弱校交流后仍缺1名英语教师（优先级3）"
    assert hire_rules(inst, plan) == set()
    # Without the rule, priority decides.
    plain = english_county(hire("英语"), policy={"hires": {"rural_weak_first": False}})
    assert counts(placed(plain)) == {("town", "英语"): 1}


def test_hires_rural_weak_first_infeasible() -> None:
    inst = english_county(hire("英语"))
    town_first = plan_with([line("town")])
    assert hire_rules(inst, town_first) == {"hires.rural_weak_first"}
    plain = english_county(hire("英语"), policy={"hires": {"rural_weak_first": False}})
    assert hire_rules(plain, town_first) == set()
    # A chain through the nine-year school: the junior hire at the urban junior school
    # looks harmless (the nine-year school is full), but giving the nine-year school the
    # junior hire frees the primary hire for the rural primary school.
    staged = stage_county(hire("英语", "primary"), hire("英语", "junior"))
    chain = plan_with([line("nine"), line("junior")])
    assert hire_rules(staged, chain) == {"hires.rural_weak_first"}
    assert counts(placed(staged)) == {("nine", "英语"): 1, ("primary", "英语"): 1}


# ---- hires.maximal --------------------------------------------------------------------------


def test_hires_maximal_feasible() -> None:
    # A junior hire fits no school here: left unplaced, which the rule allows.
    inst = english_county(hire("英语", count=2), hire("英语", "junior", 3))
    plan = placed(inst)
    assert sum(h.count for h in plan.hires) == 2
    assert hire_rules(inst, plan) == set()
    staged = stage_county(hire("英语", "primary"), hire("英语", "junior"))
    assert hire_rules(staged, placed(staged)) == set()


def test_hires_maximal_infeasible() -> None:
    inst = english_county(hire("英语", count=2))
    assert hire_rules(inst, plan_with([line("village")])) == {"hires.maximal"}
    # One of two hires placed, though the other fits a school still short.
    staged = stage_county(hire("英语", "primary"), hire("英语", "junior"))
    assert hire_rules(staged, plan_with([line("nine")])) == {"hires.maximal"}


# ---- the model's order and the plan's table -----------------------------------------------


def test_higher_priority_then_larger_shortage_first() -> None:
    inst = county(
        [school("a"), school("b", km=2), school("c", km=4)],
        needs=[
            need("a", "数学", shortage=1, priority=3),
            need("b", "数学", shortage=1, priority=1),
            need("c", "数学", shortage=3, priority=1),
        ],
        new_hires=[hire("数学", count=2)],
    )
    # b and c share the top priority; c's open shortage is larger, then (at 2) larger again.
    assert counts(placed(inst)) == {("c", "数学"): 2}
    inst3 = inst.model_copy(update={"new_hires": [hire("数学", count=3)]})
    got = counts(placed(inst3))
    assert got[("c", "数学")] + got.get(("b", "数学"), 0) == 3 and ("a", "数学") not in got


def test_hires_table_names_the_school() -> None:
    inst = english_county(hire("英语"))
    plan = placed(inst)
    tables = plan.tables(inst)
    assert tables["hires"].columns == ["school", "name", "subject", "count", "reason"]
    assert tables["hires"].rows[0]["name"] == "village学校"
    assert "hires.csv" in plan.files(inst=inst)


def test_new_hires_csv_with_chinese_headers_is_read(tmp_path: Path) -> None:
    (tmp_path / "schools.csv").write_text(
        "学校代码,学校名称,学段,城乡类型,办学水平,纬度,经度\n"
        "X01,东村小学,小学,乡村,薄弱,40.0,120.0\n",
        encoding="utf-8",
    )
    (tmp_path / "new_hires.csv").write_text(
        "学科,学段,人数\n英语,小学,2\n数学,初中,1\n", encoding="gb18030"
    )
    inst = load_instance(tmp_path)
    assert inst.new_hires == [
        NewHire(subject="英语", stage="primary", count=2),
        NewHire(subject="数学", stage="junior", count=1),
    ]


def test_hires_after_a_solved_roster_validate() -> None:
    inst = county(
        [school("city", students=1000), school("village", tier="weak", area="rural", km=10)],
        staff=[
            teacher("english_due", "city", "英语", years_at_school=8, backbone="county"),
            teacher("english_2", "city", "英语", years_at_school=2),
            *(teacher(f"city_{i}", "city", "语文", years_at_school=2) for i in range(16)),
            *(teacher(f"village_{i}", "village", "语文", age=40) for i in range(8)),
        ],
        # city has an English teacher to spare and keeps one (sender protection, cover)
        needs=[need("village", "英语", shortage=3), need("city", "英语", surplus=1)],
        new_hires=[hire("英语", count=5)],
        policy={"rotation": {"scope": "pair", "two_way": False}},
    )
    result = solve(inst, "roster", time_limit=5)
    roster = result.plan.roster
    lacking = remaining_after(inst, [m for m in roster if m.kind != "mentor"])
    plan = result.plan.model_copy(update={"hires": place_hires(inst, lacking)})
    report = validate(inst, plan)
    assert report.ok, report.violations
    assert sum(h.count for h in plan.hires) == lacking[("village", "英语")][0] >= 2


# ---- property: every placement keeps every rule and places the most possible ---------------

SUBJECTS = ["英语", "数学"]
HIRE_STAGES = ["primary", "junior", "nine_year"]


@st.composite
def hire_counties(draw: st.DrawFn) -> Instance:
    schools: list[School] = []
    needs: list[Need] = []
    for i in range(draw(st.integers(1, 4))):
        sid = f"s{i}"
        schools.append(
            school(
                sid,
                stage=draw(st.sampled_from(["primary", "junior", "nine_year"])),
                tier=draw(st.sampled_from(["strong", "ordinary", "weak"])),
                area=draw(st.sampled_from(["urban", "town", "rural"])),
                km=i,
            )
        )
        for subject in SUBJECTS:
            short = draw(st.integers(0, 2))
            if short:
                needs.append(need(sid, subject, short, priority=draw(st.integers(1, 3))))
    counts: dict[tuple[str, str], int] = {}  # one row per subject and stage, as a file holds
    for n in draw(st.lists(st.integers(1, 2), min_size=1, max_size=3)):
        key = (draw(st.sampled_from(SUBJECTS)), draw(st.sampled_from(HIRE_STAGES)))
        counts[key] = counts.get(key, 0) + n
    new = [hire(subject, stage, n) for (subject, stage), n in counts.items()]
    first = draw(st.booleans())
    return county(
        schools,
        needs=needs,
        new_hires=new,
        policy={"hires": {"rural_weak_first": first}},
    )


def brute_force(inst: Instance, subject: str) -> tuple[int, int]:
    """(most hires placeable, most hires placeable at rural or weak schools), each on its
    own, by trying every fitting school (or none) for every single hire of the subject."""
    lacking = {
        sid: n for (sid, subj), (n, _) in remaining_after(inst, []).items() if subj == subject
    }
    units = [h.stage for h in inst.new_hires if h.subject == subject for _ in range(h.count)]
    options = [
        [None, *(s for s in inst.schools if s.id in lacking and fits(stage, s))] for stage in units
    ]
    most = most_weak = 0
    for choice in itertools.product(*options):
        taken = [s for s in choice if s is not None]
        if all(taken.count(s) <= lacking[s.id] for s in taken):
            most = max(most, len(taken))
            most_weak = max(most_weak, sum(rural_weak(s) for s in taken))
    return most, most_weak


@given(hire_counties())
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_placement_keeps_every_rule_and_places_the_most(inst: Instance) -> None:
    plan = placed(inst)
    for check in HIRE_CHECKS:
        assert check(inst, plan) == [], check.__name__
    schools = {s.id: s for s in inst.schools}
    for subject in SUBJECTS:
        mine = [h for h in plan.hires if h.subject == subject]
        total = sum(h.count for h in mine)
        weak = sum(h.count for h in mine if rural_weak(schools[h.school]))
        most, most_weak = brute_force(inst, subject)
        assert total == most
        if inst.policy.hires.rural_weak_first:
            assert weak == most_weak
