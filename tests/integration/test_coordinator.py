"""Polling, verification, guardrails and outages, through a real feed server."""

from __future__ import annotations

from datetime import timedelta
import hashlib

from freezegun.api import FrozenDateTimeFactory
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, issue_registry as ir
from homeassistant.setup import async_setup_component
import pytest
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.neighborhood_requests.const import DOMAIN
from custom_components.neighborhood_requests.coordinator import issue_id
from tests.protocol.factories import (
    OTHER_JWK,
    OTHER_KEY,
    OTHER_KID,
    TEST_JWK,
    make_feed,
    make_publisher,
    sign_request,
)

from .conftest import (
    EventLog,
    FeedServer,
    add_entry,
    entity_id,
    geo_ids,
    request_now,
    submit_feed_url,
)
from .storage_helpers import stored


async def refresh(hass: HomeAssistant, entry: ConfigEntry) -> None:
    await entry.runtime_data.coordinator.async_refresh()
    await hass.async_block_till_done()


def pending(hass: HomeAssistant) -> int:
    return int(hass.states.get(entity_id(hass, "sensor")).state)


async def test_first_poll_shows_the_request_everywhere(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    """Sensor, map pin and event all come from the first poll at setup."""
    assert entry.state is ConfigEntryState.LOADED
    assert pending(hass) == 1
    sensor = hass.states.get(entity_id(hass, "sensor"))
    [listed] = sensor.attributes["requests"]
    assert listed["request_id"] == "wpd-2026-0412"
    assert listed["incident_type"] == "burglary"
    assert "latitude" not in str(sensor.attributes)
    [pin] = geo_ids(hass)
    state = hass.states.get(pin)
    assert state.attributes["source"] == DOMAIN
    assert state.attributes["latitude"] == pytest.approx(41.6)
    assert float(state.state) == pytest.approx(0.0, abs=0.01)
    event = hass.states.get(entity_id(hass, "event"))
    assert event.attributes["event_type"] == "received"
    assert event.attributes["request_id"] == "wpd-2026-0412"
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.entry_id), entry.entry_id
    )
    assert device is not None
    # Nothing on the device page is a machine value or `<unknown>`.
    assert (device.manufacturer, device.model, device.model_id) == (
        "Wolcott Police Department",
        "Community Request Feed",
        None,
    )


