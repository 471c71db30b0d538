"""The HTML report: one self-contained page a bureau's leadership can open offline.

Why one file with everything inline: the report travels by e-mail and USB stick to
offices without internet, so it must open from disk with no request leaving the machine.
The map library (Leaflet, vendored in ``assets/``), the page's own script and styles and
the plan's data are all written into the page; a Content-Security-Policy in the page
forbids any other source, so a request cannot slip out even by mistake. A bureau online
may ask for a tile layer (``tiles``): only that host is then allowed, for images.

The page has four parts: the dashboard (rules met or missed, headline figures, balance
and needs charts, drawn as SVG here), the map (schools by tier and stage, pairs,
alliances, exchange flows), a panel per school (who leaves, who arrives, its pair,
alliance and needs) and the tables (sortable, searchable, paginated so that a city of
2,000 schools stays usable).
"""

from __future__ import annotations

import json
from html import escape
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

from twinning.county.instance import Instance
from twinning.io import labels
from twinning.plan import Plan
from twinning.report import charts
from twinning.report.content import (
    Kpi,
    ReportContent,
    RuleRow,
    build_content,
    fmt_number,
    report_language,
)
from twinning.report.layers import STAGE_SHAPES, TIER_COLOURS, stage_word
from twinning.report.words import words as page_words
from twinning.result import Summary
from twinning.validation import ValidationReport, validate

#: The vendored map library (see ``assets/README.md``).
LEAFLET_VERSION = "1.9.4"

#: Rules listed by name in a missed rule's row; the rest are counted.
WHERE_SHOWN = 12


def render_html(
    inst: Instance,
    plan: Plan,
    summary: Summary | None = None,
    lang: str | None = None,
    *,
    masked: bool = False,
    tiles: str | None = None,
    checked: ValidationReport | None = None,
) -> str:
    """The report of a plan as one self-contained HTML page.

    Parameters
    ----------
    inst
        The instance the plan was made for (schools, staff, needs, policy).
    plan
        The plan to report; checked here with :func:`twinning.validation.validate` unless
        ``checked`` is given.
    summary
        The solve's ``summary.json``, when there is one: status details, and the solver's
        own balance coefficients (else the checker's recount is shown).
    lang
        "zh" or "en"; ``None``: the language of the instance's files (``inst.lang``).
    masked
        Staff names replaced by stable pseudonyms.
    tiles
        A tile URL template (``https://.../{z}/{x}/{y}.png``) for a bureau online; off by
        default, when the page makes no request at all.
    checked
        The checker's report of this plan, when the caller already has it.

    Returns
    -------
    str
        The page, UTF-8 text.
    """
    lang = report_language(inst, lang)
    if tiles is not None:
        _tile_origin(tiles)  # refuse a bad URL before any work
    report = checked if checked is not None else validate(inst, plan)
    content = build_content(inst, plan, report, summary=summary, lang=lang, masked=masked)
    return page(content, tiles=tiles)


def page(content: ReportContent, *, tiles: str | None = None) -> str:
    """Lay out gathered content as the HTML page (see :func:`render_html`)."""
    w = page_words(content.lang)
    data = content.data()
    data["words"] = w
    data["tiles"] = tiles
    data["colours"] = {"tiers": TIER_COLOURS, "shapes": STAGE_SHAPES}
    title = f"{content.instance} · {w['title']}"
    csp = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:" + (f" {_tile_origin(tiles)}" if tiles else "")
    )
    return "".join(
        [
            "<!DOCTYPE html>\n",
            f'<html lang="{"zh-CN" if content.lang == "zh" else "en"}">\n<head>\n',
            '<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">\n',
            '<meta name="referrer" content="no-referrer">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta name="generator" content="twinning {_version()}">\n',
            f"<title>{escape(title)}</title>\n",
            f"<style>{_leaflet_css()}</style>\n",
            f"<style>{_asset('report.css')}</style>\n",
            "</head>\n<body>\n",
            _header(content, w),
            "<main>\n",
            _dashboard(content, w),
            _map_section(content, w, tiles),
            _tables_section(content, w),
            "</main>\n",
            _footer(content, w, tiles),
            '<script type="application/json" id="report-data">',
            _json(data),
            "</script>\n",
            f"<script>{_asset('leaflet.js')}</script>\n",
            f"<script>{_asset('report.js')}</script>\n",
            "</body>\n</html>\n",
        ]
    )


