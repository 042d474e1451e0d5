"""The "Video requests" panel's server side: its sidebar entry and its commands.

Driven over the real websocket API as the frontend drives it, as an
administrator (a decider by default) and as a read-only user (nobody's decider),
with the disk exporter and list outbox stand-ins of `test_share_handoff`.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import timedelta
import hashlib
import json
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
from homeassistant.auth.models import User
from homeassistant.config_entries import ConfigEntry
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util
import pytest

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.export.result import (
    CAMERA_OFFLINE,
    ExportResult,
    Gap,
    NoFootageError,
)
from custom_components.neighborhood_requests.protocol.errors import Problem
from custom_components.neighborhood_requests.protocol.model import (
    Rejected,
    Request,
    Skipped,
)
from custom_components.neighborhood_requests.protocol.parse import format_timestamp
from tests.protocol.factories import make_feed

from .conftest import FeedServer, request_now
from .test_share_handoff import DiskExporter, ListOutbox

type ClientFactory = Callable[..., Awaitable[Any]]
REQUEST_ID = "wpd-2026-0412"
PANEL = "neighborhood-requests"


async def ws(client: Any, **message: Any) -> dict[str, Any]:
    await client.send_json_auto_id(message)
    reply: dict[str, Any] = await client.receive_json()
    return reply


def backends(entry: ConfigEntry, tmp_path: Path, **kwargs: Any) -> DiskExporter:
    exporter = DiskExporter(tmp_path, **kwargs)
    entry.runtime_data.exporter, entry.runtime_data.outbox = exporter, ListOutbox()
    return exporter


def audit_events(entry: ConfigEntry) -> list[dict[str, Any]]:
    path: Path = entry.runtime_data.coordinator.audit_path
    lines = path.read_text().splitlines() if path.exists() else []
    return [json.loads(line)["event"] for line in lines]


async def panels(
    hass_ws_client: ClientFactory, hass: HomeAssistant, *token: str
) -> Any:
    client = await hass_ws_client(hass, *token)
    return (await ws(client, type="get_panels"))["result"]


async def test_the_panel_is_for_administrators_while_they_are_the_deciders(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_read_only_access_token: str,
    hass_client: ClientFactory,
) -> None:
    shown = await panels(hass_ws_client, hass)
    panel = shown[PANEL]
    assert panel["title"] == "Video requests"
    assert panel["icon"] == "mdi:cctv"
    assert panel["require_admin"] is True
    custom = panel["config"]["_panel_custom"]
    assert custom["name"] == "neighborhood-requests-panel"
    assert custom["embed_iframe"] is False
    # A read-only user is nobody's decider: no sidebar entry.
    assert PANEL not in await panels(hass_ws_client, hass, hass_read_only_access_token)

    # The bundle is served from the integration's folder.
    client = await hass_client()
    response = await client.get(custom["module_url"])
    assert response.status == 200
    assert "neighborhood-requests-panel" in await response.text()


async def test_a_non_admin_decider_gets_the_panel(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_read_only_user: User,
    hass_read_only_access_token: str,
) -> None:
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "deciders": [hass_read_only_user.id]}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    shown = await panels(hass_ws_client, hass, hass_read_only_access_token)
    assert shown[PANEL]["require_admin"] is False


async def test_the_panel_goes_with_the_last_feed(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert PANEL not in await panels(hass_ws_client, hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert PANEL in await panels(hass_ws_client, hass)


async def test_feeds_set_up_at_once_share_one_panel(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    """Home Assistant sets entries up concurrently; each syncs the one panel."""
    from custom_components.neighborhood_requests.panel.registration import (
        async_sync_panel,
    )

    await asyncio.gather(
        *(async_sync_panel(hass, adding=entry) for _ in range(5)),
        async_sync_panel(hass, removing=None),
    )
    assert PANEL in await panels(hass_ws_client, hass)


async def test_subscribe_shows_the_feed_the_map_and_the_request(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": f"{DOMAIN}/panel/subscribe"})
    assert (await client.receive_json())["success"]
    view = (await client.receive_json())["event"]
    assert view["user"]["is_admin"] is True
    [feed] = view["feeds"]
    assert feed["entry_id"] == entry.entry_id
    assert feed["publisher"]["name"] == entry.data["publisher_name"]
    assert feed["publisher"]["fingerprints"][0].startswith("SHA256:")
    assert feed["permissions"]["decide"] is True
    assert feed["home"]["latitude"] == pytest.approx(hass.config.latitude)
    assert [c["entity_id"] for c in feed["cameras"]] == ["camera.porch", "camera.hall"]
    [request] = feed["requests"]
    assert request["request_id"] == REQUEST_ID
    assert request["incident"]["case_number"] == "24-1187"
    assert request["legal"]["basis"] == "voluntary"
    assert request["window"]["seconds"] == 1800
    assert request["area"]["type"] == "circle"
    assert request["distance_to_area_m"] == 0  # the home is inside the area
    assert request["upload_host"] == "feeds.example.org"
    assert request["verified"] is True

    # A decision anywhere reaches the open panel at once.
    await ws(
        await hass_ws_client(hass),
        type=f"{DOMAIN}/panel/respond",
        entry_id=entry.entry_id,
        request_id=REQUEST_ID,
        decision="decline",
    )
    while True:
        view = (await client.receive_json())["event"]
        if not view["feeds"][0]["requests"]:
            break


async def test_a_polygon_area_comes_as_its_corners(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_ws_client: ClientFactory,
) -> None:
    """The map draws what was asked: a polygon's corners, not a circle around it."""
    corners = [
        [41.5995, -73.0020],
        [41.6030, -73.0020],
        [41.6030, -72.9980],
        [41.5995, -72.9980],
        [41.5995, -73.0020],
    ]
    feed_server.serve(make_feed([request_now(id="poly-1", area={"polygon": corners})]))
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()
    reply = await ws(
        await hass_ws_client(hass),
        type=f"{DOMAIN}/panel/request",
        entry_id=entry.entry_id,
        request_id="poly-1",
    )
    view = reply["result"]
    assert view["state"] == "pending"
    assert view["area"]["type"] == "polygon"
    assert view["area"]["points"] == corners
    assert view["distance_to_area_m"] == 0  # the home is inside it
    # The centre is north of the home: about 140 m, in steps of 10 m.
    assert 120 <= view["distance_to_centre_m"] <= 160
    assert view["distance_to_centre_m"] % 10 == 0


