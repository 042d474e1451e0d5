"""Browser tests: Debian's Chromium, driven by Playwright, against the demo stack.

The stack (publisher, test camera, onboarded Home Assistant) runs in its own
process, `tests.e2e.stage`, for the whole module; each test opens a fresh
browser profile and logs in as the demo owner, as a person would. Playwright
only drives `/usr/bin/chromium` and never downloads a browser of its own. Without
Chromium every test here is skipped with that reason.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
import contextlib
import json
import os
from pathlib import Path
import select
import subprocess
import sys
import tempfile
import time
from typing import Any

import aiohttp
from playwright.async_api import Page, async_playwright, expect
import pytest

from demo.homeassistant import HomeAssistantClient

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
REPO = Path(__file__).resolve().parents[2]
# Screenshots land in a scratch folder, so a test run never rewrites tracked files;
# `E2E_SCREENSHOTS=docs/images scripts/test tests/e2e` refreshes the README's.
IMAGES = Path(
    os.environ.get("E2E_SCREENSHOTS")
    or tempfile.mkdtemp(prefix="neighborhood-requests-e2e-")
).resolve()
STAGE_START_TIMEOUT_S = 600.0  # a fresh machine installs HA's frontend first
UI_TIMEOUT_MS = 30_000

os.environ["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every browser test is marked `e2e` (`-m "not e2e"` leaves them out)."""
    for item in items:
        if "tests/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "e2e: browser tests against the demo stack (need Chromium)"
    )


@pytest.fixture(scope="module")
def chromium() -> Path:
    if not CHROMIUM.is_file():
        pytest.skip(
            f"Chromium is not installed ({CHROMIUM}); scripts/setup installs "
            "Debian's chromium package"
        )
    return CHROMIUM


def _read_info(process: subprocess.Popen[bytes], log: Path) -> dict[str, str]:
    """The stage's JSON line; the progress lines before it go to the log.

    Reads the pipe's descriptor directly: a buffered reader could hold the JSON
    line while `select` waits for more.
    """
    assert process.stdout is not None
    fd = process.stdout.fileno()
    deadline = time.monotonic() + STAGE_START_TIMEOUT_S
    pending = b""
    with log.open("ab") as out:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 1.0)
            if not ready:
                if process.poll() is not None:
                    break
                continue
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for line in lines:
                if line.startswith(b"{"):
                    info: dict[str, str] = json.loads(line)
                    return info
                out.write(line + b"\n")
    process.kill()
    raise RuntimeError(f"the e2e stage did not start; see {log}")


@pytest.fixture(scope="module")
def stage(
    chromium: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    """Publisher, camera and Home Assistant, up for every test of the module.

    Shared, mutable: tests record what they set up (the entry) for later ones.
    """
    base = tmp_path_factory.mktemp("e2e") / "stage"
    log = base.parent / "stage.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.e2e.stage", str(base)],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log.open("wb"),
        start_new_session=True,
    )
    try:
        info: dict[str, Any] = dict(_read_info(process, log))
        info["log"] = str(log)
        yield info
    finally:
        # Closing stdin is the stage's signal to stop everything it started.
        assert process.stdin is not None
        with contextlib.suppress(BrokenPipeError):
            process.stdin.close()
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


@pytest.fixture
async def ha(
    stage: dict[str, Any], socket_enabled: None
) -> AsyncIterator[HomeAssistantClient]:
    """The owner's REST client, for what a test checks rather than clicks."""
    async with aiohttp.ClientSession() as session:
        client = HomeAssistantClient(session, stage["ha_url"])
        client.token = stage["token"]
        yield client


@pytest.fixture
async def page(stage: dict[str, Any], tmp_path: Path) -> AsyncIterator[Page]:
    """A logged-in tab of a fresh Chromium profile."""
    expect.set_options(timeout=UI_TIMEOUT_MS)

    async with async_playwright() as playwright:
        context = await playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(UI_TIMEOUT_MS)
        try:
            tab = context.pages[0] if context.pages else await context.new_page()
            await tab.goto(f"{stage['ha_url']}/")
            await tab.locator("input[name=username]").fill(stage["owner_username"])
            await tab.locator("input[name=password]").fill(stage["owner_password"])
            await tab.get_by_role("button", name="Log in").click()
            await tab.locator("ha-sidebar").wait_for()
            yield tab
        finally:
            await context.close()
