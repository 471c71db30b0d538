"""Everything a solve writes into its output folder, assembled in one place, so that every
command (``solve``, ``batch``, ``frontier``, the web desk) writes the same files: the plan's
files (:func:`twinning.io.planfiles.plan_files`: ``plan.json``, ``summary.json``, the CSV
tables, ``plan.xlsx``), each roster line's reason (``roster_reasons.csv``), the changes
against a baseline (``changes.csv``) and the HTML report (``report.html``).
"""

from __future__ import annotations

from twinning.county.instance import Instance
from twinning.explain import move_reason_rows, plan_changes
from twinning.io.planfiles import plan_files, plan_tables, said
from twinning.io.tabular import Table, csv_bytes, mask_names
from twinning.io.workbook import with_school_names
from twinning.plan import Plan
from twinning.report.html import render_html
from twinning.result import Result

#: Columns of roster_reasons.csv.
REASON_COLUMNS = ["staff", "kind", "from_school", "to_school", "first_period", "reason"]
#: Columns of changes.csv.
CHANGE_COLUMNS = ["part", "change", "row", "why"]


def result_files(
    result: Result,
    inst: Instance,
    *,
    formats: tuple[str, ...] = ("json", "csv"),
    lang: str | None = None,
    masked: bool = False,
    baseline: Plan | None = None,
) -> dict[str, bytes]:
    """Name -> bytes of every output file of a solve (see the module docstring)."""
    language = lang or inst.lang
    summary = result.summary()
    # the plan's tables made once, for the CSV files, the workbook and the report
    tables = plan_tables(result.plan.canonical(), inst)
    files = plan_files(
        result.plan,
        inst=inst,
        formats=tuple(f for f in formats if f != "html"),
        summary=summary,
        lang=language,
        masked=masked,
        tables=tables,
    )
    if "csv" in formats and result.plan.roster:
        rows = move_reason_rows(inst, result.plan)
        table = Table(REASON_COLUMNS, [{c: r.get(c) for c in REASON_COLUMNS} for r in rows])
        table = with_school_names("roster_reasons", table, {s.id: s.name for s in inst.schools})
        if masked:
            table = mask_names({"roster_reasons": table})["roster_reasons"]
        files["roster_reasons.csv"] = csv_bytes(*said("roster_reasons", table, language))
    if baseline is not None:
        found = plan_changes(inst, baseline, result.plan)
        table = Table(CHANGE_COLUMNS, [{c: getattr(ch, c) for c in CHANGE_COLUMNS} for ch in found])
        files["changes.csv"] = csv_bytes(*said("changes", table, language))
    if "html" in formats:
        # the solve's own check of a closest plan, when it made one (the same plan)
        checked = result._checked
        page = render_html(
            inst, result.plan, summary, language, masked=masked, checked=checked, tables=tables
        )
        files["report.html"] = page.encode("utf-8")
    return files
