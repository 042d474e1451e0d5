"""The bot's websocket API: subscribe, respond, pairing and recipients."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
import pytest

from custom_components.neighborhood_requests.consent.recipients import MAX_FAILURES
from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.export.result import ExportResult
from tests.protocol.factories import make_feed

from .conftest import FeedServer, request_now

type WsClient = Any
type ClientFactory = Callable[..., Awaitable[WsClient]]


async def command(client: WsClient, **msg: Any) -> dict[str, Any]:
    await client.send_json_auto_id(msg)
    response: dict[str, Any] = await client.receive_json()
    return response


async def pair(
    admin: WsClient, bot: WsClient, telegram_user_id: str, **create: Any
) -> None:
    """`admin` makes a code (for itself, or `user_id`); the bot's admin completes it."""
    created = await command(admin, type=f"{DOMAIN}/pairing/create", **create)
    assert created["success"], created
    code = created["result"]["code"]
    assert len(code) == 6
    assert code.isdigit()
    done = await command(
        bot,
        type=f"{DOMAIN}/pairing/complete",
        code=code,
        telegram_user_id=telegram_user_id,
        name="Alex",
    )
    assert done["success"], done


async def test_subscribe_snapshot_then_changes(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_ws_client: ClientFactory,
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": f"{DOMAIN}/subscribe"})
    assert (await client.receive_json())["success"]
    snapshot = (await client.receive_json())["event"]["snapshot"]
    [request] = snapshot
    assert request["request_id"] == "wpd-2026-0412"
    assert request["publisher_name"] == "Wolcott Police Department"
    assert request["verified"] is True
    assert request["case_number"] == "24-1187"
    assert request["legal_basis"] == "voluntary"
    assert request["distance_m"] == 0
    assert request["cameras"] == ["camera.porch", "camera.hall"]
    # The publisher's area, rounded for a map pin; never the home.
    assert request["area_center"] == {"lat": 41.6, "lon": -73.0}
    assert request["deliveries"] == []
    assert "decided_by" not in request
    assert "latitude" not in str(request)

    feed_server.serve(make_feed([request_now(), request_now(id="new-1")]))
    await entry.runtime_data.coordinator.async_refresh()
    change = (await client.receive_json())["event"]
    assert change["event"] == "received"
    assert change["request"]["request_id"] == "new-1"

    await client.send_json_auto_id({"type": "unsubscribe_events", "subscription": 1})
    assert (await client.receive_json())["success"]


async def test_subscribe_shows_nothing_to_non_deciders(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_read_only_access_token: str,
) -> None:
    client = await hass_ws_client(hass, hass_read_only_access_token)
    await client.send_json_auto_id({"type": f"{DOMAIN}/subscribe"})
    assert (await client.receive_json())["success"]
    assert (await client.receive_json())["event"]["snapshot"] == []


async def test_respond_over_websocket(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_admin_user: User,
) -> None:
    client = await hass_ws_client(hass)
    base = {
        "type": f"{DOMAIN}/respond",
        "config_entry_id": entry.entry_id,
        "request_id": "wpd-2026-0412",
    }
    refused = await command(client, **base, decision="share", cameras=["camera.x"])
    assert refused["error"] == {
        "code": "camera_not_linked",
        "message": "camera.x is not linked to this feed",
    }
    # The consent is recorded, then the export fails: the answer says both.
    entry.runtime_data.exporter = None  # as if no backend were configured
    shared = await command(client, **base, decision="share")
    result = shared["result"]
    assert result["state"] == "shared"
    assert result["recorded"] is True
    assert result["queued"] == []
    assert result["error"]["code"] == "no_export_backend"
    assert result["error"]["message"].startswith("Your decision to share was recorded")
    assert result["request"]["decided_by"] == hass_admin_user.name
    assert result["request"]["shared_cameras"] == ["camera.porch", "camera.hall"]
    again = await command(client, **base, decision="decline", language="de")
    assert again["error"] == {
        "code": "already_decided",
        "message": "Über die Anfrage wpd-2026-0412 wurde bereits entschieden",
    }
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.decision is not None
    assert record.decision.user_id == hass_admin_user.id


@pytest.mark.parametrize(
    "msg",
    [
        {"decision": "maybe"},
        {"decision": "share", "cameras": "camera.porch"},
        {"decision": "share", "include_audio": "loud"},
        {},
    ],
)
async def test_respond_rejects_bad_arguments(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    msg: dict[str, Any],
) -> None:
    client = await hass_ws_client(hass)
    response = await command(
        client,
        type=f"{DOMAIN}/respond",
        config_entry_id=entry.entry_id,
        request_id="wpd-2026-0412",
        **msg,
    )
    assert response["error"]["code"] == "invalid_format"
    assert next(iter(entry.runtime_data.coordinator.store)).state == "pending"


async def test_respond_to_an_unknown_feed(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    client = await hass_ws_client(hass)
    response = await command(
        client,
        type=f"{DOMAIN}/respond",
        config_entry_id="nope",
        request_id="wpd-2026-0412",
        decision="decline",
    )
    assert response["error"]["code"] == "not_found"


async def test_telegram_user_decides_as_the_paired_resident(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_admin_user: User,
    hass_read_only_access_token: str,
) -> None:
    """The decision is the resident's, with the Telegram user recorded beside it."""
    admin = await hass_ws_client(hass)
    bot = await hass_ws_client(hass, hass_read_only_access_token)
    await pair(admin, admin, "777")
    base = {
        "type": f"{DOMAIN}/respond",
        "config_entry_id": entry.entry_id,
        "request_id": "wpd-2026-0412",
        "decision": "decline",
    }
    stranger = await command(bot, **base, telegram_user_id="999")
    assert stranger["error"]["code"] == "unauthorized"
    # A non-admin cannot act for a resident other than itself.
    impostor = await command(bot, **base, telegram_user_id="777")
    assert impostor["error"]["code"] == "unauthorized"
    done = await command(admin, **base, telegram_user_id="777")
    result = done["result"]
    assert (result["state"], result["recorded"], result["queued"]) == (
        "declined",
        True,
        [],
    )
    # Who decided, as the household reads it: the Telegram name given at pairing.
    assert result["request"]["decided_by"] == "Alex"
    assert result["request"]["decision"] == "decline"
    record = next(iter(entry.runtime_data.coordinator.store))
    assert record.decision is not None
    assert record.decision.user_id == hass_admin_user.id
    assert record.decision.telegram_user == "777"


async def test_pairing_codes_are_single_use_and_expire(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    freezer: FrozenDateTimeFactory,
) -> None:
    client = await hass_ws_client(hass)
    code = (await command(client, type=f"{DOMAIN}/pairing/create"))["result"]["code"]
    complete = {
        "type": f"{DOMAIN}/pairing/complete",
        "telegram_user_id": 42,
        "name": "Sam",
    }
    assert (await command(client, **complete, code=code))["success"]
    reused = await command(client, **complete, code=code)
    assert reused["error"]["code"] == "invalid_code"

    code = (await command(client, type=f"{DOMAIN}/pairing/create"))["result"]["code"]
    freezer.tick(timedelta(minutes=11))
    expired = await command(client, **complete, code=code)
    assert expired["error"]["code"] == "invalid_code"

    bad = await command(client, **complete, code="12ab56")
    assert bad["error"]["code"] == "invalid_format"


async def test_wrong_codes_throttle_the_guesser_and_void_no_code(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Five wrong codes lock that Telegram account out for a while, nobody else."""
    client = await hass_ws_client(hass)
    code = (await command(client, type=f"{DOMAIN}/pairing/create"))["result"]["code"]
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    complete = {"type": f"{DOMAIN}/pairing/complete", "name": "x"}
    for _ in range(MAX_FAILURES):
        failed = await command(client, **complete, code=wrong, telegram_user_id="1")
        assert failed["error"]["code"] == "invalid_code"
    # The guesser is throttled, even with the right code, which stays valid.
    late = await command(client, **complete, code=code, telegram_user_id="1")
    assert late["error"]["code"] == "too_many_attempts"
    assert "15 minutes" in late["error"]["message"]
    # Meanwhile the code's owner links with it, from another Telegram account.
    linked = await command(client, **complete, code=code, telegram_user_id="2")
    assert linked["success"], linked
    # The lock-out ends after 15 minutes.
    freezer.tick(timedelta(minutes=15))
    code = (await command(client, type=f"{DOMAIN}/pairing/create"))["result"]["code"]
    later = await command(client, **complete, code=code, telegram_user_id="1")
    assert later["success"], later


async def test_recipients_list_and_unlink(  # noqa: PLR0917 - fixtures
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_read_only_access_token: str,
    hass_read_only_user: User,
    hass_storage: dict[str, Any],
) -> None:
    admin = await hass_ws_client(hass)
    user = await hass_ws_client(hass, hass_read_only_access_token)
    await pair(admin, admin, "100")
    # The user may not decide, so an administrator makes their code.
    await pair(admin, admin, "200", user_id=hass_read_only_user.id)

    everyone = await command(admin, type=f"{DOMAIN}/recipients")
    assert {r["telegram_user_id"] for r in everyone["result"]["recipients"]} == {
        "100",
        "200",
    }
    own = await command(user, type=f"{DOMAIN}/recipients")
    assert [r["telegram_user_id"] for r in own["result"]["recipients"]] == ["200"]

    denied = await command(user, type=f"{DOMAIN}/recipients", unlink="100")
    assert denied["error"]["code"] == "not_allowed_manage_links"
    unknown = await command(admin, type=f"{DOMAIN}/recipients", unlink="999")
    assert unknown["error"]["code"] == "not_found"
    unlinked = await command(user, type=f"{DOMAIN}/recipients", unlink="200")
    assert unlinked["result"]["recipients"] == []

    # Linked recipients outlive a restart of the integration.
    from custom_components.neighborhood_requests.consent.recipients import Recipients

    recipients = Recipients(hass)
    await recipients.async_load()
    assert [r.telegram_user_id for r in recipients.list()] == ["100"]


async def next_change(client: WsClient) -> dict[str, Any]:
    change: dict[str, Any] = (await client.receive_json())["event"]
    return change


async def subscribe(client: WsClient) -> dict[str, Any]:
    await client.send_json_auto_id({"type": f"{DOMAIN}/subscribe"})
    assert (await client.receive_json())["success"]
    return await next_change(client)


async def test_a_new_revision_reaches_subscribers_as_an_update(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_ws_client: ClientFactory,
) -> None:
    client = await hass_ws_client(hass)
    [first] = (await subscribe(client))["snapshot"]
    assert first["revision"] == 1
    incident = {
        "type": "burglary",
        "summary": "Now two people on bicycles.",
        "case_number": "24-1187",
        "reference_url": None,
    }
    feed_server.serve(make_feed([request_now(revision=2, incident=incident)]))
    await entry.runtime_data.coordinator.async_refresh()
    change = await next_change(client)
    assert change["event"] == "updated"
    assert change["request"]["revision"] == 2
    assert change["request"]["summary"] == "Now two people on bicycles."
    assert change["request"]["state"] == "pending"
    # A poll that changes nothing sends nothing; the next change is the next one.
    await entry.runtime_data.coordinator.async_refresh()
    feed_server.serve(
        make_feed([request_now(revision=3, incident=incident, status="cancelled")])
    )
    await entry.runtime_data.coordinator.async_refresh()
    change = await next_change(client)
    assert (change["event"], change["request"]["revision"]) == ("cancelled", 3)


async def test_a_decision_reaches_subscribers_with_who_decided(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_admin_user: User,
) -> None:
    watcher = await hass_ws_client(hass)
    await subscribe(watcher)
    admin = await hass_ws_client(hass)
    await pair(admin, admin, "777")
    done = await command(
        admin,
        type=f"{DOMAIN}/respond",
        config_entry_id=entry.entry_id,
        request_id="wpd-2026-0412",
        decision="decline",
        telegram_user_id="777",
    )
    assert done["success"]
    change = await next_change(watcher)
    assert change["request"]["state"] == "declined"
    assert change["request"]["decided_by"] == "Alex"
    assert change["request"]["decided_at"]
    # A reconnecting client learns how it ended from the snapshot's `decided`.
    again = await subscribe(await hass_ws_client(hass))
    assert again["snapshot"] == []
    [decided] = again["decided"]
    assert (decided["state"], decided["decided_by"]) == ("declined", "Alex")


async def test_a_decider_created_after_subscribing_is_named(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
) -> None:
    """The name cache is refreshed when a decision names a user it never saw."""
    watcher = await hass_ws_client(hass)
    await subscribe(watcher)
    newcomer = await hass.auth.async_create_user("Dana", group_ids=["system-admin"])
    await hass.services.async_call(
        DOMAIN,
        "respond",
        {
            "config_entry_id": entry.entry_id,
            "request_id": "wpd-2026-0412",
            "decision": "decline",
        },
        blocking=True,
        context=Context(user_id=newcomer.id),
    )
    names = []
    while "Dana" not in names:
        change = await next_change(watcher)
        assert change["request"]["state"] == "declined", names
        names.append(change["request"]["decided_by"])
    assert names[-1] == "Dana"


async def test_errors_come_in_the_callers_language(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    client = await hass_ws_client(hass)
    unknown = await command(
        client,
        type=f"{DOMAIN}/respond",
        config_entry_id="nope",
        request_id="wpd-2026-0412",
        decision="decline",
        language="es",
    )
    assert unknown["error"]["code"] == "not_found"
    assert unknown["error"]["message"].startswith("Ese feed no existe")
    preview = await command(
        client,
        type=f"{DOMAIN}/preview",
        config_entry_id=entry.entry_id,
        request_id="nope",
        camera="camera.porch",
        language="de",
    )
    assert preview["error"]["code"] == "unknown_request"
    assert "nope" in preview["error"]["message"]
    assert preview["error"]["message"] != "There is no request nope from this feed"
    # A language without our translations falls back to Home Assistant's text.
    fallback = await command(
        client,
        type=f"{DOMAIN}/preview",
        config_entry_id=entry.entry_id,
        request_id="nope",
        camera="camera.porch",
        language="fr",
    )
    assert fallback["error"]["message"] == "There is no request nope from this feed"
    bad = await command(
        client,
        type=f"{DOMAIN}/preview",
        config_entry_id=entry.entry_id,
        request_id="nope",
        camera="camera.porch",
        language="<script>",
    )
    assert bad["error"]["code"] == "invalid_format"


async def test_error_text_falls_back_to_home_assistants_message(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    from homeassistant.exceptions import HomeAssistantError

    from custom_components.neighborhood_requests.websocket_api import error_text

    plain = HomeAssistantError("plain words")
    assert await error_text(hass, plain, "de") == "plain words"
    unknown = HomeAssistantError(translation_domain=DOMAIN, translation_key="nope")
    assert await error_text(hass, unknown, "de") == str(unknown)
    # A placeholder missing from the error: the template is not half-filled.
    unfilled = HomeAssistantError(
        translation_domain=DOMAIN, translation_key="camera_never"
    )
    assert await error_text(hass, unfilled, "de") == str(unfilled)
    assert await error_text(hass, unfilled, None) == str(unfilled)


async def test_preview_of_an_unknown_feed(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    client = await hass_ws_client(hass)
    response = await command(
        client,
        type=f"{DOMAIN}/preview",
        config_entry_id="nope",
        request_id="wpd-2026-0412",
        camera="camera.porch",
    )
    assert response["error"]["code"] == "not_found"
    assert response["error"]["message"].startswith("There is no such feed")


async def test_a_refused_new_request_is_told_but_not_followed(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_ws_client: ClientFactory,
) -> None:
    client = await hass_ws_client(hass)
    await subscribe(client)
    protest = {
        "type": "protest",
        "summary": "A march",
        "case_number": "24-2000",
        "reference_url": None,
    }
    feed_server.serve(
        make_feed([request_now(), request_now(id="march", incident=protest)])
    )
    await entry.runtime_data.coordinator.async_refresh()
    change = await next_change(client)
    assert (change["event"], change["request"]["request_id"]) == ("rejected", "march")
    assert change["request"]["state"] == "rejected"


async def test_preview_over_the_limit_comes_with_an_excerpt(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    tmp_path: Path,
) -> None:
    """Real ffmpeg cuts a 240p excerpt of a 720p preview that is over `max_bytes`."""
    source = tmp_path / "camera.porch.mp4"
    process = await asyncio.create_subprocess_exec(
        *("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi"),
        *("-i", "testsrc2=size=1280x720:rate=25", "-t", "2", "-c:v", "libx264"),
        *("-crf", "12", "-pix_fmt", "yuv420p", str(source)),
    )
    assert await process.wait() == 0
    size = source.stat().st_size

    class VideoExporter:
        async def export(
            self, request: Any, camera: str, include_audio: bool, *, preview: bool
        ) -> ExportResult:
            return ExportResult(
                path=source,
                sha256="0" * 64,
                bytes=size,
                start=request.window.start,
                end=request.window.end,
            )

    entry.runtime_data.exporter = VideoExporter()
    client = await hass_ws_client(hass)
    base = {
        "type": f"{DOMAIN}/preview",
        "config_entry_id": entry.entry_id,
        "request_id": "wpd-2026-0412",
        "camera": "camera.porch",
    }
    whole = (await command(client, **base, max_bytes=size))["result"]
    assert whole["bytes"] == size
    assert "excerpt" not in whole
    cut = (await command(client, **base, max_bytes=size // 2))["result"]
    excerpt = cut["excerpt"]
    assert excerpt["seconds"] == 20
    assert excerpt["bytes"] < size // 2
    assert excerpt["media_content_id"].startswith(f"media-source://{DOMAIN}/")
    assert excerpt["media_content_id"] != cut["media_content_id"]
    # An excerpt that still does not fit is not offered.
    tiny = (await command(client, **base, max_bytes=1))["result"]
    assert "excerpt" not in tiny


async def test_the_owners_tools_for_one_feed(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_admin_user: User,
) -> None:
    """pause, report and history over the websocket, for the caller, one feed."""
    client = await hass_ws_client(hass)
    one = {"config_entry_id": entry.entry_id}
    paused = await command(client, type=f"{DOMAIN}/pause", paused=True, **one)
    assert paused["result"] == {
        "entries": [
            {
                "config_entry_id": entry.entry_id,
                "title": "Wolcott Police Department",
                "paused": True,
            }
        ]
    }
    again = await command(client, type=f"{DOMAIN}/pause", paused=True, **one)
    assert again["result"]["entries"][0]["paused"] is True
    audit = entry.runtime_data.coordinator.audit_path.read_text()
    assert audit.count('"type":"paused"') == 1  # a pause that changes nothing
    assert (await command(client, type=f"{DOMAIN}/pause", paused=False))["success"]

    report = await command(client, type=f"{DOMAIN}/report", **one)
    [feed] = report["result"]["entries"]
    assert feed["publishers"]["wolcott-pd"]["received"] == 1
    assert (await command(client, type=f"{DOMAIN}/history"))["result"] == {
        "decisions": []
    }
    await command(
        client,
        type=f"{DOMAIN}/respond",
        decision="decline",
        request_id="wpd-2026-0412",
        **one,
    )
    [decided] = (await command(client, type=f"{DOMAIN}/history"))["result"]["decisions"]
    assert decided["state"] == "declined"
    assert decided["decided_by"] == hass_admin_user.name
    assert decided["case_number"] == "24-1187"

    unknown = await command(
        client, type=f"{DOMAIN}/report", config_entry_id="nope", language="de"
    )
    assert unknown["error"]["code"] == "not_found"
