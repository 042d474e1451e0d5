"""The built-in recorder inside a real Home Assistant, with real ffmpeg.

A test camera entity hands out the URL of a live MPEG-TS stream on 127.0.0.1; the
integration records it, exports windows of it and shows its health.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
import hashlib
import os
from pathlib import Path
from typing import Any

from homeassistant.auth.models import User
from homeassistant.components.ffmpeg import DATA_FFMPEG, FFmpegManager
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import EVENT_HOMEASSISTANT_STOP, STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest
from pytest_homeassistant_custom_component.common import async_fire_time_changed

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.export.recorder import NO_SOURCE
from custom_components.neighborhood_requests.export.result import (
    ExportError,
    NoFootageError,
)
from custom_components.neighborhood_requests.export.segments import (
    parse_segment_name,
    segment_name,
)
from custom_components.neighborhood_requests.footage import (
    recorders as recorders_module,
    recording as footage_module,
)
from custom_components.neighborhood_requests.footage.preview import PREVIEWS
from custom_components.neighborhood_requests.protocol.model import Request, Window
from tests.export.footage import (
    FFMPEG,
    Assets,
    codec_types,
    lay_out,
    make_assets,
    names,
    probe,
    run,
)
from tests.export.rtsp_server import RtspCamera
from tests.export.stream_source import StreamSource

from .conftest import FeedServer, add_entry
from .options_helpers import answer, choose, open_options, save
from .recording_helpers import (
    StreamCamera,
    add_cameras,
    finished_segments,
    footage_of,
    issue,
    recording_of,
    sensor,
    until,
)

type ClientFactory = Callable[..., Awaitable[Any]]


@pytest.fixture(scope="session")
def assets(tmp_path_factory: pytest.TempPathFactory) -> Assets:
    """Footage generated once for the session."""
    return make_assets(tmp_path_factory.mktemp("footage"))


@pytest.fixture
async def stream(assets: Assets, socket_enabled: None) -> AsyncIterator[StreamSource]:
    """A live camera stream on 127.0.0.1."""
    source = StreamSource(assets.stream_ts)
    await source.start()
    yield source
    await source.stop()


@pytest.fixture(autouse=True)
def short_segments(monkeypatch: pytest.MonkeyPatch) -> None:
    """1 s segments, so a test sees finished ones within seconds."""
    monkeypatch.setattr(footage_module, "SEGMENT_LENGTH", 1)


def the_request(entry: ConfigEntry) -> Request:
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.request is not None
    request: Request = record.request
    return request


def scatter(folder: Path, *names: str) -> None:
    """Files that are not finished previews (a temporary file, something else)."""
    for name in names:
        (folder / name).write_bytes(b"x")


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


async def test_records_exports_and_previews(  # noqa: PLR0917 - fixtures
    hass: HomeAssistant,
    feed_server: FeedServer,
    home: tuple[float, float],
    stream: StreamSource,
    hass_client: ClientFactory,
    hass_ws_client: ClientFactory,
    hass_admin_user: User,
) -> None:
    """Stream in, segments on disk, sensor on, a real MP4 out, a browsable preview."""
    await add_cameras(
        hass, StreamCamera("Porch", stream.url), StreamCamera("Hall", None)
    )
    entry = await add_entry(
        hass, feed_server.url, cameras=["camera.porch", "camera.hall"]
    )
    porch = recording_of(entry, "camera.porch")
    await until(porch, lambda r: r.recording)
    state = sensor(hass, entry, "camera.porch")
    assert state.state == STATE_ON
    assert state.attributes["friendly_name"].endswith("Porch recording")
    assert state.attributes["last_error"] is None
    assert state.attributes["device_class"] == "running"

    directory = Path(hass.config.path(DOMAIN, "recordings", "porch"))
    assert porch.directory == directory
    segments = await finished_segments(directory, 3)
    first_named = parse_segment_name(segments[0].name)
    last_named = parse_segment_name(segments[-1].name)
    assert first_named is not None
    assert last_named is not None
    first, last = first_named[0], last_named[0]
    request = replace(the_request(entry), window=Window(first, last))

    exporter = entry.runtime_data.exporter
    assert exporter is not None
    clip = await exporter.export(request, "camera.porch", False, preview=False)
    assert clip.path.parent == Path(hass.config.path(DOMAIN, "exports"))
    assert clip.path.name == (
        f"{request.id}_porch_{first.strftime('%Y%m%dT%H%M%SZ')}.mp4"
    )
    data = clip.path.read_bytes()
    assert clip.sha256 == hashlib.sha256(data).hexdigest()
    assert clip.bytes == len(data)
    assert codec_types(await probe(clip.path)) == ["video"]  # audio left out

    preview = await exporter.export(request, "camera.porch", True, preview=True)
    assert preview.path.parent == Path(hass.config.path(DOMAIN, "previews"))
    assert preview.path.name.startswith(f"{request.id}_porch_")  # one file each
    assert codec_types(await probe(preview.path)) == ["video", "audio"]
    # Handed out as the preview action does, to the person who asked for it.
    token = hass.data[PREVIEWS].add(
        preview.path,
        entry_id=entry.entry_id,
        owner=hass_admin_user.id,
        title="Porch preview",
    )
    await hass.async_add_executor_job(
        scatter, preview.path.parent, ".partial.mp4", "notes.txt"
    )
    ws = await hass_ws_client(hass)
    browse = {"type": "media_source/browse_media"}
    await ws.send_json_auto_id(
        browse | {"media_content_id": f"media-source://{DOMAIN}"}
    )
    [child] = (await ws.receive_json())["result"]["children"]
    assert child["title"] == "Porch preview"  # neither the temporary file nor the text
    assert child["can_play"]
    assert child["media_content_id"] == f"media-source://{DOMAIN}/{token}"
    await ws.send_json_auto_id(
        {
            "type": "media_source/resolve_media",
            "media_content_id": child["media_content_id"],
        }
    )
    play = (await ws.receive_json())["result"]
    client = await hass_client()
    response = await client.get(play["url"])
    assert response.status == 200
    assert await response.read() == preview.path.read_bytes()

    hall = sensor(hass, entry, "camera.hall")
    assert hall.state == STATE_OFF
    assert hall.attributes["last_error"] == NO_SOURCE
    assert issue(hass, "no_stream_source", "camera.hall") is not None

    pid = porch.recorder.pid
    assert pid is not None
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert gone(pid)
    assert porch.recorder.pid is None
    # A camera unlinked while unloaded must not keep a repair nobody can clear.
    assert issue(hass, "no_stream_source", "camera.hall") is None


async def test_window_without_footage_fails_before_anything_is_sent(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> None:
    """The request's window predates every recording: a clear error, no file."""
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    exporter = entry.runtime_data.exporter
    assert exporter is not None
    with pytest.raises(NoFootageError):
        await exporter.export(the_request(entry), "camera.porch", False, preview=False)
    with pytest.raises(ExportError, match="does not share"):
        await exporter.export(the_request(entry), "camera.other", False, preview=False)
    assert names(Path(hass.config.path(DOMAIN, "exports"))) == []


