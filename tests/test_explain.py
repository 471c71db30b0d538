"""Explain and re-plan: the rules in conflict, repairs checked by solving, --set, and a
re-plan that changes as little as the rules allow."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from tests.conftest import INSTANCES
from tests.test_roster_rules import base
from twinning import load_instance, solve, validate
from twinning.cli.main import app
from twinning.county.instance import with_policy
from twinning.county.policy import Policy, SettingError, parse_setting, with_settings
from twinning.explain import (
    Repair,
    explain_infeasible,
    move_reason_rows,
    move_reasons,
    plan_changes,
    school_costs,
    school_reasons,
)
from twinning.io.export import save_instance
from twinning.messages import CATALOGUE, render, render_all

runner = CliRunner()


# ---- --set -------------------------------------------------------------------------------


def test_a_setting_is_read_as_toml_or_text() -> None:
    assert parse_setting("rotation.rate=0.12") == ("rotation.rate", 0.12)
    assert parse_setting("rotation.scope=county") == ("rotation.scope", "county")
    assert parse_setting("rotation.max_km=none") == ("rotation.max_km", None)
    assert parse_setting("alliances.lead_tiers=['strong','ordinary']")[1] == ["strong", "ordinary"]
    policy = with_settings(Policy(), {"rotation.rate": 0.12, "rotation.two_way": False})
    assert policy.rotation.rate == 0.12 and policy.rotation.two_way is False


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("rotation.rat=0.1", "no key 'rat'; rotation has: backbone_share"),
        ("rotation.rate=2", "rotation.rate: Input should be less than or equal to 1"),
        ("rotatio.rate=1", "no key 'rotatio'"),
        ("rotation.rate", "write it as key=value"),
    ],
)
def test_a_bad_setting_names_the_key(text: str, said: str) -> None:
    with pytest.raises(SettingError, match=said.replace("(", r"\(")):
        with_settings(Policy(), dict([parse_setting(text)]))


# ---- why no plan -------------------------------------------------------------------------


def shut_out() -> object:
    """city must move 1 of its teachers; with max_outflow_share 0 and no floor nobody may
    leave: the outflow share and the rate conflict."""
    return base(policy={"rotation": {"max_outflow_share": 0.0, "min_outflow": 0}})


def repaired(inst: object, repair: object) -> None:
    fixed = repair.apply(inst)  # type: ignore[attr-defined]
    result = solve(fixed, "roster", time_limit=5)
    assert result.status in ("optimal", "feasible"), repair
    assert validate(fixed, result.plan).ok


def test_the_outflow_share_is_named_and_its_repair_works() -> None:
    inst = shut_out()
    why = explain_infeasible(inst, "roster", time_limit=60, step_limit=5)  # type: ignore[arg-type]
    assert why.part == "roster" and not why.feasible
    assert set(why.conflict) == {"rotation.max_outflow_share", "rotation.rate"}
    assert any(v.rule == "rotation.rate" and v.where == ["city"] for v in why.misses)
    keys = [set(r.settings) for r in why.repairs]
    assert {"rotation.max_outflow_share"} in keys  # the smallest share that lets one go
    share = next(r for r in why.repairs if set(r.settings) == {"rotation.max_outflow_share"})
    assert 0 < share.settings["rotation.max_outflow_share"] <= 0.1
    # nobody may leave: only rate 0 would meet it, which abandons the rule, never offered
    assert {"rotation.cap_quota"} in keys and {"rotation.rate"} not in keys
    assert why.proven and not why.open_steps
    for repair in why.repairs:
        repaired(inst, repair)


def test_host_capacity_is_raised_only_where_it_binds() -> None:
    inst = base(policy={"rotation": {"host_capacity": 0, "two_way": False}})
    why = explain_infeasible(inst, "roster", time_limit=60, step_limit=5)
    assert "rotation.host_capacity" in why.conflict
    (cap,) = [r for r in why.repairs if r.host_capacity]
    assert set(cap.host_capacity) == {"village"} and cap.host_capacity["village"] >= 1
    assert cap.change is not None and "village 0 -> " in render(cap.change, "en")
    repaired(inst, cap)


def test_a_quota_no_rule_change_can_reach_conflicts_alone(tmp_path: Path) -> None:
    """A generated 5-school county: a junior school with no junior school to send to
    misses its quota whatever else is relaxed; the rate alone is the conflict."""
    from twinning import load_instance

    done = runner.invoke(
        app, ["generate", "--schools", "5", "--staff", "60", "--seed", "0", "-o", str(tmp_path)]
    )
    assert done.exit_code == 0
    inst = load_instance(tmp_path)
    why = explain_infeasible(inst, "pairs,alliances,roster", time_limit=60, step_limit=5)
    assert why.conflict == ["rotation.rate"] and why.proven
    # every rate above 0 asks that school for one teacher: only rate 0 would meet it,
    # which abandons the rule; the listed choice (cap the quota) is the repair
    assert [set(r.settings) for r in why.repairs] == [{"rotation.cap_quota"}]
    least = with_policy(inst, {"rotation.rate": 0.01})
    assert solve(least, "pairs,alliances,roster", time_limit=5).status == "infeasible"
    capped = why.repairs[0].apply(inst)
    assert solve(capped, "pairs,alliances,roster", time_limit=5).status in ("optimal", "feasible")


def test_a_feasible_instance_is_said_to_be() -> None:
    why = explain_infeasible(base(), "roster", time_limit=30, step_limit=5)
    assert why.feasible and why.conflict == [] and why.repairs == []


# ---- the command line ----------------------------------------------------------------------


def folder(inst: object, tmp_path: Path) -> Path:
    out = tmp_path / "county"
    save_instance(inst, out)  # type: ignore[arg-type]
    return out


def test_explain_exits_1_with_the_repairs_and_0_when_feasible(tmp_path: Path) -> None:
    path = folder(base(), tmp_path)
    sets = ["--set", "rotation.max_outflow_share=0", "--set", "rotation.min_outflow=0"]
    bad = runner.invoke(app, ["explain", str(path), "--parts", "roster", *sets])
    assert bad.exit_code == 1, bad.output
    assert "rotation.max_outflow_share, rotation.rate" in bad.output
    assert "--set rotation.max_outflow_share=" in bad.output
    good = runner.invoke(app, ["explain", str(path), "--parts", "roster"])
    assert good.exit_code == 0, good.output
    assert "has a plan keeping every rule" in good.output


def test_solve_records_its_settings_and_validate_applies_them(tmp_path: Path) -> None:
    path = folder(base(), tmp_path)
    out = tmp_path / "plan"
    args = ["solve", str(path), "-o", str(out), "--parts", "roster", "--quiet"]
    done = runner.invoke(app, [*args, "--set", "rotation.max_periods=1"])
    assert done.exit_code == 0, done.output
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    assert plan["settings"] == {"rotation.max_periods": 1}
    assert all(m["periods"] == 1 for m in plan["roster"])
    reasons = (out / "roster_reasons.csv").read_text(encoding="utf-8-sig").splitlines()
    assert reasons[0] == (
        "staff,kind,from_school,from_school_name,to_school,to_school_name,first_period,reason"
    )
    assert len(reasons) == len(plan["roster"]) + 1
    assert any("shortage" in line or "must move" in line for line in reasons[1:])
    checked = runner.invoke(app, ["validate", str(path), str(out / "plan.json")])
    assert checked.exit_code == 0, checked.output
    wrong = runner.invoke(app, [*args, "--set", "rotation.rat=0.2"])
    assert wrong.exit_code == 2 and "no key 'rat'" in wrong.output


def test_an_infeasible_solve_prints_the_short_explanation(tmp_path: Path) -> None:
    path = folder(base(), tmp_path)
    sets = ["--set", "rotation.max_outflow_share=0", "--set", "rotation.min_outflow=0"]
    args = ["solve", str(path), "-o", str(tmp_path / "p"), "--parts", "roster", "--quiet"]
    done = runner.invoke(app, [*args, *sets])
    assert done.exit_code == 1
    assert "why: roster: the rules rotation.max_outflow_share, rotation.rate conflict" in (
        done.output.replace("\n", " ")
    )


# ---- why a plan is what it is, and re-planning ----------------------------------------------


def test_reasons_for_a_move_and_for_staying() -> None:
    inst = base()
    plan = solve(inst, "roster", time_limit=5).plan
    mover = next(m for m in plan.roster if m.kind == "exchange" and m.direction == "out")
    (line,) = render_all(move_reasons(inst, plan, mover.staff), "en")
    assert mover.to_school in line and "city must move" in line
    staff = [
        p.model_copy(update={"status": "exempt"}) if p.id == "city_0" else p for p in inst.staff
    ]
    exempt = inst.model_copy(update={"staff": staff})
    stays = plan.model_copy(update={"roster": [m for m in plan.roster if m.staff != "city_0"]})
    assert render_all(move_reasons(exempt, stays, "city_0"), "en") == [
        "city_0 does not move: not active (staff status)"
    ]


def _doctored(plan: Any, keep: Any) -> Any:
    return plan.model_copy(update={"roster": [m for m in plan.roster if keep(m)]})


def test_a_mentor_line_is_not_a_send() -> None:
    """explain --school counts sends as the roster's school table does: a mentor line (the
    mentor stays at home) is said apart and is not a send, nor in the quota's count."""
    from twinning.io.planfiles import roster_by_school

    inst = base()
    plan = solve(inst, "roster", time_limit=5).plan
    mover = next(m for m in plan.roster if m.kind == "exchange")
    mentor = mover.model_copy(
        update={"staff": "city_3", "kind": "mentor", "mentee": "village_0", "periods": 2}
    )
    doc = plan.model_copy(update={"roster": [*plan.roster, mentor]})
    lines = render_all(school_reasons(inst, doc, "city"), "en")
    table = sum(int(r["out"]) for r in roster_by_school(doc) if r["school"] == "city")
    assert lines[0] == f"city: sends {table}, receives 0"
    assert table == len(plan.roster)
    assert "1 mentor line(s) from city: mentors stay at home, not sends" in lines


