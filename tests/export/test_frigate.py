"""The Frigate backend against a stand-in speaking Frigate's real paths."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
import pytest

from custom_components.neighborhood_requests.export.frigate import (
    FrigateAuthError,
    FrigateClient,
)
from custom_components.neighborhood_requests.export.remux import Layout
from custom_components.neighborhood_requests.export.result import (
    ExportError,
    NoFootageError,
)

from .footage import (
    FFMPEG,
    Assets,
    codec_types,
    names,
    probe,
    sha256_of,
    top_level_boxes,
)
from .frigate_standin import FrigateStandIn, Recording

START = datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC)  # 1700000000.5
END = START + timedelta(seconds=9.7)
CREDENTIALS = ("admin", "s3cret")


@pytest.fixture
async def session() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as client:
        yield client


def recording(clip: Path) -> Recording:
    return Recording(clip, START.timestamp() - 60, END.timestamp() + 60)


def client(
    session: aiohttp.ClientSession,
    frigate: FrigateStandIn,
    *,
    login: bool = False,
    layout: Layout = "fragmented",
) -> FrigateClient:
    user, password = CREDENTIALS if login else (None, None)
    return FrigateClient(
        session,
        frigate.url + "/",
        ffmpeg=FFMPEG,
        username=user,
        password=password,
        layout=layout,
    )


async def test_clip_streamed_and_hashed_as_served(
    assets: Assets, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with FrigateStandIn(
        {"front_door": recording(assets.clip_faststart)}
    ) as frigate:
        destination = tmp_path / "clip.mp4"
        result = await client(session, frigate).export_clip(
            "front_door", START, END, destination
        )
    # Whole seconds, rounded outward.
    assert frigate.requests == [
        "/api/front_door/start/1700000000/end/1700000011/clip.mp4"
    ]
    assert destination.read_bytes() == assets.clip_faststart.read_bytes()
    assert result.sha256 == sha256_of(destination)
    assert result.bytes == destination.stat().st_size
    assert (result.start, result.end, result.missing) == (START, END, ())
    assert [(f.start, f.codec, f.width, f.height) for f in result.formats] == [
        (START, "h264", 320, 240)
    ]
    assert names(tmp_path) == ["clip.mp4"]


@pytest.mark.parametrize("layout", ["fragmented", "faststart"])
async def test_audio_stripped_unless_included(
    assets: Assets, session: aiohttp.ClientSession, tmp_path: Path, layout: Layout
) -> None:
    async with FrigateStandIn({"yard": recording(assets.clip_with_audio)}) as frigate:
        frigate_client = client(session, frigate, layout=layout)
        silent = await frigate_client.export_clip(
            "yard", START, END, tmp_path / "a.mp4"
        )
        loud = await frigate_client.export_clip(
            "yard", START, END, tmp_path / "b.mp4", include_audio=True
        )
    assert codec_types(await probe(silent.path)) == ["video"]
    assert silent.sha256 == sha256_of(silent.path)
    assert codec_types(await probe(loud.path)) == ["video", "audio"]
    assert loud.path.read_bytes() == assets.clip_with_audio.read_bytes()


async def test_index_moved_to_front(
    assets: Assets, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with FrigateStandIn({"yard": recording(assets.clip_moov_last)}) as frigate:
        result = await client(session, frigate).export_clip(
            "yard", START, END, tmp_path / "c.mp4"
        )
    boxes = top_level_boxes(result.path)
    assert boxes.index("moov") < boxes.index("mdat")
    assert result.sha256 == sha256_of(result.path)


async def test_no_recordings(
    assets: Assets, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with FrigateStandIn({"yard": recording(assets.clip_faststart)}) as frigate:
        frigate_client = client(session, frigate)
        with pytest.raises(NoFootageError, match="no footage between"):
            await frigate_client.export_clip(
                "yard",
                START + timedelta(days=1),
                END + timedelta(days=1),
                tmp_path / "x.mp4",
            )
        with pytest.raises(NoFootageError):
            await frigate_client.export_clip("garage", START, END, tmp_path / "x.mp4")
    assert names(tmp_path) == []


async def test_login_then_bearer_token(
    assets: Assets, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with FrigateStandIn(
        {"yard": recording(assets.clip_faststart)}, credentials=CREDENTIALS
    ) as frigate:
        frigate_client = client(session, frigate, login=True)
        await frigate_client.export_clip("yard", START, END, tmp_path / "a.mp4")
        await frigate_client.export_clip("yard", START, END, tmp_path / "b.mp4")
        assert frigate.requests.count("/api/login") == 1
        # The token expires: one fresh login, then the clip.
        frigate.tokens.clear()
        await frigate_client.export_clip("yard", START, END, tmp_path / "c.mp4")
        assert frigate.requests.count("/api/login") == 2
    assert (tmp_path / "c.mp4").read_bytes() == assets.clip_faststart.read_bytes()


async def test_authentication_failures(
    assets: Assets, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with FrigateStandIn(
        {"yard": recording(assets.clip_faststart)}, credentials=CREDENTIALS
    ) as frigate:
        with pytest.raises(FrigateAuthError, match="HTTP 401"):
            await client(session, frigate).export_clip(
                "yard", START, END, tmp_path / "a.mp4"
            )
        wrong = FrigateClient(
            session, frigate.url, ffmpeg=FFMPEG, username="admin", password="nope"
        )
        with pytest.raises(FrigateAuthError, match="refused the login"):
            await wrong.export_clip("yard", START, END, tmp_path / "a.mp4")
        with pytest.raises(FrigateAuthError, match="none is configured"):
            await client(session, frigate).login()
        frigate.login_without_cookie = True
        with pytest.raises(FrigateAuthError, match="refused the login"):
            await client(session, frigate, login=True).login()
    assert names(tmp_path) == []


async def test_refused_even_after_fresh_login(
    assets: Assets, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with FrigateStandIn(
        {"yard": recording(assets.clip_faststart)}, credentials=CREDENTIALS
    ) as frigate:
        frigate_client = client(session, frigate, login=True)
        await frigate_client.login()
        frigate.tokens.clear()
        frigate.forget_tokens = True  # Frigate keeps refusing fresh tokens too
        with pytest.raises(FrigateAuthError, match="refused access"):
            await frigate_client.export_clip("yard", START, END, tmp_path / "a.mp4")
        assert frigate.requests.count("/api/login") == 2


async def test_other_refusals_and_bad_bodies(
    assets: Assets, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with FrigateStandIn({"yard": recording(assets.clip_faststart)}) as frigate:
        frigate_client = client(session, frigate)
        frigate.body_override = b"<html>not a video</html>"
        with pytest.raises(ExportError, match="not a complete MP4"):
            await frigate_client.export_clip("yard", START, END, tmp_path / "a.mp4")
        with pytest.raises(ExportError, match="is not after its start"):
            await frigate_client.export_clip("yard", END, START, tmp_path / "a.mp4")
    assert names(tmp_path) == []


async def test_error_messages_from_frigate(
    session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    from aiohttp import web

    async def handler(request: web.Request) -> web.Response:
        camera = request.match_info["camera"]
        if camera == "json":
            return web.json_response(
                {"success": False, "message": "Camera disabled"}, status=400
            )
        if camera == "list":
            return web.json_response(["odd"], status=404)
        return web.Response(status=500, text="Internal Server Error")

    app = web.Application()
    app.router.add_get("/api/{camera}/start/{s}/end/{e}/clip.mp4", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    frigate_client = FrigateClient(session, f"http://127.0.0.1:{port}", ffmpeg=FFMPEG)
    try:
        with pytest.raises(ExportError, match="HTTP 400: Camera disabled"):
            await frigate_client.export_clip("json", START, END, tmp_path / "a.mp4")
        with pytest.raises(ExportError, match=r"HTTP 404: \[\"odd\"\]"):
            await frigate_client.export_clip("list", START, END, tmp_path / "a.mp4")
        with pytest.raises(ExportError, match="HTTP 500: Internal Server Error"):
            await frigate_client.export_clip("other", START, END, tmp_path / "a.mp4")
    finally:
        await runner.cleanup()


async def test_connection_failures(
    assets: Assets, session: aiohttp.ClientSession, tmp_path: Path
) -> None:
    async with FrigateStandIn({"yard": recording(assets.clip_faststart)}) as frigate:
        frigate.reset_mid_body = True
        with pytest.raises(ExportError, match="cannot reach Frigate"):
            await client(session, frigate).export_clip(
                "yard", START, END, tmp_path / "a.mp4"
            )
        url = frigate.url
    assert names(tmp_path) == []
    gone = FrigateClient(session, url, ffmpeg=FFMPEG, username="u", password="p")
    with pytest.raises(ExportError, match="cannot reach Frigate"):
        await gone.login()
    with pytest.raises(ExportError, match="cannot reach Frigate"):
        await FrigateClient(session, url, ffmpeg=FFMPEG).export_clip(
            "yard", START, END, tmp_path / "a.mp4"
        )
