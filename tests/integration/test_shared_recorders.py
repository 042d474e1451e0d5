"""One recorder per camera, however many entries (publishers) link it.

Two real entries, set up through the config flow against two publishers, link
the same camera; Home Assistant and ffmpeg run for real.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
import os

from aiohttp import web
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.neighborhood_requests.footage.recorders import Recorders
from tests.export.footage import Assets, lay_out, make_assets, names
from tests.export.stream_source import StreamSource
from tests.protocol.factories import (
    OTHER_JWK,
    OTHER_KEY,
    OTHER_KID,
    make_feed,
    make_publisher,
)

from .conftest import FeedServer, add_entry, request_now
from .recording_helpers import (
    StreamCamera,
    add_cameras,
    footage_of,
    issue,
    recording_of,
    until,
)


@pytest.fixture(scope="module")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Assets:
    return make_assets(tmp_path_factory.mktemp("footage"))


@pytest.fixture
async def stream(assets: Assets, socket_enabled: None) -> AsyncIterator[StreamSource]:
    source = StreamSource(assets.stream_ts)
    await source.start()
    yield source
    await source.stop()


@pytest.fixture
async def second_feed(socket_enabled: None) -> AsyncIterator[FeedServer]:
    """Another publisher (its own id and key) on 127.0.0.1."""
    server = FeedServer()
    publisher = make_publisher(id="naugatuck-watch", keys=[OTHER_JWK])
    server.serve(
        make_feed([request_now()], key=OTHER_KEY, kid=OTHER_KID, publisher=publisher)
    )
    app = web.Application()
    app.router.add_get("/feed.json", server.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    server.url = f"http://127.0.0.1:{port}/feed.json"
    yield server
    await runner.cleanup()


def running(pid: int | None) -> bool:
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


@pytest.mark.usefixtures("home")
async def test_two_entries_share_one_recorder(
    hass: HomeAssistant,
    feed_server: FeedServer,
    second_feed: FeedServer,
    stream: StreamSource,
) -> None:
    """Both entries see the same recorder: one ffmpeg writes the folder, and it
    keeps recording until the last entry linking the camera unloads."""
    await add_cameras(hass, StreamCamera("Porch", stream.url))
    first = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    second = await add_entry(hass, second_feed.url, cameras=["camera.porch"])
    assert first.entry_id != second.entry_id
    porch = recording_of(first, "camera.porch")
    assert recording_of(second, "camera.porch") is porch
    await until(porch, lambda r: r.recording)
    pid = porch.recorder.pid
    assert running(pid)
    assert list(Recorders.of(hass).cameras) == ["camera.porch"]
    ffmpegs = [p for p in os.listdir("/proc") if p.isdigit() and _is_recorder(p, porch)]
    assert ffmpegs == [str(pid)]

    assert await hass.config_entries.async_unload(first.entry_id)
    assert porch.recorder.pid == pid  # the other entry still links it
    assert porch.recording

    assert await hass.config_entries.async_unload(second.entry_id)
    assert not running(pid)
    assert not porch.recording
    assert Recorders.of(hass).cameras == {}
    assert issue(hass, "stream_down", "camera.porch") is None


def _is_recorder(pid: str, porch: object) -> bool:
    """Whether process `pid` is an ffmpeg writing into the porch's folder."""
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            command = handle.read().split(b"\0")
    except OSError:
        return False
    folder = str(porch.directory).encode()  # type: ignore[attr-defined]
    return any(b"ffmpeg" in part for part in command[:4]) and any(
        part.startswith(folder) for part in command
    )


@pytest.mark.usefixtures("home")
async def test_pruning_keeps_what_any_entry_keeps_and_what_any_export_reads(
    hass: HomeAssistant,
    feed_server: FeedServer,
    second_feed: FeedServer,
    assets: Assets,
) -> None:
    """The longest retention any linking entry asks wins; a segment one entry is
    exporting survives the pruning that follows the other entry's limits."""
    first = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    await _keep(hass, first, hours=1)
    second = await add_entry(hass, second_feed.url, cameras=["camera.porch"])
    directory = recording_of(first, "camera.porch").directory
    now = dt_util.utcnow().replace(microsecond=0)
    old = lay_out(assets, directory, now - timedelta(hours=3))
    recent = lay_out(assets, directory, now - timedelta(minutes=5))

    await _tick(hass, 61)
    assert names(directory) == sorted(p.name for p in [*old, *recent])  # 48 h

    # Now both keep an hour, while the second entry exports the oldest segment
    # (its exporter leases through its own footage: the home's one lease set).
    await _keep(hass, second, hours=1)
    with footage_of(second).leases.hold([old[0]]):
        await _tick(hass, 122)
        assert names(directory) == sorted([old[0].name, *(p.name for p in recent)])
    await _tick(hass, 183)
    assert names(directory) == sorted(p.name for p in recent)


async def _keep(hass: HomeAssistant, entry: ConfigEntry, *, hours: int) -> None:
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "retention_hours": hours}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def _tick(hass: HomeAssistant, seconds: int) -> None:
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=seconds))
    await hass.async_block_till_done(wait_background_tasks=True)