def test_a_school_below_its_quota_is_never_told_the_plan_keeps_every_rule() -> None:
    """The quota figures are the checker's: a plan moving nobody from city misses
    rotation.rate there, and a due teacher who stays is told so, not that the plan keeps
    every rule; under rotation.cap_quota the shortfall is the planner's accepted choice."""
    inst = base()
    plan = solve(inst, "roster", time_limit=5).plan
    none = _doctored(plan, lambda m: False)
    assert any(v.rule == "rotation.rate" for v in validate(inst, none).violations)
    school = render_all(school_reasons(inst, none, "city"), "en")
    assert any("1 short: the plan misses the rule here" in line for line in school)
    (stays,) = render_all(move_reasons(inst, none, "english_due"), "en")
    assert "the plan misses rotation.rate there" in stays and "keeps every rule" not in stays
    capped = with_policy(inst, {"rotation.cap_quota": True})
    (stays,) = render_all(move_reasons(capped, none, "english_due"), "en")
    assert "rotation.cap_quota = true" in stays and "a choice of the plan" in stays
    school = render_all(school_reasons(capped, none, "city"), "en")
    assert any("1 short, accepted by rotation.cap_quota = true" in line for line in school)


def test_a_due_stayer_is_told_the_rule_that_kept_them_home() -> None:
    """city may have one away a semester: with music_due away both semesters, a due
    English teacher is kept by rotation.max_outflow_share; with every host short of
    English full, by rotation.host_capacity; with the quota met, it is a choice."""
    inst = base(policy={"rotation": {"max_outflow_share": 0.05, "min_outflow": 0}})
    plan = solve(inst, "roster", time_limit=5).plan
    music = next(m for m in plan.roster if m.staff == "music_due")
    one = plan.model_copy(update={"roster": [music.model_copy(update={"periods": 2})]})
    (stays,) = render_all(move_reasons(inst, one, "english_due"), "en")
    assert "kept at home by a rule" in stays and "rotation.max_outflow_share" in stays
    full = with_policy(base(), {"rotation.host_capacity": 1})
    (stays,) = render_all(move_reasons(full, one, "english_due"), "en")
    assert "rotation.host_capacity" in stays and "full in this plan" in stays
    (stays,) = render_all(move_reasons(base(), one, "english_due"), "en")
    assert "meets its quota with others (1 of 1" in stays and "a choice of the plan" in stays


