"""Realistic synthetic counties: schools, staff, subject needs and last cycle's history.

The generator builds the four CSV tables of the instance (README, "File formats") (``schools``,
``staff``, ``needs``, ``history``) for a county of any size, deterministically
for a seed. It is numpy/pandas on the project's own vocabulary
(:mod:`twinning.synthetic.terms`) and writes through :mod:`twinning.io.export`; it never
imports a solver library, so tests, benchmarks and a province batch can call it cheaply.

The shape of the data follows what bureau reports describe:

* a county town (城关镇) with about a third of the schools, larger and mostly
  strong; township centres (镇区) within ~50 km; village schools (乡村) around
  them, small and often weak;
* staff allocated by the national staffing ratios (编制), with the structural
  imbalance planners fight: village schools short of English, music, PE, art
  and IT teachers; city and township-centre schools with specialists to spare
  (whom 走教 circuits send to the villages), city schools with extra Chinese and
  maths teachers;
* backbone teachers (骨干教师) concentrated in urban strong schools;
* the facilities the 优质均衡 evaluation measures (teaching rooms, sports grounds,
  equipment, multimedia classrooms): town and city schools mostly above the standards,
  a share of village and weak schools below;
* last cycle's twinning pairs, a few alliances and exchanges, so that the
  "do not repeat last cycle" rules have something to bite on.

The work is split by purpose: :mod:`~twinning.synthetic.places` (townships and
schools), :mod:`~twinning.synthetic.staff`, :mod:`~twinning.synthetic.needs`,
:mod:`~twinning.synthetic.history` and :mod:`~twinning.synthetic.facilities`; this module
holds the public functions.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from twinning.county.policy import SCHOOL_STAGES, Alliances, Policy
from twinning.io.export import policy_toml, write_csv_folder
from twinning.synthetic.facilities import facilities_table
from twinning.synthetic.history import EARLIER_PERIOD, LAST_PERIOD, history_table
from twinning.synthetic.needs import needs_table
from twinning.synthetic.places import COUNTY_CENTRE, URBAN_TOWN, chinese_number, place_schools
from twinning.synthetic.staff import staff_schools, staff_table
from twinning.synthetic.terms import (
    STAGE_NAMES,
    STAGES,
    STUDENTS_PER_TEACHER,
    SUBJECT_SHARES,
    SUBJECTS,
    FloatArray,
    IntArray,
)
from twinning.vocabulary import STAGE_COVERS

__all__ = [
    "COUNTY_CENTRE",
    "DEFAULT_STAGE_MIX",
    "EARLIER_PERIOD",
    "LAST_PERIOD",
    "POLICY_HEADER",
    "STUDENTS_PER_TEACHER",
    "SUBJECTS",
    "SUBJECT_SHARES",
    "URBAN_TOWN",
    "chinese_number",
    "county_policy",
    "default_policy",
    "generate_county",
    "write_county",
]

#: Share of each stage when no ``stage_mix`` is given (a typical county's 义务教育 + 幼儿园).
DEFAULT_STAGE_MIX: dict[str, float] = {
    "kindergarten": 0.10,
    "primary": 0.55,
    "junior": 0.20,
    "nine_year": 0.15,
}

#: First line of a generated ``policy.toml``.
POLICY_HEADER = "Written by twinning generate; override what differs."


# ---- public API --------------------------------------------------------------------------


def generate_county(
    schools: int,
    staff: int,
    seed: int = 0,
    *,
    stage_mix: Mapping[str, int] | None = None,
    regions: Sequence[str] | None = None,
    name: str = "县",
) -> dict[str, pd.DataFrame]:
    """Generate a realistic synthetic county.

    Parameters
    ----------
    schools
        Number of schools (>= 1).
    staff
        Number of staff rows (>= ``schools``: every school has at least its principal).
    seed
        Seed of ``numpy.random.default_rng``; the same arguments give equal tables.
    stage_mix
        Exact number of schools per stage (keys among ``kindergarten``, ``primary``,
        ``junior``, ``senior``, ``nine_year``, ``twelve_year``, or their Chinese names
        as schools.csv accepts them, e.g. ``小学``; values summing to ``schools``).
        Default: about 10% kindergarten, 55% primary, 20% junior, 15% nine-year.
    regions
        Region names (片区). Schools are assigned by their direction from the county
        centre: names holding compass characters (东, 西, 南, 北, 东北, ...) take that
        direction, other names split the compass into equal sectors clockwise from
        north. Default: each school's township (``城关镇`` for the county town).
    name
        County name, used for the flagship schools (``{name}实验小学``).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``schools``, ``staff``, ``needs`` and ``history`` with the English columns
        (:data:`twinning.io.headers.FIELDS`) and enum values of the README's "File formats".
        ``helper_capacity``, ``host_capacity`` and ``can_lead`` are left blank so that
        policy defaults apply; the four facility columns (``teaching_area``,
        ``sports_area``, ``equipment_value``, ``multimedia_rooms``) are school totals
        (:mod:`twinning.synthetic.facilities`).

    Raises
    ------
    ValueError
        On fewer than one school, fewer staff than schools, a bad ``stage_mix`` (unknown
        stage, a stage given twice, negative or non-integer count, wrong sum) or bad
        ``regions`` (empty, blank or repeated names).
    TypeError
        When ``staff`` is not an integer, ``stage_mix`` not a mapping or ``regions`` a
        single string.
    """
    if isinstance(schools, bool) or not isinstance(schools, (int, np.integer)) or schools < 1:
        raise ValueError(f"schools must be a positive integer, got {schools!r}")
    if isinstance(staff, bool) or not isinstance(staff, (int, np.integer)):
        raise TypeError(f"staff must be an integer, got {staff!r}")
    if staff < schools:
        raise ValueError(
            f"staff ({staff}) must be at least schools ({schools}): one principal each"
        )
    counts = _stage_counts(int(schools), stage_mix)
    region_names = _check_regions(regions)
    rng = np.random.default_rng(seed)

    county = place_schools(int(schools), counts, region_names, name, rng)
    alloc, subject_counts = staff_schools(county, int(staff), rng)
    staff_df = staff_table(county, alloc, subject_counts, rng)
    needs_df = needs_table(county, subject_counts)
    history_df = history_table(county, staff_df, rng)
    # Facilities draw from a stream of their own, seeded from the county's without drawing
    # from it: every other column of a seed stays as it was.
    facility_rng = np.random.default_rng(
        [int(rng.bit_generator.state["state"]["state"]) % 2**63, 27]
    )
    county.facilities = facilities_table(county, facility_rng)
    return {
        "schools": county.frame(),
        "staff": staff_df,
        "needs": needs_df,
        "history": history_df,
    }


def write_county(
    tables: Mapping[str, pd.DataFrame], out_dir: str | Path, *, policy: Policy | None = None
) -> list[Path]:
    """Write tables as ``<table>.csv`` files, and ``policy.toml``, into a folder.

    Parameters
    ----------
    tables
        Table name -> DataFrame, as returned by :func:`generate_county`.
    out_dir
        Folder to write into; created (with parents) when missing.
    policy
        When given, written as ``policy.toml`` (the keys that differ from the defaults,
        under :data:`POLICY_HEADER`); see :func:`county_policy`.

    Returns
    -------
    list of pathlib.Path
        The files written, in the order of ``tables``, then ``policy.toml``.

    Raises
    ------
    ValueError
        On a table name that is not one of :data:`twinning.io.headers.FIELDS`.

    Notes
    -----
    Written by :func:`twinning.io.export.write_csv_folder`, as every instance is:
    UTF-8 without BOM, LF line ends, columns in :data:`~twinning.io.headers.FIELDS`
    order, blank cells for missing values. All files go to a temporary folder first
    and are moved into place together, so a reader never sees half a county.
    """
    text = policy_toml(policy, header=POLICY_HEADER) if policy is not None else ""
    rows = {table: _rows(frame) for table, frame in tables.items()}
    columns = {name: list(frame.columns) for name, frame in tables.items()}
    return write_csv_folder(out_dir, rows, policy=text, columns=columns)


def county_policy(
    schools: int,
    regions: Sequence[str] | None = None,
    stages: Sequence[str] | None = None,
) -> Policy:
    """The policy of a generated county: how many alliances, and how they are drawn.

    With regions, one alliance per region and stage, as 海城 groups its primary and
    junior schools east/west/south/north, a strong school leading where the region has
    one and its best ordinary school where not. Otherwise about one alliance per eight
    schools, town leads with village members: given the schools' ``stages`` (the
    ``stage`` column), per stage (a nine-year school counts half to primary and half to
    junior), so that kindergartens, primary and junior schools each get alliances of
    their own; without them, that many for the county.
    """
    if regions:
        return Policy(
            alliances=Alliances(
                groups_per_region=1, by_stage=True, lead_tiers=["strong", "ordinary"]
            )
        )
    if stages is not None:
        share: dict[str, float] = {}
        for value in stages:
            covered = sorted(STAGE_COVERS[value] - {"kindergarten"} or STAGE_COVERS[value])
            for st in covered:
                share[st] = share.get(st, 0.0) + 1 / len(covered)
        groups = {st: max(1, round(share[st] / 8)) for st in SCHOOL_STAGES if st in share}
        return Policy(alliances=Alliances(by_stage=True, groups=groups))
    return Policy(alliances=Alliances(groups=max(1, round(schools / 8))))


def default_policy(schools: int, regions: Sequence[str] | None = None) -> str:
    """:func:`county_policy` as the text of ``policy.toml``."""
    return policy_toml(county_policy(schools, regions), header=POLICY_HEADER)


def _rows(frame: pd.DataFrame) -> Iterator[dict[str, Any]]:
    """A frame's rows as column -> plain Python value, ``None`` for missing values."""
    columns = [str(c) for c in frame.columns]
    values = [frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in columns]
    for row in zip(*values, strict=True):
        yield dict(zip(columns, row, strict=True))


