"""What a part says, put together: messages of several clauses (``models.clauses``)."""

from __future__ import annotations

from twinning.messages import Msg, msg

__all__ = ["clauses"]


def clauses(*parts: Msg | None) -> Msg | None:
    """The messages given, said one after the other (``; `` / ``；``): None when there is
    none, the message itself when there is one; clauses of clauses are flattened."""
    kept: list[Msg] = []
    for part in parts:
        if part is None:
            continue
        if part.code == "models.clauses":
            kept.extend(part.params["items"])
        else:
            kept.append(part)
    if not kept:
        return None
    return kept[0] if len(kept) == 1 else msg("models.clauses", items=kept)