def test_a_re_plan_changes_only_what_the_new_fact_forces() -> None:
    inst = base(policy={"rotation": {"two_way": True}})
    first = solve(inst, "pairs,roster", time_limit=5)
    assert first.status in ("optimal", "feasible")
    backbone = {p.id for p in inst.staff if p.is_backbone}
    gone = next(m for m in first.plan.roster if m.kind == "exchange" and m.staff not in backbone)
    staff = [
        p.model_copy(update={"status": "exempt"}) if p.id == gone.staff else p for p in inst.staff
    ]
    changed = inst.model_copy(update={"staff": staff})
    again = solve(changed, "pairs,roster", time_limit=5, baseline=first.plan)
    assert validate(changed, again.plan).ok
    assert all(m.staff != gone.staff for m in again.plan.roster if m.kind == "exchange")
    changes = plan_changes(changed, first.plan, again.plan)
    removed = [c for c in changes if c.change == "removed"]
    assert any(
        gone.staff in render(c.row, "en") and "staff.status" in render(c.why, "en") for c in removed
    )
    # the rest of the roster stays: at most the forced line and its replacement change
    kept = {(m.staff, m.to_school) for m in first.plan.roster} & {
        (m.staff, m.to_school) for m in again.plan.roster
    }
    assert len(kept) >= len(first.plan.roster) - 1
    assert "baseline's rows pinned" in render(again.parts["pairs"].method, "en")