# ---- argument checks ---------------------------------------------------------------------


def _stage_counts(schools: int, stage_mix: Mapping[str, int] | None) -> dict[str, int]:
    """Exact number of schools per stage."""
    if stage_mix is None:
        stages = list(DEFAULT_STAGE_MIX)
        shares = np.array([DEFAULT_STAGE_MIX[s] for s in stages])
        return dict(
            zip(stages, (int(c) for c in _largest_remainder(shares * schools)), strict=True)
        )
    if not isinstance(stage_mix, Mapping):
        raise TypeError("stage_mix must be a mapping of stage -> number of schools")
    unknown = sorted(str(s) for s in stage_mix if s not in STAGE_NAMES)
    if unknown:
        raise ValueError(f"stage_mix: unknown stage(s) {unknown}; allowed: {list(STAGES)}")
    out: dict[str, int] = {}
    seen: dict[str, str] = {}
    for name, count in stage_mix.items():
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 0:
            raise ValueError(f"stage_mix[{name!r}] must be a non-negative integer, got {count!r}")
        stage = STAGE_NAMES[name]
        if stage in seen:
            raise ValueError(f"stage_mix: {seen[stage]!r} and {name!r} are the same stage {stage}")
        seen[stage] = name
        if count:
            out[stage] = int(count)
    if sum(out.values()) != schools:
        raise ValueError(f"stage_mix sums to {sum(out.values())}, not to schools={schools}")
    return out


def _check_regions(regions: Sequence[str] | None) -> list[str] | None:
    if regions is None:
        return None
    if isinstance(regions, str):
        raise TypeError("regions must be a list of names, not one string")
    names = [str(r) for r in regions]
    if not names or any(not n.strip() for n in names) or len(set(names)) != len(names):
        raise ValueError(f"regions must be distinct non-empty names, got {names!r}")
    return names


def _largest_remainder(expected: FloatArray) -> IntArray:
    """Round non-negative reals to integers with the same (rounded) sum."""
    total = round(float(expected.sum()))
    base = np.floor(expected).astype(np.int64)
    order = np.argsort(-(expected - base), kind="stable")
    base[order[: total - int(base.sum())]] += 1
    return base
