"""What the fuzz suite (``tests/fuzzing.py``) found, each fixed and held here by a test of
its own (the list with the cases that found them: ``tests/benchmarks/results/fuzz.md``)."""

from __future__ import annotations

from tests.test_roster_rules import base, moved, solved
from twinning import validate
from twinning.messages import render


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