# ---- the page's parts ---------------------------------------------------------------------


def _header(c: ReportContent, w: dict[str, str]) -> str:
    plan = c.plan
    status = str(labels.value("status", plan.status, c.lang))
    parts = (
        "、".join(w[f"part_{p}"] for p in plan.parts)
        if c.lang == "zh"
        else ", ".join(w[f"part_{p}"] for p in plan.parts)
    )
    facts = [
        f'<span class="status status-{escape(plan.status)}" data-status="{escape(plan.status)}">'
        f"{escape(w['status'])}: {escape(status)}</span>",
        f"<span>{escape(w['parts'])}: {escape(parts or w['none'])}</span>",
        f"<span>{escape(w['objective'])}: {plan.objective:,}</span>",
    ]
    missed = [r for r in c.rules if r.state == "missed"]
    verdict = (
        w["rules_missed"].format(n=len(missed))
        if missed
        else w["rules_all_met"].format(n=len(c.rules))
    )
    facts.append(
        f'<span class="verdict {"bad" if missed else "good"}" data-missed="{len(missed)}">'
        f"{'✗' if missed else '✓'} {escape(verdict)}</span>"
    )
    if c.summary is not None and c.summary.gap is not None:
        facts.append(f"<span>{escape(w['gap'])}: {100 * c.summary.gap:.2f}%</span>")
    nav = "".join(
        f'<a href="#{target}">{escape(w[key])}</a>'
        for target, key in (
            ("dashboard", "dashboard"),
            ("map-section", "map"),
            ("tables", "tables"),
        )
    )
    return (
        '<header class="top">\n'
        f"<h1>{escape(c.instance)} <small>{escape(w['title'])}</small></h1>\n"
        f'<div class="facts">{"".join(facts)}</div>\n'
        f"<nav>{nav}</nav>\n</header>\n"
    )


def _dashboard(c: ReportContent, w: dict[str, str]) -> str:
    out = [f'<section id="dashboard">\n<h2>{escape(w["dashboard"])}</h2>\n']
    if c.summary is not None and c.summary.closest:
        out.append(f'<p class="banner bad">{escape(w["closest"])}</p>\n')
    if c.summary is not None and c.summary.interrupted:
        out.append(f'<p class="banner warn">{escape(w["interrupted"])}</p>\n')
    out.append(f"<h3>{escape(w['kpis'])}</h3>\n" + _kpis(c.kpis, w))
    figures = []
    shown = [("balance", c.balance)] if c.balance is not None else []
    shown += [(f"balance_{ind}", b) for ind, b in c.indicators.items()]
    for title, figure in shown:
        svg = charts.balance_chart(figure, w, c.lang, w[title])
        if svg:
            figures.append(
                f'<figure class="wide"><figcaption>{escape(w[title])}</figcaption>{svg}'
                f'<p class="note">{escape(w["balance_note"])}</p></figure>'
            )
    if c.needs_by_type:
        figures.append(
            f"<figure><figcaption>{escape(w['needs_by_type'])}</figcaption>"
            f"{charts.needs_chart(c.needs_by_type, w, c.lang)}"
            f'<p class="note">{escape(w["needs_note"])}</p></figure>'
        )
    if c.moves_by_kind:
        figures.append(
            f"<figure><figcaption>{escape(w['moves_by_kind'])}</figcaption>"
            f"{charts.count_chart(c.moves_by_kind, w, c.lang, 'kind')}</figure>"
        )
    if figures:
        out.append('<div class="charts">' + "".join(figures) + "</div>\n")
    out.append(_rules(c.rules, w))
    out.append("</section>\n")
    return "".join(out)


