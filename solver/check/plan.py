"""The checker's rules of the plan document itself: what it holds, whatever it claims.

A plan read from disk may have been edited, cut short, or made before the county changed
(a school closed, a teacher left). These checks look at every row of every list: rows that
name a school or a person the instance does not have, rows given twice, numbers that are
not finite, rows of a part the plan does not list. Each is a violation naming the list and
the line (1-based, as the rows stand in ``plan.json``), never a crash: the part checks then
run on the rows the instance knows (:func:`known_plan`).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Collection
from operator import attrgetter
from types import UnionType
from typing import Any, Literal, Union, get_args, get_origin

from twinning.check.report import Violation
from twinning.check.shared import once, schools_by_id, staff_by_id
from twinning.county.instance import Instance
from twinning.plan import Plan

#: Each list of the plan -> its fields that name a school, and those that name a person.
NAMED: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "pairs": (("helper", "helped"), ()),
    "unpaired": (("school",), ()),
    "alliances": (("lead", "member"), ()),
    "roster": (("from_school", "to_school"), ("staff", "mentee")),
    "unmet_needs": (("school",), ()),
    "hires": (("school",), ()),
    "circuits": (("home_school", "school"), ("staff",)),
    "unmet_lessons": (("school",), ()),
    "outreach": (("from_school", "to_school"), ("staff",)),
}

#: The plan's lists of each part (the rows a part decides).
PART_ROWS: dict[str, tuple[str, ...]] = {
    "pairs": ("pairs", "unpaired"),
    "alliances": ("alliances",),
    "roster": ("roster", "unmet_needs", "hires"),
    "itinerant": ("circuits", "unmet_lessons"),
    "outreach": ("outreach",),
}


def _unknown(inst: Instance, plan: Plan) -> list[tuple[str, int, str, str]]:
    """(list, line, kind, id) of every id a row names that the instance does not have
    (worked out once per validate(): :func:`check_known` and :func:`known_plan` read it)."""
    return once(_find_unknown, inst, plan)


def _find_unknown(inst: Instance, plan: Plan) -> list[tuple[str, int, str, str]]:
    schools = schools_by_id(inst)
    staff = staff_by_id(inst)
    found: list[tuple[int, int, int, str, str, str]] = []
    for k, (table, (school_fields, staff_fields)) in enumerate(NAMED.items()):
        rows = getattr(plan, table)
        named: list[tuple[str, Collection[str], str]] = [
            (f, schools, "school") for f in school_fields
        ]
        named += [(f, staff, "staff") for f in staff_fields]
        for n, (f, known, kind) in enumerate(named):
            values = list(map(attrgetter(f), rows))
            strange = set(values).difference(known)
            strange.discard(None)
            if not strange:
                continue  # the usual case: every row of the list names what is known
            for line, value in enumerate(values, start=1):
                if value is not None and value not in known:
                    found.append((k, line, n, table, kind, value))
    # the order of a scan row by row: list, line, then the row's fields (schools first)
    found.sort(key=lambda u: u[:3])
    return [(table, line, kind, value) for _, line, _, table, kind, value in found]


#: The message of a row naming an unknown school or person.
UNKNOWN_CODES = {"school": "check.plan.unknown_school.row", "staff": "check.plan.unknown_staff.row"}


def check_known(inst: Instance, plan: Plan) -> list[Violation]:
    """[plan.unknown_school, plan.unknown_staff] Every row names schools and staff the
    instance has (a school closed or a teacher gone since the plan was made is named here,
    with the row's list and line)."""
    return [
        Violation(
            rule=f"plan.unknown_{kind}",
            where=[value],
            code=UNKNOWN_CODES[kind],
            params={"table": table, "line": line, "id": value},
        )
        for table, line, kind, value in _unknown(inst, plan)
    ]


def known_plan(inst: Instance, plan: Plan) -> Plan:
    """The plan with only the rows that name schools and staff the instance has, which
    every part's checks (and the report, explain, a re-plan) can read safely."""
    bad: dict[str, set[int]] = {}
    for table, line, _, _ in _unknown(inst, plan):
        bad.setdefault(table, set()).add(line)
    if not bad:
        return plan
    update = {
        table: [row for k, row in enumerate(getattr(plan, table), start=1) if k not in lines]
        for table, lines in bad.items()
    }
    return plan.model_copy(update=update)


def check_duplicates(inst: Instance, plan: Plan) -> list[Violation]:
    """[plan.duplicates] No row is given twice (a duplicated roster line would be adopted,
    and exported, twice)."""
    out = []
    for table in NAMED:
        rows = getattr(plan, table)
        # Rows written alike agree on every text, whole number and yes/no field: only the
        # rows that share those with another are written out (most rows share them with none).
        plain = attrgetter(*_PLAIN_FIELDS[table])
        keys = [plain(row) for row in rows]
        shared = {k for k, n in Counter(keys).items() if n > 1}
        first: dict[str, int] = {}
        for line, row in enumerate(rows, start=1):
            if keys[line - 1] not in shared:
                continue
            key = row.model_dump_json()
            if key in first:
                out.append(
                    Violation(
                        rule="plan.duplicates",
                        where=[str(v) for v in _ids(table, row)],
                        code="check.plan.duplicates",
                        params={"table": table, "line": line, "first": first[key]},
                    )
                )
            else:
                first[key] = line
    return out


def _plain(annotation: Any) -> bool:
    """A field's type holds only text, whole numbers, yes/no or nothing (no float, whose
    NaN and infinity are all written ``null``, and no nested model)."""
    if get_origin(annotation) is Literal:
        return True
    if get_origin(annotation) in (Union, UnionType):
        return all(_plain(a) for a in get_args(annotation))
    return annotation in (str, int, bool, type(None))


def _plain_fields(table: str) -> tuple[str, ...]:
    (model,) = get_args(Plan.model_fields[table].annotation)
    found = tuple(f for f, info in model.model_fields.items() if _plain(info.annotation))
    return found if len(found) != 1 else (found[0], found[0])  # attrgetter of two: a tuple


#: Each list of the plan -> the fields of its rows read by :func:`check_duplicates` first.
_PLAIN_FIELDS = {table: _plain_fields(table) for table in NAMED}


def _may_be_float(annotation: Any) -> bool:
    if get_origin(annotation) in (Union, UnionType):
        return any(_may_be_float(a) for a in get_args(annotation))
    return annotation is float


#: Each list of the plan -> the fields of its rows that may hold a float.
_FLOAT_FIELDS = {
    table: tuple(
        f
        for f, info in get_args(Plan.model_fields[table].annotation)[0].model_fields.items()
        if _may_be_float(info.annotation)
    )
    for table in NAMED
}


def _ids(table: str, row: Any) -> list[str]:
    school_fields, staff_fields = NAMED[table]
    return [getattr(row, f) for f in (*staff_fields, *school_fields) if getattr(row, f)]


def check_finite(inst: Instance, plan: Plan) -> list[Violation]:
    """[plan.finite] Every number of the plan is finite (a NaN or infinite distance, lesson
    count or cost term is no figure a bureau can sign)."""
    out = []
    for table in NAMED:
        rows = getattr(plan, table)
        # A sum of floats is finite only when each of them is: a finite sum of each field
        # that may hold one clears the table at once; otherwise its rows are read one by one
        # for the lines and fields to name.
        if all(
            math.isfinite(sum(v for v in map(attrgetter(f), rows) if v is not None))
            for f in _FLOAT_FIELDS[table]
        ):
            continue
        for line, row in enumerate(rows, start=1):
            for field, value in row:
                if isinstance(value, float) and not math.isfinite(value):
                    out.append(_not_finite(table, line, field, value))
    for part, objective in plan.objectives.items():
        for term, value in objective.terms.items():
            if not math.isfinite(value):
                out.append(_not_finite("objectives", 0, f"{part}.{term}", value))
    return out


def _not_finite(table: str, line: int, field: str, value: float) -> Violation:
    return Violation(
        rule="plan.finite",
        where=[table],
        code="check.plan.finite",
        params={"table": table, "line": line, "field": field, "value": str(value)},
    )


def held_parts(plan: Plan) -> list[str]:
    """The parts the plan holds rows of, or lists (whatever its ``parts`` field says)."""
    return [
        part
        for part, tables in PART_ROWS.items()
        if part in plan.parts or any(getattr(plan, t) for t in tables)
    ]


def check_parts(inst: Instance, plan: Plan) -> list[Violation]:
    """[plan.parts] The plan lists every part it holds rows of (a plan claiming only its
    pairs while it holds roster lines is checked as the roster too, and named here)."""
    return [
        Violation(
            rule="plan.parts",
            where=[part],
            code="check.plan.parts.unlisted",
            params={"part": part, "rows": sum(len(getattr(plan, t)) for t in PART_ROWS[part])},
        )
        for part in held_parts(plan)
        if part not in plan.parts
    ]


#: The plan's own checks, run on the plan as written.
PLAN_CHECKS = (check_known, check_duplicates, check_finite, check_parts)
