"""What the commands print: a solve's summary, the rules a plan misses, the balance table,
an explanation, the changes of a re-plan. Every word from the catalogue, in the command's
language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.markup import escape
from rich.table import Table

from twinning.cli.common import SHOWN_ROWS, err_console, fmt, out_console
from twinning.io.workbook import verdict_cell, verdict_heads, verdict_messages
from twinning.messages import Lang, Msg, joined, kpi_label, msg, render, say, value_word, word
from twinning.rules.evaluation import verdict


def kpi_figures(part: str, kpis: dict[str, Any], lang: Lang) -> str:
    """A part's scalar figures as one line: label and value, in the language."""
    items = [
        f"{kpi_label(part, k, lang)} {fmt(v, lang)}"
        for k, v in kpis.items()
        if not isinstance(v, dict | list)
    ]
    return joined(items, lang)


def summary(result: Any, lang: Lang) -> None:
    """The parts' status, objective, bound, gap, time and method; each part's figures; the
    schools held below quota; the balance table; the alliances."""
    table = Table(title=say("cli.title", lang, instance=result.plan.instance), show_lines=False)
    for col in ("part", "status", "objective", "bound", "gap", "seconds", "method"):
        table.add_column(say(f"cli.col.{col}", lang))
    for name, part in result.parts.items():
        gap = f"{part.gap:.2%}" if part.gap is not None else "-"
        table.add_row(
            word(f"part.{name}", lang),
            str(value_word("status", part.status, lang)),
            fmt(part.objective, lang),
            fmt(part.bound, lang),
            gap,
            f"{part.wall_time:.2f}",
            escape(render(part.method, lang)) if part.method is not None else "",
        )
    out_console.print(table)
    for name, part in result.parts.items():
        if part.kpis is None:
            continue
        figures = kpi_figures(name, part.kpis.model_dump(), lang)
        if figures:
            line = say("cli.kpi_line", lang, part=name, figures=figures)
            out_console.print(escape(line), soft_wrap=True)
    roster = result.parts.get("roster")
    if roster is not None and roster.kpis is not None and roster.kpis.quota_capped:
        capped = roster.kpis.quota_capped
        schools = [
            msg("cli.capped_school", school=s, moved=c.can_move, quota=c.by_rate)
            if c.why is None
            else msg(
                "roster.quota_school_why", school=s, moved=c.can_move, quota=c.by_rate, why=c.why
            )
            for s, c in capped.items()
        ]
        out_console.print(
            say("cli.capped", lang, n=len(capped), schools=schools),
            style="bold yellow",
            soft_wrap=True,
            markup=False,
        )
    balance(result.balance, lang)
    groups = result.parts.get("alliances")
    if groups is not None and groups.kpis is not None and groups.kpis.alliances:
        alliances(groups.kpis.alliances, lang)


def alliances(found: Sequence[Any], lang: Lang) -> None:
    """The alliances' figures, one row each."""
    rows = [row.model_dump() for row in found]
    if all(row["stage"] is None for row in rows):
        rows = [{k: v for k, v in row.items() if k != "stage"} for row in rows]
    table = Table(title=word("part.alliances", lang))
    for col in rows[0]:
        table.add_column(kpi_label("alliances", col, lang))
    for row in rows[:SHOWN_ROWS]:
        cells = [
            str(value_word(k, v, lang)) if k == "stage" else fmt(v, lang) for k, v in row.items()
        ]
        table.add_row(*cells)
    out_console.print(table)
    if len(rows) > SHOWN_ROWS:
        out_console.print(say("cli.more_alliances", lang, n=len(rows) - SHOWN_ROWS))


def balance(figures: Any, lang: Lang) -> None:
    """The evaluation's resource part (the verdict: rules.evaluation.verdict): the seven
    indicators' coefficients per stage before the plan and in each period against their
    threshold, then a line per moment (met or not, schools failing the per-school test)
    and the indicators lacking data."""
    if figures is None:
        return
    said = verdict(figures).model_dump(mode="json")
    table = Table(title=say("verdict.title", lang))
    for col in verdict_heads(said, lang):
        table.add_column(escape(col))
    for row in said["rows"]:
        table.add_row(
            str(value_word("indicator", row["indicator"], lang)),
            str(value_word("stage", row["stage"], lang)),
            *(escape(verdict_cell(row, m, lang)) for m in said["moments"]),
            f"{row['threshold']:.2f}",
        )
    out_console.print(table)
    for line in verdict_messages(said):
        style = "dim" if line.code == "verdict.why" else None
        out_console.print(escape(render(line, lang)), style=style, soft_wrap=True)


