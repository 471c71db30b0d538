"""School facilities of a synthetic county: the four resource indicators of the 优质均衡
evaluation that are not staff (县域义务教育优质均衡发展督导评估办法, 教督〔2017〕6号).

Each school gets four totals (the schools.csv columns): ``teaching_area`` (教学及辅助用房
面积, m²), ``sports_area`` (体育运动场馆面积, m²), ``equipment_value`` (教学仪器设备值,
yuan) and ``multimedia_rooms`` (网络多媒体教室数). They are drawn per student around the
evaluation's standards (:data:`STANDARDS`) and multiplied by the school's students:

* city and town-centre schools mostly above every standard, a crowded city school now and
  then below on sports grounds;
* village schools often below, most often on equipment and multimedia rooms (a school of
  60 pupils with one multimedia room has 1.7 per 100 students), weak schools below more
  often than others;
* one condition per school shared by its four figures, so that a school below on one
  tends to be below on others (the evaluation's per-school test counts them together).

A nine- or twelve-year school's standard is its stages' standards weighted by their grades
(6 primary and 3 junior of 9). The evaluation covers compulsory schools only; a
kindergarten is given the primary figures and a senior school the junior ones, so that
every school has all four columns.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from twinning.county.policy import Policy
from twinning.synthetic.places import County
from twinning.synthetic.terms import AREAS, TIERS, FloatArray, codes, grade_weights

#: The four facility columns of schools.csv, in file order.
FACILITY_COLUMNS: tuple[str, ...] = (
    "teaching_area",
    "sports_area",
    "equipment_value",
    "multimedia_rooms",
)

_POLICY_STANDARDS = Policy().balance.standards

#: The evaluation's standards per base stage (the policy's ``balance.standards``), in
#: :data:`FACILITY_COLUMNS` order: m² of teaching and auxiliary rooms and of sports grounds
#: per student, yuan of teaching equipment per student, networked multimedia classrooms
#: per 100 students.
STANDARDS: dict[str, tuple[float, float, float, float]] = {
    stage: (
        _POLICY_STANDARDS["teaching_area"][stage],
        _POLICY_STANDARDS["sports_area"][stage],
        _POLICY_STANDARDS["equipment_value"][stage],
        _POLICY_STANDARDS["multimedia_rooms"][stage],
    )
    for stage in ("primary", "junior")
}
# Stages the evaluation does not cover take the figures of the nearest one it does.
_BORROWED = {"kindergarten": "primary", "senior": "junior"}

# Mean log of a school's figure over its standard, by area (rows: urban, town, rural) and
# column; tiers shift all four; the spread of each figure by area; a condition shared by
# a school's four figures.
_MEAN = np.array(
    [
        [0.25, 0.16, 0.35, 0.35],  # urban: crowded schools are short of sports grounds first
        [0.24, 0.22, 0.24, 0.24],  # town
        [0.28, 0.22, 0.16, 0.18],  # rural: equipment and multimedia rooms lag most
    ]
)
_TIER_SHIFT = np.array([0.06, 0.0, -0.06])  # strong, ordinary, weak
_SPREAD = np.array([0.12, 0.15, 0.18])  # urban, town, rural
_SHARED = 0.12


def standards_per_student(stage: str) -> tuple[float, float, float, float]:
    """A stage's four standards per student (multimedia rooms per 100 students): the
    base stages' standards weighted by their grades."""
    out = np.zeros(4)
    for base, weight in grade_weights(stage).items():
        out += weight * np.array(STANDARDS[_BORROWED.get(base, base)])
    return (float(out[0]), float(out[1]), float(out[2]), float(out[3]))


def facilities_table(c: County, rng: np.random.Generator) -> pd.DataFrame:
    """The four facility totals per school (one row per school, in the county's order).

    Areas are whole m², equipment is rounded to 100 yuan, multimedia rooms to a whole
    number (at random in proportion to the fraction: small schools scatter around the
    standard, as they do).
    """
    by_stage = {str(s): standards_per_student(str(s)) for s in set(c.stage)}
    standard = np.array([by_stage[str(s)] for s in c.stage]).reshape(c.n, 4)
    area = codes(c.area, AREAS)
    tier = codes(c.tier, TIERS)
    shared = rng.normal(0.0, _SHARED, c.n)
    own = rng.normal(0.0, 1.0, (c.n, 4)) * _SPREAD[area][:, None]
    factor = np.exp(_MEAN[area] + _TIER_SHIFT[tier][:, None] + shared[:, None] + own)
    per_student = standard * factor
    per_student[:, 3] /= 100.0  # rooms per student
    total: FloatArray = per_student * c.students[:, None]
    rooms = np.floor(total[:, 3] + rng.random(c.n)).astype(np.int64)
    return pd.DataFrame(
        {
            "teaching_area": np.round(total[:, 0]).astype(np.int64),
            "sports_area": np.round(total[:, 1]).astype(np.int64),
            "equipment_value": (np.round(total[:, 2] / 100.0) * 100).astype(np.int64),
            "multimedia_rooms": rooms,
        },
        columns=list(FACILITY_COLUMNS),
    )
