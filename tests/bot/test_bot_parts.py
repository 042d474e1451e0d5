"""The bot's small parts on their own: texts, rendering, the state file, Sender."""

from __future__ import annotations

import asyncio
from datetime import UTC
import json
import logging
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from telegram import Bot

from bot.messages import human_size, local_time, render_confirm, render_request
from bot.sender import Sender
from bot.state import BotState, Button, Prompt, Tracked
from bot.texts import TEXTS, text
from tests.bot.botapi_standin import BotApiStandIn, RateLimits
from tests.bot.conftest import TELEGRAM_TOKEN

PAYLOAD: dict[str, Any] = {
    "config_entry_id": "entry1",
    "request_id": "r1",
    "revision": 1,
    "publisher_name": "Ward & <Watch>",
    "publisher_kind": "neighbourhood",
    "verified": False,
    "incident_type": "theft",
    "case_number": None,
    "legal_basis": "court_order",
    "window_start": "2026-11-20T14:00:00Z",
    "window_end": "not a time",
    "expires_at": "2026-11-27T14:05:00Z",
    "cameras": [],
    "audio_requested": True,
}


def test_every_language_has_every_text() -> None:
    keys = set(TEXTS["en"])
    for language, texts in TEXTS.items():
        assert set(texts) == keys, language
    assert text("xx", "not_open") == text("en", "not_open")


def test_unverified_request_rendering_in_german() -> None:
    html = render_request(
        Tracked("entry1/r1", PAYLOAD), "de", ZoneInfo("Europe/Berlin")
    )
    assert html.startswith("<b>Ward &amp; &lt;Watch&gt;</b> (neighbourhood)")
    assert "⚠️ NICHT VERIFIZIERT" in html
    assert "<b>Aktenzeichen:</b> —" in html
    assert "Gerichtsbeschluss" in html
    assert "2026-11-20 15:00 CET - not a time (0 Min.)" in html
    assert "<b>Kameras:</b> keine" in html
    assert "<b>Ton erbeten</b>" in html
    assert "Entfernung" not in html  # no distance given, none shown


def test_cameras_say_whether_they_recorded_the_window() -> None:
    payload = PAYLOAD | {
        "cameras": ["camera.porch", "camera.hall", "camera.nvr", "camera.odd"],
        "camera_footage": [
            {"entity_id": "camera.porch", "name": "Front <door>", "footage": "yes"},
            {"entity_id": "camera.hall", "name": "Hall", "footage": "no"},
            {"entity_id": "camera.nvr", "name": "NVR", "footage": "unknown"},
            {"entity_id": "camera.odd", "footage": "maybe"},
            "not a camera",
        ],
    }
    tracked = Tracked("entry1/r1", payload)
    html = render_request(tracked, "en", ZoneInfo("Europe/Berlin"))
    assert (
        "<b>Cameras:</b> Front &lt;door&gt; (footage), Hall (no footage in this "
        "window), NVR (not checked), camera.odd (not checked)"
    ) in html
    german = render_request(tracked, "de", ZoneInfo("Europe/Berlin"))
    assert "Hall (keine Aufnahmen in diesem Zeitfenster)" in german
    spanish = render_request(tracked, "es", ZoneInfo("Europe/Berlin"))
    assert "Front &lt;door&gt; (con grabación)" in spanish
    # A Home Assistant without `camera_footage` still gets the plain list.
    old = render_request(
        Tracked("entry1/r1", PAYLOAD | {"cameras": ["camera.porch"]}),
        "en",
        ZoneInfo("Europe/Berlin"),
    )
    assert "<b>Cameras:</b> camera.porch\n" in old


def test_confirmation_states_the_gaps_in_the_footage() -> None:
    """The clip skips a hole in the footage, so the confirmation says it."""
    payload = PAYLOAD | {
        "window_end": "2026-11-20T15:00:00Z",
        "camera_footage": [
            {
                "entity_id": "camera.porch",
                "name": "Porch",
                "footage": "yes",
                "gaps": [
                    {
                        "start": "2026-11-20T14:42:10+00:00",
                        "end": "2026-11-20T14:42:44Z",
                        "reason": "camera_offline",
                    },
                    {
                        "start": "2026-11-20T14:50:00Z",
                        "end": "2026-11-20T14:51:00Z",
                        "reason": "a reason from a newer home",
                    },
                    {"start": "garbage"},
                ],
            },
            {"entity_id": "camera.hall", "name": "Hall", "footage": "yes", "gaps": []},
        ],
    }
    tracked = Tracked("entry1/r1", payload)
    zone = ZoneInfo("Europe/Berlin")
    assert (
        "No footage (the clip skips it): Porch 15:42:10-15:42:44: camera offline; "
        "Porch 15:50:00-15:51:00: no footage"
    ) in render_confirm(tracked, "en", zone, audio=False)
    assert (
        "Keine Aufnahmen (der Clip überspringt sie): "
        "Porch 15:42:10-15:42:44: Kamera offline"
    ) in render_confirm(tracked, "de", zone, audio=False)
    assert "Sin grabación" in render_confirm(tracked, "es", zone, audio=False)
    without = PAYLOAD | {"camera_footage": [{"name": "Hall", "gaps": []}]}
    assert "No footage" not in render_confirm(
        Tracked("entry1/r1", without), "en", zone, audio=False
    )