async def test_laid_out_window_exports_with_missing_parts(
    hass: HomeAssistant,
    feed_server: FeedServer,
    home: tuple[float, float],
    assets: Assets,
) -> None:
    """Footage that covers only part of the window is exported, the gap named."""
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    request = the_request(entry)
    start = request.window.start
    lay_out(assets, recording_of(entry, "camera.porch").directory, start)
    exporter = entry.runtime_data.exporter
    assert exporter is not None
    clip = await exporter.export(request, "camera.porch", False, preview=False)
    assert clip.sha256 == hashlib.sha256(clip.path.read_bytes()).hexdigest()
    assert clip.missing
    assert clip.missing[-1].end == request.window.end
    assert clip.missing[-1].reason == "no_footage"  # laid out, never recorded


async def test_camera_without_stream_source_starts_when_it_appears(
    hass: HomeAssistant,
    feed_server: FeedServer,
    home: tuple[float, float],
    stream: StreamSource,
) -> None:
    """No camera entity yet: a repair and an off sensor, no crash; then it records."""
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    assert entry.state is ConfigEntryState.LOADED
    porch = recording_of(entry, "camera.porch")
    assert issue(hass, "no_stream_source", "camera.porch") is not None
    state = sensor(hass, entry, "camera.porch")
    assert state.state == STATE_OFF
    assert state.attributes["last_error"] == NO_SOURCE
    assert state.attributes["down_since"] is not None

    await add_cameras(hass, StreamCamera("Porch", stream.url))
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=61))
    await until(porch, lambda r: r.recording)
    await hass.async_block_till_done()
    assert issue(hass, "no_stream_source", "camera.porch") is None
    assert sensor(hass, entry, "camera.porch").state == STATE_ON
    # The next minute's check finds it healthy: nothing to flag.
    await footage_of(entry).hub._async_tick(dt_util.utcnow())
    assert issue(hass, "stream_down", "camera.porch") is None


