"""The dashboard: controls come from the dataclasses; a real browser drives the page."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from experiments.dashboard import DashboardModel, explanations, user_params
from sim.params import LeadershipParams, field_docs

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOT = Path(__file__).resolve().parent.parent / "docs" / "dashboard.png"


def test_controls_are_generated_from_the_dataclasses():
    params = user_params()
    docs = {d["name"]: d for d in field_docs(LeadershipParams)}
    tol = params["mobilization_tolerance"]
    assert tol["value"] == docs["mobilization_tolerance"]["default"]
    assert tol["help"] == docs["mobilization_tolerance"]["help"]
    assert (tol["min"], tol["max"]) == (0.0, 1.0)
    assert params["n_groups"]["type"] == "SliderInt"
    assert "strategy_name" in params and "case_focus" in params["strategy_name"]["values"]
    text = explanations()
    assert all(f"*{spec['label']}*" in text for spec in params.values())


def test_presets_apply_and_moved_sliders_override_them():
    m = DashboardModel(strategy_name="case_focus", rng=3)
    assert m.params.strategy.n_lists == 10  # from configs/strategy/case_focus.yaml
    m = DashboardModel(strategy_name="case_focus", rng=3, n_lists=2, mobilization_tolerance=0.09)
    assert m.params.strategy.n_lists == 2
    assert m.params.scenario.leadership.mobilization_tolerance == 0.09
    m.step()
    assert m.steps == 1


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server():
    port = free_port()
    cmd = [
        sys.executable,
        "-c",
        "from experiments.dashboard import main; main()",
        "--port",
        str(port),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            break
        except OSError:
            time.sleep(0.5)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


def plot_images(page):
    return [img.get_attribute("src") for img in page.locator("img").all()]


@pytest.mark.slow
def test_browser_changes_strategy_steps_and_sees_plots_change(server, tmp_path):
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing: .ci/run installs Debian's chromium package")
        pytest.skip("Debian's chromium is not installed here")
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1100})
        page.goto(server, timeout=90_000)
        expect(page.get_by_text("Week 0")).to_be_visible(timeout=90_000)
        expect(page.get_by_text("Strategy status_quo_1987")).to_be_visible()
        # Pick another strategy from the list and reset the model with it.
        page.get_by_text("status_quo_1987", exact=True).first.click()
        page.get_by_role("option", name="case_focus").click()
        page.get_by_role("button", name="Reset").click()
        expect(page.get_by_text("Strategy case_focus")).to_be_visible(timeout=30_000)
        before = plot_images(page)
        step = page.get_by_role("button", name="Step")
        for week in range(1, 6):
            step.click()
            expect(page.get_by_text(f"Week {week}")).to_be_visible(timeout=30_000)
        page.wait_for_timeout(1000)
        after = plot_images(page)
        assert len(after) >= 6
        assert sum(a != b for a, b in zip(before, after, strict=False)) >= 5  # the plots moved
        page.screenshot(path=str(tmp_path / "dashboard.png"), full_page=True)
        if os.environ.get("UPDATE_SCREENSHOT"):
            page.screenshot(path=str(SCREENSHOT), full_page=False)
        browser.close()
    assert (tmp_path / "dashboard.png").stat().st_size > 10_000
