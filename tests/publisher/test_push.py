"""`push`: the feed goes to a home's webhook unchanged; a failure is one clear line."""

from __future__ import annotations

import asyncio
from pathlib import Path
import socket

from aiohttp import web

from .conftest import AsyncCli, ServeApp, Workspace


async def test_push_posts_the_feed_bytes(
    signed_feed: Workspace, acli: AsyncCli, serve_app: ServeApp
) -> None:
    received: list[tuple[str, bytes]] = []

    async def webhook(request: web.Request) -> web.Response:
        received.append((request.content_type, await request.read()))
        return web.Response(status=200)

    app = web.Application()
    app.router.add_post("/api/webhook/abc", webhook)
    url = f"{await serve_app(app)}/api/webhook/abc"

    result = await acli("push", "--feed", signed_feed.feed, "--webhook", url)

    assert result.code == 0, result.err
    body = signed_feed.feed.read_bytes()
    assert result.out.strip() == f"pushed {len(body)} bytes to {url}: HTTP 200 OK"
    assert received == [("application/json", body)]


async def test_push_fails_on_a_non_2xx_answer(
    signed_feed: Workspace, acli: AsyncCli, serve_app: ServeApp
) -> None:
    url = f"{await serve_app(web.Application())}/api/webhook/abc"

    result = await acli("push", "--feed", signed_feed.feed, "--webhook", url)

    assert result.code == 1
    assert result.err.strip().endswith(f"push to {url} failed: HTTP 404 Not Found")


async def test_push_reports_a_refused_connection(
    signed_feed: Workspace, acli: AsyncCli
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}/hook"

    result = await acli("push", "--feed", signed_feed.feed, "--webhook", url)

    assert result.code == 1
    assert f"push to {url} failed: " in result.err
    assert len(result.err.strip().splitlines()) == 1


async def test_push_gives_up_on_a_silent_webhook(
    signed_feed: Workspace, acli: AsyncCli, serve_app: ServeApp
) -> None:
    release = asyncio.Event()

    async def silent(request: web.Request) -> web.Response:
        await release.wait()
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", silent)
    url = f"{await serve_app(app)}/hook"

    result = await acli(
        "push", "--feed", signed_feed.feed, "--webhook", url, "--timeout", "0.2"
    )
    release.set()

    assert result.code == 1
    assert "timed out after 0.2 s" in result.err


async def test_push_refuses_an_invalid_feed(tmp_path: Path, acli: AsyncCli) -> None:
    feed = tmp_path / "feed.json"
    feed.write_text('{"crf": "1"}')

    result = await acli("push", "--feed", feed, "--webhook", "http://127.0.0.1:9/x")

    assert result.code == 1
    assert "not a valid feed: publisher: is required" in result.err