async def test_the_map_gets_each_cameras_view_and_never_cameras_marked(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    """A cone where the owner said where the camera looks, else its radius."""
    policies = dict(entry.options["camera_policies"])
    policies["camera.porch"] = {
        **policies.get("camera.porch", {}),
        "policy": "ask",
        "location": {"latitude": 41.6048, "longitude": -72.9840},
        "view_radius": 30.0,
        "view_direction": 200.0,
        "view_angle": 100.0,
    }
    policies["camera.hall"] = {**policies.get("camera.hall", {}), "policy": "never"}
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "camera_policies": policies}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": f"{DOMAIN}/panel/subscribe"})
    assert (await client.receive_json())["success"]
    [feed] = (await client.receive_json())["event"]["feeds"]
    porch, hall = feed["cameras"]
    assert porch["location"] == {"latitude": 41.6048, "longitude": -72.984}
    assert (porch["view_radius_m"], porch["view_direction"], porch["view_angle"]) == (
        30.0,
        200.0,
        100.0,
    )
    assert hall["policy"] == "never"
    assert (hall["view_direction"], hall["view_angle"]) == (None, 90.0)


async def test_a_non_decider_sees_no_request_and_no_footage(
    hass: HomeAssistant,
    entry: ConfigEntry,
    *,
    hass_ws_client: ClientFactory,
    hass_read_only_access_token: str,
    hass_client: ClientFactory,
    tmp_path: Path,
) -> None:
    """The attack: a logged-in resident asks the panel's commands directly."""
    exporter = backends(entry, tmp_path)
    client = await hass_ws_client(hass, hass_read_only_access_token)
    await client.send_json_auto_id({"type": f"{DOMAIN}/panel/subscribe"})
    assert (await client.receive_json())["success"]
    assert (await client.receive_json())["event"]["feeds"] == []
    base = {"entry_id": entry.entry_id, "request_id": REQUEST_ID}
    refused = await ws(
        client, type=f"{DOMAIN}/panel/preview", camera="camera.porch", **base
    )
    assert refused["error"]["code"] == "not_allowed_preview"
    assert "preview footage" in refused["error"]["message"]
    assert exporter.calls == []  # not a frame was cut
    for command, code in (
        ("request", "not_allowed_view"),
        ("history", "not_allowed_report"),
        ("transparency", "not_allowed_report"),
        ("audit", "not_allowed_audit"),
    ):
        extra = base if command == "request" else {"entry_id": entry.entry_id}
        reply = await ws(client, type=f"{DOMAIN}/panel/{command}", **extra)
        assert reply["error"]["code"] == code, command
    reply = await ws(client, type=f"{DOMAIN}/panel/respond", decision="share", **base)
    assert reply["error"]["code"] == "not_allowed_decide"
    assert (
        entry.runtime_data.coordinator.store.get(
            f"{entry.data['publisher_id']}/{REQUEST_ID}"
        ).decision
        is None
    )
    # Every refusal is in the audit log, as on every other surface.
    refused_lines = [
        (e["action"], e["surface"], e["request_id"])
        for e in audit_events(entry)
        if e["type"] == "refused"
    ]
    assert refused_lines == [
        ("preview", "websocket", REQUEST_ID),
        ("view", "websocket", REQUEST_ID),
        ("report", "websocket", None),
        ("report", "websocket", None),
        ("audit", "websocket", None),
        ("decide", "websocket", REQUEST_ID),
    ]


