"""The plan registry on SQLite and on a real PostgreSQL: the same tests on each.

PostgreSQL comes from ``TWINNING_TEST_PG_URL`` (``.ci/run`` starts one on loopback). When
it is unset the PostgreSQL half is skipped on a developer's machine and FAILS under CI, so
that CI never passes without having run it. Each PostgreSQL test gets a schema of its own
(through ``search_path``), created empty and dropped afterwards.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from tests.conftest import INSTANCES
from twinning import Plan, load_instance, solve
from twinning.county.instance import HistoryEntry, Instance, with_policy
from twinning.registry import (
    AdoptionRefused,
    RegistryError,
    adopt,
    adoption_records,
    counties,
    default_cycle,
    history_csv,
    history_rows,
    merge_registry,
    open_registry,
    registry_url,
    row_counts,
)
from twinning.registry.schema import metadata
from twinning.registry.store import MOVE_KINDS, head_revision, schema_revision

PG_URL = os.environ.get("TWINNING_TEST_PG_URL")
DEMO = INSTANCES / "demo-county"
CYCLE_1 = "2025-2026"
NEXT_PERIODS = '["2026-2027-1","2026-2027-2"]'


def _postgres() -> object:
    if PG_URL or os.environ.get("CI"):
        return "postgresql"  # under CI without a URL, the fixture fails
    return pytest.param(
        "postgresql",
        marks=pytest.mark.skip(reason="TWINNING_TEST_PG_URL unset (CI fails instead)"),
    )


@pytest.fixture(params=["sqlite", _postgres()])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty registry: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        yield str(tmp_path / "county.db")
        return
    if not PG_URL:
        pytest.fail("CI is set but TWINNING_TEST_PG_URL is not: the registry needs PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(registry_url(PG_URL))
    with admin.begin() as conn:
        conn.execute(sa.schema.CreateSchema(schema))
    sep = "&" if "?" in PG_URL else "?"
    try:
        yield f"{PG_URL}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.schema.DropSchema(schema, cascade=True))
        admin.dispose()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Instance, Plan, Path]:
    """The demo county, its plan for cycle 2025-2026 (solved once) and that plan's file."""
    inst = load_instance(DEMO)
    result = solve(inst, time_limit=30, seed=1)
    assert result.status in ("optimal", "feasible")
    path = tmp_path_factory.mktemp("plan") / "plan.json"
    path.write_text(result.plan.to_json(), encoding="utf-8")
    return inst, result.plan, path


def hand_kept(plan: Plan, cycle: str) -> list[dict[str, str]]:
    """What a planner would type into history.csv for an adopted plan, read off its tables:
    its pairs, its alliance members, the staff who went away, its mentor pairs."""

    def row(kind: str, from_school: str, to_school: str) -> dict[str, str]:
        return {
            "kind": kind,
            "period": cycle,
            "staff": "",
            "from_school": from_school,
            "to_school": to_school,
        }

    rows = [row("pair", p.helper, p.helped) for p in plan.pairs]
    rows += [row("alliance", m.lead, m.member) for m in plan.alliances if m.member != m.lead]
    for m in plan.roster:
        if m.kind in ("exchange", "secondment", "headship"):
            rows.append(
                {
                    "kind": "exchange",
                    "period": cycle,
                    "staff": m.staff,
                    "from_school": m.from_school,
                    "to_school": m.to_school,
                }
            )
        elif m.kind == "mentor":
            rows.append(
                {
                    "kind": "mentor",
                    "period": cycle,
                    "staff": m.staff,
                    "from_school": m.from_school,
                    "to_school": m.to_school,
                    "mentee": m.mentee or "",
                }
            )
    return rows


def _csv_rows(data: bytes | str) -> list[dict[str, str]]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    return [
        {k: v for k, v in row.items() if v or k != "mentee"}
        for row in csv.DictReader(io.StringIO(text))
    ]


