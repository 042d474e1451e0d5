"""`serve`, feed side: the same bytes for every home, conditional GETs, live reloads."""

from __future__ import annotations

import asyncio
from datetime import timedelta
import hashlib
import json
from pathlib import Path
import socket
import stat

import aiohttp
import pytest

from publisher.errors import PublisherError
from publisher.inbox import Inbox
from publisher.server import (
    ADMIN_TOKEN_FILE,
    FeedFile,
    ServeConfig,
    admin_token,
    create_app,
    serve,
)

from .conftest import Cli, InboxServer, Workspace


async def test_feed_is_served_with_strong_validators(
    inbox_server: InboxServer, signed_feed: Workspace, session: aiohttp.ClientSession
) -> None:
    body = signed_feed.feed.read_bytes()

    for path in ("/feed.json", "/"):
        async with session.get(inbox_server.url + path) as response:
            assert response.status == 200
            assert await response.read() == body
            assert response.content_type == "application/json"
            assert response.headers["ETag"] == f'"{hashlib.sha256(body).hexdigest()}"'
            assert "Last-Modified" in response.headers


@pytest.mark.parametrize(
    ("header", "value", "status"),
    [
        ("If-None-Match", "{etag}", 304),
        ("If-None-Match", "W/{etag}", 304),
        ("If-None-Match", '"other", {etag}', 304),
        ("If-None-Match", "*", 304),
        ("If-None-Match", '"other"', 200),
        ("If-Modified-Since", "{modified}", 304),
        ("If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT", 200),
    ],
)
async def test_conditional_get(
    inbox_server: InboxServer,
    session: aiohttp.ClientSession,
    header: str,
    value: str,
    status: int,
) -> None:
    async with session.get(f"{inbox_server.url}/feed.json") as first:
        etag, modified = first.headers["ETag"], first.headers["Last-Modified"]

    headers = {header: value.format(etag=etag, modified=modified)}
    async with session.get(f"{inbox_server.url}/feed.json", headers=headers) as again:
        assert again.status == status
        body = await again.read()
    assert (body == b"") == (status == 304)


async def test_if_none_match_wins_over_if_modified_since(
    inbox_server: InboxServer, session: aiohttp.ClientSession
) -> None:
    async with session.get(f"{inbox_server.url}/feed.json") as first:
        modified = first.headers["Last-Modified"]
    headers = {"If-None-Match": '"stale"', "If-Modified-Since": modified}

    async with session.get(f"{inbox_server.url}/feed.json", headers=headers) as again:
        assert again.status == 200


async def test_feed_is_reloaded_after_re_signing(
    inbox_server: InboxServer,
    signed_feed: Workspace,
    session: aiohttp.ClientSession,
    cli: Cli,
) -> None:
    async with session.get(f"{inbox_server.url}/feed.json") as first:
        old_etag = first.headers["ETag"]
    result = cli(
        "sign", "--key", signed_feed.key, "--publisher", signed_feed.publisher,
        signed_feed.request("req-new"), "--out", signed_feed.feed,
    )  # fmt: skip
    assert result.code == 0

    headers = {"If-None-Match": old_etag}
    async with session.get(f"{inbox_server.url}/feed.json", headers=headers) as again:
        assert again.status == 200
        document = json.loads(await again.read())
        assert again.headers["ETag"] != old_etag
    assert document == json.loads(signed_feed.feed.read_text())
    assert "req-new" in inbox_server.feed.current().requests