async def test_preview_plays_by_its_signed_link(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_client_no_auth: ClientFactory,
    tmp_path: Path,
) -> None:
    exporter = backends(entry, tmp_path)
    client = await hass_ws_client(hass)
    reply = await ws(
        client,
        type=f"{DOMAIN}/panel/preview",
        entry_id=entry.entry_id,
        request_id=REQUEST_ID,
        camera="camera.porch",
    )
    result = reply["result"]
    assert "authSig=" in result["url"]
    assert result["gaps"] == []
    assert exporter.calls == [("camera.porch", False, True)]
    browser = await hass_client_no_auth()
    response = await browser.get(result["url"])  # a <video> sends no header
    assert response.status == 200
    assert await response.read() == (tmp_path / "camera.porch.mp4").read_bytes()


class GappyExporter(DiskExporter):
    """Footage with a hole in it, as the recorder reports one (`missing`)."""

    async def export(
        self, request: Request, camera: str, include_audio: bool, *, preview: bool
    ) -> ExportResult:
        clip = await super().export(request, camera, include_audio, preview=preview)
        start = request.window.start + timedelta(minutes=5)
        hole = Gap(start, start + timedelta(seconds=40), CAMERA_OFFLINE)
        return replace(clip, missing=(hole,))


async def test_a_preview_lists_the_gaps_in_its_footage(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    tmp_path: Path,
) -> None:
    """What the clip lacks is said before anyone shares it (invariant 10)."""
    entry.runtime_data.exporter = GappyExporter(tmp_path)
    reply = await ws(
        await hass_ws_client(hass),
        type=f"{DOMAIN}/panel/preview",
        entry_id=entry.entry_id,
        request_id=REQUEST_ID,
        camera="camera.porch",
    )
    [gap] = reply["result"]["gaps"]
    window = entry.runtime_data.coordinator.store.get(
        f"{entry.data['publisher_id']}/{REQUEST_ID}"
    ).request.window
    start = dt_util.parse_datetime(gap["start"])
    end = dt_util.parse_datetime(gap["end"])
    assert start == window.start + timedelta(minutes=5)
    assert (end - start).total_seconds() == 40
    assert gap["reason"] == "camera_offline"  # the panel names it (gap_reasons)