async def test_ffmpeg_missing_raises_a_repair_until_it_appears(
    hass: HomeAssistant,
    feed_server: FeedServer,
    home: tuple[float, float],
    stream: StreamSource,
    tmp_path: Path,
) -> None:
    """HA's ffmpeg integration points at a binary that does not exist."""
    missing = tmp_path / "no-such-ffmpeg"
    assert await async_setup_component(
        hass, "ffmpeg", {"ffmpeg": {"ffmpeg_bin": str(missing)}}
    )
    await add_cameras(hass, StreamCamera("Porch", stream.url))
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    found = issue(hass, "ffmpeg_missing")
    assert found is not None
    assert found.translation_placeholders == {"binary": str(missing)}
    state = sensor(hass, entry, "camera.porch")
    assert state.state == STATE_OFF
    assert state.attributes["last_error"] == footage_module.NO_FFMPEG
    exporter = entry.runtime_data.exporter
    assert exporter is not None
    with pytest.raises(ExportError, match="ffmpeg"):
        await exporter.export(the_request(entry), "camera.porch", False, preview=False)

    # The owner fixes the ffmpeg integration; the next tick picks it up.
    hass.data[DATA_FFMPEG] = FFmpegManager(hass, FFMPEG)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=61))
    porch = recording_of(entry, "camera.porch")
    await until(porch, lambda r: r.recording)
    await hass.async_block_till_done()
    assert issue(hass, "ffmpeg_missing") is None
    assert sensor(hass, entry, "camera.porch").state == STATE_ON