def test_a_broken_rewrite_keeps_the_previous_feed(
    signed_feed: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    feed = FeedFile(signed_feed.feed)
    good = feed.current()

    signed_feed.feed.write_text("{half a feed")
    kept = feed.current()
    signed_feed.feed.unlink()
    still = feed.current()

    assert kept is good
    assert still is good
    assert "Keeping the previous feed" in caplog.text


def test_a_feed_that_never_loaded_is_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "feed.json"
    broken.write_text("{}")

    with pytest.raises(PublisherError, match="crf: is required"):
        FeedFile(broken).current()
    with pytest.raises(PublisherError, match="cannot read"):
        FeedFile(tmp_path / "absent.json").current()


@pytest.mark.parametrize(
    ("upload_url", "allow", "ok"),
    [
        ("https://feeds.example.org/upload/req-a", False, True),
        ("http://127.0.0.1:8080/upload/req-a", False, False),
        ("http://127.0.0.1:8080/upload/req-a", True, True),
        ("http://localhost:8080/upload/req-a", True, True),
        ("http://[::1]:8080/upload/req-a", True, True),
        ("http://feeds.example.org/upload/req-a", True, False),
    ],
)
def test_upload_urls_must_be_https_unless_loopback_is_allowed(
    workspace: Workspace, cli: Cli, upload_url: str, allow: bool, ok: bool
) -> None:
    request = workspace.request("req-a", response={"upload_url": upload_url})
    cli("sign", "--key", workspace.key, "--publisher", workspace.publisher, request,
        "--out", workspace.feed)  # fmt: skip
    feed = FeedFile(workspace.feed, allow_loopback_upload=allow)

    if ok:
        assert set(feed.current().requests) == {"req-a"}
    else:
        with pytest.raises(PublisherError, match=r"req-a: upload_url .* is not https"):
            feed.current()


async def test_serve_runs_until_stopped(
    signed_feed: Workspace, session: aiohttp.ClientSession
) -> None:
    stop = asyncio.Event()
    ready: asyncio.Future[str] = asyncio.get_running_loop().create_future()
    config = ServeConfig(signed_feed.feed, signed_feed.root / "inbox", port=0)
    task = asyncio.create_task(serve(config, stop=stop, ready=ready.set_result))

    url = await asyncio.wait_for(ready, timeout=10)
    async with session.get(f"{url}/feed.json") as response:
        assert response.status == 200
        assert await response.read() == signed_feed.feed.read_bytes()
    token = (signed_feed.root / "inbox" / ADMIN_TOKEN_FILE).read_text().strip()
    async with session.get(
        f"{url}/inbox", headers={"Authorization": f"Bearer {token}"}
    ) as response:
        assert await response.json() == []
    stop.set()
    await asyncio.wait_for(task, timeout=10)

    with pytest.raises(aiohttp.ClientConnectionError):
        await session.get(f"{url}/feed.json")


async def test_serve_reports_a_busy_port(signed_feed: Workspace) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        config = ServeConfig(signed_feed.feed, signed_feed.root / "inbox", port=port)

        with pytest.raises(PublisherError, match=f"cannot listen on 127.0.0.1:{port}"):
            await serve(config, stop=asyncio.Event(), ready=lambda url: None)


def test_last_modified_is_the_file_time(signed_feed: Workspace) -> None:
    snapshot = FeedFile(signed_feed.feed).current()
    mtime = signed_feed.feed.stat().st_mtime

    assert abs(snapshot.last_modified.timestamp() - mtime) < 1
    assert snapshot.last_modified.utcoffset() == timedelta(0)


def test_serve_makes_an_admin_token_once_and_keeps_it(signed_feed: Workspace) -> None:
    """The listing's token: random, private to the publisher's user, stable."""
    path = signed_feed.root / "keys" / "admin-token"

    first = admin_token(path)
    again = admin_token(path)

    assert first == again
    assert len(first) >= 40
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert admin_token(signed_feed.root / "other-token") != first


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("short\n", "must be at least 16 characters without spaces"),
        ("a token with spaces in it\n", "must be at least 16 characters"),
        (b"\xff\xfe" * 20, "not UTF-8 text"),
    ],
)
def test_a_bad_admin_token_file_is_refused(
    tmp_path: Path, content: str | bytes, problem: str
) -> None:
    path = tmp_path / "token"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content)
    with pytest.raises(PublisherError, match=problem):
        admin_token(path)


def test_an_admin_token_that_cannot_be_read_or_written_is_refused(
    tmp_path: Path,
) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("x")
    with pytest.raises(PublisherError, match="cannot read the admin token"):
        admin_token(blocked / "token")
    # /proc takes no new folders, not even from root.
    with pytest.raises(PublisherError, match="cannot write the admin token"):
        admin_token(Path("/proc/neighborhood-requests-test/token"))


def test_create_app_refuses_a_guessable_admin_token(signed_feed: Workspace) -> None:
    with pytest.raises(PublisherError, match="at least 16 characters"):
        create_app(
            FeedFile(signed_feed.feed),
            Inbox(signed_feed.root / "inbox"),
            admin_token="admin",
        )


def test_serve_reads_the_admin_token_from_the_file_given(
    signed_feed: Workspace, cli: Cli
) -> None:
    """`--admin-token-file` that cannot be used ends serve with one line, exit 1."""
    result = cli(
        "serve", "--feed", signed_feed.feed, "--inbox", signed_feed.root / "inbox",
        "--port", "0", "--admin-token-file", signed_feed.feed,
    )  # fmt: skip

    assert result.code == 1
    assert "admin token" in result.err
    assert len(result.err.strip().splitlines()) == 1
