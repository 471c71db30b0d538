"""The frontier's HTML page (``DIR/frontier.html``): its table and one chart per stage.

A single self-contained file like the plan's report (styles inline, no request): each
point's moves against the largest coefficient of each indicator, the thresholds, and the
proven bounds below which no roster within the rotation rules can go.
"""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from twinning.report.charts import frontier_chart
from twinning.report.html import _asset


def frontier_html(
    title: str,
    rows: list[dict[str, object]],
    thresholds: Mapping[str, float],
    bounds: Mapping[tuple[str, str], float | None],
) -> str:
    """The page: a heading, what the bounds prove, a chart per stage and the table."""
    columns = list(dict.fromkeys(c for r in rows for c in r))
    charts = []
    for stage, threshold in thresholds.items():
        mine = {ind: b for (ind, st), b in bounds.items() if st == stage}
        chart = frontier_chart(rows, stage, threshold, mine)
        if chart:
            charts.append(f"<figure>{chart}<figcaption>{escape(stage)}</figcaption></figure>")
    said = []
    for (ind, stage), bound in sorted(bounds.items()):
        if bound is None:
            continue
        threshold = thresholds.get(stage, 1.0)
        verdict = "cannot be met" if bound > threshold else "not ruled out"
        said.append(
            f"<li>{escape(ind)}, {escape(stage)}: no roster goes below {bound:.4f} "
            f"(threshold {threshold:.2f}: {verdict})</li>"
        )
    head = "".join(f"<th>{escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{escape(_cell(r.get(c)))}</td>" for c in columns) + "</tr>"
        for r in rows
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_asset('report.css')}</style></head><body>"
        f"<h1>{escape(title)}</h1>"
        "<p>Each point is a plan solved with balance.target = objective at the weight shown, "
        "checked by the validator. Dotted lines: the proven bounds (given these pairs and "
        "alliances), below which no roster within the rotation rules can bring a "
        "coefficient.</p>"
        f'<ul class="bounds">{"".join(said)}</ul>'
        f'<section class="charts">{"".join(charts)}</section>'
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        "</body></html>"
    )


def _cell(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:.4f}"
    return "" if value is None else str(value)
