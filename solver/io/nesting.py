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


def yaml_too_deep(
    text: str, limit: int = MAX_DEPTH, most_aliased: int = MAX_ALIAS_VALUES
) -> tuple[str, int] | None:
    """``("depth", line)`` where a YAML text nests deeper than ``limit`` (aliases counted
    as the nodes they stand for), ``("aliases", line)`` where its aliases expand to more
    than ``most_aliased`` values, or None.

    Reads PyYAML's events, which its parser makes without recursing (the composer, which
    builds the document, is what recurses). Raises :class:`yaml.YAMLError` on a syntax
    error, as loading would.
    """
    import yaml

    # Per open node: its anchor, the depth it opened at, the deepest depth and the values
    # seen under it (aliases expanded).
    stack: list[list[Any]] = [[None, 0, 0, 0]]
    height: dict[str, int] = {}  # anchor -> levels below the node, itself included
    size: dict[str, int] = {}  # anchor -> values it stands for
    aliased = 0
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        line = event.start_mark.line + 1 if event.start_mark is not None else 1
        top = stack[-1]
        if isinstance(event, yaml.CollectionStartEvent):
            depth = len(stack)
            if depth > limit:
                return "depth", line
            stack.append([event.anchor, depth, depth, 1])
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, opened, deepest, values = stack.pop()
            if anchor is not None:
                height[anchor] = deepest - opened + 1
                size[anchor] = values
            parent = stack[-1]
            parent[2] = max(parent[2], deepest)
            parent[3] += values
        elif isinstance(event, yaml.ScalarEvent):
            if event.anchor is not None:
                height[event.anchor], size[event.anchor] = 0, 1
            top[3] += 1
        elif isinstance(event, yaml.AliasEvent):
            anchor = str(event.anchor)
            if any(node[0] == anchor for node in stack):
                return "depth", line  # a node holding itself: nested without end
            reach = len(stack) - 1 + height.get(anchor, 0)
            if reach > limit:
                return "depth", line
            top[2] = max(top[2], reach)
            added = size.get(anchor, 1)
            top[3] += added
            aliased += added
            if aliased > most_aliased:
                return "aliases", line
    return None
