"""Python's cyclic garbage collector, paused while a county is read or a plan checked.

Reading an 80,000-staff county builds some two million objects that live on, and checking a
plan builds many that do not: the collector, run by the count of objects made, walks the
whole growing heap again and again (about a second of a ``twinning validate`` of the
2,000-school county), and finds nothing, since these structures hold no reference cycles
(what they drop, reference counting frees at once). :func:`paused` turns it off for such a
step and back on after it, as it was; nested or in two threads at once, it is turned back
on only by the step that turned it off, and a cycle made meanwhile is collected by the next
collection after.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused"]


@contextmanager
def paused() -> Iterator[None]:
    """The cyclic garbage collector off within, and as it was on leaving."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
