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
from collections.abc import Mapping
from html import escape
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlsplit

from twinning.county.instance import Instance
from twinning.io.tabular import Table
from twinning.io.workbook import (
    failing_message,
    failing_schools,
    moment_word,
    verdict_cell,
    verdict_heads,
    verdict_messages,
)
from twinning.messages import joined, kpi_label, msg, render, say, template, value_word, word
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
    tables: Mapping[str, Table] | None = None,
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
    content = build_content(
        inst, plan, report, summary=summary, lang=lang, masked=masked, tables=tables
    )
    return page(content, tiles=tiles)


#: The page's words its script shows (``report.<key>``), as templates: ``{n}`` is filled
#: in by the script.
SCRIPT_WORDS: tuple[str, ...] = (
    "no_coordinates",
    "many_flows",
    "lead",
    "members",
    "km",
    "none",
    "region",
    "students",
    "helps",
    "helped_by",
    "unpaired",
    "pair",
    "is_lead",
    "alliance",
    "leaving",
    "arriving",
    "mentoring",
    "new_hires",
    "subject",
    "shortage",
    "surplus",
    "left_uncovered",
    "needs",
    "why",
    "choose_school",
    "panel_hint",
    "search",
    "per_page",
    "all",
    "prev",
    "next",
    "no_rows",
    "of",
    "rows",
    "colon",
)


def page(content: ReportContent, *, tiles: str | None = None) -> str:
    """Lay out gathered content as the HTML page (see :func:`render_html`)."""
    lang = content.lang
    data = content.data()
    data["words"] = {k: template(f"report.{k}", lang) or k for k in SCRIPT_WORDS}
    data["tiles"] = tiles
    data["colours"] = {"tiers": TIER_COLOURS, "shapes": STAGE_SHAPES}
    title = f"{content.instance} · {word('report.title', lang)}"
    csp = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        "img-src data:" + (f" {_tile_origin(tiles)}" if tiles else "")
    )
    return "".join(
        [
            "<!DOCTYPE html>\n",
            f'<html lang="{"zh-CN" if lang == "zh" else "en"}">\n<head>\n',
            '<meta charset="utf-8">\n',
            f'<meta http-equiv="Content-Security-Policy" content="{escape(csp)}">\n',
            '<meta name="referrer" content="no-referrer">\n',
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
            f'<meta name="generator" content="twinning {_version()}">\n',
            f"<title>{escape(title)}</title>\n",
            f"<style>{_leaflet_css()}</style>\n",
            f"<style>{_asset('report.css')}</style>\n",
            "</head>\n<body>\n",
            _header(content),
            "<main>\n",
            _dashboard(content),
            _evaluation(content),
            _map_section(content, tiles),
            _tables_section(content),
            "</main>\n",
            _footer(content, tiles),
            '<script type="application/json" id="report-data">',
            _json(data),
            "</script>\n",
            f"<script>{_asset('leaflet.js')}</script>\n",
            f"<script>{_asset('report.js')}</script>\n",
            "</body>\n</html>\n",
        ]
    )


# ---- the page's parts ---------------------------------------------------------------------


def _fact(label: str, value: str, lang: str) -> str:
    return escape(say("report.fact", lang, label=label, value=value))


def _header(c: ReportContent) -> str:
    plan, lang = c.plan, c.lang
    parts = joined([msg(f"report.part.{p}") for p in plan.parts], lang)
    status = str(value_word("status", plan.status, lang))
    facts = [
        f'<span class="status status-{escape(plan.status)}" data-status="{escape(plan.status)}">'
        f"{_fact(word('report.status', lang), status, lang)}</span>",
        f"<span>{_fact(word('report.parts', lang), parts or word('report.none', lang), lang)}"
        "</span>",
        f"<span>{_fact(word('report.objective', lang), f'{plan.objective:,}', lang)}</span>",
    ]
    state, verdict = c.verdict()
    missed = sum(1 for r in c.rules if r.state == "missed")
    badge = {"good": "✓", "warn": "!", "bad": "✗"}[state]
    facts.append(
        f'<span class="verdict {state}" data-missed="{missed}">'
        f"{badge} {escape(render(verdict, lang))}</span>"
    )
    if c.summary is not None and c.summary.gap is not None:
        gap = f"{100 * c.summary.gap:.2f}%"
        facts.append(f"<span>{_fact(word('report.gap', lang), gap, lang)}</span>")
    nav = "".join(
        f'<a href="#{target}">{escape(label)}</a>'
        for target, label in (
            ("dashboard", word("report.dashboard", lang)),
            *((("evaluation", word("table.evaluation", lang)),) if c.evaluation else ()),
            ("map-section", word("report.map", lang)),
            ("tables", word("report.tables", lang)),
        )
    )
    return (
        '<header class="top">\n'
        f"<h1>{escape(c.instance)} <small>{escape(word('report.title', lang))}</small></h1>\n"
        f'<div class="facts">{"".join(facts)}</div>\n'
        f"<nav>{nav}</nav>\n</header>\n"
    )


