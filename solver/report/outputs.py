"""Everything a solve writes into its output folder, in one place: the plan's files and,
when asked, the HTML report beside them (written together, atomically, by
:func:`twinning.io.files.replace_folder`)."""

from __future__ import annotations

from twinning.county.instance import Instance
from twinning.report.html import render_html
from twinning.result import Result


def result_files(
    result: Result,
    inst: Instance,
    *,
    formats: tuple[str, ...] = ("json", "csv"),
    lang: str | None = None,
    masked: bool = False,
) -> dict[str, bytes]:
    """Name -> bytes of every output file: ``plan.json``, ``summary.json``, the tables as
    the formats ask (``csv``, ``xlsx``) and ``report.html`` (``html``)."""
    summary = result.summary()
    files = result.plan.files(
        inst=inst,
        formats=tuple(f for f in formats if f != "html"),
        summary=summary,
        lang=lang,
        masked=masked,
    )
    if "html" in formats:
        page = render_html(inst, result.plan, summary, lang, masked=masked)
        files["report.html"] = page.encode("utf-8")
    return files
