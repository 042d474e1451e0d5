"""Deciding in the browser: a repair issue per open request and its decision flow.

The flow is driven through the repairs HTTP API as the frontend drives it, with a
real admin's token, so the user the decision is recorded for is the one who
clicked; the exporter and outbox are the small disk and list stand-ins of
`test_share_handoff`.
"""

from __future__ import annotations

from datetime import timedelta
import json
from pathlib import Path
import re
from typing import Any

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.components import persistent_notification
from homeassistant.components.repairs import repairs_flow_manager
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import Context, HomeAssistant
from homeassistant.helpers import issue_registry as ir
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
import pytest

from custom_components.neighborhood_requests.consent.decision_flow import (
    ABORT_REASONS,
)
from custom_components.neighborhood_requests.consent.owner_prompt import (
    OwnerPrompt,
    prompt_id,
)
from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.protocol.parse import format_timestamp
from tests.protocol.factories import make_feed

from .conftest import FeedServer, request_now
from .markdown import rendered
from .test_share_handoff import DiskExporter, ListOutbox

REQUEST_ID = "wpd-2026-0412"
FIX = "/api/repairs/issues/fix"
TRANSLATIONS = (
    Path(__file__).parents[2]
    / "custom_components"
    / "neighborhood_requests"
    / "translations"
)


@pytest.fixture(autouse=True)
async def repairs(hass: HomeAssistant) -> None:
    """The repairs panel's backend and persistent notifications, as in a real HA."""
    assert await async_setup_component(hass, "repairs", {})
    assert await async_setup_component(hass, "persistent_notification", {})


def issue(hass: HomeAssistant, entry: ConfigEntry) -> ir.IssueEntry | None:
    return ir.async_get(hass).async_get_issue(
        DOMAIN, prompt_id(entry.entry_id, REQUEST_ID)
    )


def notifications(hass: HomeAssistant) -> dict[str, Any]:
    return dict(persistent_notification._async_get_or_create_notifications(hass))


async def start(client: TestClient, entry: ConfigEntry) -> dict[str, Any]:
    response = await client.post(
        FIX,
        json={"handler": DOMAIN, "issue_id": prompt_id(entry.entry_id, REQUEST_ID)},
    )
    assert response.status == 200, await response.text()
    result: dict[str, Any] = await response.json()
    return result


async def step(
    client: TestClient, result: dict[str, Any], answer: dict[str, Any]
) -> dict[str, Any]:
    response = await client.post(f"{FIX}/{result['flow_id']}", json=answer)
    assert response.status == 200, await response.text()
    reply: dict[str, Any] = await response.json()
    return reply


def record_of(entry: ConfigEntry) -> Any:
    return next(
        r for r in entry.runtime_data.coordinator.store if r.request_id == REQUEST_ID
    )