#: The balance charts: indicator -> the code of its caption.
BALANCE_TITLES: dict[str, str] = {
    "backbone": "report.balance",
    "qualified": "report.balance_qualified",
    "pe_arts": "report.balance_pe_arts",
}


def _dashboard(c: ReportContent) -> str:
    lang = c.lang
    out = [f'<section id="dashboard">\n<h2>{escape(word("report.dashboard", lang))}</h2>\n']
    if c.summary is not None and c.summary.closest:
        out.append(f'<p class="banner bad">{escape(word("report.closest", lang))}</p>\n')
    if c.summary is not None and c.summary.interrupted:
        out.append(f'<p class="banner warn">{escape(word("report.interrupted", lang))}</p>\n')
    out.append(f"<h3>{escape(word('report.kpis', lang))}</h3>\n" + _kpis(c.kpis, lang))
    figures = []
    shown = [("backbone", c.balance)] if c.balance is not None else []
    shown += list(c.indicators.items())
    for ind, figure in shown:
        title = word(BALANCE_TITLES[ind], lang)
        svg = charts.balance_chart(figure, lang, title)
        if svg:
            figures.append(
                f'<figure class="wide"><figcaption>{escape(title)}</figcaption>{svg}'
                f'<p class="note">{escape(word("report.balance_note", lang))}</p></figure>'
            )
    if c.needs_by_type:
        figures.append(
            f"<figure><figcaption>{escape(word('report.needs_by_type', lang))}</figcaption>"
            f"{charts.needs_chart(c.needs_by_type, lang)}"
            f'<p class="note">{escape(word("report.needs_note", lang))}</p></figure>'
        )
    if c.moves_by_kind:
        figures.append(
            f"<figure><figcaption>{escape(word('report.moves_by_kind', lang))}</figcaption>"
            f"{charts.count_chart(c.moves_by_kind, lang, 'kind')}</figure>"
        )
    if figures:
        out.append('<div class="charts">' + "".join(figures) + "</div>\n")
    out.append(_rules(c.rules, lang))
    out.append("</section>\n")
    return "".join(out)


#: Failing schools named per moment; the rest are counted.
FAILING_SHOWN = 20


def _evaluation(c: ReportContent) -> str:
    """The evaluation's resource part: the seven coefficients per stage before the plan
    and in each period against the threshold, the verdict per moment, the schools failing
    the per-school test (the first :data:`FAILING_SHOWN` of each moment named)."""
    said = c.evaluation
    if not said:
        return ""
    lang = c.lang
    heads = "".join(f"<th>{escape(h)}</th>" for h in verdict_heads(said, lang))
    body = []
    for row in said.get("rows") or []:
        cells = [
            f"<td>{escape(str(value_word('indicator', row['indicator'], lang)))}</td>",
            f"<td>{escape(str(value_word('stage', row['stage'], lang)))}</td>",
        ]
        for m in said["moments"]:
            over = (row.get("met") or {}).get(m) is False
            cls = "num over" if over else "num"
            cells.append(f'<td class="{cls}">{escape(verdict_cell(row, m, lang))}</td>')
        cells.append(f'<td class="num">{row["threshold"]:.2f}</td>')
        body.append(
            f'<tr data-indicator="{escape(row["indicator"])}" data-stage="{escape(row["stage"])}">'
            + "".join(cells)
            + "</tr>"
        )
    out = [
        f'<section id="evaluation">\n<h2>{escape(word("verdict.title", lang))}</h2>\n',
        f'<table class="rules evaluation"><thead><tr>{heads}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>\n",
    ]
    # the lines of the console and the sheet; why an indicator lacks data names
    # schools.csv columns, which the console and the sheet say (the page names the
    # indicators in words)
    for line in verdict_messages(said):
        if line.code != "verdict.why":
            out.append(f'<p class="verdict-line">{escape(render(line, lang))}</p>\n')
    out.append(f"<h3>{escape(word('verdict.failing_title', lang))}</h3>\n")
    for m in said["moments"]:
        found = failing_schools(c.evaluation_balance, m)
        title = render(moment_word(m), lang)
        items = [
            f"<li>{escape(render(failing_message(t, c.school_names), lang))}</li>"
            for t in found[:FAILING_SHOWN]
        ]
        if len(found) > FAILING_SHOWN:
            more = say("verdict.more", lang, n=len(found) - FAILING_SHOWN)
            items.append(f'<li class="more">{escape(more)}</li>')
        if not items:
            items.append(f"<li>{escape(word('verdict.none_failing', lang))}</li>")
        out.append(
            f'<details class="failing" data-moment="{escape(m)}" data-failing="{len(found)}">'
            f"<summary>{escape(title)} ({len(found)})</summary><ul>{''.join(items)}</ul>"
            "</details>\n"
        )
    out.append("</section>\n")
    return "".join(out)


