"""The messages of every part of twinning, gathered: code -> English and Chinese template.

Each area keeps its messages beside the others of its kind in a module of its own
(``twinning.messages.<area>``); this module only gathers them, so that a code is defined
once and two areas never claim the same code.
"""

from __future__ import annotations

from twinning.messages.cadres import ENTRIES as CADRES
from twinning.messages.checks import ENTRIES as CHECKS
from twinning.messages.console import ENTRIES as CONSOLE
from twinning.messages.deadline import ENTRIES as DEADLINE
from twinning.messages.departments import ENTRIES as DEPARTMENTS
from twinning.messages.explain import ENTRIES as EXPLAIN
from twinning.messages.inputs import ENTRIES as INPUTS
from twinning.messages.models import ENTRIES as MODELS
from twinning.messages.noworse import ENTRIES as NOWORSE
from twinning.messages.plan import ENTRIES as PLAN
from twinning.messages.quota import ENTRIES as QUOTA
from twinning.messages.registry import ENTRIES as REGISTRY
from twinning.messages.report import ENTRIES as REPORT
from twinning.messages.serve import ENTRIES as SERVE
from twinning.messages.solving import ENTRIES as SOLVING
from twinning.messages.travel import ENTRIES as TRAVEL
from twinning.messages.usage import ENTRIES as USAGE

#: A sentence kept as it was written (plans and summaries of earlier versions).
PLAIN = {"text": {"en": "{text}", "zh": "{text}"}}


def gather(*areas: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    """The areas' entries as one catalogue; a code claimed by two areas is a defect."""
    out: dict[str, dict[str, str]] = {}
    for area in areas:
        twice = out.keys() & area.keys()
        if twice:
            raise RuntimeError(f"message codes defined twice: {sorted(twice)}")
        out.update(area)
    return out


ENTRIES: dict[str, dict[str, str]] = gather(
    PLAIN,
    SOLVING,
    PLAN,
    CONSOLE,
    USAGE,
    INPUTS,
    MODELS,
    CHECKS,
    CADRES,
    EXPLAIN,
    REPORT,
    REGISTRY,
    QUOTA,
    DEADLINE,
    NOWORSE,
    SERVE,
    DEPARTMENTS,
    TRAVEL,
)
