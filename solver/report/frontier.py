"""The frontier's HTML page (``DIR/frontier.html``): its table and one chart per stage.

A single self-contained file like the plan's report (styles inline, no request): each
point's moves against the largest coefficient of each indicator, the thresholds, and the
proven bounds below which no roster within the rotation rules can go.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from html import escape

from twinning.messages import header, language, msg, say, value_word, word
from twinning.report.charts import frontier_chart
from twinning.report.html import _asset


def frontier_html(
    title: str,
    rows: list[dict[str, object]],
    thresholds: Mapping[str, float],
    bounds: Mapping[tuple[str, str], float | None],
    lang: str = "en",
) -> str:
    """The page: a heading, what the bounds prove, a chart per stage and the table, its
    words in ``lang`` (the table's columns are ``frontier.csv``'s)."""
    columns = list(dict.fromkeys(c for r in rows for c in r))
    charts = []
    for stage, threshold in thresholds.items():
        mine = {ind: b for (ind, st), b in bounds.items() if st == stage}
        chart = frontier_chart(rows, stage, threshold, mine, lang)
        if chart:
            caption = str(value_word("stage", stage, lang))
            charts.append(f"<figure>{chart}<figcaption>{escape(caption)}</figcaption></figure>")
    said = []
    for (ind, stage), bound in sorted(bounds.items()):
        if bound is None:
            continue
        threshold = thresholds.get(stage, 1.0)
        verdict = msg(
            "report.frontier.out_of_reach" if bound > threshold else "report.frontier.not_ruled_out"
        )
        line = say(
            "report.frontier.bound",
            lang,
            indicator=msg(f"report.indicator.{ind}"),
            stage=stage,
            bound=bound,
            threshold=threshold,
            verdict=verdict,
        )
        said.append(f"<li>{escape(line)}</li>")
    head = "".join(f"<th>{escape(column_label(c, lang))}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(f"<td>{escape(cell_text(c, r.get(c), lang))}</td>" for c in columns)
        + "</tr>"
        for r in rows
    )
    return (
        f'<!doctype html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head>'
        '<meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_asset('report.css')}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        f"<p>{escape(word('report.frontier.intro', lang))}</p>"
        f'<ul class="bounds">{"".join(said)}</ul>'
        f'<section class="charts">{"".join(charts)}</section>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        "</body></html>"
    )


#: A column of a coefficient (``cv_backbone_primary``) or of its proven bound.
_FIGURE = re.compile(r"(cv|bound)_(qualified|backbone|pe_arts)_(\w+)")


def column_label(column: str, lang: str) -> str:
    """A column of the page's table: ``frontier.csv``'s own name in English (a contract),
    said in Chinese."""
    if language(lang) == "en":
        return column
    found = _FIGURE.fullmatch(column)
    if found:
        kind, ind, stage = found.groups()
        code = "report.frontier.cv_column" if kind == "cv" else "report.frontier.bound_column"
        return say(code, lang, indicator=msg(f"report.indicator.{ind}"), stage=stage)
    return header(column, lang, "frontier")


def cell_text(column: str, value: object, lang: str) -> str:
    """A cell of the frontier's table as the page, the console and the CSV say it."""
    if isinstance(value, bool):
        return word(f"value.bool.{str(value).lower()}", lang)
    if isinstance(value, str):
        return str(value_word(column, value, lang))
    if isinstance(value, float):
        return f"{value:.4f}"
    return "" if value is None else str(value)