def _as_set(rows: list[dict[str, str]]) -> set[tuple[tuple[str, str], ...]]:
    return {tuple(sorted((k, v) for k, v in r.items() if v)) for r in rows}


def _twinning(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "twinning.cli.main", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def _movers(plan: Plan) -> set[str]:
    return {m.staff for m in plan.roster if m.kind in MOVE_KINDS}


# ---- adopt, history, replace ------------------------------------------------------------


def test_adopt_then_history_holds_the_plan(url: str, demo: tuple[Instance, Plan, Path]) -> None:
    inst, plan, _ = demo
    record = adopt(url, inst, plan, county="demo", by="王老师", note="县局会议通过")
    assert (record.county, record.cycle, record.status) == ("demo", CYCLE_1, "adopted")
    rows = history_rows(url, "demo")
    assert {h.period for h in rows} == {CYCLE_1}
    assert _as_set(_csv_rows(history_csv(rows))) == _as_set(hand_kept(plan, CYCLE_1))
    assert len(rows) == len(hand_kept(plan, CYCLE_1))
    (only,) = adoption_records(url, "demo")
    assert (only.adopted_by, only.note, only.superseded_by) == ("王老师", "县局会议通过", None)
    assert only.adopted_at.tzinfo is not None
    counts = row_counts(url, "demo")
    assert counts["pairs"] == len(plan.pairs)
    assert counts["moves"] == len(plan.roster)
    assert counts["circuits"] == len(plan.circuits)
    assert counts["outreach_visits"] == len(plan.outreach)
    assert counts["staff_snapshot"] == len(inst.staff)


def test_adopting_an_adopted_cycle_is_refused_and_replace_keeps_the_old_record(
    url: str, demo: tuple[Instance, Plan, Path]
) -> None:
    inst, plan, _ = demo
    first = adopt(url, inst, plan, county="demo", by="a")
    before = row_counts(url)
    with pytest.raises(AdoptionRefused, match="adopted already"):
        adopt(url, inst, plan, county="demo", by="b")
    assert row_counts(url) == before
    second = adopt(url, inst, plan, county="demo", by="b", note="修订", replace=True)
    old, new = adoption_records(url, "demo")
    assert (old.id, old.status, old.superseded_by) == (first.id, "superseded", second.id)
    assert (new.id, new.status, new.adopted_by) == (second.id, "adopted", "b")
    # the old record's rows are kept, and history reads the plan in force once
    assert row_counts(url)["pairs"] == 2 * len(plan.pairs)
    assert len(history_rows(url, "demo")) == len(hand_kept(plan, CYCLE_1))


def test_a_plan_for_another_instance_is_refused(
    url: str, demo: tuple[Instance, Plan, Path]
) -> None:
    inst, plan, _ = demo
    other = with_policy(inst, {"rotation.rate": 0.2})
    with pytest.raises(RegistryError, match="not made for this instance"):
        adopt(url, other, plan, county="demo", by="a")
    with open_registry(url) as engine, engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM adoptions")).scalar_one() == 0


def test_counties_are_kept_apart(url: str, demo: tuple[Instance, Plan, Path]) -> None:
    inst, plan, _ = demo
    adopt(url, inst, plan, county="A", by="a")
    a_history = history_rows(url, "A")
    a_records = adoption_records(url, "A")
    a_counts = row_counts(url, "A")
    # County B adopts the same cycle, re-adopts it with --replace, and sees none of A.
    assert history_rows(url, "B") == []
    adopt(url, inst, plan, county="B", by="b")
    adopt(url, inst, plan, county="B", by="b", replace=True)
    assert history_rows(url, "A") == a_history
    assert adoption_records(url, "A") == a_records
    assert row_counts(url, "A") == a_counts
    assert [r.status for r in adoption_records(url, "B")] == ["superseded", "adopted"]
    assert merge_registry(inst, url, "C").added == 0


def test_history_csv_contradicting_the_registry_is_reported(
    url: str, demo: tuple[Instance, Plan, Path]
) -> None:
    inst, plan, _ = demo
    adopt(url, inst, plan, county="demo", by="a")
    nxt = with_policy(inst, {"horizon.periods": ["2026-2027-1", "2026-2027-2"]})
    helper, helped = plan.pairs[0].helper, plan.pairs[0].helped
    typed = [
        h
        for h in hand_kept(plan, CYCLE_1)
        if h["kind"] == "pair" and (h["from_school"], h["to_school"]) != (helper, helped)
    ]
    wrong = HistoryEntry(kind="pair", period=CYCLE_1, from_school=helped, to_school=helper)
    file_rows = [HistoryEntry(**r) for r in typed] + [wrong]  # type: ignore[arg-type]
    merged = merge_registry(nxt.model_copy(update={"history": file_rows}), url, "demo")
    said = [str(c) for c in merged.contradictions]
    assert f"history.csv has pair {CYCLE_1} {helped}->{helper}, not in the adopted plan" in said
    assert f"history.csv lacks adopted pair {CYCLE_1} {helper}->{helped}" in said
    zh = [c.text("zh") for c in merged.contradictions]
    assert f"history.csv 中缺少已采纳的 结对 {CYCLE_1} {helper}->{helped}" in zh
    assert len(merged.contradictions) == 2  # other kinds were not typed: no contradiction
    # the adopted pair is in the merged history all the same
    assert HistoryEntry(kind="pair", period=CYCLE_1, from_school=helper, to_school=helped) in set(
        merged.instance.history
    )


def test_years_at_school_advance_only_where_the_file_was_not_updated(
    url: str, demo: tuple[Instance, Plan, Path]
) -> None:
    inst, plan, _ = demo
    adopt(url, inst, plan, county="demo", by="a")
    updated = inst.staff[0]
    staff = [updated.model_copy(update={"years_at_school": updated.years_at_school + 1})]
    later = with_policy(
        inst.model_copy(update={"staff": staff + inst.staff[1:]}),
        {"horizon.periods": ["2027-2028-1", "2027-2028-2"]},
    )
    merged = merge_registry(later, url, "demo")
    assert (merged.advanced, merged.advanced_by) == (len(inst.staff) - 1, 2)
    years = {t.id: t.years_at_school for t in merged.instance.staff}
    assert years[updated.id] == updated.years_at_school + 1  # trusted as updated
    for t in inst.staff[1:]:
        assert years[t.id] == min(70, t.years_at_school + 2)
    # the same cycle as the adoption: nothing before it, nothing advanced
    same = merge_registry(inst, url, "demo")
    assert (same.added, same.advanced) == (0, 0)


def _tables(url: str) -> list[str]:
    """The tables the registry's database (or schema) holds, looked at without the registry."""
    if "://" not in url:
        return [] if not Path(url).exists() else ["(a file)"]
    engine = sa.create_engine(registry_url(url))
    try:
        with engine.connect() as conn:
            return sa.inspect(conn).get_table_names()
    finally:
        engine.dispose()


def test_reading_a_registry_that_does_not_exist_is_refused_and_creates_nothing(
    url: str, demo: tuple[Instance, Plan, Path]
) -> None:
    inst, plan, _ = demo
    for read in (
        lambda: history_rows(url, "demo"),
        lambda: counties(url),
        lambda: adoption_records(url, "demo"),
        lambda: merge_registry(inst, url, "demo"),
    ):
        with pytest.raises(RegistryError) as caught:
            read()
        assert caught.value.msg.code in ("registry.missing", "registry.empty")
        assert "twinning adopt" in str(caught.value) and "twinning adopt" in caught.value.text("zh")
        assert _tables(url) == []
    # adopting reads it as empty, then starts it
    assert merge_registry(inst, url, "demo", missing_ok=True).added == 0
    assert _tables(url) == []
    adopt(url, inst, plan, county="demo", by="a")
    assert counties(url) == ["demo"] and history_rows(url, "demo")


def test_a_registry_in_memory_is_refused(demo: tuple[Instance, Plan, Path]) -> None:
    inst, plan, _ = demo
    for url in ("sqlite://", "sqlite:///:memory:", "sqlite:///file:x?mode=memory&uri=true"):
        with pytest.raises(RegistryError) as caught:
            adopt(url, inst, plan, county="demo", by="a")
        assert caught.value.msg.code == "registry.in_memory", url
        assert "内存数据库" in caught.value.text("zh")


# ---- the schema --------------------------------------------------------------------------


def test_an_empty_database_is_migrated_on_open_to_the_schema_of_the_code(url: str) -> None:
    with open_registry(url) as engine, engine.connect() as conn:
        assert schema_revision(conn) == head_revision()
        tables = set(sa.inspect(conn).get_table_names())
        assert {"alembic_version", *metadata.tables} <= tables
        # the migration creates exactly what solver/registry/schema.py describes
        assert compare_metadata(MigrationContext.configure(conn), metadata) == []
    with open_registry(url) as engine, engine.connect() as conn:  # opening again: a no-op
        assert schema_revision(conn) == head_revision()


def test_the_database_itself_refuses_a_second_plan_in_force(url: str) -> None:
    with open_registry(url) as engine:
        row = {
            "county": "demo",
            "cycle": CYCLE_1,
            "status": "adopted",
            "instance": "demo",
            "fingerprint": "x",
            "policy": {},
            "kpis": {},
            "adopted_by": "a",
            "adopted_at": sa.func.now(),
        }
        adoptions = metadata.tables["adoptions"]
        with engine.begin() as conn:
            conn.execute(sa.insert(adoptions).values(**row))
            conn.execute(sa.insert(adoptions).values(**{**row, "status": "superseded"}))
        with pytest.raises(sa.exc.IntegrityError), engine.begin() as conn:
            conn.execute(sa.insert(adoptions).values(**row))


# ---- command line ------------------------------------------------------------------------


def test_cli_adopt_history_and_user_errors(
    url: str, demo: tuple[Instance, Plan, Path], tmp_path: Path
) -> None:
    _inst, plan, plan_file = demo
    done = _twinning(
        "adopt", str(DEMO), str(plan_file), "--registry", url, "--county", "demo",
        env={"TWINNING_USER": "李科长"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "adopted: county demo, cycle 2025-2026" in done.stdout
    assert adoption_records(url, "demo")[0].adopted_by == "李科长"
    again = _twinning("adopt", str(DEMO), str(plan_file), "--registry", url, "--county", "demo")
    assert again.returncode == 2
    assert "adopted already" in again.stderr and "Traceback" not in again.stderr
    out = tmp_path / "hist"
    done = _twinning("history", "--registry", url, "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert _as_set(_csv_rows((out / "history.csv").read_bytes())) == _as_set(
        hand_kept(plan, CYCLE_1)
    )
    for bad in ("mysql://x/y", "postgresql://nobody:secret@127.0.0.1:9/none", "/no/such/dir/r.db"):
        failed = _twinning("history", "--registry", bad, "-o", str(out))
        assert failed.returncode == 2, failed.stderr
        assert failed.stderr.startswith("error: registry") and "Traceback" not in failed.stderr
        assert "secret" not in failed.stderr


def test_cli_refuses_a_plan_that_breaks_rules(
    url: str, demo: tuple[Instance, Plan, Path], tmp_path: Path
) -> None:
    _inst, plan, _ = demo
    pair = plan.pairs[0]
    broken = plan.model_copy(update={"pairs": [*plan.pairs, pair.model_copy()]})
    path = tmp_path / "broken.json"
    path.write_text(broken.to_json(), encoding="utf-8")
    done = _twinning("adopt", str(DEMO), str(path), "--registry", url)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "not adopted" in done.stderr
    with open_registry(url) as engine, engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM adoptions")).scalar_one() == 0


def test_two_cycles_no_repeat_pairs_or_movers_and_years_advanced(url: str, tmp_path: Path) -> None:
    """Solve, adopt, solve the next cycle with --registry: the adopted cycle is history."""
    county = tmp_path / "demo-county"
    shutil.copytree(DEMO, county)
    c1, c2 = tmp_path / "c1", tmp_path / "c2"
    solve_args = ("--time-limit", "30", "--seed", "1", "--registry", url)
    # The first cycle: no registry yet, and reading one does not make it.
    done = _twinning("solve", str(county), "-o", str(c1), *solve_args)
    assert done.returncode == 2 and "twinning adopt" in done.stderr, done.stderr
    done = _twinning("solve", str(county), "-o", str(c1), *solve_args[:-2])
    assert done.returncode == 0, done.stderr
    done = _twinning("adopt", str(county), str(c1 / "plan.json"), "--registry", url)
    assert done.returncode == 0, done.stderr
    done = _twinning(
        "solve", str(county), "-o", str(c2), *solve_args, "--set", f"horizon.periods={NEXT_PERIODS}"
    )
    assert done.returncode == 0, done.stderr
    assert "years at school advanced by 1" in done.stderr
    first = Plan.from_json((c1 / "plan.json").read_text(encoding="utf-8"))
    second = Plan.from_json((c2 / "plan.json").read_text(encoding="utf-8"))
    assert second.pairs and _movers(second)
    assert not {(p.helper, p.helped) for p in first.pairs} & {
        (p.helper, p.helped) for p in second.pairs
    }
    assert not _movers(first) & _movers(second)
    # The registry's history is what a hand-kept history.csv would hold after cycle 1.
    inst = load_instance(county)
    nxt = with_policy(inst, second.settings)
    merged = merge_registry(nxt, url, "demo-county")
    assert merged.advanced == len(inst.staff) and merged.contradictions == []
    kept = tmp_path / "hand-kept"
    shutil.copytree(county, kept)
    typed = "".join(
        ",".join([r["kind"], r["period"], r["staff"], r["from_school"], r["to_school"]])
        + f",{r.get('mentee', '')}\n"
        for r in hand_kept(first, CYCLE_1)
    )
    own = (county / "history.csv").read_text(encoding="utf-8-sig").splitlines()
    header, body = own[0], own[1:]
    (kept / "history.csv").write_text(
        header + ",mentee\n" + "".join(line + ",\n" for line in body) + typed, encoding="utf-8"
    )
    assert set(load_instance(kept).history) == set(merged.instance.history)
    # Input files are never modified.
    for name in ("history.csv", "staff.csv"):
        assert (county / name).read_bytes() == (DEMO / name).read_bytes()
    assert default_cycle(nxt) == "2026-2027"


# ---- concurrency and faults --------------------------------------------------------------

ADOPTER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from twinning import Plan, load_instance
    from twinning.registry import AdoptionRefused, adopt
    url, plan_file, county, go = sys.argv[1:5]
    import sqlalchemy as sa
    from sqlalchemy.engine import Engine
    pause = float(sys.argv[5])
    wrote = []
    # The test's own pause: after the adoption's rows are written, before they are committed
    # (SQLAlchemy's engine events, so that the product holds no test hook).
    @sa.event.listens_for(Engine, "after_execute")
    def _seen(conn, clause, *args):
        if pause and "INSERT INTO adoptions" in str(clause):
            wrote.append(1)
    @sa.event.listens_for(Engine, "commit")
    def _pause(conn):
        if wrote:
            sys.stderr.write("pausing before commit\\n")
            sys.stderr.flush()
            time.sleep(pause)
    inst = load_instance({demo!r})
    plan = Plan.from_json(Path(plan_file).read_text(encoding="utf-8"))
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.01)
    try:
        adopt(url, inst, plan, county=county, by=county)
    except AdoptionRefused as exc:
        print("refused:", exc, flush=True)
        sys.exit(3)
    print("adopted", flush=True)
    """
).format(demo=str(DEMO))


def _adopters(
    url: str, plan_file: Path, counties: list[str], tmp_path: Path, pause: str
) -> list[subprocess.CompletedProcess[str]]:
    """Start one process per county, let them all adopt at the same moment."""
    go = tmp_path / f"go-{uuid.uuid4().hex}"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", ADOPTER, url, str(plan_file), county, str(go), pause],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for county in counties
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    go.touch()
    results = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        results.append(subprocess.CompletedProcess(p.args, p.returncode, out, err))
    return results


def test_two_processes_adopting_the_same_cycle_one_wins(
    url: str, demo: tuple[Instance, Plan, Path], tmp_path: Path
) -> None:
    _inst, plan, plan_file = demo
    with open_registry(url):  # migrated before the race: the race is the adoption's
        pass
    results = _adopters(url, plan_file, ["demo", "demo"], tmp_path, pause="1.5")
    codes = sorted(r.returncode for r in results)
    assert codes == [0, 3], [r.stdout + r.stderr for r in results]
    (loser,) = [r for r in results if r.returncode == 3]
    assert "refused:" in loser.stdout and "Traceback" not in loser.stderr
    (record,) = adoption_records(url, "demo")
    assert record.status == "adopted"
    assert row_counts(url, "demo")["pairs"] == len(plan.pairs)


def test_two_processes_adopting_different_counties_both_succeed(
    url: str, demo: tuple[Instance, Plan, Path], tmp_path: Path
) -> None:
    _inst, plan, plan_file = demo
    with open_registry(url):
        pass
    results = _adopters(url, plan_file, ["east", "west"], tmp_path, pause="1.5")
    assert [r.returncode for r in results] == [0, 0], [r.stdout + r.stderr for r in results]
    for county in ("east", "west"):
        assert [r.status for r in adoption_records(url, county)] == ["adopted"]
        assert row_counts(url, county)["pairs"] == len(plan.pairs)


def test_an_adoption_killed_midway_leaves_the_registry_unchanged(
    url: str, demo: tuple[Instance, Plan, Path], tmp_path: Path
) -> None:
    inst, plan, plan_file = demo
    adopt(url, inst, plan, county="other", by="a")  # something already there
    before = row_counts(url)
    history_before = history_rows(url, "other")
    go = tmp_path / "go"
    go.touch()
    proc = subprocess.Popen(
        [sys.executable, "-c", ADOPTER, url, str(plan_file), "demo", str(go), "120"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    line = ""
    while "pausing before commit" not in line and time.monotonic() < deadline:
        line = proc.stderr.readline()
        assert line or proc.poll() is None, "the adopter ended before pausing"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert row_counts(url) == before
    assert adoption_records(url, "demo") == []
    assert history_rows(url, "other") == history_before
    # nothing is left locked: the cycle can be adopted now
    assert adopt(url, inst, plan, county="demo", by="a").status == "adopted"


def test_batch_with_a_registry_solves_each_county_after_its_adopted_cycle(
    url: str, demo: tuple[Instance, Plan, Path], tmp_path: Path
) -> None:
    from twinning.batch import solve_one

    inst, plan, _ = demo
    adopt(url, inst, plan, county=inst.name, by="a")  # batch: the county is the name
    nxt = {"horizon.periods": ["2026-2027-1", "2026-2027-2"]}
    row = solve_one(DEMO, time_limit=30, out_dir=tmp_path, settings=nxt, registry=url)
    assert row.ok, row.error
    (found,) = Path(row.out).glob("plan.json")
    second = Plan.from_json(found.read_text(encoding="utf-8"))
    assert not {(p.helper, p.helped) for p in plan.pairs} & {
        (p.helper, p.helped) for p in second.pairs
    }
    assert not _movers(plan) & _movers(second)