class FailingExporter:
    """Raises what a real export raises when the footage or the disk is not there."""

    def __init__(self, error: Exception) -> None:
        self.error = error

    async def export(
        self, request: Request, camera: str, include_audio: bool, *, preview: bool
    ) -> ExportResult:
        raise self.error


@pytest.mark.parametrize(
    ("error", "camera_state", "cause"),
    [
        ("no_footage", "idle", "no_footage"),
        ("no_footage", "unavailable", "camera_offline"),
        ("disk", "idle", "disk_error"),
    ],
)
async def test_a_failed_preview_names_its_cause(
    hass: HomeAssistant,
    entry: ConfigEntry,
    *,
    hass_ws_client: ClientFactory,
    error: str,
    camera_state: str,
    cause: str,
) -> None:
    now = dt_util.utcnow()
    entry.runtime_data.exporter = FailingExporter(
        NoFootageError(now, now)
        if error == "no_footage"
        else OSError(28, "No space left on device")
    )
    hass.states.async_set("camera.porch", camera_state)
    reply = await ws(
        await hass_ws_client(hass),
        type=f"{DOMAIN}/panel/preview",
        entry_id=entry.entry_id,
        request_id=REQUEST_ID,
        camera="camera.porch",
    )
    assert reply["error"]["code"] == cause
    assert "camera.porch" in reply["error"]["message"]


async def test_share_from_the_panel_is_recorded_as_made_in_the_browser(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    hass_admin_user: User,
    tmp_path: Path,
) -> None:
    exporter = backends(entry, tmp_path)
    client = await hass_ws_client(hass)
    reply = await ws(
        client,
        type=f"{DOMAIN}/panel/respond",
        entry_id=entry.entry_id,
        request_id=REQUEST_ID,
        decision="share",
        cameras=["camera.porch"],
    )
    result = reply["result"]
    assert result["error"] is None
    request = result["request"]
    assert request["state"] == "shared"
    assert request["decision"]["channel"] == "panel"
    assert request["decision"]["by"] == hass_admin_user.name
    assert request["decision"]["cameras"] == ["camera.porch"]
    assert request["decision"]["include_audio"] is False  # off unless turned on
    assert exporter.calls == [("camera.porch", False, False)]

    history = await ws(client, type=f"{DOMAIN}/panel/history", entry_id=entry.entry_id)
    [row] = history["result"]["requests"]
    assert row["decision"]["channel"] == "panel"
    report = await ws(
        client, type=f"{DOMAIN}/panel/transparency", entry_id=entry.entry_id
    )
    assert report["result"]["shared"] == 1
    audit = await ws(client, type=f"{DOMAIN}/panel/audit", entry_id=entry.entry_id)
    assert audit["result"]["ok"] is True
    assert audit["result"]["entries"] >= 2

    again = await ws(
        client,
        type=f"{DOMAIN}/panel/respond",
        entry_id=entry.entry_id,
        request_id=REQUEST_ID,
        decision="decline",
    )
    assert again["error"]["code"] == "already_decided"


