"""The planner's path through ``twinning serve`` in a real headless Chromium.

Debian's ``/usr/bin/chromium`` driven by Playwright (no browser download), as the report's
tests do: a Chinese-headed workbook of the demo county is uploaded, its read report read,
one policy value changed in the form (shown as its ``--set``), the solve watched to its
end, the plan page read (status, rule table, downloads, the report embedded), the plan
adopted and the county's history shown. Every page is scanned for English words the way
``tests/test_one_voice.py`` scans the command line's outputs, and each is saved as a
screenshot in ``tests/artifacts/serve/``. The pages make no request off the machine.

Without Chromium the test skips on a developer's machine and fails under CI.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import INSTANCES, ROOT
from tests.serving import Desk
from tests.test_one_voice import english_words
from tests.test_report_html import CHROMIUM, CHROMIUM_FLAGS
from twinning.io.export import save_instance
from twinning.io.readers import load_instance

SHOTS = ROOT / "tests" / "artifacts" / "serve"

#: The visible text of a page, less what may stay Latin: the language switch (the other
#: language's own name), values as typed for --set, and the embedded report (scanned by
#: the report's own tests).
VISIBLE_TEXT = """() => {
  const root = document.body.cloneNode(true);
  root.querySelectorAll('#lang-switch, .raw, iframe, script, style').forEach(e => e.remove());
  return root.innerText;
}"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = None
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        missing = f"{CHROMIUM} is not installed (apt-get install -y chromium)"
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "playwright is not installed (pip install -e '.[dev]')"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: {missing}")
        pytest.skip(missing)
    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium"),
            headless=True,
            args=CHROMIUM_FLAGS,
        )
        try:
            yield b
        finally:
            b.close()


def _english(page: Any) -> list[str]:
    return english_words(page.evaluate(VISIBLE_TEXT))


def test_the_planners_path_from_upload_to_adoption(browser: Any, tmp_path: Path) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    workbook = tmp_path / "示范县.xlsx"
    save_instance(load_instance(INSTANCES / "demo-county"), workbook, lang="zh")
    desk = Desk(tmp_path / "data", "--workers", "1")
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    try:
        page = context.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.on(
            "console",
            lambda m: errors.append(f"{m.text} {m.location}") if m.type == "error" else None,
        )

        # 1. the desk, Chinese first; bring the county
        page.goto(desk.url + "/")
        assert page.locator("html").get_attribute("lang") == "zh-CN"
        assert page.locator("h1").inner_text() == "导入县区数据"
        assert _english(page) == []
        page.screenshot(path=str(SHOTS / "1-desk.png"), full_page=True)
        page.set_input_files("#upload input[type=file]", str(workbook))
        page.click("#upload button")
        page.wait_for_selector("#read-ok", timeout=120_000)
        assert "示范县" in page.locator("#read-ok").inner_text()
        assert "30 所学校" in page.locator("#read-ok").inner_text()
        assert _english(page) == []
        page.screenshot(path=str(SHOTS / "2-county.png"))

        # 2. the policy form: Chinese names, defaults; one change shown as its --set
        form = page.locator("#policy-form")
        assert "派出比例" in form.inner_text() or "交流比例" in form.inner_text()
        page.click("details.section:has(code:text-is('weights')) summary")  # folded at first
        page.fill("input[name='p:weights.roster_km']", "2")
        page.dispatch_event("input[name='p:weights.roster_km']", "input")
        assert page.locator("#sets-preview").inner_text() == "--set weights.roster_km=2"
        page.fill("input[name=time_limit]", "30")
        page.click("#solve")

        # 3. the solve, live: status and progress polled every second
        page.wait_for_selector("#job")
        assert page.locator(".set").inner_text() == "--set weights.roster_km=2"
        page.wait_for_selector("#progress:not(:empty)", timeout=60_000)
        page.screenshot(path=str(SHOTS / "3-solving.png"))
        page.wait_for_selector("#plan", timeout=300_000)

        # 4. the plan: status, rule table, downloads, the report embedded
        status = page.locator("#result-status").inner_text()
        assert status.startswith("状态：")
        rules = page.locator("#rules tbody tr")
        assert rules.count() > 20
        assert "结对同学段" in page.locator("#rules").text_content()
        links = page.locator(".downloads a").all_inner_texts()  # file names
        assert {"plan.xlsx", "plan-csv.zip", "plan.json"} <= set(links)
        frame = page.frame_locator("iframe.report")
        frame.locator("html[data-ready=true]").wait_for(timeout=60_000)
        page.screenshot(path=str(SHOTS / "4-plan.png"), full_page=True)
        page.locator("#report").scroll_into_view_if_needed()
        page.locator("#report").screenshot(path=str(SHOTS / "4-plan-report.png"))
        assert _english(page) == [], page.evaluate(VISIBLE_TEXT)
        href = page.locator(".downloads a", has_text="plan.xlsx").get_attribute("href")
        got = page.request.get(desk.url + str(href))
        assert got.status == 200 and got.body()[:2] == b"PK"  # a workbook (a zip)
        assert "plan.xlsx" in got.headers["content-disposition"]

        # 5. adopt, then the county's history; a second adoption of the cycle is refused
        page.fill("#adopt-form input[name=by]", "王科长")
        page.fill("#adopt-form input[name=note]", "县局会议通过")
        page.click("#adopt-button")
        page.wait_for_selector("#adopted", timeout=120_000)
        assert "2025-2026" in page.locator("#adopted").inner_text()
        history = page.locator("#adopt table.history").inner_text()
        assert "王科长" in history and "县局会议通过" in history and "有效" in history
        assert _english(page) == []
        page.locator("#adopt").screenshot(path=str(SHOTS / "5-adopted.png"))
        page.fill("#adopt-form input[name=by]", "李老师")
        page.click("#adopt-button")
        page.wait_for_selector("#adopt-refused", timeout=120_000)
        assert "已采用过" in page.locator("#adopt-refused").inner_text()

        # the English switch, and back
        page.click("#lang-switch")
        assert page.locator("#adopt h2").inner_text() == "Adopt this plan"
        page.click("#lang-switch")
        assert page.locator("#adopt h2").inner_text() == "采用此方案"

        assert all(u.startswith(desk.url) for u in requests), requests
        assert errors == [], errors
    finally:
        context.close()
        desk.stop()