# ---- in Chinese: every sentence explain says, with no English word -----------------------

#: A policy key or a file name (rotation.rate, fixed.csv): kept as they are in Chinese.
KEYS = re.compile(r"\b[a-z_]+(?:\.[a-z_]+)+\b")
#: Tool names a Chinese message may keep.
TOOLS = ("CP-SAT", "OR-Tools", "HiGHS", "PuLP", "CBC", "Excel")


def english(text: str, ids: Iterable[str] = ()) -> list[str]:
    """The English words of a Chinese text, ids, policy keys and tool names aside."""
    for name in sorted(ids, key=len, reverse=True):
        text = text.replace(name, " ")
    for tool in TOOLS:
        text = text.replace(tool, " ")
    return re.findall(r"[A-Za-z]{2,}", KEYS.sub(" ", text))


def test_every_explain_template_is_chinese_in_chinese() -> None:
    for code, entry in CATALOGUE.items():
        if code.startswith("explain."):
            words = english(re.sub(r"\{[^}]*\}", " ", entry["zh"]))
            assert not words, (code, entry["zh"])


@pytest.fixture(scope="module")
def demo() -> tuple[Any, Any]:
    inst = load_instance(INSTANCES / "demo-county")
    result = solve(inst, "pairs,alliances,roster", time_limit=20, seed=0)
    assert result.status in ("optimal", "feasible")
    return inst, result.plan


def _ids(inst: Any, plan: Any) -> set[str]:
    return (
        {s.id for s in inst.schools}
        | {p.id for p in inst.staff}
        | {m.alliance for m in plan.alliances}
        | set(inst.policy.horizon.periods)
    )


def test_each_roster_line_s_reason_is_said_in_chinese(demo: tuple[Any, Any]) -> None:
    inst, plan = demo
    rows = move_reason_rows(inst, plan)
    assert len(rows) == len(plan.roster) > 0
    ids = _ids(inst, plan)
    for row in rows:
        zh = render(row["reason"], "zh")
        assert zh and not english(zh, ids), (row, zh)
        assert render(row["reason"], "en") != zh


def test_a_mover_s_and_a_stayer_s_reasons_are_said_in_chinese(demo: tuple[Any, Any]) -> None:
    inst, plan = demo
    ids = _ids(inst, plan)
    mover = next(m.staff for m in plan.roster if m.kind == "exchange")
    moved = {m.staff for m in plan.roster}
    stayers = [p.id for p in inst.staff if p.id not in moved]
    said = [*move_reasons(inst, plan, mover), *move_reasons(inst, plan, "nobody")]
    for staff in stayers:
        said += move_reasons(inst, plan, staff)
    assert {m.code for m in said} >= {"explain.staff.move", "explain.staff.stays"}
    for m in said:
        zh = render(m, "zh")
        assert not english(zh, ids | {"nobody"}), zh
    (line,) = move_reasons(inst, plan, mover)
    assert "交流" in render(line, "zh") and " -> " in render(line, "en")


def test_a_school_s_reasons_are_said_in_chinese(demo: tuple[Any, Any]) -> None:
    inst, plan = demo
    ids = _ids(inst, plan)
    said = [m for s in inst.schools for m in school_reasons(inst, plan, s.id)]
    said += school_reasons(inst, plan, "nowhere")
    codes = {m.code for m in said}
    assert {"explain.school.moves", "explain.school.quota_met", "explain.school.short"} <= codes
    for m in said:
        zh = render(m, "zh")
        why = m.params.get("why")  # a pair's own why is the pairs' message, not explain's
        if why is not None:
            zh = zh.replace(render(why, "zh"), "")
        assert not english(zh, ids | {"nowhere"}), zh
    for _, _, what in school_costs(inst, plan):
        assert not english(render(what, "zh"), ids)


