"""``twinning serve`` measured from outside, as a bureau's server would run it.

Starts the desk (uvicorn, two workers) on a free loopback port and measures: the pages of
the demo county (the desk, the county page with its policy form, a solved job's page with
its rule table, the job's state as the page polls it, the API's view), each requested
repeatedly; the server's memory at rest (resident set of its own process, no job running)
before and after the jobs; four haicheng-like jobs submitted at once (each queued, run and
ended, none lost); a stop (seconds from DELETE to the job ended with its plan).

``--smoke``: the demo county for the four jobs (pairs only, short limits), few requests.
"""

from __future__ import annotations

import argparse
import http.client
import io
import statistics
import sys
import tempfile
import time
import zipfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.benchmarks import benchkit  # noqa: E402
from tests.serving import Desk  # noqa: E402


def zipped(folder: Path) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path in sorted(folder.iterdir()):
            z.write(path, path.name)
    return buffer.getvalue()


def rss_mb(pid: int) -> float:
    import psutil

    return float(psutil.Process(pid).memory_info().rss) / (1024 * 1024)


class Browser:
    """Plain requests carrying the desk's form cookie, as a browser would."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk
        self.cookie = ""
        self.csrf = ""

    def fetch(
        self, method: str, path: str, body: str | None = None
    ) -> tuple[int, str, dict[str, str]]:
        conn = http.client.HTTPConnection("127.0.0.1", self.desk.port, timeout=120)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=headers)
        r = conn.getresponse()
        text = r.read().decode("utf-8", "replace")
        got = {k.lower(): v for k, v in r.getheaders()}
        conn.close()
        if "set-cookie" in got and not self.cookie:
            self.cookie = got["set-cookie"].split(";")[0]
            self.csrf = self.cookie.split("=", 1)[1]
        return r.status, text, got

    def timed(self, path: str, times: int) -> list[float]:
        took = []
        for _ in range(times):
            start = time.perf_counter()
            status, _, _ = self.fetch("GET", path)
            took.append((time.perf_counter() - start) * 1000)
            assert status == 200, (path, status)
        return took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    benchkit.options(parser)
    args = parser.parse_args()
    out = benchkit.results_file(args, "serve.md")
    times = 5 if args.smoke else 30
    county = ROOT / "instances" / ("demo-county" if args.smoke else "haicheng-like")
    data = Path(tempfile.mkdtemp(prefix="twinning-bench-serve-"))
    lines = [
        "# `twinning serve`: pages, memory, four jobs at once, a stop",
        "",
        f"Measured {date.today()} on {benchkit.machine()}; load before: {benchkit.load()}.",
        f"Command: `python tests/benchmarks/bench_serve.py{' --smoke' if args.smoke else ''}`",
        "(the desk as `twinning serve --workers 2`, uvicorn, on a free loopback port).",
        "",
    ]
    with benchkit.LoadWatch() as watch, Desk(data / "desk", "--workers", "2") as desk:
        time.sleep(2.0)
        rest_before = rss_mb(desk.proc.pid)
        b = Browser(desk)
        b.fetch("GET", "/")
        status, _, got = b.fetch("POST", "/examples/demo-county", f"csrf={b.csrf}")
        cid = got["location"].rsplit("/", 1)[-1]
        status, _, got = b.fetch("POST", f"/counties/{cid}/solve", f"csrf={b.csrf}&time_limit=20")
        jid = got["location"].rsplit("/", 1)[-1]
        demo_job = desk.wait_job(jid)
        pages = [
            ("the desk `/`", "/"),
            ("county page (read report, policy form)", f"/counties/{cid}"),
            ("job page (plan, rule table, history)", f"/jobs/{jid}"),
            ("job state as the page polls it", f"/jobs/{jid}/state"),
            ("`GET /api/jobs/{id}`", f"/api/jobs/{jid}"),
        ]
        rows = []
        for name, path in pages:
            took = b.timed(path, times)
            rows.append(
                [name, f"{statistics.median(took):.1f}", f"{max(took):.1f}", str(len(took))]
            )
        lines += [
            "## Pages of the demo county",
            "",
            f"A solved job of demo-county ({demo_job['result']['status']}); each page requested "
            "in turn, milliseconds from request to the last byte.",
            "",
            *benchkit.table(["page", "median ms", "max ms", "requests"], rows),
            "",
        ]
        # four jobs at once
        payload = zipped(county)
        fields = {"time_limit": "5", "parts": "pairs"} if args.smoke else {"time_limit": "60"}
        submitted = time.monotonic()
        ids = []
        for _ in range(4):
            status, got_job = desk.submit(f"{county.name}.zip", payload, **fields)
            assert status == 202, got_job
            ids.append(got_job["id"])
        peak = 0.0
        ended: dict[str, float] = {}
        while len(ended) < 4:
            peak = max(peak, rss_mb(desk.proc.pid))
            for i in ids:
                if i not in ended and desk.get(f"/api/jobs/{i}")["status"] not in (
                    "queued",
                    "running",
                ):
                    ended[i] = time.monotonic() - submitted
            time.sleep(0.5)
        rows = []
        for k, i in enumerate(ids, start=1):
            job = desk.get(f"/api/jobs/{i}")
            result = job["result"] or {}
            waited = job["started"] - job["created"]
            ran = job["ended"] - job["started"]
            rows.append(
                [
                    str(k),
                    job["status"],
                    str(result.get("status", "-")),
                    f"{waited:.1f}",
                    f"{ran:.1f}",
                    f"{ended[i]:.1f}",
                ]
            )
        lines += [
            f"## Four {county.name} jobs submitted at once (two workers)",
            "",
            f"`POST /api/jobs` four times with `{county.name}.zip` "
            f"({', '.join(f'{k}={v}' for k, v in fields.items())}); seconds.",
            "",
            *benchkit.table(["job", "status", "plan", "queued s", "ran s", "ended after s"], rows),
            "",
        ]
        # a stop
        status, got_job = desk.submit(
            "demo.zip", zipped(ROOT / "instances" / "demo-county"), time_limit="600"
        )
        sid = got_job["id"]
        while True:
            job = desk.get(f"/api/jobs/{sid}")
            if any(e["part"] == "roster" for e in job["progress"]):
                break
            time.sleep(0.2)
        asked = time.monotonic()
        desk.request("DELETE", f"/api/jobs/{sid}")
        while desk.get(f"/api/jobs/{sid}")["status"] == "running":
            time.sleep(0.05)
        stop_s = time.monotonic() - asked
        stopped = desk.get(f"/api/jobs/{sid}")
        plan_kept = desk.request("GET", f"/api/jobs/{sid}/files/plan.json")[0] == 200
        time.sleep(8.0)  # the stopped solve writes its other files, then the desk is at rest
        rest_after = rss_mb(desk.proc.pid)
        lines += [
            "## Memory at rest and a stop",
            "",
            *benchkit.table(
                [
                    "server memory at rest, MB (start)",
                    "at rest after the jobs, MB",
                    "peak while jobs ran, MB",
                    "stop: DELETE to ended, s",
                    "stopped job",
                    "plan kept",
                ],
                [
                    [
                        f"{rest_before:.0f}",
                        f"{rest_after:.0f}",
                        f"{peak:.0f}",
                        f"{stop_s:.2f}",
                        stopped["status"],
                        "yes" if plan_kept else "no",
                    ]
                ],
            ),
            "",
            "Memory is the server process's own resident set; each solve runs in a process "
            "of its own (`python -m twinning.serve.worker`), not counted here.",
            "",
            watch.summary() + ".",
        ]
    lost = [r for r in rows if r[1] != "done"]
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    if lost:
        benchkit.note_failure(f"jobs not done: {lost}")
    return benchkit.exit_code(args)


if __name__ == "__main__":
    sys.exit(main())