async def test_the_report_counts_entries_refused_before_they_were_requests(
    hass: HomeAssistant, entry: ConfigEntry, hass_ws_client: ClientFactory
) -> None:
    """Badly signed entries and CAP alerts that ask for no video are counts, not
    records; the panel's report has them as the `transparency_report` action does.
    """
    publisher = entry.data["publisher_id"]
    digest = hashlib.sha256(b"junk").hexdigest()
    junk = Rejected(0, "junk-1", (Problem("signature", 'unknown kid "k9"'),), digest)
    entry.runtime_data.coordinator.rejections.observe(
        publisher, [junk], [Skipped(1, "alert[1]: weather warning")], dt_util.utcnow()
    )
    client = await hass_ws_client(hass)
    reply = await ws(
        client, type=f"{DOMAIN}/panel/transparency", entry_id=entry.entry_id
    )
    report = reply["result"]
    assert report["received"] == 2  # the open request and the junk entry
    assert report["rejected"] == 1
    # The technical rule, behind a sentence naming its kind in the reader's words.
    assert report["rejected_reasons"] == {
        "it is signed with a key this home does not know "
        '(signature: unknown kid "…")': 1
    }
    assert report["skipped"] == 1
    action = await hass.services.async_call(
        DOMAIN,
        "transparency_report",
        {"config_entry_id": entry.entry_id},
        blocking=True,
        return_response=True,
    )
    # The action returns the same figures, its reasons in the English of the
    # audit log: what a publisher or a script reads, whatever the home's language.
    english = {**report, "rejected_reasons": {'signature: unknown kid "…"': 1}}
    assert action["publishers"][publisher] == english
    # The bot's /report reads the same counts (it asks as the linked resident).
    bot = await ws(client, type=f"{DOMAIN}/report", config_entry_id=entry.entry_id)
    [feed] = bot["result"]["entries"]
    assert feed["publishers"][publisher] == english


async def test_a_failed_export_keeps_the_consent_and_says_why(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    tmp_path: Path,
) -> None:
    backends(entry, tmp_path, fail_for="camera.hall")
    reply = await ws(
        await hass_ws_client(hass),
        type=f"{DOMAIN}/panel/respond",
        entry_id=entry.entry_id,
        request_id=REQUEST_ID,
        decision="share",
        cameras=["camera.hall"],
        include_audio=True,
        language="de",
    )
    result = reply["result"]
    assert result["recorded"] is True
    assert result["request"]["state"] == "shared"
    assert result["request"]["decision"]["include_audio"] is True
    assert result["error"]["code"] == "export_failed"
    assert "camera.hall" in result["error"]["message"]


async def test_never_cameras_and_unknown_feeds_are_refused(
    hass: HomeAssistant,
    entry: ConfigEntry,
    hass_ws_client: ClientFactory,
    tmp_path: Path,
) -> None:
    backends(entry, tmp_path)
    policies = {
        "camera.porch": {"policy": "ask"},
        "camera.hall": {"policy": "never"},
    }
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "camera_policies": policies}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    backends(entry, tmp_path)
    client = await hass_ws_client(hass)
    reply = await ws(
        client,
        type=f"{DOMAIN}/panel/respond",
        entry_id=entry.entry_id,
        request_id=REQUEST_ID,
        decision="share",
        cameras=["camera.hall"],
    )
    assert reply["error"]["code"] == "camera_never"
    reply = await ws(
        client,
        type=f"{DOMAIN}/panel/request",
        entry_id="not-an-entry",
        request_id=REQUEST_ID,
    )
    assert reply["error"]["code"] == "unknown_feed"
    reply = await ws(
        client, type=f"{DOMAIN}/panel/request", entry_id=entry.entry_id, request_id="x"
    )
    assert reply["error"]["code"] == "unknown_request"


