"""``twinning serve``'s HTTP API against a real server (uvicorn on a free loopback port):
jobs submitted at once all finish, a stop keeps the best plan so far, results survive a
restart, adoption answers 200 then 409 (and 422 for a plan that breaks a rule); and what
the desk refuses: a zip that climbs out of its folder, a link, a bomb, an oversized upload,
a missing or wrong token, a job id that is not one, a cross-site form, a public address
without a token."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import INSTANCES
from tests.serving import Desk
from twinning.serve.store import new_id
from twinning.serve.uploads import Refused, check_zip, extract_zip, safe_stem

DEMO = INSTANCES / "demo-county"
SERVE = [sys.executable, "-m", "twinning.cli.main", "serve"]


def demo_zip(folder: str = "demo-county", source: Path = DEMO) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(source.iterdir()):
            z.write(path, f"{folder}/{path.name}" if folder else path.name)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def desk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Desk]:
    with Desk(tmp_path_factory.mktemp("desk") / "data", "--workers", "2") as d:
        yield d


# ---- jobs -------------------------------------------------------------------------------------


def test_health(desk: Desk) -> None:
    import twinning

    assert desk.get("/api/health") == {"version": twinning.__version__}


def test_concurrent_jobs_all_finish_with_their_files(desk: Desk) -> None:
    ids = []
    for k in range(3):  # three at once on two workers: one waits in the queue
        status, got = desk.submit(
            "demo.zip",
            demo_zip(),
            parts="pairs,alliances",
            time_limit="20",
            set=[f"twinning.min_helped={k % 2}"],
        )
        assert status == 202 and got["status"] == "queued"
        ids.append(got["id"])
    assert len(set(ids)) == 3 and all(len(i) == 24 for i in ids)
    jobs = [desk.wait_job(i) for i in ids]
    for job in jobs:
        assert job["status"] == "done", job
        assert job["result"]["status"] == "optimal" and job["result"]["exit"] == 0
        assert job["progress"] and job["progress"][0]["part"] == "pairs"
    plan = json.loads(desk.request("GET", f"/api/jobs/{ids[0]}/files/plan.json")[1])
    assert plan["parts"] == ["pairs", "alliances"] and plan["settings"] == {
        "twinning.min_helped": 0
    }
    for name in ("summary.json", "pairs.csv", "report.html", "plan.xlsx", "plan-csv.zip"):
        status, body, _ = desk.request("GET", f"/api/jobs/{ids[0]}/files/{name}")
        assert status == 200 and body, name
    for name in ("job.json", "..%2Fjob.json", "state.json", "x.py"):
        assert desk.request("GET", f"/api/jobs/{ids[0]}/files/{name}")[0] == 404


def test_a_bad_setting_or_part_is_refused_naming_it(desk: Desk) -> None:
    status, got = desk.submit("demo.zip", demo_zip(), set=["rotation.nonsense=1"])
    assert status == 422 and "rotation.nonsense" in got["error"]
    status, got = desk.submit("demo.zip", demo_zip(), parts="pairs,nowhere")
    assert status == 422 and "nowhere" in got["error"]


def test_a_county_with_errors_fails_with_file_row_and_column(desk: Desk) -> None:
    broken = (DEMO / "schools.csv").read_text(encoding="utf-8").splitlines()
    head = broken[0].split(",")
    row = broken[3].split(",")
    row[head.index("students")] = "-5"
    broken[3] = ",".join(row)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("schools.csv", "\n".join(broken) + "\n")
        z.writestr("staff.csv", (DEMO / "staff.csv").read_text(encoding="utf-8"))
    status, got = desk.submit("broken.zip", buffer.getvalue(), time_limit="10")
    assert status == 202
    job = desk.wait_job(got["id"])
    assert job["status"] == "failed"
    assert "schools.csv" in job["error"] and "row 4" in job["error"] and "students" in job["error"]


def test_stop_keeps_the_best_plan_so_far_within_two_seconds(desk: Desk) -> None:
    # County scope makes haicheng-like's roster one search of about a minute (demo-county's
    # whole solve can end within a second, before the stop lands), so the stop, sent once
    # the roster's search has started, always lands in the middle of it.
    zipped = demo_zip("haicheng-like", INSTANCES / "haicheng-like")
    _, got = desk.submit("hc.zip", zipped, time_limit="600", set=["rotation.scope=county"])
    jid = got["id"]
    end = time.monotonic() + 120
    while time.monotonic() < end:  # the roster is searching: pairs and alliances planned
        job = desk.get(f"/api/jobs/{jid}")
        if any(e["part"] == "roster" for e in job["progress"]):
            break
        time.sleep(0.2)
    time.sleep(1)
    asked = time.monotonic()
    assert desk.request("DELETE", f"/api/jobs/{jid}")[0] == 202
    while desk.get(f"/api/jobs/{jid}")["status"] == "running":
        time.sleep(0.05)
    took = time.monotonic() - asked
    job = desk.get(f"/api/jobs/{jid}")
    assert job["status"] == "cancelled"
    assert job["result"]["interrupted"] is True
    plan = json.loads(desk.request("GET", f"/api/jobs/{jid}/files/plan.json")[1])
    assert plan["interrupted"] is True and "pairs" in plan["parts"]
    # measured, not asserted as a time (tests/benchmarks/serve.py records it)
    print(f"stopped in {took:.2f} s")
    assert desk.request("DELETE", f"/api/jobs/{jid}")[0] == 409  # ended already


def test_adopt_200_then_409_and_422_for_a_plan_breaking_a_rule(desk: Desk) -> None:
    status, got = desk.submit("adopt.zip", demo_zip(), time_limit="30")
    jid = got["id"]
    assert desk.wait_job(jid)["status"] == "done"
    status, record = desk.json("POST", f"/api/jobs/{jid}/adopt", {"by": "王科长", "note": "通过"})
    assert status == 200, record
    assert record["record"]["cycle"] == "2025-2026" and record["record"]["adopted_by"] == "王科长"
    status, again = desk.json("POST", f"/api/jobs/{jid}/adopt", {"by": "李老师"})
    assert status == 409 and again["outcome"] == "exists"
    # the plan doctored to break a rule (a pair vetoed after the solve): 422, nothing written
    out = desk.data / "jobs" / jid / "out" / "plan.json"
    plan = json.loads(out.read_text(encoding="utf-8"))
    pair = plan["pairs"][0]
    plan["settings"] = {"twinning.vetoed": [[pair["helper"], pair["helped"]]]}
    out.write_text(json.dumps(plan), encoding="utf-8")
    status, refused = desk.json(
        "POST", f"/api/jobs/{jid}/adopt", {"by": "王科长", "cycle": "2026-2027"}
    )
    assert status == 422 and any("twinning.vetoed" in v for v in refused["violations"])
    status, _ = desk.json("POST", f"/api/jobs/{jid}/adopt", None)
    assert status == 400


def test_results_survive_a_restart_and_queued_jobs_run_after_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with Desk(data, "--workers", "1") as first:
        _, done = first.submit("demo.zip", demo_zip(), parts="pairs", time_limit="20")
        assert first.wait_job(done["id"])["status"] == "done"
        _, long = first.submit("demo.zip", demo_zip(), time_limit="600")
        _, waiting = first.submit("demo.zip", demo_zip(), parts="pairs", time_limit="20")
        time.sleep(1.0)
    # the server stopped with one job running and one queued: both run again, none lost
    with Desk(data, "--workers", "1") as second:
        assert second.get(f"/api/jobs/{done['id']}")["status"] == "done"
        assert second.request("GET", f"/api/jobs/{done['id']}/files/pairs.csv")[0] == 200
        assert second.get(f"/api/jobs/{long['id']}")["status"] in ("queued", "running")
        assert second.request("DELETE", f"/api/jobs/{long['id']}")[0] == 202
        assert second.wait_job(waiting["id"])["status"] == "done"


# ---- refusals ---------------------------------------------------------------------------------


def _zip(members: dict[str, bytes], links: tuple[str, ...] = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
        for name in links:
            info = zipfile.ZipInfo(name)
            info.external_attr = 0o120777 << 16  # a symbolic link
            z.writestr(info, "/etc/passwd")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("members", "links", "code"),
    [
        ({"../schools.csv": b"id\n"}, (), "serve.zip.path"),
        ({"/etc/schools.csv": b"id\n"}, (), "serve.zip.path"),
        ({"a/../../schools.csv": b"id\n"}, (), "serve.zip.path"),
        ({"C:/x/schools.csv": b"id\n"}, (), "serve.zip.path"),
        ({"schools.csv": b"id\n"}, ("staff.csv",), "serve.zip.link"),
        ({"readme.txt": b"x"}, (), "serve.zip.empty"),
        ({f"t{k}.csv": b"x" for k in range(100)}, (), "serve.zip.members"),
        ({"a/schools.csv": b"x", "b/staff.csv": b"x"}, (), "serve.zip.folders"),
    ],
)
def test_an_unsafe_zip_is_refused(
    members: dict[str, bytes], links: tuple[str, ...], code: str
) -> None:
    with pytest.raises(Refused) as caught:
        check_zip(_zip(members, links))
    assert caught.value.msg.code == code


def test_a_zip_bomb_is_stopped_on_the_bytes_inflated(tmp_path: Path) -> None:
    bomb = _zip({"schools.csv": b"0" * (200 * 1024 * 1024)})  # 200 MB of zeros, ~200 KB
    assert len(bomb) < 1024 * 1024
    with pytest.raises(Refused) as caught:
        extract_zip(bomb, tmp_path / "out")
    assert caught.value.msg.code == "serve.zip.expansion"
    assert sum(p.stat().st_size for p in (tmp_path / "out").iterdir()) <= 100 * len(bomb)


def test_a_zip_of_chinese_names_written_by_windows_is_read() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        info = zipfile.ZipInfo("示范县/schools.csv".encode("gbk").decode("cp437"))
        z.writestr(info, b"id\n")
    assert [name for _, name in check_zip(buffer.getvalue())] == ["schools.csv"]
    assert safe_stem("../../示范县 2025.xlsx") == "示范县-2025"


def test_refusals_over_http(desk: Desk) -> None:
    # a zip climbing out of its folder: 422 naming the member, nothing kept
    before = len(list((desk.data / "counties").iterdir()))
    status, got = desk.submit("evil.zip", _zip({"../../schools.csv": b"id\n"}))
    assert status == 422 and "../../schools.csv" in got["error"]
    assert len(list((desk.data / "counties").iterdir())) == before
    # a file of another kind
    status, got = desk.submit("county.exe", b"MZ")
    assert status == 422 and "county.exe" in got["error"]
    # a job id that is not one (guessed, or a path): 404, never a file
    for jid in (new_id(), "..", "..%2F..%2Fetc", "x" * 24):
        assert desk.request("GET", f"/api/jobs/{jid}")[0] == 404
        assert desk.request("DELETE", f"/api/jobs/{jid}")[0] == 404
    # a form posted from another site (no token, or another origin): 403
    status, _, _ = desk.request(
        "POST",
        "/examples/demo-county",
        b"csrf=x",
        {"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert status == 403
    status, _, _ = desk.request(
        "POST",
        "/examples/demo-county",
        b"csrf=abcdefghijklmnopqrstuvwxyz",
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": "twinning_csrf=abcdefghijklmnopqrstuvwxyz",
            "Origin": "http://evil.example",
        },
    )
    assert status == 403


def test_an_oversized_upload_is_refused(tmp_path: Path) -> None:
    with Desk(tmp_path / "data", "--max-upload", "1") as small:
        status, got = small.submit("big.json", b"{" + b" " * (2 * 1024 * 1024) + b"}")
        assert status == 413 and got["code"] == "serve.upload.too_large"
        assert not list((small.data / "counties").iterdir())


def test_a_token_is_required_once_given(tmp_path: Path) -> None:
    token = "s3cret-token-of-the-bureau"
    with Desk(tmp_path / "data", token=token) as guarded:
        assert guarded.get("/api/health")["version"]
        guarded.token = None  # no token: 401 for the API, the token form for pages
        assert guarded.request("GET", "/api/health")[0] == 401
        guarded.token = "wrong-token-wrong-token"
        assert guarded.request("GET", "/api/health")[0] == 401
        assert guarded.request("POST", "/api/jobs", b"")[0] == 401
        guarded.token = None
        status, body, _ = guarded.request("GET", "/")
        assert status == 200 and "口令" in body.decode()  # redirected to the token form


def test_a_public_address_without_a_token_refuses_to_start(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "twinning.cli.main",
            "serve",
            "--host",
            "0.0.0.0",
            "--data",
            str(tmp_path),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2
    assert "--token" in run.stderr
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "twinning.cli.main",
            "serve",
            "--host",
            "0.0.0.0",
            "--token",
            "short",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 2 and "16" in run.stderr
