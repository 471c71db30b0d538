"""The words explain's messages share: a rule named in a sentence, a setting's value."""

from __future__ import annotations

from typing import Any

from twinning.messages import CATALOGUE, Msg, msg


def rule(key: str) -> Msg:
    """A rule named in a sentence: its policy key in English, its Chinese name and key in
    Chinese (交流比例（rotation.rate）); the key alone where the vocabulary has no name."""
    if f"rule.{key}" in CATALOGUE:
        return msg("explain.rule", key=key)
    return msg("explain.key", key=key)


def value(key: str, given: Any) -> Any:
    """A setting's value as a sentence says it: no limit, true/false, a word of the
    setting's own choices, else the number or text as it is."""
    if given is None:
        return msg("explain.value.none")
    if isinstance(given, bool):
        return msg("explain.value.true") if given else msg("explain.value.false")
    if isinstance(given, str):
        code = f"explain.value.{key}.{given}"
        return Msg(code=code) if code in CATALOGUE else given
    return given


def setting(key: str, given: Any) -> Msg:
    """``key = value`` (将交流比例（rotation.rate）设为0.1)."""
    return msg("explain.set", rule=rule(key), value=value(key, given))


def settings(changed: dict[str, Any]) -> Msg:
    """Several settings, each said as :func:`setting`."""
    return msg("explain.settings", settings=[setting(k, v) for k, v in changed.items()])
