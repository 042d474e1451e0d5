"""A hole in the footage says why, where the recorder knows: "camera offline".

A real camera stream (MPEG-TS over HTTP on 127.0.0.1) goes offline while Home
Assistant records it and comes back; the export, the request view and the words
shown before Send name the hole and its reason. A hole nobody saw happen (the
footage was never recorded) is just "no footage".
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import timedelta

from homeassistant.core import HomeAssistant
import pytest

from custom_components.neighborhood_requests.export.segments import list_segments
from custom_components.neighborhood_requests.footage import (
    recorders as recorders_module,
)
from custom_components.neighborhood_requests.protocol.model import Window
from custom_components.neighborhood_requests.requests.request_view import (
    camera_footage,
)
from custom_components.neighborhood_requests.texts import async_texts
from tests.export.footage import Assets, make_assets
from tests.export.stream_source import StreamSource

from .conftest import FeedServer, add_entry
from .recording_helpers import (
    StreamCamera,
    add_cameras,
    finished_segments,
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


@pytest.mark.usefixtures("home")
async def test_a_camera_that_went_offline_is_named_as_the_reason(
    hass: HomeAssistant,
    feed_server: FeedServer,
    stream: StreamSource,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(recorders_module, "SEGMENT_LENGTH", 2)
    await add_cameras(hass, StreamCamera("Porch", stream.url))
    entry = await add_entry(hass, feed_server.url, cameras=["camera.porch"])
    porch = recording_of(entry, "camera.porch")
    porch.recorder.reconnect_interval = 0.5
    await until(porch, lambda r: r.recording)
    await finished_segments(porch.directory, 2)

    await stream.stop()  # the camera loses its Wi-Fi
    await until(porch, lambda r: not r.recording)
    await asyncio.sleep(4)
    await stream.start()
    await until(porch, lambda r: r.recording)
    before = len(list_segments(porch.directory))
    await finished_segments(porch.directory, before + 2)
    [(went, came)] = porch.outages
    assert came is not None

    segments = list_segments(porch.directory)
    window = Window(segments[0].start, segments[-1].start)
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.request is not None
    request = replace(record.request, window=window)
    exporter = entry.runtime_data.exporter
    assert exporter is not None
    clip = await exporter.export(request, "camera.porch", False, preview=True)
    [gap] = clip.missing
    assert gap.reason == "camera_offline"
    assert went - timedelta(seconds=3) <= gap.start <= went + timedelta(seconds=1)
    assert went + timedelta(seconds=3) <= gap.end <= came + timedelta(seconds=10)

    # The request view (websocket, bot) and the words shown before Send.
    coordinator = entry.runtime_data.coordinator
    assert coordinator.presence is not None
    await coordinator.presence.async_probe([request])
    [shown] = coordinator.presence.gaps("camera.porch", window.start, window.end)
    assert (shown.start, shown.end, shown.reason) == (gap.start, gap.end, gap.reason)
    record = replace(record, request=request)
    [view] = camera_footage(coordinator, record, ["camera.porch"])
    assert [g["reason"] for g in view["gaps"]] == ["camera_offline"]
    for language, words in (
        ("en", ": camera offline"),
        ("de", ": Kamera offline"),
        ("es", ": cámara sin conexión"),
    ):
        texts = await async_texts(hass, language)
        line = texts.gap("Porch", gap.start, gap.end, gap.reason)
        assert line.startswith("Porch "), line
        assert line.endswith(words), line
    texts = await async_texts(hass, "en")
    assert texts.gap("Porch", gap.start, gap.end, "no_footage").endswith(": no footage")
