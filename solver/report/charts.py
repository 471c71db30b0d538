"""The dashboard's charts as inline SVG, drawn here rather than by a script.

Three small bar charts (balance against its thresholds, shortages covered by school type,
roster lines by kind) need no charting library: drawn as SVG text they cost a few
kilobytes, show without JavaScript, print as they look on screen, and can be checked in a
test by reading the markup. Numbers are written on the bars, so no reader depends on
colour alone.
"""

from __future__ import annotations

from html import escape

from twinning.messages import msg, render, say, value_word, word
from twinning.report.content import Balance, NeedsGroup

GOOD = "#1a9850"
BAD = "#d73027"
PARTIAL = "#fdae61"
OUT_OF_REACH = "#bababa"
NEUTRAL = "#4575b4"
INK = "#333"
FONT = 12


def _text(
    x: float, y: float, text: str, *, anchor: str = "start", size: int = FONT, **attrs: str
) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{INK}"{extra}>{escape(text)}</text>'
    )


def _svg(width: float, height: float, body: list[str], label: str, cls: str) -> str:
    return (
        f'<svg class="chart {cls}" role="img" aria-label="{escape(label)}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'xmlns="http://www.w3.org/2000/svg">' + "".join(body) + "</svg>"
    )


def balance_chart(balance: Balance, lang: str, title: str | None = None) -> str:
    """Grouped bars per stage: the coefficient before the roster and in each period, the
    threshold as a dashed line; a bar above its threshold is red."""
    ordered: list[str] = [s for s in ("primary", "junior") if s in balance.thresholds]
    ordered += sorted(set(balance.thresholds) - set(ordered))
    stages = [
        s
        for s in ordered
        if balance.before.get(s) is not None
        or any(v.get(s) is not None for v in balance.after.values())
    ]
    if not stages:
        return ""
    series = [("before", word("report.before", lang), balance.before)] + [
        (p, p, v) for p, v in balance.after.items()
    ]
    values = [v.get(s) for _, _, v in series for s in stages]
    top = max([1.0, *(x for x in values if x is not None)]) * 1.1
    bar, gap, group_gap = 52.0, 10.0, 46.0
    left, right, head, foot = 40.0, 16.0, 24.0, 44.0
    plot_h = 170.0
    group_w = len(series) * (bar + gap) - gap
    width = left + len(stages) * group_w + (len(stages) - 1) * group_gap + right
    height = head + plot_h + foot

    def y(v: float) -> float:
        """The SVG height of a coefficient (0 at the axis)."""
        return head + plot_h * (1 - v / top)

    body = [
        f'<line x1="{left}" y1="{y(0):.1f}" x2="{width - right}" y2="{y(0):.1f}" stroke="#999"/>'
    ]
    for tick in (0.0, 0.25, 0.5, 0.75, 1.0):
        if tick <= top:
            body.append(_text(left - 6, y(tick) + 4, f"{tick:.2f}", anchor="end", size=10))
            body.append(
                f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
                'stroke="#eee"/>'
            )
    x0 = left
    for stage in stages:
        limit = balance.thresholds[stage]
        for i, (key, name, figures) in enumerate(series):
            x = x0 + i * (bar + gap)
            v = figures.get(stage)
            if v is None:
                body.append(_text(x + bar / 2, y(0) - 4, "–", anchor="middle"))
            else:
                colour = GOOD if v <= limit + 1e-9 else BAD
                body.append(
                    f'<rect class="bar" data-stage="{escape(stage)}" data-series="{escape(key)}" '
                    f'data-value="{v}" x="{x:.1f}" y="{y(v):.1f}" width="{bar}" '
                    f'height="{y(0) - y(v):.1f}" fill="{colour}"><title>{escape(name)}: {v:.3f}'
                    "</title></rect>"
                )
                body.append(_text(x + bar / 2, y(v) - 4, f"{v:.2f}", anchor="middle", size=11))
            body.append(
                _text(
                    x + bar / 2,
                    y(0) + 14,
                    name,
                    anchor="middle",
                    size=10,
                )
            )
        body.append(
            f'<line class="threshold" data-stage="{escape(stage)}" x1="{x0 - 4:.1f}" '
            f'y1="{y(limit):.1f}" x2="{x0 + group_w + 4:.1f}" y2="{y(limit):.1f}" '
            f'stroke="{INK}" stroke-dasharray="5 3" stroke-width="1.5"/>'
        )
        body.append(
            _text(
                x0 + group_w / 2,
                y(0) + 32,
                say("report.chart.stage", lang, stage=stage, threshold=limit),
                anchor="middle",
                font_weight="bold",
            )
        )
        x0 += group_w + group_gap
    return _svg(width, height, body, title or word("report.balance", lang), "balance-chart")