def test_a_re_plan_s_changes_are_said_in_chinese(demo: tuple[Any, Any]) -> None:
    inst, plan = demo
    gone = next(m for m in plan.roster if m.kind == "exchange" and m.direction == "out")
    staff = [
        p.model_copy(update={"status": "exempt"}) if p.id == gone.staff else p for p in inst.staff
    ]
    changed = inst.model_copy(update={"staff": staff})
    again = solve(changed, "pairs,alliances,roster", time_limit=20, seed=0, baseline=plan)
    changes = plan_changes(changed, plan, again.plan)
    assert any(c.why.code == "explain.why.broken" for c in changes)
    ids = _ids(inst, plan) | _ids(changed, again.plan)
    for c in changes:
        assert not english(render(c.row, "zh"), ids), c
        why = render(c.why, "zh")
        violation = c.why.params.get("violation")  # the checker's own message
        if violation is not None:
            why = why.replace(render(violation, "zh"), "")
        assert not english(why, ids), c
    forced = next(c for c in changes if c.why.code == "explain.why.broken")
    assert render(forced.why, "en").startswith("staff.status: ")
    assert render(forced.why, "zh").startswith("免交流、暂缓人员不交流（staff.status）：")


def test_an_explanation_is_said_in_chinese() -> None:
    for inst in (shut_out(), base(policy={"rotation": {"host_capacity": 0, "two_way": False}})):
        why = explain_infeasible(inst, "roster", time_limit=60, step_limit=5)  # type: ignore[arg-type]
        ids = {s.id for s in inst.schools} | {p.id for p in inst.staff}  # type: ignore[attr-defined]
        short = render(why.short(), "zh")
        assert short.startswith("交流轮岗：规则") and "交流比例（rotation.rate）" in short
        assert not english(short, ids), short
        for repair in why.repairs:
            assert repair.change is not None
            assert not english(render(repair.change, "zh"), ids), repair
    feasible = explain_infeasible(base(), "roster", time_limit=30, step_limit=5)
    assert render(feasible.short(), "zh") == "该实例有满足全部规则的方案"


def test_a_repair_of_several_rules_nests_their_changes() -> None:
    from twinning.explain import _words as words
    from twinning.explain.infeasible import ROSTER_RULES, _together

    rules = {r.key: r for r in ROSTER_RULES}
    share = Repair("rotation.max_outflow_share", words.setting("rotation.max_outflow_share", 0.1))
    scope = Repair("rotation.scope", words.setting("rotation.scope", "county"))
    both = _together([(rules[share.key], share), (rules[scope.key], scope)])
    assert both.change is not None and both.change.code == "explain.together"
    assert render(both.change, "en") == (
        "rotation.max_outflow_share = 0.1 and rotation.scope = county"
    )
    zh = render(both.change, "zh")
    assert zh == (
        "同时将派出人数上限（rotation.max_outflow_share）设为0.1；"
        "将交流范围（rotation.scope）设为全县"
    )
    assert render(words.settings({"rotation.max_km": None}), "en") == "rotation.max_km = no limit"


# ---- explain proves what it claims --------------------------------------------------------