async def test_a_request_withdrawn_or_expired_while_open_says_so(
    hass: HomeAssistant,
    entry: ConfigEntry,
    *,
    feed_server: FeedServer,
    hass_ws_client: ClientFactory,
    freezer: FrozenDateTimeFactory,
    tmp_path: Path,
) -> None:
    """The panel reads the request again and offers nothing to send."""
    coordinator = entry.runtime_data.coordinator
    expires = format_timestamp(dt_util.utcnow() + timedelta(minutes=5))
    feed_server.serve(
        make_feed([request_now(), request_now(id="soon", expires_at=expires)])
    )
    await coordinator.async_refresh()
    feed_server.serve(
        make_feed(
            [
                request_now(revision=2, status="cancelled"),
                request_now(id="soon", expires_at=expires),
            ]
        )
    )
    await coordinator.async_refresh()
    await hass.async_block_till_done()
    exporter = backends(entry, tmp_path)
    client = await hass_ws_client(hass)
    base = {"type": f"{DOMAIN}/panel/request", "entry_id": entry.entry_id}
    withdrawn = (await ws(client, request_id=REQUEST_ID, **base))["result"]
    assert withdrawn["state"] == "cancelled"
    assert withdrawn["status"] == "cancelled"
    reply = await ws(
        client,
        type=f"{DOMAIN}/panel/respond",
        entry_id=entry.entry_id,
        request_id=REQUEST_ID,
        decision="share",
    )
    assert reply["error"]["code"] == "not_actionable"

    freezer.tick(timedelta(minutes=10))
    reply = await ws(
        client,
        type=f"{DOMAIN}/panel/preview",
        entry_id=entry.entry_id,
        request_id="soon",
        camera="camera.porch",
    )
    assert reply["error"]["code"] == "request_expired"
    assert exporter.calls == []


async def test_the_map_pin_reads_like_a_request_and_opens_the_panel(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Name and attributes for people; `panel_url` is what more-info links."""
    from homeassistant.core_config import async_process_ha_core_config

    [pin] = hass.states.async_all("geo_location")
    assert pin.name.endswith("Burglary, case 24-1187")
    assert pin.attributes["incident"] == "Burglary"
    assert pin.attributes["case_number"] == "24-1187"
    path = f"/neighborhood-requests/request/{entry.entry_id}/{REQUEST_ID}"
    assert pin.attributes["panel_url"].endswith(path)

    # With Home Assistant's own URL set, the link is absolute (so more-info
    # shows it as a link); without one it is the path.
    await async_process_ha_core_config(
        hass, {"internal_url": "http://homeassistant.local:8123"}
    )
    entry.runtime_data.coordinator.async_update_listeners()
    await hass.async_block_till_done()
    [pin] = hass.states.async_all("geo_location")
    assert pin.attributes["panel_url"] == f"http://homeassistant.local:8123{path}"


@pytest.mark.parametrize("language", ["en", "de", "es"])
async def test_the_map_pins_values_are_words_in_every_language(
    hass: HomeAssistant, entry: ConfigEntry, language: str
) -> None:
    """More-info shows attribute values through these; no `voluntary` left raw."""
    from homeassistant.helpers import translation

    from custom_components.neighborhood_requests.const import (
        STATE_CANCELLED,
        STATE_DECLINED,
        STATE_EXPIRED,
        STATE_OUTSIDE,
        STATE_PAUSED,
        STATE_PENDING,
        STATE_REJECTED,
        STATE_SHARED,
    )
    from custom_components.neighborhood_requests.protocol.model import LegalBasis

    words = await translation.async_get_translations(hass, language, "entity", [DOMAIN])
    prefix = f"component.{DOMAIN}.entity.geo_location.request.state_attributes"
    [pin] = hass.states.async_all("geo_location")
    expected = {
        "legal_basis": [basis.value for basis in LegalBasis],
        "state": [
            STATE_PENDING,
            STATE_REJECTED,
            STATE_OUTSIDE,
            STATE_PAUSED,
            STATE_SHARED,
            STATE_DECLINED,
            STATE_EXPIRED,
            STATE_CANCELLED,
        ],
        "incident_type": [pin.attributes["incident_type"]],
        "audio_requested": ["true", "false"],
        "verified": ["true", "false"],
    }
    missing = [
        f"{attribute}.{value}"
        for attribute, values in expected.items()
        for value in values
        if not words.get(f"{prefix}.{attribute}.state.{value}")
    ]
    assert missing == []
