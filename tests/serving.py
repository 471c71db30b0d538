"""A real ``twinning serve`` for the web desk's tests: started on a free loopback port in
a process of its own (uvicorn, as a planner starts it), stopped by its own id."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Desk:
    """A running desk: its URL, data folder and process."""

    def __init__(self, data: Path, *args: str, token: str | None = None, wait: bool = True):
        self.data = data
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.token = token
        cmd = [sys.executable, "-m", "twinning.cli.main", "serve", "--data", str(data)]
        cmd += ["--port", str(self.port), *args]
        if token:
            cmd += ["--token", token]
        data.parent.mkdir(parents=True, exist_ok=True)
        self.log = open(data.parent / f"desk-{self.port}.log", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            cmd, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )
        if wait:
            self.wait_up()

    def wait_up(self, seconds: float = 60.0) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the desk ended: {self.proc.returncode}")
            try:
                self.get("/api/health")
                return
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.2)
        raise RuntimeError("the desk did not start")

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        out = dict(extra or {})
        if self.token:
            out.setdefault("Authorization", f"Bearer {self.token}")
        return out

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes, Any]:
        req = urllib.request.Request(
            self.url + path, data=body, method=method, headers=self.headers(headers)
        )
        try:
            with urllib.request.urlopen(req, timeout=120) as r:
                return r.status, r.read(), r.headers
        except urllib.error.HTTPError as e:
            return e.code, e.read(), e.headers

    def get(self, path: str) -> Any:
        status, body, _ = self.request("GET", path)
        if status != 200:
            raise urllib.error.HTTPError(self.url + path, status, body.decode(), None, None)  # type: ignore[arg-type]
        return json.loads(body)

    def json(self, method: str, path: str, value: Any = None) -> tuple[int, Any]:
        body = json.dumps(value).encode() if value is not None else None
        status, got, _ = self.request(
            method, path, body, {"Content-Type": "application/json"} if body else None
        )
        return status, json.loads(got) if got else None

    def submit(self, filename: str, data: bytes, **fields: Any) -> tuple[int, Any]:
        """POST /api/jobs with the instance file and fields (lists repeat a field)."""
        boundary = "----twinning-test-boundary"
        parts: list[bytes] = []
        for name, value in fields.items():
            for one in value if isinstance(value, list) else [value]:
                parts.append(
                    f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                    f"{one}\r\n".encode()
                )
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="instance"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + data
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        status, got, _ = self.request(
            "POST",
            "/api/jobs",
            b"".join(parts),
            {"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )
        return status, json.loads(got) if got else None

    def wait_job(self, jid: str, seconds: float = 300.0) -> dict[str, Any]:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            job: dict[str, Any] = self.get(f"/api/jobs/{jid}")
            if job["status"] not in ("queued", "running"):
                return job
            time.sleep(0.3)
        raise TimeoutError(f"job {jid} did not end")

    def stop(self) -> None:
        """Stop the desk as Ctrl-C would (SIGINT to its own process), then make sure."""
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.proc.pid, signal.SIGINT)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def __enter__(self) -> Desk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