async def test_conditional_get(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> None:
    """The digest of the body held goes back as If-None-Match; a 304 changes nothing.

    The server's own validators are not echoed (tests/security shows why).
    """
    feed_server.etag = f'"{hashlib.sha256(feed_server.body).hexdigest()}"'
    feed_server.last_modified = "Sat, 28 Nov 2026 10:00:00 GMT"
    entry = await add_entry(hass, feed_server.url)
    log = EventLog(hass)
    await refresh(hass, entry)
    headers = feed_server.requests_seen[-1]
    assert headers["If-None-Match"] == feed_server.etag
    assert "If-Modified-Since" not in headers
    assert feed_server.answers[-1] == 304
    assert pending(hass) == 1
    assert log.types == []


async def test_outage_keeps_requests_then_goes_unavailable(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A feed outage erases nothing; after an hour entities go unavailable."""
    coordinator = entry.runtime_data.coordinator
    feed_server.status = 500
    await refresh(hass, entry)
    assert pending(hass) == 1
    assert len(geo_ids(hass)) == 1
    assert coordinator.update_interval == timedelta(seconds=120)
    await refresh(hass, entry)
    assert coordinator.update_interval == timedelta(seconds=240)

    freezer.tick(timedelta(minutes=61))
    await refresh(hass, entry)
    assert hass.states.get(entity_id(hass, "sensor")).state == STATE_UNAVAILABLE
    issues = ir.async_get(hass)
    issue = issues.async_get_issue(DOMAIN, issue_id("feed_unavailable", entry.entry_id))
    assert issue is not None
    # The cause in words, in the home's language; never a machine value.
    assert issue.translation_placeholders is not None
    assert issue.translation_placeholders["reason"] == (
        "the server answered with an HTTP error"
    )

    feed_server.status = 200
    await refresh(hass, entry)
    assert pending(hass) == 1
    assert coordinator.update_interval == timedelta(seconds=60)
    assert not issues.async_get_issue(
        DOMAIN, issue_id("feed_unavailable", entry.entry_id)
    )


async def test_garbage_feed_is_an_outage_too(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    feed_server.body = b"{broken"
    await refresh(hass, entry)
    assert pending(hass) == 1
    assert entry.runtime_data.coordinator.update_interval == timedelta(seconds=120)


async def test_other_publisher_on_the_same_url_is_refused(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    feed_server.serve(
        make_feed([request_now(id="x-1")], publisher=make_publisher(id="other"))
    )
    await refresh(hass, entry)
    assert entry.runtime_data.coordinator.update_interval == timedelta(seconds=120)
    assert len(entry.runtime_data.coordinator.store) == 1


async def test_too_many_requests_is_an_outage(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    coordinator = entry.runtime_data.coordinator
    monkeypatch.setattr(coordinator._verifier, "_max_requests", 0)
    await refresh(hass, entry)
    assert coordinator.update_interval == timedelta(seconds=120)


async def test_revision_updates_the_prompt_and_cancel_removes_it(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """Invariant 3: one id prompts once; a new revision updates, never re-prompts."""
    log = EventLog(hass)
    summary = "Updated: suspect seen on Oak Street."
    feed_server.serve(
        make_feed(
            [
                request_now(
                    revision=2,
                    incident={
                        "type": "burglary",
                        "summary": summary,
                        "case_number": "24-1187",
                        "reference_url": None,
                    },
                )
            ]
        )
    )
    await refresh(hass, entry)
    assert log.types == []
    sensor = hass.states.get(entity_id(hass, "sensor"))
    assert sensor.attributes["requests"][0]["summary"] == summary
    assert sensor.attributes["requests"][0]["revision"] == 2

    feed_server.serve(make_feed([request_now(revision=3, status="cancelled")]))
    await refresh(hass, entry)
    assert log.types == ["cancelled"]
    assert pending(hass) == 0
    assert geo_ids(hass) == []

    # An old revision coming back is refused, not resurrected.
    feed_server.serve(make_feed([request_now(revision=2)]))
    await refresh(hass, entry)
    assert pending(hass) == 0
    assert log.types == ["cancelled"]


async def test_request_moving_away_is_withdrawn(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    log = EventLog(hass)
    far = {"circle": {"lat": 42.5, "lon": -72.0, "radius_m": 300.0}}
    feed_server.serve(make_feed([request_now(revision=2, area=far)]))
    await refresh(hass, entry)
    assert log.types == ["cancelled"]
    assert pending(hass) == 0


async def test_requests_far_away_or_breaking_guardrails(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """Only a matching, guardrail-clean request prompts; the rest are recorded."""
    log = EventLog(hass)
    far = {"circle": {"lat": 42.5, "lon": -72.0, "radius_m": 300.0}}
    no_case = {
        "type": "burglary",
        "summary": "no case number",
        "case_number": None,
        "reference_url": None,
    }
    polygon = {
        "polygon": [
            [41.598, -73.002],
            [41.598, -72.998],
            [41.602, -72.998],
            [41.602, -73.002],
            [41.598, -73.002],
        ]
    }
    feed_server.serve(
        make_feed(
            [
                request_now(),
                request_now(id="far-1", area=far),
                request_now(id="nocase-1", incident=no_case),
                request_now(id="poly-1", area=polygon),
            ]
        )
    )
    await refresh(hass, entry)
    assert log.types == ["rejected", "received"]
    assert log.data[0]["request_id"] == "nocase-1"
    assert any("case" in reason for reason in log.data[0]["reasons"])
    assert pending(hass) == 2
    assert len(geo_ids(hass)) == 2
    store = entry.runtime_data.coordinator.store
    states = {r.request_id: r.state for r in store}
    assert states["far-1"] == "outside_area"
    assert states["nocase-1"] == "rejected"


async def test_loosening_a_guardrail_shows_what_it_had_blocked(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """Options reload the entry; its first poll judges turned-away requests again."""
    no_case = {
        "type": "burglary",
        "summary": "no case number",
        "case_number": None,
        "reference_url": None,
    }
    far = {"circle": {"lat": 42.5, "lon": -72.0, "radius_m": 300.0}}
    feed_server.serve(
        make_feed(
            [
                request_now(),
                request_now(id="nocase-1", incident=no_case),
                request_now(id="far-1", area=far),
            ]
        )
    )
    await refresh(hass, entry)
    assert pending(hass) == 1
    log = EventLog(hass)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert log.types == []  # same settings, same verdicts: nobody is told twice

    hass.config_entries.async_update_entry(
        entry, options={**entry.options, "require_case_number": False}
    )
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert log.types == ["received"]
    assert log.data[0]["request_id"] == "nocase-1"
    assert pending(hass) == 2
    states = {r.request_id: r.state for r in entry.runtime_data.coordinator.store}
    assert states["far-1"] == "outside_area"


async def test_signature_failures_and_duplicates_are_recorded_once(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """A request signed by an unpinned key never shows; the reason is kept."""
    forged = sign_request(request_now(id="forged-1"), OTHER_KEY, OTHER_KID)
    feed_server.serve(make_feed([request_now(), forged]))
    await refresh(hass, entry)
    await refresh(hass, entry)
    coordinator = entry.runtime_data.coordinator
    assert [r.request_id for r in coordinator.store] == ["wpd-2026-0412"]
    counts = coordinator.rejections.report("wolcott-pd")
    assert counts["rejected_entries"] == 1
    assert counts["rejected_rules"] == {'signature: unknown kid "…"': 1}
    assert counts["rejected_examples"][0]["request_id"] is None
    assert pending(hass) == 1


async def test_expiry_removes_the_pin(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    freezer: FrozenDateTimeFactory,
) -> None:
    log = EventLog(hass)
    freezer.tick(timedelta(days=8))
    await refresh(hass, entry)
    assert log.types == ["expired"]
    assert pending(hass) == 0
    assert geo_ids(hass) == []


async def test_pause_records_but_never_prompts(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    switch = entity_id(hass, "switch")
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": switch}, blocking=True
    )
    assert hass.states.get(switch).state == "on"
    log = EventLog(hass)
    feed_server.serve(make_feed([request_now(), request_now(id="new-1")]))
    await refresh(hass, entry)
    assert log.types == []
    assert pending(hass) == 1
    store = entry.runtime_data.coordinator.store
    assert {r.request_id: r.state for r in store}["new-1"] == "paused"
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": switch}, blocking=True
    )
    assert hass.states.get(switch).state == "off"


async def test_restart_prompts_nothing_twice(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """Invariant 3 across restarts: the store remembers what was prompted."""
    switch = entity_id(hass, "switch")
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": switch}, blocking=True
    )
    log = EventLog(hass)
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert log.types == []
    assert pending(hass) == 1
    assert hass.states.get(switch).state == "on"


async def test_key_change_holds_requests_until_retrusted(
    hass: HomeAssistant,
    entry: ConfigEntry,
    feed_server: FeedServer,
    hass_client: ClientSessionGenerator,
) -> None:
    """A new key set raises a fixable issue; nothing new prompts until it is fixed.

    An administrator trusts the new keys in Repairs; a flow started without a
    user (from code) trusts nothing.
    """
    assert await async_setup_component(hass, "repairs", {})
    feed_server.serve(
        make_feed(
            [request_now(id="rotated-1")],
            keys=[OTHER_JWK],
            key=OTHER_KEY,
            kid=OTHER_KID,
        )
    )
    log = EventLog(hass)
    await refresh(hass, entry)
    assert log.types == []
    sensor = hass.states.get(entity_id(hass, "sensor"))
    assert sensor.attributes["on_hold"] is True
    key = issue_id("keys_changed", entry.entry_id)
    issue = ir.async_get(hass).async_get_issue(DOMAIN, key)
    assert issue is not None
    assert issue.is_fixable

    from homeassistant.components.repairs import repairs_flow_manager

    manager = repairs_flow_manager(hass)
    assert manager is not None
    unattended = await manager.async_init(DOMAIN, data={"issue_id": key})
    assert (unattended["type"], unattended["reason"]) == ("abort", "not_allowed")
    assert entry.data["keys"] != [OTHER_JWK]

    client = await hass_client()
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": key}
    )
    result = await response.json()
    assert result["step_id"] == "confirm"
    assert "SHA256:" in result["description_placeholders"]["fingerprints"]
    response = await client.post(
        f"/api/repairs/issues/fix/{result['flow_id']}", json={}
    )
    result = await response.json()
    assert result["type"] == "create_entry"
    await hass.async_block_till_done()
    assert entry.data["keys"] == [OTHER_JWK]
    assert ir.async_get(hass).async_get_issue(DOMAIN, key) is None
    assert log.types == ["received"]
    assert pending(hass) == 2


async def test_retrust_for_a_removed_entry_aborts(
    hass: HomeAssistant, entry: ConfigEntry
) -> None:
    from custom_components.neighborhood_requests.repairs import async_create_fix_flow

    flow = await async_create_fix_flow(hass, "x", {"entry_id": "gone", "keys": "[]"})
    flow.hass = hass
    result = await flow.async_step_init()
    assert result["type"] == "abort"
    assert result["reason"] == "entry_removed"


async def test_unsigned_feed_requests_are_unverified(
    hass: HomeAssistant, feed_server: FeedServer, home: tuple[float, float]
) -> None:

    # An unsigned feed has no statement: only its own origin receives clips.
    upload_url = feed_server.url.replace("/feed.json", "/upload")
    feed_server.serve(
        make_feed([request_now(response={"upload_url": upload_url})], signed=False)
    )
    result = await submit_feed_url(hass, feed_server.url)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"allow_unverified": True}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"home": {"latitude": 41.6, "longitude": -73.0}}
    )
    await hass.async_block_till_done()
    sensor = hass.states.get(entity_id(hass, "sensor"))
    assert sensor.attributes["requests"][0]["verified"] is False


async def test_unload_and_remove(hass: HomeAssistant, entry: ConfigEntry) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert stored(hass, f"{DOMAIN}.{entry.entry_id}")["requests"]
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    assert stored(hass, f"{DOMAIN}.{entry.entry_id}") is None


async def test_keys_pinned_are_the_test_key(entry: ConfigEntry) -> None:
    assert entry.data["keys"] == [TEST_JWK]


async def test_restart_while_the_feed_is_down_keeps_open_requests(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """Setup does not fail on an outage: stored requests stay on the map."""
    feed_server.status = 503
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    assert pending(hass) == 1
    assert len(geo_ids(hass)) == 1


async def test_auth_failure_at_setup_asks_for_a_token(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    feed_server.token = "now-required"
    assert not await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.SETUP_ERROR
    flows = hass.config_entries.flow.async_progress_by_handler(DOMAIN)
    assert [flow["context"]["source"] for flow in flows] == ["reauth"]


async def test_duplicate_ids_and_silent_edits_are_rejected(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """Two entries with one id, or new content under an old revision, never show."""
    log = EventLog(hass)
    twin = request_now(id="twin-1")
    feed_server.serve(make_feed([request_now(), twin, twin]))
    await refresh(hass, entry)
    edited = request_now(
        incident={
            "type": "burglary",
            "summary": "quietly changed",
            "case_number": "24-1187",
            "reference_url": None,
        }
    )
    feed_server.serve(make_feed([edited]))
    await refresh(hass, entry)
    assert log.types == []
    counts = entry.runtime_data.coordinator.rejections.report("wolcott-pd")
    reasons = list(counts["rejected_rules"])
    assert any("duplicate" in reason for reason in reasons)
    assert any("other content" in reason for reason in reasons)
    sensor = hass.states.get(entity_id(hass, "sensor"))
    assert sensor.attributes["requests"][0]["summary"] != "quietly changed"


@pytest.mark.usefixtures("fast_timeout")
async def test_hanging_feed_is_an_outage(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    feed_server.hang = True
    await refresh(hass, entry)
    assert pending(hass) == 1
    assert entry.runtime_data.coordinator.update_interval == timedelta(seconds=120)


async def test_cancelling_a_paused_request_tells_nobody(
    hass: HomeAssistant, entry: ConfigEntry, feed_server: FeedServer
) -> None:
    """A request nobody was prompted for disappears without an event."""
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": entity_id(hass, "switch")}, blocking=True
    )
    feed_server.serve(make_feed([request_now(), request_now(id="quiet-1")]))
    await refresh(hass, entry)
    log = EventLog(hass)
    feed_server.serve(
        make_feed(
            [request_now(), request_now(id="quiet-1", revision=2, status="closed")]
        )
    )
    await refresh(hass, entry)
    assert log.types == []
    store = entry.runtime_data.coordinator.store
    assert {r.request_id: r.state for r in store}["quiet-1"] == "cancelled"
