"""Fuzzing twinning: strategies that damage instances, plans and command lines, and the
property every case must keep.

Shared by the bounded run in the default suite (``tests/test_fuzz.py``) and the long run
by hand (``tests/benchmarks/fuzz_long.py``). Every case runs a command of the real
application (``twinning.cli.main.app``, in process through typer's ``CliRunner``) on
files a case damaged, and :func:`assert_sound` holds it to the contract:

- the exit code is 0, 1 or 2 (never 3, a defect; never anything else);
- no traceback on stdout or stderr, and nothing escapes the application;
- the input files (the instance, the plan, every file the command was given) are byte for
  byte as they were;

and a plan known to break a rule never passes ``validate`` (exit 1, the rule named).

A case is a plain value (a dataclass of names, indices and strings), so that hypothesis
prints a failing case as something to read, and replays it by hand:
``run_case(workspace, case)``.
"""

from __future__ import annotations

import copy
import hashlib
import io
import json
import math
import os
import re
import shutil
import signal
import tempfile
import time
import traceback
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "instances" / "demo-county"

#: The exit codes a command may end with (130, an interrupt, only where a test sends one).
SOUND_EXITS = (0, 1, 2)

#: Examples per strategy in the default suite (``tests/test_fuzz.py``: the whole file
#: within a minute on two cores).
DEFAULT_EXAMPLES = {"instance": 14, "plan": 14, "command": 10}

#: The longest one case may run before it counts as a hang (seconds).
CASE_SECONDS = 120.0

#: The kind of case running (instance, plan, breach, cli), for :data:`RUNS`.
CASE_KIND = [""]

TRACEBACK = "Traceback (most recent call last)"
#: What the application says of its own defects (exit 3, or a batch row), in both languages.
DEFECT_WORDS = ("a defect of twinning", "twinning 自身的缺陷", "twinning 自身缺陷")


# ---- running a command ----------------------------------------------------------------------


class Hang(BaseException):
    """A case ran longer than :data:`CASE_SECONDS` (a BaseException: no ``except
    Exception`` of the application swallows it)."""