def _rules(rows: list[RuleRow], w: dict[str, str]) -> str:
    met = sum(1 for r in rows if r.state == "met")
    missed = [r for r in rows if r.state != "met"]
    summary = w["rules_summary"].format(met=met, total=len(rows))
    head = (
        f'<h3>{escape(w["rules"])} <span class="count" data-met="{met}" '
        f'data-total="{len(rows)}">{escape(summary)}</span></h3>\n'
    )
    table_head = (
        "<thead><tr>"
        + "".join(
            f"<th>{escape(w[k])}</th>"
            for k in ("rule", "rule_key", "state", "violations", "amount", "where")
        )
        + "</tr></thead>"
    )
    out = [head]
    if missed:
        out.append(
            f'<table class="rules missed-rules">{table_head}<tbody>'
            + "".join(_rule_tr(r, w) for r in missed)
            + "</tbody></table>\n"
        )
    groups: dict[str, list[RuleRow]] = {}
    for r in rows:
        groups.setdefault(r.part, []).append(r)
    body = []
    for part, found in groups.items():
        body.append(f'<tr class="group"><th colspan="6">{escape(w["part_" + part])}</th></tr>')
        body.extend(_rule_tr(r, w) for r in found)
    out.append(
        '<details class="all-rules"><summary>'
        f"{escape(w['rules'])} ({len(rows)})</summary>"
        f'<table class="rules">{table_head}<tbody>{"".join(body)}</tbody></table></details>\n'
    )
    return "".join(out)


def _rule_tr(r: RuleRow, w: dict[str, str]) -> str:
    where = ", ".join(r.where[:WHERE_SHOWN])
    if len(r.where) > WHERE_SHOWN:
        where += f" … (+{len(r.where) - WHERE_SHOWN})"
    badge = {"met": "✓", "missed": "✗", "priced": "!"}[r.state]
    amount = "" if r.amount is None else _amount(r.amount)
    title = r.description + (f" — {r.message}" if r.message else "")
    message = f'<div class="msg">{escape(r.message)}</div>' if r.message else ""
    return (
        f'<tr class="rule {r.state}" data-rule="{escape(r.rule)}" data-state="{r.state}" '
        f'title="{escape(title)}">'
        f"<td>{escape(r.name)}</td><td><code>{escape(r.rule)}</code></td>"
        f'<td class="state">{badge} {escape(w[r.state])}</td>'
        f'<td class="num">{r.violations or ""}</td><td class="num">{escape(amount)}</td>'
        f'<td class="where">{escape(where)}{message}</td></tr>'
    )


def _amount(value: float) -> str:
    """An amount as a planner reads it: whole numbers with separators, else 3 digits."""
    if value == int(value) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _kpis(kpis: dict[str, list[Kpi]], w: dict[str, str]) -> str:
    out = ['<div class="kpi-grid">']
    for part, found in kpis.items():
        out.append(f'<div class="kpi-part"><h4>{escape(w["part_" + part])}</h4>')
        for k in found:
            met = k.met
            state = "" if met is None else (" met" if met else " missed")
            if met is False and k.accepted_below:
                state = " priced"
            req = ""
            meter = ""
            if k.required is not None:
                mark = {"": "", " met": " ✓", " missed": " ✗", " priced": " !"}[state]
                accepted = f" ({w['priced']})" if state == " priced" else ""
                req = (
                    f'<div class="kpi-req">{escape(w["required"])} ≥ '
                    f"{escape(fmt_number(k.required, k.kind))}{mark}{escape(accepted)}</div>"
                )
            if k.kind == "share" and k.value is not None:
                full = max(1.0, k.required or 0.0)
                filled = 100 * min(k.value, full) / full
                meter = (
                    f'<div class="meter"><span style="width:{filled:.1f}%"></span>'
                    + (
                        f'<i style="left:{100 * k.required / full:.1f}%"></i>'
                        if k.required is not None
                        else ""
                    )
                    + "</div>"
                )
            out.append(
                f'<div class="kpi{state}" data-kpi="{escape(k.key)}" '
                f'data-value="{"" if k.value is None else k.value}">'
                f'<div class="kpi-label">{escape(w[k.key])}</div>'
                f'<div class="kpi-value">{escape(fmt_number(k.value, k.kind))}</div>'
                f"{req}{meter}</div>"
            )
        out.append("</div>")
    out.append("</div>\n")
    return "".join(out)


