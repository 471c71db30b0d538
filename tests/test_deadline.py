"""``--time-limit`` as the whole command's deadline (:mod:`twinning.deadline`): the parts
share what is left after reading, less the reserve for checking, writing and explaining;
the explanation keeps to its share and says when it was cut short. The clock is injected
everywhere: no timing is asserted here (the whole command is measured in
tests/benchmarks/bench_county2000.py and bench_city.py)."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

import twinning.solving as solving_module
from tests.test_roster_rules import base
from twinning import solve
from twinning.cli import solving as cli_solving
from twinning.cli.main import app
from twinning.deadline import (
    CHECK_PER_STAFF,
    END_SECONDS,
    EXPLAIN_MOST,
    SLOWDOWN_MOST,
    WRITE_PER_STAFF,
    Deadline,
    after_parts,
    explain_share,
)
from twinning.explain import explain_infeasible
from twinning.io.export import save_instance
from twinning.io.tabular import Table, put_cell
from twinning.io.workbook import ILLEGAL_CHARACTERS, cell_word, workbook_bytes
from twinning.messages import CATALOGUE, render
from twinning.parts.spec import Part
from twinning.solving import part_share

runner = CliRunner()


def nobody_leaves() -> Any:
    """:func:`base` with nobody allowed to leave: its roster is infeasible at once."""
    return base(policy={"rotation": {"max_outflow_share": 0.0, "min_outflow": 0}})


class Clock:
    """A clock that moves only when told (or by ``tick`` seconds each time it is read)."""

    def __init__(self, now: float = 0.0, tick: float = 0.0) -> None:
        self.now = now
        self.tick = tick
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        self.now += self.tick
        return self.now


# ---- the budget ----------------------------------------------------------------------------


def test_the_parts_budget_is_the_limit_less_the_time_spent_and_the_reserve() -> None:
    clock = Clock(now=1000.0)
    deadline = Deadline(limit=60.0, start=1000.0, clock=clock, after=12.0, explain=10.0)
    clock.now = 1003.5  # reading took 3.5 s
    assert deadline.elapsed() == pytest.approx(3.5)
    # the roster still to plan: its explanation's share is kept
    assert deadline.for_parts(["pairs", "roster"]) == pytest.approx(60 - 3.5 - 12 - 10)
    clock.now = 1030.0
    # the roster done and feasible: its share goes to the parts after it
    done = {"pairs": "optimal", "roster": "feasible"}
    assert deadline.for_parts(["itinerant"], done) == pytest.approx(60 - 30 - 12)
    # the roster infeasible: the explanation will run, its share stays kept
    done["roster"] = "infeasible"
    assert deadline.for_parts(["itinerant"], done) == pytest.approx(60 - 30 - 12 - 10)
    # no roster at all: nothing kept for an explanation
    assert deadline.for_parts(["pairs", "alliances"]) == pytest.approx(60 - 30 - 12)


def test_the_reserve_grows_with_the_county_the_formats_and_a_busy_machine() -> None:
    every = ("json", "csv", "xlsx", "html")
    per_staff = CHECK_PER_STAFF + sum(WRITE_PER_STAFF[f] for f in every)
    assert after_parts(80_000, every) == pytest.approx(END_SECONDS + 80_000 * per_staff)
    assert after_parts(400_000, every) > after_parts(80_000, every)
    assert after_parts(80_000, ("json",)) < after_parts(80_000, every)
    # twice as slow as its CPU time so far: twice the work's seconds; never more than the
    # bound, never less than a quiet machine's
    assert after_parts(80_000, every, 2.0) - END_SECONDS == pytest.approx(
        2 * (after_parts(80_000, every) - END_SECONDS)
    )
    assert after_parts(80_000, every, 50.0) == after_parts(80_000, every, SLOWDOWN_MOST)
    assert after_parts(80_000, every, 0.5) == after_parts(80_000, every)
    deadline = Deadline(limit=60.0, start=0.0, clock=Clock())
    deadline.keep(80_000, every, explain=True, slowdown=1.0)
    assert deadline.after == after_parts(80_000, every)
    assert deadline.explain == explain_share(60.0) == EXPLAIN_MOST
    deadline.keep(80_000, every, explain=False)
    assert deadline.explain == 0.0


def test_the_explanation_has_its_share_within_what_is_left() -> None:
    assert explain_share(60.0) == EXPLAIN_MOST
    assert explain_share(600.0) == EXPLAIN_MOST  # a fixed share, at most 10 s
    assert explain_share(12.0) == pytest.approx(2.0)
    clock = Clock(now=0.0)
    deadline = Deadline(limit=60.0, start=0.0, clock=clock, after=12.0, explain=10.0)
    clock.now = 40.0
    assert deadline.for_explanation() == 10.0
    clock.now = 55.0  # the files took longer than kept for: what is left, less the end
    assert deadline.for_explanation() == pytest.approx(60 - 55 - END_SECONDS)
    clock.now = 70.0  # past the deadline: no time, never a negative one
    assert deadline.for_explanation() == 0.0


def test_solve_gives_the_parts_what_is_left_of_the_deadline(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    inst = base()
    given: list[tuple[str, float]] = []
    run = Part.run
    clock = Clock(now=500.0)

    def spy(self: Part, ctx: Any) -> Any:
        given.append((self.name, ctx.settings.time_limit))
        out = run(self, ctx)
        clock.now += 7.0  # each part takes 7 s on this clock
        return out

    monkeypatch.setattr(Part, "run", spy)
    # 4 s already spent reading when the parts start; 20 s kept after them, 10 s for the
    # explanation while the roster is to be planned
    deadline = Deadline(limit=100.0, start=496.0, clock=clock, after=20.0, explain=10.0)
    result = solve(inst, ["pairs", "roster"], deadline=deadline)
    assert [name for name, _ in given] == ["pairs", "roster"]
    shares = dict(given)
    left = 100 - 4 - 20 - 10
    assert shares["pairs"] == pytest.approx(part_share("pairs", ["pairs", "roster"], left))
    # the roster starts 7 s later: what the pairs spent is no longer its to share
    assert shares["roster"] == pytest.approx(part_share("roster", ["roster"], left - 7))
    assert result.parts["roster"].status in ("optimal", "feasible")
    # the time limit alone (a library call) is the parts' own, from the call on
    given.clear()
    solve(inst, ["pairs"], time_limit=30.0)
    assert given[0][1] == pytest.approx(part_share("pairs", ["pairs"], 30.0), abs=0.5)


def test_the_command_keeps_the_reserve_for_the_county_and_formats_it_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inst = base()
    path = tmp_path / "county"
    save_instance(inst, path)
    seen: list[Deadline] = []
    real = solving_module.solve

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(kwargs["deadline"])
        return real(*args, **kwargs)

    monkeypatch.setattr(solving_module, "solve", spy)
    monkeypatch.setattr(cli_solving, "slowdown_so_far", lambda age: 1.0)
    out = tmp_path / "plan"
    args = ["solve", str(path), "-o", str(out), "--parts", "pairs", "--format", "json,csv"]
    done = runner.invoke(app, [*args, "--time-limit", "45", "--quiet"])
    assert done.exit_code == 0, done.output
    (deadline,) = seen
    assert deadline.limit == 45.0
    assert deadline.after == after_parts(len(inst.staff), ("json", "csv"))
    assert deadline.explain == explain_share(45.0)
    # a command run in-process counts from its own start, not the test process's
    assert 0.0 <= deadline.elapsed() < 45.0


def test_the_help_says_what_the_time_limit_covers() -> None:
    assert {"en", "zh"} <= CATALOGUE["cli.help.solve_time_limit"].keys()
    done = runner.invoke(app, ["solve", "--help"], terminal_width=200)
    text = " ".join(done.output.replace("│", " ").split())
    assert "whole command, from its start" in text
    assert "reserve for checking" in text


# ---- the explanation stops at its budget ----------------------------------------------------


def _first(inst: Any) -> Any:
    first = solve(inst, "roster", time_limit=10)
    assert first.parts["roster"].status == "infeasible"
    return first


def test_the_explanation_starts_no_step_past_its_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    inst = nobody_leaves()
    first = _first(inst)
    clock = Clock(now=0.0)
    started: list[float] = []
    real = solving_module.solve

    def timed(*args: Any, **kwargs: Any) -> Any:
        started.append(clock.now)
        out = real(*args, **kwargs)
        clock.now += 4.0  # each solve of the explanation takes 4 s on its clock
        return out

    from twinning.explain import infeasible as explain_module
    from twinning.models.roster import verdict as verdict_module

    real_verdict = verdict_module.roster_verdict

    def searched(*args: Any, **kwargs: Any) -> Any:
        started.append(clock.now)
        out = real_verdict(*args, **kwargs)
        clock.now += 4.0  # each search of the explanation takes 4 s on its clock
        return out

    monkeypatch.setattr(solving_module, "solve", timed)
    monkeypatch.setattr(verdict_module, "roster_verdict", searched)
    # every step searched: no answer taken from the reach counts nor a plan found before
    monkeypatch.setattr(explain_module, "_quota_out_of_reach", lambda *a: False)
    monkeypatch.setattr(explain_module._Oracle, "witnessed", lambda *a: False)
    why = explain_infeasible(
        inst, "roster", time_limit=10.0, step_limit=10.0, first=first, clock=clock
    )
    assert started, "the explanation solved nothing within its budget"
    assert all(at < 10.0 for at in started)  # no solve started past the budget
    assert why.complete is False
    assert why.seconds <= 10.0 + 4.0  # the last step started within the budget
    unbounded = explain_infeasible(inst, "roster", time_limit=120.0, step_limit=10.0, first=first)
    assert unbounded.complete and unbounded.steps > why.steps


def test_an_explanation_out_of_time_says_its_conflict_is_not_proven_smallest() -> None:
    inst = nobody_leaves()
    first = _first(inst)
    why = explain_infeasible(inst, "roster", time_limit=0.0, step_limit=10.0, first=first)
    assert why.complete is False and why.reduced is False
    assert why.solves == 1  # the first solve only: none started with no time left
    for lang, said in (("en", "not proven smallest"), ("zh", "未证明是最小")):
        assert said in render(why.short(), lang)
    # a whole explanation says neither
    whole = explain_infeasible(inst, "roster", time_limit=120.0, step_limit=10.0, first=first)
    assert whole.complete and whole.reduced
    assert "not proven" not in render(whole.short(), "en")
    assert "cut short" not in render(whole.short(), "en")


# ---- plan.xlsx: the rows written as openpyxl writes put_cell's cells ---------------------


TRICKY: list[Any] = [
    "plain",
    "=1+1",
    "+1",
    "-x",
    "@sum",
    "  padded  ",
    "   ",
    "",
    "a & b < c > d \"q\" 'a'",
    "line\nbreak\rreturn\ttab",
    "bell\x07 and \x1b escape",
    "学校 S0001",
    "x" * 40_000,
    0,
    -3,
    12_345_678_901_234_567_890,
    0.1 + 0.2,
    1e-7,
    89.30000000000001,
    True,
    False,
    None,
]


def _values(data: bytes, sheet: str | None = None) -> list[tuple[Any, str]]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    ws = book[sheet] if sheet is not None else book.active
    return [(c.value, c.data_type) for row in ws.iter_rows(min_row=2) for c in row]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_workbook_rows_are_the_cells_put_cell_makes(lang: str) -> None:
    columns = ["why", "distance_km", "reachable", "school"]
    rows = [
        {"why": v, "distance_km": v, "reachable": k % 2 == 0, "school": v}
        for k, v in enumerate(TRICKY)
    ]
    data = workbook_bytes(
        {"unmet_needs": Table(columns, rows)}, summary={"instance": "x"}, lang=lang
    )
    # the same cells through openpyxl's own cell objects (put_cell), as said in lang
    book = openpyxl.Workbook()
    for i, row in enumerate(rows, start=2):
        for j, column in enumerate(columns, start=1):
            put_cell(book.active, i, j, cell_word(column, row[column], lang))
    buf = io.BytesIO()
    book.save(buf)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).sheetnames[-1]
    got = _values(data, sheet)
    assert got == _values(buf.getvalue())
    texts = [value for value, _ in got[::4]]
    assert texts[1] == "'=1+1" and texts[10] == "bell and  escape"  # made safe, stripped
    assert texts[5] == "  padded  "  # spaces kept
    assert len(texts[12]) == 32_767  # a cell holds at most this much text
    # colours and formats as the old writer set them: an unmet need reachable is red
    ws = openpyxl.load_workbook(io.BytesIO(data))[sheet]
    assert ws["A2"].fill.fgColor.rgb.endswith("FFC7CE")  # reachable (k = 0): red
    assert ws["A3"].fill.fgColor.rgb.endswith("FFEB9C")  # not reachable: amber
    assert ws["B2"].number_format == "0.0"
    assert ws["A2"].alignment.wrap_text is True
    assert ws.dimensions == f"A1:D{len(rows) + 1}"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:D{len(rows) + 1}"


def test_the_characters_stripped_are_openpyxls() -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    assert ILLEGAL_CHARACTERS.pattern == ILLEGAL_CHARACTERS_RE.pattern


# ---- the heartbeat reads every line sent, in order ----------------------------------------


def test_the_heartbeat_takes_lines_sent_together_in_order() -> None:
    """Lines that reach the heartbeat together are each taken before it repeats one: a
    line read into a buffer is seen by ``poll`` (select on the descriptor would not see
    it, and the heartbeat repeated the first line long after the solve had moved on)."""
    import os

    from twinning.cli.live import _Lines

    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "w") as out, os.fdopen(read_end, "r") as inp:
        sender, heartbeat = _Lines(out), _Lines(inp)
        for k in range(3):
            sender.send([f"line {k}", float(k)])
        taken = []
        while heartbeat.poll(0.0):
            taken.append(heartbeat.recv())
        assert taken == [["line 0", 0.0], ["line 1", 1.0], ["line 2", 2.0]]
        out.close()
        with pytest.raises(EOFError):
            heartbeat.recv()