def test_a_step_left_undecided_makes_the_conflict_not_proven_smallest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A deletion step that ends with neither a plan nor a proof keeps its rule in the
    conflict unproven: the conflict is then "not proven smallest", the step named."""
    from twinning.explain import infeasible

    real = infeasible._Oracle._answer

    def stuck(self: Any, candidate: Any) -> Any:
        if candidate.policy.rotation.scope == "county" and not candidate.policy.rotation.rate:
            return None
        if candidate.policy.rotation.protect_sender is False:
            return None  # this step's search ends with no answer
        return real(self, candidate)

    monkeypatch.setattr(infeasible._Oracle, "_answer", stuck)
    why = explain_infeasible(shut_out(), "roster", time_limit=60, step_limit=5)  # type: ignore[arg-type]
    assert not why.proven and "rotation.protect_sender" in why.open_steps
    assert "rotation.protect_sender" in why.conflict
    said = render(why.conflict_msg(), "en")
    assert "not proven smallest" in said and "rotation.protect_sender" in said
    assert "not proven smallest" in render(why.short(), "en")
    assert "未证明是最小" in render(why.conflict_msg(), "zh")


def test_no_repair_switches_a_rule_off() -> None:
    """Every repair keeps its rule in force: never the value the search leaves it out
    with (rate 0, no distance limit, shares of 0 or 1); cap_quota is the listed choice."""
    from twinning.explain.infeasible import roster_rules

    rules = {r.key: r for r in roster_rules()}
    cases = [shut_out(), base(policy={"rotation": {"max_km": 5.0, "scope": "county"}})]
    offered = 0
    for inst in cases:
        why = explain_infeasible(inst, "roster", time_limit=60, step_limit=5)  # type: ignore[arg-type]
        assert not why.feasible
        for repair in why.repairs:
            for key, value in repair.settings.items():
                if key == "rotation.cap_quota":
                    continue
                offered += 1
                off = rules[key].off(inst).policy  # type: ignore[arg-type]
                section, name = key.split(".")
                assert value != getattr(getattr(off, section), name), (key, value)
            repaired(inst, repair)
    assert offered >= 1  # the nearest distance (15 km), not "no limit"


def test_the_catalogue_takes_a_rule_the_checker_lists() -> None:
    """A switch the checker lists for the roster joins the conflict catalogue without being
    hand-listed (before the rate, which stays last)."""
    from twinning.explain.infeasible import ROSTER_RULES, roster_rules

    def check_new(f: Any) -> list[Any]:
        """[rotation.secondment_growth] a rule added to the checker."""
        return []

    listed = {r.key for r in ROSTER_RULES}
    assert "rotation.secondment_growth" not in listed
    keys = [r.key for r in roster_rules([check_new])]
    assert "rotation.secondment_growth" in keys and keys[-1] == "rotation.rate"
    grown = next(r for r in roster_rules([check_new]) if r.key == "rotation.secondment_growth")
    assert grown.off(base()).policy.rotation.secondment_growth is False
    assert grown.ladder is None  # a switch: never offered off as a repair


def test_a_verdict_is_a_plan_the_checker_passes_or_a_proof() -> None:
    """The explanation's steps: a plan found keeps every roster rule (the checker says),
    and a quota beyond the options' reach is decided with no search."""
    import time as clock

    from twinning.check.roster import ROSTER_CHECKS, roster_facts
    from twinning.county.distances import Distances
    from twinning.models.roster.options import build_roster_data
    from twinning.models.roster.verdict import moves_of, roster_verdict

    inst = base()
    paired = solve(inst, "pairs", time_limit=5).plan
    pairs = paired.pairs
    data = build_roster_data(inst, pairs, [])
    found = roster_verdict(inst, data, clock.perf_counter() + 20, pairs=pairs, alliances=[])
    assert found.status == "feasible" and found.chosen
    plan = paired.model_copy(
        update={"parts": ["pairs", "roster"], "roster": moves_of(data, found.chosen)}
    )
    facts = roster_facts(inst, plan, Distances(inst))
    assert not [v for check in ROSTER_CHECKS for v in check(facts)]
    shut = shut_out()
    data = build_roster_data(shut, pairs, [])  # type: ignore[arg-type]
    none = roster_verdict(shut, data, clock.perf_counter() + 20)  # type: ignore[arg-type]
    assert (none.status, none.how, none.searches) == ("infeasible", "reach", 0)


def test_every_part_has_a_catalogue_read_from_its_checker() -> None:
    """Alliances, 走教 circuits and 送教 outreach join the conflict catalogue: each part's
    rules are those its checker lists, left out by type, each ladder short of off."""
    from twinning.explain.infeasible import RULES
    from twinning.plan import PART_ORDER

    assert set(RULES) == set(PART_ORDER)
    inst = base()
    keys = {part: {r.key for r in catalogue()} for part, catalogue in RULES.items()}
    assert {"alliances.same_stage", "alliances.mix_area"} <= keys["alliances"]
    assert {"itinerant.max_km_per_day", "itinerant.max_schools_per_day"} <= keys["itinerant"]
    assert {"outreach.max_visits_per_teacher", "outreach.min_weeks_apart"} <= keys["outreach"]
    assert "twinning.max_helped" in keys["pairs"]
    for catalogue in RULES.values():
        for rule in catalogue():
            if rule.key == "rotation.scope":
                continue  # county, the widest scope, is a value of the rule, not its off
            off = rule.off(inst).policy
            section, name = rule.key.split(".")
            left_out = getattr(getattr(off, section), name)
            for value in rule.ladder(inst) if rule.ladder is not None else []:
                assert value != left_out, (rule.key, value)
