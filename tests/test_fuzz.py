"""The bounded fuzz run of the default suite: damaged instances (a CSV folder, a workbook,
a JSON and a YAML document), damaged plans, odd command lines and plans known to break a
rule, each run through the real application in process (``tests/fuzzing.py`` holds the
strategies and the contract). Seeds are fixed (``derandomize``, no example database), so
a run in CI is the same run every time; the longer run is
``tests/benchmarks/fuzz_long.py``, its findings in ``tests/benchmarks/results/fuzz.md``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import fuzzing as fz

EXAMPLES = fz.DEFAULT_EXAMPLES


def bounded(n: int) -> settings:
    return settings(
        max_examples=n,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module")
def ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[fz.Workspace]:
    workspace = fz.make_workspace(tmp_path_factory.mktemp("fuzz"))
    before = fz.snapshot(workspace.demo)
    yield workspace
    assert fz.snapshot(workspace.demo) == before, "the demo county was changed"


@given(case=fz.instance_cases())
@bounded(EXAMPLES["instance"])
def test_a_damaged_instance_is_read_or_refused(ws: fz.Workspace, case: fz.InstanceCase) -> None:
    fz.run_instance_case(ws, case)


@given(case=fz.plan_cases())
@bounded(EXAMPLES["plan"])
def test_a_damaged_plan_is_checked_or_refused(ws: fz.Workspace, case: fz.PlanCase) -> None:
    fz.run_plan_case(ws, case)


@given(line=fz.command_lines())
@bounded(EXAMPLES["command"])
def test_an_odd_command_line_is_run_or_refused(ws: fz.Workspace, line: fz.CommandLine) -> None:
    fz.run_command_line(ws, line)


@pytest.mark.parametrize("kind", sorted(fz.BREACHES))
def test_a_plan_breaking_a_rule_never_passes_validate(ws: fz.Workspace, kind: str) -> None:
    # each breach once, its stated objectives forged to agree for every other kind, so
    # that only the rule broken can give it away
    forge = sorted(fz.BREACHES).index(kind) % 2 == 0
    fz.run_breach(ws, fz.Breach(kind, index=1, forge=forge))


@given(breach=st.builds(fz.Breach, st.sampled_from(sorted(fz.BREACHES)), st.integers(0, 50)))
@bounded(3)
def test_a_plan_breaking_a_rule_is_not_adopted(ws: fz.Workspace, breach: fz.Breach) -> None:
    fz.run_breach(ws, breach, command="adopt")


def test_the_contract_catches_what_it_must(ws: fz.Workspace, tmp_path: Path) -> None:
    # the property is no property if it cannot fail: an exit 3, an escaped exception, a
    # changed input and a stray file each fail it
    plan = tmp_path / "plan.json"
    plan.write_text(ws.plan_text, encoding="utf-8")
    before = fz.snapshot(plan)
    ok = fz.run_cli(["validate", str(ws.demo), str(plan)], cwd=tmp_path / "cwd")
    fz.assert_sound(ok, before, (plan,))
    assert ok.code == 0
    for broken in (
        fz.Outcome(["x"], 3, "", "a defect of twinning"),
        fz.Outcome(["x"], 1, "", "", escaped="Traceback (most recent call last):"),
        fz.Outcome(["x"], 0, "", "", stray=["schools.csv"]),
    ):
        with pytest.raises(AssertionError):
            fz.assert_sound(broken)
    plan.write_text(ws.plan_text + " ", encoding="utf-8")
    with pytest.raises(AssertionError, match="inputs changed"):
        fz.assert_sound(ok, before, (plan,))