async def test_open_request_raises_issue_and_notification(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    found = issue(hass, entry)
    assert found is not None
    assert found.is_fixable
    assert found.severity is ir.IssueSeverity.WARNING
    assert found.translation_key == "video_request"
    assert found.translation_placeholders == {
        "publisher": entry.data["publisher_name"],
        "case": "24-1187",
    }
    note = notifications(hass)[prompt_id(entry.entry_id, REQUEST_ID)]
    assert note["title"] == f"Video request from {entry.data['publisher_name']}"
    assert "[Settings → System → Repairs](/config/repairs)" in note["message"]
    assert "24-1187" in rendered(note["message"])


async def test_share_through_the_repairs_api(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_client: Any,
    hass_admin_user: User,
    tmp_path: Path,
) -> None:
    """Request, cameras and audio, what will be sent, then the share as the clicker."""
    exporter, outbox = DiskExporter(tmp_path), ListOutbox()
    entry.runtime_data.exporter, entry.runtime_data.outbox = exporter, outbox
    client = await hass_client()
    result = await start(client, entry)
    assert result["type"] == "menu"
    assert result["menu_options"] == ["share", "decline"]
    facts = result["description_placeholders"]
    assert facts["verified"] == "signature verified"
    assert rendered(facts["case"]) == "24-1187"
    assert facts["legal"] == "Voluntary request"
    assert facts["distance"] == "0"
    # The home's zone, as Home Assistant writes a time: no seconds, no zone name.
    assert re.fullmatch(r"\w+ \d+, \d{4} at \d{1,2}:\d\d [AP]M", facts["start"])
    # The end's date only when it differs from the start's.
    assert re.fullmatch(r"(\w+ \d+, \d{4} at )?\d{1,2}:\d\d [AP]M", facts["end"])

    result = await step(client, result, {"next_step_id": "share"})
    assert result["step_id"] == "share"
    fields = {field["name"]: field for field in result["data_schema"]}
    assert fields["include_audio"]["default"] is False
    assert fields["cameras"]["default"] == ["camera.porch", "camera.hall"]

    result = await step(
        client, result, {"cameras": ["camera.porch"], "include_audio": False}
    )
    assert result["step_id"] == "confirm"
    told = result["description_placeholders"]
    assert told["cameras"] == "camera.porch"
    assert told["duration"] == "30 min"
    assert told["audio"] == "not included"
    assert rendered(told["host"]) == "feeds.example.org"
    assert exporter.calls == []  # nothing leaves before the last step

    result = await step(client, result, {})
    assert result["type"] == "abort"
    assert result["reason"] == "shared"
    await hass.async_block_till_done()
    assert exporter.calls == [("camera.porch", False, False)]
    assert [s.camera for s in outbox.shares] == ["camera.porch"]
    record = record_of(entry)
    assert record.state == "shared"
    assert record.decision.user_id == hass_admin_user.id
    assert issue(hass, entry) is None
    assert prompt_id(entry.entry_id, REQUEST_ID) not in notifications(hass)


async def test_audio_on_is_stated_and_sent(
    hass: HomeAssistant, entry: ConfigEntry, hass_client: Any, tmp_path: Path
) -> None:
    exporter, outbox = DiskExporter(tmp_path), ListOutbox()
    entry.runtime_data.exporter, entry.runtime_data.outbox = exporter, outbox
    client = await hass_client()
    result = await step(client, await start(client, entry), {"next_step_id": "share"})
    result = await step(
        client,
        result,
        {"cameras": ["camera.porch", "camera.hall"], "include_audio": True},
    )
    assert result["description_placeholders"]["audio"] == "included"
    assert result["description_placeholders"]["cameras"] == "camera.porch, camera.hall"
    result = await step(client, result, {})
    assert result["reason"] == "shared"
    assert exporter.calls == [
        ("camera.porch", True, False),
        ("camera.hall", True, False),
    ]


async def test_decline_through_the_repairs_api(
    hass: HomeAssistant, entry: ConfigEntry, hass_client: Any, hass_admin_user: User
) -> None:
    client = await hass_client()
    result = await step(client, await start(client, entry), {"next_step_id": "decline"})
    assert result["type"] == "abort"
    assert result["reason"] == "declined"
    await hass.async_block_till_done()
    record = record_of(entry)
    assert record.state == "declined"
    assert record.decision.user_id == hass_admin_user.id
    assert issue(hass, entry) is None


async def test_no_camera_chosen_is_a_form_error(
    hass: HomeAssistant, entry: ConfigEntry, hass_client: Any
) -> None:
    client = await hass_client()
    result = await step(client, await start(client, entry), {"next_step_id": "share"})
    result = await step(client, result, {"cameras": [], "include_audio": False})
    assert result["step_id"] == "share"
    assert result["errors"] == {"cameras": "no_camera_chosen"}
    assert record_of(entry).state == "pending"


async def set_never(hass: HomeAssistant, entry: ConfigEntry, *cameras: str) -> None:
    policies = dict(entry.options["camera_policies"])
    for camera in cameras:
        policies[camera] = {"policy": "never"}
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "camera_policies": policies}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def test_never_cameras_are_not_offered(
    hass: HomeAssistant, entry: ConfigEntry, hass_client: Any
) -> None:
    await set_never(hass, entry, "camera.hall")
    assert issue(hass, entry) is not None  # the reload raised it again
    client = await hass_client()
    result = await step(client, await start(client, entry), {"next_step_id": "share"})
    fields = {field["name"]: field for field in result["data_schema"]}
    options = fields["cameras"]["selector"]["select"]["options"]
    assert [o["value"] for o in options] == ["camera.porch"]
    # Even a hand-made answer naming it is refused by the form itself.
    response = await client.post(
        f"{FIX}/{result['flow_id']}", json={"cameras": ["camera.hall"]}
    )
    assert response.status == 400
    assert record_of(entry).state == "pending"