def missed(result: Any, lang: Lang) -> None:
    """Every rule the plan misses, with every school or person and the amount."""
    messages = [p.message for p in result.parts.values() if p.message is not None]
    if not result.closest:
        err_console.print(
            escape(say("cli.no_plan", lang, status=result.status, messages=messages)),
            style="bold red",
            soft_wrap=True,
        )
        return
    by_rule: dict[str, list[Any]] = {}
    for v in result.missed:
        by_rule.setdefault(v.rule, []).append(v)
    err_console.print(
        say("cli.misses", lang, status=result.status, n=len(by_rule)),
        style="bold red",
        soft_wrap=True,
    )
    for rule, found in by_rule.items():
        where = [
            msg("cli.missed_where", where=places, amount=v.amount)
            if v.amount is not None
            else joined(places, lang)
            for v in found
            for places in ([str(value_word("where", w, lang)) for w in v.where],)
        ]
        line = say("cli.missed_rule", lang, rule=rule, n=len(found), where=where)
        err_console.print(f"  [red]{escape(line)}[/]", soft_wrap=True)
    for name, part in result.parts.items():
        if part.message is not None:
            line = say("cli.part_says", lang, part=name, message=part.message)
            err_console.print(f"  {escape(line)}", soft_wrap=True)


def _flag(value: Any) -> str:
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def explanation(why: Any, lang: Lang, *, short: bool = False) -> None:
    """The conflict and its repairs (short: one paragraph, as after an infeasible solve)."""
    if why.feasible:
        out_console.print(say("cli.explain.feasible", lang), soft_wrap=True)
        return
    if short:
        err_console.print(
            escape(say("cli.why_short", lang, why=why.short())), style="yellow", soft_wrap=True
        )
        return
    out_console.print(
        say("cli.explain.no_plan", lang, part=why.part or "", status=why.status),
        style="bold red",
    )
    if why.misses:
        table = Table(title=say("cli.explain.missed", lang))
        for col in ("rule", "where", "by", "what"):
            table.add_column(say(f"cli.explain.col.{col}", lang))
        for v in why.misses:
            if v.rule == "plan.status":
                continue
            amount = f"{v.amount:g}" if v.amount is not None else "-"
            name = word(f"rule.{v.rule}", lang) if lang == "zh" else v.rule
            table.add_row(escape(name), ", ".join(v.where), amount, escape(v.text(lang)))
        out_console.print(table)
    if why.conflict:
        conflict = why.conflict_msg() if hasattr(why, "conflict_msg") else ", ".join(why.conflict)
        out_console.print(
            escape(say("cli.explain.conflict", lang, conflict=conflict)), soft_wrap=True
        )
    if why.repairs:
        out_console.print(say("cli.explain.repairs", lang))
        for k, r in enumerate(why.repairs, start=1):
            out_console.print(f"  {k}. {escape(render(r.change, lang))}", soft_wrap=True)
            if not getattr(r, "nearest", True):
                out_console.print(say("cli.explain.not_nearest", lang), style="dim")
            if r.settings:
                flags = " ".join(f"--set {key}={_flag(value)}" for key, value in r.settings.items())
                out_console.print(
                    escape(say("cli.explain.try", lang, flags=flags)), soft_wrap=True, style="dim"
                )
    else:
        out_console.print(say("cli.explain.no_repair", lang))
    done = say("cli.explain.done", lang, n=why.solves, s=why.seconds)
    if not why.complete:
        done += say("cli.explain.cut_short", lang)
    decided = getattr(why, "decided", {})
    if decided:
        done += say(
            "cli.explain.decided",
            lang,
            reach=decided.get("reach", 0),
            witness=decided.get("witness", 0),
            search=decided.get("search", 0),
            solved=decided.get("solve", 0),
        )
    if why.undecided:
        done += say("cli.explain.undecided", lang, n=why.undecided)
    out_console.print(escape(done), style="dim")


def changes(found: list[Any], lang: Lang) -> None:
    """What the re-plan changed against the baseline, and why."""
    if not found:
        out_console.print(say("cli.changes.none", lang))
        return
    counts: dict[tuple[str, str], int] = {}
    for c in found:
        counts[(c.part, c.change)] = counts.get((c.part, c.change), 0) + 1
    said: list[Msg] = [
        msg("cli.changes.count", n=n, part=part, change=change)
        for (part, change), n in sorted(counts.items())
    ]
    out_console.print(escape(say("cli.changes.counts", lang, counts=said)), soft_wrap=True)
    table = Table()
    for col in ("part", "change", "row", "why"):
        table.add_column(say(f"cli.changes.col.{col}", lang))
    for c in found[:SHOWN_ROWS]:
        table.add_row(
            word(f"part.{c.part}", lang),
            str(value_word("change", c.change, lang)),
            escape(render(c.row, lang)),
            escape(render(c.why, lang)),
        )
    out_console.print(table)
    if len(found) > SHOWN_ROWS:
        out_console.print(say("cli.more_rows", lang, n=len(found) - SHOWN_ROWS, file="changes.csv"))
