"""Subject needs of a synthetic county: each school's quota by subject against its staff."""

from __future__ import annotations

import numpy as np
import pandas as pd

from twinning.io.headers import FIELDS
from twinning.synthetic.places import County
from twinning.synthetic.terms import (
    PRIORITY_SUBJECTS,
    SPECIALIST_SUBJECTS,
    STUDENTS_PER_TEACHER,
    SUBJECTS,
    IntArray,
    share_matrix,
)


def _quota_matrix(c: County) -> IntArray:
    """Quota teachers per school and subject (rounded half up), specialists at least one."""
    per_student = np.array([1.0 / STUDENTS_PER_TEACHER[s] for s in c.stage])
    quota = (c.students * per_student)[:, None] * share_matrix(c.stage)
    rounded = np.floor(quota + 0.5).astype(np.int64)
    special = np.isin(np.array(SUBJECTS), SPECIALIST_SUBJECTS)[None, :] & (quota > 0)
    out: IntArray = np.where(special, np.maximum(rounded, 1), rounded).astype(np.int64)
    return out


def needs_table(c: County, subject_counts: IntArray) -> pd.DataFrame:
    """Shortage / surplus rows per school and subject, from quota versus staff."""
    quota = _quota_matrix(c)
    shortage = np.maximum(0, quota - subject_counts)
    surplus = np.maximum(0, subject_counts - quota)
    rows, cols = np.nonzero((shortage > 0) | (surplus > 0))
    subj = np.array(SUBJECTS, dtype=object)[cols]
    rural = c.area[rows] == "rural"
    short = shortage[rows, cols]
    priority = np.where(
        short == 0, 3, np.where(rural & np.isin(subj, PRIORITY_SUBJECTS), 1, 2)
    ).astype(np.int64)
    data = {
        "school": c.ids[rows],
        "subject": subj,
        "shortage": short.astype(np.int64),
        "surplus": surplus[rows, cols].astype(np.int64),
        "period": pd.array([None] * len(rows), dtype="str"),
        "priority": priority,
    }
    # Only the columns the generator fills, in file order.
    return pd.DataFrame(data, columns=[c for c in FIELDS["needs"] if c in data])