async def test_every_camera_never_aborts_share(
    hass: HomeAssistant, entry: ConfigEntry, hass_client: Any
) -> None:
    await set_never(hass, entry, "camera.hall", "camera.porch")
    client = await hass_client()
    result = await step(client, await start(client, entry), {"next_step_id": "share"})
    assert result["type"] == "abort"
    assert result["reason"] == "no_cameras"


async def test_failed_export_says_why_and_keeps_the_consent(
    hass: HomeAssistant, entry: ConfigEntry, hass_client: Any, tmp_path: Path
) -> None:
    entry.runtime_data.exporter = DiskExporter(tmp_path, fail_for="camera.porch")
    entry.runtime_data.outbox = ListOutbox()
    client = await hass_client()
    result = await step(client, await start(client, entry), {"next_step_id": "share"})
    result = await step(client, result, {"cameras": ["camera.porch"]})
    result = await step(client, result, {})
    assert result["reason"] == "export_failed"
    error = result["description_placeholders"]["error"]
    assert rendered(error) == (
        "Your decision to share was recorded, but the clip from camera.porch "
        "could not be exported: no recordings found"
    )
    await hass.async_block_till_done()
    assert record_of(entry).state == "shared"
    assert issue(hass, entry) is None


async def test_only_deciders_may_open_the_decision(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_client: Any,
    hass_read_only_user: User,
) -> None:
    """An admin who is not a listed decider is told so and changes nothing."""
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "deciders": [hass_read_only_user.id]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client()
    result = await start(client, entry)
    assert result["type"] == "abort"
    assert result["reason"] == "not_allowed"
    assert record_of(entry).state == "pending"