async def test_stream_that_never_connects(
    hass: HomeAssistant,
    feed_server: FeedServer,
    home: tuple[float, float],
    stream: StreamSource,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Connected but silent: the sensor stays off, a repair after the grace time."""
    monkeypatch.setattr(recorders_module, "STALL_TIMEOUT", 8.0)
    monkeypatch.setattr(recorders_module, "BACKOFF_MAX", 1.0)
    stream.hang = True
    await add_cameras(hass, StreamCamera("Porch", stream.url))
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    porch = recording_of(entry, "camera.porch")
    # The probe gives up on a silent stream after ffmpeg's socket timeout.
    await until(porch, lambda r: r.last_error is not None)
    state = sensor(hass, entry, "camera.porch")
    assert state.state == STATE_OFF
    assert state.attributes["last_error"] == porch.last_error
    assert state.attributes["down_since"] is not None

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=61))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert issue(hass, "stream_down", "camera.porch") is None  # < 1 h

    monkeypatch.setattr(recorders_module, "STREAM_DOWN_AFTER", timedelta(0))
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=122))
    await hass.async_block_till_done(wait_background_tasks=True)
    down = issue(hass, "stream_down", "camera.porch")
    assert down is not None
    assert down.translation_placeholders is not None
    assert down.translation_placeholders["camera"] == "camera.porch"

    stream.hang = False  # the camera comes back
    await until(porch, lambda r: r.recording)
    await hass.async_block_till_done()
    assert issue(hass, "stream_down", "camera.porch") is None
    assert sensor(hass, entry, "camera.porch").state == STATE_ON


async def test_home_assistant_stop_leaves_no_ffmpeg(
    hass: HomeAssistant,
    feed_server: FeedServer,
    home: tuple[float, float],
    stream: StreamSource,
) -> None:
    """HA does not unload entries when it stops; the stop event ends ffmpeg."""
    await add_cameras(hass, StreamCamera("Porch", stream.url))
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    porch = recording_of(entry, "camera.porch")
    await until(porch, lambda r: r.recording)
    pid = porch.recorder.pid
    assert pid is not None
    hass.bus.async_fire(EVENT_HOMEASSISTANT_STOP)
    await hass.async_block_till_done()
    assert gone(pid)
    assert not porch.recording
    # Unloading afterwards is harmless: the one-time listener is already gone.
    assert await hass.config_entries.async_unload(entry.entry_id)


async def test_timer_prunes_by_retention_and_budget(
    hass: HomeAssistant,
    feed_server: FeedServer,
    home: tuple[float, float],
    assets: Assets,
) -> None:
    """Old segments go by retention, the oldest recent ones by budget; leases hold.

    Previews are not the recorder's: they go an hour after they were handed
    out (`tests/security/test_previews.py`).
    """
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    hass.config_entries.async_update_entry(
        entry,
        options={**entry.options, "retention_hours": 1, "disk_budget_gb": 0.1},
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    footage = footage_of(entry)
    assert footage.settings.retention == timedelta(hours=1)
    assert entry.runtime_data.coordinator.settings.guardrails.retention == (
        timedelta(hours=1)
    )
    directory = recording_of(entry, "camera.porch").directory
    now = dt_util.utcnow().replace(microsecond=0)
    old = lay_out(assets, directory, now - timedelta(hours=3))
    # Two large (sparse) segments within retention: together over the budget.
    big = []
    for minutes in (20, 10):
        path = directory / segment_name(now - timedelta(minutes=minutes))
        with path.open("wb") as handle:
            handle.truncate(80 * 1024**2)
        big.append(path)
    recent = lay_out(assets, directory, now - timedelta(minutes=5))

    with footage.leases.hold([old[0]]):
        async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=61))
        await hass.async_block_till_done(wait_background_tasks=True)
    assert names(directory) == sorted(
        [old[0].name, big[1].name, *(p.name for p in recent)]
    )

    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=122))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert not old[0].exists()  # the lease ended; the next pass removes it


async def test_a_tick_running_into_an_unload_starts_nothing(
    hass: HomeAssistant,
    feed_server: FeedServer,
    home: tuple[float, float],
    stream: StreamSource,
) -> None:
    """The camera appears just as the entry unloads: no ffmpeg is left behind."""
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    footage = footage_of(entry)
    porch = recording_of(entry, "camera.porch")
    assert await hass.config_entries.async_unload(entry.entry_id)
    await footage.hub._async_tick(dt_util.utcnow())  # a tick that was already due
    assert issue(hass, "no_stream_source", "camera.porch") is None
    await add_cameras(hass, StreamCamera("Porch", stream.url))
    await footage.hub._async_tick(dt_util.utcnow())
    assert porch.recorder.pid is None
    assert not porch.recorder.recording
    assert issue(hass, "no_stream_source", "camera.porch") is None
    assert issue(hass, "stream_down", "camera.porch") is None


@pytest.mark.usefixtures("home", "socket_enabled")
async def test_camera_refusing_the_login_gets_a_repair_at_once(
    hass: HomeAssistant, feed_server: FeedServer, assets: Assets, tmp_path: Path
) -> None:
    """Waiting does not fix a refused login: the owner hears of it within a
    minute, in plain words naming the camera, not an hour later."""
    media = tmp_path / "camera.nut"  # RTSP's SDP wants the codecs' headers apart
    run(
        *(FFMPEG, "-v", "error", "-i", str(assets.stream_ts)),
        *("-c:v", "libx264", "-preset", "ultrafast", "-c:a", "aac", str(media)),
    )
    camera = RtspCamera(str(media), ffmpeg=FFMPEG, password_required=True)
    await camera.start()
    try:
        await add_cameras(hass, StreamCamera("Porch", camera.url))
        entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
        porch = recording_of(entry, "camera.porch")
        await until(porch, lambda r: r.recorder.cause == "login_refused")
        await hass.async_block_till_done()
        found = issue(hass, "recorder_failing", "camera.porch")
        assert found is not None
        assert found.translation_key == "recorder_login_refused"
        assert found.translation_placeholders is not None
        assert found.translation_placeholders["camera"] == "Porch"
        assert "401" in found.translation_placeholders["detail"]
        assert sensor(hass, entry, "camera.porch").state == STATE_OFF
        await hass.config_entries.async_unload(entry.entry_id)
        assert issue(hass, "recorder_failing", "camera.porch") is None
    finally:
        await camera.stop()


async def test_options_tell_what_each_camera_records_and_offer_udp(
    hass: HomeAssistant,
    feed_server: FeedServer,
    home: tuple[float, float],
    stream: StreamSource,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The camera step says what the recorder found (codec, size, what happens to
    the sound), the bit rate it measured and the footage it keeps; RTSP over UDP
    is a per-camera choice, TCP unless chosen."""
    monkeypatch.setattr(recorders_module, "SEGMENT_LENGTH", 2)
    await add_cameras(hass, StreamCamera("Porch", stream.url))
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    porch = recording_of(entry, "camera.porch")
    assert porch.recorder.rtsp_transport == "tcp"
    await until(porch, lambda r: r.recording)
    await finished_segments(porch.directory, 3)
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=61))
    await hass.async_block_till_done(wait_background_tasks=True)
    assert porch.bytes_per_second

    result = await choose(hass, await open_options(hass, entry), "recording")
    cameras = result["description_placeholders"]["cameras"]
    assert cameras.startswith("- Porch: video H.264, 320\N{MULTIPLICATION SIGN}240; ")
    assert "; audio AAC, stored as it comes; " in cameras
    assert "Mbit/s" in cameras
    assert "room for about" in cameras

    result = await choose(hass, await open_options(hass, entry), "home")
    result = await answer(
        hass,
        result,
        {
            "home": {"latitude": home[0], "longitude": home[1]},
            "cameras": ["camera.porch"],
        },
    )
    assert result["step_id"] == "camera"
    told = result["description_placeholders"]["recording"]
    assert told.startswith(
        "video H.264, 320\N{MULTIPLICATION SIGN}240; audio AAC, stored as it comes; "
    )
    transport = next(
        key for key in result["data_schema"].schema if str(key) == "rtsp_transport"
    )
    assert transport.default() == "tcp"
    result = await answer(
        hass,
        result,
        {"policy": "ask", "backend": "recorder", "rtsp_transport": "udp"},
    )
    await save(hass, result)
    policy = entry.options["camera_policies"]["camera.porch"]
    assert policy["rtsp_transport"] == "udp"
    porch = recording_of(entry, "camera.porch")
    assert porch.recorder.rtsp_transport == "udp"
    await until(porch, lambda r: r.recording)  # restarted with the new choice
    diagnostics = porch.describe()
    assert diagnostics["rtsp_transport"] == "udp"
    assert diagnostics["stream"]["audio"] == "copy"