def test_times_and_sizes() -> None:
    assert local_time("2026-11-20T14:00:00Z", UTC) == "2026-11-20 14:00 UTC"
    assert local_time("<soon>", UTC) == "&lt;soon&gt;"
    assert human_size(12) == "1 kB"
    assert human_size(80_000_000) == "80.0 MB"


def test_state_round_trip(tmp_path: Path) -> None:
    """The decision history is Home Assistant's now (/history asks it)."""
    path = tmp_path / "deep" / "state.json"
    state = BotState.load(path)
    tracked = Tracked("entry1/r1", PAYLOAD, prompts={5: Prompt(5, 7, 9)})
    state.requests[tracked.key] = tracked
    token = state.add_button(Button(5, "share", tracked.key))
    state.languages[5] = "es"
    state.linked[5] = "Eve"
    state.save()
    loaded = BotState.load(path)
    assert loaded.requests[tracked.key].prompts == {5: Prompt(5, 7, 9)}
    assert loaded.requests[tracked.key].revision == 1
    assert loaded.buttons[token] == Button(5, "share", tracked.key)
    assert loaded.language(5, "en") == "es"
    assert loaded.language(6, "de") == "de"
    assert loaded.linked == {5: "Eve"}
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]


def test_a_failed_write_keeps_the_old_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "state.json"
    state = BotState.load(path)
    state.linked[1] = "Old"
    state.save()
    state.linked[1] = "New"

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(json, "dump", broken)
    with pytest.raises(OSError, match="disk full"):
        state.save()
    monkeypatch.undo()
    assert BotState.load(path).linked == {1: "Old"}
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


async def test_sender_survives_telegram_refusals_and_logs_once(
    botapi: BotApiStandIn, caplog: pytest.LogCaptureFixture
) -> None:
    botapi.add_user(1, "Ann")
    caplog.set_level(logging.WARNING)
    async with Bot(TELEGRAM_TOKEN, base_url=botapi.base_url) as bot:
        sender = Sender(bot)
        message = await sender.send(1, "<b>hi</b>")
        assert message is not None
        # Editing to the same content is "not modified": the goal is reached.
        assert await sender.edit(1, message.message_id, "<b>hi</b>") is True
        assert await sender.send(404, "nobody") is None
        assert await sender.send(404, "nobody again") is None
        botapi.fail_next("sendMessage", 500, "Internal Server Error")
        assert await sender.send(1, "x") is None
        assert await sender.edit(1, 999, "gone") is False
    chat_not_found = [
        r for r in caplog.records if "chat not found" in r.getMessage().lower()
    ]
    assert len(chat_not_found) == 1


async def test_sends_to_one_chat_are_spaced_to_avoid_429(socket_enabled: None) -> None:
    """A stand-in enforcing Telegram's 1 message/s per chat never answers 429."""
    standin = BotApiStandIn(
        tokens={TELEGRAM_TOKEN: "neighborhood_test_bot"},
        rate_limits=RateLimits(overall_per_s=30, per_chat_per_s=1),
    )
    await standin.start()
    try:
        standin.add_user(1, "Ann")
        standin.add_user(2, "Ben")
        async with Bot(TELEGRAM_TOKEN, base_url=standin.base_url) as bot:
            sender = Sender(bot)
            sent = await asyncio.gather(
                sender.send(1, "one"), sender.send(2, "two"), sender.send(1, "three")
            )
        assert all(message is not None for message in sent)
        assert [c.status for c in standin.calls_to("sendMessage")] == [200] * 3
    finally:
        await standin.close()


def test_upload_lines_escape_and_name_every_state() -> None:
    from bot.messages import outcome_text

    deliveries = [
        {
            "camera": "camera.<porch>",
            "state": "delivered",
            "sha256": "ab" * 32,
            "bytes": 1_500,
            "reason": None,
        },
        {
            "camera": "camera.hall",
            "state": "expired",
            "sha256": "",
            "bytes": 0,
            "reason": None,
        },
        {
            "camera": "camera.gate",
            "state": "withdrawn",
            "sha256": "",
            "bytes": 0,
            "reason": "the publisher cancelled the request",
        },
        {
            "camera": "camera.shed",
            "state": "held",
            "sha256": "",
            "bytes": 0,
            "reason": None,
        },
        {
            "camera": "camera.yard",
            "state": "lost-in-space",
            "sha256": "",
            "bytes": 0,
            "reason": None,
        },
    ]
    tracked = Tracked("k", PAYLOAD | {"deliveries": deliveries}, status="shared")
    tracked.decided_by = "Ann & <Bo>"
    lines = outcome_text(tracked, "en", UTC).splitlines()
    assert lines == [
        "✅ Shared by Ann &amp; &lt;Bo&gt; (—).",
        "camera.&lt;porch&gt;: uploaded, 2 kB, SHA-256 ababab…",
        "camera.hall: not delivered, the request expired first",
        "camera.gate: not sent, the request was withdrawn first",
        "camera.shed: on hold, the feed no longer lists the request",
        "camera.yard: waiting to upload",  # a state this bot does not know yet
    ]
    queued = Tracked("k", PAYLOAD, status="shared", queued=["camera.a"])
    assert outcome_text(queued, "de", UTC).endswith(
        "An die Upload-Warteschlange übergeben: camera.a"
    )


