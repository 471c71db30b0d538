"""One voice: a county whose files have Chinese headers reads no English word.

The demo county is saved as a bureau saves it (Chinese headers and values, GB18030), solved
with every part and every format, then every command is run on it as a planner would:
validate, explain (a plan, a person, a school, and an infeasible variant), report,
frontier, batch, adopt and history. Every line on the console, every cell of every CSV
file and of the workbook, and every text of the HTML reports is scanned: after ids, policy
keys, --flags, file names and paths, units and the names of tools are taken out, no Latin
word may remain. ``plan.json`` and ``summary.json`` are for machines (codes and
parameters) and are not scanned; nor is ``history.csv``, whose ``kind`` values are the
history file format's own codes.
"""

from __future__ import annotations

import csv
import html.parser
import io
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from twinning.io.export import save_instance
from twinning.io.readers import load_instance

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "instances" / "demo-county"

#: What may stay Latin in a Chinese text, taken out before looking for English words.
ALLOWED = [
    re.compile(p)
    for p in (
        r"--set [a-z_]+(?:\.[a-z_]+)+=\S+",  # a setting to try (--set rotation.scope=county)
        r"https?://\S+",  # a URL the planner gave (map tiles)
        r"(?:[A-Za-z]:)?[\w.~-]*/[\w./~+-]*",  # paths
        r"[\w.-]+\.(?:csv|json|xlsx|html|toml|yaml|yml|log|db|sqlite)\b",  # file names
        r"--[a-z][a-z-]*(?:=\S+)?",  # flags
        r"\b[a-z_]+(?:\.[a-z_0-9]+)+\b",  # policy keys (rotation.rate) and dotted codes
        r"\b[a-z]+_[a-z_]+\b",  # identifiers written in a key=value (cap_quota)
        r"\b[A-Z]+[\w-]*\d[\w-]*\b",  # ids: S0026, ZX007-014, A01
        r"\b[a-z]+\d[\w-]*\b",  # ids: v2, s12
        r"\b\d[\w.:-]*\b",  # numbers, periods (2025-2026-1), times
        r"\b(?:twinning|CP-SAT|OR-Tools|HiGHS|PuLP|CBC|Excel|WPS|UTC|CSV|JSON|HTML|SQLite|"
        r"PostgreSQL|Dask|p-median|LP|MIP|km|kg|m²|GB18030|UTF-8|pip|Ctrl-C|Leaflet)\b",
        r"\b(?:validate|explain|solve|report|frontier|batch|adopt|history|generate|schema)\b",
        r"\b(?:true|false|none)\b",  # policy values in a --set
        r"\b(?:pairs|alliances|roster|itinerant|outreach|county|alliance|pair)\b(?==)",
    )
]
WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> list[str]:
    """The Latin words of a text once what may stay Latin is taken out."""
    for pattern in ALLOWED:
        text = pattern.sub(" ", text)
    return WORD.findall(text)


