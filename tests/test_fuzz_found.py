"""What the fuzz suite (``tests/fuzzing.py``) found, each fixed and held here by a test of
its own (the list with the cases that found them: ``tests/benchmarks/results/fuzz.md``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import INSTANCES
from tests.test_roster_rules import base, moved, solved
from twinning import validate
from twinning.cli.main import app
from twinning.messages import render

DEMO = INSTANCES / "demo-county"


def test_a_roster_line_stating_another_role_or_subject_is_a_violation() -> None:
    # Found by the breach "role"/"subject": a line saying the English teacher moves as a
    # principal of PE passed validate (exit 0), and adopt stored the role and subject as
    # written; the checks count the instance's, so nothing else gave it away.
    inst = base()
    result = solved(inst)  # the plan as solved is valid
    line = moved(result)["english_due"]
    lied = line.model_copy(update={"role": "principal", "subject": "体育"})
    roster = [lied if m is line else m for m in result.plan.roster]
    report = validate(inst, result.plan.model_copy(update={"roster": roster}))
    found = {v.code: v for v in report.violations if v.rule == "plan.roster_figures"}
    assert set(found) == {"check.plan.roster_figures.role", "check.plan.roster_figures.subject"}
    role = found["check.plan.roster_figures.role"]
    assert "english_due" in role.where
    assert render(role.msg, "en") == "english_due is a teacher, the line says principal"
    assert render(role.msg, "zh") == "english_due是教师，名单填写为校长"
    subject = found["check.plan.roster_figures.subject"]
    assert render(subject.msg, "en") == "english_due teaches 英语, the line says 体育"


@pytest.mark.parametrize("given", ["-", ""])
@pytest.mark.parametrize(
    "command",
    [
        ["generate", "--schools", "6", "--staff", "40", "-o"],
        ["solve", str(DEMO), "--parts", "pairs", "--time-limit", "5", "-q", "-o"],
        ["batch", str(DEMO), "--parts", "pairs", "--time-limit", "5", "-o"],
        ["frontier", str(DEMO), "--points", "2", "--parts", "pairs", "-o"],
        ["history", "--registry", "sqlite:///r.db", "-o"],
        ["report", str(DEMO), "plan.json", "--html"],
        ["report", str(DEMO), "plan.json", "--xlsx"],
    ],
    ids=["generate", "solve", "batch", "frontier", "history", "report-html", "report-xlsx"],
)
def test_an_output_named_dash_or_nothing_is_refused_writing_nothing(
    command: list[str], given: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Found by the command lines: `generate -o -` wrote a county into a folder called "-",
    # `generate -o ""` into the current folder, `batch -o ""` its summary.csv there: an
    # output option that names no file is exit 2, said before any work, and nothing written.
    monkeypatch.chdir(tmp_path)
    for lang, said in (("en", "give a file or folder name"), ("zh", "请给出文件或文件夹名称")):
        result = CliRunner().invoke(app, [*command, given, "--lang", lang])
        assert result.exit_code == 2, result.output
        assert said in result.stderr, result.stderr
        assert os.listdir(tmp_path) == []


def test_an_output_named_dot_is_still_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(app, ["generate", "--schools", "6", "--staff", "40", "-o", "."])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "schools.csv").is_file()


def test_a_plan_that_is_a_loop_of_links_is_refused_by_name(tmp_path: Path) -> None:
    # Found by the command lines (`validate DEMO loop-a`): OSError "too many levels of
    # symbolic links", exit 3; now exit 2 naming the link, as the instance readers do.
    (tmp_path / "loop-b").symlink_to("loop-a")
    (tmp_path / "loop-a").symlink_to("loop-b")
    result = CliRunner().invoke(app, ["validate", str(DEMO), str(tmp_path / "loop-a")])
    assert result.exit_code == 2, result.output
    assert "loop-a" in result.stderr and "loop" in result.stderr, result.stderr


def test_batch_into_a_file_is_refused_before_solving(tmp_path: Path) -> None:
    # Found by the command lines (`batch ... --out a-file`): every instance solved, then
    # FileExistsError writing summary.csv, exit 3; now exit 2 before any solve.
    target = tmp_path / "a-file"
    target.write_text("not a folder\n", encoding="utf-8")
    args = ["batch", str(DEMO), "--parts", "pairs", "--time-limit", "5", "-o", str(target)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2, result.output
    assert "[1/1]" not in result.stdout
    assert target.read_text(encoding="utf-8") == "not a folder\n"
