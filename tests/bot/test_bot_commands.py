"""Commands and Preview of the running bot, against the real integration."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
import hashlib
from pathlib import Path
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
import pytest

from tests.bot.botapi_standin import BotApiStandIn
from tests.bot.harness import ALICE, Harness, link, running_bot
from tests.integration.conftest import entity_id, request_now
from tests.protocol.factories import make_feed

pytestmark = pytest.mark.timeout(30)


@pytest.fixture
async def harness(  # noqa: PLR0917 - pytest fixtures arrive as arguments
    hass: HomeAssistant,
    nr_ha_url: str,
    hass_access_token: str,
    botapi: BotApiStandIn,
    tmp_path: Path,
    hass_ws_client: Callable[..., Any],
) -> AsyncIterator[Harness]:
    botapi.add_user(ALICE, "Alice")
    async with running_bot(
        nr_ha_url, hass_access_token, botapi, tmp_path / "state.json"
    ) as running:
        await link(running, hass_ws_client, hass, ALICE)
        yield running


async def test_help_language_and_pending(harness: Harness) -> None:
    await harness.request_message(ALICE)
    await harness.say(ALICE, "/help", "/pending - open requests")
    await harness.say(ALICE, "/language", "Current language: en")
    await harness.say(ALICE, "/language fr", "Current language: en")
    await harness.say(ALICE, "/language de", "Sprache auf Deutsch")
    pending = await harness.say(ALICE, "/pending", "Offene Anfragen")
    assert (
        "Wolcott Police Department - Einbruch - 24-1187 - Antwort bis"
        in pending["text"]
    )
    await harness.say(ALICE, "/history", "Noch keine Entscheidungen")
    await harness.say(ALICE, "/language es", "Idioma cambiado")
    await harness.say(ALICE, "hola", "/pending - solicitudes abiertas")


async def test_report_from_home_assistant(
    harness: Harness, nr_entry: ConfigEntry
) -> None:
    report = await harness.say(ALICE, "/report", "Transparency report")
    assert (
        "wolcott-pd: received 1, shared 0, declined 0, expired 0, rejected 0"
        in report["text"]
    )


async def test_pause_and_resume_flip_the_integration_switch(
    hass: HomeAssistant, harness: Harness, nr_entry: ConfigEntry, feed_server: Any
) -> None:
    switch = entity_id(hass, "switch")
    await harness.say(ALICE, "/pause", "Paused")
    assert hass.states.get(switch).state == "on"
    # Paused: a new request is recorded in HA but nobody is prompted.
    feed_server.serve(make_feed([request_now(), request_now(id="while-paused")]))
    await nr_entry.runtime_data.coordinator.async_refresh()
    await harness.say(ALICE, "/resume", "Resumed")
    assert hass.states.get(switch).state == "off"
    assert len(harness.messages(ALICE, "Case number")) == 1


async def test_preview_without_backend_shows_ha_error(harness: Harness) -> None:
    message = await harness.request_message(ALICE)
    answer = await harness.tap(ALICE, message, "Preview")
    assert answer["text"] == "Asking Home Assistant…"
    notes = await harness.wait(lambda: harness.sent(ALICE, "No preview:"))
    assert len(notes) >= 1
    await harness.wait(lambda: len(harness.sent(ALICE, "No preview:")) == 2)


async def test_preview_small_is_sent_as_video_large_is_described(
    harness: Harness, nr_entry: ConfigEntry, botapi: BotApiStandIn, tmp_path: Path
) -> None:
    from tests.integration.test_share_handoff import DiskExporter

    nr_entry.runtime_data.exporter = DiskExporter(tmp_path)
    message = await harness.request_message(ALICE)
    await harness.tap(ALICE, message, "Preview")
    videos = await harness.wait(lambda: len(botapi.calls_to("sendVideo")) == 2)
    assert videos
    porch = botapi.calls_to("sendVideo")[0]
    expected = (tmp_path / "camera.porch.mp4").read_bytes()
    [upload] = porch.uploads.values()
    assert upload.sha256 == hashlib.sha256(expected).hexdigest()
    assert porch.params["caption"].startswith("Preview of camera.porch")

    harness.bot.decisions.upload_limit_bytes = 5
    await harness.tap(ALICE, message, "Preview")
    too_big = await harness.wait(
        lambda: (
            len(harness.sent(ALICE, "over Telegram's 50 MB upload limit")) == 2
            and harness.sent(ALICE, "over Telegram's 50 MB upload limit")
        )
    )
    assert "The preview of camera.porch is 1 kB" in too_big[0].params["text"]
    assert len(botapi.calls_to("sendVideo")) == 2


async def test_feed_text_is_escaped(
    harness: Harness, nr_entry: ConfigEntry, feed_server: Any
) -> None:
    incident = {
        "type": "burglary",
        "summary": "<b>URGENT</b> & <a href='x'>click</a>",
        "case_number": "24-<1187>",
        "reference_url": None,
    }
    feed_server.serve(
        make_feed([request_now(), request_now(id="odd", incident=incident)])
    )
    await nr_entry.runtime_data.coordinator.async_refresh()
    found = await harness.wait(lambda: harness.messages(ALICE, "24-<1187>"))
    assert "<b>URGENT</b> & <a href='x'>click</a>" in found[0]["text"]
    # Nor does Telegram fetch a link in it: that would tell the publisher when.
    [sent] = harness.sent(ALICE, "24-&lt;1187&gt;")
    assert sent.params["link_preview_options"] == {"is_disabled": True}


async def test_a_preview_over_the_limit_comes_as_a_low_resolution_excerpt(
    harness: Harness, nr_entry: ConfigEntry, botapi: BotApiStandIn, tmp_path: Path
) -> None:
    """Real ffmpeg: a 720p clip over the (lowered) limit, HA's 240p excerpt under it."""
    import asyncio
    from dataclasses import dataclass
    import shutil

    from custom_components.neighborhood_requests.export.result import ExportResult

    source = tmp_path / "source.mp4"
    process = await asyncio.create_subprocess_exec(
        *("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi"),
        *("-i", "testsrc2=size=1280x720:rate=25", "-t", "3", "-c:v", "libx264"),
        *("-crf", "12", "-pix_fmt", "yuv420p", str(source)),
    )
    assert await process.wait() == 0

    @dataclass
    class VideoExporter:
        async def export(
            self, request: Any, camera: str, include_audio: bool, *, preview: bool
        ) -> ExportResult:
            path = tmp_path / f"{camera}.mp4"
            await asyncio.to_thread(shutil.copyfile, source, path)
            data = await asyncio.to_thread(path.read_bytes)
            return ExportResult(
                path=path,
                sha256=hashlib.sha256(data).hexdigest(),
                bytes=len(data),
                start=request.window.start,
                end=request.window.end,
            )

    nr_entry.runtime_data.exporter = VideoExporter()
    size = source.stat().st_size
    harness.bot.decisions.upload_limit_bytes = size // 2
    message = await harness.request_message(ALICE)
    await harness.tap(ALICE, message, "Preview")
    await harness.wait(lambda: len(botapi.calls_to("sendVideo")) == 2)
    porch = botapi.calls_to("sendVideo")[0]
    caption = porch.params["caption"]
    assert caption.startswith("The preview of camera.porch is ")
    assert "over Telegram's 50 MB upload limit: here are its first 20 s" in caption
    [upload] = porch.uploads.values()
    assert upload.size < size // 2
    excerpt = tmp_path / "camera.porch.excerpt.mp4"
    assert upload.sha256 == hashlib.sha256(excerpt.read_bytes()).hexdigest()