def _map_section(c: ReportContent, w: dict[str, str], tiles: str | None) -> str:
    missing = sum(1 for s in c.schools if s["lat"] is None or s["lon"] is None)
    note = f'<p class="note">{escape(w["no_coordinates"].format(n=missing))}</p>' if missing else ""
    tier_items = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>'
        f"{escape(str(labels.value('tier', tier, c.lang)))}</li>"
        for tier, colour in TIER_COLOURS.items()
    )
    shapes_used = {s["shape"] for s in c.schools}
    shape_items = "".join(
        f'<li><span class="shape" data-shape="{shape}"></span>'
        f"{escape(stage_word(stage, c.lang))}</li>"
        for stage, shape in STAGE_SHAPES.items()
        if shape in shapes_used
    )
    toggles = [
        ("pairs", "layer_pairs", bool(c.pairs)),
        ("alliances", "layer_alliances", bool(c.alliances)),
    ]
    toggles += [
        ("flows", "layer_flows", bool(c.flows)),
        ("flow-counts", "layer_flow_counts", bool(c.flows)),
    ]
    toggle_html = "".join(
        f'<label><input type="checkbox" data-layer="{key}"> {escape(w[word])}</label>'
        for key, word, present in toggles
        if present
    )
    lines = []
    if c.pairs:
        lines.append(f'<li><span class="line pair"></span>{escape(w["layer_pairs"])}</li>')
    if c.flows:
        lines += [
            f'<li><span class="line flow-{d}"></span>{escape(w["flow_" + d])}</li>'
            for d in ("out", "in", "mixed")
        ]
    if c.alliances:
        lines.append(f'<li><span class="lead-mark">★</span>{escape(w["lead"])}</li>')
    return (
        f'<section id="map-section">\n<h2>{escape(w["map"])}</h2>\n{note}'
        '<div class="map-wrap">\n'
        '<div id="map" role="application"></div>\n'
        '<aside id="school-panel">\n'
        f'<label class="choose">{escape(w["choose_school"])}'
        '<input id="school-input" list="school-list" autocomplete="off"></label>\n'
        '<datalist id="school-list"></datalist>\n'
        '<div id="school-detail"></div>\n</aside>\n</div>\n'
        '<div class="map-controls">\n'
        f'<div class="toggles"><b>{escape(w["layers"])}:</b> {toggle_html}'
        '<span id="flow-note" class="note"></span></div>\n'
        f'<div class="legend"><b>{escape(w["legend"])}:</b>'
        f"<ul>{tier_items}</ul><ul>{shape_items}</ul><ul>{''.join(lines)}</ul></div>\n"
        "</div>\n</section>\n"
    )


def _tables_section(c: ReportContent, w: dict[str, str]) -> str:
    tabs = "".join(
        f'<button type="button" role="tab" data-table="{escape(t.id)}">{escape(t.title)} '
        f'<span class="n">{len(t.rows):,}</span></button>'
        for t in c.tables
    )
    return (
        f'<section id="tables">\n<h2>{escape(w["tables"])}</h2>\n'
        f'<div class="tabs" role="tablist">{tabs}</div>\n'
        '<div id="table-host"></div>\n</section>\n'
    )


def _footer(c: ReportContent, w: dict[str, str], tiles: str | None) -> str:
    notes = [w["generated"], f"twinning {_version()} · Leaflet {LEAFLET_VERSION} (BSD-2-Clause)"]
    if c.masked:
        notes.append(w["masked"])
    notes.append(w["tiles"].format(url=tiles) if tiles else w["no_tiles"])
    return "<footer>" + "".join(f"<p>{escape(n)}</p>" for n in notes) + "</footer>\n"


# ---- assets and escaping --------------------------------------------------------------------


def _asset(name: str) -> str:
    return (resources.files("twinning.report") / "assets" / name).read_text(encoding="utf-8")


def _leaflet_css() -> str:
    """Leaflet's styles without their image URLs: the page uses neither the default marker
    icon nor the layers control they draw, and a URL would be a request."""
    css = _asset("leaflet.css")
    for image in ("images/layers.png", "images/layers-2x.png", "images/marker-icon.png"):
        css = css.replace(f"url({image})", "none")
    return css


def _json(data: Any) -> str:
    """JSON safe inside a script element: no ``</script>`` or comment opener can close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _tile_origin(url: str) -> str:
    """The CSP source that allows a tile template's host (``{s}`` subdomains as ``*``)."""
    parts = urlsplit(url.replace("{s}", "sub"))
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"--tiles: not an http(s) tile URL template: {url}")
    host = urlsplit(url).netloc.replace("{s}", "*")
    return f"{parts.scheme}://{host}"


def _version() -> str:
    try:
        return version("twinning")
    except PackageNotFoundError:  # running from a source tree
        return "dev"