async def test_without_a_user_nobody_decides(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """The flow manager called from code (no HTTP request) has nobody to record."""
    manager = repairs_flow_manager(hass)
    assert manager is not None
    result = await manager.async_init(
        DOMAIN, data={"issue_id": prompt_id(entry.entry_id, REQUEST_ID)}
    )
    assert result["type"] == "abort"
    assert result["reason"] == "not_allowed"
    assert issue(hass, entry) is not None


async def test_decided_elsewhere_closes_the_open_flow(
    hass: HomeAssistant, entry: ConfigEntry, hass_client: Any, hass_admin_user: User
) -> None:
    client = await hass_client()
    result = await step(client, await start(client, entry), {"next_step_id": "share"})
    await hass.services.async_call(
        DOMAIN,
        "respond",
        {
            "config_entry_id": entry.entry_id,
            "request_id": REQUEST_ID,
            "decision": "decline",
        },
        blocking=True,
        context=Context(user_id=hass_admin_user.id),
    )
    await hass.async_block_till_done()
    assert issue(hass, entry) is None
    assert prompt_id(entry.entry_id, REQUEST_ID) not in notifications(hass)
    result = await step(client, result, {"cameras": ["camera.porch"]})
    assert result["type"] == "abort"
    assert result["reason"] == "no_longer_open"


async def test_expiry_between_steps_is_refused_with_the_reason(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_client: Any,
    freezer: FrozenDateTimeFactory,
) -> None:
    """Past expiry but before a poll noticed: `respond` refuses, the flow says why.

    The request expires in minutes, so the admin's access token outlives it.
    """
    expires = format_timestamp(dt_util.utcnow() + timedelta(minutes=5))
    feed_server.serve(make_feed([request_now(id="soon", expires_at=expires)]))
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    client = await hass_client()
    response = await client.post(
        FIX, json={"handler": DOMAIN, "issue_id": prompt_id(entry.entry_id, "soon")}
    )
    result = await step(client, await response.json(), {"next_step_id": "share"})
    result = await step(client, result, {"cameras": ["camera.porch"]})
    freezer.tick(timedelta(minutes=10))
    result = await step(client, result, {})
    assert result["reason"] == "refused"
    assert result["description_placeholders"]["error"] == "Request soon has expired"


async def test_expired_and_cancelled_requests_lose_their_prompt(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    coordinator = entry.runtime_data.coordinator
    feed_server.serve(make_feed([request_now(), request_now(id="other-1")]))
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    other = prompt_id(entry.entry_id, "other-1")
    assert ir.async_get(hass).async_get_issue(DOMAIN, other) is not None
    assert other in notifications(hass)

    feed_server.serve(
        make_feed(
            [request_now(), request_now(id="other-1", revision=2, status="cancelled")]
        )
    )
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert ir.async_get(hass).async_get_issue(DOMAIN, other) is None
    assert other not in notifications(hass)
    assert issue(hass, entry) is not None

    freezer.tick(timedelta(days=8))
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    assert issue(hass, entry) is None


async def test_unload_clears_and_reload_raises_again(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert issue(hass, entry) is None
    assert prompt_id(entry.entry_id, REQUEST_ID) not in notifications(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert issue(hass, entry) is not None
    assert prompt_id(entry.entry_id, REQUEST_ID) in notifications(hass)


async def test_closed_request_flow_aborts(
    hass: HomeAssistant, entry: ConfigEntry, hass_client: Any
) -> None:
    """A flow started for a request that closed meanwhile (the issue lingers)."""
    from custom_components.neighborhood_requests.repairs import async_create_fix_flow

    flow = await async_create_fix_flow(
        hass,
        prompt_id(entry.entry_id, "gone"),
        {"entry_id": entry.entry_id, "request_id": "gone"},
    )
    flow.hass = hass
    for step_name in ("init", "share", "confirm", "decline"):
        result = await getattr(flow, f"async_step_{step_name}")()
        assert result["reason"] == "no_longer_open"
    removed = await async_create_fix_flow(
        hass, prompt_id("nope", REQUEST_ID), {"entry_id": "nope", "request_id": "x"}
    )
    removed.hass = hass
    assert (await removed.async_step_init())["reason"] == "no_longer_open"


@pytest.mark.parametrize("language", ["en", "de", "es"])
def test_every_outcome_is_translated(language: str) -> None:
    strings = json.loads((TRANSLATIONS / f"{language}.json").read_text("utf-8"))
    flow = strings["issues"]["video_request"]["fix_flow"]
    assert set(flow["abort"]) == set(ABORT_REASONS)
    assert set(flow["step"]) == {"init", "share", "confirm"}
    exceptions = strings["exceptions"]
    for key in ("request_notification_title", "request_notification_message"):
        assert exceptions[key]["message"]
    assert set(strings["selector"]["verification"]["options"]) == {
        "verified",
        "unverified",
    }
    assert set(strings["selector"]["audio"]["options"]) == {"included", "not_included"}


async def test_legal_reference_is_shown(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_client: Any,
) -> None:
    legal = {"type": "voluntary", "reference": "Letter 26-7"}
    feed_server.serve(make_feed([request_now(id="ref-1", legal_basis=legal)]))
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    client = await hass_client()
    response = await client.post(
        FIX, json={"handler": DOMAIN, "issue_id": prompt_id(entry.entry_id, "ref-1")}
    )
    result = await response.json()
    assert rendered(result["description_placeholders"]["legal"]) == (
        "Voluntary request (Letter 26-7)"
    )


async def test_no_notification_for_a_request_decided_meanwhile(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Texts load asynchronously; a request decided by then gets no notification."""
    persistent_notification.async_dismiss(hass, prompt_id(entry.entry_id, REQUEST_ID))
    prompt = OwnerPrompt(hass, entry, entry.runtime_data.coordinator)
    await prompt._notify([record_of(entry)])
    assert prompt_id(entry.entry_id, REQUEST_ID) not in notifications(hass)
