"""Builders for tiny instances with telling names, shared by the tests."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from twinning.county.instance import Fixed, HistoryEntry, Instance, Need, NewHire, School, Staff
from twinning.county.policy import Policy

ROOT = Path(__file__).resolve().parents[1]
INSTANCES = ROOT / "instances"

#: One degree of latitude is about 111.2 km; schools are placed on a meridian.
KM_PER_DEG = 111.195


def school(
    sid: str,
    *,
    stage: str = "primary",
    tier: str = "strong",
    area: str = "urban",
    km: float = 0.0,
    **extra: Any,
) -> School:
    """A school ``km`` north of the county town."""
    return School(
        id=sid,
        name=f"{sid}学校",
        stage=stage,
        area=area,
        tier=tier,  # type: ignore[arg-type]
        lat=40.0 + km / KM_PER_DEG,
        lon=120.0,
        students=extra.pop("students", 500),
        **extra,
    )


def teacher(tid: str, sid: str, subject: str = "语文", **extra: Any) -> Staff:
    """A teacher at a school."""
    return Staff(
        id=tid,
        school=sid,
        role=extra.pop("role", "teacher"),
        subject=subject,
        years_at_school=extra.pop("years_at_school", 3),
        **extra,
    )


def need(sid: str, subject: str, shortage: int = 0, surplus: int = 0, **extra: Any) -> Need:
    return Need(school=sid, subject=subject, shortage=shortage, surplus=surplus, **extra)


def hire(subject: str, stage: str = "primary", count: int = 1) -> NewHire:
    """This year's new teachers of a subject and stage (a row of new_hires.csv)."""
    return NewHire(subject=subject, stage=stage, count=count)  # type: ignore[arg-type]


def past_pair(helper: str, helped: str, period: str = "2024-2025") -> HistoryEntry:
    return HistoryEntry(kind="pair", period=period, from_school=helper, to_school=helped)


def pinned_pair(helper: str, helped: str) -> Fixed:
    return Fixed(kind="pair", from_school=helper, to_school=helped)


def county(
    schools: list[School],
    *,
    staff: list[Staff] | None = None,
    needs: list[Need] | None = None,
    history: list[HistoryEntry] | None = None,
    fixed: list[Fixed] | None = None,
    new_hires: list[NewHire] | None = None,
    policy: dict[str, Any] | None = None,
) -> Instance:
    """An instance from parts; ``policy`` overrides as nested dicts."""
    return Instance(
        name="tiny",
        schools=schools,
        staff=staff or [],
        needs=needs or [],
        history=history or [],
        fixed=fixed or [],
        new_hires=new_hires or [],
        policy=Policy.model_validate(policy or {}),
    )


@pytest.fixture(scope="session")
def demo_path() -> Path:
    return INSTANCES / "demo-county"


#: Policy that makes a county of ``twinning generate`` solvable when a test only uses it to
#: drive something else (the command line, batches, output files). Under their default
#: policy such counties are honestly infeasible (see test_cli.py's
#: test_generated_county_under_its_default_policy_is_infeasible): quotas no teacher can
#: meet. The planner accepts schools below their quota (each listed).
VEHICLE_POLICY = "\n[rotation]\ncap_quota = true\n[outreach]\ncap_visits = true\n"


def as_vehicle(folder: Path) -> Path:
    """Add :data:`VEHICLE_POLICY` to a generated county's ``policy.toml`` (the shipped demo
    county already has it)."""
    policy = folder / "policy.toml"
    text = policy.read_text(encoding="utf-8")
    if "cap_quota = true" in text:
        if "cap_visits" not in text:  # the shipped demo county: visits may be held below too
            policy.write_text(text + "\n[outreach]\ncap_visits = true\n", encoding="utf-8")
        return folder
    assert "[rotation]" not in text, "the county already sets rotation keys"
    policy.write_text(text + VEHICLE_POLICY, encoding="utf-8")
    return folder


def demo_vehicle(tmp_path: Path) -> Path:
    """A copy of the shipped demo county (made by ``twinning generate``) under
    :data:`VEHICLE_POLICY`."""
    folder = tmp_path / "demo-county"
    shutil.copytree(INSTANCES / "demo-county", folder)
    return as_vehicle(folder)


# CI runs the property tests on a fixed sequence of examples, so that a run that lands is
# reproducible; developers' runs explore new examples each time.
from hypothesis import settings as _hypothesis_settings  # noqa: E402

_hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if __import__("os").environ.get("CI"):
    _hypothesis_settings.load_profile("ci")