@contextmanager
def watchdog(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in the main thread after ``seconds``."""

    def ring(signum: int, frame: Any) -> None:
        raise Hang(f"still running after {seconds:.0f} s")

    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@dataclass
class Outcome:
    """What one command did."""

    args: list[str]
    code: int
    stdout: str
    stderr: str
    escaped: str = ""  # the traceback of an exception that escaped the application
    log: str = ""  # the traceback a defect (exit 3) wrote to its log file
    stray: list[str] = field(default_factory=list)  # files written in the working folder

    def said(self) -> str:
        tail = lambda s: s if len(s) < 3000 else s[:1500] + "\n[...]\n" + s[-1500:]  # noqa: E731
        parts = [f"$ twinning {' '.join(_shown(a) for a in self.args)}", f"exit {self.code}"]
        if self.stdout.strip():
            parts.append("stdout:\n" + tail(self.stdout))
        if self.stderr.strip():
            parts.append("stderr:\n" + tail(self.stderr))
        if self.escaped:
            parts.append("escaped:\n" + self.escaped)
        if self.log:
            parts.append("defect log:\n" + self.log)
        return "\n".join(parts)


def _shown(arg: str) -> str:
    text = arg if len(arg) <= 80 else arg[:60] + f"...({len(arg)} chars)"
    return repr(text) if not text or any(c in text for c in " \t\n'\"") else text


def run_cli(args: list[str], seconds: float = CASE_SECONDS, cwd: Path | None = None) -> Outcome:
    """Run ``twinning ARGS`` in process (in the folder ``cwd``, which must stay empty: every
    path a case gives is absolute, so a file there was written where nobody asked); an
    exception escaping the application is kept."""
    from typer.testing import CliRunner

    from twinning.cli.main import app

    runner = CliRunner()
    escaped = ""
    here = Path.cwd()
    started = time.monotonic()
    if cwd is not None:
        cwd.mkdir(parents=True, exist_ok=True)
        os.chdir(cwd)
    try:
        with watchdog(seconds):
            result = runner.invoke(app, args, catch_exceptions=True)
    except Hang as exc:
        return Outcome(args, -1, "", "", escaped=f"Hang: {exc}")
    finally:
        os.chdir(here)
    RUNS.append(
        (CASE_KIND[0], args[0] if args else "", result.exit_code, time.monotonic() - started)
    )
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        escaped = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    out = Outcome(args, result.exit_code, result.stdout, result.stderr, escaped=escaped)
    if cwd is not None and any(cwd.iterdir()):
        out.stray = sorted(p.name for p in cwd.iterdir())
    found = re.search(r"traceback is in (\S+?\.log)", out.stderr)
    if found and Path(found.group(1)).is_file():
        out.log = Path(found.group(1)).read_text(encoding="utf-8")
    return out


#: Every command run (the long run's tally): what kind of case, the command, exit, seconds.
RUNS: list[tuple[str, str, int, float]] = []


# ---- inputs unchanged -----------------------------------------------------------------------


def snapshot(*paths: Path) -> dict[str, str]:
    """Every file, folder and link under ``paths`` (links never followed): a hash of each
    file's bytes, each link's target."""
    seen: dict[str, str] = {}

    def one(p: Path) -> None:
        try:
            st_ = p.lstat()
        except FileNotFoundError:
            seen[str(p)] = "absent"
            return
        if p.is_symlink():
            seen[str(p)] = "link:" + os.readlink(p)
        elif p.is_dir():
            seen[str(p)] = "folder"
            for child in sorted(p.iterdir()):
                one(child)
        else:
            try:
                seen[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest()
            except OSError as exc:
                seen[str(p)] = f"unreadable:{exc.errno}:{st_.st_size}"

    for p in paths:
        one(p)
    return seen


def assert_sound(out: Outcome, before: dict[str, str] | None = None, after_paths: Any = ()) -> None:
    """The contract of every command on any input (see the module's docstring)."""
    problems = []
    if out.escaped:
        problems.append("an exception escaped the application")
    if out.stray:
        problems.append(f"wrote {out.stray[:5]} in the working folder, which nobody asked")
    if out.code not in SOUND_EXITS:
        problems.append(f"exit {out.code}, not one of {SOUND_EXITS}")
    for name, text in (("stdout", out.stdout), ("stderr", out.stderr)):
        if TRACEBACK in text:
            problems.append(f"a traceback on {name}")
        if any(w in text for w in DEFECT_WORDS):
            problems.append(f"a defect said on {name}")
    if before is not None:
        now = snapshot(*(Path(p) for p in after_paths)) if after_paths else None
        if now is not None and now != before:
            changed = sorted(k for k in set(before) | set(now) if before.get(k) != now.get(k))
            problems.append(f"inputs changed: {changed[:5]}")
    if problems:
        raise AssertionError("; ".join(problems) + "\n" + out.said())


# ---- the workspace: a solved demo county, its files in every format -------------------------


@dataclass
class Workspace:
    """Files every case starts from (made once per session)."""

    root: Path
    demo: Path  # the demo county's folder (a pristine copy)
    plan_text: str  # its plan, every part
    other_plan_text: str  # a plan of another county
    xlsx: bytes  # the demo county as one workbook
    json_doc: dict[str, Any]  # ... as a JSON/YAML document
    schools: list[str]
    staff: list[str]
    weak: list[str]
    counter: list[int] = field(default_factory=lambda: [0])

    def fresh(self, tag: str) -> Path:
        """An empty folder of its own for one case."""
        self.counter[0] += 1
        folder = self.root / "cases" / f"{tag}-{self.counter[0]}"
        folder.mkdir(parents=True)
        return folder

    def demo_copy(self, folder: Path) -> Path:
        target = folder / "demo-county"
        shutil.copytree(self.demo, target, symlinks=True)
        return target


def make_workspace(root: Path) -> Workspace:
    """Solve the demo county once (every part) and write it as a workbook and a document."""
    import warnings

    from tests.conftest import county, school, teacher
    from twinning import load_instance, solve
    from twinning.io.export import save_instance

    os.environ.setdefault("TWINNING_LOG_DIR", str(root / "logs"))
    demo = root / "demo-county"
    if not demo.exists():
        shutil.copytree(DEMO, demo)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inst = load_instance(demo)
    result = solve(inst, None, time_limit=30, seed=0, deterministic=True)
    other = county(
        [school("A", tier="strong", km=0), school("B", tier="weak", km=3)],
        staff=[teacher("TA", "A"), teacher("TB", "B")],
    )
    other_plan = solve(other, "pairs", time_limit=10).plan
    save_instance(inst, root / "demo.xlsx")
    save_instance(inst, root / "demo.json")
    return Workspace(
        root=root,
        demo=demo,
        plan_text=result.plan.to_json(),
        other_plan_text=other_plan.to_json(),
        xlsx=(root / "demo.xlsx").read_bytes(),
        json_doc=json.loads((root / "demo.json").read_text(encoding="utf-8")),
        schools=[s.id for s in inst.schools],
        staff=[t.id for t in inst.staff],
        weak=[s.id for s in inst.schools if s.tier == "weak"],
    )


# ---- odd values -----------------------------------------------------------------------------

#: Cells a planner's table may hold by mistake or by malice.
ODD_WORDS = [
    "", " ", "-1", "0", "-0", "1", "2", "1.5", "0.5", "1e309", "-1e309", "1e-320",
    "99999999999999999999", "9" * 400, "1e18", "2147483648", "nan", "NaN", "inf", "-inf",
    "Infinity", "true", "false", "True", "是", "否", "1,000", "1_000", "0x10", "１２", "٣",
    "+5", "5.", ".5", "None", "null", "N/A", "—", "=1+1", "=SUM(A1:A9)", "S9999", "T999999",
    "S0001", "S0002", "T000001", "primary", "junior", "senior", "kindergarten", "小学", "初中",
    "九年一贯制", "urban", "rural", "town", "城区", "乡村", "strong", "weak", "薄弱", "teacher",
    "principal", "校长", "语文", "体育", "2025-2026-1", "2099-1", "pair", "exchange", "\x00",
    "a\nb", '"', "'", ";", ",", "\t", "🙂", "\ufeff", "\u202e", "x" * 5000, "F", "M",
    "county", "city", "none", "active", "retired", "college", "bachelor",
]  # fmt: skip

ODD_CELL = st.one_of(
    st.sampled_from(ODD_WORDS),
    st.text(max_size=10),
    st.integers().map(str),
    st.floats().map(repr),
)

#: JSON values put where another value was.
ODD_JSON = st.one_of(
    st.sampled_from(
        [
            None,
            True,
            False,
            0,
            -1,
            1,
            10**20,
            -(10**20),
            2**63,
            10**400,
            1e308,
            -1e308,
            math.nan,
            math.inf,
            -math.inf,
            "",
            "abc",
            "S9999",
            "T999999",
            "S0001",
            "T000001",
            [],
            {},
            [[[]]],
            {"a": 1},
            "１２",
            1.5,
            "nan",
            "2099-1",
            "exchange",
            "pairs",
        ]
    ),
    st.text(max_size=8),
    st.integers(),
    st.floats(),
    st.lists(st.integers(), max_size=3),
)


def dumps(doc: Any) -> str:
    """JSON as a planner's tool might write it: NaN and Infinity literals allowed."""
    return json.dumps(doc, ensure_ascii=False, indent=1, allow_nan=True)


# ---- damage to a table's text ---------------------------------------------------------------

import csv  # noqa: E402


def _rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


def _text(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    buf = io.StringIO()
    csv.writer(buf, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return buf.getvalue()


@dataclass(frozen=True)
class Hit:
    """One damage: what (``kind``), where (``file``), and its arguments."""

    kind: str
    file: str = ""
    args: tuple[Any, ...] = ()


TABLE_FILES = ("schools.csv", "staff.csv", "needs.csv", "history.csv")
FOLDER_FILES = (*TABLE_FILES, "policy.toml")

#: Damage done to a table's cells and rows (text stays a CSV).
ROW_KINDS = ("cell", "header", "drop_column", "dup_row", "drop_row", "ragged", "swap_cells")
#: Damage done to a file's bytes.
BYTE_KINDS = ("truncate", "bytes", "encoding", "bom", "delimiter", "newline", "empty", "nul")
#: Damage done to the folder itself.
PATH_KINDS = ("remove", "folder", "broken_link", "loop_link", "self_link", "unreadable")
#: Tables added beside the others.
EXTRA_KINDS = ("distances", "fixed", "new_hires", "stray")
POLICY_KINDS = ("policy_key", "policy_text")


def _cell_hit(file: str) -> st.SearchStrategy[Hit]:
    idx = st.integers(0, 10_000)
    return st.one_of(
        st.tuples(idx, idx, ODD_CELL).map(lambda a: Hit("cell", file, a)),
        st.tuples(
            idx, st.sampled_from(["", "id", "school", "名称", "学校", "x", "id "]) | ODD_CELL
        ).map(lambda a: Hit("header", file, a)),
        idx.map(lambda i: Hit("drop_column", file, (i,))),
        st.tuples(idx, st.integers(1, 3)).map(lambda a: Hit("dup_row", file, a)),
        idx.map(lambda i: Hit("drop_row", file, (i,))),
        st.tuples(idx, st.integers(-5, 5)).map(lambda a: Hit("ragged", file, a)),
        st.tuples(idx, idx, idx).map(lambda a: Hit("swap_cells", file, a)),
    )


def _byte_hit(file: str) -> st.SearchStrategy[Hit]:
    return st.one_of(
        st.floats(0, 1).map(lambda f: Hit("truncate", file, (round(f, 4),))),
        st.binary(max_size=64).map(lambda b: Hit("bytes", file, (b,))),
        st.sampled_from(["gb18030", "utf-16", "utf-32", "latin-1", "big5", "cp1252"]).map(
            lambda e: Hit("encoding", file, (e,))
        ),
        st.just(Hit("bom", file)),
        st.sampled_from([";", "\t", "|"]).map(lambda d: Hit("delimiter", file, (d,))),
        st.sampled_from(["\r\n", "\r"]).map(lambda n: Hit("newline", file, (n,))),
        st.just(Hit("empty", file)),
        st.integers(0, 10_000).map(lambda i: Hit("nul", file, (i,))),
    )


def _path_hit(file: str) -> st.SearchStrategy[Hit]:
    return st.sampled_from([Hit(k, file) for k in PATH_KINDS])


#: A distances.csv row: from, to, km, minutes.
DISTANCE_ROW = st.tuples(
    st.sampled_from(["S0001", "S0002", "S0003", "S0010", "S9999", ""]),
    st.sampled_from(["S0001", "S0002", "S0003", "S0010", "S9999", ""]),
    st.sampled_from(["3", "50", "0", "-1", "nan", "inf", "1e309", "", "abc", "99999999"]),
    st.sampled_from(["", "10", "-5", "nan", "abc"]),
)


def _extra_hit() -> st.SearchStrategy[Hit]:
    history_row = st.tuples(
        st.sampled_from(["pair", "exchange", "alliance", "mentor", "x", ""]),
        st.sampled_from(["2024-2025", "2025-2026-1", "", "1999", "x"]),
        st.sampled_from(["", "T000001", "T999999"]),
        st.sampled_from(["S0001", "S0005", "S0008", "S9999", ""]),
        st.sampled_from(["S0001", "S0008", "S0009", "S9999", ""]),
        st.sampled_from(["", "T000002", "T999999"]),
    )
    hires_row = st.tuples(
        st.sampled_from(["语文", "数学", "x", ""]),
        st.sampled_from(["primary", "junior", "小学", "x", ""]),
        st.sampled_from(["1", "0", "-1", "3", "99999999999999999999", "x", ""]),
    )
    return st.one_of(
        st.lists(DISTANCE_ROW, max_size=6).map(lambda r: Hit("distances", "distances.csv", (r,))),
        st.lists(history_row, max_size=4).map(lambda r: Hit("fixed", "fixed.csv", (r,))),
        st.lists(hires_row, max_size=4).map(lambda r: Hit("new_hires", "new_hires.csv", (r,))),
        st.sampled_from(["notes.csv", "学校.csv", "SCHOOLS.CSV", "readme.txt", "staff.xlsx"]).map(
            lambda n: Hit("stray", n)
        ),
    )


def policy_keys() -> list[str]:
    """Every policy key, dotted (``rotation.rate``)."""
    from twinning.county.policy import Policy

    out: list[str] = []

    def walk(data: dict[str, Any], prefix: str) -> None:
        for k, v in data.items():
            if isinstance(v, dict) and prefix == "":
                walk(v, f"{k}.")
            else:
                out.append(f"{prefix}{k}")

    walk(Policy().model_dump(), "")
    return out


#: TOML values of every type (as text), for any key.
TOML_VALUES = [
    "true", "false", "-1", "0", "1", "2", "0.5", "1.5", "1e400", "nan", "inf", "-inf",
    "99999999999999999999", "9223372036854775807", '"abc"', '""', '"0.1"', "[]", "[1, 2]",
    '["S0001", "S0002"]', '[["S0001", "S0008"]]', "{}", "{a = 1}", "{primary = 2}",
    "1979-05-27", "[[1]]", '"county"', '"alliance"', '"objective"', "12", "0.12",
]  # fmt: skip


def _policy_hit() -> st.SearchStrategy[Hit]:
    keys = st.sampled_from([*policy_keys(), "nope.key", "rotation.nope", "rotation", "x"])
    value = st.sampled_from(TOML_VALUES) | st.text(max_size=6).map(json.dumps)
    text = st.sampled_from(
        [
            "[rotation\nrate = 1",
            "rate = = 2",
            "[rotation]\nrate = 0.1\n[rotation]\nrate = 0.2",
            "a = " + "[" * 2000 + "]" * 2000,
            "\ufeff[rotation]\nrate = 0.1",
            "[rotation]\r\nrate = 0.12\r\n",
            "\x00",
            "[a.b.c.d.e.f]\nx = 1",
        ]
    ) | st.text(max_size=40)
    return st.one_of(
        st.tuples(keys, value).map(lambda a: Hit("policy_key", "policy.toml", a)),
        text.map(lambda t: Hit("policy_text", "policy.toml", (t,))),
    )


@st.composite
def folder_damage(draw: st.DrawFn) -> list[Hit]:
    """One to three hits on a county's CSV folder."""
    one = st.one_of(
        st.sampled_from(TABLE_FILES).flatmap(_cell_hit),
        st.sampled_from(TABLE_FILES).flatmap(_cell_hit),
        st.sampled_from(FOLDER_FILES).flatmap(_byte_hit),
        st.sampled_from(FOLDER_FILES).flatmap(_path_hit),
        _extra_hit(),
        _policy_hit(),
    )
    return draw(st.lists(one, min_size=1, max_size=3))


def _pick(seq_len: int, i: int) -> int:
    return i % seq_len if seq_len else 0


def damage_rows(rows: list[list[str]], hit: Hit) -> list[list[str]]:
    """A table's rows after a row kind of hit (the header is row 0)."""
    rows = [list(r) for r in rows]
    if not rows:
        return rows
    body = range(1, len(rows)) if len(rows) > 1 else range(0, 1)
    width = max(len(r) for r in rows) or 1
    k, a = hit.kind, hit.args
    if k == "cell":
        r = body[_pick(len(body), a[0])]
        c = _pick(width, a[1])
        rows[r] += [""] * (c + 1 - len(rows[r]))
        rows[r][c] = a[2]
    elif k == "header":
        c = _pick(len(rows[0]), a[0])
        rows[0][c] = a[1] if a[1] else rows[0][(c + 1) % len(rows[0])]  # "" -> a duplicate
    elif k == "drop_column":
        c = _pick(width, a[0])
        for r in rows:
            if c < len(r):
                del r[c]
    elif k == "dup_row":
        r = body[_pick(len(body), a[0])]
        rows[r + 1 : r + 1] = [list(rows[r]) for _ in range(a[1])]
    elif k == "drop_row":
        del rows[body[_pick(len(body), a[0])]]
    elif k == "ragged":
        r = body[_pick(len(body), a[0])]
        rows[r] = rows[r][: a[1]] if a[1] < 0 else rows[r] + ["x"] * a[1]
    elif k == "swap_cells":
        r = body[_pick(len(body), a[0])]
        c1, c2 = _pick(len(rows[r]), a[1]), _pick(len(rows[r]), a[2])
        if rows[r]:
            rows[r][c1], rows[r][c2] = rows[r][c2], rows[r][c1]
    return rows


def damage_bytes(data: bytes, hit: Hit) -> bytes:
    """A file's bytes after a byte kind of hit."""
    k, a = hit.kind, hit.args
    if k == "truncate":
        return data[: int(len(data) * a[0])]
    if k == "bytes":
        return a[0]
    if k == "encoding":
        return data.decode("utf-8-sig").encode(a[0], errors="replace")
    if k == "bom":
        return b"\xef\xbb\xbf" + data
    if k == "delimiter":
        text = data.decode("utf-8-sig", errors="replace")
        return _text(_rows(text), delimiter=a[0]).encode("utf-8")
    if k == "newline":
        return data.replace(b"\r\n", b"\n").replace(b"\n", a[0].encode())
    if k == "empty":
        return b""
    if k == "nul":
        at = _pick(len(data) + 1, a[0])
        return data[:at] + b"\x00" + data[at:]
    raise ValueError(k)


def damage_path(path: Path, hit: Hit) -> None:
    """The folder around ``path`` after a path kind of hit."""
    k = hit.kind
    if path.is_symlink() or path.exists():
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink()
    if k == "remove":
        return
    if k == "folder":
        path.mkdir()
        (path / "inside.csv").write_text("id\n1\n", encoding="utf-8")
    elif k == "broken_link":
        path.symlink_to(path.parent / "nowhere" / path.name)
    elif k == "loop_link":
        other = path.with_name(path.name + ".loop")
        if other.is_symlink():
            other.unlink()
        other.symlink_to(path.name)
        path.symlink_to(other.name)
    elif k == "self_link":
        path.symlink_to(path.name)
    elif k == "unreadable":
        path.write_text("id,name\n", encoding="utf-8")
        path.chmod(0)
    else:
        raise ValueError(k)


def damage_folder(folder: Path, hits: list[Hit]) -> None:
    """The county's CSV folder after ``hits``, in order."""
    for hit in hits:
        path = folder / hit.file
        if hit.kind in ROW_KINDS:
            if not path.is_file() or path.is_symlink():
                continue
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
            path.write_text(_text(damage_rows(_rows(text), hit)), encoding="utf-8")
        elif hit.kind in BYTE_KINDS:
            if not path.is_file() or path.is_symlink():
                continue
            path.write_bytes(damage_bytes(path.read_bytes(), hit))
        elif hit.kind in PATH_KINDS:
            damage_path(path, hit)
        elif hit.kind in ("distances", "fixed", "new_hires"):
            from twinning.io.headers import FIELDS

            table = hit.kind
            rows = [list(FIELDS[table])] + [list(r) for r in hit.args[0]]
            if table == "fixed":
                rows[0] = list(FIELDS["fixed"])
            path.write_text(_text(rows), encoding="utf-8")
        elif hit.kind == "stray":
            path.write_text("a,b\n1,2\n", encoding="utf-8")
        elif hit.kind == "policy_key":
            key, value = hit.args
            section, _, name = key.rpartition(".")
            head = f"[{section}]\n" if section else ""
            old = path.read_text(encoding="utf-8") if path.is_file() else ""
            path.write_text(f"{head}{name or key} = {value}\n\n" + old, encoding="utf-8")
        elif hit.kind == "policy_text":
            path.write_text(hit.args[0], encoding="utf-8")
        else:
            raise ValueError(hit.kind)


def restore_modes(folder: Path) -> None:
    """Make every file readable again (an ``unreadable`` hit), so it can be removed."""
    for p in folder.rglob("*"):
        if not p.is_symlink() and p.exists():
            p.chmod(0o755 if p.is_dir() else 0o644)


# ---- damage to a JSON or YAML document ------------------------------------------------------


def nodes(doc: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every node's path in a parsed document (the root first)."""
    out = [path]
    if isinstance(doc, dict):
        for k, v in doc.items():
            out.extend(nodes(v, (*path, k)))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out.extend(nodes(v, (*path, i)))
    return out


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for k in path:
        doc = doc[k]
    return doc


TREE_KINDS = ("replace", "delete", "duplicate", "wrap", "unknown_key", "nest")


@dataclass(frozen=True)
class TreeHit:
    """One damage to a parsed document: at the node ``index`` (modulo the node count)."""

    kind: str
    index: int
    value: Any = None


def tree_hit(index_max: int = 100_000) -> st.SearchStrategy[TreeHit]:
    idx = st.integers(0, index_max)
    return st.one_of(
        st.tuples(idx, ODD_JSON).map(lambda a: TreeHit("replace", a[0], a[1])),
        idx.map(lambda i: TreeHit("delete", i)),
        idx.map(lambda i: TreeHit("duplicate", i)),
        idx.map(lambda i: TreeHit("wrap", i)),
        st.tuples(idx, st.sampled_from(["x", "id", "name", "", "policy", "__proto__"])).map(
            lambda a: TreeHit("unknown_key", a[0], a[1])
        ),
        st.tuples(idx, st.sampled_from([10, 150])).map(lambda a: TreeHit("nest", a[0], a[1])),
    )


def damage_tree(doc: Any, hit: TreeHit) -> Any:
    """The document after one hit (a deep copy; the root may be replaced)."""
    doc = copy.deepcopy(doc)
    paths = nodes(doc)
    path = paths[hit.index % len(paths)]
    if hit.kind == "nest":
        value: Any = _get(doc, path)
        for _ in range(hit.value):
            value = [value]
        return _put(doc, path, value)
    if hit.kind == "replace":
        return _put(doc, path, copy.deepcopy(hit.value))
    if hit.kind == "wrap":
        return _put(doc, path, [_get(doc, path)])
    if hit.kind == "unknown_key":
        node = _get(doc, path)
        if isinstance(node, dict):
            node[hit.value] = 1
        return doc
    if not path:
        return {} if hit.kind == "delete" else [doc, doc]
    parent = _get(doc, path[:-1])
    if hit.kind == "delete":
        del parent[path[-1]]
    elif hit.kind == "duplicate":
        if isinstance(parent, list):
            parent.insert(path[-1], copy.deepcopy(parent[path[-1]]))
        else:
            parent[f"{path[-1]}"] = copy.deepcopy(parent[path[-1]])
    return doc


def _put(doc: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(doc, path[:-1])[path[-1]] = value
    return doc


TEXT_KINDS = ("truncate", "bom", "not_utf8", "deep", "dup_key", "trailing", "nan_literal")


@dataclass(frozen=True)
class TextHit:
    """One damage to a document's text."""

    kind: str
    arg: Any = None


def text_hit() -> st.SearchStrategy[TextHit]:
    return st.one_of(
        st.floats(0, 1).map(lambda f: TextHit("truncate", round(f, 4))),
        st.just(TextHit("bom")),
        st.just(TextHit("not_utf8")),
        st.sampled_from([50, 250, 1000, 100_000]).map(lambda n: TextHit("deep", n)),
        st.just(TextHit("dup_key")),
        st.sampled_from(["}", ",", "\x00", "\n\n{}", "garbage"]).map(
            lambda t: TextHit("trailing", t)
        ),
        st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-1e999"]).map(
            lambda t: TextHit("nan_literal", t)
        ),
    )


def damage_text(text: str, hit: TextHit) -> bytes:
    """A JSON document's text after one hit, as bytes."""
    k = hit.kind
    if k == "truncate":
        return text.encode("utf-8")[: int(len(text.encode("utf-8")) * hit.arg)]
    if k == "bom":
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if k == "not_utf8":
        return text.encode("gb18030")
    if k == "deep":
        return ("[" * hit.arg + "]" * hit.arg).encode()
    if k == "dup_key":
        return text.replace("{", '{"name": "dup", ', 1).encode("utf-8")
    if k == "trailing":
        return (text + hit.arg).encode("utf-8")
    if k == "nan_literal":
        # the first number of the document becomes the literal
        return re.sub(r"(?<=: )-?\d+(\.\d+)?", hit.arg, text, count=1).encode("utf-8")
    raise ValueError(k)


YAML_TEXTS = [
    # an alias bomb: nine levels of nine references
    "a: &a [x, x, x, x, x, x, x, x, x]\n"
    + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n"
        for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
    + "schools: *i\n",
    "schools: &s [*s]\n",  # a list holding itself
    "!!python/object/apply:os.system ['echo owned']\n",
    "schools:\n\t- id: S1\n",  # a tab
    "name: a\nname: b\nschools: []\n",  # a key twice
    "---\nname: a\n---\nname: b\n",  # two documents
    "schools: " + "[" * 5000 + "]" * 5000 + "\n",
    "schools: [{id: S1, name: 甲, stage: primary, area: urban, tier: strong, lat: .nan, "
    "lon: .inf}]\n",
    "? [a, b]\n: c\n",  # a key that is a list
    "schools: !!binary aGVsbG8=\n",
    "schools: 2001-12-14t21:59:43.10-05:00\n",
    "%YAML 9.9\n---\nschools: []\n",
]


# ---- damage to a workbook -------------------------------------------------------------------

BOOK_KINDS = (
    "cell", "formula", "drop_sheet", "rename_sheet", "title_rows", "merge", "hidden_sheet",
    "empty_sheet", "truncate", "flip", "not_zip", "zip_member",
)  # fmt: skip


def book_hit() -> st.SearchStrategy[Hit]:
    sheets = st.sampled_from(["schools", "staff", "needs", "history", "policy"])
    idx = st.integers(0, 10_000)
    value = st.one_of(
        ODD_CELL,
        st.sampled_from([True, False, 10**20, -1, 1.5, math.nan, math.inf]),
        st.just("datetime"),
    )
    return st.one_of(
        st.tuples(sheets, idx, idx, value).map(lambda a: Hit("cell", a[0], a[1:])),
        st.tuples(sheets, idx, idx, st.sampled_from(["=1+1", "=A1/0", "=NOW()", "=#REF!"])).map(
            lambda a: Hit("formula", a[0], a[1:])
        ),
        sheets.map(lambda s: Hit("drop_sheet", s)),
        st.tuples(sheets, st.sampled_from(["学校", "Schools ", "x", "staff"])).map(
            lambda a: Hit("rename_sheet", a[0], (a[1],))
        ),
        st.tuples(sheets, st.integers(1, 4)).map(lambda a: Hit("title_rows", a[0], (a[1],))),
        st.tuples(sheets, idx, idx).map(lambda a: Hit("merge", a[0], a[1:])),
        st.just(Hit("hidden_sheet", "extra")),
        st.just(Hit("empty_sheet", "extra")),
        st.floats(0, 1).map(lambda f: Hit("truncate", "", (round(f, 4),))),
        st.tuples(idx, st.integers(1, 255)).map(lambda a: Hit("flip", "", a)),
        st.just(Hit("not_zip", "")),
        st.sampled_from(["xl/workbook.xml", "xl/worksheets/sheet1.xml", "[Content_Types].xml"]).map(
            lambda m: Hit("zip_member", m)
        ),
    )


def damage_book(data: bytes, hits: list[Hit]) -> bytes:
    """A workbook's bytes after ``hits`` (openpyxl for the sheet kinds, bytes for the rest)."""
    import datetime as dt

    import openpyxl

    sheet_hits = [h for h in hits if h.kind not in ("truncate", "flip", "not_zip", "zip_member")]
    if sheet_hits:
        book = openpyxl.load_workbook(io.BytesIO(data))
        for h in sheet_hits:
            if h.kind in ("hidden_sheet", "empty_sheet"):
                ws = book.create_sheet("extra")
                if h.kind == "hidden_sheet":
                    ws.append(["id", "name"])
                    ws.sheet_state = "hidden"
                continue
            if h.file not in book.sheetnames:
                continue
            ws = book[h.file]
            if h.kind in ("cell", "formula", "merge"):
                r = 1 + _pick(ws.max_row, h.args[0])
                c = 1 + _pick(ws.max_column, h.args[1])
                if h.kind == "merge":
                    ws.merge_cells(start_row=r, start_column=c, end_row=r + 1, end_column=c + 1)
                    continue
                value = h.args[2]
                if value == "datetime":
                    value = dt.datetime(2025, 9, 1, 8, 30)
                try:
                    ws.cell(r, c).value = value
                except (ValueError, TypeError):  # openpyxl refuses control characters
                    ws.cell(r, c).value = "x"
            elif h.kind == "drop_sheet":
                del book[h.file]
            elif h.kind == "rename_sheet":
                if h.args[0] not in book.sheetnames:
                    ws.title = h.args[0]
            elif h.kind == "title_rows":
                ws.insert_rows(1, h.args[0])
                ws.cell(1, 1).value = "2025年 教师交流 名单"
        out = io.BytesIO()
        try:
            book.save(out)
        except (ValueError, TypeError):  # a value openpyxl cannot write (NaN, ...)
            return data
        data = out.getvalue()
    for h in hits:
        if h.kind == "truncate":
            data = data[: int(len(data) * h.args[0])]
        elif h.kind == "flip" and data:
            at = _pick(len(data), h.args[0])
            data = data[:at] + bytes([data[at] ^ h.args[1]]) + data[at + 1 :]
        elif h.kind == "not_zip":
            data = "id,name\nS1,甲\n".encode()
        elif h.kind == "zip_member":
            data = _replace_member(data, h.file, b"<not xml")
    return data


def _replace_member(data: bytes, name: str, content: bytes) -> bytes:
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, content if item.filename == name else src.read(item))
    return out.getvalue()


# ---- damage to a plan -----------------------------------------------------------------------

PLAN_TABLES = (
    "pairs", "unpaired", "alliances", "roster", "unmet_needs", "hires", "circuits",
    "unmet_lessons", "outreach",
)  # fmt: skip
ID_FIELDS = {
    "pairs": ("helper", "helped"),
    "alliances": ("lead", "member", "alliance"),
    "roster": ("staff", "from_school", "to_school", "mentee"),
    "unmet_needs": ("school",),
    "circuits": ("staff", "home_school", "school"),
    "unmet_lessons": ("school",),
    "outreach": ("staff", "from_school", "to_school"),
}


@dataclass(frozen=True)
class PlanHit:
    """One damage to a plan: ``kind`` on ``table``'s row ``index``, with ``value``."""

    kind: str
    table: str = ""
    index: int = 0
    value: Any = None


def plan_hit() -> st.SearchStrategy[PlanHit]:
    idx = st.integers(0, 10_000)
    tables = st.sampled_from(list(ID_FIELDS))
    ids = st.sampled_from(
        ["S9999", "T999999", "", "S0001", "S0008", "T000001", "A99", None, "s0001", " S0001"]
    )
    top = st.sampled_from(
        [
            ("version", 999), ("version", 0), ("version", -1), ("version", "2"), ("version", 2.0),
            ("version", None), ("version", True), ("version", 1), ("version", 10**30),
            ("format", "twinning-planx"), ("format", None), ("instance", "other"),
            ("instance", ""), ("fingerprint", "0000"), ("fingerprint", None),
            ("parts", ["pairs"]), ("parts", []), ("parts", ["nope"]), ("parts", ["pairs"] * 3),
            ("parts", "pairs"), ("status", "interrupted"), ("status", "infeasible"),
            ("status", "unknown"), ("status", None), ("interrupted", True),
            ("interrupted", "yes"), ("missing", ["roster"]), ("missing", ["nope"]),
            ("objective", -1), ("objective", 10**30), ("objective", 1.5), ("objective", "1"),
            ("objectives", {}), ("objectives", {"nope": {"value": 0, "terms": {}}}),
            ("settings", {"twinning.max_km": 1}), ("settings", {"nope.key": 1}),
            ("settings", {"rotation.rate": "abc"}), ("settings", {"rotation.rate": True}),
            ("settings", []), ("settings", {"horizon.periods": []}),
        ]
    )  # fmt: skip
    return st.one_of(
        st.tuples(tables, idx, st.integers(0, 5), ids).map(
            lambda a: PlanHit("id", a[0], a[1], (a[2], a[3]))
        ),
        st.tuples(st.sampled_from(PLAN_TABLES), idx, st.integers(1, 3)).map(
            lambda a: PlanHit("dup_row", a[0], a[1], a[2])
        ),
        st.tuples(st.sampled_from(PLAN_TABLES), idx).map(lambda a: PlanHit("drop_row", a[0], a[1])),
        st.sampled_from(PLAN_TABLES).map(lambda t: PlanHit("clear", t)),
        st.tuples(st.sampled_from(PLAN_TABLES), idx, idx, ODD_JSON).map(
            lambda a: PlanHit("field", a[0], a[1], (a[2], a[3]))
        ),
        top.map(lambda kv: PlanHit("top", kv[0], 0, kv[1])),
        st.just(PlanHit("other_plan")),
        tree_hit().map(lambda h: PlanHit("tree", "", 0, h)),
    )


def damage_plan(doc: dict[str, Any], hit: PlanHit, ws: Workspace) -> Any:
    """A plan document after one hit."""
    doc = copy.deepcopy(doc)
    k = hit.kind
    if k == "other_plan":
        return json.loads(ws.other_plan_text)
    if k == "top":
        doc[hit.table] = copy.deepcopy(hit.value)
        return doc
    if k == "tree":
        return damage_tree(doc, hit.value)
    rows = doc.get(hit.table)
    if not isinstance(rows, list):
        return doc
    if k == "clear":
        rows.clear()
        return doc
    if not rows:
        return doc
    i = _pick(len(rows), hit.index)
    if k == "dup_row":
        rows[i + 1 : i + 1] = [copy.deepcopy(rows[i]) for _ in range(hit.value)]
    elif k == "drop_row":
        del rows[i]
    elif k == "id":
        fields = ID_FIELDS[hit.table]
        rows[i][fields[_pick(len(fields), hit.value[0])]] = hit.value[1]
    elif k == "field":
        names = sorted(rows[i])
        rows[i][names[_pick(len(names), hit.value[0])]] = copy.deepcopy(hit.value[1])
    return doc


# ---- plans known to break a rule ------------------------------------------------------------


@dataclass(frozen=True)
class Breach:
    """A change that makes a plan break a rule: ``kind`` at row ``index``; with ``forge``,
    the plan's stated objectives are then made to agree with the changed plan, so that only
    the rule broken can give it away."""

    kind: str
    index: int = 0
    forge: bool = False


def _rows_where(doc: dict[str, Any], table: str, pred: Callable[[Any], bool]) -> list[int]:
    return [i for i, r in enumerate(doc[table]) if pred(r)]


def _nth(found: list[int], index: int) -> int:
    if not found:
        raise LookupError("no row to break")
    return found[index % len(found)]


def _moves(d: dict[str, Any]) -> list[int]:
    return _rows_where(d, "roster", lambda m: m["kind"] in ("exchange", "secondment"))


def _members(d: dict[str, Any]) -> list[int]:
    return _rows_where(d, "alliances", lambda m: m["member"] != m["lead"])


def _break_max_km(d: dict[str, Any], i: int) -> None:
    far = sorted(p["distance_km"] for p in d["pairs"])
    # a limit below one of the pairs' distances (the i-th longest, rounded down)
    limit = math.floor(far[-1 - i % len(far)] * 10) / 10 - 0.1
    d["settings"] = {**d["settings"], "twinning.max_km": max(limit, 0.1)}


def _break_moved_twice(d: dict[str, Any], i: int) -> None:
    m = copy.deepcopy(d["roster"][_nth(_moves(d), i)])
    others = sorted({r["to_school"] for r in d["roster"]} - {m["to_school"], m["from_school"]})
    m["to_school"] = others[i % len(others)]
    d["roster"].append(m)


def _break_role(d: dict[str, Any], i: int) -> None:
    m = d["roster"][_nth(_moves(d), i)]
    m["role"] = "principal" if m["role"] != "principal" else "teacher"


def _break_subject(d: dict[str, Any], i: int) -> None:
    m = d["roster"][_nth(_rows_where(d, "roster", lambda r: r["subject"]), i)]
    m["subject"] = "体育" if m["subject"] != "体育" else "语文"


def _break_lessons(d: dict[str, Any], i: int) -> None:
    # a stop away from home where the plan has one (its day then holds 40 lessons too
    # many); else a 本校代课 line, which has no day but as many lessons over the spare
    away = [k for k, c in enumerate(d["circuits"]) if c["school"] != c["home_school"]]
    c = d["circuits"][_nth(away or list(range(len(d["circuits"]))), i)]
    c["lessons"] = c["lessons"] + 40


#: kind -> (how the plan is changed, the rules of which at least one must be named).
BREACHES: dict[str, tuple[Callable[[dict[str, Any], int], None], tuple[str, ...]]] = {
    "dup_roster": (
        lambda d, i: d["roster"].append(copy.deepcopy(d["roster"][i % len(d["roster"])])),
        ("plan.duplicates",),
    ),
    "dup_pair": (
        lambda d, i: d["pairs"].append(copy.deepcopy(d["pairs"][i % len(d["pairs"])])),
        ("plan.duplicates",),
    ),
    "dup_circuit": (
        lambda d, i: d["circuits"].append(copy.deepcopy(d["circuits"][i % len(d["circuits"])])),
        ("plan.duplicates",),
    ),
    "dup_visit": (
        lambda d, i: d["outreach"].append(copy.deepcopy(d["outreach"][i % len(d["outreach"])])),
        ("plan.duplicates",),
    ),
    "drop_member": (
        lambda d, i: d["alliances"].pop(_nth(_members(d), i)),
        ("alliances.cover",),
    ),
    "drop_pair": (
        lambda d, i: d["pairs"].pop(i % len(d["pairs"])),
        ("twinning.cover", "twinning.min_helped", "plan.unpaired"),
    ),
    "over_max_km": (_break_max_km, ("twinning.max_km",)),
    "unknown_school": (
        lambda d, i: d["roster"][i % len(d["roster"])].update(to_school="S9999"),
        ("plan.unknown_school",),
    ),
    "unknown_staff": (
        lambda d, i: d["roster"][i % len(d["roster"])].update(staff="T999999"),
        ("plan.unknown_staff",),
    ),
    "parts_claim_pairs": (
        lambda d, i: d.update(parts=["pairs"]),
        ("plan.parts",),
    ),
    "moved_twice": (_break_moved_twice, ("rotation.one_move",)),
    "self_pair": (
        lambda d, i: d["pairs"][i % len(d["pairs"])].update(
            helper=d["pairs"][i % len(d["pairs"])]["helped"]
        ),
        ("twinning.helper",),
    ),
    "from_elsewhere": (
        lambda d, i: d["roster"][_nth(_moves(d), i)].update(
            from_school=d["roster"][_nth(_moves(d), i)]["to_school"]
        ),
        ("plan.roster_figures",),
    ),
    "beyond_horizon": (
        lambda d, i: d["roster"][_nth(_moves(d), i)].update(periods=9),
        ("horizon.periods",),
    ),
    "pair_km": (
        lambda d, i: d["pairs"][i % len(d["pairs"])].update(distance_km=0.5),
        ("plan.pair_figures",),
    ),
    "circuit_km": (
        lambda d, i: d["circuits"][i % len(d["circuits"])].update(km=999.0),
        ("plan.circuit_figures",),
    ),
    "circuit_lessons": (
        _break_lessons,
        ("itinerant.max_lessons_per_day", "itinerant.max_weekly_lessons"),
    ),
    "visit_week": (
        lambda d, i: d["outreach"][i % len(d["outreach"])].update(week=99),
        ("outreach.weeks",),
    ),
    "status": (lambda d, i: d.update(status=["infeasible", "unknown"][i % 2]), ("plan.status",)),
    "objective": (lambda d, i: d.update(objective=d["objective"] + 1 + i), ("plan.objective",)),
    "role": (_break_role, ("plan.roster_figures",)),
    "subject": (_break_subject, ("plan.roster_figures",)),
}


def breach_plan(doc: dict[str, Any], breach: Breach) -> dict[str, Any]:
    """The plan document with the breach made (and, with ``forge``, its stated objectives
    recomputed so that they agree)."""
    doc = copy.deepcopy(doc)
    change, _ = BREACHES[breach.kind]
    change(doc, breach.index)
    if breach.forge and breach.kind not in ("objective", "status"):
        doc = forge_objectives(doc)
    return doc


def forge_objectives(doc: dict[str, Any]) -> dict[str, Any]:
    """The plan with its stated objectives replaced by those the checker recomputes."""
    import warnings

    from twinning import load_instance, validate
    from twinning.county.instance import with_policy
    from twinning.plan import Plan

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        inst = load_instance(DEMO)
    plan = Plan.model_validate(doc)
    report = validate(with_policy(inst, plan.settings), plan)
    doc = copy.deepcopy(doc)
    doc["objectives"] = {
        k: v.model_dump(mode="json") for k, v in report.objectives.items() if k in doc["parts"]
    }
    doc["objective"] = sum(v["value"] for v in doc["objectives"].values())
    return doc


# ---- command lines --------------------------------------------------------------------------

#: Odd values of a number flag.
ODD_NUMBERS = [
    "-1", "0", "nan", "NaN", "inf", "-inf", "abc", "", "1e400", "-0", "0.0", "1_0", "0x10",
    "99999999999999999999", "1.5", "3", "+2", " 2", "２", "1e-9",
]  # fmt: skip

#: A path given on the command line: what it names (made in the case's folder).
PATH_KINDS_CLI = (
    "instance", "plan", "missing", "folder_for_file", "file_for_folder", "loop", "broken",
    "empty_file", "text_file", "dash", "empty", "xlsx_named_csv",
)  # fmt: skip


@dataclass(frozen=True)
class Flag:
    """One option of a command line: ``--name value`` (``value`` None: a switch)."""

    name: str
    value: str | None = None


@dataclass(frozen=True)
class CommandLine:
    """A command, its positional paths (as kinds), and its options."""

    command: str
    paths: tuple[str, ...]
    flags: tuple[Flag, ...]


def _number(flag: str) -> st.SearchStrategy[Flag]:
    return st.sampled_from(ODD_NUMBERS).map(lambda v: Flag(flag, v))


PARTS_VALUES = [
    "pairs", "roster", "pairs,roster", "", ",", "nope", "pairs,nope", "pairs,pairs", "PAIRS",
    " pairs ", "itinerant", "outreach", "alliances", "pairs;roster", "all",
]  # fmt: skip
FORMATS = ["json", "csv", "xlsx", "html", "", "pdf", "json,pdf", "JSON", "json,json", ","]
LANGS = ["en", "zh", "fr", "", "ZH", "zh-CN", "中文"]
IDS = ["T000001", "T999999", "S0001", "S9999", "", "t000001", "NOPE", "T00000", "S000"]
SETS = [
    "rotation.rate=0.12", "rotation.rate=true", "rotation.rate=abc", "rotation.rate=-1",
    "nope=1", "=1", "rotation.rate", "twinning.max_km=1", "twinning.max_km=nan",
    "twinning.max_km=inf", "alliances.groups=0", "horizon.periods=[]", "a.b.c=1",
    "rotation.rate=1e400", "weights.pair_km=99999999999999999999",
]  # fmt: skip


def _path_flag(flag: str) -> st.SearchStrategy[Flag]:
    return st.sampled_from(PATH_KINDS_CLI).map(lambda k: Flag(flag, "@" + k))


#: Each command: its positional path kinds (a strategy), its base options (keeping a case
#: within seconds), and the odd options drawn for it.
def _options(command: str) -> list[st.SearchStrategy[Flag]]:
    common = [
        st.sampled_from(LANGS).map(lambda v: Flag("--lang", v)),
        st.sampled_from(["--nope", "--time-limt", "-x", "--"]).map(lambda n: Flag(n)),
    ]
    solving = [
        _number("--time-limit"),
        _number("--seed"),
        st.sampled_from(PARTS_VALUES).map(lambda v: Flag("--parts", v)),
        st.sampled_from(FORMATS).map(lambda v: Flag("--format", v)),
        st.sampled_from(SETS).map(lambda v: Flag("--set", v)),
    ]
    registry = st.sampled_from(
        ["@registry", "sqlite://", "sqlite:///@missing_dir/r.db", "mysql://x/y", "", "@folder"]
    ).map(lambda v: Flag("--registry", v))
    county = st.sampled_from([*IDS, "demo-county", "other"]).map(lambda v: Flag("--county", v))
    table: dict[str, list[st.SearchStrategy[Flag]]] = {
        "solve": [
            *solving,
            _number("--workers"),
            st.sampled_from(["cpsat", "cbc", "highs", "gurobi", ""]).map(
                lambda v: Flag("--backend", v)
            ),
            _path_flag("--with"),
            _path_flag("--baseline"),
            _path_flag("--out"),
            registry,
            county,
            st.sampled_from(["--quiet", "--deterministic", "--mask-names"]).map(Flag),
        ],
        "validate": [st.sampled_from(SETS).map(lambda v: Flag("--set", v))],
        "report": [
            _path_flag("--html"),
            _path_flag("--xlsx"),
            _path_flag("--summary"),
            st.sampled_from(["https://x/{z}/{x}/{y}.png", "", "javascript:alert(1)"]).map(
                lambda v: Flag("--tiles", v)
            ),
            st.just(Flag("--mask-names")),
        ],
        "explain": [
            _number("--time-limit"),
            _number("--step-limit"),
            st.sampled_from(IDS).map(lambda v: Flag("--staff", v)),
            st.sampled_from(IDS).map(lambda v: Flag("--school", v)),
            st.sampled_from(PARTS_VALUES).map(lambda v: Flag("--parts", v)),
            registry,
            county,
        ],
        "adopt": [
            registry,
            county,
            st.sampled_from(["2025-2026", "", "x" * 300, "../../etc", "🙂"]).map(
                lambda v: Flag("--cycle", v)
            ),
            st.sampled_from(["--replace", "--partial"]).map(Flag),
            st.sampled_from(["", "x" * 3000, "\x00"]).map(lambda v: Flag("--note", v)),
        ],
        "history": [registry, county, _path_flag("--out"), st.just(Flag("--cycle", "2099"))],
        "batch": [
            *solving,
            _number("--jobs"),
            st.sampled_from(["rotation.rate=0.1,0.12", "rotation.rate=", "x", "=1"]).map(
                lambda v: Flag("--sweep", v)
            ),
            _path_flag("--out"),
        ],
        "frontier": [
            _number("--time-limit"),
            st.sampled_from(["1", "2", "13", "-1", "abc"]).map(lambda v: Flag("--points", v)),
            _path_flag("--out"),
        ],
        "generate": [
            _number("--schools"),
            _number("--staff"),
            _number("--seed"),
            st.sampled_from(["primary=3,junior=2", "primary=x", "=", "x=1", "primary=-1"]).map(
                lambda v: Flag("--stage-mix", v)
            ),
            st.sampled_from(["东,西", "", ",", "东，西，南，北", "a" * 100]).map(
                lambda v: Flag("--regions", v)
            ),
            _path_flag("--out"),
        ],
        "schema": [],
    }
    return common + table[command]


#: Positional path kinds a command takes (the first is the usual).
POSITIONALS: dict[str, tuple[int, int]] = {
    "solve": (1, 1),
    "validate": (2, 2),
    "report": (2, 2),
    "explain": (1, 2),
    "adopt": (2, 2),
    "history": (0, 0),
    "batch": (1, 3),
    "frontier": (1, 1),
    "generate": (0, 0),
    "schema": (0, 1),
}

#: Options every case of a command starts with, so that it ends within seconds; the
#: drawn options come after them (the last of an option wins).
BASE: dict[str, list[str]] = {
    "solve": ["--time-limit", "5", "--parts", "pairs", "--format", "json", "-o", "@out"],
    "validate": [],
    "report": ["--html", "@out_html"],
    "explain": ["--time-limit", "8", "--step-limit", "2", "--parts", "pairs"],
    "adopt": ["--registry", "@registry"],
    "history": ["--registry", "@registry", "-o", "@out"],
    "batch": [
        "--jobs",
        "1",
        "--time-limit",
        "3",
        "--parts",
        "pairs",
        "--format",
        "json",
        "-o",
        "@out",
    ],
    "frontier": ["--points", "2", "--parts", "pairs", "--time-limit", "3", "-o", "@out"],
    "generate": ["--schools", "6", "--staff", "40", "-o", "@out"],
    "schema": [],
}


@st.composite
def command_lines(draw: st.DrawFn, commands: tuple[str, ...] | None = None) -> CommandLine:
    """A command of the application with odd paths, values and options."""
    command = draw(st.sampled_from(commands or tuple(POSITIONALS)))
    low, high = POSITIONALS[command]
    first = {"solve": "instance", "validate": "instance", "report": "instance",
             "explain": "instance", "adopt": "instance", "batch": "instance",
             "frontier": "instance", "schema": "plan"}  # fmt: skip
    paths = []
    for k in range(draw(st.integers(low, high))):
        usual = "plan" if k == 1 else first.get(command, "instance")
        paths.append(draw(st.sampled_from([usual, usual, usual, *PATH_KINDS_CLI])))
    if command == "schema":
        paths = [draw(st.sampled_from(["instance", "plan", "both", "nope", ""]))][: len(paths)]
    flags = draw(st.lists(st.one_of(*_options(command)), max_size=3))
    return CommandLine(command, tuple(paths), tuple(flags))


def materialise(line: CommandLine, ws: Workspace, folder: Path) -> tuple[list[str], list[Path]]:
    """The argv of a command line, with its paths made in ``folder``; and the inputs whose
    bytes must not change."""
    made: dict[str, str] = {}
    inputs: list[Path] = []

    def path(kind: str) -> str:
        if kind in made:
            return made[kind]
        p: Path
        if kind == "instance":
            p = ws.demo_copy(folder)
            inputs.append(p)
        elif kind == "plan":
            p = folder / "plan.json"
            p.write_text(ws.plan_text, encoding="utf-8")
            inputs.append(p)
        elif kind == "missing":
            p = folder / "no" / "such" / "thing.json"
        elif kind == "missing_dir":
            p = folder / "no-such-dir"
        elif kind == "folder_for_file":
            p = folder / "a-folder.json"
            p.mkdir(exist_ok=True)
            inputs.append(p)
        elif kind == "file_for_folder":
            p = folder / "a-file"
            p.write_text("not a folder\n", encoding="utf-8")
            inputs.append(p)
        elif kind == "loop":
            p = folder / "loop-a"
            (folder / "loop-b").symlink_to(p.name)
            p.symlink_to("loop-b")
            inputs.append(p)
        elif kind == "broken":
            p = folder / "broken.json"
            p.symlink_to(folder / "nowhere.json")
            inputs.append(p)
        elif kind == "empty_file":
            p = folder / "empty.json"
            p.write_bytes(b"")
            inputs.append(p)
        elif kind == "text_file":
            p = folder / "notes.txt"
            p.write_text("hello\n", encoding="utf-8")
            inputs.append(p)
        elif kind == "xlsx_named_csv":
            p = folder / "county.xlsx"
            p.write_text("id,name\nS1,甲\n", encoding="utf-8")
            inputs.append(p)
        elif kind == "dash":
            return "-"
        elif kind == "empty":
            return ""
        elif kind == "registry":
            p = folder / "registry.db"
        elif kind == "folder":
            p = folder / "reg-folder"
            p.mkdir(exist_ok=True)
        elif kind in ("out", "out_html"):
            p = folder / ("out.html" if kind == "out_html" else "out")
        else:
            raise ValueError(kind)
        made[kind] = str(p)
        return str(p)

    def value(text: str) -> str:
        # "@kind" anywhere in a value names a path made in the case's folder
        return re.sub(r"@([a-z_]+)", lambda m: path(m.group(1)), text)

    args = [line.command]
    if line.command == "schema":
        args += list(line.paths)
    else:
        args += [path(k) for k in line.paths]
    for i, item in enumerate(BASE[line.command]):
        args.append(value(item) if i % 2 or item.startswith("@") else item)
    for f in line.flags:
        args.append(f.name)
        if f.value is not None:
            args.append(value(f.value))
    return args, inputs


# ---- the cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class InstanceCase:
    """A damaged instance in one format, and the command run on it."""

    form: str  # folder, xlsx, json, yaml
    hits: tuple[Any, ...]
    command: str = "validate"


INSTANCE_COMMANDS = ("validate", "validate", "validate", "validate", "solve", "report", "explain")


@st.composite
def instance_cases(
    draw: st.DrawFn, forms: tuple[str, ...] = ("folder", "xlsx", "json", "yaml")
) -> InstanceCase:
    form = draw(st.sampled_from(forms))
    hits: tuple[Any, ...]
    if form == "folder":
        hits = tuple(draw(folder_damage()))
    elif form == "xlsx":
        hits = tuple(draw(st.lists(book_hit(), min_size=1, max_size=3)))
    else:
        tree = draw(st.lists(tree_hit(), max_size=2))
        text = draw(st.lists(text_hit(), max_size=1))
        yaml_text = (
            draw(st.lists(st.sampled_from(YAML_TEXTS), max_size=1)) if form == "yaml" else []
        )
        hits = (*tree, *text, *yaml_text) or (TextHit("bom"),)
    return InstanceCase(form, hits, draw(st.sampled_from(INSTANCE_COMMANDS)))


def write_instance(case: InstanceCase, ws: Workspace, folder: Path) -> Path:
    """The damaged instance, written in ``folder``."""
    if case.form == "folder":
        target = ws.demo_copy(folder)
        damage_folder(target, list(case.hits))
        return target
    if case.form == "xlsx":
        target = folder / "demo-county.xlsx"
        target.write_bytes(damage_book(ws.xlsx, list(case.hits)))
        return target
    doc: Any = ws.json_doc
    for h in case.hits:
        if isinstance(h, TreeHit):
            doc = damage_tree(doc, h)
    target = folder / f"demo-county.{case.form}"
    yaml_texts = [h for h in case.hits if isinstance(h, str)]
    if case.form == "json":
        text = dumps(doc)
    elif yaml_texts:
        text = yaml_texts[0]
    else:
        import yaml

        try:
            text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        except (yaml.YAMLError, RecursionError, ValueError):
            text = dumps(doc)  # JSON is YAML
    data = text.encode("utf-8")
    for h in case.hits:
        if isinstance(h, TextHit):
            data = damage_text(data.decode("utf-8", errors="replace"), h)
    target.write_bytes(data)
    return target


def run_instance_case(ws: Workspace, case: InstanceCase) -> Outcome:
    """Damage an instance, run a command on it, and hold it to the contract."""
    CASE_KIND[0] = "instance"
    folder = ws.fresh("instance")
    try:
        target = write_instance(case, ws, folder)
        plan = folder / "plan.json"
        plan.write_text(ws.plan_text, encoding="utf-8")
        before = snapshot(target, plan)
        args = {
            "validate": ["validate", str(target), str(plan)],
            "solve": [
                "solve",
                str(target),
                "-o",
                str(folder / "out"),
                "--time-limit",
                "5",
                "--parts",
                "pairs",
                "--format",
                "json",
                "-q",
            ],
            "report": ["report", str(target), str(plan), "--html", str(folder / "r.html")],
            "explain": ["explain", str(target), str(plan), "--time-limit", "8"],
        }[case.command]
        out = run_cli(args, cwd=folder / "cwd")
        assert_sound(out, before, (target, plan))
        return out
    finally:
        cleanup(folder)


@dataclass(frozen=True)
class PlanCase:
    """A damaged plan and the command run on it."""

    hits: tuple[Any, ...]
    command: str = "validate"
    text: TextHit | None = None


PLAN_COMMANDS = (
    "validate", "validate", "validate", "validate", "validate", "report", "explain",
    "explain_staff", "adopt", "baseline", "with",
)  # fmt: skip


@st.composite
def plan_cases(draw: st.DrawFn, commands: tuple[str, ...] = PLAN_COMMANDS) -> PlanCase:
    hits = tuple(draw(st.lists(plan_hit(), min_size=1, max_size=3)))
    text = draw(st.none() | text_hit()) if draw(st.integers(0, 4)) == 0 else None
    return PlanCase(hits, draw(st.sampled_from(commands)), text)


def plan_args(command: str, inst: Path, plan: Path, folder: Path, index: int = 0) -> list[str]:
    staff = ["T000001", "T000096", "T999999", "S0001"][index % 4]
    return {
        "validate": ["validate", str(inst), str(plan)],
        "report": ["report", str(inst), str(plan), "--html", str(folder / "r.html")],
        "report_xlsx": ["report", str(inst), str(plan), "--xlsx", str(folder / "r.xlsx")],
        "explain": ["explain", str(inst), str(plan), "--time-limit", "8", "--step-limit", "2"],
        "explain_staff": [
            "explain",
            str(inst),
            str(plan),
            "--staff",
            staff,
            "--school",
            "S0008",
            "--time-limit",
            "8",
            "--step-limit",
            "2",
        ],
        "adopt": ["adopt", str(inst), str(plan), "--registry", str(folder / "r.db")],
        "baseline": [
            "solve",
            str(inst),
            "-o",
            str(folder / "b"),
            "--baseline",
            str(plan),
            "--parts",
            "pairs,alliances",
            "--time-limit",
            "5",
            "--format",
            "json",
            "-q",
        ],
        "with": [
            "solve",
            str(inst),
            "-o",
            str(folder / "w"),
            "--with",
            str(plan),
            "--parts",
            "roster",
            "--time-limit",
            "5",
            "--format",
            "json",
            "-q",
        ],
    }[command]


def run_plan_case(ws: Workspace, case: PlanCase) -> Outcome:
    CASE_KIND[0] = "plan"
    folder = ws.fresh("plan")
    try:
        doc: Any = json.loads(ws.plan_text)
        for h in case.hits:
            if isinstance(doc, dict):
                doc = damage_plan(doc, h, ws)
            elif h.kind == "tree":
                doc = damage_tree(doc, h.value)
        text = dumps(doc)
        data = damage_text(text, case.text) if case.text is not None else text.encode("utf-8")
        plan = folder / "plan.json"
        plan.write_bytes(data)
        before = snapshot(ws.demo, plan)
        out = run_cli(plan_args(case.command, ws.demo, plan, folder), cwd=folder / "cwd")
        assert_sound(out, before, (ws.demo, plan))
        return out
    finally:
        cleanup(folder)


def run_breach(ws: Workspace, breach: Breach, command: str = "validate") -> Outcome:
    """A plan known to break a rule: ``validate`` (or ``adopt``) says so (exit 1), naming
    one of the rules, and adopts nothing."""
    CASE_KIND[0] = "breach"
    folder = ws.fresh("breach")
    try:
        doc = breach_plan(json.loads(ws.plan_text), breach)
        plan = folder / "plan.json"
        plan.write_text(dumps(doc), encoding="utf-8")
        before = snapshot(ws.demo, plan)
        out = run_cli(plan_args(command, ws.demo, plan, folder), cwd=folder / "cwd")
        assert_sound(out, before, (ws.demo, plan))
        _, rules = BREACHES[breach.kind]
        if command == "adopt" and out.code == 2:
            pass  # refused before checking (e.g. a plan lacking parts the policy plans)
        elif out.code != 1 or not any(f"[{r}]" in out.stdout for r in rules):
            raise AssertionError(
                f"a plan breaking {' or '.join(rules)} was not refused naming it\n{out.said()}"
            )
        if command == "adopt" and (folder / "r.db").exists():
            import sqlite3

            with sqlite3.connect(folder / "r.db") as db:
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master")}
                if "adoptions" in tables:
                    (n,) = db.execute("SELECT count(*) FROM adoptions").fetchone()
                    assert n == 0, "a plan breaking a rule was adopted"
        return out
    finally:
        cleanup(folder)


def run_command_line(ws: Workspace, line: CommandLine) -> Outcome:
    CASE_KIND[0] = "cli"
    folder = ws.fresh("cli")
    try:
        args, inputs = materialise(line, ws, folder)
        before = snapshot(*inputs)
        out = run_cli(args, cwd=folder / "cwd")
        assert_sound(out, before, inputs)
        return out
    finally:
        cleanup(folder)


def cleanup(folder: Path) -> None:
    restore_modes(folder)
    shutil.rmtree(folder, ignore_errors=True)


def new_workspace() -> Workspace:
    """A workspace in a temporary folder of its own (the long run's)."""
    return make_workspace(Path(tempfile.mkdtemp(prefix="twinning-fuzz-")))