class _Text(html.parser.HTMLParser):
    """The visible text of a page and the string values of its JSON data."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self.tag: list[str] = []
        self.data_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tag.append(tag)
        self.data_script = tag == "script" and ("type", "application/json") in attrs
        for name, value in attrs:
            if name in ("title", "placeholder", "aria-label", "alt") and value:
                self.texts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if self.tag:
            self.tag.pop()
        self.data_script = False

    def handle_data(self, data: str) -> None:
        where = self.tag[-1] if self.tag else ""
        if where == "script" and self.data_script:
            self.texts.extend(_strings(json.loads(data)))
        elif where not in ("script", "style"):
            self.texts.append(data)


#: Keys of the report's data whose values are machine values (ids, codes), not words: the
#: map's marker shapes and colours, a flow's direction (a style of its line).
MACHINE_KEYS = {
    "id", "key", "type", "lang", "stage", "area", "tier", "kind", "lead", "helper",
    "shape", "direction", "colours",
}  # fmt: skip


def _strings(value: object, key: str = "") -> list[str]:
    if key in MACHINE_KEYS:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in _strings(v, str(k))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v, key)]
    return []


def texts_of(path: Path) -> list[str]:
    """Every text a planner reads in one output file."""
    data = path.read_bytes()
    if path.suffix == ".csv":
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig")))
        return [cell for row in rows for cell in row]
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
        out = [ws.title for ws in book.worksheets]
        for ws in book.worksheets:
            out += [str(c) for row in ws.iter_rows(values_only=True) for c in row if c is not None]
        return out
    if path.suffix == ".html":
        parser = _Text()
        parser.feed(data.decode("utf-8"))
        return parser.texts
    return []


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-m", "twinning.cli.main", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=900,
    )


@pytest.fixture(scope="module")
def spoken(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """Every command on the Chinese-headed demo county: source -> its texts."""
    work = tmp_path_factory.mktemp("voice")
    county = work / "示范县"
    save_instance(load_instance(DEMO), county, lang="zh", encoding="gb18030")
    out = work / "plan"
    texts: dict[str, list[str]] = {}

    def said(name: str, done: subprocess.CompletedProcess[str], codes: tuple[int, ...]) -> None:
        assert done.returncode in codes, (name, done.returncode, done.stdout, done.stderr)
        texts[f"console: {name}"] = [done.stdout, done.stderr]

    plan = str(out / "plan.json")
    said("solve", run("solve", str(county), "-o", str(out), "--time-limit", "40", cwd=work), (0,))
    said("validate", run("validate", str(county), plan, cwd=work), (0,))
    said("explain plan", run("explain", str(county), plan, cwd=work), (0,))
    roster = list(csv.DictReader(io.StringIO((out / "roster.csv").read_text("utf-8-sig"))))
    mover = roster[0][next(iter(roster[0]))]  # the first column: 工号
    said("explain staff", run("explain", str(county), plan, "--staff", mover, cwd=work), (0,))
    school = roster[0][list(roster[0])[4]]  # 派出学校
    said("explain school", run("explain", str(county), plan, "--school", school, cwd=work), (0,))
    tight = (
        "--set", "rotation.max_outflow_share=0", "--set", "rotation.min_outflow=0",
        "--set", "rotation.cap_quota=false",
    )  # fmt: skip
    closest = work / "closest"
    said(
        "solve infeasible",
        run("solve", str(county), "-o", str(closest), "--parts", "roster", "--time-limit",
            "20", *tight, cwd=work),
        (1,),
    )  # fmt: skip
    said(
        "explain infeasible",
        run("explain", str(county), "--parts", "roster", "--time-limit", "60", "--step-limit",
            "10", *tight, cwd=work),
        (1,),
    )  # fmt: skip
    said(
        "report",
        run("report", str(county), plan, "--html", str(work / "r.html"), "--xlsx",
            str(work / "r.xlsx"), cwd=work),
        (0,),
    )  # fmt: skip
    said(
        "frontier",
        run("frontier", str(county), "-o", str(work / "fr"), "--points", "2", "--time-limit",
            "15", cwd=work),
        (0, 1),
    )  # fmt: skip
    said(
        "batch",
        run("batch", str(county), "-o", str(work / "batch"), "--time-limit", "30", "--jobs",
            "1", cwd=work),
        (0,),
    )  # fmt: skip
    registry = str(work / "registry.db")
    said(
        "adopt",
        run("adopt", str(county), plan, "--registry", registry, "--by", "规划科", cwd=work),
        (0,),
    )
    said(
        "history",
        run("history", "--registry", registry, "-o", str(work / "hist"), "--lang", "zh",
            cwd=work),
        (0,),
    )  # fmt: skip
    for path in sorted(work.rglob("*")):
        if path.suffix in (".csv", ".xlsx", ".html") and path.name != "history.csv":
            if county in path.parents:
                continue  # the planner's own files
            texts[str(path.relative_to(work))] = texts_of(path)
    return texts


def test_a_chinese_county_reads_no_english_word(spoken: dict[str, list[str]]) -> None:
    found: dict[str, Counter[str]] = {}
    for source, texts in spoken.items():
        words = Counter(w for text in texts for w in english_words(text))
        if words:
            found[source] = words
    total = sum(sum(c.values()) for c in found.values())
    shown = {s: dict(c.most_common(8)) for s, c in found.items()}
    assert total == 0, f"{total} English words reach the planner: {shown}"


def test_every_output_the_planner_opens_was_scanned(spoken: dict[str, list[str]]) -> None:
    names = {Path(s).name for s in spoken}
    for expected in ("plan.xlsx", "report.html", "roster.csv", "roster_reasons.csv",
                     "circuits.csv", "outreach.csv", "pairs.csv", "frontier.html",
                     "summary.csv", "r.html", "r.xlsx"):  # fmt: skip
        assert expected in names, expected
    consoles = [s for s in spoken if s.startswith("console:")]
    assert len(consoles) == 12
    # the scan is not vacuous: every console said something, in Chinese
    for source in consoles:
        text = "".join(spoken[source])
        assert re.search("[\u4e00-\u9fff]", text), source


def test_the_scan_finds_english() -> None:
    assert english_words("交流比例（rotation.rate）未达标：S0026 moves 0 of 4") == ["moves", "of"]
    assert (
        english_words("请打开 plans/示范县/report.html；twinning validate 示范县 plan.json") == []
    )
