"""What several checks read of one instance and plan, worked out once per ``validate()``.

The checks of each part are written on their own, each from the rule's definition in
:mod:`twinning.rules`; many read the same derived figures (the staff by id, the shortage
table, the surplus table, the staff each school has). :func:`twinning.validation.validate`
opens :func:`sharing` around one plan's checks, and within it :func:`once` computes such a
figure the first time and hands the same object to every later caller: the results are
read, never changed. Outside :func:`sharing` (a check called on its own, the solver, the
report) :func:`once` simply computes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from operator import attrgetter, itemgetter
from typing import Any, TypeVar

from twinning.county.instance import Instance, School, Staff

__all__ = ["once", "schools_by_id", "sharing", "staff_by_id", "subjects_at"]

T = TypeVar("T")

#: (function, ids of its arguments) -> (its result, the arguments, kept so that no other
#: object takes their ids while the memo lives).
_Memo = dict[tuple[Any, ...], tuple[Any, tuple[object, ...]]]
_MEMO: ContextVar[_Memo | None] = ContextVar("twinning_check_shared", default=None)


@contextmanager
def sharing() -> Iterator[None]:
    """Within it, :func:`once` keeps what it works out (and forgets it on leaving)."""
    token = _MEMO.set({})
    try:
        yield
    finally:
        _MEMO.reset(token)


def once(compute: Callable[..., T], *of: object) -> T:
    """``compute(*of)``, worked out once within :func:`sharing` for the same arguments (the
    same objects, by identity); the result is shared, so callers only read it."""
    memo = _MEMO.get()
    if memo is None:
        return compute(*of)
    key = (compute, *(id(o) for o in of))
    got = memo.get(key)
    if got is None:
        value = compute(*of)
        memo[key] = (value, of)
        return value
    result: T = got[0]
    return result


def _staff_by_id(staff: list[Staff]) -> dict[str, Staff]:
    return {t.id: t for t in staff}


def _schools_by_id(schools: list[School]) -> dict[str, School]:
    return {s.id: s for s in schools}


def _subjects_at(staff: list[Staff]) -> Counter[tuple[str, str]]:
    # (school, subject) of each person with a subject, in staff order, at C speed
    return Counter(filter(itemgetter(1), map(attrgetter("school", "subject"), staff)))


def staff_by_id(inst: Instance) -> dict[str, Staff]:
    """Staff id -> the person (read only)."""
    return once(_staff_by_id, inst.staff)


def schools_by_id(inst: Instance) -> dict[str, School]:
    """School id -> the school (read only)."""
    return once(_schools_by_id, inst.schools)


def subjects_at(inst: Instance) -> Counter[tuple[str, str]]:
    """(school, subject) -> teachers of it the school has before the plan (read only)."""
    return once(_subjects_at, inst.staff)
