"""The vocabulary of the synthetic county: imported from the data model and the policy.

Stage, area, tier, role, backbone and status values come from
:mod:`twinning.vocabulary`; staffing ratios and subject shares are the
policy defaults (``needs.students_per_teacher``, ``needs.subject_shares``), so that
``needs.csv`` written by the generator and needs derived by the solver agree.
What the model does not define (quotas of nine- and twelve-year schools) is
derived here from those definitions.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import get_args

import numpy as np
import numpy.typing as npt

from twinning.county.policy import Policy
from twinning.vocabulary import (
    ALIASES,
    GRADES,
    STAGE_COVERS,
    Area,
    Backbone,
    Role,
    StaffStatus,
    Stage,
    Tier,
)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

# ---- imported vocabulary -----------------------------------------------------------------

#: Stage values (the ``stage`` enum of schools.csv).
STAGES: tuple[str, ...] = get_args(Stage)
#: Area, tier, role, backbone level and staff status values, in the order codes index them.
AREAS: tuple[str, ...] = get_args(Area)
TIERS: tuple[str, ...] = get_args(Tier)
ROLES: tuple[str, ...] = get_args(Role)
BACKBONE_LEVELS: tuple[str, ...] = get_args(Backbone)
STATUSES: tuple[str, ...] = get_args(StaffStatus)

#: Base stages (those with their own grades and staffing ratio), youngest first.
BASE_STAGES: tuple[str, ...] = tuple(GRADES)

#: Names accepted for a stage in ``stage_mix``: the values and their aliases, as in schools.csv.
STAGE_NAMES: dict[str, str] = {**{s: s for s in STAGES}, **ALIASES["stage"]}

_NEEDS = Policy().needs

#: Students per teacher for the base stages: the national staffing ratios (编制标准).
STAFFING_RATIOS: dict[str, float] = dict(_NEEDS.students_per_teacher)

# The policy defaults have no senior-high shares (the solver derives no senior quota
# without needs.csv); the generator keeps its own so that senior and twelve-year
# schools get a realistic subject mix. Policy shares take precedence when present.
_SENIOR_SHARES: dict[str, float] = {
    "语文": 0.14,
    "数学": 0.14,
    "英语": 0.12,
    "物理": 0.08,
    "化学": 0.07,
    "生物": 0.07,
    "历史": 0.06,
    "地理": 0.06,
    "思想政治": 0.07,
    "音乐": 0.03,
    "体育": 0.08,
    "美术": 0.03,
    "信息技术": 0.05,
}

#: How each base stage's teacher quota splits by subject.
BASE_SHARES: dict[str, dict[str, float]] = {"senior": _SENIOR_SHARES, **_NEEDS.subject_shares}

# ---- derived quotas ----------------------------------------------------------------------


def grade_weights(stage: str) -> dict[str, float]:
    """Share of a school's students in each base stage it covers, by number of grades."""
    covers = [s for s in BASE_STAGES if s in STAGE_COVERS[stage]]
    total = sum(GRADES[s] for s in covers)
    return {s: GRADES[s] / total for s in covers}


def _teachers_per_student(stage: str) -> float:
    """Quota teachers per student: grade-weighted blend of the base-stage ratios."""
    return sum(w / STAFFING_RATIOS[s] for s, w in grade_weights(stage).items())


def _blended_shares(stage: str) -> dict[str, float]:
    """Subject shares of a stage: base shares weighted by the quota each base stage brings."""
    per_student = _teachers_per_student(stage)
    shares: dict[str, float] = {}
    for base, weight in grade_weights(stage).items():
        part = weight / STAFFING_RATIOS[base] / per_student
        for subject, share in BASE_SHARES[base].items():
            shares[subject] = shares.get(subject, 0.0) + part * share
    return shares


#: How each stage's teacher quota splits by subject (nine- and twelve-year: blended).
SUBJECT_SHARES: dict[str, dict[str, float]] = {s: _blended_shares(s) for s in STAGES}

#: Students per teacher per stage; nine_year ~16.7 and twelve_year ~15.2 are blends.
STUDENTS_PER_TEACHER: dict[str, float] = {s: 1.0 / _teachers_per_student(s) for s in STAGES}

_BASE_BIT: dict[str, int] = {s: 1 << i for i, s in enumerate(BASE_STAGES)}


def stage_mask(stage: str) -> int:
    """Bit mask of the base stages a stage covers: schools share a stage when masks overlap."""
    return sum(_BASE_BIT[s] for s in STAGE_COVERS[stage])


# ---- subjects (the generator's own: the model takes any subject name) --------------------

#: All subjects, in the order needs rows are listed.
SUBJECTS: tuple[str, ...] = (
    "学前教育",
    "语文",
    "数学",
    "英语",
    "科学",
    "物理",
    "化学",
    "生物",
    "历史",
    "地理",
    "道德与法治",
    "思想政治",
    "音乐",
    "体育",
    "美术",
    "信息技术",
)

#: Subjects a school must staff with at least one specialist (开齐开足), however small.
SPECIALIST_SUBJECTS: tuple[str, ...] = ("英语", "音乐", "体育", "美术", "信息技术")

#: Shortages that get priority 1 at rural schools (the subjects 走教 / 支教 exist for).
PRIORITY_SUBJECTS: tuple[str, ...] = ("英语", "音乐", "体育", "美术")


def share_matrix(stages: npt.NDArray[np.object_]) -> FloatArray:
    """Quota subject shares per school (rows) and subject (columns of SUBJECTS)."""
    by_stage = {
        s: np.array([SUBJECT_SHARES[s].get(subj, 0.0) for subj in SUBJECTS]) for s in STAGES
    }
    return np.stack([by_stage[s] for s in stages]) if len(stages) else np.zeros((0, len(SUBJECTS)))


# ---- helpers -----------------------------------------------------------------------------


def codes(values: npt.NDArray[np.object_], labels: Sequence[str]) -> IntArray:
    """Index of each value in ``labels`` (values are known to be among them)."""
    lookup = {label: i for i, label in enumerate(labels)}
    return np.fromiter((lookup[v] for v in values), dtype=np.int64, count=len(values))
