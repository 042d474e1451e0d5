"""The real command: the console script, `python -m publisher`, and `serve`."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
import signal
import socket
import subprocess
import sys
import threading
import urllib.request

import aiohttp
import pytest

from publisher.__main__ import main

from .conftest import Workspace

REPO = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "neighborhood-requests-feed"


def run(*argv: str | Path) -> subprocess.CompletedProcess[str]:
    # PYTHONPATH: an editable install made before `publisher/` existed does not map
    # it, and the console script must not depend on when `pip install -e` ran.
    path = os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path}
    return subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        timeout=60,
        check=False,
    )


def test_console_script_round_trip(tmp_path: Path, workspace: Workspace) -> None:
    keys = tmp_path / "script-keys"
    made = run(SCRIPT, "keygen", "--out", keys)
    request = workspace.request("req-a")
    feed = tmp_path / "script-feed.json"
    signed = run(
        SCRIPT, "sign", "--key", keys / "publisher.key", "--publisher",
        workspace.publisher, request, "--out", feed,
    )  # fmt: skip
    checked = run(SCRIPT, "check", feed, "--trust", keys / "publisher.jwk.json")

    assert made.returncode == 0, made.stderr
    assert signed.returncode == 0, signed.stderr
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.splitlines()[2] == "ACCEPT req-a rev 1"
    assert made.stdout.splitlines()[-1] in checked.stdout


def test_python_dash_m_reports_failures_and_usage(tmp_path: Path) -> None:
    failed = run(sys.executable, "-m", "publisher", "check", tmp_path / "absent.json")
    usage = run(sys.executable, "-m", "publisher", "check")

    assert failed.returncode == 1
    assert failed.stdout == ""
    assert len(failed.stderr.strip().splitlines()) == 1
    assert "cannot read" in failed.stderr
    assert usage.returncode == 2
    assert "FEED_OR_URL" in usage.stderr


async def test_serve_subprocess_serves_until_terminated(signed_feed: Workspace) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "publisher", "serve", "--feed", str(signed_feed.feed),
        "--inbox", str(signed_feed.root / "inbox"), "--port", "0",
        cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode()
        url = line.split(" at ")[1].split(",")[0]
        async with aiohttp.ClientSession() as session, session.get(url) as response:
            assert response.status == 200
            assert await response.read() == signed_feed.feed.read_bytes()
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()


def test_serve_in_process_stops_on_sigterm(signed_feed: Workspace) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/feed.json"
    seen: list[bytes] = []

    def fetch_then_terminate() -> None:
        for _ in range(600):
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    seen.append(response.read())
                break
            except OSError:
                threading.Event().wait(0.05)
        # Only a running server has its handler installed; without one, SIGTERM
        # would end the test run itself.
        if seen:
            os.kill(os.getpid(), signal.SIGTERM)

    helper = threading.Thread(target=fetch_then_terminate)
    helper.start()
    try:
        code = main(
            ["serve", "--feed", str(signed_feed.feed), "--inbox",
             str(signed_feed.root / "inbox"), "--port", str(port)]
        )  # fmt: skip
    finally:
        helper.join()

    assert code == 0
    assert seen == [signed_feed.feed.read_bytes()]


def test_serve_rejects_a_bad_port(signed_feed: Workspace) -> None:
    assert (
        main(
            [
                "serve",
                "--feed",
                str(signed_feed.feed),
                "--inbox",
                "x",
                "--port",
                "70000",
            ]
        )
        == 2
    )
    assert (
        main(
            ["serve", "--feed", str(signed_feed.feed), "--inbox", "x", "--port", "http"]
        )
        == 2
    )


def test_serve_reports_an_unusable_inbox(
    signed_feed: Workspace, capsys: pytest.CaptureFixture[str]
) -> None:
    not_a_dir = signed_feed.root / "file"
    not_a_dir.write_text("")
    argv = ["serve", "--feed", str(signed_feed.feed), "--inbox", str(not_a_dir)]

    assert main(argv) == 1
    assert f"cannot use {not_a_dir} as inbox" in capsys.readouterr().err


def test_serve_reports_a_missing_feed(tmp_path: Path) -> None:
    code = main(
        ["serve", "--feed", str(tmp_path / "none.json"), "--inbox", str(tmp_path)]
    )

    assert code == 1