def _rules(rows: list[RuleRow], lang: str) -> str:
    met = sum(1 for r in rows if r.state == "met")
    missed = [r for r in rows if r.state != "met"]
    summary = say("report.rules_summary", lang, met=met, total=len(rows))
    head = (
        f'<h3>{escape(word("report.rules", lang))} <span class="count" data-met="{met}" '
        f'data-total="{len(rows)}">{escape(summary)}</span></h3>\n'
    )
    heads = (
        word("report.rule", lang),
        word("report.rule_key", lang),
        word("report.state", lang),
        word("report.violations", lang),
        word("report.amount", lang),
        word("report.where", lang),
    )
    table_head = "<thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in heads) + "</tr></thead>"
    out = [head]
    if missed:
        out.append(
            f'<table class="rules missed-rules">{table_head}<tbody>'
            + "".join(_rule_tr(r, lang) for r in missed)
            + "</tbody></table>\n"
        )
    groups: dict[str, list[RuleRow]] = {}
    for r in rows:
        groups.setdefault(r.part, []).append(r)
    body = []
    for part, found in groups.items():
        title = word(f"report.part.{part}", lang)
        body.append(f'<tr class="group"><th colspan="6">{escape(title)}</th></tr>')
        body.extend(_rule_tr(r, lang) for r in found)
    out.append(
        '<details class="all-rules"><summary>'
        f"{escape(word('report.rules', lang))} ({len(rows)})</summary>"
        f'<table class="rules">{table_head}<tbody>{"".join(body)}</tbody></table></details>\n'
    )
    return "".join(out)


#: The words of a rule's state.
STATE_WORDS: dict[str, str] = {
    "met": "report.met",
    "missed": "report.missed",
    "priced": "report.priced",
}


def _rule_tr(r: RuleRow, lang: str) -> str:
    where = joined(list(r.where[:WHERE_SHOWN]), lang)
    if len(r.where) > WHERE_SHOWN:
        where = say("report.where_more", lang, shown=where, more=len(r.where) - WHERE_SHOWN)
    badge = {"met": "✓", "missed": "✗", "priced": "!"}[r.state]
    amount = "" if r.amount is None else _amount(r.amount)
    about = r.description if lang == "en" and r.description else r.name
    title = about + (f" — {r.message}" if r.message else "")
    message = f'<div class="msg">{escape(r.message)}</div>' if r.message else ""
    return (
        f'<tr class="rule {r.state}" data-rule="{escape(r.rule)}" data-state="{r.state}" '
        f'title="{escape(title)}">'
        f"<td>{escape(r.name)}</td><td><code>{escape(r.rule)}</code></td>"
        f'<td class="state">{badge} {escape(word(STATE_WORDS[r.state], lang))}</td>'
        f'<td class="num">{r.violations or ""}</td><td class="num">{escape(amount)}</td>'
        f'<td class="where">{escape(where)}{message}</td></tr>'
    )


def _amount(value: float) -> str:
    """An amount as a planner reads it: whole numbers with separators, else 3 digits."""
    if value == int(value) or abs(value) >= 100:
        return f"{value:,.0f}"
    return f"{value:.3g}"


def _kpis(kpis: dict[str, list[Kpi]], lang: str) -> str:
    out = ['<div class="kpi-grid">']
    for part, found in kpis.items():
        out.append(f'<div class="kpi-part"><h4>{escape(word(f"report.part.{part}", lang))}</h4>')
        for k in found:
            met = k.met
            state = "" if met is None else (" met" if met else " missed")
            if met is False and k.accepted_below:
                state = " priced"
            if met and k.schools_short:  # met county-wide, not by every school
                state = " priced" if k.accepted_below else " missed"
            req = ""
            note = ""
            meter = ""
            if k.required is not None:
                mark = {"": "", " met": " ✓", " missed": " ✗", " priced": " !"}[state]
                accepted = (
                    f" ({word('report.priced', lang)})"
                    if state == " priced" and not k.schools_short
                    else ""
                )
                req = (
                    f'<div class="kpi-req">{escape(word("report.required", lang))} ≥ '
                    f"{escape(fmt_number(k.required, k.kind))}{mark}{escape(accepted)}</div>"
                )
            if met and k.schools_short:
                said = say("report.kpi.quota_short", lang, n=k.schools_short)
                note = (
                    f'<div class="kpi-note" data-schools-short="{k.schools_short}">'
                    f"{escape(said)}</div>"
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
                f'<div class="kpi-label">{escape(kpi_label(part, k.key, lang))}</div>'
                f'<div class="kpi-value">{escape(fmt_number(k.value, k.kind))}</div>'
                f"{note}{req}{meter}</div>"
            )
        out.append("</div>")
    out.append("</div>\n")
    return "".join(out)


