"""The messages of every part of twinning, gathered: code -> English and Chinese template.

Each area keeps its messages beside the others of its kind in a module of its own
(``twinning.messages.<area>``); this module only gathers them, so that a code is defined
once and two areas never claim the same code.
"""

from __future__ import annotations

from twinning.messages.solving import ENTRIES as SOLVING

ENTRIES: dict[str, dict[str, str]] = {
    # A sentence kept as it was written (plans and summaries of earlier versions).
    "text": {"en": "{text}", "zh": "{text}"},
    **SOLVING,
}
