"""How deep a document nests, found before it is parsed.

Python's JSON and TOML parsers and PyYAML's composer recurse once per level: a file nested
100,000 deep ends in a ``RecursionError`` instead of a message. These scans find the first
place deeper than a limit without recursing, so that the reader refuses the file naming
its line. Each is cheap next to the parse it guards (a document with fewer brackets than
the limit is not scanned at all).
"""

from __future__ import annotations

import re
from typing import Any

#: The deepest nesting an instance document may have. An instance is four levels deep (the
#: document, a table, a row, a list in a cell); its policy five (``policy``, a section, a
#: table of a section, a list in it): 64 leaves room and stays far from Python's recursion
#: limit (1,000 frames, a few per level).
MAX_DEPTH = 64

#: The most values a YAML document's aliases (``*name``) may add when expanded: an
#: instance has no need of aliases at all, and nine nested aliases of ten items each make
#: a billion values out of a few lines.
MAX_ALIAS_VALUES = 1_000_000

_JSON_STRINGS = re.compile(r'"(?:[^"\\\n]|\\.)*"')
_BRACKETS = re.compile(r"[\[\]{}]")
# TOML: multi-line and single-line strings of both kinds, then comments.
_TOML_STRINGS = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'')
_TOML_COMMENTS = re.compile(r"#[^\n]*")


def _deeper_than(text: str, limit: int) -> int | None:
    """The line of the first bracket nested deeper than ``limit`` in a text whose strings
    are blanked, or None."""
    depth = 0
    for found in _BRACKETS.finditer(text):
        if found.group() in "[{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, found.start()) + 1
        else:
            depth -= 1
    return None


def json_too_deep(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The line where a JSON text nests deeper than ``limit`` objects and lists, or None
    (brackets inside strings do not count)."""
    if text.count("[") + text.count("{") <= limit:
        return None
    return _deeper_than(_JSON_STRINGS.sub('""', text), limit)


def toml_too_deep(text: str, limit: int = MAX_DEPTH) -> int | None:
    """The line where a TOML text nests deeper than ``limit`` arrays and inline tables, or
    None (brackets inside strings and comments do not count)."""
    if text.count("[") + text.count("{") <= limit:
        return None
    blank = _TOML_STRINGS.sub(lambda m: "\n" * m.group().count("\n"), text)
    return _deeper_than(_TOML_COMMENTS.sub("", blank), limit)


class TooDeep(Exception):
    """A YAML document nested deeper than the limit (``kind`` ``"depth"``, aliases counted
    as the nodes they stand for, a node holding itself too), or whose aliases expand to
    more values than the limit (``"aliases"``); ``line`` is where (from 1)."""

    def __init__(self, kind: str, line: int) -> None:
        super().__init__(kind, line)
        self.kind = kind
        self.line = line


def _measure(node: Any, memo: dict[int, tuple[int, int]]) -> tuple[int, int]:
    """A composed YAML node's height (levels of collections, itself included) and the
    values it stands for, shared nodes counted each time they are reached; memoised, and
    without recursing. A node that holds itself raises :class:`TooDeep`."""
    import yaml

    if id(node) in memo:
        return memo[id(node)]
    open_: set[int] = set()
    stack: list[tuple[Any, bool]] = [(node, False)]
    while stack:
        current, done = stack.pop()
        key = id(current)
        if key in memo:
            continue
        if isinstance(current, yaml.ScalarNode):
            memo[key] = (0, 1)
            continue
        children = (
            [c for pair in current.value for c in pair]
            if isinstance(current, yaml.MappingNode)
            else list(current.value)
        )
        if done:
            open_.discard(key)
            found = [memo[id(c)] for c in children]
            height = 1 + max((h for h, _ in found), default=0)
            memo[key] = (height, 1 + sum(n for _, n in found))
            continue
        if key in open_:
            raise TooDeep("depth", current.start_mark.line + 1)
        open_.add(key)
        stack.append((current, True))
        for child in children:
            if id(child) in open_:
                raise TooDeep("depth", child.start_mark.line + 1)
            if id(child) not in memo:
                stack.append((child, False))
    return memo[id(node)]


def safe_load_bounded(
    text: str, limit: int = MAX_DEPTH, most_aliased: int = MAX_ALIAS_VALUES
) -> Any:
    """``yaml.safe_load`` that refuses a document nested deeper than ``limit`` or whose
    aliases expand to more than ``most_aliased`` values (:class:`TooDeep`), before PyYAML's
    composer and constructor recurse that deep: the composer counts its levels as it
    descends, and measures each alias's node where it is used. Raises
    :class:`yaml.YAMLError` on a syntax error, as ``safe_load`` does."""
    import yaml

    class Loader(yaml.SafeLoader):
        depth = 0
        aliased = 0
        memo: dict[int, tuple[int, int]]
        open: list[str | None]  # anchors of the collections being composed

        def compose_node(self, parent: Any, index: Any) -> Any:
            event = self.peek_event()
            line = event.start_mark.line + 1 if event.start_mark is not None else 1
            if isinstance(event, yaml.AliasEvent):
                if event.anchor in self.open:
                    raise TooDeep("depth", line)  # a node holding itself: nested without end
                node = self.anchors.get(event.anchor)
                if node is not None:
                    height, values = _measure(node, self.memo)
                    if self.depth + height > limit:
                        raise TooDeep("depth", line)
                    self.aliased += values
                    if self.aliased > most_aliased:
                        raise TooDeep("aliases", line)
                return super().compose_node(parent, index)
            if isinstance(event, yaml.CollectionStartEvent):
                if self.depth >= limit:
                    raise TooDeep("depth", line)
                self.depth += 1
                self.open.append(event.anchor)
                try:
                    return super().compose_node(parent, index)
                finally:
                    self.depth -= 1
                    self.open.pop()
            return super().compose_node(parent, index)

    loader = Loader(text)
    loader.memo, loader.open = {}, []
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()
