"""OR-Library p-median with a known optimum, through the public API as an ordinary instance."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.orlib import optima, write_instance
from twinning import load_instance, solve, validate


def test_pmed1_reaches_5819_proven(tmp_path: Path) -> None:
    inst = load_instance(write_instance("pmed1", tmp_path))
    result = solve(inst, "alliances", time_limit=60)
    assert result.status == "optimal"
    assert result.objective == optima()["pmed1"] == 5819
    assert result.bound == pytest.approx(5819)
    assert len({m.lead for m in result.plan.alliances}) == 5
    report = validate(inst, result.plan)
    assert report.ok, report.violations[:3]
    assert report.objectives["alliances"].value == 5819