def needs_chart(groups: list[NeedsGroup], lang: str) -> str:
    """One stacked bar per area and per tier: covered, uncovered but reachable, out of
    reach; bar lengths share one scale so that sizes compare."""
    if not groups:
        return ""
    label_w, bar_w, num_w, row_h = 70.0, 300.0, 150.0, 26.0
    top = max(g.total for g in groups)
    height = 28 + len(groups) * row_h + 12
    width = label_w + bar_w + num_w
    body = []
    legend = [
        (GOOD, word("report.covered", lang)),
        (PARTIAL, word("report.uncovered", lang)),
        (OUT_OF_REACH, word("report.unreachable", lang)),
    ]
    lx = label_w
    for colour, name in legend:
        body.append(f'<rect x="{lx:.1f}" y="6" width="12" height="12" fill="{colour}"/>')
        body.append(_text(lx + 16, 16, name, size=11))
        lx += 22 + 11 * len(name) * (1.0 if lang == "zh" else 0.55)
    y = 28.0
    for g in groups:
        scale = bar_w / top
        x = label_w
        body.append(
            _text(label_w - 8, y + 15, str(value_word(g.dimension, g.value, lang)), anchor="end")
        )
        for part, colour in (
            (g.covered, GOOD),
            (g.uncovered_reachable, PARTIAL),
            (g.unreachable, OUT_OF_REACH),
        ):
            if part:
                body.append(
                    f'<rect x="{x:.1f}" y="{y + 3:.1f}" width="{part * scale:.1f}" height="18" '
                    f'fill="{colour}"><title>{part}</title></rect>'
                )
                x += part * scale
        share = g.covered / g.total if g.total else 0.0
        body.append(
            _text(
                label_w + bar_w + 6,
                y + 15,
                f"{g.covered} / {g.total} ({100 * share:.0f}%)",
                size=11,
                data_group=f"{g.dimension}:{g.value}",
            )
        )
        y += row_h
        if g is not groups[-1] and g.dimension != groups[groups.index(g) + 1].dimension:
            body.append(
                f'<line x1="0" y1="{y - 1:.1f}" x2="{width:.0f}" y2="{y - 1:.1f}" stroke="#ddd"/>'
            )
    return _svg(width, height, body, word("report.needs_by_type", lang), "needs-chart")


def count_chart(counts: dict[str, int], lang: str, field: str) -> str:
    """Horizontal bars of counts per value of a field (e.g. roster lines per kind)."""
    if not counts:
        return ""
    label_w, bar_w, row_h = 90.0, 240.0, 24.0
    top = max(counts.values())
    width = label_w + bar_w + 60
    height = len(counts) * row_h + 8
    body = []
    y = 4.0
    for key, n in counts.items():
        body.append(_text(label_w - 8, y + 15, str(value_word(field, key, lang)), anchor="end"))
        w = bar_w * n / top if top else 0
        body.append(
            f'<rect x="{label_w}" y="{y + 3:.1f}" width="{w:.1f}" height="16" fill="{NEUTRAL}">'
            f"<title>{n}</title></rect>"
        )
        body.append(_text(label_w + w + 6, y + 15, f"{n:,}", size=11))
        y += row_h
    return _svg(width, height, body, word("report.moves_by_kind", lang), "kind-chart")


#: One colour per balance indicator on the frontier chart (with its name written beside it).
SERIES = {"qualified": NEUTRAL, "backbone": BAD, "pe_arts": GOOD}


def frontier_chart(
    rows: list[dict[str, object]],
    stage: str,
    threshold: float,
    bounds: dict[str, float | None],
    lang: str = "en",
) -> str:
    """Moves (x) against the largest coefficient of each indicator in ``stage`` (y), one
    point per plan of the frontier joined by a line; the threshold dashed, each
    indicator's proven bound dotted in its colour; words in ``lang``."""
    pts: dict[str, list[tuple[float, float]]] = {}
    for ind in SERIES:
        key = f"cv_{ind}_{stage}"
        xy = [
            (float(r["moves"]), float(r[key]))  # type: ignore[arg-type]
            for r in rows
            if r.get(key) is not None and r.get("moves") is not None
        ]
        if xy:
            pts[ind] = sorted(xy)
    if not pts:
        return ""
    width, height, left, right, top, bottom = 460.0, 240.0, 44.0, 96.0, 16.0, 34.0
    xs = [x for xy in pts.values() for x, _ in xy]
    ys = [y for xy in pts.values() for _, y in xy] + [threshold]
    ys += [b for b in bounds.values() if b is not None]
    x0, x1 = min(xs), max(xs) if max(xs) > min(xs) else min(xs) + 1
    y1 = max(ys) * 1.1 or 1.0

    def px(x: float) -> float:
        return left + (x - x0) / (x1 - x0) * (width - left - right)

    def py(y: float) -> float:
        return top + (1 - y / y1) * (height - top - bottom)

    body = [
        f'<line x1="{left}" y1="{py(0):.1f}" x2="{width - right}" y2="{py(0):.1f}" '
        f'stroke="{INK}"/>',
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{py(0):.1f}" stroke="{INK}"/>',
        _text(left - 4, py(y1) + 4, f"{y1:.2f}", anchor="end"),
        _text(left - 4, py(0) + 4, "0", anchor="end"),
        _text(px(x0), height - 8, f"{x0:g}", anchor="middle"),
        _text(px(x1), height - 8, say("report.frontier.moves", lang, n=x1), anchor="middle"),
        f'<line class="threshold" x1="{left}" y1="{py(threshold):.1f}" x2="{width - right}" '
        f'y2="{py(threshold):.1f}" stroke="{INK}" stroke-dasharray="6 4"/>',
        _text(
            width - right + 4,
            py(threshold) + 4,
            say("report.frontier.threshold", lang, t=threshold),
        ),
    ]
    for ind, xy in pts.items():
        colour = SERIES[ind]
        line = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in xy)
        body.append(f'<polyline points="{line}" fill="none" stroke="{colour}"/>')
        name = msg(f"report.indicator.{ind}")
        body += [
            f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3" fill="{colour}">'
            f"<title>{escape(say('report.frontier.point', lang, indicator=name, cv=y, n=x))}"
            "</title></circle>"
            for x, y in xy
        ]
        said = render(name, lang)
        body.append(_text(width - right + 4, py(xy[-1][1]) + 4, said, fill_opacity="1"))
        bound = bounds.get(ind)
        if bound is not None:
            body.append(
                f'<line class="bound" x1="{left}" y1="{py(bound):.1f}" x2="{width - right}" '
                f'y2="{py(bound):.1f}" stroke="{colour}" stroke-dasharray="1 3"/>'
            )
    label = say("report.frontier.chart", lang, stage=stage)
    return _svg(width, height, body, label, "frontier")