def test_a_failed_clip_says_why_in_the_chats_language() -> None:
    """Home Assistant sends the reason in each language it ships; the bot picks
    the chat's and falls back to the English when Home Assistant sent only that."""
    from bot.messages import outcome_text

    failed = {
        "camera": "camera.hall",
        "state": "failed",
        "sha256": "",
        "bytes": 0,
        "reason": "clip changed since export (SHA-256 mismatch)",
        "reason_words": {
            "en": "the clip changed on disk after it was exported",
            "de": "der Clip hat sich nach dem Export auf der Festplatte geändert",
            "es": "el clip cambió en el disco después de exportarse",
        },
    }
    tracked = Tracked("k", PAYLOAD | {"deliveries": [failed]}, status="shared")
    assert outcome_text(tracked, "de", UTC).splitlines()[-1] == (
        "camera.hall: nicht zugestellt: "
        "der Clip hat sich nach dem Export auf der Festplatte geändert"
    )
    assert outcome_text(tracked, "es", UTC).splitlines()[-1] == (
        "camera.hall: no entregado: el clip cambió en el disco después de exportarse"
    )
    older = Tracked(
        "k",
        PAYLOAD | {"deliveries": [failed | {"reason_words": None}]},
        status="shared",
    )
    assert outcome_text(older, "de", UTC).splitlines()[-1] == (
        "camera.hall: nicht zugestellt: clip changed since export (SHA-256 mismatch)"
    )


def test_venue_needs_a_centre_and_is_plain_text() -> None:
    from bot.messages import venue

    assert venue(PAYLOAD, "en") is None
    assert venue(PAYLOAD | {"area_center": {"lat": "x", "lon": 1}}, "en") is None
    place = venue(
        PAYLOAD | {"area_center": {"lat": 41.6, "lon": -73.0}, "radius_m": 120},
        "es",
    )
    assert place == (
        41.6,
        -73.0,
        "Ward & <Watch>: Hurto",
        "Zona de la solicitud, radio de unos 120 m",
    )


def test_prune_forgets_buttons_of_requests_ended_long_ago(tmp_path: Path) -> None:
    from datetime import datetime, timedelta

    state = BotState(tmp_path / "s.json")
    now = datetime(2026, 11, 29, 12, tzinfo=UTC)
    ended = {
        "old": (now - timedelta(days=3)).isoformat(),
        "recent": (now - timedelta(hours=1)).isoformat(),
        "garbled": "yesterday",
    }
    for key, at in ended.items():
        state.requests[key] = Tracked(key, {}, status="declined", decided_at=at)
        state.add_button(Button(1, "decline", key))
    state.requests["open"] = Tracked("open", {})
    state.add_button(Button(1, "decline", "open"))
    state.prune(now)
    assert sorted(b.key for b in state.buttons.values()) == ["open", "recent"]


async def test_a_retried_429_does_not_crowd_the_next_message(
    socket_enabled: None,
) -> None:
    """The next slot counts from Telegram's answer, not from when a send left.

    The first send meets a 429 and PTB's rate limiter retries it a second later;
    the second send must still arrive a full interval after the first did.
    """
    from telegram.ext import AIORateLimiter, ExtBot

    standin = BotApiStandIn(
        tokens={TELEGRAM_TOKEN: "neighborhood_test_bot"},
        rate_limits=RateLimits(overall_per_s=30, per_chat_per_s=1),
    )
    await standin.start()
    try:
        standin.add_user(1, "Ann")
        standin.fail_next(
            "sendMessage", 429, "Too Many Requests: retry after 1", retry_after=1
        )
        limiter = AIORateLimiter(max_retries=1)
        async with ExtBot(
            TELEGRAM_TOKEN, base_url=standin.base_url, rate_limiter=limiter
        ) as bot:
            sender = Sender(bot)
            assert await sender.send(1, "one") is not None
            assert await sender.send(1, "two") is not None
        statuses = [c.status for c in standin.calls_to("sendMessage")]
        assert statuses == [429, 200, 200]
    finally:
        await standin.close()