def _labelled(code: str, lang: str) -> str:
    """A label and its colon, as the language writes them (``Show:``, ``显示：``)."""
    return word(code, lang) + word("report.colon", lang).rstrip()


def _map_section(c: ReportContent, tiles: str | None) -> str:
    lang = c.lang
    missing = sum(1 for s in c.schools if s["lat"] is None or s["lon"] is None)
    note = (
        f'<p class="note">{escape(say("report.no_coordinates", lang, n=missing))}</p>'
        if missing
        else ""
    )
    tier_items = "".join(
        f'<li><span class="swatch" style="background:{colour}"></span>'
        f"{escape(str(value_word('tier', tier, lang)))}</li>"
        for tier, colour in TIER_COLOURS.items()
    )
    shapes_used = {s["shape"] for s in c.schools}
    shape_items = "".join(
        f'<li><span class="shape" data-shape="{shape}"></span>'
        f"{escape(stage_word(stage, lang))}</li>"
        for stage, shape in STAGE_SHAPES.items()
        if shape in shapes_used
    )
    toggles = [
        ("pairs", word("report.layer_pairs", lang), bool(c.pairs)),
        ("alliances", word("report.layer_alliances", lang), bool(c.alliances)),
        ("flows", word("report.layer_flows", lang), bool(c.flows)),
        ("flow-counts", word("report.layer_flow_counts", lang), bool(c.flows)),
    ]
    toggle_html = "".join(
        f'<label><input type="checkbox" data-layer="{key}"> {escape(label)}</label>'
        for key, label, present in toggles
        if present
    )
    flow_words = {
        "out": word("report.flow_out", lang),
        "in": word("report.flow_in", lang),
        "mixed": word("report.flow_mixed", lang),
    }
    lines = []
    if c.pairs:
        pairs = word("report.layer_pairs", lang)
        lines.append(f'<li><span class="line pair"></span>{escape(pairs)}</li>')
    if c.flows:
        lines += [
            f'<li><span class="line flow-{d}"></span>{escape(said)}</li>'
            for d, said in flow_words.items()
        ]
    if c.alliances:
        lead = word("report.lead", lang)
        lines.append(f'<li><span class="lead-mark">★</span>{escape(lead)}</li>')
    return (
        f'<section id="map-section">\n<h2>{escape(word("report.map", lang))}</h2>\n{note}'
        '<div class="map-wrap">\n'
        '<div id="map" role="application"></div>\n'
        '<aside id="school-panel">\n'
        f'<label class="choose">{escape(word("report.choose_school", lang))}'
        '<input id="school-input" list="school-list" autocomplete="off"></label>\n'
        '<datalist id="school-list"></datalist>\n'
        '<div id="school-detail"></div>\n</aside>\n</div>\n'
        '<div class="map-controls">\n'
        f'<div class="toggles"><b>{escape(_labelled("report.layers", lang))}</b> {toggle_html}'
        '<span id="flow-note" class="note"></span></div>\n'
        f'<div class="legend"><b>{escape(_labelled("report.legend", lang))}</b>'
        f"<ul>{tier_items}</ul><ul>{shape_items}</ul><ul>{''.join(lines)}</ul></div>\n"
        "</div>\n</section>\n"
    )


def _tables_section(c: ReportContent) -> str:
    tabs = "".join(
        f'<button type="button" role="tab" data-table="{escape(t.id)}">{escape(t.title)} '
        f'<span class="n">{len(t.rows):,}</span></button>'
        for t in c.tables
    )
    return (
        f'<section id="tables">\n<h2>{escape(word("report.tables", c.lang))}</h2>\n'
        f'<div class="tabs" role="tablist">{tabs}</div>\n'
        '<div id="table-host"></div>\n</section>\n'
    )


def _footer(c: ReportContent, tiles: str | None) -> str:
    lang = c.lang
    notes = [
        word("report.generated", lang),
        f"twinning {_version()} · Leaflet {LEAFLET_VERSION} (BSD-2-Clause)",
    ]
    if c.masked:
        notes.append(word("report.masked", lang))
    notes.append(say("report.tiles", lang, url=tiles) if tiles else word("report.no_tiles", lang))
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
