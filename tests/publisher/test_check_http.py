"""`check` over HTTP: the size cap holds while streaming; failures are one line."""

from __future__ import annotations

import asyncio
import socket

from aiohttp import web

from .conftest import AsyncCli, ServeApp, Workspace


async def test_check_fetches_a_feed_over_http(
    signed_feed: Workspace, acli: AsyncCli, serve_app: ServeApp
) -> None:
    body = signed_feed.feed.read_bytes()

    async def feed(request: web.Request) -> web.Response:
        assert "application/json" in request.headers["Accept"]
        return web.Response(body=body, content_type="application/json")

    app = web.Application()
    app.router.add_get("/feed.json", feed)
    url = await serve_app(app)

    result = await acli("check", f"{url}/feed.json")

    assert result.code == 0, result.err
    assert "ACCEPT req-a rev 1" in result.out


async def test_check_stops_reading_an_endless_feed(
    acli: AsyncCli, serve_app: ServeApp
) -> None:
    sent = 0
    finished = asyncio.Event()

    async def endless(request: web.Request) -> web.StreamResponse:
        nonlocal sent
        response = web.StreamResponse()
        response.content_type = "application/json"
        await response.prepare(request)
        chunk = b" " * 65536
        try:
            while True:
                await response.write(chunk)
                sent += len(chunk)
        except ConnectionError:
            return response
        finally:
            finished.set()

    app = web.Application()
    app.router.add_get("/feed.json", endless)
    url = await serve_app(app)

    result = await acli("check", f"{url}/feed.json", "--max-bytes", "200000")

    assert result.code == 1
    assert "feed larger than 200000 bytes" in result.err
    # The client hung up: the otherwise endless handler ends, having sent no more
    # than the cap plus what the kernel's socket buffers absorbed.
    await asyncio.wait_for(finished.wait(), timeout=30)
    assert sent < 200_000 + 32 * 1024 * 1024


async def test_check_refuses_an_announced_oversize_feed(
    acli: AsyncCli, serve_app: ServeApp
) -> None:
    async def big(request: web.Request) -> web.Response:
        return web.Response(body=b" " * 5000, content_type="application/json")

    app = web.Application()
    app.router.add_get("/feed.json", big)
    url = await serve_app(app)

    result = await acli("check", f"{url}/feed.json", "--max-bytes", "1000")

    assert result.code == 1
    assert "feed larger than 1000 bytes (Content-Length 5000)" in result.err


async def test_check_reports_an_http_error(acli: AsyncCli, serve_app: ServeApp) -> None:
    url = await serve_app(web.Application())

    result = await acli("check", f"{url}/feed.json")

    assert result.code == 1
    assert result.err.strip().endswith(f"{url}/feed.json: HTTP 404 Not Found")


async def test_check_reports_a_refused_connection(acli: AsyncCli) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    # Nothing listens on `port` now.

    result = await acli("check", f"http://127.0.0.1:{port}/feed.json")

    assert result.code == 1
    assert f"cannot fetch http://127.0.0.1:{port}/feed.json: " in result.err
    assert len(result.err.strip().splitlines()) == 1


async def test_check_gives_up_on_a_silent_server(
    acli: AsyncCli, serve_app: ServeApp
) -> None:
    release = asyncio.Event()

    async def silent(request: web.Request) -> web.Response:
        await release.wait()
        return web.Response(text="{}")

    app = web.Application()
    app.router.add_get("/feed.json", silent)
    url = await serve_app(app)

    result = await acli("check", f"{url}/feed.json", "--timeout", "0.2")
    release.set()

    assert result.code == 1
    assert "timed out after 0.2 s" in result.err
